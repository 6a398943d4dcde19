//! Helpers shared by the `curation_*` tests: the fixture documents, snapshots of
//! what a database holds, and running the binary on another database or with input.
#![allow(dead_code)]
use crate::common::{Run, Sandbox, repo};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A fixture document of tests/data/curation.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/data/curation").join(name)
}

/// Runs `keruen --db DB ARGS…` in the sandbox on another database.
pub fn keruen_at(sb: &Sandbox, db: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .env_remove("KERUEN_DB")
        .env_remove("KERUEN_AS")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run keruen");
    Run::from(out)
}

/// Runs `keruen --db DB ARGS…` with `input` on standard input.
pub fn keruen_with_input(sb: &Sandbox, args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .env_remove("KERUEN_DB")
        .env_remove("KERUEN_AS")
        .arg("--db")
        .arg(sb.db())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keruen");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

/// Everything a database holds, as the CLI shows it: the lossless export (records
/// with their review states), the counts, users and tokens — and, apart, the number
/// of audit entries (which grows with every change, undo included).
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub export: String,
    pub stats: serde_json::Value,
    pub users: String,
    pub tokens: String,
    pub audit: u64,
}

impl Snapshot {
    /// The state without the length of the log.
    pub fn state(&self) -> (&str, &serde_json::Value, &str, &str) {
        (&self.export, &self.stats, &self.users, &self.tokens)
    }
}

pub fn snapshot_of(sb: &Sandbox, db: &Path) -> Snapshot {
    let mut stats: serde_json::Value =
        serde_json::from_str(&keruen_at(sb, db, &["--json", "stats"]).ok().stdout).unwrap();
    let audit = stats.as_object_mut().unwrap().remove("audit").and_then(|a| a.as_u64()).unwrap();
    Snapshot {
        export: keruen_at(sb, db, &["export", "--format", "jsonl"]).ok().stdout,
        stats,
        users: keruen_at(sb, db, &["--json", "users", "list"]).ok().stdout,
        tokens: keruen_at(sb, db, &["--json", "tokens", "list"]).ok().stdout,
        audit,
    }
}

pub fn snapshot(sb: &Sandbox) -> Snapshot {
    snapshot_of(sb, &sb.db())
}

/// One row of the `audit` table: id, at, actor, action, item, before, after, reason.
pub type AuditRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
    Option<String>,
);

/// The audit log of a database file, every column, with the JSON parsed (so that the
/// same JSON written with its keys in another order compares equal).
pub fn audit_rows(db: &Path) -> Vec<AuditRow> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut st = c
        .prepare("SELECT id, at, actor, action, item, before, after, reason FROM audit ORDER BY id")
        .unwrap();
    let json = |s: Option<String>| s.map(|s| serde_json::from_str::<serde_json::Value>(&s).unwrap());
    st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            json(r.get(5)?),
            json(r.get(6)?),
            r.get(7)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}
