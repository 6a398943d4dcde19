//! Reads: one item by key, the whole export stream, counts, history.
use super::PgTx;
use crate::{AuditEntry, EventScope, Facet, Result, Stats, StoreError};
use keruen_model::{Claim, Entity, Event, Evidence, Participant, Record, Source};
use postgres::Row;
use std::collections::HashMap;

/// Columns of `events` read by [`event_from_row`], in order (as SQLite's).
pub(crate) const EVENT_COLUMNS: &str = "id, key, type, title, description, date, status, sectors, review";

/// Events assembled per round of [`events`].
const EVENTS_PER_ROUND: i64 = 5_000;

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Conflict(format!("stored record is corrupt: {what}"))
}

pub(crate) fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T> {
    s.parse().map_err(corrupt)
}

/// An event without participants, places or evidence, and its row id.
pub(crate) fn event_from_row(r: &Row) -> Result<(i64, Event)> {
    let id: i64 = r.get(0);
    let date = r.get::<_, Option<String>>(5).map(|d| d.parse().map_err(corrupt)).transpose()?;
    let sectors: String = r.get(7);
    let mut e = Event::new(r.get::<_, String>(1), parse(r.get(2))?, date);
    e.title = r.get(3);
    e.description = r.get(4);
    e.status = parse(r.get(6))?;
    e.sectors = sectors.split(',').filter(|s| !s.is_empty()).map(parse).collect::<Result<_>>()?;
    e.review = parse(r.get(8))?;
    Ok((id, e))
}

/// Columns of `evidence` read by [`evidence_from_row`], in order.
pub(crate) const EVIDENCE_COLUMNS: &str =
    "v.start, v.\"end\", v.quote, v.page, v.asserted_by, v.confidence, v.status, v.claim";

/// Evidence of `source` from a row whose columns from `at` on are [`EVIDENCE_COLUMNS`].
pub(crate) fn evidence_from_row(r: &Row, at: usize, source: String) -> Result<Evidence> {
    let claim: Option<Claim> =
        r.get::<_, Option<String>>(at + 7).map(|c| serde_json::from_str(&c)).transpose()?;
    let pos = |v: Option<i64>| v.map(|v| u32::try_from(v).map_err(corrupt)).transpose();
    Ok(Evidence {
        source,
        start: pos(r.get(at))?,
        end: pos(r.get(at + 1))?,
        quote: r.get(at + 2),
        page: r.get(at + 3),
        asserted_by: r.get(at + 4),
        confidence: r.get::<_, f64>(at + 5) as f32,
        status: parse(r.get(at + 6))?,
        claim,
    })
}

/// Fills participants, places and evidence of the event with row id `id`.
pub(crate) fn complete_event(tx: &mut PgTx, id: i64, e: &mut Event) -> Result<()> {
    e.participants = tx
        .query(
            "SELECT en.key, p.role FROM participants p JOIN entities en ON en.id = p.entity_id
             WHERE p.event_id = $1 ORDER BY p.position",
            &[&id],
        )?
        .iter()
        .map(|r| Ok(Participant { entity: r.get(0), role: parse(r.get(1))? }))
        .collect::<Result<_>>()?;
    e.places = tx
        .query(
            "SELECT en.key FROM event_places p JOIN entities en ON en.id = p.entity_id
             WHERE p.event_id = $1 ORDER BY p.position",
            &[&id],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    e.evidence = tx
        .query(
            &format!(
                "SELECT s.key, {EVIDENCE_COLUMNS} FROM evidence v JOIN sources s ON s.id = v.source_id
                 WHERE v.event_id = $1 ORDER BY v.position"
            ),
            &[&id],
        )?
        .iter()
        .map(|r| evidence_from_row(r, 1, r.get(0)))
        .collect::<Result<_>>()?;
    Ok(())
}

pub(crate) fn event(tx: &mut PgTx, key: &str) -> Result<Option<Event>> {
    let Some(r) = tx.query_opt(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE key = $1"), &[&key])?
    else {
        return Ok(None);
    };
    let (id, mut e) = event_from_row(&r)?;
    complete_event(tx, id, &mut e)?;
    Ok(Some(e))
}

pub(crate) fn entity(tx: &mut PgTx, key: &str) -> Result<Option<Entity>> {
    let r = tx.query_opt("SELECT record FROM entities WHERE key = $1", &[&key])?;
    Ok(r.map(|r| serde_json::from_str(r.get(0))).transpose()?)
}

const SOURCE_COLUMNS: &str = "key, sha256, csl, text";

fn source_from_row(r: &Row) -> Result<Source> {
    let mut s: Source = serde_json::from_str(r.get(2))?;
    s.id = r.get(0);
    s.sha256 = r.get(1);
    s.text = r.get(3);
    Ok(s)
}

pub(crate) fn source(tx: &mut PgTx, key: &str) -> Result<Option<Source>> {
    let r = tx.query_opt(&format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE key = $1"), &[&key])?;
    r.map(|r| source_from_row(&r)).transpose()
}

fn keys(tx: &mut PgTx, table: &str) -> Result<HashMap<i64, String>> {
    Ok(tx.query(&format!("SELECT id, key FROM {table}"), &[])?.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Runs `f` on the rows of `sql` (whose last parameter is the id to continue after),
/// a round of `EVENTS_PER_ROUND` at a time, so that a million rows are never held at
/// once. `f` returns the row id to continue after.
fn in_rounds(tx: &mut PgTx, sql: &str, mut f: impl FnMut(&mut PgTx, &[Row]) -> Result<i64>) -> Result<()> {
    let mut after = 0i64;
    loop {
        let rows = tx.query(sql, &[&after, &EVENTS_PER_ROUND])?;
        if rows.is_empty() {
            return Ok(());
        }
        let n = rows.len() as i64;
        after = f(tx, &rows)?;
        if n < EVENTS_PER_ROUND {
            return Ok(());
        }
    }
}

/// Streams every record: sources, imported and extracted entities, then every event
/// that has not been merged into another.
pub(crate) fn export(tx: &mut PgTx, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
    in_rounds(
        tx,
        &format!("SELECT id, {SOURCE_COLUMNS} FROM sources WHERE id > $1 ORDER BY id LIMIT $2"),
        |_, rows| {
            for r in rows {
                let mut s: Source = serde_json::from_str(r.get(3))?;
                s.id = r.get(1);
                s.sha256 = r.get(2);
                s.text = r.get(4);
                sink(Record::Source(s))?;
            }
            Ok(rows.last().map(|r| r.get(0)).unwrap_or_default())
        },
    )?;
    in_rounds(
        tx,
        "SELECT id, record FROM entities WHERE origin <> 'gazetteer' AND id > $1 ORDER BY id LIMIT $2",
        |_, rows| {
            for r in rows {
                sink(Record::Entity(serde_json::from_str(r.get(1))?))?;
            }
            Ok(rows.last().map(|r| r.get(0)).unwrap_or_default())
        },
    )?;
    events(tx, EventScope::All, &mut |e| sink(Record::Event(e)))
}

/// Streams the events in `scope`, complete with participants, places and evidence,
/// in insertion order: a round of events, then the participants, places and
/// evidence of exactly those, joined here (four queries per round, not per event).
pub(crate) fn events(
    tx: &mut PgTx,
    scope: EventScope,
    sink: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<()> {
    let entity_keys = keys(tx, "entities")?;
    let source_keys = keys(tx, "sources")?;
    let review = match scope {
        EventScope::Accepted => "AND review = 'accepted'",
        EventScope::NotRejected => "AND review <> 'rejected'",
        EventScope::All => "",
    };
    let entity_key = |id: i64| entity_keys.get(&id).cloned().unwrap_or_default();
    in_rounds(
        tx,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE merged_into IS NULL {review} AND id > $1 ORDER BY id LIMIT $2"
        ),
        |tx, rows| {
            let mut batch: Vec<(i64, Event)> = rows.iter().map(event_from_row).collect::<Result<_>>()?;
            let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
            let at: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            for r in tx.query(
                "SELECT event_id, entity_id, role FROM participants WHERE event_id = ANY($1) ORDER BY event_id, position",
                &[&ids],
            )? {
                let e = &mut batch[at[&r.get::<_, i64>(0)]].1;
                e.participants.push(Participant { entity: entity_key(r.get(1)), role: parse(r.get(2))? });
            }
            for r in tx.query(
                "SELECT event_id, entity_id FROM event_places WHERE event_id = ANY($1) ORDER BY event_id, position",
                &[&ids],
            )? {
                batch[at[&r.get::<_, i64>(0)]].1.places.push(entity_key(r.get(1)));
            }
            for r in tx.query(
                &format!(
                    "SELECT v.event_id, v.source_id, {EVIDENCE_COLUMNS} FROM evidence v
                     WHERE v.event_id = ANY($1) ORDER BY v.event_id, v.position"
                ),
                &[&ids],
            )? {
                let source = source_keys.get(&r.get::<_, i64>(1)).cloned().unwrap_or_default();
                let v = evidence_from_row(&r, 2, source)?;
                batch[at[&r.get::<_, i64>(0)]].1.evidence.push(v);
            }
            let last = ids.last().copied().unwrap_or_default();
            for (_, e) in batch {
                sink(e)?;
            }
            Ok(last)
        },
    )
}

pub(crate) fn entities(tx: &mut PgTx, sink: &mut dyn FnMut(Entity) -> Result<()>) -> Result<()> {
    in_rounds(tx, "SELECT id, record FROM entities WHERE id > $1 ORDER BY id LIMIT $2", |_, rows| {
        for r in rows {
            sink(serde_json::from_str(r.get(1))?)?;
        }
        Ok(rows.last().map(|r| r.get(0)).unwrap_or_default())
    })
}

fn facet_counts(tx: &mut PgTx, sql: &str) -> Result<Vec<Facet>> {
    Ok(tx
        .query(sql, &[])?
        .iter()
        .map(|r| Facet { value: r.get(0), count: r.get::<_, i64>(1) as u64 })
        .collect())
}

pub(crate) fn stats(tx: &mut PgTx) -> Result<Stats> {
    let r = tx.query_one(
        "SELECT min(year), max(year) FROM events WHERE merged_into IS NULL AND year IS NOT NULL",
        &[],
    )?;
    let years = match (r.get::<_, Option<i64>>(0), r.get::<_, Option<i64>>(1)) {
        (Some(a), Some(b)) => Some((a as i32, b as i32)),
        _ => None,
    };
    Ok(Stats {
        sources: tx.count("SELECT count(*) FROM sources", &[])?,
        entities: facet_counts(tx, "SELECT kind, count(*) FROM entities GROUP BY kind ORDER BY kind")?,
        events: tx.count("SELECT count(*) FROM events WHERE merged_into IS NULL", &[])?,
        events_by_review: facet_counts(
            tx,
            "SELECT review, count(*) FROM events WHERE merged_into IS NULL GROUP BY review ORDER BY review",
        )?,
        events_by_type: facet_counts(
            tx,
            "SELECT type, count(*) FROM events WHERE merged_into IS NULL GROUP BY type ORDER BY count(*) DESC, type",
        )?,
        years,
        evidence: tx.count("SELECT count(*) FROM evidence", &[])?,
        archival_refs: tx.count("SELECT count(*) FROM archival_refs", &[])?,
        citations: tx.count("SELECT count(*) FROM citations", &[])?,
        audit: tx.count("SELECT count(*) FROM audit", &[])?,
    })
}

/// Columns of `audit` read by [`audit_from_row`].
pub(crate) const AUDIT_COLUMNS: &str = "id, at, actor, action, item, before, after, reason";

pub(crate) fn audit_from_row(r: &Row) -> AuditEntry {
    let json = |i: usize| r.get::<_, Option<String>>(i).and_then(|s| serde_json::from_str(&s).ok());
    AuditEntry {
        id: r.get(0),
        at: r.get(1),
        actor: r.get(2),
        action: r.get(3),
        item: r.get(4),
        before: json(5),
        after: json(6),
        reason: r.get(7),
    }
}

pub(crate) fn history(tx: &mut PgTx, item: &str) -> Result<Vec<AuditEntry>> {
    let rows =
        tx.query(&format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE item = $1 ORDER BY id"), &[&item])?;
    let mut entries: Vec<AuditEntry> = rows.iter().map(audit_from_row).collect();
    entries.iter_mut().for_each(AuditEntry::redact);
    Ok(entries)
}

/// Streams the whole log after entry `after`, unredacted.
pub(crate) fn audit_log(
    tx: &mut PgTx,
    after: i64,
    sink: &mut dyn FnMut(AuditEntry) -> Result<()>,
) -> Result<()> {
    let mut last = after;
    loop {
        let rows = tx.query(
            &format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE id > $1 ORDER BY id LIMIT $2"),
            &[&last, &EVENTS_PER_ROUND],
        )?;
        let n = rows.len() as i64;
        for r in &rows {
            let e = audit_from_row(r);
            last = e.id;
            sink(e)?;
        }
        if n < EVENTS_PER_ROUND {
            return Ok(());
        }
    }
}
