//! An event's curated state ([`EventState`]) read and written as a whole, in
//! PostgreSQL (the rules that change it are in `curate/`).
use super::PgTx;
use super::read::{EVENT_COLUMNS, complete_event, event_from_row};
use crate::columns::{bounds, event_search_body, sectors, sort_day, tsvector, year_of};
use crate::curation::{ChosenBy, EventState};
use crate::{Result, StoreError};
use keruen_model::Event;

/// The state of the event `key` and its row id.
pub(crate) fn load(tx: &mut PgTx, key: &str) -> Result<Option<(i64, EventState)>> {
    let cols: String = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    let Some(r) = tx.query_opt(
        &format!(
            "SELECT {cols}, m.key, e.date_chosen_by, e.type_chosen_by, e.countries_chosen_by, e.places_chosen_by
             FROM events e LEFT JOIN events m ON m.id = e.merged_into WHERE e.key = $1"
        ),
        &[&key],
    )?
    else {
        return Ok(None);
    };
    let (id, event) = event_from_row(&r)?;
    let chosen_by =
        ChosenBy { date: r.get(10), event_type: r.get(11), countries: r.get(12), places: r.get(13) };
    let mut state = EventState { event, merged_into: r.get(9), chosen_by };
    complete_event(tx, id, &mut state.event)?;
    Ok(Some((id, state)))
}

fn row_id(tx: &mut PgTx, table: &'static str, kind: &'static str, key: &str) -> Result<i64> {
    tx.query_opt(&format!("SELECT id FROM {table} WHERE key = $1"), &[&key])?.map(|r| r.get(0)).ok_or_else(
        || StoreError::Invalid {
            line: 0,
            message: match kind {
                "entity" if key.len() == 2 => format!("unknown country code `{key}`"),
                _ => format!("unknown {kind} `{key}`"),
            },
        },
    )
}

/// Inserts a new event (a split's, or a replayed creation) with its participants,
/// places and evidence; returns its row id. The content hash is that of the record,
/// as for an imported event.
pub(crate) fn insert(tx: &mut PgTx, e: &Event) -> Result<i64> {
    let record = serde_json::to_string(e)?;
    let hash = keruen_model::sha256_hex(record.as_bytes());
    let id = tx.query_opt(
        "INSERT INTO events (key, type, sort_day, status, content_hash) VALUES ($1, $2, 0, $3, $4)
         ON CONFLICT (key) DO NOTHING RETURNING id",
        &[&e.id, &e.event_type.as_str(), &e.status.as_str(), &hash],
    )?;
    let Some(id) = id.map(|r| r.get::<_, i64>(0)) else {
        return Err(StoreError::Conflict(format!("event `{}` already exists", e.id)));
    };
    let state = EventState { event: e.clone(), merged_into: None, chosen_by: ChosenBy::default() };
    save(tx, id, &state)?;
    Ok(id)
}

/// Writes `state` over the event with row id `id`: its row, participants, places,
/// evidence and search text. The content hash (the identity of what was imported)
/// is kept, so that importing the original file again still adds nothing.
pub(crate) fn save(tx: &mut PgTx, id: i64, state: &EventState) -> Result<()> {
    let e = &state.event;
    e.validate()
        .map_err(|err| StoreError::Invalid { line: 0, message: format!("event `{}`: {err}", e.id) })?;
    // Resolve every key before writing, so that a bad one leaves no trace.
    let mut participants = Vec::new();
    for p in &e.participants {
        participants.push(row_id(tx, "entities", "entity", &p.entity)?);
    }
    let mut places = Vec::new();
    for p in &e.places {
        places.push(row_id(tx, "entities", "entity", p)?);
    }
    let mut sources = Vec::new();
    for v in &e.evidence {
        sources.push(row_id(tx, "sources", "source", &v.source)?);
    }
    let merged_into = match state.merged_into.as_deref() {
        Some(k) => Some(row_id(tx, "events", "event", k)?),
        None => None,
    };
    let (lo, hi) = bounds(e.date.as_ref());
    let sort = sort_day(lo, hi);
    let c = &state.chosen_by;
    let body = event_search_body(e);
    tx.execute(
        "UPDATE events SET type = $2, title = $3, description = $4, date = $5, date_lo = $6, date_hi = $7,
           sort_day = $8, year = $9, status = $10, sectors = $11, countries = $12, review = $13, merged_into = $14,
           date_chosen_by = $15, type_chosen_by = $16, countries_chosen_by = $17, places_chosen_by = $18,
           search_body = $19, search_tsv = $20::text::tsvector
         WHERE id = $1",
        &[
            &id,
            &e.event_type.as_str(),
            &e.title,
            &e.description,
            &e.date.as_ref().map(|d| d.to_string()),
            &lo.map(i64::from),
            &hi.map(i64::from),
            &sort,
            &year_of(sort).map(i64::from),
            &e.status.as_str(),
            &sectors(e),
            &e.countries().join(","),
            &e.review.as_str(),
            &merged_into,
            &c.date,
            &c.event_type,
            &c.countries,
            &c.places,
            &body,
            &tsvector(&body),
        ],
    )?;
    for table in ["participants", "event_places", "evidence"] {
        tx.execute(&format!("DELETE FROM {table} WHERE event_id = $1"), &[&id])?;
    }
    for (i, (p, entity)) in e.participants.iter().zip(&participants).enumerate() {
        tx.execute(
            "INSERT INTO participants (event_id, entity_id, role, position) VALUES ($1, $2, $3, $4)",
            &[&id, entity, &p.role.as_str(), &(i as i64)],
        )?;
    }
    for (i, entity) in places.iter().enumerate() {
        tx.execute(
            "INSERT INTO event_places (event_id, entity_id, position) VALUES ($1, $2, $3)",
            &[&id, entity, &(i as i64)],
        )?;
    }
    for (i, (v, source)) in e.evidence.iter().zip(&sources).enumerate() {
        let claim = v.claim.as_ref().map(serde_json::to_string).transpose()?;
        tx.execute(
            "INSERT INTO evidence (event_id, source_id, position, start, \"end\", quote, page, asserted_by, confidence, status, claim)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &id,
                source,
                &(i as i64),
                &v.start.map(i64::from),
                &v.end.map(i64::from),
                &v.quote,
                &v.page,
                &v.asserted_by,
                &f64::from(v.confidence),
                &v.status.as_str(),
                &claim,
            ],
        )?;
    }
    Ok(())
}
