//! Reads: one item by key, the whole export stream, counts, history.
use super::PgTx;
use crate::{AuditEntry, EntityName, EventScope, Facet, NamedEvent, Result, SourceHit, Stats, StoreError};
use keruen_model::{Claim, Entity, EntityKind, Event, Evidence, Participant, Record, Source};
use postgres::Row;
use std::collections::HashMap;
use std::sync::LazyLock;

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
    evidence_of((
        source,
        r.get(at),
        r.get(at + 1),
        r.get(at + 2),
        r.get(at + 3),
        r.get(at + 4),
        r.get(at + 5),
        r.get(at + 6),
        r.get(at + 7),
    ))
}

/// One piece of evidence as stored: the source key, then the columns of
/// [`EVIDENCE_COLUMNS`] (the claim as JSON text).
type EvidenceParts =
    (String, Option<i64>, Option<i64>, Option<String>, Option<String>, String, f64, String, Option<String>);

fn evidence_of(parts: EvidenceParts) -> Result<Evidence> {
    let (source, start, end, quote, page, asserted_by, confidence, status, claim) = parts;
    let pos = |v: Option<i64>| v.map(|v| u32::try_from(v).map_err(corrupt)).transpose();
    let claim: Option<Claim> = claim.map(|c| serde_json::from_str(&c)).transpose()?;
    Ok(Evidence {
        source,
        start: pos(start)?,
        end: pos(end)?,
        quote,
        page,
        asserted_by,
        confidence: confidence as f32,
        status: parse(&status)?,
        claim,
    })
}

/// Participants, places and evidence of the event `e` of the enclosing query, as three
/// JSON arrays in position order (NULL when there are none): one statement reads an
/// event whole, where a query per list would cost a round trip each.
const EVENT_PARTS: &str = "(SELECT json_agg(json_build_array(en.key, p.role) ORDER BY p.position)::text
       FROM participants p JOIN entities en ON en.id = p.entity_id WHERE p.event_id = e.id),
     (SELECT json_agg(en.key ORDER BY p.position)::text
       FROM event_places p JOIN entities en ON en.id = p.entity_id WHERE p.event_id = e.id),
     (SELECT json_agg(json_build_array(s.key, v.start, v.\"end\", v.quote, v.page, v.asserted_by,
                                       v.confidence, v.status, v.claim) ORDER BY v.position)::text
       FROM evidence v JOIN sources s ON s.id = v.source_id WHERE v.event_id = e.id)";

/// A JSON array of [`EVENT_PARTS`]; none when NULL.
fn parts<T: serde::de::DeserializeOwned>(r: &Row, at: usize) -> Result<Vec<T>> {
    match r.get::<_, Option<&str>>(at) {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(json).map_err(|e| corrupt(format!("event parts: {e}"))),
    }
}

/// Fills participants, places and evidence from a row whose columns from `at` on
/// are [`EVENT_PARTS`].
fn event_parts(r: &Row, at: usize, e: &mut Event) -> Result<()> {
    e.participants = parts::<(String, String)>(r, at)?
        .into_iter()
        .map(|(entity, role)| Ok(Participant { entity, role: parse(&role)? }))
        .collect::<Result<_>>()?;
    e.places = parts(r, at + 1)?;
    e.evidence = parts::<EvidenceParts>(r, at + 2)?.into_iter().map(evidence_of).collect::<Result<_>>()?;
    Ok(())
}

/// Fills participants, places and evidence of the event with row id `id`.
pub(crate) fn complete_event(tx: &mut PgTx, id: i64, e: &mut Event) -> Result<()> {
    let r = tx.query_one(&format!("SELECT {EVENT_PARTS} FROM events e WHERE e.id = $1"), &[&id])?;
    event_parts(&r, 0, e)
}

/// The names and sources an event refers to, after [`EVENT_PARTS`] (for
/// [`crate::Store::named_event`]); keys in byte order, as Rust sorts them.
const EVENT_NAMES: &str = "(SELECT json_agg(json_build_array(en.key, en.kind, en.name_en, en.name_ru, en.country)
                                ORDER BY en.key COLLATE \"C\")::text
       FROM entities en WHERE en.id IN (SELECT entity_id FROM participants WHERE event_id = e.id
                                        UNION SELECT entity_id FROM event_places WHERE event_id = e.id)),
     (SELECT json_agg(json_build_array(s.key, s.title, s.authors, s.issued) ORDER BY s.key COLLATE \"C\")::text
       FROM sources s WHERE s.id IN (SELECT source_id FROM evidence WHERE event_id = e.id))";

/// The statement that reads one event, its names and its sources by key.
pub(crate) static NAMED_EVENT_SQL: LazyLock<String> =
    LazyLock::new(|| format!("{}, {EVENT_NAMES} FROM events e WHERE e.key = $1", event_select()));

/// The event of the rows of [`NAMED_EVENT_SQL`], with its names and sources.
pub(crate) fn named_event_from_rows(rows: &[Row]) -> Result<Option<NamedEvent>> {
    let Some(r) = rows.first() else { return Ok(None) };
    let event = whole_event(r)?;
    let names = parts::<(String, String, String, String, Option<String>)>(r, 12)?
        .into_iter()
        .map(|(id, kind, name_en, name_ru, country)| EntityName {
            id,
            kind: kind.parse().unwrap_or(EntityKind::Place),
            name_en,
            name_ru,
            country,
        })
        .collect();
    let sources = parts::<(String, String, Option<String>, Option<String>)>(r, 13)?
        .into_iter()
        .map(|(id, title, authors, issued)| SourceHit { id, title, authors, issued })
        .collect();
    Ok(Some(NamedEvent { event, names, sources }))
}

/// The columns of [`EVENT_COLUMNS`] of the table aliased `e`.
pub(crate) fn event_cols() -> String {
    EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
}

/// `SELECT` with the columns of an event and its [`EVENT_PARTS`].
fn event_select() -> String {
    format!("SELECT {}, {EVENT_PARTS}", event_cols())
}

/// An event with its parts from a row of [`event_select`].
fn whole_event(r: &Row) -> Result<Event> {
    let (_, mut e) = event_from_row(r)?;
    event_parts(r, 9, &mut e)?;
    Ok(e)
}

/// The statement that reads one event whole by key (see [`event_from_rows`]).
pub(crate) static EVENT_SQL: LazyLock<String> =
    LazyLock::new(|| format!("{} FROM events e WHERE e.key = $1", event_select()));

/// The event of the rows of [`EVENT_SQL`].
pub(crate) fn event_from_rows(rows: &[Row]) -> Result<Option<Event>> {
    rows.first().map(whole_event).transpose()
}

pub(crate) const ENTITY_SQL: &str = "SELECT record FROM entities WHERE key = $1";

/// The entity of the rows of [`ENTITY_SQL`].
pub(crate) fn entity_from_rows(rows: &[Row]) -> Result<Option<Entity>> {
    Ok(rows.first().map(|r| serde_json::from_str(r.get(0))).transpose()?)
}

const SOURCE_COLUMNS: &str = "key, sha256, csl, text";

fn source_from_row(r: &Row) -> Result<Source> {
    let mut s: Source = serde_json::from_str(r.get(2))?;
    s.id = r.get(0);
    s.sha256 = r.get(1);
    s.text = r.get(3);
    Ok(s)
}

pub(crate) static SOURCE_SQL: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE key = $1"));

/// The source of the rows of [`SOURCE_SQL`].
pub(crate) fn source_from_rows(rows: &[Row]) -> Result<Option<Source>> {
    rows.first().map(source_from_row).transpose()
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

pub(crate) static HISTORY_SQL: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE item = $1 ORDER BY id"));

/// The redacted entries of the rows of [`HISTORY_SQL`].
pub(crate) fn history_from_rows(rows: &[Row]) -> Vec<AuditEntry> {
    let mut entries: Vec<AuditEntry> = rows.iter().map(audit_from_row).collect();
    entries.iter_mut().for_each(AuditEntry::redact);
    entries
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
