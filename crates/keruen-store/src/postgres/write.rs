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
//! handed out by the client ([`Ids`]), so that participants, places, evidence and
//! audit entries are copied alongside in the same order as row-by-row inserts. The
//! batches are pipelined ([`Pipeline`]): while the server takes one, the client
//! checks the next and builds its rows on a second thread.
use super::PgTx;
use super::copy::CopyRows;
use crate::columns::{
    Outcome, SourceFacts, authors, bounds, event_search_body, ingest_summary, sectors, sort_day, source_body,
    tsvector, tsvector_words, unknown_entity, unknown_source, year_of,
};
use crate::{ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result, StoreError, now};
use keruen_gazetteer::fold::fold;
use keruen_model::{Entity, Event, Record, RecordLine, Source};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

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
    /// The highest row id given out in the batch per table of [`Ids`], to move the
    /// sequences to.
    last: [Option<i64>; ID_TABLES.len()],
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
            last: [None; ID_TABLES.len()],
        }
    }

    fn add(
        &mut self,
        ids: &mut Ids,
        id: i64,
        e: &Event,
        rows: &EventRows,
        actor: Option<&str>,
    ) -> Result<()> {
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
            .tsvector(&tsvector_words(&body))
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
                .int(ids.take(IdOf::Evidence))
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
            self.created(ids, actor, &e.id, &rows.record);
        }
        Ok(())
    }

    /// The audit entry of `item` created as `whole`.
    fn created(&mut self, ids: &mut Ids, actor: &str, item: &str, whole: &str) {
        self.audit
            .int(ids.take(IdOf::Audit))
            .text(&now())
            .text(actor)
            .text("create")
            .text(item)
            .text(whole)
            .end();
    }

    /// Sends the rows and empties the buffers (keeping their capacity); events and
    /// their rows go in frozen if `freeze` ([`CopyRows::send_frozen_if`]).
    fn send(&mut self, tx: &mut PgTx, freeze: bool) -> Result<()> {
        self.sources.send(
            tx,
            "sources",
            "id, key, sha256, csl_type, title, authors, issued, language, file_name, csl, text, created_at, search_body, search_tsv",
        )?;
        self.events.send_frozen_if(
            freeze,
            tx,
            "events",
            "id, key, type, title, description, date, date_lo, date_hi, sort_day, year, status, sectors, countries, review, content_hash, search_body, search_tsv",
        )?;
        self.participants.send_frozen_if(
            freeze,
            tx,
            "participants",
            "event_id, entity_id, role, position",
        )?;
        self.places.send_frozen_if(freeze, tx, "event_places", "event_id, entity_id, position")?;
        self.evidence.send_frozen_if(
            freeze,
            tx,
            "evidence",
            "id, event_id, source_id, position, start, \"end\", quote, page, asserted_by, confidence, status, claim",
        )?;
        self.audit.send(tx, "audit", "id, at, actor, action, item, after")?;
        for (table, last) in ID_TABLES.iter().zip(self.last) {
            if let Some(last) = last {
                tx.query_one("SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", &[table, &last])?;
            }
        }
        Ok(())
    }
}

/// The tables whose row ids an import hands out itself, in the order of [`IdOf`].
const ID_TABLES: [&str; 4] = ["sources", "events", "evidence", "audit"];

/// A table of [`ID_TABLES`].
#[derive(Clone, Copy)]
enum IdOf {
    Source,
    Event,
    Evidence,
    Audit,
}

/// Row ids handed out by the client, in order: the next value of each sequence is
/// read once, and the sequence is moved past the last id a batch used when that
/// batch is sent. Writers hold the writers' lock, so nobody else draws from the
/// sequences meanwhile; a batch's ids are therefore known while the previous batch
/// is still being sent, and the server calls no `nextval` per row.
#[derive(Clone, Copy)]
struct Ids {
    next: [i64; ID_TABLES.len()],
}

impl Ids {
    fn load(tx: &mut PgTx) -> Result<Ids> {
        let mut next = [0; ID_TABLES.len()];
        for (n, table) in next.iter_mut().zip(ID_TABLES) {
            let sequence: String = tx.query_one("SELECT pg_get_serial_sequence($1, 'id')", &[&table])?.get(0);
            let r = tx.query_one(&format!("SELECT last_value, is_called FROM {sequence}"), &[])?;
            let (last, called): (i64, bool) = (r.get(0), r.get(1));
            *n = if called { last + 1 } else { last };
        }
        Ok(Ids { next })
    }

    fn take(&mut self, table: IdOf) -> i64 {
        let id = self.next[table as usize];
        self.next[table as usize] += 1;
        id
    }

    /// The last id of each table given out since `self` was `before`.
    fn last_since(&self, before: &Ids) -> [Option<i64>; ID_TABLES.len()] {
        std::array::from_fn(|t| (self.next[t] > before.next[t]).then(|| self.next[t] - 1))
    }
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
        .tsvector(&tsvector_words(&body))
        .end();
}

/// What the database holds of a batch's identities: sources by SHA-256 (row id,
/// key), events by key (content hash).
#[derive(Default)]
struct Stored {
    sources: HashMap<String, (i64, String)>,
    events: HashMap<String, String>,
}

impl Stored {
    /// Adds what an earlier batch created that may not be in the tables yet.
    fn extend(&mut self, in_flight: &Stored) {
        for (sha, v) in &in_flight.sources {
            self.sources.entry(sha.clone()).or_insert_with(|| v.clone());
        }
        for (key, hash) in &in_flight.events {
            self.events.entry(key.clone()).or_insert_with(|| hash.clone());
        }
    }
}

/// The keys of the events an import created, as 64-bit fingerprints, kept when it
/// began with no events: the only events stored are then its own, and a key whose
/// fingerprint is absent is certainly not stored. Eight bytes per event, where the
/// keys themselves would take tens.
#[derive(Default)]
struct KnownEvents(HashSet<u64>);

impl KnownEvents {
    fn fingerprint(key: &str) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        key.hash(&mut h);
        h.finish()
    }

    fn add(&mut self, key: &str) {
        self.0.insert(Self::fingerprint(key));
    }

    /// Whether an event under `key` may be stored (certainly not when false).
    fn may_hold(&self, key: &str) -> bool {
        self.0.contains(&Self::fingerprint(key))
    }
}

/// The sources of a batch with their identity computed (`None` for events), and
/// what is stored under the identities of its sources and events. With `known`, only
/// the events it may hold are looked up.
fn look_up(
    tx: &mut PgTx,
    items: &[Item],
    known: Option<&KnownEvents>,
) -> Result<(Vec<Option<Source>>, Stored)> {
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
        .filter(|key| known.is_none_or(|k| k.may_hold(key)))
        .collect();
    // During a bulk import the tables grow inside the transaction, without statistics,
    // and PostgreSQL scans the whole of `events` for each batch's keys (tens of
    // milliseconds per batch, growing with every batch). The unique indexes answer in
    // a fraction of that: seq scans are ruled out for these two lookups only.
    let indexed_keys = if known.is_none() { keys.len() } else { 0 };
    let large = shas.len() + indexed_keys >= INDEXED_LOOKUP;
    if large {
        tx.tx.batch_execute("SET LOCAL enable_seqscan = off")?;
    }
    let mut stored = Stored::default();
    if !shas.is_empty() {
        for r in tx.query("SELECT sha256, id, key FROM sources WHERE sha256 = ANY($1)", &[&shas])? {
            stored.sources.insert(r.get(0), (r.get(1), r.get(2)));
        }
    }
    if !keys.is_empty() && known.is_none() {
        for r in tx.query("SELECT key, content_hash FROM events WHERE key = ANY($1)", &[&keys])? {
            stored.events.insert(r.get(0), r.get(1));
        }
    }
    if large {
        tx.tx.batch_execute("SET LOCAL enable_seqscan TO DEFAULT")?;
    }
    if !keys.is_empty() && known.is_some() {
        // `events` has no index on `key` during this import: one pass over it, the
        // keys hashed. Only repeated keys (or a rare clash of fingerprints) get here.
        for r in tx.query(
            "SELECT key, content_hash FROM events WHERE key IN (SELECT unnest($1::text[]))",
            &[&keys],
        )? {
            stored.events.insert(r.get(0), r.get(1));
        }
    }
    Ok((sources, stored))
}

/// A batch checked and turned into rows: the outcome of each item, in order, the
/// rows of what is new, and the identities of what is new.
struct Prepared {
    outcomes: Vec<Checked<Outcome>>,
    rows: EventBatch,
    created: Stored,
}

/// Checks each item of a batch (valid, references known) and compares it with what
/// is stored under its identity and with the others of the batch: identical is
/// unchanged, different is refused, new gets its row id and its rows, with its
/// audit entry. Touches no connection, so that it can run while the previous batch
/// is being sent.
fn prepare(
    res: &mut Resolver,
    ids: &mut Ids,
    mut stored: Stored,
    items: &[Item],
    sources: &[Option<Source>],
    actor: Option<&str>,
    mut batch: EventBatch,
) -> Result<Prepared> {
    let before = *ids;
    let mut outcomes: Vec<Checked<Outcome>> = Vec::with_capacity(items.len());
    let mut created = Stored::default();

    // Sources first, so that the events of the batch can cite them.
    let mut new_sources: Vec<(usize, i64, SourceRow)> = Vec::new();
    // Sources of this batch with the same content as a new one: (key, its row id).
    let mut batch_sha: HashMap<String, i64> = HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        let Some(s) = s else {
            outcomes.push(Ok(Outcome::Unchanged)); // replaced below for events
            continue;
        };
        if let Err(err) = s.validate() {
            outcomes.push(Err(err.to_string()));
            continue;
        }
        if let Some((id, key)) = stored.sources.get(&s.sha256) {
            // The same source under another key: remember the alias for this transaction.
            res.sources.insert(s.id.clone(), *id);
            res.sources.insert(key.clone(), *id);
            outcomes.push(Ok(Outcome::Unchanged));
        } else if let Some(&id) = batch_sha.get(&s.sha256) {
            res.sources.insert(s.id.clone(), id);
            outcomes.push(Ok(Outcome::Unchanged));
        } else if res.sources.contains_key(&s.id) {
            outcomes.push(Err(format!("source `{}` already exists with different content", s.id)));
        } else {
            let mut bib = s.clone();
            bib.text = None;
            let row = SourceRow { csl: serde_json::to_string(&bib)?, authors: authors(s), s: s.clone() };
            let id = ids.take(IdOf::Source);
            res.sources.insert(s.id.clone(), id);
            batch_sha.insert(s.sha256.clone(), id);
            created.sources.insert(s.sha256.clone(), (id, s.id.clone()));
            new_sources.push((i, id, row));
            outcomes.push(Ok(Outcome::Created));
        }
    }

    // Then the events.
    let mut new_events: Vec<(usize, i64, EventRows)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Item::Event(e) = it else { continue };
        let rows = match check_event(res, e)? {
            Ok(rows) => rows,
            Err(m) => {
                outcomes[i] = Err(m);
                continue;
            }
        };
        outcomes[i] = match stored.events.get(&e.id) {
            Some(old) if *old == rows.hash => Ok(Outcome::Unchanged),
            Some(_) => Err(format!("event `{}` already exists with different content", e.id)),
            None => {
                stored.events.insert(e.id.clone(), rows.hash.clone());
                created.events.insert(e.id.clone(), rows.hash.clone());
                let id = ids.take(IdOf::Event);
                new_events.push((i, id, rows));
                Ok(Outcome::Created)
            }
        };
    }

    // Rows in file order, audit entries included.
    let mut srcs = new_sources.iter().peekable();
    let mut evs = new_events.iter().peekable();
    for (i, it) in items.iter().enumerate() {
        match it {
            Item::Source(_) => {
                if let Some((_, id, row)) = srcs.next_if(|(j, _, _)| *j == i) {
                    source_row(&mut batch.sources, *id, row);
                    if let Some(actor) = actor {
                        let whole = serde_json::to_string(&row.s)?;
                        batch.created(ids, actor, &row.s.id, &whole);
                    }
                }
            }
            Item::Event(e) => {
                if let Some((_, id, rows)) = evs.next_if(|(j, _, _)| *j == i) {
                    batch.add(ids, *id, e, rows, actor)?;
                }
            }
        }
    }
    batch.last = ids.last_since(&before);
    Ok(Prepared { outcomes, rows: batch, created })
}

/// The transaction's resolver, taken out of it (loaded first if need be) so that it
/// can be used while the connection is busy; put it back with `tx.resolver = Some(…)`.
fn take_resolver(tx: &mut PgTx) -> Result<Resolver> {
    resolver(tx)?;
    Ok(tx.resolver.take().expect("just loaded"))
}

/// Writes sources and events in file order, with `COPY` ([`prepare`] says how each
/// is judged). Returns the outcome of each item, in order.
pub(crate) fn put_items(tx: &mut PgTx, items: &[Item], actor: Option<&str>) -> Result<Vec<Checked<Outcome>>> {
    let mut ids = Ids::load(tx)?;
    let (sources, stored) = look_up(tx, items, None)?;
    let mut res = take_resolver(tx)?;
    let prepared = prepare(&mut res, &mut ids, stored, items, &sources, actor, EventBatch::new());
    tx.resolver = Some(res);
    let mut prepared = prepared?;
    prepared.rows.send(tx, false)?;
    Ok(prepared.outcomes)
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
    "sources_search",
];

pub(crate) fn import(
    tx: &mut PgTx,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
) -> Result<ImportReport> {
    // Into empty event tables (a new database), truncating them first lets the rows
    // go in frozen: later reads, index builds and the foreign keys' checks then skip
    // the visibility checks, and nothing rewrites every page afterwards to record
    // that the import committed. Other writers wait on the writers' lock, so the
    // tables stay empty until the import's own rows arrive. (The audit log refuses
    // TRUNCATE and is left as it is.)
    let mut freeze = false;
    if options.bulk {
        freeze = tx
            .query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM events) AND NOT EXISTS (SELECT 1 FROM participants)
                    AND NOT EXISTS (SELECT 1 FROM event_places) AND NOT EXISTS (SELECT 1 FROM evidence)",
                &[],
            )?
            .get(0);
        if freeze {
            tx.tx.batch_execute("TRUNCATE events, participants, event_places, evidence")?;
        }
    }
    let mut rebuild = Vec::new();
    let mut foreign_keys = Vec::new();
    if options.bulk {
        for r in tx.query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY($1)",
            &[&BULK_INDEXES],
        )? {
            let (name, def): (String, String) = (r.get(0), r.get(1));
            tx.tx.batch_execute(&format!("DROP INDEX {name}"))?;
            rebuild.push(def);
        }
        // Constraints dropped for the import and added back at the end. Every row
        // copied would also be inserted into its table's primary key, and each
        // insertion logged; built at the end, a key is sorted once and logged page by
        // page. Foreign keys are checked row by row (a lookup per participant, place
        // and piece of evidence, a trigger call per event even where `merged_into` is
        // NULL); added back, each is checked in one join. The foreign keys go first
        // and come back last: those into `events` rest on its primary key. Into empty
        // event tables, the unique key of `events` goes too: the import then knows
        // every event stored ([`Pipeline::known`]) and need not look keys up in it.
        let constraints: Vec<(i8, String, String, String)> = tx
            .query(
                "SELECT contype, conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE (contype IN ('p', 'f')
                        AND conrelid = ANY(ARRAY['events', 'participants', 'event_places', 'evidence', 'audit']::regclass[]))
                    OR (contype = 'u' AND conrelid = 'events'::regclass AND $1)
                 ORDER BY contype, conrelid::regclass::text, conname",
                &[&freeze],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        for (_, table, name, _) in &constraints {
            tx.tx.batch_execute(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))?;
        }
        for (kind, table, name, def) in constraints.iter().rev() {
            let sql = format!("ALTER TABLE {table} ADD CONSTRAINT {name} {def}");
            if *kind == b'f' as i8 { foreign_keys.push(sql) } else { rebuild.push(sql) }
        }
    }
    let report = import_records(tx, records, options, rejected, freeze)?;
    for sql in &rebuild {
        tx.tx.batch_execute(sql)?;
    }
    // A foreign key is checked with one query over both tables, which the planner,
    // without statistics yet, makes a hash join: a hash table of a million event ids
    // built for each key into `events`. Frozen rows are all visible, so the join can
    // instead merge two indexes on the event id, read without visiting the tables, in
    // under half the time. (JIT compiling those queries costs more than it saves.)
    if freeze {
        tx.tx.batch_execute("SET LOCAL enable_hashjoin = off; SET LOCAL jit = off")?;
    }
    for sql in &foreign_keys {
        tx.tx.batch_execute(sql)?;
    }
    if freeze {
        tx.tx.batch_execute("SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL jit TO DEFAULT")?;
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

/// An import's batches in flight: while one batch's rows are sent (the server
/// busy), the next is checked and turned into rows (the client busy), on two
/// threads, so that neither waits for the other.
#[derive(Default)]
struct Pipeline {
    /// The row ids to give out next; loaded with the first batch.
    ids: Option<Ids>,
    /// The rows of the last batch prepared, not sent yet.
    unsent: Option<EventBatch>,
    /// The sources and events those rows create: not in the tables yet, so the next
    /// batch's lookups cannot see them.
    in_flight: Stored,
    /// Whether the event tables were truncated in this transaction, so that rows can
    /// go in frozen.
    freeze: bool,
    /// The events created so far, when the import began with none (`freeze`).
    known: Option<KnownEvents>,
    /// The batch last sent, emptied: its buffers, grown to a batch's size, are filled
    /// again rather than grown anew from small ones.
    spare: Option<EventBatch>,
}

impl Pipeline {
    /// Sends what is unsent, so that the tables hold everything prepared so far.
    fn drain(&mut self, tx: &mut PgTx) -> Result<()> {
        if let Some(mut rows) = self.unsent.take() {
            rows.send(tx, self.freeze)?;
        }
        self.in_flight = Stored::default();
        // What is written next outside the pipeline may draw from the sequences.
        self.ids = None;
        Ok(())
    }
}

/// Prepares the pending sources and events while the previous batch is sent, counts
/// their outcomes and calls `read_ahead` (to read the next batch) before waiting for
/// the sending to end, and returns what it read; their rows are sent with the next
/// batch or by [`Pipeline::drain`].
fn flush<R>(
    tx: &mut PgTx,
    pending: &mut Pending,
    actor: &str,
    tally: &mut Tally,
    pipe: &mut Pipeline,
    read_ahead: impl FnOnce() -> R,
) -> Result<R> {
    if pending.is_empty() {
        return Ok(read_ahead());
    }
    let items = items_of(pending);
    let mut ids = match pipe.ids.take() {
        Some(ids) => ids,
        None => Ids::load(tx)?,
    };
    let (sources, mut stored) = look_up(tx, &items, pipe.known.as_ref())?;
    drop(items);
    stored.extend(&pipe.in_flight);
    let mut res = take_resolver(tx)?;
    let (unsent, freeze) = (pipe.unsent.take(), pipe.freeze);
    let batch = pipe.spare.take().unwrap_or_else(EventBatch::new);
    let (sent, prepared) = std::thread::scope(|scope| {
        let sender = unsent.map(|mut rows| {
            let tx = &mut *tx;
            scope.spawn(move || rows.send(tx, freeze).map(|()| rows))
        });
        let items = items_of(pending);
        let prepared = prepare(&mut res, &mut ids, stored, &items, &sources, Some(actor), batch);
        drop(items);
        // The sending usually takes longer: the records are counted (and dropped) and
        // the next batch read meanwhile, rather than while the server waits.
        let prepared = prepared.and_then(|mut prepared| {
            let outcomes = std::mem::take(&mut prepared.outcomes);
            for ((line, raw, r), outcome) in pending.drain(..).zip(outcomes) {
                let kind = if matches!(r, Record::Source(_)) { Kind::Source } else { Kind::Event };
                tally.count(line, raw, kind, outcome)?;
            }
            Ok((prepared, read_ahead()))
        });
        let sent = match sender {
            Some(h) => h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)).map(Some),
            None => Ok(None),
        };
        (sent, prepared)
    });
    tx.resolver = Some(res);
    pipe.spare = sent?;
    let (prepared, read) = prepared?;
    pipe.ids = Some(ids);
    if let Some(known) = &mut pipe.known {
        for key in prepared.created.events.keys() {
            known.add(key);
        }
    }
    pipe.in_flight = prepared.created;
    pipe.unsent = Some(prepared.rows);
    Ok(read)
}

/// The sources and events of a batch, as items.
fn items_of(pending: &Pending) -> Vec<Item<'_>> {
    pending
        .iter()
        .map(|(_, _, r)| match r {
            Record::Source(s) => Item::Source(s),
            Record::Event(e) => Item::Event(e),
            Record::Entity(_) => unreachable!("entities are written one at a time"),
        })
        .collect()
}

/// Where [`read_batch`] stopped.
enum Stop {
    /// A batch is full.
    Full,
    /// At a record that is not batched (an entity, or a line that could not be read).
    Held(Box<RecordLine>),
    /// At the end of the records.
    End,
}

/// Reads sources and events into `pending` until a batch is full or a record that
/// is not batched comes.
fn read_batch(records: &mut dyn Iterator<Item = RecordLine>, pending: &mut Pending) -> Stop {
    for RecordLine { line, record, raw } in &mut *records {
        match record {
            Ok(r @ (Record::Source(_) | Record::Event(_))) => {
                pending.push((line, raw, r));
                if pending.len() == BATCH {
                    return Stop::Full;
                }
            }
            record => return Stop::Held(Box::new(RecordLine { line, record, raw })),
        }
    }
    Stop::End
}

fn import_records(
    tx: &mut PgTx,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
    freeze: bool,
) -> Result<ImportReport> {
    let mut tally = Tally { report: ImportReport::default(), skip_invalid: options.skip_invalid, rejected };
    let mut pipe = Pipeline { freeze, known: freeze.then(KnownEvents::default), ..Pipeline::default() };
    let (mut pending, mut next): (Pending, Pending) = (Vec::new(), Vec::new());
    let mut stop = read_batch(records, &mut pending);
    loop {
        // A full batch is flushed while the next is read; one cut short by an entity
        // or an unreadable line is flushed first, so that the audit log and the
        // rejects follow the file.
        stop = match stop {
            Stop::Full => {
                let read = flush(tx, &mut pending, &options.actor, &mut tally, &mut pipe, || {
                    read_batch(records, &mut next)
                })?;
                std::mem::swap(&mut pending, &mut next);
                read
            }
            Stop::Held(held) => {
                flush(tx, &mut pending, &options.actor, &mut tally, &mut pipe, || ())?;
                let RecordLine { line, record, raw } = *held;
                let outcome = match record {
                    Err(message) => Err(message),
                    Ok(Record::Entity(e)) => {
                        pipe.drain(tx)?;
                        put_entity(tx, &e, "import", Some(&options.actor))?
                    }
                    Ok(_) => unreachable!("sources and events are batched"),
                };
                tally.count(line, raw, Kind::Entity, outcome)?;
                read_batch(records, &mut pending)
            }
            Stop::End => {
                flush(tx, &mut pending, &options.actor, &mut tally, &mut pipe, || ())?;
                break;
            }
        };
    }
    pipe.drain(tx)?;
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
