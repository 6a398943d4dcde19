//! Building a [`SearchIndex`] from the rows of a store ([`Tables::dump`]), whichever
//! the backend: the same columns SQL search reads, and the same folded text its
//! full-text tables hold (from `columns.rs`, which computes it on every write).
use super::col::Col;
use super::sets::Postings;
use super::words::WordsBuilder;
use super::{
    ACCEPTED, CANDIDATE, DATED, Entities, Events, MERGED, NO_YEAR, REJECTED, REVIEW_SHIFT, SearchIndex,
    Sources,
};
use crate::columns::{event_body, source_body};
use crate::tables::{Cell, TABLES, Table};
use crate::{Result, Store, StoreError};
use keruen_model::{Edtf, EntityKind, EventStatus, EventType, Sector};
use std::collections::HashMap;
use std::time::Instant;

/// Intervals longer than this (days) are checked one by one rather than by position
/// range, so that one "19XX" does not widen every date query to a century.
const SPAN_LIMIT: i64 = 3 * 366;

fn table(name: &str) -> &'static Table {
    TABLES.iter().find(|t| t.name == name).expect("a table of TABLES")
}

fn refuse(what: impl std::fmt::Display) -> StoreError {
    StoreError::Conflict(format!("the search index cannot hold this database: {what}"))
}

fn int(c: &Cell, column: &str) -> Result<Option<i64>> {
    match c {
        Cell::Null => Ok(None),
        Cell::Int(i) => Ok(Some(*i)),
        other => Err(refuse(format!("{column} holds {other:?}"))),
    }
}

fn text<'a>(c: &'a Cell, column: &str) -> Result<Option<&'a str>> {
    match c {
        Cell::Null => Ok(None),
        Cell::Text(s) => Ok(Some(s)),
        other => Err(refuse(format!("{column} holds {other:?}"))),
    }
}

fn small<T: TryFrom<i64>>(v: i64, column: &str) -> Result<T> {
    T::try_from(v).map_err(|_| refuse(format!("{column} {v} is out of range")))
}

/// Column positions of a table, by name.
struct Columns(&'static Table);

impl Columns {
    fn of(name: &str) -> Self {
        Columns(table(name))
    }
    fn at(&self, column: &str) -> usize {
        self.0.at(column)
    }
}

/// `column` in the order `order` gives (the read positions, in result order); the
/// column as read is dropped before the next is reordered, so that at most one is
/// held twice.
fn reorder<T: bytemuck::Pod>(column: &mut Col<T>, order: &[u32]) {
    let read = std::mem::take(column);
    *column = order.iter().map(|&i| read[i as usize]).collect::<Vec<T>>().into();
}

/// Puts the columns of events read in row id order into result order.
fn put_in_order(e: &mut Events, order: &[u32]) {
    reorder(&mut e.row_id, order);
    reorder(&mut e.sort_day, order);
    reorder(&mut e.date_lo, order);
    reorder(&mut e.date_hi, order);
    reorder(&mut e.year, order);
    reorder(&mut e.flags, order);
    reorder(&mut e.kind, order);
    reorder(&mut e.status, order);
    reorder(&mut e.sectors, order);
    reorder(&mut e.countries, order);
    reorder(&mut e.text_at, order);
}

pub(super) fn build(store: &dyn Store) -> Result<SearchIndex> {
    let started = Instant::now();
    // Before the first row: a write during the build makes the index stale at once.
    let generation = store.generation()?;
    let (mut entities, entity_of) = read_entities(store)?;

    // Filled in row id order as read, then put in result order.
    let mut events = Events::default();
    let mut words = WordsBuilder::default();
    {
        let c = Columns::of("events");
        let (id_c, key_c, type_c, title_c, desc_c, date_c) =
            (c.at("id"), c.at("key"), c.at("type"), c.at("title"), c.at("description"), c.at("date"));
        let (lo_c, hi_c, sort_c, year_c, status_c) =
            (c.at("date_lo"), c.at("date_hi"), c.at("sort_day"), c.at("year"), c.at("status"));
        let (sectors_c, countries_c, review_c, merged_c) =
            (c.at("sectors"), c.at("countries"), c.at("review"), c.at("merged_into"));
        store.dump(c.0, &mut |cells| {
            let id: u32 = small(int(&cells[id_c], "events.id")?.unwrap_or(-1), "events.id")?;
            let kind_s = text(&cells[type_c], "type")?.unwrap_or_default();
            let kind = events.kinds.id(kind_s);
            if kind as usize == events.kinds_parsed.len() {
                events.kinds_parsed.push(kind_s.parse::<EventType>().map_err(refuse)?);
            }
            let status_s = text(&cells[status_c], "status")?.unwrap_or_default();
            let status = events.statuses.id(status_s);
            if status as usize == events.statuses_parsed.len() {
                events.statuses_parsed.push(status_s.parse::<EventStatus>().map_err(refuse)?);
            }
            let sectors_s = text(&cells[sectors_c], "sectors")?.unwrap_or_default();
            let known = events.sector_lists.len();
            let sectors = events.sector_lists.id(sectors_s);
            if events.sector_lists.len() > known {
                // A row SQL search shows parses its sectors, and fails on a bad one.
                for s in sectors_s.split(',').filter(|s| !s.is_empty()) {
                    s.parse::<Sector>().map_err(refuse)?;
                }
            }
            let countries =
                events.country_lists.id(text(&cells[countries_c], "countries")?.unwrap_or_default());
            let review = match text(&cells[review_c], "review")? {
                Some("accepted") => ACCEPTED,
                Some("candidate") => CANDIDATE,
                Some("rejected") => REJECTED,
                other => return Err(refuse(format!("review {other:?}"))),
            };
            let date = text(&cells[date_c], "date")?;
            let shown = date.map(|d| d.parse::<Edtf>().map(|d| d.to_string())).transpose().map_err(refuse)?;
            let mut flags = review << REVIEW_SHIFT;
            if date.is_some() {
                flags |= DATED;
            }
            if int(&cells[merged_c], "merged_into")?.is_some() {
                flags |= MERGED;
            }
            let title = text(&cells[title_c], "title")?;
            let text_at = events
                .text
                .push(&[text(&cells[key_c], "key")?, title, shown.as_deref()])
                .ok_or_else(|| refuse("the text of the events is over 4 GB"))?;
            words.add(
                events.row_id.len() as u32,
                &event_body(kind_s, title, text(&cells[desc_c], "description")?),
            );
            events.row_id.push(id);
            events.sort_day.push(small(int(&cells[sort_c], "sort_day")?.unwrap_or(i64::MIN), "sort_day")?);
            events.date_lo.push(small(int(&cells[lo_c], "date_lo")?.unwrap_or(i32::MIN.into()), "date_lo")?);
            events.date_hi.push(small(int(&cells[hi_c], "date_hi")?.unwrap_or(i32::MAX.into()), "date_hi")?);
            events.year.push(small(int(&cells[year_c], "year")?.unwrap_or(NO_YEAR.into()), "year")?);
            events.flags.push(flags);
            events.kind.push(small(kind.into(), "types")?);
            events.status.push(small(status.into(), "statuses")?);
            events.sectors.push(small(sectors.into(), "sets of sectors")?);
            events.countries.push(countries);
            events.text_at.push(text_at);
            Ok(())
        })?;
    }
    let n = events.row_id.len();
    if events.row_id.windows(2).any(|w| w[0] >= w[1]) {
        return Err(refuse("events are not listed in id order"));
    }
    events.n = n;
    // Position = rank in (sort_day, id) order; `position[i]` of the i-th row read.
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by_key(|&i| (events.sort_day[i as usize], events.row_id[i as usize]));
    let mut position = vec![0u32; n];
    for (p, &i) in order.iter().enumerate() {
        position[i as usize] = p as u32;
    }
    // The row ids in read (ascending) order, to find an event's position by id.
    let ids = events.row_id.to_vec();
    put_in_order(&mut events, &order);
    drop(order);
    finish_events(&mut events)?;

    let event_at = |id: Option<i64>| -> Option<u32> {
        let id = u32::try_from(id?).ok()?;
        ids.binary_search(&id).ok().map(|i| position[i])
    };
    let mut part: Vec<Vec<u32>> = vec![Vec::new(); entities.key.len()];
    let mut place: Vec<Vec<u32>> = vec![Vec::new(); entities.key.len()];
    for (name, lists) in [("participants", &mut part), ("event_places", &mut place)] {
        let c = Columns::of(name);
        let (event_c, entity_c) = (c.at("event_id"), c.at("entity_id"));
        store.dump(c.0, &mut |cells| {
            // A row whose event or entity is missing joins nothing in SQL either.
            if let (Some(p), Some(e)) = (
                event_at(int(&cells[event_c], "event_id")?),
                int(&cells[entity_c], "entity_id")?.and_then(|e| entity_of.get(&e)),
            ) {
                lists[*e as usize].push(p);
            }
            Ok(())
        })?;
    }
    for (part, place) in part.into_iter().zip(place) {
        let involved = Postings::new(part.iter().chain(&place).copied().collect(), n);
        let participant = Postings::new(part, n);
        let same = participant.len() == involved.len();
        entities.involved.push(involved);
        entities.participant.push((!same).then_some(participant));
    }

    let words = words.finish(|i| position[i as usize], n);
    let sources = read_sources(store)?;
    Ok(SearchIndex { generation, events, entities, words, sources, build_time: started.elapsed() })
}

/// Postings by type, the dates that cannot be narrowed by position, the year range.
fn finish_events(e: &mut Events) -> Result<()> {
    let mut by_kind: Vec<Vec<u32>> = vec![Vec::new(); e.kinds.values.len()];
    let (mut min_year, mut max_year) = (i32::MAX, i32::MIN);
    for p in 0..e.n {
        by_kind[e.kind[p] as usize].push(p as u32);
        if e.flags[p] & DATED != 0 {
            let (lo, hi) = (e.date_lo[p], e.date_hi[p]);
            let span = i64::from(hi) - i64::from(lo);
            // Narrowing by position needs sort_day = date_lo and both bounds.
            if lo == i32::MIN || hi == i32::MAX || e.sort_day[p] != lo || !(0..=SPAN_LIMIT).contains(&span) {
                e.wide.push(p as u32);
            } else {
                e.max_span = e.max_span.max(span);
            }
        }
        if e.year[p] != NO_YEAR {
            min_year = min_year.min(e.year[p]);
            max_year = max_year.max(e.year[p]);
        }
    }
    e.by_kind = by_kind.into_iter().map(|l| Postings::new(l, e.n)).collect();
    // The stored texts of the sets only told them apart while reading; a search uses
    // their elements (and an index opened from a file never had them).
    e.sector_lists.sets = Default::default();
    e.country_lists.sets = Default::default();
    if min_year <= max_year {
        let years = i64::from(max_year) - i64::from(min_year) + 1;
        if years > 100_000 {
            return Err(refuse(format!("years span {min_year} to {max_year}")));
        }
        e.min_year = min_year;
        e.years = years as usize;
    }
    Ok(())
}

/// The entities and their folded names; and the position of each entity by row id.
fn read_entities(store: &dyn Store) -> Result<(Entities, HashMap<i64, u32>)> {
    let mut out = Entities::default();
    let mut of: HashMap<i64, u32> = HashMap::new();
    let c = Columns::of("entities");
    let (id_c, key_c, kind_c, en_c, ru_c) =
        (c.at("id"), c.at("key"), c.at("kind"), c.at("name_en"), c.at("name_ru"));
    store.dump(c.0, &mut |cells| {
        let id = int(&cells[id_c], "entities.id")?.unwrap_or_default();
        let key = text(&cells[key_c], "entities.key")?.unwrap_or_default().to_string();
        of.insert(id, out.key.len() as u32);
        out.by_key.insert(key.clone(), out.key.len() as u32);
        out.key.push(key);
        // As the SQL search reads it.
        out.kind.push(text(&cells[kind_c], "kind")?.unwrap_or_default().parse().unwrap_or(EntityKind::Place));
        out.name_en.push(text(&cells[en_c], "name_en")?.unwrap_or_default().to_string());
        out.name_ru.push(text(&cells[ru_c], "name_ru")?.unwrap_or_default().to_string());
        Ok(())
    })?;
    // Rows come by (entity_id, text, lang, form): the first row of an entity under a
    // folded name is the one SQL search reports as matched.
    let c = Columns::of("entity_names");
    let (entity_c, text_c, folded_c) = (c.at("entity_id"), c.at("text"), c.at("folded"));
    store.dump(c.0, &mut |cells| {
        let Some(&e) = int(&cells[entity_c], "entity_id")?.and_then(|id| of.get(&id)) else {
            return Ok(());
        };
        let folded = text(&cells[folded_c], "folded")?.unwrap_or_default();
        let list = match out.names.get_mut(folded) {
            Some(l) => l,
            None => out.names.entry(folded.to_string()).or_default(),
        };
        if list.last().map(|(x, _)| *x) != Some(e) {
            list.push((e, text(&cells[text_c], "text")?.unwrap_or_default().to_string()));
        }
        Ok(())
    })?;
    Ok((out, of))
}

fn read_sources(store: &dyn Store) -> Result<Sources> {
    let mut out = Sources::default();
    let mut words = WordsBuilder::default();
    let c = Columns::of("sources");
    let (key_c, title_c, authors_c, issued_c, text_c) =
        (c.at("key"), c.at("title"), c.at("authors"), c.at("issued"), c.at("text"));
    store.dump(c.0, &mut |cells| {
        let title = text(&cells[title_c], "title")?.unwrap_or_default();
        let authors = text(&cells[authors_c], "authors")?;
        words.add(out.len() as u32, &source_body(title, authors, text(&cells[text_c], "text")?));
        let key = text(&cells[key_c], "sources.key")?.unwrap_or_default();
        let at = out
            .text
            .push(&[Some(key), Some(title), authors, text(&cells[issued_c], "issued")?])
            .ok_or_else(|| refuse("the titles of the sources are over 4 GB"))?;
        out.text_at.push(at);
        Ok(())
    })?;
    let n = out.len();
    out.words = words.finish(|i| i, n);
    Ok(out)
}
