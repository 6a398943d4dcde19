//! Review decisions, and events whose evidence disagrees.
use super::state;
use crate::txn::Txn;
use crate::{Actor, EventHit, Result};
use keruen_model::{Event, ReviewStatus};

/// Sets the review status of one event and of its evidence: accepting accepts the
/// evidence still candidate; rejecting rejects it all; back to candidate leaves the
/// evidence as it is. Returns whether anything changed.
pub(crate) fn review_one(
    tx: &mut dyn Txn,
    by: &Actor,
    key: &str,
    decision: ReviewStatus,
    reason: Option<&str>,
) -> Result<bool> {
    let changed = state::change(tx, by, key, "review", reason, |s| {
        s.event.review = decision;
        for ev in &mut s.event.evidence {
            match decision {
                ReviewStatus::Accepted if ev.status == ReviewStatus::Candidate => ev.status = decision,
                ReviewStatus::Rejected => ev.status = decision,
                _ => {}
            }
        }
        Ok(())
    })?;
    Ok(changed.is_some())
}

/// Reviews events; an unknown key aborts (the caller's transaction is dropped).
pub(crate) fn review(
    tx: &mut dyn Txn,
    by: &Actor,
    ids: &[String],
    decision: ReviewStatus,
    reason: Option<&str>,
) -> Result<usize> {
    let mut n = 0;
    for id in ids {
        n += usize::from(review_one(tx, by, id, decision, reason)?);
    }
    Ok(n)
}

/// An event as a result-list line; `countries` comma-separated.
pub(crate) fn hit(e: Event, countries: &str) -> EventHit {
    EventHit {
        id: e.id,
        event_type: e.event_type,
        title: e.title,
        date: e.date.map(|d| d.to_string()),
        countries: countries.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        status: e.status,
        review: e.review.as_str().into(),
    }
}

/// An event as a result-list line.
pub(crate) fn hit_of(e: &Event) -> EventHit {
    hit(e.clone(), &e.countries().join(","))
}

/// Events (live, not rejected) whose evidence disagrees, in store order.
pub(crate) fn disputed_events(tx: &mut dyn Txn, limit: usize) -> Result<Vec<EventHit>> {
    let mut out = Vec::new();
    for key in tx.claim_variants()? {
        if out.len() >= limit {
            break;
        }
        if let Some((_, s)) = tx.load_state(&key)?
            && crate::conflicts::conflicts(&s).disputed()
        {
            out.push(hit_of(&s.event));
        }
    }
    Ok(out)
}
