//! `keruen demo`: build the demo database from the data keruen ships.
use crate::cli::DemoArgs;
use crate::db;
use anyhow::{Context, Result, bail};
use keruen_model::RecordLine;
use keruen_store::{ImportOptions, SqliteStore};

/// The curated events, with the sources that state them (data/demo/README.md).
const DEMO_EVENTS: &str = include_str!("../../data/demo/events.jsonl");

/// The project's own sample documents (English and Russian; news, chronology,
/// academic, archival, interview), ingested as candidates so that the review queue and
/// the highlighted source pages have something to show.
const SAMPLE_DOCUMENTS: &[(&str, &str)] = &[
    ("en-news-culture-days.txt", include_str!("../../tests/data/corpus/en-news-culture-days.txt")),
    ("en-chronology.txt", include_str!("../../tests/data/corpus/en-chronology.txt")),
    ("en-academic-education.txt", include_str!("../../tests/data/corpus/en-academic-education.txt")),
    ("en-archival-history.txt", include_str!("../../tests/data/corpus/en-archival-history.txt")),
    ("en-policy-brief.txt", include_str!("../../tests/data/corpus/en-policy-brief.txt")),
    ("ru-news-festival.txt", include_str!("../../tests/data/corpus/ru-news-festival.txt")),
    ("ru-chronology.txt", include_str!("../../tests/data/corpus/ru-chronology.txt")),
    ("ru-academic-science.txt", include_str!("../../tests/data/corpus/ru-academic-science.txt")),
    ("ru-archive-inventory.txt", include_str!("../../tests/data/corpus/ru-archive-inventory.txt")),
    ("ru-interview.txt", include_str!("../../tests/data/corpus/ru-interview.txt")),
];

/// Removes an earlier demo database — only if it is one of ours.
fn remove_old(path: &std::path::Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    drop(SqliteStore::open(path).with_context(|| {
        format!("{} exists and is not a keruen database; choose another --out", path.display())
    })?);
    for suffix in ["", "-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}

pub fn run(args: &DemoArgs) -> Result<()> {
    remove_old(&args.out)?;
    let (store, _) = db::open_for_write(&args.out)?;
    let mut lines = keruen_export::jsonl::read(DEMO_EVENTS.as_bytes()).map(|l: RecordLine| l);
    let options = ImportOptions { skip_invalid: false, actor: "user:keruen-curators".into(), bulk: false };
    let report = store
        .import(&mut lines, &options, &mut |_| {})
        .map_err(|e| anyhow::anyhow!("data/demo/events.jsonl: {e}"))?;
    if report.events == 0 {
        bail!("the demo data holds no events");
    }
    for (name, text) in SAMPLE_DOCUMENTS {
        let doc = keruen_ingest::read_bytes(name, text.as_bytes())?;
        let x = keruen_extract::Extractor::builtin().extract(
            &doc.text,
            &keruen_extract::Options { document: name.to_string(), ..Default::default() },
        );
        store.ingest(&crate::ingest::bundle(&doc, name, &x)).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    }
    println!("built {} from the curated demo data:", args.out.display());
    let mut out = std::io::stdout().lock();
    super::print_stats(&mut out, &store.stats()?)?;
    if args.no_serve {
        println!("serve it with: keruen --db {} serve", args.out.display());
        return Ok(());
    }
    drop(store);
    super::serve::serve(&args.out, args.bind, true, keruen_server::Config::default())
}
