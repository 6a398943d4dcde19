//! Event search: filters, free text split into entity names and words, facets,
//! keyset pagination in date order.
use super::read::{EVENT_COLUMNS, event_from_row};
use crate::{
    EntityHit, EventHit, Facet, Facets, Result, SearchPlan, SearchQuery, SearchResults, SourceHit, StoreError,
};
use keruen_model::EntityKind;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::collections::{BTreeMap, HashMap};

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 500;
/// Matches counted exactly; more are reported as "more than".
pub(crate) const COUNT_CAP: u64 = 10_000;

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
    let mut out: Vec<(i64, EntityHit)> = Vec::new();
    for row in rows {
        let (id, hit) = row?;
        if !out.iter().any(|(i, _)| *i == id) {
            out.push((id, hit));
        }
    }
    Ok(out)
}

/// Russian and Central Asian names are inflected ("Казахстана", "в Бухаре"); when a
/// word names no entity as written, try it without its last one or two letters, and
/// with a final -a restored.
fn inflection_variants(word: &str) -> Vec<String> {
    let n = word.len();
    if n < 6 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut out = vec![word[..n - 1].to_string(), word[..n - 2].to_string()];
    out.push(format!("{}a", &word[..n - 1]));
    out
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
    for code in &q.countries {
        f.push(
            "e.id IN (SELECT p.event_id FROM participants p JOIN entities en ON en.id = p.entity_id WHERE en.key = ?)",
            [Value::Text(code.to_uppercase())],
        );
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

    let mut entity_hits = Vec::new();
    let mut words = Vec::new();
    let mut all_words = Vec::new();
    if let Some(text) = q.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let plan = SearchPlan::new(text);
        all_words = plan.words.clone();
        let mut claimed = vec![false; plan.words.len()];
        for (start, end, gram) in plan.ngrams() {
            if claimed[start..end].iter().any(|c| *c) {
                continue;
            }
            let mut found = entities_named(c, &gram)?;
            if found.is_empty() && end - start == 1 {
                for variant in inflection_variants(&gram) {
                    found = entities_named(c, &variant)?;
                    if !found.is_empty() {
                        break;
                    }
                }
            }
            if found.is_empty() {
                continue;
            }
            claimed[start..end].iter_mut().for_each(|c| *c = true);
            let ids: Vec<Value> = found.iter().map(|(id, _)| Value::Integer(*id)).collect();
            let n = ids.len();
            f.push(
                format!(
                    "e.id IN (SELECT event_id FROM participants WHERE entity_id IN ({p}) \
                     UNION SELECT event_id FROM event_places WHERE entity_id IN ({p}))",
                    p = placeholders(n)
                ),
                ids.iter().cloned().chain(ids.iter().cloned()),
            );
            entity_hits.extend(found.into_iter().map(|(_, h)| h));
        }
        words = plan.words.iter().zip(&claimed).filter(|(_, c)| !**c).map(|(w, _)| w.clone()).collect();
        if !words.is_empty() {
            f.push(
                "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)",
                [Value::Text(fts_query(&words))],
            );
        }
    }

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
        let (day, id) = parse_cursor(cursor)?;
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
    let next = if more { last.map(|(d, i)| format!("{d}.{i}")) } else { None };
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

pub(crate) fn parse_cursor(cursor: &str) -> Result<(i64, i64)> {
    let bad = || StoreError::Invalid {
        line: 0,
        message: format!("cursor `{cursor}` is not one this server gave out"),
    };
    let (a, b) = cursor.split_once('.').ok_or_else(bad)?;
    Ok((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?))
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
    let mut types: HashMap<String, u64> = HashMap::new();
    let mut statuses: HashMap<String, u64> = HashMap::new();
    let mut years: BTreeMap<i64, u64> = BTreeMap::new();
    let mut sectors: HashMap<String, u64> = HashMap::new();
    let mut countries: HashMap<String, u64> = HashMap::new();
    let mut total = 0u64;
    let bump = |m: &mut HashMap<String, u64>, k: &str| match m.get_mut(k) {
        Some(n) => *n += 1,
        None => {
            m.insert(k.to_string(), 1);
        }
    };
    while let Some(r) = rows.next()? {
        total += 1;
        bump(&mut types, r.get_ref(0)?.as_str().unwrap_or_default());
        bump(&mut statuses, r.get_ref(1)?.as_str().unwrap_or_default());
        if let Some(y) = r.get_ref(2)?.as_i64_or_null().map_err(rusqlite::Error::from)? {
            *years.entry(y).or_default() += 1;
        }
        for sector in r.get_ref(3)?.as_str().unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
            bump(&mut sectors, sector);
        }
        for code in r.get_ref(4)?.as_str().unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
            bump(&mut countries, code);
        }
    }
    let by_count = |m: HashMap<String, u64>| {
        let mut v: Vec<Facet> = m.into_iter().map(|(value, count)| Facet { value, count }).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        v
    };
    let facets = Facets {
        types: by_count(types),
        countries: by_count(countries),
        years: years.into_iter().map(|(y, count)| Facet { value: y.to_string(), count }).collect(),
        sectors: by_count(sectors),
        statuses: by_count(statuses),
    };
    Ok((facets, total))
}
