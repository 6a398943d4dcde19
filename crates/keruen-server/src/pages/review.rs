//! The review queue: candidate events with the sentence they came from, accepted or
//! rejected with a button or a key (a accept, r reject, j/k or ↓/↑ move, s skip).
use super::layout::*;
use crate::auth::{Ctx, Role};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::security::read_body;
use crate::state::AppState;
use crate::users::{QueueFilter, decide as store_decide, queue as store_queue};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use keruen_model::{EventType, ReviewStatus};
use maud::{Markup, html};

/// Accept and reject buttons for one event.
pub fn decide_form(ctx: &Ctx, id: &str, back: &str) -> Markup {
    let l = ctx.lang;
    html! {
        form.decide action="/review" method="post" {
            input type="hidden" name="csrf" value=[ctx.csrf.as_deref()];
            input type="hidden" name="id" value=(id);
            input type="hidden" name="next" value=(back);
            button.accept type="submit" name="decision" value="accepted" title=(l.t("review.key_accept")) { "✓ " (l.t("review.accept")) }
            " "
            button.reject type="submit" name="decision" value="rejected" title=(l.t("review.key_reject")) { "✗ " (l.t("review.reject")) }
        }
    }
}

/// `GET /review`.
pub async fn queue(ctx: Ctx, State(st): State<AppState>, p: Params) -> ApiResult<Response> {
    p.only(&["source", "type", "cursor"])?;
    if ctx.user.is_none() {
        return Ok(Redirect::to(&format!("/login?{}", qs(&[("next", ctx.here.clone())]))).into_response());
    }
    ctx.require(Role::Editor)?;
    let l = ctx.lang;
    let filter = QueueFilter {
        source: p.one("source")?.map(str::to_string),
        event_type: p.get::<EventType>("type")?,
        cursor: p.one("cursor")?.map(str::to_string),
        limit: 50,
    };
    let items = store_queue(&st, filter).await?;
    let next = items.last().map(|i| i.cursor.clone());
    Ok(page(
        &ctx,
        Frame { title: l.t("review.title").into(), nav: Nav::Review, json: Some("/api/v1/review".into()), scripts: &["review.js"], lead: Some(l.t("review.lead").into()) },
        html! {
            p.keys #review-keys {
                (l.t("review.keys")) " "
                kbd { "a" } " " (l.t("review.accept")) " · "
                kbd { "r" } " " (l.t("review.reject")) " · "
                kbd { "j" } "/" kbd { "↓" } " " (l.t("review.next")) " · "
                kbd { "k" } "/" kbd { "↑" } " " (l.t("review.previous")) " · "
                kbd { "o" } " " (l.t("review.open"))
            }
            p.small.muted #review-status aria-live="polite" {}
            @if items.is_empty() { p.empty { (l.t("review.empty")) } }
            ol.queue #queue data-csrf=[ctx.csrf.as_deref()] {
                @for (i, it) in items.iter().enumerate() {
                    li.item tabindex="0" data-id=(it.event.id) aria-selected=[(i == 0).then_some("true")] {
                        div.head {
                            a.title href=(event_url(&it.event.id)) { (it.event.title.clone().unwrap_or_else(|| type_label(l, it.event.event_type.as_str()).to_string())) }
                            " " (type_badge(l, it.event.event_type.as_str()))
                            " " (date_label(l, it.event.date.as_deref()))
                            @for c in &it.event.countries { " " span.cc { (c) } }
                        }
                        @if let Some(q) = &it.quote { blockquote { (q) } }
                        p.small.muted {
                            a href=(format!("{}#{}", source_url(&it.source), super::items::anchor_of(&it.event.id))) { (l.t("review.in_source")) }
                            " · " (l.t("event.confidence")) " " (format!("{:.0}%", it.confidence * 100.0))
                            @if it.evidence > 1 { " · " (l.tf("review.evidence_n", &[("n", &it.evidence)])) }
                        }
                        (decide_form(&ctx, &it.event.id, "/review"))
                    }
                }
            }
            @if let Some(n) = next { @if items.len() == 50 { p.more { a rel="next" href=(format!("/review?{}", qs(&[("cursor", n)]))) { (l.t("search.next_page")) " →" } } } }
        },
    )
    .into_response())
}

/// A local path to go back to (never another site).
fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/review".into(),
    }
}

/// `POST /review`: a form of the queue or an event page.
pub async fn decide(
    ctx: Ctx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let body = read_body(body, &headers, st.config.json_limit).await?;
    let form = Params::parse(
        std::str::from_utf8(&body).map_err(|_| ApiError::invalid("body", "the form is not UTF-8"))?,
    )?;
    form.only(&["csrf", "id", "decision", "reason", "next"])?;
    ctx.check_csrf(form.one("csrf")?)?;
    let user = ctx.require(Role::Editor)?.clone();
    let decision = match form.one("decision")? {
        Some("accepted") => ReviewStatus::Accepted,
        Some("rejected") => ReviewStatus::Rejected,
        _ => return Err(ApiError::invalid("decision", "`decision` must be accepted or rejected")),
    };
    let ids: Vec<String> = form.all("id").into_iter().map(str::to_string).collect();
    if ids.is_empty() {
        return Err(ApiError::invalid("id", "name at least one event"));
    }
    let n = store_decide(&st, &user, ids, decision, form.one("reason")?.map(str::to_string)).await?;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        return Ok((StatusCode::OK, axum::Json(serde_json::json!({ "reviewed": n }))).into_response());
    }
    Ok(Redirect::to(&local(form.one("next")?)).into_response())
}
