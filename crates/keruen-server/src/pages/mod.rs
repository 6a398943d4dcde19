//! The pages of the web UI, server-rendered with maud (escaping by default).
pub(crate) mod about;
pub(crate) mod charts;
pub(crate) mod items;
pub(crate) mod layout;
pub(crate) mod login;
pub(crate) mod review;
pub(crate) mod search;

use crate::auth::{Ctx, LANG_COOKIE, set_cookie};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use layout::{Frame, Nav, page};
use maud::html;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search::home))
        .route("/search", get(search::search))
        .route("/events/{id}", get(items::event))
        .route("/entities", get(items::entities))
        .route("/entities/{id}", get(items::entity))
        .route("/sources", get(items::sources))
        .route("/sources/{id}", get(items::source))
        .route("/timeline", get(charts::timeline))
        .route("/map", get(charts::map))
        .route("/network", get(charts::network))
        .route("/matrix", get(charts::matrix))
        .route("/calendar", get(charts::calendar))
        .route("/review", get(review::queue).post(review::decide))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
        .route("/about", get(about::about))
}

/// Whether a path belongs to the API (JSON errors) rather than to the pages.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/calendar.ics" || path.starts_with("/assets/")
}

/// For page routes: renders an [`ApiError`] as an HTML page in the visitor's
/// language; for every route, remembers a language chosen with `?lang=` in a cookie.
pub async fn page_layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let (mut parts, body) = req.into_parts();
    let ctx = Ctx::from_request_parts(&mut parts, &st).await.ok();
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let Some(ctx) = ctx else { return res };
    if ctx.lang_from_query {
        let c = set_cookie(&st, LANG_COOKIE, ctx.lang.code(), Some(365 * 24 * 3600));
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if is_api(&path) {
        return res;
    }
    if let Some(err) = res.extensions().get::<ApiError>().cloned() {
        let l = ctx.lang;
        let title = match err.status.as_u16() {
            404 => l.t("error.not_found"),
            401 => l.t("error.unauthorized"),
            403 => l.t("error.forbidden"),
            413 => l.t("error.too_large"),
            429 => l.t("error.too_many"),
            400..=499 => l.t("error.bad_request"),
            _ => l.t("error.internal"),
        };
        let body = page(
            &ctx,
            Frame { title: title.into(), nav: Nav::None, json: None, scripts: &[], lead: None },
            html! {
                p.error-message { (err.message) }
                @if let Some(f) = &err.field { p.muted { (l.t("error.field")) " " code { (f) } } }
                p { a href="/" { (l.t("error.home")) } " · " a href="/search" { (l.t("nav.search")) } }
            },
        );
        let mut html_res = (err.status, body).into_response();
        for (k, v) in res.headers() {
            if k == header::SET_COOKIE || k == header::RETRY_AFTER {
                html_res.headers_mut().append(k, v.clone());
            }
        }
        return html_res;
    }
    res
}
