//! Build a small database in a temporary directory and query it.
//!
//! Run with: `cargo run --example query_store`
//!
//! Plan: create a store, load the gazetteer, import two events as JSONL records,
//! then search them by a Cyrillic place name and print the hits.
use keruen_store::{ImportOptions, SearchQuery, SqliteStore, Store};

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::create(dir.path().join("example.db"))?;
    store.seed_gazetteer(&keruen_gazetteer::Gazetteer::builtin().entities())?;
    let jsonl = r#"{"record":"source","id":"src-note","title":"A note"}
{"record":"event","id":"ev-1","type":"festival","date":"2019-09","participants":[{"entity":"KZ","role":"host"},{"entity":"UZ","role":"guest"}],"places":["place:almaty"],"review":"accepted"}
{"record":"event","id":"ev-2","type":"conference","date":"2021-05-12","participants":[{"entity":"TJ","role":"host"}],"places":["place:khujand"],"review":"accepted"}
"#;
    let mut lines = keruen_export::jsonl::read(jsonl.as_bytes());
    let report = store.import(&mut lines, &ImportOptions::default(), &mut |_| {})?;
    println!("imported {} events", report.events);
    for text in ["Алматы", "Leninabad"] {
        let hits = store.search(&SearchQuery { text: Some(text.into()), ..Default::default() })?;
        println!("{text}: {:?}", hits.hits.iter().map(|h| &h.id).collect::<Vec<_>>());
    }
    Ok(())
}
