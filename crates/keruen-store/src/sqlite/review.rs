//! The review queue and the events whose evidence holds differing claims, in SQLite.
use super::read::{EVENT_COLUMNS, event_from_row};
use crate::curate::review::hit;
use crate::curation::{ReviewFilter, ReviewItem};
use crate::{Result, StoreError};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

/// The WHERE clause of the queue over `events e` joined to its chosen evidence `v`.
fn queue_filter(c: &Connection, f: &ReviewFilter) -> Result<(String, Vec<Value>, String, Vec<Value>)> {
    // The evidence shown: the most confident, from the source asked for if any.
    let mut pick = String::from("SELECT v2.id FROM evidence v2 WHERE v2.event_id = e.id");
    let mut pick_params = Vec::new();
    if let Some(src) = &f.source {
        let id: i64 = c
            .prepare_cached("SELECT id FROM sources WHERE key = ?1")?
            .query_row([src], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound { kind: "source", key: src.clone() })?;
        pick.push_str(" AND v2.source_id = ?");
        pick_params.push(Value::Integer(id));
    }
    pick.push_str(" ORDER BY v2.confidence DESC, v2.position LIMIT 1");
    let mut clauses = vec!["e.review = 'candidate'".to_string(), "e.merged_into IS NULL".to_string()];
    let mut params = Vec::new();
    if let Some(t) = f.event_type {
        clauses.push("e.type = ?".into());
        params.push(Value::Text(t.as_str().into()));
    }
    if let Some(min) = f.min_confidence {
        // Stored as f64 from an f32: compare with the same rounding.
        clauses.push("v.confidence >= ?".into());
        params.push(Value::Real(f64::from(min) - 1e-6));
    }
    Ok((pick, pick_params, clauses.join(" AND "), params))
}

pub(crate) fn review_queue(c: &Connection, f: &ReviewFilter) -> Result<Vec<ReviewItem>> {
    let limit = f.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let (pick, mut all, mut where_sql, params) = queue_filter(c, f)?;
    all.extend(params);
    if let Some(cursor) = &f.cursor {
        let after: i64 = cursor.parse().map_err(|_| StoreError::Invalid {
            line: 0,
            message: format!("cursor `{cursor}` is not one this store gave out"),
        })?;
        where_sql.push_str(" AND e.id > ?");
        all.push(Value::Integer(after));
    }
    all.push(Value::Integer(limit as i64));
    let cols: String = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    let mut st = c.prepare(&format!(
        "SELECT {cols}, e.countries, v.confidence, s.key, v.quote, v.start, v.end, v.page,
                (SELECT count(*) FROM evidence v3 WHERE v3.event_id = e.id)
         FROM events e JOIN evidence v ON v.id = ({pick}) JOIN sources s ON s.id = v.source_id
         WHERE {where_sql} ORDER BY e.id LIMIT ?"
    ))?;
    let rows = st.query_map(params_from_iter(&all), |r| {
        let (id, e) = event_from_row(r)?;
        let countries: String = r.get(9)?;
        Ok(ReviewItem {
            event: hit(e, &countries),
            confidence: r.get::<_, f64>(10)? as f32,
            source: r.get(11)?,
            quote: r.get(12)?,
            start: r.get(13)?,
            end: r.get(14)?,
            page: r.get(15)?,
            evidence: r.get::<_, i64>(16)? as usize,
            cursor: id.to_string(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keys of every candidate the filter matches, in queue order.
pub(crate) fn queue_keys(c: &Connection, f: &ReviewFilter) -> Result<Vec<String>> {
    let (pick, mut all, where_sql, params) = queue_filter(c, f)?;
    all.extend(params);
    let mut st = c.prepare(&format!(
        "SELECT e.key FROM events e JOIN evidence v ON v.id = ({pick}) WHERE {where_sql} ORDER BY e.id"
    ))?;
    let rows = st.query_map(params_from_iter(&all), |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live, not rejected events whose evidence holds claims written differently.
pub(crate) fn claim_variants(c: &Connection) -> Result<Vec<String>> {
    let mut st = c.prepare(
        // Evidence whose claims are written alike agrees; claims written differently
        // may still agree (the same states in another order): the caller checks.
        "SELECT e.key FROM events e WHERE e.merged_into IS NULL AND e.review <> 'rejected'
           AND e.id IN (SELECT event_id FROM evidence WHERE claim IS NOT NULL
                        GROUP BY event_id HAVING count(DISTINCT claim) > 1) ORDER BY e.id",
    )?;
    let keys: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}
