//! The SQLite store on small hand-made data: idempotent writes, search with folding
//! across scripts, facets, pagination, the audit log.
use keruen_model::{
    Coordinates, Entity, EntityKind, Event, EventType, Evidence, Name, NameForm, Participant, Record,
    RecordLine, ReviewStatus, Role, Source,
};
use keruen_store::{ImportOptions, IngestBundle, SearchQuery, SqliteStore, Store, StoreError};

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

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::create(dir.path().join("k.db")).unwrap();
    store
        .seed_gazetteer(&[
            country("KZ", "Kazakhstan", "Казахстан"),
            country("TJ", "Tajikistan", "Таджикистан"),
            country("UZ", "Uzbekistan", "Узбекистан"),
            khujand(),
        ])
        .unwrap();
    (dir, store)
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

fn import(store: &SqliteStore, records: Vec<Record>) -> keruen_store::Result<keruen_store::ImportReport> {
    let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    store.import(&mut lines, &ImportOptions::default(), &mut |_| {})
}

fn sample(store: &SqliteStore) {
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

#[test]
fn events_read_back_exactly_as_written() {
    let (_d, store) = store();
    sample(&store);
    let e = store.event("e1").unwrap().unwrap();
    assert_eq!(
        e,
        ev("e1", EventType::Festival, "1995-05", &["KZ", "TJ"], &["place:khujand"], ReviewStatus::Accepted)
    );
    assert!(store.event("nope").unwrap().is_none());
}

#[test]
fn importing_twice_adds_nothing_and_a_changed_record_is_refused() {
    let (_d, store) = store();
    sample(&store);
    let before = store.stats().unwrap();
    let report = import(
        &store,
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
    let err = import(&store, vec![Record::Event(changed)]).unwrap_err();
    assert!(matches!(err, StoreError::Invalid { line: 1, .. }), "{err}");
    assert_eq!(store.stats().unwrap(), before);
}

#[test]
fn a_failed_import_writes_nothing() {
    let (_d, store) = store();
    let before = store.stats().unwrap();
    let err = import(
        &store,
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

#[test]
fn search_finds_places_by_any_of_their_names_in_any_script() {
    let (_d, store) = store();
    sample(&store);
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

#[test]
fn candidates_are_hidden_unless_asked_for() {
    let (_d, store) = store();
    sample(&store);
    let q = SearchQuery { types: vec![EventType::Festival], ..Default::default() };
    assert_eq!(store.search(&q).unwrap().total, 2);
    let q = SearchQuery { include_candidates: true, ..q };
    assert_eq!(store.search(&q).unwrap().total, 3);
}

#[test]
fn date_filters_use_the_day_ranges_and_open_ends() {
    let (_d, store) = store();
    sample(&store);
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

#[test]
fn facets_count_all_matches_and_pages_follow_the_cursor() {
    let (_d, store) = store();
    sample(&store);
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

#[test]
fn search_text_with_query_syntax_is_just_text() {
    let (_d, store) = store();
    sample(&store);
    for text in ["\"", "*", "NEAR(", "'; DROP TABLE events; --", "festival OR", "AND AND"] {
        let r = store.search(&SearchQuery { text: Some(text.into()), ..Default::default() });
        assert!(r.is_ok(), "{text}: {r:?}");
    }
    assert_eq!(store.stats().unwrap().events, 4);
}

#[test]
fn ingest_is_idempotent_by_text_hash() {
    let (_d, store) = store();
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

#[test]
fn the_audit_log_records_creations_and_cannot_be_rewritten() {
    let (dir, store) = store();
    sample(&store);
    let h = store.history("e1").unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].action, "create");
    assert_eq!(h[0].actor, "user:admin");
    assert_eq!(h[0].after.as_ref().unwrap()["type"], "festival");
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("k.db")).unwrap();
    let err = conn.execute("UPDATE audit SET actor = 'someone'", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn.execute("DELETE FROM audit", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

#[test]
fn export_streams_sources_entities_then_events() {
    let (_d, store) = store();
    sample(&store);
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
