//! Writes: gazetteer seeding, imports, ingests. Each runs inside the caller's
//! transaction (which holds the writers' lock) and appends to the audit log in it.
//!
//! PostgreSQL aborts a transaction at its first failed statement, so a record is
//! checked completely — validated, its references resolved, its key looked up —
//! before any SQL writes it; a bad record under `--skip-invalid` is then passed over
//! without a failed statement. Functions return `Ok(Err(reason))` for a bad record
//! and `Err` for a database failure.
//!
//! An import sends events in batches with `COPY` ([`CopyRows`]): their row ids are
//! reserved from the sequence first, so that participants, places, evidence and
//! audit entries are copied alongside in the same order as row-by-row inserts.
use super::PgTx;
use super::copy::CopyRows;
use crate::columns::{
    Outcome, SourceFacts, authors, bounds, event_search_body, ingest_summary, sectors, sort_day, source_body,
    unknown_entity, unknown_source, year_of,
};
use crate::{ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result, StoreError, now};
use keruen_gazetteer::fold::fold;
use keruen_model::{Entity, Event, Record, RecordLine, Source};
use std::collections::HashMap;

/// A record's problem, or what writing it did.
type Checked<T> = std::result::Result<T, String>;

/// Events sent per `COPY`.
const BATCH: usize = 10_000;

/// Keys already resolved to row ids during one transaction.
pub(crate) struct Resolver {
    entities: HashMap<String, i64>,
    sources: HashMap<String, i64>,
}

impl Resolver {
    /// Loads every entity and source key (a few thousand in practice).
    pub(crate) fn load(tx: &mut PgTx) -> Result<Self> {
        let mut entities = HashMap::new();
        for r in tx.query("SELECT key, id FROM entities", &[])? {
            entities.insert(r.get(0), r.get(1));
        }
        let mut sources = HashMap::new();
        for r in tx.query("SELECT key, id FROM sources", &[])? {
            sources.insert(r.get(0), r.get(1));
        }
        Ok(Resolver { entities, sources })
    }

    fn entity(&self, key: &str) -> Checked<i64> {
        self.entities.get(key).copied().ok_or_else(|| unknown_entity(key))
    }

    fn source(&self, key: &str) -> Checked<i64> {
        self.sources.get(key).copied().ok_or_else(|| unknown_source(key))
    }

    pub(crate) fn knows_entity(&self, key: &str) -> bool {
        self.entities.contains_key(key)
    }
}

/// The transaction's resolver, loaded on first use.
pub(crate) fn resolver<'r>(tx: &'r mut PgTx) -> Result<&'r mut Resolver> {
    if tx.resolver.is_none() {
        tx.resolver = Some(Resolver::load(tx)?);
    }
    Ok(tx.resolver.as_mut().expect("just loaded"))
}

pub(crate) fn audit(
    tx: &mut PgTx,
    actor: &str,
    action: &str,
    item: &str,
    before: Option<&str>,
    after: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (at, actor, action, item, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&now(), &actor, &action, &item, &before, &after, &reason],
    )?;
    Ok(())
}

/// Whether every entity of `entities` is stored exactly as given.
pub(crate) fn gazetteer_is_current(tx: &mut PgTx, entities: &[Entity]) -> Result<bool> {
    let keys: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    let stored: HashMap<String, String> = tx
        .query("SELECT key, record FROM entities WHERE key = ANY($1)", &[&keys])?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for e in entities {
        match stored.get(&e.id) {
            Some(old) if *old == serde_json::to_string(e)? => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

pub(crate) fn seed_gazetteer(tx: &mut PgTx, entities: &[Entity]) -> Result<usize> {
    let mut changed = 0;
    for e in entities {
        let record = serde_json::to_string(e)?;
        let existing = tx.query_opt("SELECT id, record FROM entities WHERE key = $1", &[&e.id])?;
        match existing.map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1))) {
            Some((_, old)) if old == record => continue,
            // Replaced in place, keeping its row id: events may point at it.
            Some((id, _)) => {
                tx.execute("DELETE FROM entity_names WHERE entity_id = $1", &[&id])?;
                update_entity_row(tx, id, e, &record)?;
                insert_names(tx, id, e)?;
            }
            None => {
                insert_entity_row(tx, e, "gazetteer", &record)?;
            }
        }
        changed += 1;
    }
    if changed > 0 {
        tx.resolver = None;
    }
    Ok(changed)
}

fn update_entity_row(tx: &mut PgTx, id: i64, e: &Entity, record: &str) -> Result<()> {
    let (lo, hi) = bounds(e.dates.as_ref());
    tx.execute(
        "UPDATE entities SET kind = $2, name_en = $3, name_ru = $4, iso = $5, wikidata = $6, country = $7,
           lat = $8, lon = $9, dates = $10, dates_lo = $11, dates_hi = $12, description = $13, record = $14
         WHERE id = $1",
        &[
            &id,
            &e.kind.as_str(),
            &e.display_name("en"),
            &e.display_name("ru"),
            &e.iso,
            &e.wikidata,
            &e.country,
            &e.coordinates.map(|c| c.lat),
            &e.coordinates.map(|c| c.lon),
            &e.dates.as_ref().map(|d| d.to_string()),
            &lo.map(i64::from),
            &hi.map(i64::from),
            &e.description,
            &record,
        ],
    )?;
    Ok(())
}

fn insert_entity_row(tx: &mut PgTx, e: &Entity, origin: &str, record: &str) -> Result<i64> {
    let (lo, hi) = bounds(e.dates.as_ref());
    let id: i64 = tx
        .query_one(
            "INSERT INTO entities (key, kind, name_en, name_ru, iso, wikidata, country, lat, lon, dates, dates_lo, dates_hi, description, origin, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            &[
                &e.id,
                &e.kind.as_str(),
                &e.display_name("en"),
                &e.display_name("ru"),
                &e.iso,
                &e.wikidata,
                &e.country,
                &e.coordinates.map(|c| c.lat),
                &e.coordinates.map(|c| c.lon),
                &e.dates.as_ref().map(|d| d.to_string()),
                &lo.map(i64::from),
                &hi.map(i64::from),
                &e.description,
                &origin,
                &record,
            ],
        )?
        .get(0);
    insert_names(tx, id, e)?;
    Ok(id)
}

fn insert_names(tx: &mut PgTx, id: i64, e: &Entity) -> Result<()> {
    for n in &e.names {
        let form = serde_json::to_value(n.form)?;
        tx.execute(
            "INSERT INTO entity_names (entity_id, text, lang, form, folded) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING",
            &[&id, &n.text, &n.lang, &form.as_str().unwrap_or("name"), &fold(&n.text)],
        )?;
    }
    Ok(())
}

/// Inserts an entity that is not in the database yet; an identical one is unchanged,
/// a different one with the same key is refused.
pub(crate) fn put_entity(
    tx: &mut PgTx,
    e: &Entity,
    origin: &str,
    actor: Option<&str>,
) -> Result<Checked<Outcome>> {
    if let Err(err) = e.validate() {
        return Ok(Err(err.to_string()));
    }
    let record = serde_json::to_string(e)?;
    if resolver(tx)?.knows_entity(&e.id) {
        let old: String = tx.query_one("SELECT record FROM entities WHERE key = $1", &[&e.id])?.get(0);
        return Ok(if old == record {
            Ok(Outcome::Unchanged)
        } else {
            Err(format!("entity `{}` already exists with different content", e.id))
        });
    }
    let id = insert_entity_row(tx, e, origin, &record)?;
    if let Some(actor) = actor {
        audit(tx, actor, "create", &e.id, None, Some(&record), None)?;
    }
    resolver(tx)?.entities.insert(e.id.clone(), id);
    Ok(Ok(Outcome::Created))
}

/// Inserts a source; one with the same content (hash) is unchanged whatever its key.
/// The audit entry (written when `actor` is given) holds the whole source with its
/// text, so that the log alone can rebuild the database.
pub(crate) fn put_source(
    tx: &mut PgTx,
    source: &Source,
    actor: Option<&str>,
) -> Result<Checked<(i64, String, Outcome)>> {
    let s = source.clone().with_identity();
    if let Err(err) = s.validate() {
        return Ok(Err(err.to_string()));
    }
    let existing = tx.query_opt("SELECT id, key FROM sources WHERE sha256 = $1", &[&s.sha256])?;
    if let Some(r) = existing {
        let (id, key): (i64, String) = (r.get(0), r.get(1));
        // The same source under another key: remember the alias for this transaction.
        let res = resolver(tx)?;
        res.sources.insert(s.id.clone(), id);
        res.sources.insert(key.clone(), id);
        return Ok(Ok((id, key, Outcome::Unchanged)));
    }
    if resolver(tx)?.sources.contains_key(&s.id) {
        return Ok(Err(format!("source `{}` already exists with different content", s.id)));
    }
    let mut bib = s.clone();
    bib.text = None;
    let csl = serde_json::to_string(&bib)?;
    let authors = authors(&s);
    let body = source_body(&s.title, authors.as_deref(), s.text.as_deref());
    let id: i64 = tx
        .query_one(
            "INSERT INTO sources (key, sha256, csl_type, title, authors, issued, language, file_name, csl, text, created_at, search_body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            &[
                &s.id,
                &s.sha256,
                &s.csl_type,
                &s.title,
                &authors,
                &s.issued.as_ref().map(|d| d.to_string()),
                &s.language,
                &s.file_name,
                &csl,
                &s.text,
                &now(),
                &body,
            ],
        )?
        .get(0);
    if let Some(actor) = actor {
        let whole = serde_json::to_string(&s)?;
        audit(tx, actor, "create", &s.id, None, Some(&whole), None)?;
    }
    resolver(tx)?.sources.insert(s.id.clone(), id);
    Ok(Ok((id, s.id, Outcome::Created)))
}

/// An event checked and turned into rows, not written yet.
struct EventRows {
    record: String,
    hash: String,
    participants: Vec<i64>,
    places: Vec<i64>,
    sources: Vec<i64>,
}

/// Validates an event and resolves its references, writing nothing.
fn check_event(res: &Resolver, e: &Event) -> Result<Checked<EventRows>> {
    if let Err(err) = e.validate() {
        return Ok(Err(err.to_string()));
    }
    let resolved = (|| -> Checked<(Vec<i64>, Vec<i64>, Vec<i64>)> {
        Ok((
            e.participants.iter().map(|p| res.entity(&p.entity)).collect::<Checked<_>>()?,
            e.places.iter().map(|p| res.entity(p)).collect::<Checked<_>>()?,
            e.evidence.iter().map(|v| res.source(&v.source)).collect::<Checked<_>>()?,
        ))
    })();
    let (participants, places, sources) = match resolved {
        Ok(r) => r,
        Err(m) => return Ok(Err(m)),
    };
    let record = serde_json::to_string(e)?;
    let hash = keruen_model::sha256_hex(record.as_bytes());
    Ok(Ok(EventRows { record, hash, participants, places, sources }))
}

/// Rows of events, their participants, places, evidence and audit entries, sent
/// together.
struct EventBatch {
    events: CopyRows,
    participants: CopyRows,
    places: CopyRows,
    evidence: CopyRows,
    audit: CopyRows,
}

impl EventBatch {
    fn new() -> Self {
        EventBatch {
            events: CopyRows::new(),
            participants: CopyRows::new(),
            places: CopyRows::new(),
            evidence: CopyRows::new(),
            audit: CopyRows::new(),
        }
    }

    fn add(&mut self, id: i64, e: &Event, rows: &EventRows, actor: Option<&str>) -> Result<()> {
        let (lo, hi) = bounds(e.date.as_ref());
        let sort = sort_day(lo, hi);
        self.events
            .int(id)
            .text(&e.id)
            .text(e.event_type.as_str())
            .opt_text(e.title.as_deref())
            .opt_text(e.description.as_deref())
            .opt_text(e.date.as_ref().map(|d| d.to_string()).as_deref())
            .opt_int(lo.map(i64::from))
            .opt_int(hi.map(i64::from))
            .int(sort)
            .opt_int(year_of(sort).map(i64::from))
            .text(e.status.as_str())
            .text(&sectors(e))
            .text(&e.countries().join(","))
            .text(e.review.as_str())
            .text(&rows.hash)
            .text(&event_search_body(e))
            .end();
        for (i, (p, entity)) in e.participants.iter().zip(&rows.participants).enumerate() {
            self.participants.int(id).int(*entity).text(p.role.as_str()).int(i as i64).end();
        }
        for (i, entity) in rows.places.iter().enumerate() {
            self.places.int(id).int(*entity).int(i as i64).end();
        }
        for (i, (v, source)) in e.evidence.iter().zip(&rows.sources).enumerate() {
            let claim = v.claim.as_ref().map(serde_json::to_string).transpose()?;
            self.evidence
                .int(id)
                .int(*source)
                .int(i as i64)
                .opt_int(v.start.map(i64::from))
                .opt_int(v.end.map(i64::from))
                .opt_text(v.quote.as_deref())
                .opt_text(v.page.as_deref())
                .text(&v.asserted_by)
                .real(f64::from(v.confidence))
                .text(v.status.as_str())
                .opt_text(claim.as_deref())
                .end();
        }
        if let Some(actor) = actor {
            self.audit.text(&now()).text(actor).text("create").text(&e.id).text(&rows.record).end();
        }
        Ok(())
    }

    fn send(&mut self, tx: &mut PgTx) -> Result<()> {
        self.events.send(
            tx,
            "events",
            "id, key, type, title, description, date, date_lo, date_hi, sort_day, year, status, sectors, countries, review, content_hash, search_body",
        )?;
        self.participants.send(tx, "participants", "event_id, entity_id, role, position")?;
        self.places.send(tx, "event_places", "event_id, entity_id, position")?;
        self.evidence.send(
            tx,
            "evidence",
            "event_id, source_id, position, start, \"end\", quote, page, asserted_by, confidence, status, claim",
        )?;
        self.audit.send(tx, "audit", "at, actor, action, item, after")
    }
}

/// `n` new row ids of `events`, in order.
fn reserve_event_ids(tx: &mut PgTx, n: usize) -> Result<Vec<i64>> {
    let rows =
        tx.query("SELECT nextval('events_id_seq') FROM generate_series(1, $1)", &[&(n as i64)])?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

/// Writes events: checked, then compared with what is stored under their keys
/// (identical: unchanged; different: refused), then the new ones copied in.
/// Returns the outcome of each, in order.
fn put_events(tx: &mut PgTx, events: &[&Event], actor: Option<&str>) -> Result<Vec<Checked<Outcome>>> {
    let keys: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let mut stored: HashMap<String, String> = tx
        .query("SELECT key, content_hash FROM events WHERE key = ANY($1)", &[&keys])?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let res = resolver(tx)?;
    let mut outcomes = Vec::with_capacity(events.len());
    let mut new: Vec<(usize, EventRows)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let rows = match check_event(res, e)? {
            Ok(rows) => rows,
            Err(m) => {
                outcomes.push(Err(m));
                continue;
            }
        };
        outcomes.push(match stored.get(&e.id) {
            Some(old) if *old == rows.hash => Ok(Outcome::Unchanged),
            Some(_) => Err(format!("event `{}` already exists with different content", e.id)),
            None => {
                stored.insert(e.id.clone(), rows.hash.clone());
                new.push((i, rows));
                Ok(Outcome::Created)
            }
        });
    }
    if new.is_empty() {
        return Ok(outcomes);
    }
    let ids = reserve_event_ids(tx, new.len())?;
    let mut batch = EventBatch::new();
    for ((i, rows), id) in new.iter().zip(ids) {
        batch.add(id, events[*i], rows, actor)?;
    }
    batch.send(tx)?;
    Ok(outcomes)
}

/// Secondary indexes that a bulk import rebuilds instead of maintaining.
const BULK_INDEXES: &[&str] = &[
    "events_sort",
    "events_type_sort",
    "events_search",
    "events_review",
    "participants_entity",
    "event_places_entity",
    "evidence_event",
    "evidence_source",
    "audit_item",
];

pub(crate) fn import(
    tx: &mut PgTx,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
) -> Result<ImportReport> {
    let mut rebuild = Vec::new();
    if options.bulk {
        for r in tx.query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY($1)",
            &[&BULK_INDEXES],
        )? {
            let (name, def): (String, String) = (r.get(0), r.get(1));
            tx.tx.batch_execute(&format!("DROP INDEX {name}"))?;
            rebuild.push(def);
        }
    }
    let report = import_records(tx, records, options, rejected)?;
    for sql in &rebuild {
        tx.tx.batch_execute(sql)?;
    }
    if options.bulk {
        tx.tx.batch_execute("ANALYZE events; ANALYZE participants; ANALYZE event_places; ANALYZE evidence")?;
    }
    Ok(report)
}

fn import_records(
    tx: &mut PgTx,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    // Events waiting for their batch: line, raw text, event.
    let mut pending: Vec<(usize, String, Event)> = Vec::new();
    let mut tally = |report: &mut ImportReport, line: usize, raw: String, kind: u8, outcome: Checked<Outcome>| {
        match outcome {
            Ok(Outcome::Unchanged) => report.unchanged += 1,
            Ok(Outcome::Created) => match kind {
                0 => report.sources += 1,
                1 => report.entities += 1,
                _ => report.events += 1,
            },
            Err(message) if options.skip_invalid => {
                report.rejected += 1;
                rejected(Rejected { line, reason: message, raw });
            }
            Err(message) => return Err(StoreError::Invalid { line, message }),
        }
        Ok(())
    };
    let mut flush = |tx: &mut PgTx,
                     report: &mut ImportReport,
                     pending: &mut Vec<(usize, String, Event)>,
                     tally: &mut dyn FnMut(&mut ImportReport, usize, String, u8, Checked<Outcome>) -> Result<()>|
     -> Result<()> {
        if pending.is_empty() {
            return Ok(());
        }
        let events: Vec<&Event> = pending.iter().map(|(_, _, e)| e).collect();
        let outcomes = put_events(tx, &events, Some(&options.actor))?;
        for ((line, raw, _), outcome) in pending.drain(..).zip(outcomes) {
            tally(report, line, raw, 2, outcome)?;
        }
        Ok(())
    };
    for item in records {
        let RecordLine { line, record, raw } = item;
        match record {
            Ok(Record::Event(e)) => {
                pending.push((line, raw, e));
                if pending.len() == BATCH {
                    flush(tx, &mut report, &mut pending, &mut tally)?;
                }
            }
            other => {
                // Sources and entities are written in their place among the events,
                // so that the audit log follows the file.
                flush(tx, &mut report, &mut pending, &mut tally)?;
                let (kind, outcome) = match other {
                    Err(message) => (2, Err(message)),
                    Ok(Record::Source(s)) => (0, put_source(tx, &s, Some(&options.actor))?.map(|(_, _, o)| o)),
                    Ok(Record::Entity(e)) => (1, put_entity(tx, &e, "import", Some(&options.actor))?),
                    Ok(Record::Event(_)) => unreachable!("events are batched above"),
                };
                tally(&mut report, line, raw, kind, outcome)?;
            }
        }
    }
    flush(tx, &mut report, &mut pending, &mut tally)?;
    Ok(report)
}

/// Stores a bundle; the audit entries name `actor`. The `ingest` entry holds the
/// spans, references and citations found, and the keys of the entities the
/// extractor made, so that a replay restores them.
pub(crate) fn ingest(tx: &mut PgTx, bundle: &IngestBundle, actor: &str) -> Result<IngestReport> {
    let invalid = |message: String| StoreError::Invalid { line: 0, message };
    let (source_id, key, outcome) = put_source(tx, &bundle.source, Some(actor))?.map_err(invalid)?;
    let mut report = IngestReport { source: key, new: outcome == Outcome::Created, events: 0, entities: 0 };
    if outcome == Outcome::Unchanged {
        return Ok(report);
    }
    let mut created_entities = Vec::new();
    for e in &bundle.new_entities {
        if !resolver(tx)?.knows_entity(&e.id)
            && put_entity(tx, e, "extract", Some(actor))?.map_err(invalid)? == Outcome::Created
        {
            report.entities += 1;
            created_entities.push(e.id.clone());
        }
    }
    let events: Vec<&Event> = bundle.events.iter().collect();
    for outcome in put_events(tx, &events, Some(actor))? {
        if outcome.map_err(invalid)? == Outcome::Created {
            report.events += 1;
        }
    }
    let facts = SourceFacts::of(bundle);
    insert_source_facts(tx, source_id, &facts)?;
    let summary = ingest_summary(&report, bundle, &created_entities, &facts);
    audit(tx, actor, "ingest", &report.source, None, Some(&summary.to_string()), None)?;
    Ok(report)
}

/// Inserts the facts found in the source with row id `source_id`.
pub(crate) fn insert_source_facts(tx: &mut PgTx, source_id: i64, facts: &SourceFacts) -> Result<()> {
    let mut rows = CopyRows::new();
    for a in &facts.annotations {
        rows.int(source_id)
            .text(a.kind.as_str())
            .int(a.start as i64)
            .int(a.end as i64)
            .text(&a.text)
            .opt_text(a.value.as_deref())
            .opt_text(a.target.as_deref())
            .end();
    }
    rows.send(tx, "annotations", "source_id, kind, start, \"end\", text, value, target")?;
    for r in &facts.archival_refs {
        rows.int(source_id)
            .opt_text(r.archive.as_deref())
            .text(&r.fond)
            .opt_text(r.inventory.as_deref())
            .opt_text(r.case.as_deref())
            .opt_text(r.sheet.as_deref())
            .int(r.start as i64)
            .int(r.end as i64)
            .text(&r.text)
            .end();
    }
    rows.send(tx, "archival_refs", "source_id, archive, fond, inventory, case_no, sheet, start, \"end\", text")?;
    for r in &facts.references {
        rows.int(source_id)
            .int(r.index as i64)
            .int(r.start as i64)
            .int(r.end as i64)
            .text(&r.text)
            .text(&serde_json::to_string(&r.authors)?)
            .opt_text(r.year.as_deref())
            .end();
    }
    rows.send(tx, "bib_references", "source_id, idx, start, \"end\", text, authors, year")?;
    for c in &facts.citations {
        rows.int(source_id)
            .text(&c.author)
            .opt_text(c.year.as_deref())
            .opt_text(c.pages.as_deref())
            .int(c.start as i64)
            .int(c.end as i64)
            .text(&c.text)
            .opt_int(c.reference.map(|r| r as i64))
            .end();
    }
    rows.send(tx, "citations", "source_id, author, year, pages, start, \"end\", text, reference")
}
