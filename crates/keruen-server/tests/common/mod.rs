//! The fixture database of the server's tests: the curated demo events, one document
//! ingested as candidates with every kind of extracted span, an entity whose name is
//! a script tag, and users with tokens. Requests go through `app(state)` in process
//! with `oneshot`: no ports, no sleeps.
#![allow(dead_code)]
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use keruen_model::{
    Annotation, AnnotationKind, ArchivalRef, Citation, Entity, EntityKind, Event, EventType, Evidence, Name,
    Participant, Record, RecordLine, Reference, ReviewStatus, Role, Source,
};
use keruen_server::{AppState, Config, app};
use keruen_store::{Actor, Curation, ImportOptions, IngestBundle, SqliteStore, Store, UserRole};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub const XSS: &str = "<script>alert(1)</script>";
pub const PASSWORD: &str = "correct horse battery";

/// The ingested document.
pub const DOC: &str = "On 5 October 2008 the Days of Culture of Turkmenistan opened in Almaty \
(ф. 1987, оп. 1, д. 45).\nAs Smith (2001: 12) notes, such days were frequent.\n\nReferences\n\
Smith, J. 2001. Culture in Central Asia. Almaty: Nauka.\n";

pub struct Fixture {
    pub app: Router,
    pub state: AppState,
    pub store: Arc<SqliteStore>,
    pub dir: tempfile::TempDir,
    pub editor_token: String,
    pub viewer_token: String,
    pub source_id: String,
    pub candidate_id: String,
}

/// Character range of `needle` in `hay`.
fn span(hay: &str, needle: &str) -> (usize, usize) {
    let b = hay.find(needle).unwrap_or_else(|| panic!("{needle} not in the document"));
    let start = hay[..b].chars().count();
    (start, start + needle.chars().count())
}

fn ann(kind: AnnotationKind, text: &str, value: Option<&str>, target: Option<&str>) -> Annotation {
    let (start, end) = span(DOC, text);
    Annotation {
        kind,
        start,
        end,
        text: text.into(),
        value: value.map(Into::into),
        target: target.map(Into::into),
    }
}

fn build(config: Config) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::create(dir.path().join("web.db")).unwrap());
    store.seed_gazetteer(&keruen_gazetteer::Gazetteer::builtin().entities()).unwrap();
    let demo = include_str!("../../../../data/demo/events.jsonl");
    let mut lines = keruen_export::jsonl::read(demo.as_bytes());
    store.import(&mut lines, &ImportOptions::default(), &mut |r| panic!("{}", r.reason)).unwrap();

    // An entity whose name is a script, taking part in an accepted event.
    let xss = Entity {
        id: "org:xss".into(),
        kind: EntityKind::Organization,
        names: vec![Name::new(XSS, "en").preferred(), Name::new(XSS, "ru").preferred()],
        iso: None,
        wikidata: None,
        country: Some("KZ".into()),
        coordinates: None,
        dates: None,
        description: Some(format!("described as {XSS}")),
    };
    let mut ev = Event::new("xss-event", EventType::Festival, Some("2010-05-01".parse().unwrap()));
    ev.title = Some(format!("Festival of {XSS}"));
    ev.participants = vec![Participant::new("KZ", Role::Host), Participant::new("org:xss", Role::Organiser)];
    ev.review = ReviewStatus::Accepted;
    let src = Source::from_text("Fixture source", "A festival was held.");
    let mut e = Evidence::new(src.id.clone(), "user:admin");
    e.status = ReviewStatus::Accepted;
    ev.evidence = vec![e];
    let records = vec![Record::Source(src), Record::Entity(xss), Record::Event(ev)];
    let mut it = records.into_iter().enumerate().map(|(i, r)| RecordLine {
        line: i + 1,
        record: Ok(r),
        raw: String::new(),
    });
    store.import(&mut it, &ImportOptions::default(), &mut |r| panic!("{}", r.reason)).unwrap();

    // A document with every kind of span, and a candidate event.
    let mut source = Source::from_text("Report on the Days of Culture", DOC);
    source.language = Some("en".into());
    let source_id = source.id.clone();
    let candidate_id = format!("{source_id}-e001");
    let sentence = "On 5 October 2008 the Days of Culture of Turkmenistan opened in Almaty \
(ф. 1987, оп. 1, д. 45).";
    let (s0, s1) = span(DOC, sentence);
    let mut cand = Event::new(&candidate_id, EventType::CultureDays, Some("2008-10-05".parse().unwrap()));
    cand.title = Some("Days of Culture of Turkmenistan in Almaty".into());
    cand.participants = vec![Participant::new("KZ", Role::Host), Participant::new("TM", Role::Guest)];
    cand.places = vec!["place:almaty".into()];
    let mut evd = Evidence::new(&source_id, "keruen-extract@test");
    evd.start = Some(s0 as u32);
    evd.end = Some(s1 as u32);
    evd.quote = Some(sentence.into());
    evd.confidence = 0.8;
    cand.evidence = vec![evd];
    let (a0, a1) = span(DOC, "ф. 1987, оп. 1, д. 45");
    let (c0, c1) = span(DOC, "Smith (2001: 12)");
    let refline = "Smith, J. 2001. Culture in Central Asia. Almaty: Nauka.";
    let (r0, r1) = span(DOC, refline);
    let bundle = IngestBundle {
        source,
        new_entities: vec![],
        events: vec![cand],
        annotations: vec![
            ann(AnnotationKind::Event, sentence, Some("culture_days"), Some(&candidate_id)),
            ann(AnnotationKind::Timex, "5 October 2008", Some("2008-10-05"), None),
            ann(AnnotationKind::Entity, "Turkmenistan", Some("country"), Some("TM")),
            ann(AnnotationKind::Entity, "Almaty", Some("place"), Some("place:almaty")),
            ann(AnnotationKind::Archival, "ф. 1987, оп. 1, д. 45", Some("1987/1/45"), None),
            ann(AnnotationKind::Citation, "Smith (2001: 12)", Some("0"), None),
            ann(AnnotationKind::Reference, refline, Some("0"), None),
        ],
        archival_refs: vec![ArchivalRef {
            archive: None,
            fond: "1987".into(),
            inventory: Some("1".into()),
            case: Some("45".into()),
            sheet: None,
            start: a0,
            end: a1,
            text: "ф. 1987, оп. 1, д. 45".into(),
        }],
        citations: vec![Citation {
            author: "Smith".into(),
            year: Some("2001".into()),
            pages: Some("12".into()),
            start: c0,
            end: c1,
            text: "Smith (2001: 12)".into(),
            reference: Some(0),
        }],
        references: vec![Reference {
            index: 0,
            start: r0,
            end: r1,
            text: refline.into(),
            authors: vec!["Smith".into()],
            year: Some("2001".into()),
        }],
        actor: "keruen-extract@test".into(),
    };
    store.ingest(&bundle).unwrap();

    let admin = Actor::local_admin();
    store.add_user(&admin, "ed", UserRole::Editor, PASSWORD).unwrap();
    store.add_user(&admin, "vi", UserRole::Viewer, PASSWORD).unwrap();
    let (_, editor_token) = store.create_token(&admin, "ed", "tests", None).unwrap();
    let (_, viewer_token) = store.create_token(&admin, "vi", "tests", None).unwrap();
    let state = AppState::with_config(store.clone(), config);
    Fixture {
        app: app(state.clone()),
        state,
        store,
        dir,
        editor_token,
        viewer_token,
        source_id,
        candidate_id,
    }
}

/// A fresh fixture (for tests that write or count attempts).
pub fn fresh(config: Config) -> Fixture {
    build(config)
}

/// One fixture shared by the read-only tests of a test binary.
pub fn shared() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| build(Config::default()))
}

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", &self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The error of an error response, checked for shape.
    pub fn error(&self) -> serde_json::Value {
        let j = self.json();
        let e = &j["error"];
        assert!(e["code"].is_string() && e["message"].is_string(), "not an error shape: {}", self.text);
        assert!(j.as_object().unwrap().len() == 1, "extra keys: {}", self.text);
        for k in e.as_object().unwrap().keys() {
            assert!(["code", "message", "field"].contains(&k.as_str()), "unexpected key {k}: {}", self.text);
        }
        e.clone()
    }
}

pub async fn send(app: &Router, req: Request<Body>) -> Res {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Res { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &Router, uri: &str) -> Res {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// GET with extra headers.
pub async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Res {
    let mut b = Request::get(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    send(app, b.body(Body::empty()).unwrap()).await
}

/// POST a body with headers.
pub async fn post(app: &Router, uri: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Res {
    let mut b = Request::post(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    send(app, b.body(body.into()).unwrap()).await
}

/// The value of a cookie set by a response.
pub fn set_cookie<'a>(res: &'a Res, name: &str) -> Option<&'a str> {
    res.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
}

/// The `value` of the hidden input named `csrf` in a page.
pub fn csrf_in(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

/// Signs in through the login form; returns the session cookie (`keruen_session=…`).
pub async fn sign_in(app: &Router, name: &str, password: &str) -> (Res, String) {
    let form = get(app, "/login").await;
    let cookie = set_cookie(&form, "keruen_session").unwrap().split(';').next().unwrap().to_string();
    let csrf = csrf_in(&form.text);
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("name", name),
        ("password", password),
        ("next", "/"),
    ])
    .unwrap();
    let res = post(
        app,
        "/login",
        &[("content-type", "application/x-www-form-urlencoded"), ("cookie", &cookie)],
        body,
    )
    .await;
    let session = set_cookie(&res, "keruen_session")
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap_or(cookie);
    (res, session)
}
