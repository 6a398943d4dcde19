//! The store conformance suite (`conformance/`) on PostgreSQL, each test in a fresh
//! database on the server named by `KERUEN_TEST_DATABASE_URL` (skipped with a note
//! when it is unset, an error under `CI=true`), and what only PostgreSQL has:
//! migrations, refusals, and copies between the two backends.
mod conformance;

suite!(conformance::postgres);

use keruen_model::{
    Entity, EntityKind, Event, EventType, Evidence, Name, Participant, Record, RecordLine, ReviewStatus,
    Role, Sector, Source,
};
use keruen_store::{
    Browse, Curation, DuplicateQuery, ImportOptions, PgStore, ReviewFilter, SearchQuery, SqliteStore, Store,
    StoreError, copy_database, scratch::ScratchDb,
};

fn server() -> Option<String> {
    keruen_store::scratch::server()
}

fn sql(db: &ScratchDb, statement: &str) -> Result<(), String> {
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute(statement)
        .map_err(|e| e.as_db_error().map(|d| d.message().to_string()).unwrap_or(e.to_string()))
}

#[test]
fn a_database_of_another_application_or_a_newer_keruen_is_refused_untouched() {
    let Some(server) = server() else { return };
    let other = ScratchDb::create(&server, "keruen_test").unwrap();
    sql(&other, "CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (1);").unwrap();
    let err = PgStore::create(&other.url).err().unwrap();
    assert!(matches!(err, StoreError::NotKeruen { .. }), "{err}");
    assert!(err.to_string().contains("1 tables of another application"), "{err}");

    let empty = ScratchDb::create(&server, "keruen_test").unwrap();
    assert!(matches!(PgStore::open(&empty.url), Err(StoreError::Missing(_))), "open does not create");
    drop(PgStore::create(&empty.url).unwrap());
    drop(PgStore::create(&empty.url).unwrap());
    let store = PgStore::open(&empty.url).unwrap();
    assert_eq!(store.backend(), "postgres");
    drop(store);
    let mut c = postgres::Client::connect(&empty.url, postgres::NoTls).unwrap();
    let v: i64 = c.query_one("SELECT version FROM keruen_schema", &[]).unwrap().get(0);
    assert_eq!(v, 2);
    c.batch_execute("UPDATE keruen_schema SET version = 99").unwrap();
    let err = PgStore::open(&empty.url).err().unwrap();
    assert!(matches!(err, StoreError::SchemaTooNew { found: 99, supported: 2, .. }), "{err}");
    assert!(err.to_string().contains("upgrade keruen"), "{err}");
    let v: i64 = c.query_one("SELECT version FROM keruen_schema", &[]).unwrap().get(0);
    assert_eq!(v, 99, "left as it was");
    let err = c.batch_execute("TRUNCATE audit").unwrap_err();
    assert!(err.as_db_error().unwrap().message().contains("append-only"));
}

fn entity(id: &str, kind: EntityKind, en: &str, ru: &str) -> Entity {
    Entity {
        id: id.into(),
        kind,
        names: vec![Name::new(en, "en").preferred(), Name::new(ru, "ru").preferred()],
        iso: (kind == EntityKind::Country).then(|| id.to_string()),
        wikidata: None,
        country: None,
        coordinates: (kind == EntityKind::Place)
            .then_some(keruen_model::Coordinates { lat: 41.3, lon: 69.2 }),
        dates: None,
        description: None,
    }
}

fn reference() -> Vec<Entity> {
    vec![
        entity("KZ", EntityKind::Country, "Kazakhstan", "Казахстан"),
        entity("UZ", EntityKind::Country, "Uzbekistan", "Узбекистан"),
        entity("TJ", EntityKind::Country, "Tajikistan", "Таджикистан"),
        entity("KG", EntityKind::Country, "Kyrgyzstan", "Кыргызстан"),
        entity("place:tashkent", EntityKind::Place, "Tashkent", "Ташкент"),
        entity("place:almaty", EntityKind::Place, "Almaty", "Алматы"),
        entity("org:unesco", EntityKind::Organization, "UNESCO", "ЮНЕСКО"),
    ]
}

/// 600 varied events in a fixed pseudo-random order: many share a date, a few are
/// undated or open-ended, titles in two scripts.
fn varied() -> Vec<Record> {
    let mut out = Vec::new();
    for s in 0..3 {
        let mut src =
            Source::from_text(format!("Chronicle {s}"), format!("Text of chronicle {s} on festivals"));
        src.id = format!("src-{s}");
        out.push(Record::Source(src));
    }
    let countries = ["KZ", "UZ", "TJ", "KG"];
    let types = [EventType::Festival, EventType::Conference, EventType::CultureDays, EventType::Exhibition];
    let words = [
        "Festival of song",
        "Фестиваль песни",
        "Scientific conference",
        "Дни культуры",
        "Exhibition of carpets",
    ];
    let mut x: u64 = 7;
    for i in 0..600 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (x >> 33) as usize;
        let date = match r % 11 {
            0 => None,
            1 => Some("1999/..".to_string()),
            2 => Some(format!("{}", 1992 + r % 30)),
            3 => Some(format!("{}-{:02}", 1992 + r % 30, 1 + r % 12)),
            _ => Some(format!("{}-{:02}-{:02}", 1995 + r % 5, 1 + r % 3, 1 + r % 4)),
        };
        let t = types[r % types.len()];
        let mut e = Event::new(format!("ev-{:04}", (i * 7919) % 10007), t, date.map(|d| d.parse().unwrap()));
        e.title = Some(format!("{} {}", words[(r / 7) % words.len()], i % 13));
        let a = countries[r % 4];
        let b = countries[(r / 4) % 4];
        e.participants = vec![Participant::new(a, Role::Host)];
        if b != a {
            e.participants.push(Participant::new(b, Role::Guest));
        }
        if r.is_multiple_of(5) {
            e.participants.push(Participant::new("org:unesco", Role::Organiser));
        }
        if r.is_multiple_of(3) {
            e.places = vec![if r.is_multiple_of(2) { "place:tashkent" } else { "place:almaty" }.to_string()];
        }
        e.sectors = vec![if r.is_multiple_of(2) { Sector::Culture } else { Sector::Science }];
        e.review =
            [ReviewStatus::Accepted, ReviewStatus::Candidate, ReviewStatus::Accepted, ReviewStatus::Rejected]
                [r % 4];
        let mut v = Evidence::new(format!("src-{}", r % 3), "keruen-extract@test");
        v.confidence = ((r % 10) as f32) / 10.0;
        v.quote = Some(format!("Sentence {i}."));
        e.evidence = vec![v];
        out.push(Record::Event(e));
    }
    out
}

fn load(store: &dyn Store, records: Vec<Record>) {
    store.seed_gazetteer(&reference()).unwrap();
    let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    store.import(&mut lines, &ImportOptions::default(), &mut |_| {}).unwrap();
}

/// The same data gives the same answers on both backends: every hit in the same
/// order (ties on equal dates included), the same totals, facets, pages, maps,
/// timelines, review queue and duplicate proposals.
#[test]
fn both_backends_answer_alike_on_the_same_data() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lite = SqliteStore::create(dir.path().join("k.db")).unwrap();
    let db = ScratchDb::create(&server, "keruen_test").unwrap();
    let pg = PgStore::create(&db.url).unwrap();
    load(&lite, varied());
    load(&pg, varied());
    assert_eq!(lite.stats().unwrap(), pg.stats().unwrap());
    // keruen writes the words of the folded text itself: exactly what PostgreSQL's
    // own parser makes of it.
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    for table in ["events", "sources"] {
        let differ: i64 = c
            .query_one(
                &format!("SELECT count(*) FROM {table} WHERE search_tsv <> strip(to_tsvector('simple', search_body))"),
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(differ, 0, "{table}");
    }
    let texts = [
        None,
        Some("festival"),
        Some("Фестиваль"),
        Some("Tashkent"),
        Some("Казахстана fest"),
        Some("conf 1"),
        Some("ЮНЕСКО"),
        Some("carpets Almaty"),
        Some("song 12"),
    ];
    let mut queries = Vec::new();
    for text in texts {
        for include_candidates in [false, true] {
            for limit in [7, 50] {
                queries.push(SearchQuery {
                    text: text.map(str::to_string),
                    include_candidates,
                    limit: Some(limit),
                    facets: limit == 50,
                    ..Default::default()
                });
            }
        }
    }
    queries.push(SearchQuery {
        countries: vec!["KZ".into(), "UZ".into()],
        from: Some("1996".parse().unwrap()),
        to: Some("1998-02".parse().unwrap()),
        limit: Some(500),
        ..Default::default()
    });
    queries.push(SearchQuery {
        types: vec![EventType::Festival, EventType::Exhibition],
        sectors: vec![Sector::Science],
        facets: true,
        ..Default::default()
    });
    for q in &queries {
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let q = SearchQuery { cursor: cursor.clone(), ..q.clone() };
            let (a, b) = (lite.search(&q).unwrap(), pg.search(&q).unwrap());
            assert_eq!(a, b, "{q:?}");
            pages += 1;
            cursor = a.next;
            if cursor.is_none() || pages > 200 {
                break;
            }
        }
        assert_eq!(lite.place_counts(q).unwrap(), pg.place_counts(q).unwrap(), "{q:?}");
        assert_eq!(lite.year_type_counts(q).unwrap(), pg.year_type_counts(q).unwrap(), "{q:?}");
    }
    for filter in [
        ReviewFilter { limit: Some(500), ..Default::default() },
        ReviewFilter { min_confidence: Some(0.5), source: Some("src-1".into()), ..Default::default() },
    ] {
        assert_eq!(lite.review_queue(&filter).unwrap(), pg.review_queue(&filter).unwrap());
    }
    let dq = DuplicateQuery { include_accepted: true, limit: Some(30), ..Default::default() };
    let d = lite.duplicates(&dq).unwrap();
    assert!(!d.is_empty());
    assert_eq!(d, pg.duplicates(&dq).unwrap());
    assert_eq!(lite.disputed_events(50).unwrap(), pg.disputed_events(50).unwrap());
    assert_eq!(
        lite.entity_events("KZ", true, None, 500).unwrap(),
        pg.entity_events("KZ", true, None, 500).unwrap()
    );
    assert_eq!(lite.source_page("src-1").unwrap(), pg.source_page("src-1").unwrap());
    // A re-import of the same file adds nothing on either.
    for s in [&lite as &dyn Store, &pg] {
        let mut lines = varied().into_iter().enumerate().map(|(i, r)| RecordLine {
            line: i + 1,
            record: Ok(r),
            raw: String::new(),
        });
        let r = s.import(&mut lines, &ImportOptions::default(), &mut |_| {}).unwrap();
        assert_eq!((r.events, r.sources, r.unchanged), (0, 0, 603), "{}", s.backend());
    }
}

fn export(store: &dyn Store) -> Vec<String> {
    let mut out = Vec::new();
    store
        .export(&mut |r| {
            out.push(serde_json::to_string(&r).unwrap());
            Ok(())
        })
        .unwrap();
    out
}

/// SQLite → PostgreSQL → SQLite: every table arrives whole both ways, and the last
/// copy exports exactly what the first did. The bulk import into PostgreSQL (COPY,
/// indexes rebuilt) stores what row-by-row inserts store.
#[test]
fn a_database_travels_from_sqlite_to_postgres_and_back_unchanged() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let first = SqliteStore::create(dir.path().join("first.db")).unwrap();
    load(&first, varied());
    let by = keruen_store::Actor::local_admin();
    first.add_user(&by, "madina", keruen_store::UserRole::Editor, "correct horse").unwrap();
    first.merge(&by, "ev-0000", "ev-7919", Some("same")).unwrap();
    let db = ScratchDb::create(&server, "keruen_test").unwrap();
    let pg = PgStore::create(&db.url).unwrap();
    pg.seed_gazetteer(&reference()).unwrap();
    let report = copy_database(&first, &pg).unwrap();
    assert!(report.matches(), "{report:?}");
    let back = SqliteStore::create(dir.path().join("back.db")).unwrap();
    let report = copy_database(&pg, &back).unwrap();
    assert!(report.matches(), "{report:?}");
    assert_eq!(export(&first), export(&back));
    assert_eq!(export(&first), export(&pg));
    assert!(pg.verify_password("madina", "correct horse").unwrap().is_some());

    // Bulk import into PostgreSQL stores what the row-by-row path stores.
    let bulk_db = ScratchDb::create(&server, "keruen_test").unwrap();
    let bulk = PgStore::create(&bulk_db.url).unwrap();
    bulk.seed_gazetteer(&reference()).unwrap();
    let mut lines = varied().into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    bulk.import(&mut lines, &ImportOptions { bulk: true, ..ImportOptions::default() }, &mut |_| {}).unwrap();
    let plain = SqliteStore::create(dir.path().join("plain.db")).unwrap();
    load(&plain, varied());
    assert_eq!(export(&bulk), export(&plain));
    for t in keruen_store::TABLES.iter().filter(|t| !matches!(t.name, "audit" | "sources")) {
        assert_eq!(
            keruen_store::checksum(&bulk, t).unwrap(),
            keruen_store::checksum(&plain, t).unwrap(),
            "{}",
            t.name
        );
    }
    let q = SearchQuery { text: Some("festival".into()), facets: true, ..Default::default() };
    assert_eq!(bulk.search(&q).unwrap(), plain.search(&q).unwrap());
}

/// What a read replica allows — reads only — is enough for a public site: every read
/// works on a connection that may not write (here `default_transaction_read_only`,
/// as on a hot standby), tokens still authenticate, and a write is refused cleanly.
#[test]
fn a_read_only_connection_serves_every_read() {
    let Some(server) = server() else { return };
    let db = ScratchDb::create(&server, "keruen_test").unwrap();
    let primary = PgStore::create(&db.url).unwrap();
    load(&primary, varied());
    let admin = keruen_store::Actor::local_admin();
    primary.add_user(&admin, "reader", keruen_store::UserRole::Viewer, "").unwrap();
    let (_, secret) = primary.create_token(&admin, "reader", "site", None).unwrap();
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let replica =
        PgStore::open(&format!("{}{sep}options=-c%20default_transaction_read_only%3Don", db.url)).unwrap();
    let q = SearchQuery { text: Some("festival".into()), facets: true, ..Default::default() };
    let hits = replica.search(&q).unwrap();
    assert!(hits.total > 10, "{}", hits.total);
    assert_eq!(hits, primary.search(&q).unwrap());
    assert_eq!(replica.stats().unwrap(), primary.stats().unwrap());
    assert!(replica.event("ev-0000").unwrap().is_some());
    assert!(!replica.place_counts(&q).unwrap().is_empty());
    assert_eq!(replica.authenticate_token(&secret).unwrap().map(|u| u.name), Some("reader".into()));
    let err = replica.review(&admin, &["ev-0000".into()], ReviewStatus::Rejected, None).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(
        primary.event("ev-0000").unwrap().unwrap().review,
        replica.event("ev-0000").unwrap().unwrap().review
    );
}

/// Batches large enough to look their keys up through the unique indexes (seq scans
/// ruled out for the lookup): a re-import finds every event already stored, and a
/// changed one is refused with its line.
#[test]
fn large_batches_find_stored_events_by_key() {
    let Some(server) = server() else { return };
    let db = ScratchDb::create(&server, "keruen_test").unwrap();
    let pg = PgStore::create(&db.url).unwrap();
    pg.seed_gazetteer(&reference()).unwrap();
    let events = |changed: Option<usize>| -> Vec<Record> {
        let mut out = vec![Record::Source({
            let mut s = Source::from_text("Chronicle", "Text of the chronicle");
            s.id = "src-big".into();
            s
        })];
        for i in 0..2_500 {
            let mut e = Event::new(format!("big-{i:05}"), EventType::Festival, Some("2001".parse().unwrap()));
            e.title = Some(if changed == Some(i) { "Changed".into() } else { format!("Festival {i}") });
            e.participants = vec![Participant::new("KZ", Role::Participant)];
            out.push(Record::Event(e));
        }
        out
    };
    let import = |records: Vec<Record>, bulk: bool| {
        let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
            line: i + 1,
            record: Ok(r),
            raw: String::new(),
        });
        pg.import(&mut lines, &ImportOptions { bulk, ..ImportOptions::default() }, &mut |_| {})
    };
    // A bulk import drops keys, foreign keys and indexes, and must put every one back.
    let schema = || {
        let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
        let q =
            "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated::text
                 FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                 UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1";
        c.query(q, &[]).unwrap().iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>()
    };
    let before = schema();
    assert!(before.iter().any(|c| c.starts_with("participants PRIMARY KEY")), "{before:?}");
    assert_eq!(import(events(None), true).unwrap().events, 2_500);
    assert_eq!(schema(), before);
    // Into empty tables the rows went in frozen: every page of events is all-visible
    // (as the import's closing ANALYZE counted them).
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let (pages, visible): (i32, i32) = {
        let r = c
            .query_one("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'events'", &[])
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert!(pages > 0 && visible == pages, "{visible} of {pages} pages all-visible");
    let again = import(events(None), false).unwrap();
    assert_eq!((again.events, again.unchanged), (0, 2_501));
    match import(events(Some(1_234)), false) {
        Err(StoreError::Invalid { line, message }) => {
            assert_eq!(line, 1_236);
            assert!(message.contains("big-01234") && message.contains("different content"), "{message}");
        }
        other => panic!("a changed event must be refused: {other:?}"),
    }
    assert_eq!(pg.stats().unwrap().events, 2_500);
}
