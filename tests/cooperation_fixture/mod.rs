//! A small, fully known data set for the analysis and format tests (issue 6): two
//! sources, five entities of our own (so that jubilees do not depend on the
//! gazetteer's content), and eleven events among the Central Asian states, written
//! as JSONL and imported through the real binary.
#![allow(dead_code)]
use serde_json::{Value, json};

/// One event of the fixture, as the tests reason about it.
pub struct Ev {
    pub id: &'static str,
    pub kind: &'static str,
    pub title: &'static str,
    pub date: Option<&'static str>,
    pub parts: &'static [(&'static str, &'static str)],
    pub places: &'static [&'static str],
    pub status: &'static str,
    pub review: &'static str,
}

pub const EVENTS: &[Ev] = &[
    Ev {
        id: "e01",
        kind: "culture_days",
        title: "Days of Culture of Turkmenistan in Kazakhstan",
        date: Some("2008-04-25/2008-05-02"),
        parts: &[("KZ", "host"), ("TM", "guest")],
        places: &["place:almaty"],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e02",
        kind: "festival",
        title: "Festival of Turkic music in Tashkent",
        date: Some("2009-09"),
        parts: &[("UZ", "host"), ("KZ", "guest"), ("KG", "guest"), ("org:turksoy", "organiser")],
        places: &["place:tashkent"],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e03",
        kind: "agreement",
        title: "Treaty of eternal friendship (test)",
        date: Some("1997-05-01"),
        parts: &[("KZ", "signatory"), ("UZ", "signatory")],
        places: &[],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e04",
        kind: "conference",
        title: "Conference on oral epics in Bishkek",
        date: Some("2010"),
        parts: &[("KG", "host"), ("TJ", "guest"), ("person:test-poet", "participant")],
        places: &["place:bishkek"],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e05",
        kind: "diplomatic_relations",
        title: "Diplomatic relations between Kazakhstan and Turkmenistan",
        date: Some("1992-10-05"),
        parts: &[("KZ", "participant"), ("TM", "participant")],
        places: &[],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e06",
        kind: "exhibition",
        title: "Exhibition of manuscripts in Test Town",
        date: Some("2009"),
        parts: &[("KZ", "host"), ("UZ", "guest"), ("org:unesco", "organiser")],
        places: &["place:test-town"],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e07",
        kind: "festival",
        title: "Undated festival",
        date: None,
        parts: &[("TJ", "host"), ("UZ", "guest")],
        places: &[],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e08",
        kind: "festival",
        title: "Cancelled festival",
        date: Some("2009-06-01"),
        parts: &[("KZ", "host"), ("TM", "guest")],
        places: &["place:almaty"],
        status: "cancelled",
        review: "accepted",
    },
    Ev {
        id: "e09",
        kind: "performance",
        title: "Unreviewed tour",
        date: Some("2011-03-15"),
        parts: &[("KZ", "host"), ("UZ", "guest")],
        places: &[],
        status: "held",
        review: "candidate",
    },
    Ev {
        id: "e10",
        kind: "founding",
        title: "Founding of the test institute",
        date: Some("2002-02-28"),
        parts: &[("org:test-institute", "participant"), ("UZ", "organiser")],
        places: &[],
        status: "held",
        review: "accepted",
    },
    Ev {
        id: "e11",
        kind: "summit",
        title: "Consultative meeting of the heads of state",
        date: Some("2009-12-28/2010-01-03"),
        parts: &[
            ("KZ", "participant"),
            ("UZ", "participant"),
            ("KG", "participant"),
            ("TJ", "participant"),
            ("TM", "participant"),
        ],
        places: &["place:test-town"],
        status: "held",
        review: "accepted",
    },
];

fn sources() -> Vec<Value> {
    vec![
        json!({"record": "source", "id": "src-a", "type": "article-journal",
            "title": "Cultural cooperation in Central Asia: a test & a check",
            "author": [{"family": "Adiyet", "given": "Kairken"}, {"family": "Ayagan", "given": "Burkitbay"}],
            "issued": "2020-03", "container-title": "Journal of Tests", "volume": "17", "issue": "3",
            "page": "803-814", "DOI": "10.1234/test.5", "URL": "https://example.org/a?b=1&c=2", "language": "en"}),
        json!({"record": "source", "id": "src-b", "type": "manuscript", "title": "Опись дел фонда 1987",
            "issued": "1993~", "language": "ru",
            "archival": {"archive": "ЦГА РК", "fond": "1987", "inventory": "1", "case": "45", "sheet": "3-5"}}),
    ]
}

fn entities() -> Vec<Value> {
    let names = |en: &str, ru: &str| json!([{"text": en, "lang": "en", "preferred": true}, {"text": ru, "lang": "ru", "preferred": true}]);
    vec![
        json!({"record": "entity", "id": "person:test-poet", "kind": "person", "names": names("Test Poet", "Тестовый поэт"), "country": "KZ", "dates": "1927-10-13/1977-07-12"}),
        json!({"record": "entity", "id": "person:test-sage", "kind": "person", "names": names("Test Sage", "Тестовый мудрец"), "country": "UZ", "dates": "1441~/1501"}),
        json!({"record": "entity", "id": "org:test-institute", "kind": "organization", "names": names("Test Institute", "Тестовый институт"), "country": "UZ", "dates": "1997/.."}),
        json!({"record": "entity", "id": "work:test-epic", "kind": "work", "names": names("Test Epic", "Тестовый эпос"), "country": "KG", "dates": "199X"}),
        json!({"record": "entity", "id": "place:test-town", "kind": "place", "country": "TJ", "coordinates": {"lat": 40.28, "lon": 69.62},
            "wikidata": "Q999999",
            "names": [{"text": "Test Town", "lang": "en", "preferred": true}, {"text": "Тестоград", "lang": "ru", "preferred": true}, {"text": "Old Test", "lang": "en", "form": "former"}]}),
    ]
}

fn event(e: &Ev) -> Value {
    let mut v = json!({"record": "event", "id": e.id, "type": e.kind, "title": e.title,
        "participants": e.parts.iter().map(|(p, r)| json!({"entity": p, "role": r})).collect::<Vec<_>>(),
        "places": e.places, "status": e.status, "review": e.review,
        "evidence": [{"source": "src-a", "page": "12", "asserted_by": "user:test", "confidence": 0.9, "status": e.review}]});
    if let Some(d) = e.date {
        v["date"] = json!(d);
    }
    if e.id == "e03" {
        v["description"] = json!("Signed in Tashkent; ratified later.");
        v["sectors"] = json!(["politics", "culture"]);
        v["evidence"] = json!([{"source": "src-b", "start": 10, "end": 42, "quote": "договор о вечной дружбе",
            "page": "л. 3", "asserted_by": "keruen-extract@0.1.0", "confidence": 0.75, "status": "accepted",
            "claim": {"type": "agreement", "date": "1997-05", "countries": ["KZ", "UZ"], "places": ["place:tashkent"]}}]);
    }
    v
}

/// The fixture as JSONL.
pub fn jsonl() -> String {
    let mut out = String::new();
    for v in sources().into_iter().chain(entities()).chain(EVENTS.iter().map(event)) {
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

/// Accepted, not cancelled: what the measures count by default.
pub fn counted() -> impl Iterator<Item = &'static Ev> {
    EVENTS.iter().filter(|e| e.review == "accepted" && e.status != "cancelled")
}
