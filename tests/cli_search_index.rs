//! `keruen index` writes the search index file and `keruen search` answers from it
//! exactly as from SQL; a change to the database makes it stale (search says so and
//! falls back to SQL), and a damaged file never breaks a search.
mod common;
use common::Sandbox;

/// The queries compared: names in both scripts and former names, words, every filter.
const QUERIES: &[&[&str]] = &[
    &["Almaty", "--facets"],
    &["Alma-Ata", "--country", "KZ", "--facets", "--limit", "50"],
    &["Ташкент", "--facets"],
    &["festival", "--type", "festival", "--from", "1995", "--to", "2005", "--facets"],
    &["conference", "--country", "UZ", "--country", "TJ", "--include-candidates"],
    &["--type", "agreement", "--facets", "--limit", "5"],
    &["no-such-word-anywhere", "--facets"],
];

fn search_json(sb: &Sandbox, args: &[&str], extra: &[&str]) -> (serde_json::Value, String) {
    let mut all = vec!["--json", "search"];
    all.extend_from_slice(args);
    all.extend_from_slice(extra);
    let run = sb.keruen(&all).ok();
    (serde_json::from_str(&run.stdout).expect("search --json prints JSON"), run.stderr)
}

/// Every query answers the same from the index file as with `--no-index`; returns
/// the stderr of the searches that used the file.
fn same_answers(sb: &Sandbox) -> Vec<String> {
    let mut notes = Vec::new();
    let mut found = 0;
    for q in QUERIES {
        let (from_index, stderr) = search_json(sb, q, &[]);
        let (from_sql, _) = search_json(sb, q, &["--no-index"]);
        assert_eq!(from_index, from_sql, "query {q:?}");
        found += usize::from(from_sql["total"].as_u64().unwrap() > 0);
        notes.push(stderr);
    }
    assert!(found >= 5, "only {found} queries found events: the comparison would be empty");
    notes
}

/// A sandbox whose database holds `events` generated events.
fn imported(events: usize, seed: u64) -> Sandbox {
    let sb = Sandbox::new();
    sb.keruen(&[
        "generate",
        "--events",
        &events.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        "a.jsonl",
    ])
    .ok();
    sb.keruen(&["import", "a.jsonl"]).ok();
    sb
}

/// Makes every festival an exhibition with plain SQL, behind keruen's back (no new
/// revision: docs/schema.md says to run `keruen index` after such an edit); returns
/// how many events changed.
fn retype_festivals_behind_keruens_back(sb: &Sandbox) -> usize {
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.execute("UPDATE events SET type = 'exhibition' WHERE type = 'festival'", []).unwrap()
}

#[test]
fn search_answers_from_the_index_file_as_from_sql_and_notices_a_change() {
    let sb = imported(3000, 3);

    let run = sb.keruen(&["index"]).ok();
    assert!(run.stdout.contains("keruen.db-index") && run.stdout.contains("3,000 events"), "{}", run.stdout);
    assert!(sb.path("keruen.db-index").exists());
    for stderr in same_answers(&sb) {
        assert!(stderr.is_empty(), "a current index is used without a note: {stderr}");
    }
    // The answers do come from the file: an edit made behind keruen's back is seen
    // by SQL and not by the index.
    let (indexed, _) = search_json(&sb, &["--type", "festival"], &[]);
    retype_festivals_behind_keruens_back(&sb);
    assert_eq!(search_json(&sb, &["--type", "festival"], &[]).0, indexed);
    assert_eq!(search_json(&sb, &["--type", "festival"], &["--no-index"]).0["total"], 0);
    assert!(indexed["total"].as_u64().unwrap() > 0);
    sb.keruen(&["index"]).ok();

    // A change (a curator's review) makes the file stale: searches say so, answer
    // from SQL, and see the change.
    let q = ["--type", "exhibition", "--include-candidates"];
    let (before, _) = search_json(&sb, &q, &[]);
    let candidate = before["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["review"] == "candidate")
        .expect("a candidate exhibition")["id"]
        .as_str()
        .unwrap()
        .to_string();
    sb.keruen(&["review", "reject", &candidate]).ok();
    for stderr in same_answers(&sb) {
        assert!(stderr.contains("older than the database") && stderr.contains("keruen index"), "{stderr}");
    }
    let (after, _) = search_json(&sb, &q, &[]);
    assert_eq!(after["total"].as_u64().unwrap() + 1, before["total"].as_u64().unwrap());

    // Rebuilt, it is current again.
    sb.keruen(&["index"]).ok();
    for stderr in same_answers(&sb) {
        assert!(stderr.is_empty(), "{stderr}");
    }

    // An import that adds events brings an existing index file up to date itself.
    sb.keruen(&["generate", "--events", "500", "--seed", "4", "--out", "b.jsonl"]).ok();
    let b = std::fs::read_to_string(sb.path("b.jsonl")).unwrap().replace("\"gen-", "\"more-");
    sb.write("b.jsonl", b);
    let run = sb.keruen(&["import", "b.jsonl"]).ok();
    assert!(
        run.stderr.contains("search index") && run.stderr.contains("brought up to date"),
        "{}",
        run.stderr
    );
    for stderr in same_answers(&sb) {
        assert!(stderr.is_empty(), "{stderr}");
    }
    let (with_more, _) = search_json(&sb, &q, &[]);
    assert!(with_more["total"].as_u64() > after["total"].as_u64(), "{with_more} vs {after}");
    let run = sb.keruen(&["index"]).ok();
    assert!(run.stdout.contains("3,500 events"), "{}", run.stdout);
}

#[test]
fn a_damaged_index_file_does_not_break_a_search() {
    let sb = imported(300, 5);
    sb.keruen(&["index"]).ok();
    let (good, _) = search_json(&sb, &["--facets"], &[]);
    let file = sb.path("keruen.db-index");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 3]).unwrap();
    let (answer, stderr) = search_json(&sb, &["--facets"], &[]);
    assert_eq!(answer, good, "the search answers from SQL instead");
    assert!(stderr.contains("searching without the index") && stderr.contains("keruen.db-index"), "{stderr}");
    assert!(stderr.contains("keruen index"), "it says how to mend it: {stderr}");
}

#[test]
fn the_index_file_is_for_sqlite_only() {
    let sb = Sandbox::new();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_keruen"))
        .args(["--db", "postgres://nobody@127.0.0.1:1/none", "index"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("for SQLite databases"), "{stderr}");
    // On a missing database file it says there is none, and makes nothing.
    sb.keruen(&["index"]).fails_with(1, "no keruen database here");
    assert!(!sb.path("keruen.db-index").exists());
}

/// `keruen serve` on a database with a current index file answers from the file at
/// once, without building an index.
#[test]
fn the_server_starts_from_a_current_index_file() {
    use std::io::{BufRead, BufReader};
    let sb = imported(2000, 6);
    sb.keruen(&["index"]).ok();
    // Only an index read from the file still has festivals.
    assert!(retype_festivals_behind_keruens_back(&sb) > 0);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_keruen"))
        .env_remove("KERUEN_DB")
        .arg("--db")
        .arg(sb.db())
        .args(["serve", "--bind", "127.0.0.1:0", "--search-cache", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    for _ in 0..3 {
        stdout.read_line(&mut banner).unwrap();
    }
    let addr = banner.split("http://").nth(1).unwrap().split('/').next().unwrap().to_string();
    let festivals = common::http_get(&addr, "/api/v1/events?type=festival&limit=1");
    let _ = child.kill();
    let _ = child.wait();
    assert!(banner.contains("search index: mapped from") && banner.contains("keruen.db-index"), "{banner}");
    let json = festivals.split("\r\n\r\n").nth(1).unwrap_or_default();
    let total = serde_json::from_str::<serde_json::Value>(json).unwrap()["total"].as_u64().unwrap();
    assert!(total > 0, "the answer comes from the file: {festivals}");
}
