//! SQLite implementation of [`crate::Browse`].
use super::SqliteStore;
use super::read::{EVENT_COLUMNS, event_from_row};
use super::search::plan;
use crate::browse::{EntityName, Page, PlaceCount, SourcePage, YearTypeCount};
use crate::query::{event_cursor, parse_event_cursor};
use crate::{Browse, EventHit, Result, SearchQuery, SourceHit, StoreError};
use keruen_model::{Annotation, AnnotationKind, ArchivalRef, Citation, EntityKind, Reference};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

/// Largest page a list gives.
const MAX_PAGE: usize = 500;

/// Mentions above which an entity's events are found by walking all events in date
/// order rather than by sorting the entity's own (see `entity_events`).
const MANY_EVENTS: i64 = 3_000;

fn entity_name(r: &Row, at: usize) -> rusqlite::Result<EntityName> {
    let kind: String = r.get(at + 1)?;
    Ok(EntityName {
        id: r.get(at)?,
        kind: kind.parse().unwrap_or(EntityKind::Place),
        name_en: r.get(at + 2)?,
        name_ru: r.get(at + 3)?,
        country: r.get(at + 4)?,
    })
}

/// Event hits of a query whose columns are `EVENT_COLUMNS, countries, sort_day`; reads
/// one more than `limit` to know whether a next page exists.
fn event_hits(c: &Connection, sql: &str, params: &[Value], limit: usize) -> Result<Page<EventHit>> {
    let mut st = c.prepare_cached(sql)?;
    let mut rows = st.query(params_from_iter(params))?;
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    while let Some(r) = rows.next()? {
        if items.len() == limit {
            more = true;
            break;
        }
        let (id, e) = event_from_row(r)?;
        let countries: String = r.get(9)?;
        last = Some((r.get::<_, i64>(10)?, id));
        items.push(EventHit {
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
    Ok(Page { items, next })
}

fn event_cols() -> String {
    EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
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

fn source_page(c: &Connection, key: &str) -> Result<Option<SourcePage>> {
    let Some(source) = super::read::source(c, key)? else {
        return Ok(None);
    };
    let id: i64 = c.query_row("SELECT id FROM sources WHERE key = ?1", [key], |r| r.get(0))?;
    let mut st = c.prepare_cached(
        "SELECT kind, start, end, text, value, target FROM annotations WHERE source_id = ?1
         ORDER BY start, end DESC, id",
    )?;
    let annotations = st
        .query_map([id], |r| {
            let kind: String = r.get(0)?;
            Ok((kind, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .filter_map(|row| match row {
            Ok((kind, start, end, text, value, target)) => AnnotationKind::parse(&kind).map(|kind| {
                Ok(Annotation { kind, start: start as usize, end: end as usize, text, value, target })
            }),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = c.prepare_cached(
        "SELECT archive, fond, inventory, case_no, sheet, start, end, text FROM archival_refs
         WHERE source_id = ?1 ORDER BY start, id",
    )?;
    let archival_refs = st
        .query_map([id], |r| {
            Ok(ArchivalRef {
                archive: r.get(0)?,
                fond: r.get(1)?,
                inventory: r.get(2)?,
                case: r.get(3)?,
                sheet: r.get(4)?,
                start: r.get::<_, i64>(5)? as usize,
                end: r.get::<_, i64>(6)? as usize,
                text: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(
        "SELECT author, year, pages, start, end, text, reference FROM citations WHERE source_id = ?1
         ORDER BY start, id",
    )?;
    let citations = st
        .query_map([id], |r| {
            Ok(Citation {
                author: r.get(0)?,
                year: r.get(1)?,
                pages: r.get(2)?,
                start: r.get::<_, i64>(3)? as usize,
                end: r.get::<_, i64>(4)? as usize,
                text: r.get(5)?,
                reference: r.get::<_, Option<i64>>(6)?.map(|i| i as usize),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = c.prepare_cached(
        "SELECT idx, start, end, text, authors, year FROM bib_references WHERE source_id = ?1 ORDER BY idx",
    )?;
    let references = st
        .query_map([id], |r| {
            let authors: String = r.get(4)?;
            Ok(Reference {
                index: r.get::<_, i64>(0)? as usize,
                start: r.get::<_, i64>(1)? as usize,
                end: r.get::<_, i64>(2)? as usize,
                text: r.get(3)?,
                authors: serde_json::from_str(&authors).unwrap_or_default(),
                year: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let events = event_hits(
        c,
        &format!(
            "SELECT {}, e.countries, e.sort_day FROM events e WHERE e.merged_into IS NULL
             AND e.id IN (SELECT event_id FROM evidence WHERE source_id = ?) ORDER BY e.sort_day, e.id LIMIT ?",
            event_cols()
        ),
        &[Value::Integer(id), Value::Integer(10_001)],
        10_000,
    )?
    .items;
    Ok(Some(SourcePage { source, annotations, archival_refs, citations, references, events }))
}

impl Browse for SqliteStore {
    fn source_page(&self, key: &str) -> Result<Option<SourcePage>> {
        self.read(|c| source_page(c, key))
    }

    fn sources_list(&self, cursor: Option<&str>, limit: usize) -> Result<Page<SourceHit>> {
        let after = row_cursor(cursor)?;
        let limit = limit.clamp(1, MAX_PAGE);
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, key, title, authors, issued FROM sources WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let mut rows: Vec<(i64, SourceHit)> = st
                .query_map(params![after, limit as i64 + 1], |r| {
                    Ok((
                        r.get(0)?,
                        SourceHit { id: r.get(1)?, title: r.get(2)?, authors: r.get(3)?, issued: r.get(4)? },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let more = rows.len() > limit;
            rows.truncate(limit);
            let next = if more { rows.last().map(|(id, _)| id.to_string()) } else { None };
            Ok(Page { items: rows.into_iter().map(|(_, s)| s).collect(), next })
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
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, key, kind, name_en, name_ru, country FROM entities
                 WHERE id > ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY id LIMIT ?3",
            )?;
            let mut rows: Vec<(i64, EntityName)> = st
                .query_map(params![after, kind.map(|k| k.as_str()), limit as i64 + 1], |r| {
                    Ok((r.get(0)?, entity_name(r, 1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let more = rows.len() > limit;
            rows.truncate(limit);
            let next = if more { rows.last().map(|(id, _)| id.to_string()) } else { None };
            Ok(Page { items: rows.into_iter().map(|(_, s)| s).collect(), next })
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
        self.read(|c| {
            let Some(id) = c
                .prepare_cached("SELECT id FROM entities WHERE key = ?1")?
                .query_row([key], |r| r.get::<_, i64>(0))
                .optional()?
            else {
                return Ok(Page { items: Vec::new(), next: None });
            };
            let review = if include_candidates { "e.review <> 'rejected'" } else { "e.review = 'accepted'" };
            // Two ways to the first page in date order. An entity in few events: fetch
            // them all through the entity indexes and sort them (a lookup each). An
            // entity in many (a state, a capital): walk the events in date order and
            // keep its own, which stops after about limit × (events / its events)
            // rows instead of sorting tens of thousands (45 ms for a city of a
            // million-event database before; a few ms now).
            // Counted up to the threshold only: a state has hundreds of thousands.
            let mentions: i64 = c
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM (SELECT 1 FROM participants WHERE entity_id = ?1 LIMIT ?2))
                          + (SELECT count(*) FROM (SELECT 1 FROM event_places WHERE entity_id = ?1 LIMIT ?2))",
                )?
                .query_row(rusqlite::params![id, MANY_EVENTS + 1], |r| r.get(0))?;
            let mut params = vec![Value::Integer(id), Value::Integer(id)];
            let mut sql = if mentions > MANY_EVENTS {
                format!(
                    "SELECT {}, e.countries, e.sort_day FROM events e INDEXED BY events_sort
                     WHERE e.merged_into IS NULL AND {review}
                     AND (EXISTS (SELECT 1 FROM participants p WHERE p.event_id = e.id AND p.entity_id = ?)
                          OR EXISTS (SELECT 1 FROM event_places p WHERE p.event_id = e.id AND p.entity_id = ?))",
                    event_cols()
                )
            } else {
                format!(
                    "SELECT {}, e.countries, e.sort_day FROM events e WHERE e.merged_into IS NULL AND {review}
                     AND e.id IN (SELECT event_id FROM participants WHERE entity_id = ?
                                  UNION SELECT event_id FROM event_places WHERE entity_id = ?)",
                    event_cols()
                )
            };
            if let Some((day, id)) = after {
                sql.push_str(" AND (e.sort_day, e.id) > (?, ?)");
                params.extend([Value::Integer(day), Value::Integer(id)]);
            }
            sql.push_str(" ORDER BY e.sort_day, e.id LIMIT ?");
            params.push(Value::Integer(limit as i64 + 1));
            event_hits(c, &sql, &params, limit)
        })
    }

    fn names(&self, keys: &[String]) -> Result<Vec<EntityName>> {
        self.read(|c| {
            let mut st =
                c.prepare_cached("SELECT key, kind, name_en, name_ru, country FROM entities WHERE key = ?1")?;
            let mut out = Vec::with_capacity(keys.len());
            for k in keys {
                if let Some(n) = st.query_row([k], |r| entity_name(r, 0)).optional()? {
                    out.push(n);
                }
            }
            Ok(out)
        })
    }

    fn source_hits(&self, keys: &[String]) -> Result<Vec<SourceHit>> {
        self.read(|c| {
            let mut st =
                c.prepare_cached("SELECT key, title, authors, issued FROM sources WHERE key = ?1")?;
            let mut out = Vec::with_capacity(keys.len());
            for k in keys {
                let hit = st
                    .query_row([k], |r| {
                        Ok(SourceHit {
                            id: r.get(0)?,
                            title: r.get(1)?,
                            authors: r.get(2)?,
                            issued: r.get(3)?,
                        })
                    })
                    .optional()?;
                out.extend(hit);
            }
            Ok(out)
        })
    }

    fn place_counts(&self, query: &SearchQuery) -> Result<Vec<PlaceCount>> {
        self.read(|c| {
            let planned = plan(c, query)?;
            let sql = format!(
                "SELECT en.key, en.kind, en.name_en, en.name_ru, en.country, en.lat, en.lon,
                        count(DISTINCT p.event_id)
                 FROM event_places p JOIN entities en ON en.id = p.entity_id
                 WHERE en.lat IS NOT NULL AND en.lon IS NOT NULL
                   AND p.event_id IN (SELECT e.id FROM events e WHERE {})
                 GROUP BY en.id ORDER BY 8 DESC, en.key",
                planned.filter.sql()
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(&planned.filter.params), |r| {
                Ok(PlaceCount {
                    place: entity_name(r, 0)?,
                    lat: r.get(5)?,
                    lon: r.get(6)?,
                    count: r.get::<_, i64>(7)? as u64,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn year_type_counts(&self, query: &SearchQuery) -> Result<Vec<YearTypeCount>> {
        self.read(|c| {
            let planned = plan(c, query)?;
            let sql = format!(
                "SELECT e.year, e.type, count(*) FROM events e WHERE {} AND e.year IS NOT NULL
                 GROUP BY 1, 2 ORDER BY 1, 2",
                planned.filter.sql()
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params_from_iter(&planned.filter.params), |r| {
                Ok((r.get::<_, i32>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (year, t, count) = row?;
                if let Ok(event_type) = t.parse() {
                    out.push(YearTypeCount { year, event_type, count: count as u64 });
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ImportOptions, Store};
    use keruen_model::{Entity, EntityKind, Event, EventType, Name, Participant, Record, RecordLine, Role};

    /// Both ways to an entity's events give the same pages in date order.
    #[test]
    fn entity_events_are_paged_in_date_order_for_rare_and_frequent_entities() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::create(dir.path().join("b.db")).unwrap();
        let place = |id: &str| Entity {
            id: id.into(),
            kind: EntityKind::Place,
            names: vec![Name::new(id, "en")],
            iso: None,
            wikidata: None,
            country: None,
            coordinates: None,
            dates: None,
            description: None,
        };
        let mut records = vec![Record::Entity(place("place:often")), Record::Entity(place("place:rare"))];
        let n = MANY_EVENTS as usize + 200;
        for i in 0..n {
            // Dates out of insertion order, so that date order must be sorted for.
            let day = (i * 7919) % 3650;
            let date =
                format!("{:04}-{:02}-{:02}", 2000 + day / 365, 1 + (day % 365) / 31 % 12, 1 + day % 28);
            let mut e = Event::new(format!("e{i}"), EventType::Festival, Some(date.parse().unwrap()));
            e.places = vec![if i % 500 == 0 { "place:rare".into() } else { "place:often".into() }];
            e.participants = vec![Participant::new("place:often", Role::Participant)];
            e.review = keruen_model::ReviewStatus::Accepted;
            records.push(Record::Event(e));
        }
        let mut lines = records.into_iter().enumerate().map(|(i, r)| RecordLine {
            line: i + 1,
            record: Ok(r),
            raw: String::new(),
        });
        store.import(&mut lines, &ImportOptions::default(), &mut |r| panic!("{}", r.reason)).unwrap();
        for (key, expected) in [("place:often", n), ("place:rare", n.div_ceil(500))] {
            let mut seen: Vec<(String, String)> = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let page = store.entity_events(key, false, cursor.as_deref(), 250).unwrap();
                seen.extend(page.items.iter().map(|h| (h.date.clone().unwrap(), h.id.clone())));
                match page.next {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
            assert_eq!(seen.len(), expected, "{key}");
            assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{key}: not in date order");
            let mut ids: Vec<&String> = seen.iter().map(|(_, id)| id).collect();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), expected, "{key}: an event shown twice");
        }
    }
}
