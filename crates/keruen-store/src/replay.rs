//! Rebuilding a database from another's audit log.
//!
//! The log holds every change with whole records: a created source with its text, a
//! created entity or event as imported, an ingest with the spans and references it
//! found, and for every curation change the whole [`crate::EventState`] of each event
//! it touched, plus the rows of users and tokens (with hashes, never secrets). So a
//! replay needs nothing but the log — and the reference data (the gazetteer), which
//! is not logged and is copied first.
//!
//! Replaying into an empty database gives the same sources, entities, events,
//! evidence, review states, merges, chosen values, users and tokens, and the same
//! log, entry for entry (`tests/curation_replay.rs` compares them).
use crate::auth::{Actor, Permission};
use crate::{AuditEntry, Result, Store, StoreError};
use std::collections::HashSet;

/// Entries applied per transaction.
const BATCH: usize = 1000;

/// What a replay did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReplayReport {
    /// Reference entities copied before the log.
    pub gazetteer: usize,
    /// Audit entries applied.
    pub entries: u64,
}

/// Replays the audit log of `from` into `into`, which must hold no sources, events
/// or audit entries (reference data is fine). Needs an admin.
pub fn replay(from: &dyn Store, into: &dyn Store, by: &Actor) -> Result<ReplayReport> {
    by.require("replay an audit log", Permission::Administer)?;
    let target = into.stats()?;
    if target.sources > 0 || target.events > 0 || target.audit > 0 {
        return Err(StoreError::Conflict(format!(
            "replay needs an empty database; this one has {} sources, {} events and {} audit entries",
            target.sources, target.events, target.audit
        )));
    }
    // The reference data: every entity of `from` that no log entry created.
    let mut logged = HashSet::new();
    from.audit_log(0, &mut |e| {
        if crate::curate::apply::creates_entity(&e) {
            logged.insert(e.item);
        }
        Ok(())
    })?;
    let mut reference = Vec::new();
    from.entities(&mut |e| {
        if !logged.contains(&e.id) {
            reference.push(e);
        }
        Ok(())
    })?;
    let mut report = ReplayReport { gazetteer: into.seed_gazetteer(&reference)?, entries: 0 };
    let mut batch: Vec<AuditEntry> = Vec::with_capacity(BATCH);
    from.audit_log(0, &mut |mut e| {
        fill_source_text(from, &mut e)?;
        batch.push(e);
        if batch.len() == BATCH {
            into.apply_audit(by, &batch)?;
            report.entries += batch.len() as u64;
            batch.clear();
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        into.apply_audit(by, &batch)?;
        report.entries += batch.len() as u64;
    }
    Ok(report)
}

/// Logs written before schema v2 held a created source without its text; the text
/// is the source's identity (its SHA-256), so it is taken from `from`, unchanged.
fn fill_source_text(from: &dyn Store, e: &mut AuditEntry) -> Result<()> {
    let Some(serde_json::Value::Object(after)) = &mut e.after else { return Ok(()) };
    if e.action != "create" || !after.contains_key("sha256") || after.contains_key("text") {
        return Ok(());
    }
    if let Some(text) = from.source(&e.item)?.and_then(|s| s.text) {
        after.insert("text".into(), serde_json::Value::String(text));
    }
    Ok(())
}
