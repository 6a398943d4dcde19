//! PostgreSQL implementation of [`crate::Browse`], query for query as SQLite's.
use super::read::{event_cols, event_from_row, parse};
use super::search::plan;
use super::{CUSTOM_PLANS, PgStore, PgTx};
use crate::browse::{EntityName, Page, PlaceCount, SourcePage, YearTypeCount};
use crate::curate::review::hit;
use crate::query::{event_cursor, parse_event_cursor};
use crate::{Browse, EventHit, Result, SearchQuery, SourceHit, StoreError};
use keruen_model::{Annotation, AnnotationKind, ArchivalRef, Citation, EntityKind, Reference};
use postgres::Row;

/// Largest page a list gives.
const MAX_PAGE: usize = 500;

fn entity_name(r: &Row, at: usize) -> EntityName {
    EntityName {
        id: r.get(at),
        kind: r.get::<_, &str>(at + 1).parse().unwrap_or(EntityKind::Place),
        name_en: r.get(at + 2),
        name_ru: r.get(at + 3),
        country: r.get(at + 4),
    }
}

/// Event hits of a query whose columns are `EVENT_COLUMNS, countries, sort_day`; reads
/// one more than `limit` to know whether a next page exists.
fn event_hits(rows: &[Row], limit: usize) -> Result<Page<EventHit>> {
    let more = rows.len() > limit;
    let mut items = Vec::new();
    let mut last = None;
    for r in rows.iter().take(limit) {
        let (id, e) = event_from_row(r)?;
        last = Some((r.get::<_, i64>(10), id));
        items.push(hit(e, r.get(9)));
    }
    let next = if more { last.map(|(d, i)| event_cursor(d, i)) } else { None };
    Ok(Page { items, next })
}

/// A cursor of `sources_list` or `entities_list`: the last row id shown.
fn row_cursor(cursor: Option<&str>) -> Result<i64> {
    match cursor {
        None => Ok(0),
        Some(c) => c.parse().map_err(|_| StoreError::Invalid {
            line: 0,
            message: format!("cursor `{c}` is not one this server gave out"),
        }),
    }
}

fn usize_of(v: i64) -> usize {
    usize::try_from(v).unwrap_or_default()
}

fn source_page(tx: &mut PgTx, key: &str) -> Result<Option<SourcePage>> {
    let rows = tx.query(&super::read::SOURCE_SQL, &[&key])?;
    let Some(source) = super::read::source_from_rows(&rows)? else {
        return Ok(None);
    };
    let id: i64 = tx.query_one("SELECT id FROM sources WHERE key = $1", &[&key])?.get(0);
    let annotations = tx
        .query(
            "SELECT kind, start, \"end\", text, value, target FROM annotations WHERE source_id = $1
             ORDER BY start, \"end\" DESC, id",
            &[&id],
        )?
        .iter()
        .filter_map(|r| {
            AnnotationKind::parse(r.get(0)).map(|kind| Annotation {
                kind,
                start: usize_of(r.get(1)),
                end: usize_of(r.get(2)),
                text: r.get(3),
                value: r.get(4),
                target: r.get(5),
            })
        })
        .collect();
    let archival_refs = tx
        .query(
            "SELECT archive, fond, inventory, case_no, sheet, start, \"end\", text FROM archival_refs
             WHERE source_id = $1 ORDER BY start, id",
            &[&id],
        )?
        .iter()
        .map(|r| ArchivalRef {
            archive: r.get(0),
            fond: r.get(1),
            inventory: r.get(2),
            case: r.get(3),
            sheet: r.get(4),
            start: usize_of(r.get(5)),
            end: usize_of(r.get(6)),
            text: r.get(7),
        })
        .collect();
    let citations = tx
        .query(
            "SELECT author, year, pages, start, \"end\", text, reference FROM citations WHERE source_id = $1
             ORDER BY start, id",
            &[&id],
        )?
        .iter()
        .map(|r| Citation {
            author: r.get(0),
            year: r.get(1),
            pages: r.get(2),
            start: usize_of(r.get(3)),
            end: usize_of(r.get(4)),
            text: r.get(5),
            reference: r.get::<_, Option<i64>>(6).map(usize_of),
        })
        .collect();
    let references = tx
        .query(
            "SELECT idx, start, \"end\", text, authors, year FROM bib_references WHERE source_id = $1 ORDER BY idx",
            &[&id],
        )?
        .iter()
        .map(|r| Reference {
            index: usize_of(r.get(0)),
            start: usize_of(r.get(1)),
            end: usize_of(r.get(2)),
            text: r.get(3),
            authors: serde_json::from_str(r.get(4)).unwrap_or_default(),
            year: r.get(5),
        })
        .collect();
    let rows = tx.query(
        &format!(
            "SELECT {}, e.countries, e.sort_day FROM events e WHERE e.merged_into IS NULL
             AND e.id IN (SELECT event_id FROM evidence WHERE source_id = $1) ORDER BY e.sort_day, e.id LIMIT $2",
            event_cols()
        ),
        &[&id, &10_001i64],
    )?;
    let events = event_hits(&rows, 10_000)?.items;
    Ok(Some(SourcePage { source, annotations, archival_refs, citations, references, events }))
}

/// A page of rows whose first column is the row id (the cursor).
fn id_page<T>(rows: Vec<Row>, limit: usize, item: impl Fn(&Row) -> T) -> Page<T> {
    let more = rows.len() > limit;
    let shown = &rows[..rows.len().min(limit)];
    let next = if more { shown.last().map(|r| r.get::<_, i64>(0).to_string()) } else { None };
    Page { items: shown.iter().map(item).collect(), next }
}

impl Browse for PgStore {
    fn source_page(&self, key: &str) -> Result<Option<SourcePage>> {
        self.read(|tx| source_page(tx, key))
    }

    fn sources_list(&self, cursor: Option<&str>, limit: usize) -> Result<Page<SourceHit>> {
        let after = row_cursor(cursor)?;
        let limit = limit.clamp(1, MAX_PAGE);
        self.read(|tx| {
            let rows = tx.query(
                "SELECT id, key, title, authors, issued FROM sources WHERE id > $1 ORDER BY id LIMIT $2",
                &[&after, &(limit as i64 + 1)],
            )?;
            Ok(id_page(rows, limit, |r| SourceHit {
                id: r.get(1),
                title: r.get(2),
                authors: r.get(3),
                issued: r.get(4),
            }))
        })
    }

    fn entities_list(
        &self,
        kind: Option<EntityKind>,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EntityName>> {
        let after = row_cursor(cursor)?;
        let limit = limit.clamp(1, MAX_PAGE);
        let kind = kind.map(|k| k.as_str());
        self.read(|tx| {
            let rows = tx.query(
                "SELECT id, key, kind, name_en, name_ru, country FROM entities
                 WHERE id > $1 AND ($2::text IS NULL OR kind = $2) ORDER BY id LIMIT $3",
                &[&after, &kind, &(limit as i64 + 1)],
            )?;
            Ok(id_page(rows, limit, |r| entity_name(r, 1)))
        })
    }

    fn entity_events(
        &self,
        key: &str,
        include_candidates: bool,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EventHit>> {
        let limit = limit.clamp(1, MAX_PAGE);
        let after = cursor.map(parse_event_cursor).transpose()?;
        self.read(|tx| {
            // The entity's id as a value, and the events planned for it: a state takes
            // part in a tenth of the events, a town in a few.
            let Some(id) = tx
                .query_opt(&format!("SELECT id, {CUSTOM_PLANS} FROM entities WHERE key = $1"), &[&key])?
                .map(|r| r.get::<_, i64>(0))
            else {
                return Ok(Page { items: Vec::new(), next: None });
            };
            let review = if include_candidates { "e.review <> 'rejected'" } else { "e.review = 'accepted'" };
            let (day, after_id) = after.unwrap_or((i64::MIN, i64::MIN));
            let sql = format!(
                "SELECT {}, e.countries, e.sort_day FROM events e WHERE e.merged_into IS NULL AND {review}
                 AND e.id IN (SELECT event_id FROM participants WHERE entity_id = $1
                              UNION SELECT event_id FROM event_places WHERE entity_id = $1)
                 AND (e.sort_day, e.id) > ($2, $3) ORDER BY e.sort_day, e.id LIMIT $4",
                event_cols()
            );
            let rows = tx.query(&sql, &[&id, &day, &after_id, &(limit as i64 + 1)])?;
            event_hits(&rows, limit)
        })
    }

    fn names(&self, keys: &[String]) -> Result<Vec<EntityName>> {
        // One statement for all: in the order of `keys`, repeats included (as SQLite's).
        let rows = self.read_one(
            "SELECT en.key, en.kind, en.name_en, en.name_ru, en.country
             FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n) JOIN entities en ON en.key = k.key
             ORDER BY k.n",
            &[&keys],
        )?;
        Ok(rows.iter().map(|r| entity_name(r, 0)).collect())
    }

    fn source_hits(&self, keys: &[String]) -> Result<Vec<SourceHit>> {
        let rows = self.read_one(
            "SELECT s.key, s.title, s.authors, s.issued
             FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n) JOIN sources s ON s.key = k.key
             ORDER BY k.n",
            &[&keys],
        )?;
        Ok(rows
            .iter()
            .map(|r| SourceHit { id: r.get(0), title: r.get(1), authors: r.get(2), issued: r.get(3) })
            .collect())
    }

    fn place_counts(&self, query: &SearchQuery) -> Result<Vec<PlaceCount>> {
        self.read_planned(|tx| {
            let planned = plan(tx, query)?;
            let sql = format!(
                "SELECT en.key, en.kind, en.name_en, en.name_ru, en.country, en.lat, en.lon,
                        count(DISTINCT p.event_id)
                 FROM event_places p JOIN entities en ON en.id = p.entity_id
                 WHERE en.lat IS NOT NULL AND en.lon IS NOT NULL
                   AND p.event_id IN (SELECT e.id FROM events e WHERE {})
                 GROUP BY en.id ORDER BY 8 DESC, en.key",
                planned.filter.sql()
            );
            Ok(tx
                .query(&sql, &planned.filter.refs())?
                .iter()
                .map(|r| PlaceCount {
                    place: entity_name(r, 0),
                    lat: r.get(5),
                    lon: r.get(6),
                    count: r.get::<_, i64>(7) as u64,
                })
                .collect())
        })
    }

    fn year_type_counts(&self, query: &SearchQuery) -> Result<Vec<YearTypeCount>> {
        self.read_planned(|tx| {
            let planned = plan(tx, query)?;
            let sql = format!(
                "SELECT e.year, e.type, count(*) FROM events e WHERE {} AND e.year IS NOT NULL
                 GROUP BY 1, 2 ORDER BY 1, 2",
                planned.filter.sql()
            );
            let mut out = Vec::new();
            for r in tx.query(&sql, &planned.filter.refs())? {
                if let Ok(event_type) = parse(r.get(1)) {
                    out.push(YearTypeCount {
                        year: r.get::<_, i64>(0) as i32,
                        event_type,
                        count: r.get::<_, i64>(2) as u64,
                    });
                }
            }
            Ok(out)
        })
    }
}
