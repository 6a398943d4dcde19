//! Merge, unmerge, split and undo. Each writes whole [`EventState`]s and appends one
//! audit entry per event it changes.
use super::state::{record, require, require_live};
use crate::conflicts::{claim_of_event, claimed, current, set_field};
use crate::curation::{ConflictField, EventState, Undone};
use crate::txn::{AuditQuery, Txn};
use crate::{Actor, Result, StoreError};
use keruen_model::{Event, Evidence, ReviewStatus};

/// Evidence that has no claim gets one saying what its event said, so that after a
/// merge every piece of evidence still states its own date, states and places.
fn with_claims(e: &Event) -> Vec<Evidence> {
    let claim = claim_of_event(e);
    e.evidence
        .iter()
        .map(|v| {
            let mut v = v.clone();
            if v.claim.is_none() {
                v.claim = Some(claim.clone());
            }
            v
        })
        .collect()
}

pub(crate) fn merge(
    tx: &mut dyn Txn,
    by: &Actor,
    survivor: &str,
    other: &str,
    reason: Option<&str>,
) -> Result<EventState> {
    if survivor == other {
        return Err(StoreError::Conflict(format!("cannot merge `{survivor}` into itself")));
    }
    let (a_id, a_before) = require_live(tx, survivor)?;
    let (b_id, b_before) = require_live(tx, other)?;
    let mut a = a_before.clone();
    let mut b = b_before.clone();
    a.event.evidence = with_claims(&a_before.event);
    a.event.evidence.extend(with_claims(&b_before.event));
    b.event.evidence.clear();
    b.merged_into = Some(survivor.to_string());
    tx.save_state(a_id, &a)?;
    tx.save_state(b_id, &b)?;
    // The survivor's entry first: unmerge finds it just before the other's.
    record(tx, by, "merge", Some(&a_before), &a, reason)?;
    record(tx, by, "merged", Some(&b_before), &b, reason)?;
    Ok(a)
}

/// The same piece of evidence, whatever its review status or confidence since.
fn same_evidence(x: &Evidence, y: &Evidence) -> bool {
    (&x.source, x.start, x.end, &x.quote, &x.page, &x.asserted_by)
        == (&y.source, y.start, y.end, &y.quote, &y.page, &y.asserted_by)
}

fn state_of(v: &Option<serde_json::Value>) -> Result<EventState> {
    let v = v.as_ref().ok_or_else(|| StoreError::Conflict("the audit entry holds no state".into()))?;
    Ok(serde_json::from_value(v.clone())?)
}

pub(crate) fn unmerge(
    tx: &mut dyn Txn,
    by: &Actor,
    merged: &str,
    reason: Option<&str>,
) -> Result<EventState> {
    let (b_id, b_now) = require(tx, merged)?;
    if b_now.merged_into.is_none() {
        return Err(StoreError::Conflict(format!("event `{merged}` is not merged into another")));
    }
    // Evidence follows merges: the event that holds it now is at the end of the chain.
    let mut holder = b_now.merged_into.clone().unwrap_or_default();
    let (h_id, h_before) = loop {
        let (id, s) = require(tx, &holder)?;
        match &s.merged_into {
            Some(next) if next != merged => holder = next.clone(),
            Some(_) => return Err(StoreError::Conflict(format!("merge cycle at `{holder}`"))),
            None => break (id, s),
        }
    };
    let merged_entry = tx
        .audit_entry(AuditQuery::LastAboutWith(merged, "merged"))?
        .ok_or_else(|| StoreError::Conflict(format!("no merge of `{merged}` in the audit log")))?;
    let b_pre = state_of(&merged_entry.before)?;
    // The survivor as it was just before the merge, if its entry is there.
    let a_pre = tx
        .audit_entry(AuditQuery::Numbered(merged_entry.id - 1, "merge"))?
        .map(|e| state_of(&e.before))
        .transpose()?;

    let mut h = h_before.clone();
    let mut b = b_pre.clone();
    b.event.evidence.clear();
    for pre in &b_pre.event.evidence {
        // A piece split off since is no longer on the holder: it stays where it is.
        if let Some(i) = h.event.evidence.iter().position(|v| same_evidence(v, pre)) {
            let mut back = h.event.evidence.remove(i);
            back.claim = pre.claim.clone();
            b.event.evidence.push(back);
        }
    }
    if let Some(a_pre) = &a_pre {
        // The merge gave claims to the survivor's evidence that had none: take them back.
        let filled = claim_of_event(&a_pre.event);
        for v in &mut h.event.evidence {
            let was_bare = a_pre.event.evidence.iter().any(|p| p.claim.is_none() && same_evidence(p, v));
            if was_bare && v.claim.as_ref() == Some(&filled) {
                v.claim = None;
            }
        }
        // A value chosen since the merge that only the other event's evidence claimed
        // leaves with it: the survivor gets back its value from before the merge.
        for field in ConflictField::ALL {
            let now = current(&h.event, field);
            let claimed_here = h
                .event
                .evidence
                .iter()
                .any(|v| v.claim.as_ref().and_then(|c| claimed(c, field)) == Some(now.clone()));
            if now != current(&a_pre.event, field) && !claimed_here {
                set_field(&mut h.event, field, &current(&a_pre.event, field))?;
                h.chosen_by.set(field, a_pre.chosen_by.get(field).map(str::to_string));
            }
        }
    }
    tx.save_state(h_id, &h)?;
    tx.save_state(b_id, &b)?;
    record(tx, by, "unmerge", Some(&h_before), &h, reason)?;
    record(tx, by, "unmerge", Some(&b_now), &b, reason)?;
    Ok(b)
}

/// A key for a new event split off `key`: `KEY-s1`, `KEY-s2`, …
fn split_key(tx: &mut dyn Txn, key: &str) -> Result<String> {
    for n in 1.. {
        let k = format!("{key}-s{n}");
        if !tx.event_exists(&k)? {
            return Ok(k);
        }
    }
    unreachable!("an unbounded range ends only by returning")
}

pub(crate) fn split(
    tx: &mut dyn Txn,
    by: &Actor,
    key: &str,
    number: usize,
    reason: Option<&str>,
) -> Result<Event> {
    let (id, before) = require_live(tx, key)?;
    let n = before.event.evidence.len();
    if number == 0 || number > n {
        return Err(StoreError::Invalid {
            line: 0,
            message: format!("event `{key}` has evidence 1 to {n}; there is no evidence {number}"),
        });
    }
    if n == 1 {
        return Err(StoreError::Conflict(format!(
            "event `{key}` has only one piece of evidence: there is nothing to split off"
        )));
    }
    let mut after = before.clone();
    let moved = after.event.evidence.remove(number - 1);
    let claim = moved.claim.clone().unwrap_or_else(|| claim_of_event(&before.event));
    let mut e = Event::new(split_key(tx, key)?, claim.event_type.unwrap_or(before.event.event_type), None);
    e.date = claim.date.clone().or_else(|| before.event.date.clone());
    e.title = before.event.title.clone();
    e.status = before.event.status;
    e.sectors = before.event.sectors.clone();
    e.review = ReviewStatus::Candidate;
    let countries: Vec<(String, Option<keruen_model::Role>)> = if claim.countries.is_empty() {
        before.event.countries().into_iter().map(|c| (c.to_string(), None)).collect()
    } else {
        let mut v = Vec::new();
        for c in &claim.countries {
            if tx.entity_exists(c)? {
                v.push((c.clone(), None));
            }
        }
        v
    };
    e.participants = before.event.participants.clone();
    crate::conflicts::set_countries(&mut e, countries);
    let places = if claim.places.is_empty() { before.event.places.clone() } else { claim.places.clone() };
    e.places = Vec::new();
    for p in places {
        if tx.entity_exists(&p)? {
            e.places.push(p);
        }
    }
    e.evidence = vec![Evidence { claim: Some(claim), ..moved }];
    tx.save_state(id, &after)?;
    tx.insert_event(&e)?;
    record(tx, by, "split", Some(&before), &after, reason)?;
    let why = format!("split from {key}{}", reason.map(|r| format!(": {r}")).unwrap_or_default());
    let created = serde_json::to_string(&e)?;
    tx.audit(&by.key(), "create", &e.id, None, Some(&created), Some(&why))?;
    Ok(e)
}

pub(crate) fn undo(tx: &mut dyn Txn, by: &Actor, item: &str, reason: Option<&str>) -> Result<Undone> {
    let last = tx
        .audit_entry(AuditQuery::LastAbout(item))?
        .ok_or_else(|| StoreError::Conflict(format!("`{item}` has no history: there is nothing to undo")))?;
    let undone = Undone { entry: last.id, action: last.action.clone(), item: item.into() };
    let refuse = |what: String| {
        Err(StoreError::Conflict(format!("the last change to `{item}` (#{}) {what}", last.id)))
    };
    match last.action.as_str() {
        "review" | "edit" | "resolve" | "undo" => {
            let (id, now) = require_live(tx, item)?;
            if now != state_of(&last.after)? {
                return refuse(
                    "is not its current state: it changed without a record; nothing undone".into(),
                );
            }
            let restored = state_of(&last.before)?;
            tx.save_state(id, &restored)?;
            let why =
                reason.map(str::to_string).unwrap_or_else(|| format!("undo #{} ({})", last.id, last.action));
            record(tx, by, "undo", Some(&now), &restored, Some(&why))?;
        }
        "merged" => {
            unmerge(tx, by, item, reason.or(Some(&format!("undo #{}", last.id))))?;
        }
        "merge" => {
            let other = tx.audit_entry(AuditQuery::Numbered(last.id + 1, "merged"))?.ok_or_else(|| {
                StoreError::Conflict(format!("the other half of merge #{} is missing", last.id))
            })?;
            unmerge(tx, by, &other.item, reason.or(Some(&format!("undo #{}", last.id))))?;
        }
        "create" => return refuse("created it: reject it instead (`keruen review reject ID`)".into()),
        "split" => {
            return refuse("split evidence off it: merge the new event back (`keruen merge ID NEW`)".into());
        }
        "unmerge" => return refuse("was an unmerge: merge the two events again (`keruen merge A B`)".into()),
        other => return refuse(format!("is `{other}`, which cannot be undone")),
    }
    Ok(undone)
}
