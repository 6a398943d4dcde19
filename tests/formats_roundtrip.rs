//! Export → import into an empty database → export gives identical files, for every
//! format that carries the whole data: JSONL, CSV (table by table) and JSON-LD
//! (issue 6). The data: the fixture of `cooperation_fixture` (every field, Cyrillic,
//! archival units, claims) plus a generated set.
mod common;
mod cooperation_fixture;
use common::{Run, Sandbox};

fn keruen_on(sb: &Sandbox, db: &str, args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .env_remove("KERUEN_DB")
        .args(["--db", sb.path(db).to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    Run::from(out)
}

fn populated() -> Sandbox {
    let sb = Sandbox::new();
    sb.write("fixture.jsonl", cooperation_fixture::jsonl());
    sb.keruen(&["import", "fixture.jsonl"]).ok();
    sb.keruen(&["generate", "--events", "3000", "--seed", "11", "--out", "gen.jsonl"]).ok();
    sb.keruen(&["import", "gen.jsonl"]).ok();
    sb
}

fn read(sb: &Sandbox, name: &str) -> String {
    std::fs::read_to_string(sb.path(name)).unwrap()
}

#[test]
fn jsonl_and_json_ld_round_trip_byte_for_byte() {
    let sb = populated();
    for (format, ext) in [("jsonl", "jsonl"), ("jsonld", "jsonld")] {
        let first = format!("first.{ext}");
        let second = format!("second.{ext}");
        let db = format!("empty-{format}.db");
        sb.keruen(&["export", "--format", format, "--out", &first]).ok();
        keruen_on(&sb, &db, &["import", &first]).ok();
        keruen_on(&sb, &db, &["export", "--format", format, "--out", &second]).ok();
        let (a, b) = (read(&sb, &first), read(&sb, &second));
        assert!(a.len() > 100_000, "{format}: the export is too small to mean anything");
        assert!(a == b, "{format}: the second export differs from the first");
        // The export carries the data: every event of the fixture, and the quote.
        for e in cooperation_fixture::EVENTS {
            assert!(a.contains(&format!("\"{}\"", e.id)), "{format}: {} missing", e.id);
        }
        assert!(a.contains("договор о вечной дружбе"), "{format}");
    }
    // The JSON-LD and the JSONL hold the same records.
    let count = |text: &str, needle: &str| text.matches(needle).count();
    let (jsonl, jsonld) = (read(&sb, "first.jsonl"), read(&sb, "first.jsonld"));
    assert_eq!(count(&jsonl, "\"record\":\"event\""), count(&jsonld, "\"@type\":\"Event\""));
    assert_eq!(count(&jsonl, "\"record\":\"source\""), count(&jsonld, "\n{\"@id\":\"kr:source/"));
}

#[test]
fn csv_round_trips_table_by_table() {
    let sb = populated();
    let tables = ["sources", "entities", "events"];
    for t in tables {
        sb.keruen(&["export", "--format", "csv", "--table", t, "--out", &format!("first-{t}.csv")]).ok();
    }
    // Sources and entities first: events refer to them.
    for t in tables {
        keruen_on(&sb, "empty-csv.db", &["import", &format!("first-{t}.csv")]).ok();
    }
    for t in tables {
        keruen_on(
            &sb,
            "empty-csv.db",
            &["export", "--format", "csv", "--table", t, "--out", &format!("second-{t}.csv")],
        )
        .ok();
        let (a, b) = (read(&sb, &format!("first-{t}.csv")), read(&sb, &format!("second-{t}.csv")));
        assert!(a.lines().count() > 2, "{t}: empty");
        assert!(a == b, "{t}: the second export differs from the first");
    }
    assert_eq!(read(&sb, "first-events.csv").lines().count(), 3000 + 11 + 1);
}

#[test]
fn a_bad_json_ld_node_aborts_the_import_and_names_the_line() {
    let sb = populated();
    sb.keruen(&["export", "--format", "jsonld", "--out", "all.jsonld"]).ok();
    let text = read(&sb, "all.jsonld");
    // Break the fifth node (line 7: context on 1, "@graph" on 2, nodes from 3).
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[6] = lines[6].replacen("\"@type\":\"CreativeWork\"", "\"@type\":\"Thing\"", 1);
    sb.write("bad.jsonld", lines.join("\n"));
    keruen_on(&sb, "bad.db", &["import", "bad.jsonld"])
        .fails_with(1, "bad.jsonld:7: unknown `@type` `Thing`");
    let stats = keruen_on(&sb, "bad.db", &["stats", "--json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&stats).unwrap();
    assert_eq!((v["events"].as_u64(), v["sources"].as_u64()), (Some(0), Some(0)), "nothing imported");
    sb.write("broken.jsonld", &text[..text.len() / 2]);
    keruen_on(&sb, "bad.db", &["import", "broken.jsonld"]).fails_with(1, "broken.jsonld:");
    keruen_on(&sb, "bad.db", &["import", "all.jsonld", "--format", "gexf"])
        .fails_with(1, "import reads jsonl, csv and jsonld");
}
