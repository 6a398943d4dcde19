//! Writes: the review queue and its decisions, imports. Every write needs a user
//! with the editor role (a bearer token, or a session with its CSRF header); the
//! store checks the role again and records the change under the user's name.
use super::dto::EventHit;
use crate::auth::{ApiCaller, Role};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::Params;
use crate::security::read_body;
use crate::state::AppState;
use crate::users::{QueueFilter, decide, import as store_import, queue};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use keruen_model::{EventType, ReviewStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One candidate of the review queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewItemDto {
    /// The event.
    pub event: EventHit,
    /// Confidence of its most confident evidence.
    pub confidence: f32,
    /// The source of that evidence.
    pub source: String,
    /// The sentence it came from.
    pub quote: Option<String>,
    /// Page or locator.
    pub page: Option<String>,
    /// Pieces of evidence.
    pub evidence: usize,
    /// Pass as `cursor` to list what follows this item.
    pub cursor: String,
}

/// The queue, one page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewQueue {
    /// Candidates, most confident first.
    pub items: Vec<ReviewItemDto>,
    /// Cursor of the next page.
    pub next: Option<String>,
}

/// Candidate events waiting for review (editors).
#[utoipa::path(get, path = "/api/v1/review", tag = "review",
    params(("source" = Option<String>, Query, description = "Only events with evidence from this source"),
        ("type" = Option<String>, Query, description = "Only events of this type"),
        ("limit" = Option<usize>, Query, description = "1–500 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The `next` of the previous page")),
    responses((status = 200, body = ReviewQueue), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn review_queue(
    State(st): State<AppState>,
    caller: ApiCaller,
    p: Params,
) -> ApiResult<Json<ReviewQueue>> {
    p.only(&["source", "type", "limit", "cursor"])?;
    let limit = p.limit(50, 500)?;
    let filter = QueueFilter {
        source: p.one("source")?.map(str::to_string),
        event_type: p.get::<EventType>("type")?,
        cursor: p.one("cursor")?.map(str::to_string),
        limit,
    };
    caller.require_reader(Role::Editor)?;
    let items = queue(&st, filter).await?;
    let next = if items.len() == limit { items.last().map(|i| i.cursor.clone()) } else { None };
    Ok(Json(ReviewQueue {
        items: items
            .into_iter()
            .map(|i| ReviewItemDto {
                event: i.event.into(),
                confidence: i.confidence,
                source: i.source,
                quote: i.quote,
                page: i.page,
                evidence: i.evidence,
                cursor: i.cursor,
            })
            .collect(),
        next,
    }))
}

/// A review decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// Event ids.
    pub ids: Vec<String>,
    /// `accepted` or `rejected`.
    #[schema(example = "accepted")]
    pub decision: String,
    /// Why (kept in the audit log).
    #[serde(default)]
    pub reason: Option<String>,
}

/// What a review did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResult {
    /// Events whose status changed.
    pub reviewed: usize,
}

/// Reads a JSON body of at most the JSON limit into `T`, naming the field at fault.
pub(crate) async fn json_body<T: serde::de::DeserializeOwned>(
    st: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<T> {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.starts_with("application/json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send JSON with Content-Type: application/json",
        )
        .with_field("Content-Type"));
    }
    let bytes = read_body(body, headers, st.config.json_limit).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        let msg = e.to_string();
        let field = msg.split('`').nth(1).filter(|_| msg.contains("field")).unwrap_or("body").to_string();
        ApiError::invalid(field, format!("the JSON body is not right: {msg}"))
    })
}

/// Accept or reject candidate events (editors).
#[utoipa::path(post, path = "/api/v1/review", tag = "review", request_body = ReviewRequest,
    responses((status = 200, body = ReviewResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn review(
    State(st): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ReviewResult>> {
    let user = caller.require_writer(Role::Editor)?.clone();
    let req: ReviewRequest = json_body(&st, &headers, body).await?;
    let decision = match req.decision.as_str() {
        "accepted" => ReviewStatus::Accepted,
        "rejected" => ReviewStatus::Rejected,
        other => {
            return Err(ApiError::invalid(
                "decision",
                format!("`decision` must be accepted or rejected, not `{other}`"),
            ));
        }
    };
    if req.ids.is_empty() {
        return Err(ApiError::invalid("ids", "name at least one event"));
    }
    if req.ids.len() > 10_000 {
        return Err(ApiError::invalid("ids", "at most 10,000 events at a time"));
    }
    Ok(Json(ReviewResult { reviewed: decide(&st, &user, req.ids, decision, req.reason).await? }))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// New sources.
    pub sources: u64,
    /// New entities.
    pub entities: u64,
    /// New events.
    pub events: u64,
    /// Records already present.
    pub unchanged: u64,
    /// Lines rejected (with `skip_invalid=true`), with reasons.
    pub rejected: Vec<RejectedLine>,
}

/// A line that was not imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedLine {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// Import records (JSON Lines of docs/formats.md) as the calling editor. Up to 20 MB.
#[utoipa::path(post, path = "/api/v1/import", tag = "review",
    params(("skip_invalid" = Option<bool>, Query, description = "Import the good lines and report the bad ones instead of aborting")),
    request_body(content = String, content_type = "application/x-ndjson", description = "One record per line"),
    responses((status = 200, body = ImportResult), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn import(
    State(st): State<AppState>,
    caller: ApiCaller,
    p: Params,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportResult>> {
    p.only(&["skip_invalid"])?;
    let skip = p.flag("skip_invalid")?;
    let user = caller.require_writer(Role::Editor)?.clone();
    let bytes = read_body(body, &headers, st.config.upload_limit).await?;
    // As `keruen import` refuses an empty or a binary file.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid(
            "body",
            "the body is empty: send records as JSON Lines (docs/formats.md)",
        ));
    }
    if bytes.contains(&0) {
        return Err(ApiError::invalid(
            "body",
            "the body looks binary (it contains NUL bytes), not JSON Lines: send records as JSON Lines (docs/formats.md)",
        ));
    }
    let (r, rejected) = store_import(&st, &user, bytes.to_vec(), skip).await?;
    Ok(Json(ImportResult {
        sources: r.sources,
        entities: r.entities,
        events: r.events,
        unchanged: r.unchanged,
        rejected: rejected.into_iter().map(|(line, reason)| RejectedLine { line, reason }).collect(),
    }))
}

/// Who the caller is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// User name; `null` for an anonymous reader.
    pub name: Option<String>,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
}

/// The calling user and role (anonymous callers are viewers).
#[utoipa::path(get, path = "/api/v1/me", tag = "about",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)), security((), ("bearer" = [])))]
pub async fn me(caller: ApiCaller, p: Params) -> ApiResult<Json<Me>> {
    p.only(&[])?;
    Ok(Json(Me {
        name: caller.user.as_ref().map(|u| u.name.clone()),
        role: caller.user.as_ref().map_or(Role::Viewer, |u| u.role).as_str().into(),
    }))
}
