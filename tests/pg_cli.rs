//! Issue 7 from the terminal: `--db postgres://…` for every command, `keruen
//! migrate-db` from SQLite to PostgreSQL and back with identical exports, and
//! `keruen serve` on PostgreSQL. Needs `KERUEN_TEST_DATABASE_URL` (see
//! scripts/pg-test-env.sh); skipped with a note without it, an error under CI=true.
mod common;

use common::{Sandbox, repo};
use keruen_store::scratch::{self, ScratchDb};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn keruen(sb: &Sandbox, db: &str, args: &[&str]) -> common::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .env_remove("KERUEN_DB")
        .env_remove("KERUEN_AS")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run keruen");
    common::Run::from(out)
}

#[test]
fn a_database_goes_to_postgres_and_back_through_the_cli_unchanged() {
    let Some(server) = scratch::server() else { return };
    let sb = Sandbox::new();
    let lite = sb.path("a.db");
    let lite = lite.to_str().unwrap();
    let demo = repo().join("data/demo/events.jsonl");
    keruen(&sb, lite, &["import", demo.to_str().unwrap()]).ok();
    let corpus = repo().join("tests/data/corpus");
    keruen(&sb, lite, &["ingest", corpus.to_str().unwrap()]).ok();
    keruen(&sb, lite, &["users", "add", "madina", "--role", "editor", "--no-password"]).ok();
    keruen(&sb, lite, &["--as", "madina", "review", "accept-all", "--min-confidence", "0.9"]).ok();

    let pg = ScratchDb::create(&server, "keruen_test").unwrap();
    let copied = keruen(&sb, lite, &["migrate-db", "--from", lite, "--to", &pg.url]).ok();
    assert!(copied.stdout.contains("every table's rows and checksum match"), "{}", copied.stdout);
    assert!(copied.stdout.contains("audit"), "{}", copied.stdout);
    // Into a database that now holds data: refused, exit 1, nothing changed.
    let again = ScratchDb::create(&server, "keruen_test").unwrap();
    keruen(&sb, lite, &["migrate-db", "--from", lite, "--to", &again.url]).ok();
    keruen(&sb, lite, &["migrate-db", "--from", lite, "--to", &again.url]).fails_with(1, "not empty");
    keruen(&sb, lite, &["migrate-db", "--from", &pg.url, "--to", lite]).fails_with(1, "already exists");

    let back = sb.path("b.db");
    let back = back.to_str().unwrap();
    keruen(&sb, lite, &["migrate-db", "--from", &pg.url, "--to", back]).ok();
    let export = |db: &str| keruen(&sb, db, &["export", "--format", "jsonl"]).ok().stdout;
    let original = export(lite);
    assert!(original.lines().count() > 200);
    assert_eq!(export(back), original, "SQLite → PostgreSQL → SQLite exports the same");
    assert_eq!(export(&pg.url), original, "and PostgreSQL exports it too");
    for args in [
        vec!["search", "Ташкент", "--limit", "50"],
        vec!["search", "festival", "--include-candidates", "--facets"],
        vec!["--json", "stats"],
        vec!["review", "list", "--limit", "20"],
        vec!["duplicates"],
    ] {
        assert_eq!(keruen(&sb, &pg.url, &args).ok().stdout, keruen(&sb, lite, &args).ok().stdout, "{args:?}");
    }
    let event = original.lines().find(|l| l.contains("\"record\":\"event\"")).unwrap();
    let id = serde_json::from_str::<serde_json::Value>(event).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(
        keruen(&sb, &pg.url, &["history", &id]).ok().stdout,
        keruen(&sb, lite, &["history", &id]).ok().stdout
    );
    // Curation on PostgreSQL from the CLI.
    keruen(&sb, &pg.url, &["--as", "madina", "review", "reject", &id, "--reason", "checked"]).ok();
    assert!(keruen(&sb, &pg.url, &["history", &id]).ok().stdout.contains("checked"));
}

/// `keruen serve --db postgres://…` answers the API as it does on SQLite.
#[test]
fn serve_runs_on_postgres() {
    let Some(server) = scratch::server() else { return };
    let sb = Sandbox::new();
    let pg = ScratchDb::create(&server, "keruen_test").unwrap();
    let demo = repo().join("data/demo/events.jsonl");
    keruen(&sb, &pg.url, &["import", demo.to_str().unwrap()]).ok();
    let mut child = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .env_remove("KERUEN_DB")
        .args(["--db", &pg.url, "serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("keruen serves postgres://"), "{first}");
    let addr = first.split("http://").nth(1).unwrap().trim().trim_end_matches('/').to_string();
    let get = |path: &str| common::http_get(&addr, path);
    let stats = get("/api/v1/stats");
    let search = get("/api/v1/events?q=Tashkent");
    let _ = child.kill();
    let _ = child.wait();
    assert!(stats.starts_with("HTTP/1.1 200"), "{stats}");
    assert!(stats.contains("131"), "{stats}");
    assert!(search.starts_with("HTTP/1.1 200") && search.contains("demo-0006"), "{search}");
}
