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
    tsvector, unknown_entity, unknown_source, year_of,
};
use crate::{ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result, StoreError, now};
use keruen_gazetteer::fold::fold;
use keruen_model::{Entity, Event, Record, RecordLine, Source};
use std::collections::HashMap;

/// A record's problem, or what writing it did.
type Checked<T> = std::result::Result<T, String>;

/// Events sent per `COPY`.
const BATCH: usize = 10_000;

/// Keys looked up at once beyond which the lookup is forced onto the unique indexes.
const INDEXED_LOOKUP: usize = 1_000;

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
            "INSERT INTO sources (key, sha256, csl_type, title, authors, issued, language, file_name, csl, text, created_at, search_body, search_tsv)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text::tsvector) RETURNING id",
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
                &tsvector(&body),
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
    sources: CopyRows,
    events: CopyRows,
    participants: CopyRows,
    places: CopyRows,
    evidence: CopyRows,
    audit: CopyRows,
}

impl EventBatch {
    fn new() -> Self {
        EventBatch {
            sources: CopyRows::new(),
            events: CopyRows::new(),
            participants: CopyRows::new(),
            places: CopyRows::new(),
            evidence: CopyRows::new(),
            audit: CopyRows::new(),
        }
    }

    fn add(&mut self, id: i64, e: &Event, rows: &EventRows, actor: Option<&str>) -> Result<()> {
        let (lo, hi) = bounds(e.date.as_ref());
        let body = event_search_body(e);
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
            .text(&body)
            .text(&tsvector(&body))
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
        self.sources.send(
            tx,
            "sources",
            "id, key, sha256, csl_type, title, authors, issued, language, file_name, csl, text, created_at, search_body, search_tsv",
        )?;
        self.events.send(
            tx,
            "events",
            "id, key, type, title, description, date, date_lo, date_hi, sort_day, year, status, sectors, countries, review, content_hash, search_body, search_tsv",
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

/// `n` new row ids of `table`, in order: one block of the sequence. Writers hold the
/// writers' lock, so nobody else draws from it meanwhile.
fn reserve_ids(tx: &mut PgTx, table: &str, n: usize) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let last: i64 = tx
        .query_one(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               nextval(pg_get_serial_sequence('{table}', 'id')) + $1::bigint - 1)"
            ),
            &[&(n as i64)],
        )?
        .get(0);
    Ok((last - n as i64 + 1..=last).collect())
}

/// A source or an event of an import, in file order.
#[derive(Clone, Copy)]
pub(crate) enum Item<'a> {
    Source(&'a Source),
    Event(&'a Event),
}

/// A new source, ready to copy.
struct SourceRow {
    s: Source,
    csl: String,
    authors: Option<String>,
}

fn source_row(rows: &mut CopyRows, id: i64, r: &SourceRow) {
    let s = &r.s;
    let body = source_body(&s.title, r.authors.as_deref(), s.text.as_deref());
    rows.int(id)
        .text(&s.id)
        .text(&s.sha256)
        .text(&s.csl_type)
        .text(&s.title)
        .opt_text(r.authors.as_deref())
        .opt_text(s.issued.as_ref().map(|d| d.to_string()).as_deref())
        .opt_text(s.language.as_deref())
        .opt_text(s.file_name.as_deref())
        .text(&r.csl)
        .opt_text(s.text.as_deref())
        .text(&now())
        .text(&body)
        .text(&tsvector(&body))
        .end();
}

/// Writes sources and events in file order, with `COPY`: each is checked (valid,
/// references known) and compared with what is stored under its identity — a
/// source's SHA-256, an event's key — and with the others of the batch: identical is
/// unchanged, different is refused, new is copied in with its audit entry. Returns
/// the outcome of each item, in order.
pub(crate) fn put_items(tx: &mut PgTx, items: &[Item], actor: Option<&str>) -> Result<Vec<Checked<Outcome>>> {
    let sources: Vec<Option<Source>> = items
        .iter()
        .map(|it| match it {
            Item::Source(s) => Some((*s).clone().with_identity()),
            Item::Event(_) => None,
        })
        .collect();
    let shas: Vec<&str> = sources.iter().flatten().map(|s| s.sha256.as_str()).collect();
    let keys: Vec<&str> = items
        .iter()
        .filter_map(|it| if let Item::Event(e) = it { Some(e.id.as_str()) } else { None })
        .collect();
    // During a bulk import the tables grow inside the transaction, without statistics,
    // and PostgreSQL scans the whole of `events` for each batch's keys (tens of
    // milliseconds per batch, growing with every batch). The unique indexes answer in
    // a fraction of that: seq scans are ruled out for these two lookups only.
    let large = shas.len() + keys.len() >= INDEXED_LOOKUP;
    if large {
        tx.tx.batch_execute("SET LOCAL enable_seqscan = off")?;
    }
    let mut stored_sources: HashMap<String, (i64, String)> = HashMap::new();
    if !shas.is_empty() {
        for r in tx.query("SELECT sha256, id, key FROM sources WHERE sha256 = ANY($1)", &[&shas])? {
            stored_sources.insert(r.get(0), (r.get(1), r.get(2)));
        }
    }
    let mut stored_events: HashMap<String, String> = HashMap::new();
    if !keys.is_empty() {
        for r in tx.query("SELECT key, content_hash FROM events WHERE key = ANY($1)", &[&keys])? {
            stored_events.insert(r.get(0), r.get(1));
        }
    }
    if large {
        tx.tx.batch_execute("SET LOCAL enable_seqscan TO DEFAULT")?;
    }
    let mut outcomes: Vec<Checked<Outcome>> = Vec::with_capacity(items.len());

    // Sources first, so that the events of the batch can cite them.
    let res = resolver(tx)?;
    let mut new_sources: Vec<(usize, SourceRow)> = Vec::new();
    // Sources of this batch with the same content as a new one: (key, its index).
    let mut aliases: Vec<(String, usize)> = Vec::new();
    let mut batch_sha: HashMap<String, usize> = HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        let Some(s) = s else {
            outcomes.push(Ok(Outcome::Unchanged)); // replaced below for events
            continue;
        };
        if let Err(err) = s.validate() {
            outcomes.push(Err(err.to_string()));
            continue;
        }
        if let Some((id, key)) = stored_sources.get(&s.sha256) {
            // The same source under another key: remember the alias for this transaction.
            res.sources.insert(s.id.clone(), *id);
            res.sources.insert(key.clone(), *id);
            outcomes.push(Ok(Outcome::Unchanged));
        } else if let Some(&n) = batch_sha.get(&s.sha256) {
            aliases.push((s.id.clone(), n));
            outcomes.push(Ok(Outcome::Unchanged));
        } else if res.sources.contains_key(&s.id) || new_sources.iter().any(|(_, r)| r.s.id == s.id) {
            outcomes.push(Err(format!("source `{}` already exists with different content", s.id)));
        } else {
            let mut bib = s.clone();
            bib.text = None;
            let row = SourceRow { csl: serde_json::to_string(&bib)?, authors: authors(s), s: s.clone() };
            batch_sha.insert(s.sha256.clone(), new_sources.len());
            new_sources.push((i, row));
            outcomes.push(Ok(Outcome::Created));
        }
    }
    let source_ids = reserve_ids(tx, "sources", new_sources.len())?;
    let res = resolver(tx)?;
    for ((_, row), id) in new_sources.iter().zip(&source_ids) {
        res.sources.insert(row.s.id.clone(), *id);
    }
    for (key, n) in aliases {
        res.sources.insert(key, source_ids[n]);
    }

    // Then the events.
    let mut new_events: Vec<(usize, EventRows)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Item::Event(e) = it else { continue };
        let rows = match check_event(res, e)? {
            Ok(rows) => rows,
            Err(m) => {
                outcomes[i] = Err(m);
                continue;
            }
        };
        outcomes[i] = match stored_events.get(&e.id) {
            Some(old) if *old == rows.hash => Ok(Outcome::Unchanged),
            Some(_) => Err(format!("event `{}` already exists with different content", e.id)),
            None => {
                stored_events.insert(e.id.clone(), rows.hash.clone());
                new_events.push((i, rows));
                Ok(Outcome::Created)
            }
        };
    }
    let event_ids = reserve_ids(tx, "events", new_events.len())?;

    // Rows in file order, audit entries included.
    let mut batch = EventBatch::new();
    let mut srcs = new_sources.iter().zip(&source_ids).peekable();
    let mut evs = new_events.iter().zip(&event_ids).peekable();
    for (i, it) in items.iter().enumerate() {
        match it {
            Item::Source(_) => {
                if let Some(((_, row), id)) = srcs.next_if(|((j, _), _)| *j == i) {
                    source_row(&mut batch.sources, *id, row);
                    if let Some(actor) = actor {
                        let whole = serde_json::to_string(&row.s)?;
                        batch
                            .audit
                            .text(&now())
                            .text(actor)
                            .text("create")
                            .text(&row.s.id)
                            .text(&whole)
                            .end();
                    }
                }
            }
            Item::Event(e) => {
                if let Some(((_, rows), id)) = evs.next_if(|((j, _), _)| *j == i) {
                    batch.add(*id, e, rows, actor)?;
                }
            }
        }
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
    if options.bulk {
        // Foreign keys are checked row by row (a lookup per participant, place and
        // piece of evidence); added back at the end, each is checked in one join.
        for r in tx.query(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
             WHERE contype = 'f' AND conrelid = ANY(ARRAY['participants', 'event_places', 'evidence']::regclass[])",
            &[],
        )? {
            let (table, name, def): (String, String, String) = (r.get(0), r.get(1), r.get(2));
            tx.tx.batch_execute(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))?;
            rebuild.push(format!("ALTER TABLE {table} ADD CONSTRAINT {name} {def}"));
        }
    }
    let report = import_records(tx, records, options, rejected)?;
    for sql in &rebuild {
        tx.tx.batch_execute(sql)?;
    }
    if options.bulk {
        tx.tx
            .batch_execute("ANALYZE events; ANALYZE participants; ANALYZE event_places; ANALYZE evidence")?;
    }
    Ok(report)
}

/// What an import did so far, and where rejected records go.
struct Tally<'a> {
    report: ImportReport,
    skip_invalid: bool,
    rejected: &'a mut dyn FnMut(Rejected),
}

/// What a record is, for the report.
#[derive(Clone, Copy)]
enum Kind {
    Source,
    Entity,
    Event,
}

impl Tally<'_> {
    /// Counts the outcome of one record; a bad record aborts the import unless
    /// `skip_invalid`.
    fn count(&mut self, line: usize, raw: String, kind: Kind, outcome: Checked<Outcome>) -> Result<()> {
        let r = &mut self.report;
        match outcome {
            Ok(Outcome::Unchanged) => r.unchanged += 1,
            Ok(Outcome::Created) => match kind {
                Kind::Source => r.sources += 1,
                Kind::Entity => r.entities += 1,
                Kind::Event => r.events += 1,
            },
            Err(message) if self.skip_invalid => {
                r.rejected += 1;
                (self.rejected)(Rejected { line, reason: message, raw });
            }
            Err(message) => return Err(StoreError::Invalid { line, message }),
        }
        Ok(())
    }
}

/// A record waiting for its batch: line, raw text, the record (a source or an event).
type Pending = Vec<(usize, String, Record)>;

/// Writes the pending sources and events and counts their outcomes.
fn flush(tx: &mut PgTx, pending: &mut Pending, actor: &str, tally: &mut Tally) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let items: Vec<Item> = pending
        .iter()
        .map(|(_, _, r)| match r {
            Record::Source(s) => Item::Source(s),
            Record::Event(e) => Item::Event(e),
            Record::Entity(_) => unreachable!("entities are written one at a time"),
        })
        .collect();
    let outcomes = put_items(tx, &items, Some(actor))?;
    for ((line, raw, r), outcome) in pending.drain(..).zip(outcomes) {
        let kind = if matches!(r, Record::Source(_)) { Kind::Source } else { Kind::Event };
        tally.count(line, raw, kind, outcome)?;
    }
    Ok(())
}

fn import_records(
    tx: &mut PgTx,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
) -> Result<ImportReport> {
    let mut tally = Tally { report: ImportReport::default(), skip_invalid: options.skip_invalid, rejected };
    let mut pending: Pending = Vec::new();
    for item in records {
        let RecordLine { line, record, raw } = item;
        match record {
            Ok(r @ (Record::Source(_) | Record::Event(_))) => {
                pending.push((line, raw, r));
                if pending.len() == BATCH {
                    flush(tx, &mut pending, &options.actor, &mut tally)?;
                }
            }
            other => {
                // Entities (few) and unreadable lines are taken in their place among
                // the rest, so that the audit log and the rejects follow the file.
                flush(tx, &mut pending, &options.actor, &mut tally)?;
                let outcome = match other {
                    Err(message) => Err(message),
                    Ok(Record::Entity(e)) => put_entity(tx, &e, "import", Some(&options.actor))?,
                    Ok(_) => unreachable!("sources and events are batched above"),
                };
                tally.count(line, raw, Kind::Entity, outcome)?;
            }
        }
    }
    flush(tx, &mut pending, &options.actor, &mut tally)?;
    Ok(tally.report)
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
    let events: Vec<Item> = bundle.events.iter().map(Item::Event).collect();
    for outcome in put_items(tx, &events, Some(actor))? {
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
    rows.send(
        tx,
        "archival_refs",
        "source_id, archive, fond, inventory, case_no, sheet, start, \"end\", text",
    )?;
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
