//! Security: escaping everywhere, headers, sessions with CSRF tokens, bearer tokens
//! and roles, body limits, login rate limiting (issue 5).
mod common;
use common::*;
use keruen_server::Config;
use std::time::Duration;

#[tokio::test]
async fn a_script_in_a_name_renders_as_text_everywhere() {
    let f = shared();
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for uri in [
        "/entities/org:xss",
        "/events/xss-event",
        "/search?q=festival+of",
        "/search?country=KZ&from=2010-05-01&to=2010-05-01",
        "/network?kind=organization&kind=country&limit=300",
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, 200, "{uri}");
        assert!(!r.text.contains(XSS), "{uri} contains the raw script");
        assert!(r.text.contains(escaped), "{uri} does not show the name as text");
    }
    // A script in the address is escaped too (the search title, the error page).
    let r = get(&f.app, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!r.text.contains(XSS) && r.text.contains(escaped));
    let r = get(&f.app, "/events/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(r.status, 404);
    assert!(!r.text.contains(XSS) && r.text.contains(escaped), "{}", r.text);
    // JSON carries it as a string.
    let j = get(&f.app, "/api/v1/entities/org:xss").await.json();
    assert_eq!(j["name"], XSS);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let f = shared();
    for uri in [
        "/",
        "/search?q=x",
        "/api/v1/stats",
        "/api/openapi.json",
        "/assets/app.css",
        "/nope",
        "/api/v1/nope",
        "/calendar.ics",
    ] {
        let r = get(&f.app, uri).await;
        let csp = r.header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(r.header("x-frame-options"), "DENY", "{uri}");
        assert_eq!(r.header("referrer-policy"), "same-origin", "{uri}");
    }
    // No inline script or style in any page: everything comes from /assets.
    for uri in [
        "/",
        "/search?q=Almaty",
        "/timeline",
        "/map",
        "/network",
        "/matrix",
        "/calendar",
        "/about",
        "/login",
        &format!("/sources/{}", f.source_id),
    ] {
        let r = get(&f.app, uri).await;
        assert!(
            !r.text.contains("<script>") && !r.text.contains("<style") && !r.text.contains(" style=\""),
            "{uri} has inline code"
        );
        assert!(
            !r.text.contains("http://") || uri == "/about" || !r.text.contains("src=\"http"),
            "{uri} loads from elsewhere"
        );
    }
}

#[tokio::test]
async fn login_sets_a_fresh_httponly_session_and_forms_need_its_csrf_token() {
    let f = fresh(Config::default());
    let form = get(&f.app, "/login").await;
    let anon = set_cookie(&form, "keruen_session").expect("an anonymous session for the form's token");
    assert!(anon.contains("HttpOnly") && anon.contains("SameSite=Lax") && anon.contains("Path=/"), "{anon}");
    let (res, session) = sign_in(&f.app, "ed", PASSWORD).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let set = set_cookie(&res, "keruen_session").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"));
    assert_ne!(session, anon.split(';').next().unwrap(), "the session id changes at login");

    // The review queue is the editor's; its forms carry the session's token.
    let page = get_with(&f.app, "/review", &[("cookie", &session)]).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains(&f.candidate_id), "the candidate is in the queue");
    let csrf = csrf_in(&page.text);
    let form = |token: &str| {
        serde_urlencoded::to_string([
            ("csrf", token),
            ("id", f.candidate_id.as_str()),
            ("decision", "accepted"),
            ("next", "/review"),
        ])
        .unwrap()
    };
    let ct = ("content-type", "application/x-www-form-urlencoded");
    // Without the token, with another token, without the session: refused, nothing changes.
    for (cookie, body) in
        [(session.as_str(), form("")), (session.as_str(), form(&"0".repeat(64))), ("", form(&csrf))]
    {
        let r = post(&f.app, "/review", &[ct, ("cookie", cookie)], body).await;
        assert_eq!(r.status, 403, "{}", r.text);
        assert!(r.header("content-type").starts_with("text/html"), "a form gets a page");
    }
    let unchanged = get(&f.app, &format!("/api/v1/events/{}", f.candidate_id)).await.json();
    assert_eq!(unchanged["review"], "candidate");
    // With it: accepted, recorded under the user's name, and back to the queue.
    let r = post(&f.app, "/review", &[ct, ("cookie", &session)], form(&csrf)).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(r.header("location"), "/review");
    let done = get(&f.app, &format!("/api/v1/events/{}", f.candidate_id)).await.json();
    assert_eq!(done["review"], "accepted");
    let history = get(&f.app, &format!("/api/v1/history/{}", f.candidate_id)).await.json();
    assert!(history.as_array().unwrap().iter().any(|h| h["actor"] == "user:ed"), "{history}");
    // The API with the cookie needs the X-CSRF-Token header for writes.
    let json = ("content-type", "application/json");
    let body = format!(r#"{{"ids":["{}"],"decision":"rejected"}}"#, f.candidate_id);
    let r = post(&f.app, "/api/v1/review", &[json, ("cookie", &session)], body.clone()).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.error()["field"], "X-CSRF-Token");
    let r =
        post(&f.app, "/api/v1/review", &[json, ("cookie", &session), ("x-csrf-token", &csrf)], body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Signing out ends the session.
    let r = post(&f.app, "/logout", &[ct, ("cookie", &session)], format!("csrf={csrf}")).await;
    assert_eq!(r.status, 303);
    let after = get_with(&f.app, "/review", &[("cookie", &session)]).await;
    assert_eq!(after.status, 303, "signed out: sent to the login page");
    assert!(after.header("location").starts_with("/login"));
}

#[tokio::test]
async fn viewers_cannot_review_and_editors_can_through_bearer_tokens() {
    let f = fresh(Config::default());
    let json = ("content-type", "application/json");
    let body = format!(
        r#"{{"ids":["{}"],"decision":"accepted","reason":"checked against the report"}}"#,
        f.candidate_id
    );
    let r = post(&f.app, "/api/v1/review", &[json], body.clone()).await;
    assert_eq!(r.status, 401);
    let r = post(&f.app, "/api/v1/review", &[json, ("authorization", "Bearer krn_00")], body.clone()).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.error()["field"], "Authorization");
    let viewer = format!("Bearer {}", f.viewer_token);
    let r = post(&f.app, "/api/v1/review", &[json, ("authorization", &viewer)], body.clone()).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = get_with(&f.app, "/api/v1/review", &[("authorization", &viewer)]).await;
    assert_eq!(r.status, 403);
    let editor = format!("Bearer {}", f.editor_token);
    let q = get_with(&f.app, "/api/v1/review", &[("authorization", &editor)]).await.json();
    assert!(
        q["items"].as_array().unwrap().iter().any(|i| i["event"]["id"] == f.candidate_id.as_str()),
        "{q}"
    );
    let me = get_with(&f.app, "/api/v1/me", &[("authorization", &editor)]).await.json();
    assert_eq!((me["name"].as_str(), me["role"].as_str()), (Some("ed"), Some("editor")));
    // Searched before the review (and so remembered by the search cache)…
    let search = "/api/v1/search?from=2008-10-05&to=2008-10-05&country=TM";
    let s = get(&f.app, search).await.json();
    assert!(!s["hits"].as_array().unwrap().iter().any(|h| h["id"] == f.candidate_id.as_str()));
    let r = post(&f.app, "/api/v1/review", &[json, ("authorization", &editor)], body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["reviewed"], 1);
    let e = get(&f.app, &format!("/api/v1/events/{}", f.candidate_id)).await.json();
    assert_eq!(e["review"], "accepted");
    // …the accepted event now counts in search without candidates.
    let s = get(&f.app, search).await.json();
    assert!(s["hits"].as_array().unwrap().iter().any(|h| h["id"] == f.candidate_id.as_str()));
    // An import by the editor, and one by the viewer.
    let line = r#"{"record":"entity","id":"place:test-town","kind":"place","names":[{"text":"Test Town","lang":"en"}]}"#;
    let r = post(&f.app, "/api/v1/import", &[("authorization", &viewer)], line).await;
    assert_eq!(r.status, 403);
    let r = post(&f.app, "/api/v1/import", &[("authorization", &editor)], format!("{line}\n")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["entities"], 1);
}

#[tokio::test]
async fn bodies_over_the_limit_get_a_clear_413() {
    let f = fresh(Config { json_limit: 1024, upload_limit: 4096, ..Config::default() });
    let editor = format!("Bearer {}", f.editor_token);
    let big = format!(r#"{{"ids":["{}"],"decision":"accepted"}}"#, "x".repeat(2000));
    let r = post(
        &f.app,
        "/api/v1/review",
        &[("content-type", "application/json"), ("authorization", &editor)],
        big,
    )
    .await;
    assert_eq!(r.status, 413);
    let e = r.error();
    assert_eq!(e["code"], "payload_too_large");
    assert!(e["message"].as_str().unwrap().contains("1 KB"), "{e}");
    // A body that streams past the limit without a Content-Length.
    let chunks: Vec<Result<&'static [u8], std::io::Error>> =
        vec![Ok(&[b' '; 3000][..]), Ok(&[b' '; 3000][..])];
    let body = axum::body::Body::new(futures_lite_stream(chunks));
    let r = post(&f.app, "/api/v1/import", &[("authorization", &editor)], body).await;
    assert_eq!(r.status, 413, "{}", r.text);
    r.error();
    // A page form too, answered as a page.
    let r =
        post(&f.app, "/login", &[("content-type", "application/x-www-form-urlencoded")], "a".repeat(5000))
            .await;
    assert_eq!(r.status, 413);
    assert!(r.header("content-type").starts_with("text/html"));
}

/// A stream of chunks, without pulling in a stream crate.
fn futures_lite_stream(
    chunks: Vec<Result<&'static [u8], std::io::Error>>,
) -> impl axum::body::HttpBody<Data = axum::body::Bytes, Error = std::io::Error> + Send + 'static {
    let frames: Vec<Result<http_body::Frame<axum::body::Bytes>, std::io::Error>> = chunks
        .into_iter()
        .map(|c| c.map(|b| http_body::Frame::data(axum::body::Bytes::from_static(b))))
        .collect();
    http_body_util::StreamBody::new(Iter(frames.into_iter()))
}

struct Iter<I>(I);
impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
    type Item = I::Item;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<I::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}

#[tokio::test]
async fn failed_logins_are_rate_limited() {
    let f = fresh(Config { login_attempts: 3, login_window: Duration::from_secs(60), ..Config::default() });
    for _ in 0..3 {
        let (r, _) = sign_in(&f.app, "ed", "wrong password").await;
        assert_eq!(r.status, 401, "{}", r.text);
    }
    // Past the limit, even the right password is refused for a while.
    let (r, _) = sign_in(&f.app, "ed", PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.text);
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!(wait > 0 && wait <= 61);
    // Bearer-token guessing counts too.
    let g = fresh(Config { login_attempts: 2, ..Config::default() });
    for _ in 0..2 {
        let r = get_with(&g.app, "/api/v1/me", &[("authorization", "Bearer krn_guess")]).await;
        assert_eq!(r.status, 401);
    }
    let r = get_with(&g.app, "/api/v1/me", &[("authorization", &format!("Bearer {}", g.editor_token))]).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.error()["code"], "too_many_attempts");
}

#[tokio::test]
async fn a_session_ends_when_its_user_is_disabled_and_nothing_is_written() {
    let f = fresh(Config::default());
    let (res, session) = sign_in(&f.app, "ed", PASSWORD).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = get_with(&f.app, "/review", &[("cookie", &session)]).await;
    assert_eq!(page.status, 200);
    let csrf = csrf_in(&page.text);
    // An admin disables the editor while the browser is still signed in.
    let admin = keruen_store::Actor::local_admin();
    keruen_store::Curation::disable_user(f.store.as_ref(), &admin, "ed").unwrap();
    let body = format!(r#"{{"ids":["{}"],"decision":"accepted"}}"#, f.candidate_id);
    let r = post(
        &f.app,
        "/api/v1/review",
        &[("content-type", "application/json"), ("cookie", &session), ("x-csrf-token", &csrf)],
        body,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.text);
    let unchanged = get(&f.app, &format!("/api/v1/events/{}", f.candidate_id)).await.json();
    assert_eq!(unchanged["review"], "candidate");
    // The session is gone: the review queue sends the browser to sign in.
    let after = get_with(&f.app, "/review", &[("cookie", &session)]).await;
    assert_eq!(after.status, 303);
    assert!(after.header("location").starts_with("/login"));
}

#[tokio::test]
async fn the_history_of_accounts_and_tokens_is_for_admins_only() {
    let f = fresh(Config::default());
    for item in ["user:ed", "user:vi"] {
        let r = get(&f.app, &format!("/api/v1/history/{item}")).await;
        assert_eq!(r.status, 401, "{item}: {}", r.text);
        assert!(!r.text.contains("editor") && !r.text.contains("viewer"), "{}", r.text);
        let r = get_with(
            &f.app,
            &format!("/api/v1/history/{item}"),
            &[("authorization", &format!("Bearer {}", f.editor_token))],
        )
        .await;
        assert_eq!(r.status, 403, "{item}: {}", r.text);
    }
    let admin = keruen_store::Actor::local_admin();
    keruen_store::Curation::add_user(
        f.store.as_ref(),
        &admin,
        "boss",
        keruen_store::UserRole::Admin,
        PASSWORD,
    )
    .unwrap();
    let (_, admin_token) =
        keruen_store::Curation::create_token(f.store.as_ref(), &admin, "boss", "tests", None).unwrap();
    let auth = format!("Bearer {admin_token}");
    let r = get_with(&f.app, "/api/v1/history/user:ed", &[("authorization", &auth)]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.json().as_array().unwrap().iter().any(|h| h["action"] == "user.add"), "{}", r.text);
    // Events stay public.
    assert_eq!(get(&f.app, &format!("/api/v1/history/{}", f.candidate_id)).await.status, 200);
}

/// A request as it arrives from `peer`, forwarded for `client` by a proxy.
async fn token_check(app: &axum::Router, peer: &str, client: &str, token: &str) -> u16 {
    let mut req = axum::http::Request::get("/api/v1/me")
        .header("authorization", format!("Bearer {token}"))
        .header("x-forwarded-for", format!("198.51.100.77, {client}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let peer: std::net::SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    send(app, req).await.status.as_u16()
}

#[tokio::test]
async fn behind_a_proxy_each_client_has_its_own_limit_and_a_direct_client_cannot_pick_one() {
    // Without --behind-proxy every request through the proxy is the proxy's: one
    // client's bad tokens lock out the next.
    let f = fresh(Config { login_attempts: 2, ..Config::default() });
    for _ in 0..2 {
        assert_eq!(token_check(&f.app, "127.0.0.1:40000", "203.0.113.5", "krn_guess").await, 401);
    }
    assert_eq!(token_check(&f.app, "127.0.0.1:40001", "203.0.113.9", &f.editor_token).await, 429);

    // With it, the address the proxy appended counts.
    let g = fresh(Config { login_attempts: 2, behind_proxy: true, ..Config::default() });
    for _ in 0..2 {
        assert_eq!(token_check(&g.app, "127.0.0.1:40000", "203.0.113.5", "krn_guess").await, 401);
    }
    assert_eq!(token_check(&g.app, "127.0.0.1:40000", "203.0.113.5", &g.editor_token).await, 429);
    assert_eq!(token_check(&g.app, "10.0.0.2:40001", "203.0.113.9", &g.editor_token).await, 200);
    // A client that reaches the server directly (a public address) is counted by its
    // own address whatever it claims: its guesses lock itself out, and a new claimed
    // address does not help.
    for _ in 0..2 {
        assert_eq!(token_check(&g.app, "192.0.2.1:5000", "203.0.113.200", "krn_guess").await, 401);
    }
    assert_eq!(token_check(&g.app, "192.0.2.1:5001", "203.0.113.201", &g.editor_token).await, 429);
}
