//! Duplicate proposals, the same on every backend. One type at a time, the live
//! dated events are read as compact [`Profile`]s (row ids of participants and places,
//! day ranges), sorted by their first day and swept: each event is compared only with
//! those that start before it ends (plus [`MAX_GAP_DAYS`]). Only the best pairs are
//! then loaded whole and explained. A database of 200,000 events is swept in about a
//! second.
use super::review::hit_of;
use crate::curation::{DuplicateProposal, DuplicateQuery};
use crate::duplicates::{
    DEFAULT_MIN_SCORE, MAX_GAP_DAYS, combine, date_score, participant_score, place_score, score, shared_count,
};
use crate::txn::Txn;
use crate::{Result, StoreError};
use keruen_model::EventType;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const DEFAULT_LIMIT: usize = 50;

/// A scored pair, ordered so that a min-heap keeps the best: higher score, then
/// earlier events.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Ranked {
    score: u32,
    a: Reverse<i64>,
    b: Reverse<i64>,
}

pub(crate) fn duplicates(c: &mut dyn Txn, q: &DuplicateQuery) -> Result<Vec<DuplicateProposal>> {
    let min_score = q.min_score.unwrap_or(DEFAULT_MIN_SCORE);
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).max(1);
    let only = match &q.event {
        Some(key) => {
            Some(c.load_state(key)?.ok_or_else(|| StoreError::NotFound { kind: "event", key: key.clone() })?)
        }
        None => None,
    };
    let dismissed = c.dismissed()?;
    let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::new();
    let types: Vec<EventType> = match &only {
        Some((_, s)) => vec![s.event.event_type],
        None => EventType::ALL.to_vec(),
    };
    for t in types {
        let events = c.profiles(t)?;
        for (i, a) in events.iter().enumerate() {
            for b in &events[i + 1..] {
                if b.lo > a.hi.saturating_add(MAX_GAP_DAYS) {
                    break;
                }
                if let Some((id, _)) = &only
                    && a.id != *id
                    && b.id != *id
                {
                    continue;
                }
                if !q.include_accepted && !a.candidate && !b.candidate {
                    continue;
                }
                let shared_participants = shared_count(&a.participants, &b.participants);
                let shared_places = shared_count(&a.places, &b.places);
                if shared_participants == 0 && shared_places == 0 {
                    continue;
                }
                let Some(date) = date_score((a.lo, a.hi), (b.lo, b.hi), a.date == b.date) else { continue };
                let s = combine(
                    date,
                    participant_score(a.participants.len(), b.participants.len(), shared_participants),
                    place_score(a.places.len(), b.places.len(), shared_places),
                );
                if s < min_score {
                    continue;
                }
                let (x, y) = if a.id < b.id { (a.id, b.id) } else { (b.id, a.id) };
                best.push(Reverse(Ranked {
                    score: (s * 100.0).round() as u32,
                    a: Reverse(x),
                    b: Reverse(y),
                }));
                // Room for the dismissed pairs, which are only known by key.
                if best.len() > limit + dismissed.len() {
                    best.pop();
                }
            }
        }
    }
    let mut ranked: Vec<Ranked> = best.into_iter().map(|Reverse(r)| r).collect();
    ranked.sort_by(|x, y| y.cmp(x));
    let mut out = Vec::new();
    for r in ranked {
        if out.len() == limit {
            break;
        }
        let k = [c.event_key(r.a.0)?, c.event_key(r.b.0)?];
        let pair = if k[0] <= k[1] { (k[0].clone(), k[1].clone()) } else { (k[1].clone(), k[0].clone()) };
        if dismissed.contains(&pair) {
            continue;
        }
        let (Some((_, a)), Some((_, b))) = (c.load_state(&k[0])?, c.load_state(&k[1])?) else { continue };
        if let Some((s, reasons)) = score(&a.event, &b.event) {
            out.push(DuplicateProposal { a: hit_of(&a.event), b: hit_of(&b.event), score: s, reasons });
        }
    }
    Ok(out)
}
