//! The in-memory [`SearchIndex`] answers exactly as the store it was built from: the
//! same hits in the same order, totals, facets, cursors, entity, source and word
//! lists — over a grid of queries on varied data, page after page — and it knows when
//! a write has made it stale.
use super::Factory;
use keruen_model::{
    Coordinates, Entity, EntityKind, Event, EventStatus, EventType, Evidence, Name, NameForm, Participant,
    Record, RecordLine, ReviewStatus, Role, Sector, Source,
};
use keruen_store::{Actor, ImportOptions, SearchIndex, SearchQuery, Store};

fn entity(id: &str, kind: EntityKind, names: &[(&str, &str)], iso: Option<&str>) -> Entity {
    Entity {
        id: id.into(),
        kind,
        names: names
            .iter()
            .enumerate()
            .map(|(i, (text, lang))| {
                let n = Name::new(*text, *lang);
                if i < 2 { n.preferred() } else { n.with_form(NameForm::Former) }
            })
            .collect(),
        iso: iso.map(str::to_string),
        wikidata: None,
        country: None,
        coordinates: (kind == EntityKind::Place).then_some(Coordinates { lat: 42.0, lon: 70.0 }),
        dates: None,
        description: None,
    }
}

fn reference() -> Vec<Entity> {
    use EntityKind::*;
    vec![
        entity("KZ", Country, &[("Kazakhstan", "en"), ("Казахстан", "ru")], Some("KZ")),
        entity("UZ", Country, &[("Uzbekistan", "en"), ("Узбекистан", "ru")], Some("UZ")),
        entity("TJ", Country, &[("Tajikistan", "en"), ("Таджикистан", "ru")], Some("TJ")),
        entity("KG", Country, &[("Kyrgyzstan", "en"), ("Кыргызстан", "ru"), ("Kirghizia", "en")], Some("KG")),
        entity("place:almaty", Place, &[("Almaty", "en"), ("Алматы", "ru"), ("Alma-Ata", "en")], None),
        entity("place:tashkent", Place, &[("Tashkent", "en"), ("Ташкент", "ru")], None),
        entity("org:unesco", Organization, &[("UNESCO", "en"), ("ЮНЕСКО", "ru")], None),
    ]
}

/// 700 events with every shape a search must handle: undated, open and closed
/// intervals, uncertain dates, ties on one day, four review states, merged events,
/// several statuses and sectors, titles in both scripts, places and organisations.
fn varied() -> Vec<Record> {
    let mut out = Vec::new();
    for s in 0..3 {
        let mut src = Source::from_text(
            format!("Chronicle {s} of the festivals"),
            format!("Text of chronicle {s}: conferences in Almaty and Ташкент"),
        );
        src.id = format!("src-{s}");
        out.push(Record::Source(src));
    }
    let countries = ["KZ", "UZ", "TJ", "KG"];
    let types = [
        EventType::Festival,
        EventType::Conference,
        EventType::CultureDays,
        EventType::Exhibition,
        EventType::Agreement,
    ];
    let titles = [
        "Festival of song",
        "Фестиваль песни",
        "Scientific conference",
        "Дни культуры",
        "Exhibition of carpets",
    ];
    let statuses = [EventStatus::Held, EventStatus::Held, EventStatus::Planned, EventStatus::Cancelled];
    let mut x: u64 = 11;
    for i in 0..700 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = (x >> 33) as usize;
        let date = match r % 13 {
            0 => None,
            1 => Some("1999/..".to_string()),
            2 => Some("../1994".to_string()),
            3 => Some(format!("{}", 1992 + r % 30)),
            4 => Some(format!("{}-{:02}", 1992 + r % 30, 1 + r % 12)),
            5 => Some(format!("199{}~", r % 10)),
            6 => Some(format!("{}-05-01/{}-06-15", 1990 + r % 20, 1990 + r % 20)),
            7 => Some("2001-10-02".to_string()),
            _ => Some(format!("{}-{:02}-{:02}", 1995 + r % 5, 1 + r % 3, 1 + r % 4)),
        };
        let t = types[r % types.len()];
        let mut e = Event::new(format!("ev-{:04}", (i * 7919) % 10007), t, date.map(|d| d.parse().unwrap()));
        if !r.is_multiple_of(17) {
            e.title = Some(format!("{} {}", titles[(r / 7) % titles.len()], i % 13));
        }
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
        e.sectors = match r % 4 {
            0 => vec![Sector::Culture],
            1 => vec![Sector::Science],
            2 => vec![Sector::Culture, Sector::Education],
            _ => vec![],
        };
        e.status = statuses[(r / 3) % statuses.len()];
        e.review =
            [ReviewStatus::Accepted, ReviewStatus::Candidate, ReviewStatus::Accepted, ReviewStatus::Rejected]
                [(r / 5) % 4];
        let mut v = Evidence::new(format!("src-{}", r % 3), "keruen-extract@test");
        v.confidence = ((r % 10) as f32) / 10.0;
        e.evidence = vec![v];
        out.push(Record::Event(e));
    }
    out
}

fn load(store: &dyn Store) {
    store.seed_gazetteer(&reference()).unwrap();
    let mut lines = varied().into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    store.import(&mut lines, &ImportOptions::default(), &mut |_| {}).unwrap();
}

fn queries() -> Vec<SearchQuery> {
    let texts: [Option<&str>; 14] = [
        None,
        Some("festival"),
        Some("Фестиваль"),
        Some("fest"),
        Some("Kazakhstan"),
        Some("Казахстан uzbekistan"),
        Some("Alma-Ata"),
        Some("алматы song"),
        Some("UNESCO"),
        Some("chronicle"),
        Some("carpets 7"),
        Some("nothing-like-this"),
        Some("\" NEAR( *"),
        Some("Kirghizia conference"),
    ];
    let mut out = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        for variant in 0..8 {
            let mut q = SearchQuery {
                text: text.map(str::to_string),
                facets: variant % 2 == 0,
                include_candidates: variant % 3 != 0,
                limit: Some([20, 7, 1, 500][(i + variant) % 4]),
                ..SearchQuery::default()
            };
            match variant {
                1 => q.types = vec![EventType::Festival, EventType::Conference],
                2 => q.countries = vec!["KZ".into()],
                3 => {
                    q.from = Some("1995".parse().unwrap());
                    q.to = Some("1998-06".parse().unwrap());
                }
                4 => q.sectors = vec![Sector::Culture],
                5 => q.statuses = vec![EventStatus::Planned, EventStatus::Cancelled],
                6 => {
                    q.countries = vec!["UZ".into(), "TJ".into()];
                    q.from = Some("1993".parse().unwrap());
                }
                7 => {
                    q.to = Some("1994".parse().unwrap());
                    q.types = vec![EventType::Agreement];
                }
                _ => {}
            }
            out.push(q);
        }
    }
    out
}

/// Compares every page of `q` from the index and from the store.
fn same_pages(index: &SearchIndex, store: &dyn Store, mut q: SearchQuery) -> usize {
    let mut pages = 0;
    loop {
        let from_store = store.search(&q).unwrap();
        let from_index = index.search(&q).unwrap();
        assert_eq!(from_index, from_store, "query {q:?}");
        pages += 1;
        match from_store.next {
            Some(next) if pages < 60 => q.cursor = Some(next),
            _ => return pages,
        }
    }
}

pub fn the_search_index_answers_as_the_store(f: &Factory) {
    let Some(db) = f() else { return };
    let store = db.store();
    load(store);
    let built = SearchIndex::build(store).unwrap();
    assert_eq!(built.generation(), store.generation().unwrap());
    assert_eq!(built.events(), 700);
    // Written to a file and opened again (its arrays then read in place from the
    // mapped file), it answers the same.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db-index");
    let bytes = built.save("rev-1", &path).unwrap();
    assert_eq!(bytes, std::fs::metadata(&path).unwrap().len());
    let (opened, revision) = SearchIndex::open(&path).unwrap();
    assert_eq!(revision, "rev-1");
    assert_eq!(opened.events(), 700);
    assert!(opened.heap_bytes() < built.heap_bytes() / 2, "the opened index maps its arrays");
    for index in [&built, &opened] {
        assert_index_answers_as_the_store(index, store);
    }
    // The same index gives the same file.
    let again = dir.path().join("again");
    opened.save("rev-1", &again).unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&path).unwrap());
}

fn assert_index_answers_as_the_store(index: &SearchIndex, store: &dyn Store) {
    let mut pages = 0;
    let mut nonempty = 0;
    for q in queries() {
        if store.search(&q).unwrap().total > 0 {
            nonempty += 1;
        }
        pages += same_pages(index, store, q);
    }
    // The grid is not trivially empty: most queries find something and many page.
    assert!(nonempty > 60, "{nonempty} queries found events");
    assert!(pages > 300, "{pages} pages compared");
    for key in ["KZ", "UZ", "place:almaty", "org:unesco", "no-such-entity"] {
        for candidates in [false, true] {
            let mut cursor: Option<String> = None;
            loop {
                let a = index.entity_events(key, candidates, cursor.as_deref(), 50);
                let b = store.entity_events(key, candidates, cursor.as_deref(), 50);
                match (a, b) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a, b, "{key} {candidates} {cursor:?}");
                        match a.next {
                            Some(n) => cursor = Some(n),
                            None => break,
                        }
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!(a.to_string(), b.to_string());
                        break;
                    }
                    (a, b) => panic!("{key}: index {a:?}, store {b:?}"),
                }
            }
        }
    }
}

pub fn the_search_index_goes_stale_on_a_write_and_a_rebuild_catches_up(f: &Factory) {
    let Some(db) = f() else { return };
    let store = db.store();
    load(store);
    let index = SearchIndex::build(store).unwrap();
    let generation = store.generation().unwrap();
    assert_eq!(store.generation().unwrap(), generation, "reads do not change the generation");
    let q = SearchQuery {
        text: Some("festival".into()),
        facets: true,
        limit: Some(500),
        ..SearchQuery::default()
    };
    let before = store.search(&q).unwrap();
    let candidate = store
        .search(&SearchQuery { include_candidates: true, ..q.clone() })
        .unwrap()
        .hits
        .into_iter()
        .find(|h| h.review == "candidate")
        .expect("a candidate festival");
    store
        .review(
            &Actor::local_admin(),
            std::slice::from_ref(&candidate.id),
            ReviewStatus::Accepted,
            Some("test"),
        )
        .unwrap();
    assert_ne!(store.generation().unwrap(), generation, "a write changes the generation");
    assert_ne!(index.generation(), store.generation().unwrap(), "so the old index is known to be stale");
    assert_eq!(index.search(&q).unwrap(), before, "the old index still answers from its data");
    let after = store.search(&q).unwrap();
    assert_eq!(after.total, before.total + 1);
    let rebuilt = SearchIndex::build(store).unwrap();
    assert_eq!(rebuilt.generation(), store.generation().unwrap());
    assert_eq!(rebuilt.search(&q).unwrap(), after);
}
