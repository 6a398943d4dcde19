//! What the duplicate sweep (`curate/sweep.rs`) reads: compact profiles of the
//! events of one type.
use crate::Result;
use crate::txn::Profile;
use keruen_model::EventType;
use rusqlite::Connection;
use std::collections::HashMap;

/// The live, dated, not rejected events of one type, by first day, with their
/// participants and places (sorted row ids).
pub(crate) fn profiles(c: &Connection, t: EventType) -> Result<Vec<Profile>> {
    let mut st = c.prepare_cached(
        "SELECT id, date_lo, date_hi, date, review FROM events
         WHERE type = ?1 AND merged_into IS NULL AND review <> 'rejected'
           AND date_lo IS NOT NULL AND date_hi IS NOT NULL",
    )?;
    let mut out: Vec<Profile> = st
        .query_map([t.as_str()], |r| {
            Ok(Profile {
                id: r.get(0)?,
                lo: r.get(1)?,
                hi: r.get(2)?,
                date: r.get(3)?,
                candidate: r.get::<_, String>(4)? == "candidate",
                participants: Vec::new(),
                places: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    for (table, places) in [("participants", false), ("event_places", true)] {
        let mut st = c.prepare_cached(&format!(
            "SELECT x.event_id, x.entity_id FROM {table} x JOIN events e ON e.id = x.event_id WHERE e.type = ?1"
        ))?;
        let mut rows = st.query([t.as_str()])?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                let list = if places { &mut out[i].places } else { &mut out[i].participants };
                list.push(r.get(1)?);
            }
        }
    }
    for p in &mut out {
        p.participants.sort_unstable();
        p.participants.dedup();
        p.places.sort_unstable();
        p.places.dedup();
    }
    out.sort_by_key(|p| (p.lo, p.id));
    Ok(out)
}
