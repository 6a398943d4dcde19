//! The core store on small hand-made data: idempotent writes, search with folding
//! across scripts, facets, pagination and ties, the audit log, the page reads.
use super::{Db, Factory};
use keruen_model::{
    Coordinates, Entity, EntityKind, Event, EventType, Evidence, Name, NameForm, Participant, Record,
    RecordLine, ReviewStatus, Role, Source,
};
use keruen_store::{Actor, ImportOptions, IngestBundle, SearchQuery, Store, StoreError};

fn country(code: &str, en: &str, ru: &str) -> Entity {
    Entity {
        id: code.into(),
        kind: EntityKind::Country,
        names: vec![Name::new(en, "en").preferred(), Name::new(ru, "ru").preferred()],
        iso: Some(code.into()),
        wikidata: None,
        country: None,
        coordinates: None,
        dates: None,
        description: None,
    }
}

fn khujand() -> Entity {
    Entity {
        id: "place:khujand".into(),
        kind: EntityKind::Place,
        names: vec![
            Name::new("Khujand", "en").preferred(),
            Name::new("Leninabad", "en").with_form(NameForm::Former),
            Name::new("Худжанд", "ru").preferred(),
            Name::new("Ходжент", "ru").with_form(NameForm::Former),
        ],
        iso: None,
        wikidata: None,
        country: Some("TJ".into()),
        coordinates: Some(Coordinates { lat: 40.28, lon: 69.62 }),
        dates: None,
        description: None,
    }
}

/// A fresh database with four entities of reference data.
fn seeded(f: &Factory) -> Option<Box<dyn Db>> {
    let db = f()?;
    db.store()
        .seed_gazetteer(&[
            country("KZ", "Kazakhstan", "Казахстан"),
            country("TJ", "Tajikistan", "Таджикистан"),
            country("UZ", "Uzbekistan", "Узбекистан"),
            khujand(),
        ])
        .unwrap();
    Some(db)
}

fn ev(
    id: &str,
    t: EventType,
    date: &str,
    countries: &[&str],
    places: &[&str],
    review: ReviewStatus,
) -> Event {
    let mut e = Event::new(id, t, Some(date.parse().unwrap()));
    e.title = Some(format!("{t} number {id}"));
    e.participants = countries.iter().map(|c| Participant::new(*c, Role::Participant)).collect();
    e.places = places.iter().map(|p| p.to_string()).collect();
    e.review = review;
    let mut evidence = Evidence::new("src-a", "user:test");
    evidence.page = Some("3".into());
    e.evidence = vec![evidence];
    e
}

fn source() -> Source {
    let mut s = Source::from_text("A chronicle", "");
    s.text = None;
    s.id = "src-a".into();
    s.sha256 = String::new();
    s
}

fn import(store: &dyn Store, records: Vec<Record>) -> keruen_store::Result<keruen_store::ImportReport> {
    let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    store.import(&mut lines, &ImportOptions::default(), &mut |_| {})
}

fn sample(store: &dyn Store) {
    import(
        store,
        vec![
            Record::Source(source()),
            Record::Event(ev(
                "e1",
                EventType::Festival,
                "1995-05",
                &["KZ", "TJ"],
                &["place:khujand"],
                ReviewStatus::Accepted,
            )),
            Record::Event(ev(
                "e2",
                EventType::Conference,
                "2001-10-02",
                &["KZ", "UZ"],
                &[],
                ReviewStatus::Accepted,
            )),
            Record::Event(ev("e3", EventType::Festival, "2010", &["UZ"], &[], ReviewStatus::Candidate)),
            Record::Event(ev(
                "e4",
                EventType::Festival,
                "1992/..",
                &["TJ"],
                &["place:khujand"],
                ReviewStatus::Accepted,
            )),
        ],
    )
    .unwrap();
}

pub fn events_read_back_exactly_as_written(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let e = store.event("e1").unwrap().unwrap();
    assert_eq!(
        e,
        ev("e1", EventType::Festival, "1995-05", &["KZ", "TJ"], &["place:khujand"], ReviewStatus::Accepted)
    );
    assert!(store.event("nope").unwrap().is_none());

    // Roles, places and evidence keep their order and every field.
    let mut full =
        ev("e9", EventType::Agreement, "2004-06-17", &["UZ", "KZ", "TJ"], &[], ReviewStatus::Candidate);
    full.participants[0].role = Role::Host;
    full.participants[2].role = Role::Signatory;
    full.places = vec!["TJ".into(), "place:khujand".into()];
    let mut second = Evidence::new("src-a", "keruen-extract/1.0");
    second.start = Some(120);
    second.end = Some(187);
    second.quote = Some("«signed» in \"Khujand\"\n".into());
    second.confidence = 0.625;
    second.claim = Some(keruen_model::Claim {
        date: Some("2004-06".parse().unwrap()),
        countries: vec!["UZ".into()],
        ..Default::default()
    });
    full.evidence.push(second);
    import(store, vec![Record::Event(full.clone())]).unwrap();
    assert_eq!(store.event("e9").unwrap().unwrap(), full);

    // With its names and sources: each once, by key, whichever way the backend reads them.
    let named = store.named_event("e9").unwrap().unwrap();
    assert_eq!(named.event, full);
    let keys: Vec<&str> = named.names.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(keys, ["KZ", "TJ", "UZ", "place:khujand"]);
    assert_eq!(named.names, store.names(&full.referred_keys().0).unwrap());
    assert_eq!(named.sources, store.source_hits(&["src-a".into()]).unwrap());
    assert!(store.named_event("nope").unwrap().is_none());
}

pub fn names_and_source_hits_follow_the_keys_asked_for(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let keys: Vec<String> = ["UZ", "nope", "place:khujand", "UZ"].iter().map(|k| k.to_string()).collect();
    let names: Vec<(String, String, String)> =
        store.names(&keys).unwrap().into_iter().map(|n| (n.id, n.name_en, n.name_ru)).collect();
    let expected = [
        ("UZ", "Uzbekistan", "Узбекистан"),
        ("place:khujand", "Khujand", "Худжанд"),
        ("UZ", "Uzbekistan", "Узбекистан"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(names, expected);
    assert!(store.names(&[]).unwrap().is_empty());
    let hits = store.source_hits(&["nope".into(), "src-a".into()]).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].id.as_str(), hits[0].title.as_str()), ("src-a", "A chronicle"));
    assert!(store.entity_events("nope", true, None, 10).unwrap().items.is_empty());
}

pub fn importing_twice_adds_nothing_and_a_changed_record_is_refused(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let before = store.stats().unwrap();
    let report = import(
        store,
        vec![
            Record::Source(source()),
            Record::Event(ev(
                "e1",
                EventType::Festival,
                "1995-05",
                &["KZ", "TJ"],
                &["place:khujand"],
                ReviewStatus::Accepted,
            )),
        ],
    )
    .unwrap();
    assert_eq!((report.events, report.sources, report.unchanged), (0, 0, 2));
    assert_eq!(store.stats().unwrap(), before);
    let changed = ev("e1", EventType::Festival, "1996", &["KZ"], &[], ReviewStatus::Accepted);
    let err = import(store, vec![Record::Event(changed)]).unwrap_err();
    assert!(matches!(err, StoreError::Invalid { line: 1, .. }), "{err}");
    assert_eq!(store.stats().unwrap(), before);
}

/// An import of several batches (10,000 records each on PostgreSQL, whose next
/// batch is checked while the last is still being copied): a record repeating one
/// of the previous batch is judged against it — identical is unchanged, changed is
/// refused with its line — a source repeated under another key is the same source,
/// and the writes after the import draw fresh row ids.
pub fn later_batches_of_one_import_see_the_earlier_ones(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let text_source = |key: &str| {
        let mut s = Source::from_text("A long chronicle", "The chronicle's text.");
        s.id = key.into();
        s
    };
    let big = |i: usize, title: &str| {
        let mut e =
            ev(&format!("big-{i:05}"), EventType::Festival, "2001", &["KZ"], &[], ReviewStatus::Accepted);
        e.title = Some(title.into());
        e
    };
    // Titles of the repeats of big-09999 (just after it) and of big-00005 (at the end,
    // two batches later).
    let records = |repeat_title: &str, late_repeat_title: &str| {
        let mut out = vec![Record::Source(source()), Record::Source(text_source("src-long"))];
        for i in 0..10_000 {
            out.push(Record::Event(big(i, &format!("Festival {i}"))));
        }
        // The second batch: a repeat of the first batch's last event, the long source
        // under a second key, and an event citing that key.
        out.push(Record::Event(big(9_999, repeat_title)));
        out.push(Record::Source(text_source("src-long-again")));
        let mut cites = big(10_000, "Festival 10000");
        cites.evidence = vec![Evidence::new("src-long-again", "user:test")];
        out.push(Record::Event(cites));
        for i in 10_001..22_500 {
            out.push(Record::Event(big(i, &format!("Festival {i}"))));
        }
        // The third batch: a repeat of an event of the first, stored by now.
        out.push(Record::Event(big(5, late_repeat_title)));
        out
    };
    let import_bulk = |records: Vec<Record>| {
        let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
            line: i + 1,
            record: Ok(r),
            raw: String::new(),
        });
        store.import(&mut lines, &ImportOptions { bulk: true, ..ImportOptions::default() }, &mut |_| {})
    };
    let before = store.stats().unwrap();
    for (titles, (key, at)) in [
        (("Changed", "Festival 5"), ("big-09999", 10_003)),
        (("Festival 9999", "Changed"), ("big-00005", 22_505)),
    ] {
        match import_bulk(records(titles.0, titles.1)) {
            Err(StoreError::Invalid { line, message }) => {
                assert_eq!(line, at);
                assert!(message.contains(key) && message.contains("different content"), "{message}");
            }
            other => panic!("a changed repeat of {key} must be refused: {other:?}"),
        }
        assert_eq!(store.stats().unwrap(), before, "nothing of the refused import stays");
    }

    let report = import_bulk(records("Festival 9999", "Festival 5")).unwrap();
    assert_eq!((report.events, report.sources, report.unchanged), (22_500, 2, 3));
    assert_eq!(store.event("big-00005").unwrap().unwrap().title.as_deref(), Some("Festival 5"));
    let cited = store.event("big-10000").unwrap().unwrap();
    assert_eq!(cited.evidence[0].source, "src-long", "the second key names the stored source");
    assert_eq!(store.event("big-09999").unwrap().unwrap().title.as_deref(), Some("Festival 9999"));

    // Writes after the import get row ids past the imported ones: a review appends to
    // the audit log, an import adds an event with its evidence.
    store.review(&Actor::local_admin(), &["big-22499".into()], ReviewStatus::Rejected, None).unwrap();
    import(store, vec![Record::Event(big(22_500, "One more"))]).unwrap();
    let history = store.history("big-22499").unwrap();
    assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["create", "review"]);
    assert_eq!(store.stats().unwrap().events, before.events + 22_501);
    let ids = db.rows("SELECT CAST(count(*) AS TEXT), CAST(count(DISTINCT id) AS TEXT) FROM evidence");
    assert_eq!(ids[0][0], ids[0][1]);
}

pub fn a_failed_import_writes_nothing(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let before = store.stats().unwrap();
    let err = import(
        store,
        vec![
            Record::Source(source()),
            Record::Event(ev("e1", EventType::Festival, "1995", &["KZ"], &[], ReviewStatus::Accepted)),
            Record::Event(ev("e2", EventType::Festival, "1995", &["XX"], &[], ReviewStatus::Accepted)),
        ],
    )
    .unwrap_err();
    assert!(err.to_string().contains("line 3: unknown country code `XX`"), "{err}");
    assert_eq!(store.stats().unwrap(), before);
}

pub fn search_finds_places_by_any_of_their_names_in_any_script(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    for text in ["Khujand", "Ходжент", "Leninabad", "ХУДЖАНД", "Худжанде"] {
        let r = store.search(&SearchQuery { text: Some(text.into()), ..Default::default() }).unwrap();
        let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["e4", "e1"], "{text}");
        assert_eq!(r.entities[0].id, "place:khujand", "{text}");
    }
    let r = store
        .search(&SearchQuery { text: Some("Казахстан conference".into()), ..Default::default() })
        .unwrap();
    assert_eq!(r.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), vec!["e2"]);
    assert_eq!(r.words, vec!["conference"]);
}

pub fn candidates_are_hidden_unless_asked_for(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let q = SearchQuery { types: vec![EventType::Festival], ..Default::default() };
    assert_eq!(store.search(&q).unwrap().total, 2);
    let q = SearchQuery { include_candidates: true, ..q };
    assert_eq!(store.search(&q).unwrap().total, 3);
}

pub fn date_filters_use_the_day_ranges_and_open_ends(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let q = |from: &str, to: &str| SearchQuery {
        from: Some(from.parse().unwrap()),
        to: Some(to.parse().unwrap()),
        ..Default::default()
    };
    let ids = |q: SearchQuery| store.search(&q).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids(q("1995-05-31", "1995-06")), vec!["e4", "e1"]);
    assert_eq!(ids(q("2001-10-03", "2005")), vec!["e4"]);
    assert_eq!(ids(q("1980", "1991")), Vec::<String>::new());
}

pub fn facets_count_all_matches_and_pages_follow_the_cursor(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let q = SearchQuery { facets: true, limit: Some(1), ..Default::default() };
    let page1 = store.search(&q).unwrap();
    assert_eq!(page1.total, 3);
    assert_eq!(page1.hits.len(), 1);
    let f = page1.facets.unwrap();
    assert_eq!(f.types[0].value, "festival");
    assert_eq!(f.types[0].count, 2);
    let kz = f.countries.iter().find(|c| c.value == "KZ").unwrap();
    assert_eq!(kz.count, 2);
    let mut seen = vec![page1.hits[0].id.clone()];
    let mut cursor = page1.next;
    while let Some(c) = cursor {
        let page = store.search(&SearchQuery { cursor: Some(c), ..q.clone() }).unwrap();
        seen.extend(page.hits.iter().map(|h| h.id.clone()));
        cursor = page.next;
    }
    assert_eq!(seen, vec!["e4", "e1", "e2"]);
    let bad = store.search(&SearchQuery { cursor: Some("x".into()), ..q });
    assert!(bad.is_err());
}

pub fn search_text_with_query_syntax_is_just_text(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    for text in ["\"", "*", "NEAR(", "'; DROP TABLE events; --", "festival OR", "AND AND"] {
        let r = store.search(&SearchQuery { text: Some(text.into()), ..Default::default() });
        assert!(r.is_ok(), "{text}: {r:?}");
    }
    assert_eq!(store.stats().unwrap().events, 4);
}

pub fn ingest_is_idempotent_by_text_hash(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let source = Source::from_text("Doc", "Kazakhstan and Tajikistan held a festival in Khujand in 1995.");
    let mut e =
        ev("doc-e1", EventType::Festival, "1995", &["KZ", "TJ"], &["place:khujand"], ReviewStatus::Candidate);
    e.evidence[0].source = source.id.clone();
    let bundle = IngestBundle {
        source: source.clone(),
        new_entities: vec![],
        events: vec![e],
        annotations: vec![],
        archival_refs: vec![],
        citations: vec![],
        references: vec![],
        actor: "keruen-extract@test".into(),
    };
    let first = store.ingest(&bundle).unwrap();
    assert!(first.new);
    assert_eq!(first.events, 1);
    let before = store.stats().unwrap();
    let second = store.ingest(&bundle).unwrap();
    assert!(!second.new);
    assert_eq!(second.events, 0);
    assert_eq!(store.stats().unwrap(), before);
    let hit = store.search(&SearchQuery {
        text: Some("festival Khujand".into()),
        include_candidates: true,
        ..Default::default()
    });
    assert_eq!(hit.unwrap().total, 1);
    let r = store
        .search(&SearchQuery {
            text: Some("Tajikistan festival".into()),
            include_candidates: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.sources.len(), 1);
}

pub fn the_audit_log_records_creations_and_cannot_be_rewritten(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let h = store.history("e1").unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].action, "create");
    assert_eq!(h[0].actor, "user:admin");
    assert_eq!(h[0].after.as_ref().unwrap()["type"], "festival");
    for sql in ["UPDATE audit SET actor = 'someone'", "DELETE FROM audit"] {
        let err = db.exec(sql).unwrap_err();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.history("e1").unwrap().len(), 1);
}

pub fn export_streams_sources_entities_then_events(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let mut kinds = Vec::new();
    store
        .export(&mut |r| {
            kinds.push(match r {
                Record::Source(_) => "source",
                Record::Entity(_) => "entity",
                Record::Event(_) => "event",
            });
            Ok(())
        })
        .unwrap();
    assert_eq!(kinds, vec!["source", "event", "event", "event", "event"]);
}

pub fn skip_invalid_imports_the_rest(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let mut lines = vec![
        RecordLine { line: 1, record: Ok(Record::Source(source())), raw: "s".into() },
        RecordLine { line: 2, record: Err("not JSON".into()), raw: "{".into() },
        RecordLine {
            line: 3,
            record: Ok(Record::Event(ev(
                "e1",
                EventType::Festival,
                "1995",
                &["XX"],
                &[],
                ReviewStatus::Accepted,
            ))),
            raw: "bad country".into(),
        },
        RecordLine {
            line: 4,
            record: Ok(Record::Event(ev(
                "e2",
                EventType::Festival,
                "1995",
                &["KZ"],
                &[],
                ReviewStatus::Accepted,
            ))),
            raw: "good".into(),
        },
    ]
    .into_iter();
    let mut rejected = Vec::new();
    let options = ImportOptions { skip_invalid: true, ..ImportOptions::default() };
    let report = store.import(&mut lines, &options, &mut |r| rejected.push((r.line, r.raw))).unwrap();
    assert_eq!((report.sources, report.events, report.rejected), (1, 1, 2));
    assert_eq!(rejected, vec![(2, "{".to_string()), (3, "bad country".to_string())]);
    assert!(store.event("e2").unwrap().is_some());
    assert!(store.event("e1").unwrap().is_none());
}

/// Events on the same day are listed in the order they were stored (not by key),
/// on every page; undated events come last.
pub fn equal_dates_are_ordered_by_insertion_on_every_page(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let mut records = vec![Record::Source(source())];
    for key in ["z9", "a1", "m5", "b2", "y0"] {
        records.push(Record::Event(ev(
            key,
            EventType::Exhibition,
            "2003-04-05",
            &["KZ"],
            &[],
            ReviewStatus::Accepted,
        )));
    }
    let mut undated = ev("u0", EventType::Exhibition, "2003", &["KZ"], &[], ReviewStatus::Accepted);
    undated.date = None;
    records.push(Record::Event(undated));
    records.push(Record::Event(ev(
        "c3",
        EventType::Exhibition,
        "2003-04-04",
        &["KZ"],
        &[],
        ReviewStatus::Accepted,
    )));
    import(store, records).unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.search(&SearchQuery { limit: Some(2), cursor, ..Default::default() }).unwrap();
        assert!(page.hits.len() <= 2);
        seen.extend(page.hits.into_iter().map(|h| h.id));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, vec!["c3", "z9", "a1", "m5", "b2", "y0", "u0"]);
    // The same order through the entity's page.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store.entity_events("KZ", false, cursor.as_deref(), 3).unwrap();
        seen.extend(page.items.into_iter().map(|h| h.id));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, vec!["c3", "z9", "a1", "m5", "b2", "y0", "u0"]);
}

/// Words match the beginnings of the folded words of titles, in any script; every
/// word must match.
pub fn word_search_matches_prefixes_of_folded_words(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let mut a = ev("r1", EventType::Festival, "2001", &["KZ"], &[], ReviewStatus::Accepted);
    a.title = Some("Международный фестиваль «Шарк тароналари»".into());
    let mut b = ev("r2", EventType::Conference, "2002", &["UZ"], &[], ReviewStatus::Accepted);
    b.title = Some("Conference on Turkic manuscripts".into());
    b.description = Some("Scholars of the Ferghana valley".into());
    import(store, vec![Record::Source(source()), Record::Event(a), Record::Event(b)]).unwrap();
    let ids = |text: &str| {
        let r = store.search(&SearchQuery { text: Some(text.into()), ..Default::default() }).unwrap();
        r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
    };
    assert_eq!(ids("фестиваль"), vec!["r1"]);
    assert_eq!(ids("festival"), vec!["r1"], "Latin finds Cyrillic");
    assert_eq!(ids("fest"), vec!["r1"], "a prefix");
    assert_eq!(ids("Шарк"), vec!["r1"]);
    assert_eq!(ids("manuscr ferghana"), vec!["r2"], "description words count");
    assert_eq!(ids("manuscripts festival"), Vec::<String>::new(), "every word must match");
    assert_eq!(ids("conf"), vec!["r2"]);
    assert_eq!(ids("onference"), Vec::<String>::new(), "not the middle of a word");
}

pub fn browse_lists_pages_maps_and_timelines(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    sample(store);
    let bundle = IngestBundle {
        source: Source::from_text("Doc", "A festival in Khujand; ЦГА РУз, ф. 1, оп. 2, д. 3."),
        new_entities: vec![],
        events: vec![],
        annotations: vec![keruen_model::Annotation {
            kind: keruen_model::AnnotationKind::Entity,
            start: 14,
            end: 21,
            text: "Khujand".into(),
            value: None,
            target: Some("place:khujand".into()),
        }],
        archival_refs: vec![],
        citations: vec![],
        references: vec![],
        actor: "keruen-extract@test".into(),
    };
    let doc = store.ingest(&bundle).unwrap().source;
    let page = store.sources_list(None, 1).unwrap();
    assert_eq!(page.items[0].id, "src-a");
    let page2 = store.sources_list(page.next.as_deref(), 1).unwrap();
    assert_eq!((page2.items[0].id.as_str(), page2.next.as_deref()), (doc.as_str(), None));
    let sp = store.source_page(&doc).unwrap().unwrap();
    assert_eq!(sp.annotations.len(), 1);
    assert_eq!(sp.annotations[0].target.as_deref(), Some("place:khujand"));
    assert!(store.source_page("src-nope").unwrap().is_none());
    let a = store.source_page("src-a").unwrap().unwrap();
    assert_eq!(a.events.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), vec!["e4", "e1", "e2", "e3"]);

    let places = store.entities_list(Some(EntityKind::Place), None, 10).unwrap();
    assert_eq!(places.items.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), vec!["place:khujand"]);
    let all = store.entities_list(None, None, 3).unwrap();
    assert_eq!(all.items.len(), 3);
    let rest = store.entities_list(None, all.next.as_deref(), 3).unwrap();
    assert_eq!((rest.items.len(), rest.next), (1, None));
    assert!(store.entities_list(None, Some("x"), 3).is_err());

    let events = store.entity_events("place:khujand", true, None, 10).unwrap();
    assert_eq!(events.items.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), vec!["e4", "e1"]);
    let names = store.names(&["TJ".into(), "nope".into(), "KZ".into()]).unwrap();
    assert_eq!(names.iter().map(|n| n.name("ru")).collect::<Vec<_>>(), vec!["Таджикистан", "Казахстан"]);
    let hits = store.source_hits(&[doc.clone(), "src-a".into()]).unwrap();
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), vec![doc.as_str(), "src-a"]);

    let map = store.place_counts(&SearchQuery::default()).unwrap();
    assert_eq!(map.len(), 1);
    assert_eq!((map[0].place.id.as_str(), map[0].count, map[0].lat), ("place:khujand", 2, 40.28));
    let timeline =
        store.year_type_counts(&SearchQuery { include_candidates: true, ..Default::default() }).unwrap();
    let rows: Vec<(i32, &str, u64)> =
        timeline.iter().map(|c| (c.year, c.event_type.as_str(), c.count)).collect();
    assert_eq!(
        rows,
        vec![(1992, "festival", 1), (1995, "festival", 1), (2001, "conference", 1), (2010, "festival", 1)]
    );
}
