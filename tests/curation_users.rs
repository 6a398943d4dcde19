//! Issue 4: users and tokens through the real binary. Passwords are never echoed and
//! are stored as Argon2id hashes; a token's secret is shown once and stored only as
//! its SHA-256; tokens expire and can be revoked.
mod common;
mod curation_support;
use common::Sandbox;
use curation_support::keruen_with_input;
use serde_json::Value;

const PASSWORD: &str = "steppe-horse-42";

fn db_bytes(sb: &Sandbox) -> Vec<u8> {
    // Everything SQLite holds for the file: the database and any write-ahead log.
    let mut bytes = std::fs::read(sb.db()).unwrap();
    if let Ok(wal) = std::fs::read(sb.path("keruen.db-wal")) {
        bytes.extend(wal);
    }
    bytes
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_password_is_read_from_stdin_never_echoed_and_stored_as_argon2id() {
    let sb = Sandbox::new();
    let run = keruen_with_input(
        &sb,
        &["users", "add", "aigerim", "--role", "editor", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    )
    .ok();
    assert!(run.stdout.contains("added aigerim (editor)"), "{}", run.stdout);
    assert!(!run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD));
    let c = rusqlite::Connection::open(sb.db()).unwrap();
    let hash: String =
        c.query_row("SELECT password_hash FROM users WHERE name = 'aigerim'", [], |r| r.get(0)).unwrap();
    drop(c);
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!contains(&db_bytes(&sb), PASSWORD), "the password is in the database file");
    // The history says who added whom, and never shows the hash.
    let history = sb.keruen(&["--json", "history", "user:aigerim"]).ok().stdout;
    assert!(!history.contains("$argon2id$"), "{history}");
    assert!(history.contains("[redacted]"), "{history}");

    // Refusals: a short password, a duplicate, a bad name, no terminal for a prompt.
    keruen_with_input(&sb, &["users", "add", "timur", "--role", "viewer", "--password-stdin"], "short\n")
        .fails_with(1, "at least 8 characters");
    keruen_with_input(
        &sb,
        &["users", "add", "aigerim", "--role", "viewer", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    )
    .fails_with(1, "already exists");
    sb.keruen(&["users", "add", "a b", "--role", "viewer", "--no-password"])
        .fails_with(1, "not a valid user name");
    sb.keruen(&["users", "add", "timur", "--role", "root", "--no-password"])
        .fails_with(1, "expected viewer, editor or admin");
    keruen_with_input(&sb, &["users", "add", "timur", "--role", "viewer"], "")
        .fails_with(1, "--password-stdin");

    let users: Value = serde_json::from_str(&sb.keruen(&["--json", "users", "list"]).ok().stdout).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
    assert_eq!(users[0]["role"], "editor");
    sb.keruen(&["users", "disable", "aigerim"]).ok();
    let listed = sb.keruen(&["users", "list"]).ok().stdout;
    assert!(listed.contains("aigerim") && listed.contains("disabled"), "{listed}");
}

#[test]
fn a_token_secret_is_shown_once_and_stored_hashed() {
    let sb = Sandbox::new();
    sb.keruen(&["users", "add", "rustam", "--role", "viewer", "--no-password"]).ok();
    let run = sb
        .keruen(&["tokens", "create", "--user", "rustam", "--label", "reading room", "--expires", "30d"])
        .ok();
    let secret = run.stdout.trim().to_string();
    assert!(secret.starts_with("krn_") && secret.len() == 68, "{secret}");
    assert!(run.stderr.contains("cannot show it again"), "{}", run.stderr);
    assert!(!contains(&db_bytes(&sb), &secret), "the secret is in the database file");
    let c = rusqlite::Connection::open(sb.db()).unwrap();
    let stored: String = c.query_row("SELECT hash FROM tokens", [], |r| r.get(0)).unwrap();
    drop(c);
    assert_eq!(stored.len(), 64);

    let list = sb.keruen(&["--json", "tokens", "list"]).ok().stdout;
    assert!(!list.contains(&secret) && !list.contains(&stored), "{list}");
    let tokens: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(tokens[0]["user"], "rustam");
    assert_eq!(tokens[0]["label"], "reading room");
    assert_eq!(tokens[0]["revoked"], false);
    assert!(tokens[0]["expires_at"].as_str().unwrap() > "2026", "{list}");
    let id = tokens[0]["id"].as_str().unwrap().to_string();

    sb.keruen(&["tokens", "revoke", &id]).ok();
    let tokens: Value =
        serde_json::from_str(&sb.keruen(&["--json", "tokens", "list", "--user", "rustam"]).ok().stdout)
            .unwrap();
    assert_eq!(tokens[0]["revoked"], true);
    sb.keruen(&["tokens", "revoke", "tok-000000000000"]).fails_with(1, "no token with id");
    sb.keruen(&["tokens", "create", "--user", "nobody"]).fails_with(1, "no user with id `nobody`");
    sb.keruen(&["tokens", "create", "--user", "rustam", "--expires", "2001-01-01"])
        .fails_with(1, "in the past");
    sb.keruen(&["tokens", "create", "--user", "rustam", "--expires", "soon"])
        .fails_with(1, "--expires `soon`");
    let history = sb.keruen(&["history", &format!("token:{id}")]).ok().stdout;
    assert!(history.contains("token.create") && history.contains("token.revoke"), "{history}");
}
