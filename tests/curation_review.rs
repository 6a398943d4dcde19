//! Issue 4: the review queue from the terminal, and the promise that search, analysis
//! and the derived exports use accepted facts unless asked to include candidates.
mod common;
mod curation_support;
use common::Sandbox;
use curation_support::fixture;
use serde_json::Value;

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    let mut argv = vec!["--json"];
    argv.extend(args);
    serde_json::from_str(&sb.keruen(&argv).ok().stdout).unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|i| i["event"]["id"].as_str().unwrap().to_string()).collect()
}

fn ingested() -> (Sandbox, String, String) {
    let sb = Sandbox::new();
    let a = fixture("chronicle-a.txt");
    let b = fixture("review-b.txt");
    sb.keruen(&["ingest", a.to_str().unwrap(), b.to_str().unwrap()]).ok();
    let sources: Vec<String> = {
        let all = json(&sb, &["review", "list"]);
        let mut v: Vec<String> =
            all.as_array().unwrap().iter().map(|i| i["source"].as_str().unwrap().to_string()).collect();
        v.dedup();
        v
    };
    assert_eq!(sources.len(), 2, "{sources:?}");
    (sb, sources[0].clone(), sources[1].clone())
}

#[test]
fn the_queue_filters_and_reviews_by_id_filter_and_edit() {
    let (sb, src_a, src_b) = ingested();
    let all = json(&sb, &["review", "list"]);
    let n = all.as_array().unwrap().len();
    assert!(n >= 6, "{all:#}");
    let first = &all[0];
    assert!(first["quote"].as_str().unwrap().contains("Days of Culture"), "{first}");
    assert!(first["start"].as_u64().is_some() && first["end"].as_u64().is_some(), "{first}");
    assert_eq!(first["event"]["review"], "candidate");

    // Filters.
    let from_b = json(&sb, &["review", "list", "--source", &src_b]);
    assert!(from_b.as_array().unwrap().iter().all(|i| i["source"] == src_b.as_str()));
    assert!(!from_b.as_array().unwrap().is_empty());
    let festivals = json(&sb, &["review", "list", "--type", "festival"]);
    assert_eq!(festivals.as_array().unwrap().len(), 2);
    let confident = json(&sb, &["review", "list", "--min-confidence", "0.95"]);
    assert!(confident.as_array().unwrap().iter().all(|i| i["confidence"].as_f64().unwrap() >= 0.95));
    assert!(confident.as_array().unwrap().len() < n);
    sb.keruen(&["review", "list", "--min-confidence", "2"]).fails_with(1, "outside 0…1");
    sb.keruen(&["review", "list", "--type", "party"]).fails_with(1, "--type");
    // Pages.
    let page = sb.keruen(&["review", "list", "--limit", "2"]).ok().stdout;
    let more = page.lines().find(|l| l.starts_with("more: ")).unwrap_or_else(|| panic!("{page}"));
    let cursor = more.rsplit(' ').next().unwrap();
    let rest = json(&sb, &["review", "list", "--after", cursor]);
    assert_eq!(rest.as_array().unwrap().len(), n - 2);

    // Accept by id, reject by id, bulk accept by filter.
    let culture = ids(&json(&sb, &["review", "list", "--type", "culture_days"]));
    sb.keruen(&["review", "accept", &culture[0], "--reason", "checked"]).ok();
    sb.keruen(&["review", "reject", &culture[1]]).ok();
    let dry = json(&sb, &["review", "accept-all", "--source", &src_a, "--dry-run"]);
    let would = dry["changed"].as_u64().unwrap();
    assert!(would >= 3, "{dry}");
    assert_eq!(json(&sb, &["review", "list", "--source", &src_a]).as_array().unwrap().len() as u64, would);
    let done = json(&sb, &["review", "accept-all", "--source", &src_a]);
    assert_eq!(done["changed"].as_u64().unwrap(), would);
    assert!(json(&sb, &["review", "list", "--source", &src_a]).as_array().unwrap().is_empty());
    let shown = json(&sb, &["show", &culture[0]]);
    assert_eq!(shown["review"], "accepted");
    assert_eq!(shown["evidence"][0]["status"], "accepted");
    assert_eq!(json(&sb, &["show", &culture[1]])["evidence"][0]["status"], "rejected");
    sb.keruen(&["review", "accept", "no-such-event"]).fails_with(1, "no event with id `no-such-event`");

    // Edit: the corrected values, recorded as chosen by the editor.
    sb.keruen(&[
        "review",
        "edit",
        &culture[0],
        "--date",
        "2007-10-12/2007-10-15",
        "--country",
        "KZ:host",
        "--country",
        "UZ:guest",
    ])
    .ok();
    let edited = json(&sb, &["show", &culture[0]]);
    assert_eq!(edited["date"], "2007-10-12/2007-10-15");
    assert_eq!(
        edited["participants"],
        serde_json::json!([{"entity":"KZ","role":"host"},{"entity":"UZ","role":"guest"}])
    );
    let shown = sb.keruen(&["show", &culture[0]]).ok().stdout;
    assert!(shown.contains("date chosen by user:admin"), "{shown}");
    let history = sb.keruen(&["history", &culture[0]]).ok().stdout;
    assert!(history.contains("date: 2007-10-12 → 2007-10-12/2007-10-15"), "{history}");
    assert!(history.contains("review: candidate → accepted"), "{history}");
    sb.keruen(&["review", "edit", &culture[0]]).fails_with(1, "nothing to change");
    sb.keruen(&["review", "edit", &culture[0], "--country", "XQ"]).fails_with(1, "XQ");
    sb.keruen(&["review", "edit", &culture[0], "--date", "2007-13"]).fails_with(1, "--date");
}

#[test]
fn search_analysis_and_derived_exports_use_accepted_facts_unless_widened() {
    let (sb, _, _) = ingested();
    let festivals = ids(&json(&sb, &["review", "list", "--type", "festival"]));
    let count = |args: &[&str]| json(&sb, args)["total"].as_u64().unwrap();
    assert_eq!(count(&["search", "festival"]), 0);
    assert_eq!(count(&["search", "festival", "--include-candidates"]), 2);
    let series = |args: &[&str]| {
        let v = json(&sb, args);
        v["rows"].as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum::<u64>()
    };
    assert_eq!(series(&["stats", "series"]), 0);
    let widened = series(&["stats", "series", "--include-candidates"]);
    assert!(widened > 0);
    let gexf = |args: &[&str]| {
        let mut argv = vec!["export", "--format", "gexf"];
        argv.extend(args);
        sb.keruen(&argv).ok().stdout.matches("<node ").count()
    };
    assert_eq!(gexf(&[]), 0);
    assert!(gexf(&["--include-candidates"]) >= 3);

    sb.keruen(&["review", "accept", &festivals[0]]).ok();
    assert_eq!(count(&["search", "festival"]), 1);
    assert_eq!(series(&["stats", "series"]), 3, "one festival of KG, KZ and UZ");
    assert_eq!(gexf(&[]), 3);
    // The lossless export holds every event with its review status.
    let export = sb.keruen(&["export"]).ok().stdout;
    assert!(export.contains(r#""review":"candidate""#) && export.contains(r#""review":"accepted""#));
}
