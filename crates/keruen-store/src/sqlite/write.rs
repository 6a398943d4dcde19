//! Writes: gazetteer seeding, imports, ingests. Each runs inside the caller's
//! transaction and appends to the audit log in it.
use crate::columns::{
    Outcome, SourceFacts, authors, bounds, event_search_body, ingest_summary, sectors, sort_day, source_body,
    unknown_entity, unknown_source, year_of,
};
use crate::{ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result, StoreError, now};
use keruen_gazetteer::fold::fold;
use keruen_model::{Entity, Event, Record, RecordLine, Source};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// Keys already resolved to row ids during one transaction.
pub(crate) struct Resolver {
    entities: HashMap<String, i64>,
    sources: HashMap<String, i64>,
}

impl Resolver {
    /// Loads every entity and source key: a few thousand entities at most in
    /// practice, and a lookup per participant would dominate a bulk import.
    pub(crate) fn load(tx: &Connection) -> Result<Self> {
        let mut entities = HashMap::new();
        let mut stmt = tx.prepare("SELECT key, id FROM entities")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (k, id) = row?;
            entities.insert(k, id);
        }
        let mut sources = HashMap::new();
        let mut stmt = tx.prepare("SELECT key, id FROM sources")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (k, id) = row?;
            sources.insert(k, id);
        }
        Ok(Resolver { entities, sources })
    }

    fn entity(&self, key: &str) -> std::result::Result<i64, String> {
        self.entities.get(key).copied().ok_or_else(|| unknown_entity(key))
    }
}

pub(crate) fn audit(
    tx: &Connection,
    actor: &str,
    action: &str,
    item: &str,
    before: Option<&str>,
    after: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit (at, actor, action, item, before, after, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![now(), actor, action, item, before, after, reason])?;
    Ok(())
}

pub(crate) fn seed_gazetteer(tx: &Connection, entities: &[Entity]) -> Result<usize> {
    let mut changed = 0;
    for e in entities {
        let record = serde_json::to_string(e)?;
        let existing: Option<(i64, String)> = tx
            .prepare_cached("SELECT id, record FROM entities WHERE key = ?1")?
            .query_row([&e.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match existing {
            Some((_, old)) if old == record => continue,
            Some((id, _)) => {
                tx.execute("DELETE FROM entity_names WHERE entity_id = ?1", [id])?;
                tx.execute("DELETE FROM entities WHERE id = ?1", [id])
                    .map_err(|_| StoreError::Conflict(format!("cannot replace entity {}", e.id)))?;
                insert_entity_row(tx, e, "gazetteer", &record, Some(id))?;
            }
            None => {
                insert_entity_row(tx, e, "gazetteer", &record, None)?;
            }
        }
        changed += 1;
    }
    Ok(changed)
}

fn insert_entity_row(
    tx: &Connection,
    e: &Entity,
    origin: &str,
    record: &str,
    id: Option<i64>,
) -> Result<i64> {
    let (lo, hi) = bounds(e.dates.as_ref());
    tx.prepare_cached(
        "INSERT INTO entities (id, key, kind, name_en, name_ru, iso, wikidata, country, lat, lon, dates, dates_lo, dates_hi, description, origin, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        id,
        e.id,
        e.kind.as_str(),
        e.display_name("en"),
        e.display_name("ru"),
        e.iso,
        e.wikidata,
        e.country,
        e.coordinates.map(|c| c.lat),
        e.coordinates.map(|c| c.lon),
        e.dates.as_ref().map(|d| d.to_string()),
        lo,
        hi,
        e.description,
        origin,
        record
    ])?;
    let id = tx.last_insert_rowid();
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO entity_names (entity_id, text, lang, form, folded) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for n in &e.names {
        let form = serde_json::to_value(n.form)?;
        stmt.execute(params![id, n.text, n.lang, form.as_str().unwrap_or("name"), fold(&n.text)])?;
    }
    Ok(id)
}

/// Inserts an entity that is not in the database yet; an identical one is unchanged,
/// a different one with the same key is refused.
pub(crate) fn put_entity(
    tx: &Connection,
    resolver: &mut Resolver,
    e: &Entity,
    origin: &str,
    actor: Option<&str>,
) -> std::result::Result<Outcome, String> {
    e.validate().map_err(|err| err.to_string())?;
    let record = serde_json::to_string(e).map_err(|err| err.to_string())?;
    if resolver.entities.contains_key(&e.id) {
        let old: String = tx
            .query_row("SELECT record FROM entities WHERE key = ?1", [&e.id], |r| r.get(0))
            .map_err(|err| err.to_string())?;
        return if old == record {
            Ok(Outcome::Unchanged)
        } else {
            Err(format!("entity `{}` already exists with different content", e.id))
        };
    }
    let id = insert_entity_row(tx, e, origin, &record, None).map_err(|err| err.to_string())?;
    if let Some(actor) = actor {
        audit(tx, actor, "create", &e.id, None, Some(&record), None).map_err(|err| err.to_string())?;
    }
    resolver.entities.insert(e.id.clone(), id);
    Ok(Outcome::Created)
}

/// Inserts a source; one with the same content (hash) is unchanged whatever its key.
/// The audit entry (written when `actor` is given; a replay writes its own) holds the
/// whole source with its text, so that the log alone can rebuild the database.
pub(crate) fn put_source(
    tx: &Connection,
    resolver: &mut Resolver,
    source: &Source,
    actor: Option<&str>,
) -> std::result::Result<(i64, Outcome), String> {
    let s = source.clone().with_identity();
    s.validate().map_err(|err| err.to_string())?;
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT id, key FROM sources WHERE sha256 = ?1")
        .and_then(|mut st| st.query_row([&s.sha256], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(|err| err.to_string())?;
    if let Some((id, key)) = existing {
        // The same source under another key: remember the alias for this transaction.
        resolver.sources.insert(s.id.clone(), id);
        resolver.sources.insert(key, id);
        return Ok((id, Outcome::Unchanged));
    }
    if resolver.sources.contains_key(&s.id) {
        return Err(format!("source `{}` already exists with different content", s.id));
    }
    let mut bib = s.clone();
    bib.text = None;
    let csl = serde_json::to_string(&bib).map_err(|err| err.to_string())?;
    let authors = authors(&s);
    tx.prepare_cached(
        "INSERT INTO sources (key, sha256, csl_type, title, authors, issued, language, file_name, csl, text, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut st| {
        st.execute(params![
            s.id,
            s.sha256,
            s.csl_type,
            s.title,
            authors,
            s.issued.as_ref().map(|d| d.to_string()),
            s.language,
            s.file_name,
            csl,
            s.text,
            now()
        ])
    })
    .map_err(|err| err.to_string())?;
    let id = tx.last_insert_rowid();
    let body = source_body(&s.title, authors.as_deref(), s.text.as_deref());
    tx.prepare_cached("INSERT INTO sources_fts (rowid, body) VALUES (?1, ?2)")
        .and_then(|mut st| st.execute(params![id, body]))
        .map_err(|err| err.to_string())?;
    if let Some(actor) = actor {
        let whole = serde_json::to_string(&s).map_err(|err| err.to_string())?;
        audit(tx, actor, "create", &s.id, None, Some(&whole), None).map_err(|err| err.to_string())?;
    }
    resolver.sources.insert(s.id.clone(), id);
    Ok((id, Outcome::Created))
}

/// Inserts an event with its participants, places and evidence. An identical event
/// with the same key is unchanged; a different one is refused.
pub(crate) fn put_event(
    tx: &Connection,
    resolver: &Resolver,
    e: &Event,
    actor: Option<&str>,
) -> std::result::Result<Outcome, String> {
    e.validate().map_err(|err| err.to_string())?;
    // Resolve every reference before writing anything, so that a bad record leaves
    // no trace.
    let participants: Vec<i64> =
        e.participants.iter().map(|p| resolver.entity(&p.entity)).collect::<std::result::Result<_, _>>()?;
    let places: Vec<i64> =
        e.places.iter().map(|p| resolver.entity(p)).collect::<std::result::Result<_, _>>()?;
    let sources: Vec<i64> = e
        .evidence
        .iter()
        .map(|ev| resolver.sources.get(&ev.source).copied().ok_or_else(|| unknown_source(&ev.source)))
        .collect::<std::result::Result<_, _>>()?;
    let record = serde_json::to_string(e).map_err(|err| err.to_string())?;
    let hash = keruen_model::sha256_hex(record.as_bytes());
    let (lo, hi) = bounds(e.date.as_ref());
    let sort = sort_day(lo, hi);
    let countries = e.countries().join(",");
    let sectors = sectors(e);
    let sql_err = |err: rusqlite::Error| err.to_string();
    let inserted = tx
        .prepare_cached(
            "INSERT INTO events (key, type, title, description, date, date_lo, date_hi, sort_day, year, status, sectors, countries, review, content_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT (key) DO NOTHING",
        )
        .and_then(|mut st| {
            st.execute(params![
                e.id,
                e.event_type.as_str(),
                e.title,
                e.description,
                e.date.as_ref().map(|d| d.to_string()),
                lo,
                hi,
                sort,
                year_of(sort),
                e.status.as_str(),
                sectors,
                countries,
                e.review.as_str(),
                hash
            ])
        })
        .map_err(sql_err)?;
    if inserted == 0 {
        let old: String = tx
            .query_row("SELECT content_hash FROM events WHERE key = ?1", [&e.id], |r| r.get(0))
            .map_err(sql_err)?;
        return if old == hash {
            Ok(Outcome::Unchanged)
        } else {
            Err(format!("event `{}` already exists with different content", e.id))
        };
    }
    let id = tx.last_insert_rowid();
    {
        let mut st = tx
            .prepare_cached(
                "INSERT INTO participants (event_id, entity_id, role, position) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(sql_err)?;
        for (i, (p, entity_id)) in e.participants.iter().zip(&participants).enumerate() {
            st.execute(params![id, entity_id, p.role.as_str(), i as i64]).map_err(sql_err)?;
        }
        let mut st = tx
            .prepare_cached("INSERT INTO event_places (event_id, entity_id, position) VALUES (?1, ?2, ?3)")
            .map_err(sql_err)?;
        for (i, entity_id) in places.iter().enumerate() {
            st.execute(params![id, entity_id, i as i64]).map_err(sql_err)?;
        }
        let mut st = tx
            .prepare_cached(
                "INSERT INTO evidence (event_id, source_id, position, start, end, quote, page, asserted_by, confidence, status, claim)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .map_err(sql_err)?;
        for (i, (ev, source_id)) in e.evidence.iter().zip(&sources).enumerate() {
            let claim =
                ev.claim.as_ref().map(serde_json::to_string).transpose().map_err(|err| err.to_string())?;
            st.execute(params![
                id,
                source_id,
                i as i64,
                ev.start,
                ev.end,
                ev.quote,
                ev.page,
                ev.asserted_by,
                f64::from(ev.confidence),
                ev.status.as_str(),
                claim
            ])
            .map_err(sql_err)?;
        }
        tx.prepare_cached("INSERT INTO events_fts (rowid, body) VALUES (?1, ?2)")
            .and_then(|mut st| st.execute(params![id, event_search_body(e)]))
            .map_err(sql_err)?;
    }
    if let Some(actor) = actor {
        audit(tx, actor, "create", &e.id, None, Some(&record), None).map_err(|err| err.to_string())?;
    }
    Ok(Outcome::Created)
}

/// Secondary indexes that a bulk import rebuilds instead of maintaining.
const BULK_INDEXES: &[&str] = &[
    "events_sort",
    "events_type_sort",
    "participants_entity",
    "event_places_entity",
    "evidence_event",
    "evidence_source",
    "audit_item",
];

/// Drops the bulk indexes and returns the SQL that recreates them.
fn drop_bulk_indexes(tx: &Connection) -> Result<Vec<String>> {
    let mut defs = Vec::new();
    for name in BULK_INDEXES {
        let sql: Option<String> = tx
            .query_row("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(sql) = sql {
            tx.execute_batch(&format!("DROP INDEX {name}"))?;
            defs.push(sql);
        }
    }
    Ok(defs)
}

pub(crate) fn import(
    tx: &Connection,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
) -> Result<ImportReport> {
    let rebuild = if options.bulk { drop_bulk_indexes(tx)? } else { Vec::new() };
    let report = import_records(tx, records, options, rejected)?;
    for sql in rebuild {
        tx.execute_batch(&sql)?;
    }
    Ok(report)
}

fn import_records(
    tx: &Connection,
    records: &mut dyn Iterator<Item = RecordLine>,
    options: &ImportOptions,
    rejected: &mut dyn FnMut(Rejected),
) -> Result<ImportReport> {
    let mut resolver = Resolver::load(tx)?;
    let mut report = ImportReport::default();
    for item in records {
        let outcome = match &item.record {
            Err(message) => Err(message.clone()),
            Ok(Record::Source(s)) => {
                put_source(tx, &mut resolver, s, Some(&options.actor)).map(|(_, o)| (o, 0))
            }
            Ok(Record::Entity(e)) => {
                put_entity(tx, &mut resolver, e, "import", Some(&options.actor)).map(|o| (o, 1))
            }
            Ok(Record::Event(e)) => put_event(tx, &resolver, e, Some(&options.actor)).map(|o| (o, 2)),
        };
        match outcome {
            Ok((Outcome::Unchanged, _)) => report.unchanged += 1,
            Ok((Outcome::Created, 0)) => report.sources += 1,
            Ok((Outcome::Created, 1)) => report.entities += 1,
            Ok((Outcome::Created, _)) => report.events += 1,
            Err(message) if options.skip_invalid => {
                report.rejected += 1;
                rejected(Rejected { line: item.line, reason: message, raw: item.raw });
            }
            Err(message) => {
                return Err(StoreError::Invalid { line: item.line, message });
            }
        }
    }
    Ok(report)
}

/// Stores a bundle; the audit entries name `actor` (the extractor itself for
/// [`crate::Store::ingest`], the user for [`crate::Curation::ingest_as`]). The
/// `ingest` entry holds the spans, references and citations found, and the keys of
/// the entities the extractor made, so that a replay restores them.
pub(crate) fn ingest(tx: &Connection, bundle: &IngestBundle, actor: &str) -> Result<IngestReport> {
    let mut resolver = Resolver::load(tx)?;
    let invalid = |message: String| StoreError::Invalid { line: 0, message };
    let (source_id, outcome) = put_source(tx, &mut resolver, &bundle.source, Some(actor)).map_err(invalid)?;
    let key: String = tx.query_row("SELECT key FROM sources WHERE id = ?1", [source_id], |r| r.get(0))?;
    let mut report = IngestReport { source: key, new: outcome == Outcome::Created, events: 0, entities: 0 };
    if outcome == Outcome::Unchanged {
        return Ok(report);
    }
    let mut created_entities = Vec::new();
    for e in &bundle.new_entities {
        if !resolver.entities.contains_key(&e.id)
            && put_entity(tx, &mut resolver, e, "extract", Some(actor)).map_err(invalid)? == Outcome::Created
        {
            report.entities += 1;
            created_entities.push(e.id.clone());
        }
    }
    for e in &bundle.events {
        if put_event(tx, &resolver, e, Some(actor)).map_err(invalid)? == Outcome::Created {
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
pub(crate) fn insert_source_facts(tx: &Connection, source_id: i64, facts: &SourceFacts) -> Result<()> {
    let bundle = facts;
    let mut st = tx.prepare_cached(
        "INSERT INTO annotations (source_id, kind, start, end, text, value, target) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in &bundle.annotations {
        st.execute(params![
            source_id,
            a.kind.as_str(),
            a.start as i64,
            a.end as i64,
            a.text,
            a.value,
            a.target
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO archival_refs (source_id, archive, fond, inventory, case_no, sheet, start, end, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for r in &bundle.archival_refs {
        st.execute(params![
            source_id,
            r.archive,
            r.fond,
            r.inventory,
            r.case,
            r.sheet,
            r.start as i64,
            r.end as i64,
            r.text
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO bib_references (source_id, idx, start, end, text, authors, year) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for r in &bundle.references {
        st.execute(params![
            source_id,
            r.index as i64,
            r.start as i64,
            r.end as i64,
            r.text,
            serde_json::to_string(&r.authors)?,
            r.year
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO citations (source_id, author, year, pages, start, end, text, reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for c in &bundle.citations {
        st.execute(params![
            source_id,
            c.author,
            c.year,
            c.pages,
            c.start as i64,
            c.end as i64,
            c.text,
            c.reference.map(|r| r as i64)
        ])?;
    }
    Ok(())
}
