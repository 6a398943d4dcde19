//! Reads: one item by key, the whole export stream, counts, history.
use crate::{AuditEntry, EventScope, Facet, Result, Stats};
use keruen_model::{Claim, Entity, Event, Evidence, Participant, Record, Source};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// Columns of `events` read by [`event_from_row`], in order.
pub(crate) const EVENT_COLUMNS: &str = "id, key, type, title, description, date, status, sectors, review";

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> rusqlite::Result<T> {
    s.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

/// An event without participants, places or evidence, and its row id.
pub(crate) fn event_from_row(r: &Row) -> rusqlite::Result<(i64, Event)> {
    let id: i64 = r.get(0)?;
    let date: Option<String> = r.get(5)?;
    let date = date
        .map(|d| {
            d.parse().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
            })
        })
        .transpose()?;
    let sectors: String = r.get(7)?;
    let mut e = Event::new(r.get::<_, String>(1)?, parse(&r.get::<_, String>(2)?)?, date);
    e.title = r.get(3)?;
    e.description = r.get(4)?;
    e.status = parse(&r.get::<_, String>(6)?)?;
    e.sectors = sectors.split(',').filter(|s| !s.is_empty()).map(parse).collect::<rusqlite::Result<_>>()?;
    e.review = parse(&r.get::<_, String>(8)?)?;
    Ok((id, e))
}

/// Columns of `evidence` read by [`evidence_from_row`], in order.
pub(crate) const EVIDENCE_COLUMNS: &str =
    "v.start, v.end, v.quote, v.page, v.asserted_by, v.confidence, v.status, v.claim";

/// Evidence of `source` from a row whose columns from `at` on are [`EVIDENCE_COLUMNS`].
pub(crate) fn evidence_from_row(r: &Row, at: usize, source: String) -> rusqlite::Result<Evidence> {
    let claim: Option<String> = r.get(at + 7)?;
    let claim: Option<Claim> = claim
        .map(|c| {
            serde_json::from_str(&c).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(at + 7, rusqlite::types::Type::Text, Box::new(e))
            })
        })
        .transpose()?;
    Ok(Evidence {
        source,
        start: r.get(at)?,
        end: r.get(at + 1)?,
        quote: r.get(at + 2)?,
        page: r.get(at + 3)?,
        asserted_by: r.get(at + 4)?,
        confidence: r.get::<_, f64>(at + 5)? as f32,
        status: parse(&r.get::<_, String>(at + 6)?)?,
        claim,
    })
}

/// Fills participants, places and evidence of the event with row id `id`.
pub(crate) fn complete_event(c: &Connection, id: i64, e: &mut Event) -> Result<()> {
    let mut st = c.prepare_cached(
        "SELECT en.key, p.role FROM participants p JOIN entities en ON en.id = p.entity_id WHERE p.event_id = ?1 ORDER BY p.position",
    )?;
    e.participants = st
        .query_map([id], |r| Ok(Participant { entity: r.get(0)?, role: parse(&r.get::<_, String>(1)?)? }))?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(
        "SELECT en.key FROM event_places p JOIN entities en ON en.id = p.entity_id WHERE p.event_id = ?1 ORDER BY p.position",
    )?;
    e.places = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(&format!(
        "SELECT s.key, {EVIDENCE_COLUMNS} FROM evidence v JOIN sources s ON s.id = v.source_id WHERE v.event_id = ?1 ORDER BY v.position"
    ))?;
    e.evidence =
        st.query_map([id], |r| evidence_from_row(r, 1, r.get(0)?))?.collect::<rusqlite::Result<_>>()?;
    Ok(())
}

pub(crate) fn event(c: &Connection, key: &str) -> Result<Option<Event>> {
    let found = c
        .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE key = ?1"))?
        .query_row([key], event_from_row)
        .optional()?;
    match found {
        Some((id, mut e)) => {
            complete_event(c, id, &mut e)?;
            Ok(Some(e))
        }
        None => Ok(None),
    }
}

pub(crate) fn entity(c: &Connection, key: &str) -> Result<Option<Entity>> {
    let record: Option<String> = c
        .prepare_cached("SELECT record FROM entities WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(record.map(|r| serde_json::from_str(&r)).transpose()?)
}

fn source_from_row(r: &Row) -> rusqlite::Result<Source> {
    let csl: String = r.get(2)?;
    let mut s: Source = serde_json::from_str(&csl).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
    })?;
    s.id = r.get(0)?;
    s.sha256 = r.get(1)?;
    s.text = r.get(3)?;
    Ok(s)
}

pub(crate) fn source(c: &Connection, key: &str) -> Result<Option<Source>> {
    Ok(c.prepare_cached("SELECT key, sha256, csl, text FROM sources WHERE key = ?1")?
        .query_row([key], source_from_row)
        .optional()?)
}

/// The keys of a table's rows by row id: a vector indexed by id (row ids are dense:
/// rows are inserted and seldom deleted), looked up once per participant, place and
/// piece of evidence of every event streamed — a hash lookup there was a tenth of an
/// export's time.
struct Keys(Vec<String>);

impl Keys {
    fn of(c: &Connection, table: &str) -> Result<Keys> {
        let mut st = c.prepare(&format!("SELECT id, key FROM {table} ORDER BY id"))?;
        let mut rows = st.query([])?;
        let mut keys = Vec::new();
        while let Some(r) = rows.next()? {
            let id = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(0);
            if id >= keys.len() {
                keys.resize(id + 1, String::new());
            }
            keys[id] = r.get(1)?;
        }
        Ok(Keys(keys))
    }

    /// The key of row `id`; empty for a row that does not exist.
    fn get(&self, id: i64) -> String {
        usize::try_from(id).ok().and_then(|i| self.0.get(i)).cloned().unwrap_or_default()
    }
}

/// Streams every record: sources, imported and extracted entities, then every event
/// that has not been merged into another.
pub(crate) fn export(c: &Connection, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
    let mut st = c.prepare("SELECT key, sha256, csl, text FROM sources ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        sink(Record::Source(source_from_row(r)?))?;
    }
    let mut st = c.prepare("SELECT record FROM entities WHERE origin <> 'gazetteer' ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let record: String = r.get(0)?;
        sink(Record::Entity(serde_json::from_str(&record)?))?;
    }
    events(c, EventScope::All, &mut |e| sink(Record::Event(e)))
}

/// Streams the events in `scope`, complete with participants, places and evidence,
/// in insertion order. Events are assembled by walking the events, participants,
/// places and evidence tables side by side (a merge join), so that a million events
/// cost four scans rather than four million queries.
pub(crate) fn events(
    c: &Connection,
    scope: EventScope,
    sink: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<()> {
    let entity_keys = Keys::of(c, "entities")?;
    let source_keys = Keys::of(c, "sources")?;
    let review = match scope {
        EventScope::Accepted => "AND review = 'accepted'",
        EventScope::NotRejected => "AND review <> 'rejected'",
        EventScope::All => "",
    };
    let mut events = c.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE merged_into IS NULL {review} ORDER BY id"
    ))?;
    let mut parts =
        c.prepare("SELECT event_id, entity_id, role FROM participants ORDER BY event_id, position")?;
    let mut places = c.prepare("SELECT event_id, entity_id FROM event_places ORDER BY event_id, position")?;
    let mut evidence = c.prepare(&format!(
        "SELECT v.event_id, v.source_id, {EVIDENCE_COLUMNS} FROM evidence v ORDER BY v.event_id, v.position"
    ))?;
    let mut events = events.query([])?;
    let mut parts = parts.query([])?;
    let mut places = places.query([])?;
    let mut evidence = evidence.query([])?;
    let (mut part, mut place, mut evid) = (parts.next()?, places.next()?, evidence.next()?);
    let entity_key = |id: i64| entity_keys.get(id);
    while let Some(r) = events.next()? {
        let (id, mut e) = event_from_row(r)?;
        // Rows of events outside the scope are skipped by `<`.
        while let Some(p) = part {
            let eid: i64 = p.get(0)?;
            if eid > id {
                break;
            }
            if eid == id {
                e.participants.push(Participant {
                    entity: entity_key(p.get(1)?),
                    role: parse(p.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?)?,
                });
            }
            part = parts.next()?;
        }
        while let Some(p) = place {
            let eid: i64 = p.get(0)?;
            if eid > id {
                break;
            }
            if eid == id {
                e.places.push(entity_key(p.get(1)?));
            }
            place = places.next()?;
        }
        while let Some(v) = evid {
            let eid: i64 = v.get(0)?;
            if eid > id {
                break;
            }
            if eid == id {
                let source = source_keys.get(v.get::<_, i64>(1)?);
                e.evidence.push(evidence_from_row(v, 2, source)?);
            }
            evid = evidence.next()?;
        }
        sink(e)?;
    }
    Ok(())
}

pub(crate) fn entities(c: &Connection, sink: &mut dyn FnMut(Entity) -> Result<()>) -> Result<()> {
    let mut st = c.prepare("SELECT record FROM entities ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let record: String = r.get(0)?;
        sink(serde_json::from_str(&record)?)?;
    }
    Ok(())
}

fn facet_counts(c: &Connection, sql: &str) -> Result<Vec<Facet>> {
    let mut st = c.prepare(sql)?;
    let rows = st.query_map([], |r| Ok(Facet { value: r.get(0)?, count: r.get::<_, i64>(1)? as u64 }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn count(c: &Connection, sql: &str) -> Result<u64> {
    Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
}

pub(crate) fn stats(c: &Connection) -> Result<Stats> {
    let years: Option<(i32, i32)> = c.query_row(
        "SELECT min(year), max(year) FROM events WHERE merged_into IS NULL AND year IS NOT NULL",
        [],
        |r| {
            Ok(match (r.get::<_, Option<i32>>(0)?, r.get::<_, Option<i32>>(1)?) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            })
        },
    )?;
    Ok(Stats {
        sources: count(c, "SELECT count(*) FROM sources")?,
        entities: facet_counts(c, "SELECT kind, count(*) FROM entities GROUP BY kind ORDER BY kind")?,
        events: count(c, "SELECT count(*) FROM events WHERE merged_into IS NULL")?,
        events_by_review: facet_counts(
            c,
            "SELECT review, count(*) FROM events WHERE merged_into IS NULL GROUP BY review ORDER BY review",
        )?,
        events_by_type: facet_counts(
            c,
            "SELECT type, count(*) FROM events WHERE merged_into IS NULL GROUP BY type ORDER BY count(*) DESC, type",
        )?,
        years,
        evidence: count(c, "SELECT count(*) FROM evidence")?,
        archival_refs: count(c, "SELECT count(*) FROM archival_refs")?,
        citations: count(c, "SELECT count(*) FROM citations")?,
        audit: count(c, "SELECT count(*) FROM audit")?,
    })
}

pub(crate) fn audit_from_row(r: &Row) -> rusqlite::Result<AuditEntry> {
    let json = |i: usize| -> rusqlite::Result<Option<serde_json::Value>> {
        let s: Option<String> = r.get(i)?;
        Ok(s.and_then(|s| serde_json::from_str(&s).ok()))
    };
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        item: r.get(4)?,
        before: json(5)?,
        after: json(6)?,
        reason: r.get(7)?,
    })
}

pub(crate) fn history(c: &Connection, item: &str) -> Result<Vec<AuditEntry>> {
    let mut st = c.prepare_cached(
        "SELECT id, at, actor, action, item, before, after, reason FROM audit WHERE item = ?1 ORDER BY id",
    )?;
    let rows = st.query_map(params![item], audit_from_row)?;
    let mut entries: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
    entries.iter_mut().for_each(AuditEntry::redact);
    Ok(entries)
}

/// Streams the whole log after entry `after`, unredacted.
pub(crate) fn audit_log(
    c: &Connection,
    after: i64,
    sink: &mut dyn FnMut(AuditEntry) -> Result<()>,
) -> Result<()> {
    let mut st = c.prepare(
        "SELECT id, at, actor, action, item, before, after, reason FROM audit WHERE id > ?1 ORDER BY id",
    )?;
    let mut rows = st.query([after])?;
    while let Some(r) = rows.next()? {
        sink(audit_from_row(r)?)?;
    }
    Ok(())
}
