//! `generate` → `import` → `export` → `import` into an empty database → `export`
//! gives the same records (issue 2).
mod common;
use common::Sandbox;

#[test]
fn generated_data_survives_an_export_import_round_trip() {
    let n: usize =
        std::env::var("KERUEN_ROUNDTRIP_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let sb = Sandbox::new();
    sb.keruen(&["generate", "--events", &n.to_string(), "--seed", "7", "--out", "gen.jsonl"]).ok();
    let generated = std::fs::read_to_string(sb.path("gen.jsonl")).unwrap();
    assert_eq!(generated.lines().filter(|l| l.contains("\"record\":\"event\"")).count(), n);

    sb.keruen(&["import", "gen.jsonl"]).ok();
    sb.keruen(&["export", "--format", "jsonl", "--out", "first.jsonl"]).ok();

    let second_db = sb.path("second.db");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .args(["--db", second_db.to_str().unwrap(), "import", "first.jsonl"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .args(["--db", second_db.to_str().unwrap(), "export", "--format", "jsonl", "--out", "second.jsonl"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let first = std::fs::read_to_string(sb.path("first.jsonl")).unwrap();
    let second = std::fs::read_to_string(sb.path("second.jsonl")).unwrap();
    assert_eq!(first.lines().filter(|l| l.contains("\"record\":\"event\"")).count(), n);
    assert!(first == second, "the second export differs from the first");
    // The export carries what was generated: every generated event id is there.
    let ids = |text: &str| -> std::collections::BTreeSet<String> {
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["record"] == "event")
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&generated), ids(&first));
}
