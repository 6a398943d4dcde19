//! Import of JSONL and CSV through the real binary: good input, every kind of bad
//! input, and the promise that a failed import leaves the database as it was.
mod common;
use common::Sandbox;

const SOURCE: &str = r#"{"record":"source","id":"src-test","type":"book","title":"A test chronicle","author":[{"family":"Bekova","given":"A."}],"issued":"2010"}"#;

fn event(id: &str, extra: &str) -> String {
    format!(
        r#"{{"record":"event","id":"{id}","type":"festival","date":"2019-09-12","participants":[{{"entity":"KZ","role":"host"}},{{"entity":"UZ","role":"guest"}}],"places":["place:almaty"],"review":"accepted","evidence":[{{"source":"src-test","page":"12","asserted_by":"user:test"}}]{extra}}}"#
    )
}

/// What the database holds, as the export sees it, plus the audit count.
fn snapshot(sb: &Sandbox) -> (String, String) {
    let export = sb.keruen(&["export", "--format", "jsonl"]).ok().stdout;
    let stats = sb.keruen(&["stats", "--json"]).ok().stdout;
    (export, stats)
}

fn seeded() -> Sandbox {
    let sb = Sandbox::new();
    sb.keruen(&["init"]).ok();
    let good = sb.write("good.jsonl", format!("{SOURCE}\n{}\n", event("ev-1", "")));
    sb.keruen(&["import", good.to_str().unwrap()]).ok();
    sb
}

#[test]
fn import_then_reimport_adds_nothing() {
    let sb = seeded();
    let before = snapshot(&sb);
    let again = sb.keruen(&["import", "good.jsonl"]).ok();
    assert!(again.stdout.contains("imported 0 events"), "{}", again.stdout);
    assert!(again.stdout.contains("2 already present"), "{}", again.stdout);
    assert_eq!(snapshot(&sb), before);
    let shown = sb.keruen(&["show", "ev-1"]).ok().stdout;
    assert!(shown.contains("festival") && shown.contains("Almaty"), "{shown}");
}

/// Each malformed line aborts the whole import with FILE:LINE and changes nothing.
#[test]
fn a_bad_line_aborts_the_import_and_names_file_and_line() {
    let cases: &[(&str, String, &str)] = &[
        ("bad JSON", "{\"record\":\"event\",".into(), "bad JSON"),
        ("missing field", r#"{"record":"event","id":"ev-9"}"#.into(), "missing field `type`"),
        ("unknown type", event("ev-9", "").replace("festival", "party"), "unknown variant `party`"),
        ("invalid EDTF", event("ev-9", "").replace("2019-09-12", "2019-13-45"), "month 13 does not exist"),
        ("unknown country", event("ev-9", "").replace("\"UZ\"", "\"XQ\""), "unknown country code `XQ`"),
        ("unknown source", event("ev-9", "").replace("src-test", "src-nope"), "unknown source `src-nope`"),
        ("conflicting id", event("ev-1", r#","title":"changed""#), "already exists with different content"),
    ];
    for (what, bad, needle) in cases {
        let sb = seeded();
        let before = snapshot(&sb);
        // A good event first: it must not survive the abort.
        let file = sb.write("bad.jsonl", format!("{}\n{bad}\n{}\n", event("ev-2", ""), event("ev-3", "")));
        let run = sb.keruen(&["import", file.to_str().unwrap()]).fails_with(1, "bad.jsonl:2: ");
        let first = run.stderr.lines().next().unwrap_or("");
        assert!(first.contains(needle), "{what}: `{needle}` not in: {first}");
        assert_eq!(snapshot(&sb), before, "{what}: the database changed");
    }
}

#[test]
fn skip_invalid_imports_good_lines_and_writes_the_rejects() {
    let sb = seeded();
    let bad_date = event("ev-4", "").replace("2019-09-12", "1995-02-30");
    let file = sb.write("mixed.jsonl", format!("{}\n{bad_date}\n{}\n", event("ev-2", ""), event("ev-3", "")));
    let run = sb.keruen(&["import", "--skip-invalid", file.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("imported 2 events"), "{}", run.stdout);
    assert!(run.stdout.contains("rejected 1 lines"), "{}", run.stdout);
    let rejects = std::fs::read_to_string(sb.path("mixed.rejects.jsonl")).unwrap();
    let line: serde_json::Value = serde_json::from_str(rejects.lines().next().unwrap()).unwrap();
    assert_eq!(line["line"], 2);
    assert!(line["reason"].as_str().unwrap().contains("day 30 does not exist"), "{line}");
    assert!(sb.keruen(&["show", "ev-3"]).code == 0);
    assert!(sb.keruen(&["show", "ev-4"]).code != 0);
}

#[test]
fn unusable_files_get_one_clear_line() {
    let sb = seeded();
    let before = snapshot(&sb);
    sb.keruen(&["import", "missing.jsonl"]).fails_with(1, "missing.jsonl: no such file");
    sb.write("empty.jsonl", "");
    sb.keruen(&["import", "empty.jsonl"]).fails_with(1, "empty.jsonl: the file is empty");
    sb.write("blob.jsonl", [0x7fu8, b'E', b'L', b'F', 0, 0, 1, 2, 3]);
    sb.keruen(&["import", "blob.jsonl"]).fails_with(1, "blob.jsonl: looks like a binary file");
    std::fs::create_dir(sb.path("adir.jsonl")).unwrap();
    sb.keruen(&["import", "adir.jsonl"]).fails_with(1, "is a directory");
    sb.write("notes.txt", "hello");
    sb.keruen(&["import", "notes.txt"]).fails_with(1, "cannot tell the format");
    #[cfg(unix)]
    if !nix_is_root() {
        use std::os::unix::fs::PermissionsExt;
        let p = sb.write("secret.jsonl", SOURCE);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        sb.keruen(&["import", "secret.jsonl"]).fails_with(1, "permission denied");
    }
    for run in [sb.keruen(&["import", "missing.jsonl"]), sb.keruen(&["import", "empty.jsonl"])] {
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    assert_eq!(snapshot(&sb), before);
}

/// Root reads any file regardless of its mode, so the permission case only runs
/// as an ordinary user.
fn nix_is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(true)
}

#[test]
fn a_foreign_or_newer_database_is_refused_and_untouched() {
    let sb = Sandbox::new();
    let db = sb.db();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine');").unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let file = sb.write("good.jsonl", SOURCE);
    sb.keruen(&["import", file.to_str().unwrap()]).fails_with(1, "not a keruen database");
    sb.keruen(&["stats"]).fails_with(1, "not a keruen database");
    assert_eq!(std::fs::read(&db).unwrap(), before);

    let sb = seeded();
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let before = std::fs::read(sb.db()).unwrap();
    sb.keruen(&["stats"]).fails_with(1, "newer than this keruen");
    sb.keruen(&["import", "good.jsonl"]).fails_with(1, "upgrade keruen");
    assert_eq!(std::fs::read(sb.db()).unwrap(), before);

    sb.write("text.db", "just some text, not a database");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_keruen"))
        .args(["--db", sb.path("text.db").to_str().unwrap(), "stats"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not an SQLite file"));
}

#[test]
fn csv_errors_name_the_row_and_column() {
    let sb = seeded();
    let before = snapshot(&sb);
    let header =
        "id,type,title,date,status,review,countries,participants,places,sectors,description,evidence";
    let file = sb.write(
        "events.csv",
        format!("{header}\nev-5,festival,A,2019,held,accepted,,KZ:host,,,,\nev-6,festival,B,2019-13-45,held,accepted,,KZ:host,,,,\n"),
    );
    sb.keruen(&["import", file.to_str().unwrap()]).fails_with(1, "events.csv:3: column `date`");
    let file = sb.write("short.csv", format!("{header}\nev-5,festival\n"));
    sb.keruen(&["import", file.to_str().unwrap()])
        .fails_with(1, "short.csv:2: row has 2 columns, the header has 12");
    let file = sb.write("odd.csv", "name,when\nx,1992\n");
    sb.keruen(&["import", file.to_str().unwrap()]).fails_with(1, "not one of keruen's CSV tables");
    assert_eq!(snapshot(&sb), before);
}

#[test]
fn usage_errors_exit_with_2() {
    let sb = Sandbox::new();
    let run = sb.keruen(&["import"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = sb.keruen(&["frobnicate"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
