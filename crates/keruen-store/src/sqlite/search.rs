//! Event search: filters, free text split into entity names and words, facets,
//! keyset pagination in date order.
use super::read::{EVENT_COLUMNS, event_from_row};
use crate::query::{
    COUNT_CAP, DEFAULT_LIMIT, FacetTally, MAX_LIMIT, distinct_entities, event_cursor, parse_event_cursor,
};
use crate::{EntityHit, EventHit, Facets, Result, SearchPlan, SearchQuery, SearchResults, SourceHit};
use keruen_model::EntityKind;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// A WHERE clause over `events e` and its parameters.
#[derive(Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    pub(crate) params: Vec<Value>,
}

impl Filter {
    fn push(&mut self, clause: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.into());
        self.params.extend(params);
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() { "1".into() } else { self.clauses.join(" AND ") }
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Entities whose folded name equals `key`.
fn entities_named(c: &Connection, key: &str) -> Result<Vec<(i64, EntityHit)>> {
    let mut st = c.prepare_cached(
        "SELECT DISTINCT e.id, e.key, e.kind, e.name_en, e.name_ru, n.text FROM entity_names n
         JOIN entities e ON e.id = n.entity_id WHERE n.folded = ?1 ORDER BY e.id",
    )?;
    let rows = st.query_map([key], |r| {
        let kind: String = r.get(2)?;
        Ok((
            r.get(0)?,
            EntityHit {
                id: r.get(1)?,
                kind: kind.parse::<EntityKind>().unwrap_or(EntityKind::Place),
                name_en: r.get(3)?,
                name_ru: r.get(4)?,
                matched: r.get(5)?,
            },
        ))
    })?;
    Ok(distinct_entities(rows.collect::<rusqlite::Result<_>>()?))
}

/// A condition "the event is one of these ids" of a query.
struct IdSet {
    /// Lower ranks are expected to hold fewer ids; the lowest drives the query.
    rank: u8,
    /// The condition with `{id}` for the event id column, and its parameters.
    drive: String,
    params: Vec<Value>,
    /// The same condition on the event's own columns, for when it does not drive.
    check: Option<(String, Vec<Value>)>,
}

/// A query turned into SQL: its WHERE clause over `events e`, the entities its text
/// named, and its other words.
pub(crate) struct Planned {
    pub(crate) filter: Filter,
    entity_hits: Vec<EntityHit>,
    words: Vec<String>,
    all_words: Vec<String>,
}

/// Builds the WHERE clause of a query (without its cursor); shared by search and the
/// page-oriented reads of `browse.rs`, so that a map or a timeline shows exactly the
/// events a search with the same filters finds.
pub(crate) fn plan(c: &Connection, q: &SearchQuery) -> Result<Planned> {
    let mut f = Filter::default();
    f.push("e.merged_into IS NULL", []);
    if q.include_candidates {
        f.push("e.review <> 'rejected'", []);
    } else {
        f.push("e.review = 'accepted'", []);
    }
    if !q.types.is_empty() {
        f.push(
            format!("e.type IN ({})", placeholders(q.types.len())),
            q.types.iter().map(|t| Value::Text(t.as_str().into())),
        );
    }
    if !q.statuses.is_empty() {
        f.push(
            format!("e.status IN ({})", placeholders(q.statuses.len())),
            q.statuses.iter().map(|t| Value::Text(t.as_str().into())),
        );
    }
    if !q.sectors.is_empty() {
        let ors = vec!["(',' || e.sectors || ',') LIKE ?"; q.sectors.len()].join(" OR ");
        f.push(format!("({ors})"), q.sectors.iter().map(|s| Value::Text(format!("%,{},%", s.as_str()))));
    }
    // Conditions "the event is one of these ids", ranked by how few ids they are likely
    // to hold (named entities, then words, then partner states, then the five Central
    // Asian states, which take part in most events). Only the first may drive the
    // query through an index; the others are written `+e.id`, which SQLite only
    // checks: two index-driving IN lists on the same column make it walk their cross
    // product (minutes on a million events for country=KZ&country=JP).
    //
    // A state that does not drive is checked on the event's own `countries` column
    // (the sorted codes of its participating states) rather than through the
    // participants: SQLite would first collect every event of the state into a
    // temporary index — hundreds of thousands for Kazakhstan, most of a search's time.
    let mut id_sets: Vec<IdSet> = Vec::new();
    for code in &q.countries {
        let code = code.to_uppercase();
        let rank = if keruen_model::CENTRAL_ASIA.contains(&code.as_str()) { 3 } else { 2 };
        let is_code = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
        id_sets.push(IdSet {
            rank,
            drive: "{id} IN (SELECT p.event_id FROM participants p JOIN entities en ON en.id = p.entity_id WHERE en.key = ?)".into(),
            params: vec![Value::Text(code.clone())],
            check: is_code.then(|| ("instr(',' || e.countries || ',', ?) > 0".into(), vec![Value::Text(format!(",{code},"))])),
        });
    }
    if q.from.is_some() || q.to.is_some() {
        f.push("e.date IS NOT NULL", []);
    }
    if let Some(day) = q.from.as_ref().and_then(|d| d.earliest()) {
        f.push("(e.date_hi IS NULL OR e.date_hi >= ?)", [Value::Integer(day.0.into())]);
    }
    if let Some(day) = q.to.as_ref().and_then(|d| d.latest()) {
        f.push("(e.date_lo IS NULL OR e.date_lo <= ?)", [Value::Integer(day.0.into())]);
    }

    let mut resolved = crate::query::ResolvedText::default();
    if let Some(text) = q.text.as_deref().filter(|t| !t.trim().is_empty()) {
        resolved = SearchPlan::new(text).resolve(|gram| entities_named(c, gram))?;
        for ids in &resolved.groups {
            let ids: Vec<Value> = ids.iter().map(|id| Value::Integer(*id)).collect();
            id_sets.push(IdSet {
                rank: 0,
                drive: format!(
                    "{{id}} IN (SELECT event_id FROM participants WHERE entity_id IN ({p}) \
                     UNION SELECT event_id FROM event_places WHERE entity_id IN ({p}))",
                    p = placeholders(ids.len())
                ),
                params: ids.iter().cloned().chain(ids.iter().cloned()).collect(),
                check: None,
            });
        }
        if !resolved.words.is_empty() {
            id_sets.push(IdSet {
                rank: 1,
                drive: "{id} IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)".into(),
                params: vec![Value::Text(fts_query(&resolved.words))],
                check: None,
            });
        }
    }
    id_sets.sort_by_key(|s| s.rank);
    for (i, set) in id_sets.into_iter().enumerate() {
        match set.check {
            Some((sql, params)) if i > 0 => f.push(sql, params),
            _ => f.push(set.drive.replace("{id}", if i == 0 { "e.id" } else { "+e.id" }), set.params),
        }
    }
    let crate::query::ResolvedText { entity_hits, words, all_words, .. } = resolved;
    Ok(Planned { filter: f, entity_hits, words, all_words })
}

pub(crate) fn search(c: &Connection, q: &SearchQuery) -> Result<SearchResults> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let Planned { filter: f, entity_hits, words, all_words } = plan(c, q)?;
    let where_sql = f.sql();
    // Counting a broad match exactly costs a lookup per matching event; beyond
    // COUNT_CAP the answer is "more than" (facets, when asked for, count everything).
    // Facets read every matching event anyway, and count them exactly on the way.
    let facets = if q.facets { Some(facets(c, &where_sql, &f.params)?) } else { None };
    let (total, total_is_lower_bound) = match &facets {
        Some((_, n)) => (*n as i64, false),
        None => {
            let mut count_params = f.params.clone();
            count_params.push(Value::Integer(COUNT_CAP as i64 + 1));
            let counted: i64 = c
                .prepare_cached(&format!(
                    "SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where_sql} LIMIT ?)"
                ))?
                .query_row(params_from_iter(&count_params), |r| r.get(0))?;
            (counted.min(COUNT_CAP as i64), counted as u64 > COUNT_CAP)
        }
    };
    let facets = facets.map(|(f, _)| f);

    let mut page_params = f.params.clone();
    let mut page_where = where_sql.clone();
    if let Some(cursor) = &q.cursor {
        let (day, id) = parse_event_cursor(cursor)?;
        page_where.push_str(" AND (e.sort_day, e.id) > (?, ?)");
        page_params.push(Value::Integer(day));
        page_params.push(Value::Integer(id));
    }
    page_params.push(Value::Integer(limit as i64 + 1));
    let cols: String = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    let mut st = c.prepare_cached(&format!(
        "SELECT {cols}, e.countries, e.sort_day FROM events e WHERE {page_where} ORDER BY e.sort_day, e.id LIMIT ?"
    ))?;
    let mut rows = st.query(params_from_iter(&page_params))?;
    let mut hits = Vec::new();
    let mut last = None;
    let mut more = false;
    while let Some(r) = rows.next()? {
        if hits.len() == limit {
            more = true;
            break;
        }
        let (id, e) = event_from_row(r)?;
        let countries: String = r.get(9)?;
        let sort_day: i64 = r.get(10)?;
        last = Some((sort_day, id));
        hits.push(EventHit {
            id: e.id,
            event_type: e.event_type,
            title: e.title,
            date: e.date.map(|d| d.to_string()),
            countries: countries.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            status: e.status,
            review: e.review.as_str().into(),
        });
    }
    let next = if more { last.map(|(d, i)| event_cursor(d, i)) } else { None };
    drop(rows);

    let sources = if all_words.is_empty() { Vec::new() } else { matching_sources(c, &all_words)? };
    Ok(SearchResults {
        total: total as u64,
        total_is_lower_bound,
        hits,
        next,
        facets,
        entities: entity_hits,
        sources,
        words,
    })
}

/// Every word must occur, as a word or a word's beginning. Words are folded, so they
/// hold only `[a-z0-9]` and cannot carry FTS5 syntax.
fn fts_query(words: &[String]) -> String {
    words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" AND ")
}

fn matching_sources(c: &Connection, words: &[String]) -> Result<Vec<SourceHit>> {
    let mut st = c.prepare_cached(
        "SELECT key, title, authors, issued FROM sources WHERE id IN
           (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?1) ORDER BY id LIMIT 20",
    )?;
    let rows = st.query_map([fts_query(words)], |r| {
        Ok(SourceHit { id: r.get(0)?, title: r.get(1)?, authors: r.get(2)?, issued: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Facet counts and the exact total, in one pass over the matching events: their
/// type, status, year and the denormalised `sectors` and `countries` columns are read
/// once and counted here, instead of one GROUP BY (and, for states, a join with the
/// participants) per facet, each of which re-evaluated the whole filter.
fn facets(c: &Connection, where_sql: &str, params: &[Value]) -> Result<(Facets, u64)> {
    let mut st = c.prepare_cached(&format!(
        "SELECT e.type, e.status, e.year, e.sectors, e.countries FROM events e WHERE {where_sql}"
    ))?;
    let mut rows = st.query(params_from_iter(params))?;
    let mut tally = FacetTally::default();
    while let Some(r) = rows.next()? {
        tally.add(
            r.get_ref(0)?.as_str().unwrap_or_default(),
            r.get_ref(1)?.as_str().unwrap_or_default(),
            r.get_ref(2)?.as_i64_or_null().map_err(rusqlite::Error::from)?,
            r.get_ref(3)?.as_str().unwrap_or_default(),
            r.get_ref(4)?.as_str().unwrap_or_default(),
        );
    }
    Ok(tally.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SqliteStore;

    fn where_sql(store: &SqliteStore, text: Option<&str>, countries: &[&str]) -> String {
        let q = SearchQuery {
            text: text.map(str::to_string),
            countries: countries.iter().map(|c| c.to_string()).collect(),
            ..SearchQuery::default()
        };
        store.read(|c| plan(c, &q)).unwrap().filter.sql()
    }

    #[test]
    fn only_a_driving_state_is_looked_up_through_its_participants() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::create(dir.path().join("k.db")).unwrap();
        // The words drive; both states are checked on the event's own column.
        let sql = where_sql(&store, Some("festival"), &["KZ", "jp"]);
        assert!(sql.contains("e.id IN (SELECT rowid FROM events_fts"), "{sql}");
        assert_eq!((sql.matches("participants").count(), sql.matches("instr(").count()), (0, 2), "{sql}");
        // Without words the partner state drives; the Central Asian one is checked.
        let sql = where_sql(&store, None, &["KZ", "JP"]);
        assert_eq!((sql.matches("participants").count(), sql.matches("instr(").count()), (1, 1), "{sql}");
        assert!(sql.contains("e.id IN (SELECT p.event_id FROM participants"), "{sql}");
        // A key that is not a state's code is not in that column: it keeps the join.
        let sql = where_sql(&store, Some("festival"), &["org:unesco"]);
        assert!(sql.contains("+e.id IN (SELECT p.event_id FROM participants"), "{sql}");
    }
}
