//! Issue 4: every write is refused to a role that may not make it, with a clear
//! message, and changes nothing — not the records, not the review states, not the
//! users or tokens, not even the audit log.
mod common;
mod curation_support;
use common::Sandbox;
use curation_support::{fixture, snapshot};
use serde_json::Value;

/// Ids of the candidate events of `type`, in store order (document A's first).
fn events_of(sb: &Sandbox, event_type: &str) -> Vec<String> {
    let queue: Value =
        serde_json::from_str(&sb.keruen(&["--json", "review", "list", "--type", event_type]).ok().stdout)
            .unwrap();
    queue.as_array().unwrap().iter().map(|i| i["event"]["id"].as_str().unwrap().to_string()).collect()
}

/// Two documents ingested; a merged pair; a reviewed event; an editor, a viewer and
/// a token: something for every write to change.
fn curated() -> (Sandbox, Vec<(&'static str, Vec<String>)>) {
    let sb = Sandbox::new();
    sb.keruen(&[
        "ingest",
        fixture("chronicle-a.txt").to_str().unwrap(),
        fixture("review-b.txt").to_str().unwrap(),
    ])
    .ok();
    let culture = events_of(&sb, "culture_days");
    let festivals = events_of(&sb, "festival");
    let performances = events_of(&sb, "performance");
    assert_eq!((culture.len(), festivals.len(), performances.len()), (2, 2, 2));
    sb.keruen(&["merge", &festivals[0], &festivals[1]]).ok();
    sb.keruen(&["review", "accept", &performances[0]]).ok();
    sb.keruen(&["users", "add", "madina", "--role", "editor", "--no-password"]).ok();
    sb.keruen(&["users", "add", "student", "--role", "viewer", "--no-password"]).ok();
    sb.keruen(&["tokens", "create", "--user", "madina", "--label", "laptop"]).ok();
    let tokens: Value = serde_json::from_str(&sb.keruen(&["--json", "tokens", "list"]).ok().stdout).unwrap();
    let token = tokens[0]["id"].as_str().unwrap().to_string();
    let third = sb.write(
        "third.txt",
        "The Days of Culture of Tajikistan in Uzbekistan were held in Tashkent in May 2015.\n",
    );
    let jsonl = sb.write(
        "more.jsonl",
        r#"{"record":"source","id":"src-more","type":"book","title":"More","issued":"2010"}
{"record":"event","id":"ev-more","type":"festival","date":"2010","participants":[{"entity":"KZ","role":"host"}],"evidence":[{"source":"src-more","asserted_by":"user:x"}]}
"#,
    );
    let s = |v: &str| v.to_string();
    let (a, b) = (culture[0].clone(), culture[1].clone());
    let ops: Vec<(&str, Vec<String>)> = vec![
        ("accept events", vec![s("review"), s("accept"), a.clone()]),
        ("reject events", vec![s("review"), s("reject"), a.clone()]),
        ("reset reviews", vec![s("review"), s("reset"), performances[0].clone()]),
        ("edit events", vec![s("review"), s("edit"), a.clone(), s("--date"), s("2008")]),
        ("accept events", vec![s("review"), s("accept-all")]),
        ("reject events", vec![s("review"), s("reject-all"), s("--type"), s("culture_days")]),
        ("merge events", vec![s("merge"), a.clone(), b.clone()]),
        ("unmerge events", vec![s("unmerge"), festivals[1].clone()]),
        ("split events", vec![s("split"), festivals[0].clone(), s("--evidence"), s("2")]),
        ("resolve conflicts", vec![s("resolve"), festivals[0].clone(), s("--date"), s("2009")]),
        ("undo changes", vec![s("undo"), performances[0].clone()]),
        ("dismiss duplicates", vec![s("duplicates"), s("--dismiss"), a.clone(), b.clone()]),
        ("import", vec![s("import"), jsonl.to_str().unwrap().to_string()]),
        ("ingest documents", vec![s("ingest"), third.to_str().unwrap().to_string()]),
        (
            "add users",
            vec![s("users"), s("add"), s("newcomer"), s("--role"), s("viewer"), s("--no-password")],
        ),
        ("disable users", vec![s("users"), s("disable"), s("madina")]),
        ("create tokens", vec![s("tokens"), s("create"), s("--user"), s("madina")]),
        ("revoke tokens", vec![s("tokens"), s("revoke"), token]),
    ];
    (sb, ops)
}

#[test]
fn a_viewer_is_refused_every_write_and_nothing_changes() {
    let (template, ops) = curated();
    // Each write on a copy of its own, so that the admin's write afterwards finds the
    // state it needs.
    std::thread::scope(|scope| {
        for chunk in ops.chunks(6) {
            let template = &template;
            scope.spawn(move || {
                for (action, args) in chunk {
                    let sb = Sandbox::new();
                    std::fs::copy(template.db(), sb.db()).unwrap();
                    let before = snapshot(&sb);
                    let mut argv = vec!["--as", "student"];
                    argv.extend(args.iter().map(String::as_str));
                    let run = sb.keruen(&argv).fails_with(1, &format!("user:student may not {action}"));
                    assert!(run.stderr.contains("the viewer role may"), "{argv:?}: {}", run.stderr);
                    assert!(snapshot(&sb) == before, "{argv:?} changed the database");
                    // The same write by the local admin does change it: the refusal was
                    // the role check at work, not a write that would have failed anyway.
                    sb.keruen(&argv[2..]).ok();
                    assert!(snapshot(&sb).audit > before.audit, "{argv:?} by the admin appended nothing");
                }
            });
        }
    });
}

#[test]
fn an_editor_curates_but_does_not_manage_users_or_tokens() {
    let (sb, ops) = curated();
    let before = snapshot(&sb);
    for (action, args) in ops.iter().filter(|(a, _)| a.contains("users") || a.contains("tokens")) {
        let mut argv = vec!["--as", "madina"];
        argv.extend(args.iter().map(String::as_str));
        sb.keruen(&argv).fails_with(1, &format!("user:madina may not {action}: the editor role"));
        assert!(snapshot(&sb) == before, "{argv:?} changed the database");
    }
    // An editor's curation is recorded under the editor's name.
    let (_, accept) = &ops[0];
    let mut argv = vec!["--as", "madina"];
    argv.extend(accept.iter().map(String::as_str));
    sb.keruen(&argv).ok();
    let history = sb.keruen(&["history", &accept[2]]).ok().stdout;
    assert!(history.contains("user:madina review"), "{history}");
}

#[test]
fn an_unknown_or_disabled_user_cannot_act() {
    let (sb, _) = curated();
    let a = events_of(&sb, "culture_days").remove(0);
    sb.keruen(&["--as", "nobody", "review", "accept", &a]).fails_with(1, "--as nobody: no such user");
    sb.keruen(&["users", "disable", "madina"]).ok();
    sb.keruen(&["--as", "madina", "review", "accept", &a]).fails_with(1, "--as madina: the user is disabled");
    // Reading needs no role at all.
    sb.keruen(&["--as", "student", "show", &a]).ok();
    sb.keruen(&["--as", "student", "review", "list"]).ok();
}
