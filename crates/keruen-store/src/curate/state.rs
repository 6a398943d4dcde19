//! An event's curated state ([`EventState`]) read and changed as a whole. Every
//! curation change goes through [`change`] or [`record`], so that the database and
//! the log cannot drift apart.
use crate::curation::EventState;
use crate::txn::Txn;
use crate::{Actor, Result, StoreError};

/// The state of the event `key` and its row id; an unknown key is an error.
pub(crate) fn require(tx: &mut dyn Txn, key: &str) -> Result<(i64, EventState)> {
    tx.load_state(key)?.ok_or_else(|| StoreError::NotFound { kind: "event", key: key.to_string() })
}

/// Like [`require`], but an event merged into another is refused: it is curated
/// through the event it was merged into.
pub(crate) fn require_live(tx: &mut dyn Txn, key: &str) -> Result<(i64, EventState)> {
    let (id, state) = require(tx, key)?;
    if let Some(into) = &state.merged_into {
        return Err(StoreError::Conflict(format!(
            "event `{key}` was merged into `{into}`: curate `{into}`, or run `keruen unmerge {key}` first"
        )));
    }
    Ok((id, state))
}

/// Appends an audit entry about an event, with whole states before and after.
pub(crate) fn record(
    tx: &mut dyn Txn,
    by: &Actor,
    action: &str,
    before: Option<&EventState>,
    after: &EventState,
    reason: Option<&str>,
) -> Result<()> {
    let before = before.map(serde_json::to_string).transpose()?;
    let after_json = serde_json::to_string(after)?;
    tx.audit(&by.key(), action, &after.event.id, before.as_deref(), Some(&after_json), reason)
}

/// Loads a live event, lets `f` change it, saves it and appends one audit entry.
/// Returns the new state, or `None` when `f` changed nothing (then nothing is
/// written, not even to the log).
pub(crate) fn change(
    tx: &mut dyn Txn,
    by: &Actor,
    key: &str,
    action: &str,
    reason: Option<&str>,
    f: impl FnOnce(&mut EventState) -> Result<()>,
) -> Result<Option<EventState>> {
    let (id, before) = require_live(tx, key)?;
    let mut after = before.clone();
    f(&mut after)?;
    if after == before {
        return Ok(None);
    }
    tx.save_state(id, &after)?;
    record(tx, by, action, Some(&before), &after, reason)?;
    Ok(Some(after))
}
