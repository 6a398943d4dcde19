//! Issue 4, "Done when": two documents report the same events, one with another date
//! for one of them. The duplicate is proposed; merging keeps both pieces of
//! evidence; a curator resolves the conflict; undoing the merge restores the previous
//! state; the audit log replays into an empty database to the same state.
mod common;
mod curation_support;
use common::Sandbox;
use curation_support::{audit_rows, fixture, keruen_at, snapshot};
use serde_json::Value;

/// The candidate event of `type` ingested from the document whose file name is
/// `file`.
fn event_of(sb: &Sandbox, file: &str, event_type: &str) -> String {
    let queue: Value =
        serde_json::from_str(&sb.keruen(&["--json", "review", "list", "--type", event_type]).ok().stdout)
            .unwrap();
    let items = queue.as_array().unwrap();
    for item in items {
        let shown: Value = serde_json::from_str(
            &sb.keruen(&["--json", "show", item["source"].as_str().unwrap()]).ok().stdout,
        )
        .unwrap();
        if shown["file_name"] == file {
            return item["event"]["id"].as_str().unwrap().to_string();
        }
    }
    panic!("no {event_type} from {file} among {items:?}");
}

#[test]
fn duplicate_merge_conflict_resolution_undo_and_replay() {
    let sb = Sandbox::new();
    sb.keruen(&[
        "ingest",
        fixture("chronicle-a.txt").to_str().unwrap(),
        fixture("review-b.txt").to_str().unwrap(),
    ])
    .ok();
    // A curator who is not the local admin resolves the conflict.
    sb.keruen(&["users", "add", "madina", "--role", "editor", "--no-password"]).ok();
    let a = event_of(&sb, "chronicle-a.txt", "culture_days");
    let b = event_of(&sb, "review-b.txt", "culture_days");

    // 1. The duplicate is proposed, with the differing dates among the reasons.
    let proposals: Value = serde_json::from_str(&sb.keruen(&["--json", "duplicates"]).ok().stdout).unwrap();
    let pair = proposals
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"]["id"] == a.as_str() && p["b"]["id"] == b.as_str())
        .unwrap_or_else(|| panic!("{a} and {b} are not proposed: {proposals:#}"));
    let reasons: Vec<&str> =
        pair["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(reasons.contains(&"dates 3 days apart: 2007-10-12 and 2007-10-15"), "{reasons:?}");
    assert!(pair["score"].as_f64().unwrap() >= 0.6, "{pair}");

    let before_merge = snapshot(&sb);

    // 2. Merging keeps both pieces of evidence on A; B is hidden.
    sb.keruen(&["merge", &a, &b, "--reason", "the same Days of Culture"]).ok();
    let merged: Value = serde_json::from_str(&sb.keruen(&["--json", "show", &a]).ok().stdout).unwrap();
    let evidence = merged["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 2, "{merged:#}");
    let quotes: Vec<&str> = evidence.iter().map(|e| e["quote"].as_str().unwrap()).collect();
    assert!(quotes[0].contains("12 October 2007") && quotes[1].contains("15 October 2007"), "{quotes:?}");
    assert_ne!(evidence[0]["source"], evidence[1]["source"]);
    let export = sb.keruen(&["export"]).ok().stdout;
    assert!(!export.contains(&format!("\"id\":\"{b}\"")), "a merged event is hidden from the export");
    assert!(sb.keruen(&["show", &b]).ok().stdout.contains(&format!("merged into {a}")));

    // 3. The conflict shows both dates with their evidence; a curator resolves it.
    let c: Value = serde_json::from_str(&sb.keruen(&["--json", "conflicts", &a]).ok().stdout).unwrap();
    let date = c["fields"].as_array().unwrap().iter().find(|f| f["field"] == "date").unwrap().clone();
    assert_eq!(date["disputed"], true);
    assert_eq!(date["chosen"], "2007-10-12");
    assert_eq!(date["chosen_by"], Value::Null);
    let values: Vec<(&str, usize)> = date["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["value"].as_str().unwrap(), v["evidence"][0]["evidence"].as_u64().unwrap() as usize))
        .collect();
    assert_eq!(values, vec![("2007-10-12", 1), ("2007-10-15", 2)]);

    sb.keruen(&[
        "--as",
        "madina",
        "resolve",
        &a,
        "--use-evidence",
        "2",
        "--field",
        "date",
        "--reason",
        "programme",
    ])
    .ok();
    let c: Value = serde_json::from_str(&sb.keruen(&["--json", "conflicts", &a]).ok().stdout).unwrap();
    let date = c["fields"].as_array().unwrap().iter().find(|f| f["field"] == "date").unwrap().clone();
    assert_eq!(date["chosen"], "2007-10-15");
    assert_eq!(date["chosen_by"], "user:madina");
    assert_eq!(date["values"].as_array().unwrap().len(), 2, "the losing value stays with its evidence");
    let shown: Value = serde_json::from_str(&sb.keruen(&["--json", "show", &a]).ok().stdout).unwrap();
    assert_eq!(shown["date"], "2007-10-15");
    assert_eq!(shown["evidence"].as_array().unwrap().len(), 2, "nothing is overwritten");
    let history = sb.keruen(&["history", &a]).ok().stdout;
    assert!(history.contains("user:madina resolve"), "{history}");
    assert!(history.contains("date: 2007-10-12 → 2007-10-15"), "{history}");

    // 4. Undo the merge: everything is as before it, B included.
    sb.keruen(&["unmerge", &b]).ok();
    let after_unmerge = snapshot(&sb);
    assert!(after_unmerge.state() == before_merge.state(), "unmerge restores the state before the merge");
    // merge and unmerge each write one entry per event, resolve one.
    assert_eq!(after_unmerge.audit, before_merge.audit + 5, "merge, resolve and unmerge are in the log");
    let history = sb.keruen(&["history", &b]).ok().stdout;
    for action in ["create", "merged", "unmerge"] {
        assert!(history.contains(&format!("user:admin {action} {b}")), "{action}: {history}");
    }

    // 5. Merge again (undo of the unmerge is refused: it says to merge again), accept,
    // then replay the whole log into an empty database.
    sb.keruen(&["undo", &b]).fails_with(1, "merge the two events again");
    sb.keruen(&["merge", &a, &b]).ok();
    sb.keruen(&["--as", "madina", "resolve", &a, "--date", "2007-10-15"]).ok();
    sb.keruen(&["review", "accept", &a]).ok();
    sb.keruen(&["review", "reject", &event_of(&sb, "review-b.txt", "exhibition")]).ok();
    let replayed = sb.path("replayed.db");
    keruen_at(&sb, &replayed, &["replay", "--from", sb.db().to_str().unwrap()]).ok();
    let original = snapshot(&sb);
    let copy = curation_support::snapshot_of(&sb, &replayed);
    assert!(copy == original, "the replayed database exports the same records and review states");
    assert_eq!(audit_rows(&replayed), audit_rows(&sb.db()), "and holds the same audit log");
    // What the export does not show is the same too: the merge and who chose the date.
    for id in [&a, &b] {
        let state = |db: &std::path::Path| keruen_at(&sb, db, &["--json", "conflicts", id]).ok().stdout;
        assert_eq!(state(&replayed), state(&sb.db()), "{id}");
        let shown = |db: &std::path::Path| keruen_at(&sb, db, &["show", id]).ok().stdout;
        assert_eq!(shown(&replayed), shown(&sb.db()), "{id}");
    }
    // A replay target must be empty.
    keruen_at(&sb, &replayed, &["replay", "--from", sb.db().to_str().unwrap()])
        .fails_with(1, "needs an empty database");
}
