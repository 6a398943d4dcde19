//! The curation API as the web server and the CLI call it: users and tokens, the
//! review queue, merges and splits, conflicts, undo, role checks, replay and copy.
use super::{Db, Factory};
use keruen_model::{
    Claim, Entity, EntityKind, Event, EventType, Evidence, Name, Participant, Record, RecordLine,
    ReviewStatus, Role, Source,
};
use keruen_store::{
    Actor, ConflictField, DuplicateQuery, EventEdit, ImportOptions, IngestBundle, Resolution, ReviewFilter,
    Store, StoreError, UserRole, replay,
};

fn country(code: &str) -> Entity {
    Entity {
        id: code.into(),
        kind: EntityKind::Country,
        names: vec![Name::new(code, "en").preferred()],
        iso: Some(code.into()),
        wikidata: None,
        country: None,
        coordinates: None,
        dates: None,
        description: None,
    }
}

fn place(id: &str) -> Entity {
    Entity { id: id.into(), kind: EntityKind::Place, iso: None, ..country(id) }
}

/// A fresh database with reference data.
fn new_store(f: &Factory) -> Option<Box<dyn Db>> {
    let db = f()?;
    db.store()
        .seed_gazetteer(&[
            country("KZ"),
            country("UZ"),
            country("TJ"),
            place("place:almaty"),
            place("place:tashkent"),
        ])
        .unwrap();
    Some(db)
}

fn source(id: &str) -> Source {
    let mut s = Source::from_text(format!("Source {id}"), format!("The text of {id}."));
    s.id = id.into();
    s
}

/// An event of `source` with one piece of evidence; `claim` says whether the
/// evidence carries a claim (ingested) or not (imported by hand).
fn event(
    id: &str,
    t: EventType,
    date: &str,
    countries: &[&str],
    source: &str,
    confidence: f32,
    claim: bool,
) -> Event {
    let mut e = Event::new(id, t, Some(date.parse().unwrap()));
    e.title = Some(format!("{t} {id}"));
    e.participants = countries.iter().map(|c| Participant::new(*c, Role::Participant)).collect();
    e.places = vec!["place:almaty".into()];
    let mut ev = Evidence::new(source, "keruen-extract@test");
    ev.quote = Some(format!("A sentence about {id}."));
    ev.start = Some(0);
    ev.end = Some(10);
    ev.confidence = confidence;
    if claim {
        ev.claim = Some(Claim {
            event_type: Some(t),
            date: e.date.clone(),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            places: e.places.clone(),
        });
    }
    e.evidence = vec![ev];
    e
}

fn import(
    store: &dyn Store,
    by: &Actor,
    records: Vec<Record>,
) -> keruen_store::Result<keruen_store::ImportReport> {
    let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    store.import_as(by, &mut lines, &ImportOptions::default(), &mut |_| {})
}

/// Two sources, the same Days of Culture in each (three days apart), and two others.
fn seeded(f: &Factory) -> Option<Box<dyn Db>> {
    let db = new_store(f)?;
    import(
        db.store(),
        &Actor::local_admin(),
        vec![
            Record::Source(source("src-a")),
            Record::Source(source("src-b")),
            Record::Event(event(
                "a1",
                EventType::CultureDays,
                "2007-10-12",
                &["KZ", "UZ"],
                "src-a",
                1.0,
                true,
            )),
            Record::Event(event("a2", EventType::Festival, "2009-08", &["KZ", "TJ"], "src-a", 0.6, true)),
            Record::Event(event(
                "b1",
                EventType::CultureDays,
                "2007-10-15",
                &["UZ", "KZ"],
                "src-b",
                0.9,
                true,
            )),
            Record::Event(event("b2", EventType::Agreement, "2012", &["KZ", "UZ"], "src-b", 0.4, false)),
        ],
    )
    .unwrap();
    Some(db)
}

fn admin() -> Actor {
    Actor::local_admin()
}

fn editor() -> Actor {
    Actor { name: "madina".into(), role: UserRole::Editor }
}

fn viewer() -> Actor {
    Actor { name: "student".into(), role: UserRole::Viewer }
}

fn audit_len(store: &dyn Store) -> u64 {
    store.stats().unwrap().audit
}

pub fn passwords_and_tokens_authenticate_until_disabled_revoked_or_expired(f: &Factory) {
    let Some(db) = new_store(f) else { return };
    let store = db.store();
    let u = store.add_user(&admin(), "aigerim", UserRole::Editor, "correct horse").unwrap();
    assert_eq!((u.name.as_str(), u.role, u.disabled), ("aigerim", UserRole::Editor, false));
    assert_eq!(store.verify_password("aigerim", "correct horse").unwrap(), Some(u.clone()));
    assert_eq!(store.verify_password("aigerim", "wrong horse").unwrap(), None);
    assert_eq!(store.verify_password("nobody", "correct horse").unwrap(), None);
    store.add_user(&admin(), "bot", UserRole::Viewer, "").unwrap();
    assert_eq!(store.verify_password("bot", "").unwrap(), None, "no password, no login");

    let (info, secret) = store.create_token(&admin(), "aigerim", "laptop", None).unwrap();
    assert!(info.last_used_at.is_none());
    assert_eq!(store.authenticate_token(&secret).unwrap().map(|u| u.name), Some("aigerim".into()));
    assert!(store.list_tokens(Some("aigerim")).unwrap()[0].last_used_at.is_some(), "use is recorded");
    assert_eq!(store.authenticate_token("krn_0000").unwrap(), None);
    assert_eq!(store.authenticate_token("not a token").unwrap(), None);

    // Expired: the expiry is moved into the past behind the store's back.
    let (expiring, secret2) =
        store.create_token(&admin(), "aigerim", "short", Some("2999-01-01T00:00:00Z".into())).unwrap();
    assert!(store.authenticate_token(&secret2).unwrap().is_some());
    db.exec(&format!("UPDATE tokens SET expires_at = '2001-01-01T00:00:00Z' WHERE id = '{}'", expiring.id))
        .unwrap();
    assert_eq!(store.authenticate_token(&secret2).unwrap(), None, "expired");

    store.revoke_token(&admin(), &info.id).unwrap();
    assert_eq!(store.authenticate_token(&secret).unwrap(), None, "revoked");
    let (_, secret3) = store.create_token(&admin(), "aigerim", "third", None).unwrap();
    store.disable_user(&admin(), "aigerim").unwrap();
    assert_eq!(store.authenticate_token(&secret3).unwrap(), None, "user disabled");
    assert_eq!(store.verify_password("aigerim", "correct horse").unwrap(), None, "user disabled");
    assert!(store.list_users().unwrap().iter().any(|u| u.name == "aigerim" && u.disabled));
    assert!(matches!(store.create_token(&admin(), "aigerim", "x", None), Err(StoreError::Conflict(_))));
    assert!(matches!(store.disable_user(&admin(), "admin"), Err(StoreError::NotFound { .. })));
}

pub fn every_write_refuses_a_viewer_and_changes_nothing(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    store.add_user(&admin(), "madina", UserRole::Editor, "").unwrap();
    let (token, _) = store.create_token(&admin(), "madina", "t", None).unwrap();
    store.merge(&admin(), "a1", "b1", None).unwrap();
    let before = audit_len(store);
    let export = || {
        let mut out = Vec::new();
        store
            .export(&mut |r| {
                out.push(serde_json::to_string(&r).unwrap());
                Ok(())
            })
            .unwrap();
        out
    };
    let records = export();
    let v = viewer();
    let ids = vec!["a2".to_string()];
    let bundle = IngestBundle {
        source: source("src-c"),
        new_entities: vec![],
        events: vec![event("c1", EventType::Festival, "2010", &["KZ"], "src-c", 1.0, true)],
        annotations: vec![],
        archival_refs: vec![],
        citations: vec![],
        references: vec![],
        actor: "keruen-extract@test".into(),
    };
    let results: Vec<(&str, keruen_store::Result<()>)> = vec![
        ("review", store.review(&v, &ids, ReviewStatus::Accepted, None).map(drop)),
        (
            "review_matching",
            store.review_matching(&v, &ReviewFilter::default(), ReviewStatus::Accepted, None).map(drop),
        ),
        (
            "edit",
            store
                .edit(&v, "a2", &EventEdit { title: Some("x".into()), ..Default::default() }, None)
                .map(drop),
        ),
        ("merge", store.merge(&v, "a2", "b2", None).map(drop)),
        ("unmerge", store.unmerge(&v, "b1", None).map(drop)),
        ("split", store.split(&v, "a1", 2, None).map(drop)),
        ("resolve", store.resolve_conflict(&v, "a1", &Resolution::Date(None), None).map(drop)),
        ("dismiss", store.dismiss_duplicate(&v, "a2", "b2", None)),
        ("undo", store.undo(&v, "a1", None).map(drop)),
        ("add_user", store.add_user(&v, "x", UserRole::Admin, "").map(drop)),
        ("disable_user", store.disable_user(&v, "madina")),
        ("create_token", store.create_token(&v, "madina", "", None).map(drop)),
        ("revoke_token", store.revoke_token(&v, &token.id)),
        ("import_as", import(store, &v, vec![Record::Source(source("src-d"))]).map(drop)),
        ("ingest_as", store.ingest_as(&v, &bundle).map(drop)),
        ("apply_audit", store.apply_audit(&v, &[]).map(drop)),
    ];
    for (what, r) in results {
        match r {
            Err(StoreError::Forbidden { actor, reason, .. }) => {
                assert_eq!(actor, "user:student", "{what}");
                assert!(reason.contains("viewer"), "{what}: {reason}");
            }
            other => panic!("{what}: a viewer got {other:?}"),
        }
    }
    assert_eq!(audit_len(store), before);
    assert_eq!(export(), records);
    assert!(!store.list_tokens(None).unwrap()[0].revoked);
    // An editor curates but does not manage users.
    assert!(matches!(
        store.add_user(&editor(), "x", UserRole::Viewer, ""),
        Err(StoreError::Forbidden { .. })
    ));
    assert_eq!(store.review(&editor(), &ids, ReviewStatus::Accepted, None).unwrap(), 1);
    // The string-named import of the core trait checks a named user too.
    store.add_user(&admin(), "student", UserRole::Viewer, "").unwrap();
    let mut lines = std::iter::once(RecordLine {
        line: 1,
        record: Ok(Record::Source(source("src-e"))),
        raw: String::new(),
    });
    let options = ImportOptions { actor: "user:student".into(), ..ImportOptions::default() };
    assert!(matches!(store.import(&mut lines, &options, &mut |_| {}), Err(StoreError::Forbidden { .. })));
}

pub fn the_review_queue_filters_pages_and_bulk_reviews(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let keys =
        |items: &[keruen_store::ReviewItem]| items.iter().map(|i| i.event.id.clone()).collect::<Vec<_>>();
    let all = store.review_queue(&ReviewFilter::default()).unwrap();
    assert_eq!(keys(&all), vec!["a1", "a2", "b1", "b2"]);
    assert_eq!(all[0].source, "src-a");
    assert_eq!(all[0].quote.as_deref(), Some("A sentence about a1."));
    assert_eq!((all[0].start, all[0].end, all[0].evidence), (Some(0), Some(10), 1));
    let page1 = store.review_queue(&ReviewFilter { limit: Some(3), ..Default::default() }).unwrap();
    let page2 = store
        .review_queue(&ReviewFilter {
            limit: Some(3),
            cursor: Some(page1[2].cursor.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (keys(&page1), keys(&page2)),
        (vec!["a1".into(), "a2".into(), "b1".into()], vec!["b2".to_string()])
    );
    let by_source =
        store.review_queue(&ReviewFilter { source: Some("src-b".into()), ..Default::default() }).unwrap();
    assert_eq!(keys(&by_source), vec!["b1", "b2"]);
    let by_type = store
        .review_queue(&ReviewFilter { event_type: Some(EventType::CultureDays), ..Default::default() })
        .unwrap();
    assert_eq!(keys(&by_type), vec!["a1", "b1"]);
    let confident = ReviewFilter { min_confidence: Some(0.6), ..Default::default() };
    assert_eq!(keys(&store.review_queue(&confident).unwrap()), vec!["a1", "a2", "b1"], "0.6 itself passes");
    assert!(matches!(
        store.review_queue(&ReviewFilter { source: Some("src-x".into()), ..Default::default() }),
        Err(StoreError::NotFound { .. })
    ));

    // Bulk: accept the confident ones; the evidence is accepted with them.
    assert_eq!(
        store.review_matching(&editor(), &confident, ReviewStatus::Accepted, Some("confident")).unwrap(),
        3
    );
    assert_eq!(keys(&store.review_queue(&ReviewFilter::default()).unwrap()), vec!["b2"]);
    let a1 = store.event("a1").unwrap().unwrap();
    assert_eq!((a1.review, a1.evidence[0].status), (ReviewStatus::Accepted, ReviewStatus::Accepted));
    // Rejecting rejects the evidence too; an unknown id aborts the whole review.
    assert_eq!(store.review(&editor(), &["a2".into()], ReviewStatus::Rejected, None).unwrap(), 1);
    assert_eq!(store.event("a2").unwrap().unwrap().evidence[0].status, ReviewStatus::Rejected);
    let before = audit_len(store);
    assert!(matches!(
        store.review(&editor(), &["b2".into(), "nope".into()], ReviewStatus::Accepted, None),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.event("b2").unwrap().unwrap().review, ReviewStatus::Candidate);
    assert_eq!(audit_len(store), before);
    // Reviewing to the same status again changes and logs nothing.
    assert_eq!(store.review(&editor(), &["a2".into()], ReviewStatus::Rejected, None).unwrap(), 0);
    assert_eq!(audit_len(store), before);
    let h = store.history("a1").unwrap();
    assert_eq!((h[1].action.as_str(), h[1].actor.as_str()), ("review", "user:madina"));
    assert_eq!(h[1].reason.as_deref(), Some("confident"));
    assert_eq!(h[1].before.as_ref().unwrap()["review"], "candidate");
    assert_eq!(h[1].after.as_ref().unwrap()["review"], "accepted");
}

pub fn merging_events_without_claims_keeps_each_value_with_its_evidence_and_unmerge_restores_them(
    f: &Factory,
) {
    let Some(db) = new_store(f) else { return };
    let store = db.store();
    import(
        store,
        &admin(),
        vec![
            Record::Source(source("src-a")),
            Record::Source(source("src-b")),
            Record::Event(event("x", EventType::Festival, "2001-05", &["KZ"], "src-a", 1.0, false)),
            Record::Event(event("y", EventType::Festival, "2001-06", &["KZ", "TJ"], "src-b", 1.0, false)),
        ],
    )
    .unwrap();
    let before = (store.event_state("x").unwrap(), store.event_state("y").unwrap());
    let merged = store.merge(&editor(), "x", "y", Some("same festival")).unwrap();
    assert_eq!(merged.evidence.len(), 2);
    let c = store.conflicts("x").unwrap();
    let date = c.fields.iter().find(|f| f.field == ConflictField::Date).unwrap();
    let values: Vec<&str> = date.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, vec!["2001-05", "2001-06"]);
    let states = c.fields.iter().find(|f| f.field == ConflictField::Countries).unwrap();
    assert!(states.disputed, "KZ against KZ TJ");
    assert_eq!(
        store.disputed_events(10).unwrap().iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec!["x"]
    );
    // Hidden everywhere but by key.
    assert_eq!(store.event_state("y").unwrap().unwrap().merged_into.as_deref(), Some("x"));
    assert!(matches!(
        store.review(&editor(), &["y".into()], ReviewStatus::Accepted, None),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.stats().unwrap().events, 1);

    // Choose TJ too, from the second source; then undo the merge from the survivor.
    store
        .resolve_conflict(
            &editor(),
            "x",
            &Resolution::FromEvidence { field: ConflictField::Countries, evidence: 2 },
            None,
        )
        .unwrap();
    assert_eq!(store.event("x").unwrap().unwrap().countries(), vec!["KZ", "TJ"]);
    assert_eq!(store.conflicts("x").unwrap().fields[1].chosen_by.as_deref(), Some("user:madina"));
    // The latest change to x is the resolution: undo reverts it first, then the merge.
    let u = store.undo(&editor(), "x", None).unwrap();
    assert_eq!(u.action, "resolve");
    assert_eq!(store.event("x").unwrap().unwrap().countries(), vec!["KZ"]);
    let u = store.undo(&editor(), "y", None).unwrap();
    assert_eq!(u.action, "merged");
    assert_eq!((store.event_state("x").unwrap(), store.event_state("y").unwrap()), before);
    assert!(matches!(store.unmerge(&editor(), "y", None), Err(StoreError::Conflict(_))));
}

pub fn split_moves_one_piece_of_evidence_into_a_new_candidate(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    store.review(&editor(), &["a1".into()], ReviewStatus::Accepted, None).unwrap();
    store.merge(&editor(), "a1", "b1", None).unwrap();
    assert!(matches!(store.split(&editor(), "a1", 3, None), Err(StoreError::Invalid { .. })));
    let new = store.split(&editor(), "a1", 2, Some("two visits")).unwrap();
    assert_eq!(new.id, "a1-s1");
    assert_eq!(new.review, ReviewStatus::Candidate);
    assert_eq!(new.date.as_ref().unwrap().to_string(), "2007-10-15", "the date its evidence claims");
    assert_eq!(new.evidence.len(), 1);
    assert_eq!(new.evidence[0].source, "src-b");
    assert_eq!(store.event("a1").unwrap().unwrap().evidence.len(), 1);
    assert!(
        matches!(store.split(&editor(), "a1", 1, None), Err(StoreError::Conflict(_))),
        "only one piece left"
    );
    let h = store.history("a1-s1").unwrap();
    assert_eq!((h[0].action.as_str(), h[0].reason.as_deref()), ("create", Some("split from a1: two visits")));
    assert!(store.undo(&editor(), "a1", None).unwrap_err().to_string().contains("merge the new event back"));
    // b1 was merged into a1, and its evidence now lives in a1-s1: unmerging b1 finds
    // nothing to take back from a1, but still shows b1 again.
    let b1 = store.unmerge(&editor(), "b1", None).unwrap();
    assert!(b1.evidence.is_empty());
}

pub fn edits_are_chosen_values_and_undo_restores_them(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let edit = EventEdit {
        date: Some(Some("2007-10".parse().unwrap())),
        countries: Some(vec![("KZ".into(), Role::Host), ("TJ".into(), Role::Guest)]),
        ..Default::default()
    };
    let e = store.edit(&editor(), "a1", &edit, Some("checked the programme")).unwrap();
    assert_eq!(e.date.unwrap().to_string(), "2007-10");
    assert_eq!(e.participants, vec![Participant::new("KZ", Role::Host), Participant::new("TJ", Role::Guest)]);
    let s = store.event_state("a1").unwrap().unwrap();
    assert_eq!(s.chosen_by.date.as_deref(), Some("user:madina"));
    assert_eq!(s.chosen_by.countries.as_deref(), Some("user:madina"));
    let bad = EventEdit { places: Some(vec!["place:nowhere".into()]), ..Default::default() };
    let before = audit_len(store);
    assert!(store.edit(&editor(), "a1", &bad, None).unwrap_err().to_string().contains("place:nowhere"));
    assert_eq!(audit_len(store), before);
    store.undo(&editor(), "a1", None).unwrap();
    let restored = store.event("a1").unwrap().unwrap();
    assert_eq!(restored.date.unwrap().to_string(), "2007-10-12");
    assert!(store.event_state("a1").unwrap().unwrap().chosen_by.is_empty());
    // Undo of an undo redoes; a creation cannot be undone.
    store.undo(&editor(), "a1", None).unwrap();
    assert_eq!(store.event("a1").unwrap().unwrap().date.unwrap().to_string(), "2007-10");
    assert!(store.undo(&editor(), "b1", None).unwrap_err().to_string().contains("reject it instead"));
}

pub fn duplicates_are_proposed_until_merged_or_dismissed(f: &Factory) {
    let Some(db) = seeded(f) else { return };
    let store = db.store();
    let p = store.duplicates(&DuplicateQuery::default()).unwrap();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].a.id.as_str(), p[0].b.id.as_str()), ("a1", "b1"));
    assert!(
        p[0].reasons.iter().any(|r| r == "dates 3 days apart: 2007-10-12 and 2007-10-15"),
        "{:?}",
        p[0].reasons
    );
    let only = DuplicateQuery { event: Some("a2".into()), ..Default::default() };
    assert!(store.duplicates(&only).unwrap().is_empty());
    // Both accepted: proposed only when asked for.
    store.review(&editor(), &["a1".into(), "b1".into()], ReviewStatus::Accepted, None).unwrap();
    assert!(store.duplicates(&DuplicateQuery::default()).unwrap().is_empty());
    let all = DuplicateQuery { include_accepted: true, ..Default::default() };
    assert_eq!(store.duplicates(&all).unwrap().len(), 1);
    store.dismiss_duplicate(&editor(), "b1", "a1", Some("two visits")).unwrap();
    assert!(store.duplicates(&all).unwrap().is_empty());
    assert_eq!(store.history("b1").unwrap().last().unwrap().action, "not-duplicate");
}

/// A database after a day of curation: an ingest by a user, users and tokens, two
/// merges, a resolution, a split, reviews, an edit and its undo, a dismissed pair, a
/// revoked token, a disabled user. Returns the database and the secret of the
/// (revoked) token.
fn curated(f: &Factory) -> Option<(Box<dyn Db>, String)> {
    let db = seeded(f)?;
    let store = db.store();
    store
        .ingest_as(
            &editor(),
            &IngestBundle {
                source: source("src-c"),
                new_entities: vec![Entity {
                    id: "org:x-theatre".into(),
                    kind: EntityKind::Organization,
                    ..country("x")
                }],
                events: vec![event("c1", EventType::Festival, "2009-08", &["KZ", "TJ"], "src-c", 1.0, true)],
                annotations: vec![keruen_model::Annotation {
                    kind: keruen_model::AnnotationKind::Timex,
                    start: 1,
                    end: 4,
                    text: "text".into(),
                    value: Some("2009-08".into()),
                    target: None,
                }],
                archival_refs: vec![],
                citations: vec![],
                references: vec![],
                actor: "keruen-extract@test".into(),
            },
        )
        .unwrap();
    assert_eq!(store.history("c1").unwrap()[0].actor, "user:madina", "the audit names the user");
    assert_eq!(store.event("c1").unwrap().unwrap().evidence[0].asserted_by, "keruen-extract@test");
    store.add_user(&admin(), "madina", UserRole::Editor, "correct horse").unwrap();
    let (token, secret) = store.create_token(&admin(), "madina", "laptop", None).unwrap();
    store.merge(&editor(), "a1", "b1", None).unwrap();
    store
        .resolve_conflict(&editor(), "a1", &Resolution::Date(Some("2007-10-15".parse().unwrap())), None)
        .unwrap();
    store.merge(&editor(), "a2", "c1", None).unwrap();
    store.split(&editor(), "a2", 1, None).unwrap();
    store.review(&editor(), &["a1".into(), "a2-s1".into()], ReviewStatus::Accepted, None).unwrap();
    store.review(&editor(), &["b2".into()], ReviewStatus::Rejected, None).unwrap();
    store
        .edit(&editor(), "a2", &EventEdit { title: Some("Renamed".into()), ..Default::default() }, None)
        .unwrap();
    store.undo(&editor(), "a2", None).unwrap();
    store.dismiss_duplicate(&editor(), "a2", "a2-s1", None).unwrap();
    store.revoke_token(&admin(), &token.id).unwrap();
    store.add_user(&admin(), "student", UserRole::Viewer, "").unwrap();
    store.disable_user(&admin(), "student").unwrap();

    Some((db, secret))
}

pub fn replay_rebuilds_the_same_state_from_the_log_alone(f: &Factory) {
    let Some((db, secret)) = curated(f) else { return };
    let store = db.store();
    let copy_db = f().unwrap();
    let copy = copy_db.store();
    assert!(matches!(replay(store, copy, &editor()), Err(StoreError::Forbidden { .. })));
    let report = replay(store, copy, &admin()).unwrap();
    assert_eq!(report.entries, audit_len(store));

    let all = |s: &dyn Store| {
        let mut log = Vec::new();
        s.audit_log(0, &mut |e| {
            log.push(e);
            Ok(())
        })
        .unwrap();
        let keys: std::collections::BTreeSet<String> = log
            .iter()
            .filter(|e| !e.item.contains(':') || e.item.starts_with("src-"))
            .map(|e| e.item.clone())
            .collect();
        let states: Vec<_> =
            keys.iter().map(|k| (k.clone(), s.event_state(k).unwrap(), s.source(k).unwrap())).collect();
        let mut export = Vec::new();
        s.export(&mut |r| {
            export.push(serde_json::to_string(&r).unwrap());
            Ok(())
        })
        .unwrap();
        (log, states, export, s.list_users().unwrap(), s.list_tokens(None).unwrap(), s.stats().unwrap())
    };
    let (a, b) = (all(store), all(copy));
    assert_eq!(a.0, b.0, "the same log, entry for entry");
    assert_eq!(a.1, b.1, "every event's state, merged ones included, and every source");
    assert_eq!(a.2, b.2, "the same export");
    assert_eq!(a.3, b.3, "the same users");
    let (ta, tb): (Vec<_>, Vec<_>) =
        (a.4.iter().map(|t| (&t.id, t.revoked)).collect(), b.4.iter().map(|t| (&t.id, t.revoked)).collect());
    assert_eq!(ta, tb, "the same tokens");
    assert_eq!(a.5, b.5, "the same counts");
    let spans = |db: &dyn Db| {
        let rows = db.rows(
            "SELECT s.key, a.kind, CAST(a.start AS TEXT), CAST(a.\"end\" AS TEXT), a.text, a.value
             FROM annotations a JOIN sources s ON s.id = a.source_id ORDER BY a.id",
        );
        let origin = db.rows("SELECT origin FROM entities WHERE key = 'org:x-theatre'");
        (rows, origin)
    };
    let (spans_a, spans_b) = (spans(db.as_ref()), spans(copy_db.as_ref()));
    assert_eq!(spans_a.0.len(), 1);
    assert_eq!(spans_a.1, vec![vec![Some("extract".to_string())]]);
    assert_eq!(spans_a, spans_b, "the spans an ingest found, and the origin of the entities it made");
    assert_eq!(copy.conflicts("a1").unwrap(), store.conflicts("a1").unwrap());
    // Logins work in the copy: the hashes travelled, the secrets did not need to.
    assert!(copy.verify_password("madina", "correct horse").unwrap().is_some());
    assert!(copy.authenticate_token(&secret).unwrap().is_none(), "revoked there too");
    // Not twice.
    assert!(matches!(replay(store, copy, &admin()), Err(StoreError::Conflict(_))));
}

/// `copy_database` (what `keruen migrate-db` runs) copies every table row for row —
/// ids, review states, merges, users and the audit log — and proves it by counts and
/// checksums; the copy works as the original does. A copy of the copy is identical.
pub fn a_copy_holds_every_table_row_for_row(f: &Factory) {
    let Some((db, _)) = curated(f) else { return };
    let store = db.store();
    let target = f().unwrap();
    let report = keruen_store::copy_database(store, target.store()).unwrap();
    assert!(report.matches(), "{report:?}");
    assert_eq!(report.tables.len(), keruen_store::TABLES.len());
    let audit = report.tables.iter().find(|(a, _)| a.table == "audit").unwrap();
    assert_eq!(audit.0.rows, store.stats().unwrap().audit);
    let everything = |s: &dyn Store| {
        let mut out = Vec::new();
        s.export(&mut |r| {
            out.push(serde_json::to_string(&r).unwrap());
            Ok(())
        })
        .unwrap();
        s.audit_log(0, &mut |e| {
            out.push(serde_json::to_string(&e).unwrap());
            Ok(())
        })
        .unwrap();
        (out, s.stats().unwrap(), s.list_users().unwrap(), s.event_state("b1").unwrap())
    };
    let copy = target.store();
    assert_eq!(everything(store), everything(copy));
    // Search and curation work on the copy as on the original.
    let q =
        keruen_store::SearchQuery { text: Some("KZ".into()), include_candidates: true, ..Default::default() };
    assert_eq!(store.search(&q).unwrap(), copy.search(&q).unwrap());
    assert!(copy.verify_password("madina", "correct horse").unwrap().is_some());
    copy.review(&editor(), &["b2".into()], ReviewStatus::Accepted, Some("after the copy")).unwrap();
    let last = copy.history("b2").unwrap().pop().unwrap();
    assert!(last.id > audit.0.rows as i64, "new audit entries continue after the copied ones");
    // A copy of the copy is the same again; a non-empty target is refused.
    let again = f().unwrap();
    let report = keruen_store::copy_database(copy, again.store()).unwrap();
    assert!(report.matches());
    assert!(matches!(keruen_store::copy_database(store, copy), Err(StoreError::Conflict(_))));
}
