//! Event search in PostgreSQL: the same filters, text plan, facets and keyset
//! pagination as SQLite's `search.rs`, in PostgreSQL's SQL. Words are matched in the
//! `tsvector` of the folded text with prefix queries (`word:*`), as FTS5's `"word"*`.
use super::PgTx;
use super::read::{EVENT_COLUMNS, event_from_row};
use crate::curate::review::hit;
use crate::query::{
    COUNT_CAP, DEFAULT_LIMIT, FacetTally, MAX_LIMIT, ResolvedText, distinct_entities, event_cursor,
    parse_event_cursor,
};
use crate::{EntityHit, Facets, Result, SearchPlan, SearchQuery, SearchResults, SourceHit};
use keruen_model::EntityKind;
use postgres::types::ToSql;

/// A parameter of a query built at run time.
pub(crate) type Param = Box<dyn ToSql + Sync>;

/// A WHERE clause over `events e` and its parameters, numbered as they are pushed.
#[derive(Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    pub(crate) params: Vec<Param>,
}

impl Filter {
    /// The placeholder of a new parameter.
    pub(crate) fn param(&mut self, p: impl ToSql + Sync + 'static) -> String {
        self.params.push(Box::new(p));
        format!("${}", self.params.len())
    }

    fn push(&mut self, clause: impl Into<String>) {
        self.clauses.push(clause.into());
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() { "true".into() } else { self.clauses.join(" AND ") }
    }

    pub(crate) fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params.iter().map(|p| p.as_ref() as &(dyn ToSql + Sync)).collect()
    }
}

/// Entities whose folded name equals `key`.
fn entities_named(tx: &mut PgTx, key: &str) -> Result<Vec<(i64, EntityHit)>> {
    let rows = tx.query(
        "SELECT DISTINCT e.id, e.key, e.kind, e.name_en, e.name_ru, n.text FROM entity_names n
         JOIN entities e ON e.id = n.entity_id WHERE n.folded = $1 ORDER BY e.id, n.text",
        &[&key],
    )?;
    Ok(distinct_entities(
        rows.iter()
            .map(|r| {
                (
                    r.get(0),
                    EntityHit {
                        id: r.get(1),
                        kind: r.get::<_, &str>(2).parse::<EntityKind>().unwrap_or(EntityKind::Place),
                        name_en: r.get(3),
                        name_ru: r.get(4),
                        matched: r.get(5),
                    },
                )
            })
            .collect(),
    ))
}

/// Every word must occur, as a word or a word's beginning. Words are folded, so they
/// hold only `[a-z0-9]` and cannot carry query syntax.
fn ts_query(words: &[String]) -> String {
    words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & ")
}

/// A query turned into SQL.
pub(crate) struct Planned {
    pub(crate) filter: Filter,
    text: ResolvedText,
}

/// Builds the WHERE clause of a query (without its cursor); shared by search and the
/// page-oriented reads of `browse.rs`.
pub(crate) fn plan(tx: &mut PgTx, q: &SearchQuery) -> Result<Planned> {
    let mut f = Filter::default();
    f.push("e.merged_into IS NULL");
    f.push(if q.include_candidates { "e.review <> 'rejected'" } else { "e.review = 'accepted'" });
    if !q.types.is_empty() {
        let p = f.param(q.types.iter().map(|t| t.as_str().to_string()).collect::<Vec<_>>());
        f.push(format!("e.type = ANY({p})"));
    }
    if !q.statuses.is_empty() {
        let p = f.param(q.statuses.iter().map(|t| t.as_str().to_string()).collect::<Vec<_>>());
        f.push(format!("e.status = ANY({p})"));
    }
    if !q.sectors.is_empty() {
        let ors: Vec<String> = q
            .sectors
            .iter()
            .map(|s| format!("(',' || e.sectors || ',') LIKE {}", f.param(format!("%,{},%", s.as_str()))))
            .collect();
        f.push(format!("({})", ors.join(" OR ")));
    }
    for code in &q.countries {
        // The state's row id first: with it the planner sees how many events the
        // state takes part in (a join on its key hides that and can cost seconds).
        let id = tx.query_opt("SELECT id FROM entities WHERE key = $1", &[&code.to_uppercase()])?;
        match id.map(|r| r.get::<_, i64>(0)) {
            Some(id) => {
                let p = f.param(id);
                f.push(format!("e.id IN (SELECT event_id FROM participants WHERE entity_id = {p})"));
            }
            None => f.push("false"),
        }
    }
    if q.from.is_some() || q.to.is_some() {
        f.push("e.date IS NOT NULL");
    }
    if let Some(day) = q.from.as_ref().and_then(|d| d.earliest()) {
        let p = f.param(i64::from(day.0));
        f.push(format!("(e.date_hi IS NULL OR e.date_hi >= {p})"));
    }
    if let Some(day) = q.to.as_ref().and_then(|d| d.latest()) {
        let p = f.param(i64::from(day.0));
        f.push(format!("(e.date_lo IS NULL OR e.date_lo <= {p})"));
    }
    let mut text = ResolvedText::default();
    if let Some(t) = q.text.as_deref().filter(|t| !t.trim().is_empty()) {
        text = SearchPlan::new(t).resolve(|gram| entities_named(tx, gram))?;
        for ids in &text.groups {
            let p = f.param(ids.clone());
            f.push(format!(
                "e.id IN (SELECT event_id FROM participants WHERE entity_id = ANY({p}) \
                 UNION SELECT event_id FROM event_places WHERE entity_id = ANY({p}))"
            ));
        }
        if !text.words.is_empty() {
            let p = f.param(ts_query(&text.words));
            f.push(format!("e.search_tsv @@ to_tsquery('simple', {p})"));
        }
    }
    Ok(Planned { filter: f, text })
}

pub(crate) fn search(tx: &mut PgTx, q: &SearchQuery) -> Result<SearchResults> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let Planned { filter: mut f, text } = plan(tx, q)?;
    let where_sql = f.sql();
    let facets = if q.facets { Some(facets(tx, &where_sql, &f)?) } else { None };
    let (total, total_is_lower_bound) = match &facets {
        Some((_, n)) => (*n, false),
        None => {
            let cap = f.param(COUNT_CAP as i64 + 1);
            let counted = tx.count(
                &format!("SELECT count(*) FROM (SELECT 1 FROM events e WHERE {where_sql} LIMIT {cap}) x"),
                &f.refs(),
            )?;
            f.params.pop();
            (counted.min(COUNT_CAP), counted > COUNT_CAP)
        }
    };
    let facets = facets.map(|(f, _)| f);

    let mut page_where = where_sql;
    if let Some(cursor) = &q.cursor {
        let (day, id) = parse_event_cursor(cursor)?;
        let (d, i) = (f.param(day), f.param(id));
        page_where.push_str(&format!(" AND (e.sort_day, e.id) > ({d}, {i})"));
    }
    let lim = f.param(limit as i64 + 1);
    let cols: String = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    let rows = tx.query(
        &format!(
            "SELECT {cols}, e.countries, e.sort_day FROM events e WHERE {page_where} ORDER BY e.sort_day, e.id LIMIT {lim}"
        ),
        &f.refs(),
    )?;
    let more = rows.len() > limit;
    let mut hits = Vec::new();
    let mut last = None;
    for r in rows.iter().take(limit) {
        let (id, e) = event_from_row(r)?;
        last = Some((r.get::<_, i64>(10), id));
        hits.push(hit(e, r.get(9)));
    }
    let next = if more { last.map(|(d, i)| event_cursor(d, i)) } else { None };
    let sources = if text.all_words.is_empty() { Vec::new() } else { matching_sources(tx, &text.all_words)? };
    Ok(SearchResults {
        total,
        total_is_lower_bound,
        hits,
        next,
        facets,
        entities: text.entity_hits,
        sources,
        words: text.words,
    })
}

fn matching_sources(tx: &mut PgTx, words: &[String]) -> Result<Vec<SourceHit>> {
    let rows = tx.query(
        "SELECT key, title, authors, issued FROM sources WHERE search_tsv @@ to_tsquery('simple', $1)
         ORDER BY id LIMIT 20",
        &[&ts_query(words)],
    )?;
    Ok(rows
        .iter()
        .map(|r| SourceHit { id: r.get(0), title: r.get(1), authors: r.get(2), issued: r.get(3) })
        .collect())
}

/// Facet counts and the exact total, in one pass over the matching events.
fn facets(tx: &mut PgTx, where_sql: &str, f: &Filter) -> Result<(Facets, u64)> {
    let rows = tx.query(
        &format!("SELECT e.type, e.status, e.year, e.sectors, e.countries FROM events e WHERE {where_sql}"),
        &f.refs(),
    )?;
    let mut tally = FacetTally::default();
    for r in &rows {
        tally.add(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
    }
    Ok(tally.finish())
}
