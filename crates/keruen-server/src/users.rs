//! The bridge to the store's users, tokens and review queue (the `Curation` trait):
//! every call runs on the blocking pool (argon2 is slow on purpose), and the store's
//! types become the server's.
use crate::auth::{Principal, Role};
use crate::error::ApiResult;
use crate::state::AppState;
use keruen_model::{EventType, ReviewStatus};

/// One candidate of the review queue.
#[derive(Debug, Clone)]
pub struct QueueItem {
    /// The event.
    pub event: keruen_store::EventHit,
    /// Confidence of the evidence shown.
    pub confidence: f32,
    /// Its source.
    pub source: String,
    /// The sentence it came from.
    pub quote: Option<String>,
    /// Page or locator.
    pub page: Option<String>,
    /// Pieces of evidence.
    pub evidence: usize,
    /// Cursor of what follows.
    pub cursor: String,
}

/// What the queue lists.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only events with evidence from this source.
    pub source: Option<String>,
    /// Only events of this type.
    pub event_type: Option<EventType>,
    /// Continue after this cursor.
    pub cursor: Option<String>,
    /// At most this many.
    pub limit: usize,
}

fn principal(u: keruen_store::User) -> Option<Principal> {
    if u.disabled {
        return None;
    }
    let role = match u.role {
        keruen_store::UserRole::Viewer => Role::Viewer,
        keruen_store::UserRole::Editor => Role::Editor,
        keruen_store::UserRole::Admin => Role::Admin,
    };
    Some(Principal { name: u.name, role })
}

fn actor(p: &Principal) -> keruen_store::Actor {
    let role = match p.role {
        Role::Viewer => keruen_store::UserRole::Viewer,
        Role::Editor => keruen_store::UserRole::Editor,
        Role::Admin => keruen_store::UserRole::Admin,
    };
    keruen_store::Actor { name: p.name.clone(), role }
}

/// The user of an API token, if it is valid.
/// A signed-in session's user as the database has them now: one disabled or removed
/// since signing in is `None`, a changed role is the new one.
pub async fn current_user(state: &AppState, name: String) -> ApiResult<Option<Principal>> {
    state.run(move |s| Ok(s.user(&name)?.and_then(principal))).await
}

pub async fn authenticate_token(state: &AppState, secret: String) -> ApiResult<Option<Principal>> {
    state.run(move |s| Ok(s.authenticate_token(&secret)?.and_then(principal))).await
}

/// The user whose name and password these are, if they are right and the user is
/// not disabled.
pub async fn verify_password(
    state: &AppState,
    name: String,
    password: String,
) -> ApiResult<Option<Principal>> {
    state.run(move |s| Ok(s.verify_password(&name, &password)?.and_then(principal))).await
}

/// The candidates waiting for review.
pub async fn queue(state: &AppState, filter: QueueFilter) -> ApiResult<Vec<QueueItem>> {
    let f = keruen_store::ReviewFilter {
        source: filter.source,
        event_type: filter.event_type,
        min_confidence: None,
        limit: Some(filter.limit),
        cursor: filter.cursor,
    };
    let items = state.run(move |s| Ok(s.review_queue(&f)?)).await?;
    Ok(items
        .into_iter()
        .map(|i| QueueItem {
            event: i.event,
            confidence: i.confidence,
            source: i.source,
            quote: i.quote,
            page: i.page,
            evidence: i.evidence,
            cursor: i.cursor,
        })
        .collect())
}

/// Accepts or rejects events; returns how many changed. The store checks the role
/// again: the server adds no rule of its own.
pub async fn decide(
    state: &AppState,
    by: &Principal,
    ids: Vec<String>,
    decision: ReviewStatus,
    reason: Option<String>,
) -> ApiResult<usize> {
    let by = actor(by);
    let n = state.run(move |s| Ok(s.review(&by, &ids, decision, reason.as_deref())?)).await?;
    state.data_changed();
    Ok(n)
}

/// Imports JSONL records as `by`; bad lines abort unless `skip_invalid`.
pub async fn import(
    state: &AppState,
    by: &Principal,
    body: Vec<u8>,
    skip_invalid: bool,
) -> ApiResult<(keruen_store::ImportReport, Vec<(usize, String)>)> {
    let by = actor(by);
    let out = state
        .run(move |s| {
            let mut lines = keruen_export::jsonl::read(body.as_slice());
            let options = keruen_store::ImportOptions { skip_invalid, actor: by.key(), bulk: false };
            let mut rejected = Vec::new();
            let report =
                s.import_as(&by, &mut lines, &options, &mut |r| rejected.push((r.line, r.reason)))?;
            Ok((report, rejected))
        })
        .await?;
    state.data_changed();
    Ok(out)
}
