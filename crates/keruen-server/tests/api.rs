//! Every API route answers in process, with the right data and the one error shape
//! for bad input (issue 5).
mod common;
use common::*;

#[tokio::test]
async fn search_finds_across_scripts_with_facets_and_cursor_pagination() {
    let f = shared();
    let r = get(&f.app, "/api/v1/search?q=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B&limit=3").await; // Алматы
    assert_eq!(r.status, 200, "{}", r.text);
    let j = r.json();
    let total = j["total"].as_u64().unwrap();
    assert!(total > 3, "{j}");
    assert_eq!(j["hits"].as_array().unwrap().len(), 3);
    assert_eq!(j["entities"][0]["id"], "place:almaty");
    let facets = &j["facets"];
    let by_country: u64 =
        facets["countries"].as_array().unwrap().iter().find(|f| f["value"] == "KZ").unwrap()["count"]
            .as_u64()
            .unwrap();
    assert_eq!(by_country, total, "every Almaty event involves Kazakhstan");
    // The same search in Latin script, and the next page through the cursor.
    let latin = get(&f.app, "/api/v1/search?q=Almaty&limit=3").await.json();
    assert_eq!(latin["total"], j["total"]);
    let next = j["next"].as_str().unwrap();
    let page2 = get(&f.app, &format!("/api/v1/search?q=Almaty&limit=3&cursor={next}")).await.json();
    assert_ne!(page2["hits"][0]["id"], j["hits"][0]["id"]);
    // Filters narrow; a year range and a type.
    let narrow =
        get(&f.app, "/api/v1/search?country=KZ&country=TM&type=culture_days&from=2008&to=2008").await.json();
    assert!(narrow["total"].as_u64().unwrap() >= 1, "{narrow}");
    for h in narrow["hits"].as_array().unwrap() {
        assert_eq!(h["type"], "culture_days");
    }
    // Candidates are left out unless asked for.
    let q = "/api/v1/search?q=Turkmenistan&from=2008-10-05&to=2008-10-05".to_string();
    let without = get(&f.app, &q).await.json();
    let with = get(&f.app, &format!("{q}&candidates=true")).await.json();
    assert!(with["hits"].as_array().unwrap().iter().any(|h| h["id"] == f.candidate_id.as_str()), "{with}");
    assert!(!without["hits"].as_array().unwrap().iter().any(|h| h["id"] == f.candidate_id.as_str()));
}

#[tokio::test]
async fn events_entities_sources_evidence_stats_history() {
    let f = shared();
    let e = get(&f.app, "/api/v1/events/demo-0001").await;
    assert_eq!(e.status, 200);
    let e = e.json();
    assert_eq!(e["id"], "demo-0001");
    assert!(!e["evidence"].as_array().unwrap().is_empty());
    assert!(e["participants"][0]["entity"]["name"].is_string());
    let ru = get(&f.app, "/api/v1/events/xss-event?lang=ru").await.json();
    assert_eq!(ru["participants"][0]["entity"]["name"], "Казахстан");
    let ev = get(&f.app, &format!("/api/v1/events/{}/evidence", f.candidate_id)).await.json();
    assert_eq!(ev[0]["source"]["id"], f.source_id.as_str());
    assert_eq!(ev[0]["asserted_by"], "keruen-extract@test");

    let list = get(&f.app, "/api/v1/events?country=UZ&limit=5").await.json();
    assert_eq!(list["hits"].as_array().unwrap().len(), 5);
    assert!(list["facets"].is_null(), "events lists have no facets unless asked");

    let kz = get(&f.app, "/api/v1/entities/KZ?limit=2").await.json();
    assert_eq!(kz["kind"], "country");
    assert_eq!(kz["events"]["items"].as_array().unwrap().len(), 2);
    let next = kz["events"]["next"].as_str().unwrap();
    let more = get(&f.app, &format!("/api/v1/entities/KZ?limit=2&cursor={next}")).await.json();
    assert_ne!(more["events"]["items"][0]["id"], kz["events"]["items"][0]["id"]);
    let places = get(&f.app, "/api/v1/entities?kind=place&limit=10").await.json();
    assert_eq!(places["items"].as_array().unwrap().len(), 10);
    assert!(places["items"].as_array().unwrap().iter().all(|p| p["kind"] == "place"));

    let sources = get(&f.app, "/api/v1/sources?limit=500").await.json();
    assert!(sources["items"].as_array().unwrap().iter().any(|s| s["id"] == f.source_id.as_str()));
    let s = get(&f.app, &format!("/api/v1/sources/{}", f.source_id)).await.json();
    assert_eq!(s["annotations"].as_array().unwrap().len(), 7);
    assert_eq!(s["archival_refs"][0]["fond"], "1987");
    assert_eq!(s["references"][0]["authors"][0], "Smith");
    assert_eq!(s["citations"][0]["reference"], 0);
    assert_eq!(s["events"][0]["id"], f.candidate_id.as_str());

    let stats = get(&f.app, "/api/v1/stats").await.json();
    assert!(stats["events"].as_u64().unwrap() > 100);
    let h = get(&f.app, "/api/v1/history/demo-0001").await.json();
    assert!(!h.as_array().unwrap().is_empty());
    let me = get(&f.app, "/api/v1/me").await.json();
    assert_eq!(me["role"], "viewer");
    assert!(me["name"].is_null());
}

#[tokio::test]
async fn analysis_endpoints_answer_with_data() {
    let f = shared();
    let t = get(&f.app, "/api/v1/analysis/timeline?country=KZ").await.json();
    assert!(t["total"].as_u64().unwrap() > 10, "{t}");
    assert!(t["from"].as_i64().unwrap() <= t["to"].as_i64().unwrap());
    let m = get(&f.app, "/api/v1/analysis/map").await.json();
    let almaty = m["places"].as_array().unwrap().iter().find(|p| p["place"]["id"] == "place:almaty").unwrap();
    assert!(almaty["count"].as_u64().unwrap() > 0 && almaty["lat"].as_f64().unwrap() > 40.0);
    let mx = get(&f.app, "/api/v1/analysis/matrix?from=2000&to=2024").await.json();
    assert!(mx["cells"].as_array().unwrap().iter().all(|c| c["year"].as_i64().unwrap() >= 2000));
    assert!(!mx["cells"].as_array().unwrap().is_empty());
    let net = get(&f.app, "/api/v1/analysis/network?limit=10").await.json();
    assert_eq!(net["nodes"].as_array().unwrap().len(), 10);
    assert!(!net["edges"].as_array().unwrap().is_empty());
    for n in net["nodes"].as_array().unwrap() {
        let (x, y) = (n["x"].as_f64().unwrap(), n["y"].as_f64().unwrap());
        assert!((0.0..=1000.0).contains(&x) && (0.0..=1000.0).contains(&y));
    }
    let cal = get(&f.app, "/api/v1/calendar?from=2026&to=2030&lang=ru").await.json();
    assert!(
        cal["months"].as_array().unwrap().iter().chain(cal["year_only_jubilees"].as_array().unwrap()).count()
            > 0,
        "{cal}"
    );
    assert!(cal["ics"].as_str().unwrap().starts_with("/calendar.ics?"));
}

#[tokio::test]
async fn the_calendar_feed_is_icalendar() {
    let f = shared();
    let r = get(&f.app, "/calendar.ics?from=2026&to=2030&country=KZ").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("text/calendar"));
    assert!(r.text.starts_with("BEGIN:VCALENDAR\r\n") && r.text.ends_with("END:VCALENDAR\r\n"));
    assert!(r.text.contains("BEGIN:VEVENT"), "{}", r.text);
    let only_festivals = get(&f.app, "/calendar.ics?from=2026&to=2030&type=festival").await;
    assert!(!only_festivals.text.contains("CATEGORIES:jubilee"), "type=festival leaves jubilees out");
}

/// Bad input to every route: 4xx in the one error shape, naming the field.
#[tokio::test]
async fn every_route_answers_bad_input_with_the_error_shape() {
    let f = shared();
    let cases: &[(&str, u16, Option<&str>)] = &[
        ("/api/v1/search?typo=1", 400, Some("typo")),
        ("/api/v1/search?type=party", 400, Some("type")),
        ("/api/v1/search?from=1999-13", 400, Some("from")),
        ("/api/v1/search?from=2001&to=1999", 400, Some("to")),
        ("/api/v1/search?limit=0", 400, Some("limit")),
        ("/api/v1/search?cursor=garbage", 400, Some("cursor")),
        ("/api/v1/search?country=Kazakhstan", 400, Some("country")),
        ("/api/v1/search?candidates=maybe", 400, Some("candidates")),
        ("/api/v1/search?lang=fr", 400, Some("lang")),
        ("/api/v1/events?status=over", 400, Some("status")),
        ("/api/v1/events/no-such-event", 404, None),
        ("/api/v1/events/demo-0001?x=1", 400, Some("x")),
        ("/api/v1/events/no-such-event/evidence", 404, None),
        ("/api/v1/entities?kind=planet", 400, Some("kind")),
        ("/api/v1/entities/no:such", 404, None),
        ("/api/v1/entities/KZ?cursor=x.y", 400, Some("cursor")),
        ("/api/v1/sources?cursor=abc", 400, Some("cursor")),
        ("/api/v1/sources/src-nope", 404, None),
        ("/api/v1/stats?x=1", 400, Some("x")),
        ("/api/v1/history/demo-0001?x=1", 400, Some("x")),
        ("/api/v1/analysis/timeline?sector=magic", 400, Some("sector")),
        ("/api/v1/analysis/map?limit=5", 400, Some("limit")),
        ("/api/v1/analysis/matrix?from=2020&to=2000", 400, Some("to")),
        ("/api/v1/analysis/matrix?directed=2", 400, Some("directed")),
        ("/api/v1/analysis/network?kind=star", 400, Some("kind")),
        ("/api/v1/analysis/network?limit=9999", 400, Some("limit")),
        ("/api/v1/calendar?from=2030&to=2020", 400, Some("to")),
        ("/api/v1/calendar?from=2000&to=2100", 400, Some("to")),
        ("/api/v1/calendar?country=KZ,UZ", 400, Some("country")),
        ("/calendar.ics?type=nope", 400, Some("type")),
        ("/api/v1/review", 401, None),
        ("/api/v1/me?x=1", 400, Some("x")),
        ("/api/v1/nothing-here", 404, None),
    ];
    for (uri, status, field) in cases {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status.as_u16(), *status, "{uri}: {}", r.text);
        let e = r.error();
        assert_eq!(e["field"].as_str(), *field, "{uri}: {}", r.text);
        assert!(r.header("content-type").starts_with("application/json"), "{uri}");
    }
    // Wrong method, and writes without a user or with bad bodies.
    let r =
        send(&f.app, axum::http::Request::delete("/api/v1/stats").body(axum::body::Body::empty()).unwrap())
            .await;
    assert_eq!(r.status, 405);
    r.error();
    let r = post(
        &f.app,
        "/api/v1/review",
        &[("content-type", "application/json")],
        r#"{"ids":["x"],"decision":"accepted"}"#,
    )
    .await;
    assert_eq!(r.status, 401);
    r.error();
    let auth = format!("Bearer {}", f.editor_token);
    for (body, ct, status, field) in [
        (r#"{"ids":["x"],"decision":"maybe"}"#, "application/json", 400, Some("decision")),
        (r#"{"ids":[],"decision":"accepted"}"#, "application/json", 400, Some("ids")),
        (r#"{"ids":["x"],"decision":"accepted","extra":1}"#, "application/json", 400, Some("extra")),
        (r#"{"ids":"#, "application/json", 400, Some("body")),
        (r#"ids=x"#, "application/x-www-form-urlencoded", 415, Some("Content-Type")),
    ] {
        let r = post(&f.app, "/api/v1/review", &[("content-type", ct), ("authorization", &auth)], body).await;
        assert_eq!(r.status.as_u16(), status, "{body}: {}", r.text);
        assert_eq!(r.error()["field"].as_str(), field, "{body}");
    }
    let r = post(&f.app, "/api/v1/import?skip_invalid=perhaps", &[("authorization", &auth)], "").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["field"], "skip_invalid");
}

#[tokio::test]
async fn exports_stream_the_formats() {
    let f = shared();
    let r = get(&f.app, "/api/v1/export/jsonl").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/x-ndjson"));
    assert!(r.header("content-disposition").contains("keruen.jsonl"));
    let lines: Vec<&str> = r.text.lines().collect();
    assert!(lines.len() > 200, "{}", lines.len());
    for l in &lines {
        let _: serde_json::Value = serde_json::from_str(l).unwrap();
    }
    let csv = get(&f.app, "/api/v1/export/csv?table=sources").await;
    assert!(csv.text.lines().next().unwrap().contains("title"), "{}", &csv.text[..200]);
    let bib = get(&f.app, "/api/v1/export/bibtex").await;
    assert!(bib.text.contains("@"));
    let gexf = get(&f.app, "/api/v1/export/gexf?lang=ru").await;
    assert!(gexf.text.contains("<gexf") && gexf.text.contains("Казахстан"));
    let ics = get(&f.app, "/api/v1/export/ical").await;
    assert!(ics.text.starts_with("BEGIN:VCALENDAR"));
    let bad = get(&f.app, "/api/v1/export/xlsx").await;
    assert_eq!(bad.status, 404);
    bad.error();
    let bad = get(&f.app, "/api/v1/export/csv?table=people").await;
    assert_eq!(bad.error()["field"], "table");
}
