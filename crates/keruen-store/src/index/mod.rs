//! An in-memory search index over a whole database: [`SearchIndex`] answers
//! [`Store::search`](crate::Store::search) and
//! [`Browse::entity_events`](crate::Browse::entity_events) with exactly what the store
//! answers — the same hits in the same order, the same totals, facet counts, entity,
//! source and word lists, the same cursors — in milliseconds instead of the hundreds
//! a faceted search over a million events costs in SQL.
//!
//! **Why.** A facet count has to look at every matching event, and in SQL each
//! matching event is a B-tree lookup (SQLite) or a heap fetch (PostgreSQL). Kept as
//! columns in memory, in the order search results are shown, an event costs a few
//! array reads; a million fit in about 125 MB.
//!
//! **What it holds.** The events in `(sort_day, id)` order, with compact columns
//! (type, status, review, merged, date bounds, year, the sets of sectors and of
//! states as small ids) and the text of a hit; for every entity the positions of its
//! events (as participant, and as participant or place); every word of the events'
//! folded text and of the sources' with its positions, sorted so that a prefix is a
//! run of words; the folded entity names. Positions are kept as sorted lists or, for
//! common terms, as bitsets ([`sets`]).
//!
//! **How a search runs** (`search.rs`): the text is split by the same
//! [`SearchPlan`](crate::SearchPlan) as in SQL; every condition that names a set of
//! events (an entity group, a state, a word prefix, the types, the date range) is one
//! candidate to drive the walk; the smallest drives, the other sets are probed, and the
//! column conditions are checked on each event walked. Facets are counted into arrays.
//!
//! **Built from the store, through the traits** (`build.rs`): rows of `events`,
//! `participants`, `event_places`, `entities`, `entity_names` and `sources` read with
//! [`Tables::dump`](crate::Tables::dump), so SQLite and PostgreSQL are indexed alike.
//! The index records the store's [`generation`](crate::Store::generation) read before
//! the first row; it is current as long as the store reports the same. A database
//! the index cannot represent (a value no parser accepts, ids beyond 32 bits) is
//! refused at build, and the caller keeps using the store.
//!
//! **As a file** (`file.rs`): [`SearchIndex::save`] writes it with its arrays laid out
//! as in memory, and [`SearchIndex::open`] maps the file and reads them in place
//! ([`col::Col`]), so a short-lived process — `keruen search` on the command line —
//! answers a million events in milliseconds without building anything. For SQLite,
//! [`SqliteStore::write_search_index`](crate::SqliteStore::write_search_index) puts
//! it beside the database, tagged with the database's revision.
//!
//! Out of scope: writes. The index is rebuilt, not updated; the server does it in the
//! background after a change and uses the store meanwhile.
//!
//! ```
//! use keruen_store::{SearchIndex, SearchQuery, SqliteStore, Store};
//! let dir = tempfile::tempdir().unwrap();
//! let store = SqliteStore::create(dir.path().join("k.db")).unwrap();
//! let index = SearchIndex::build(&store).unwrap();
//! let q = SearchQuery { text: Some("Almaty".into()), facets: true, ..SearchQuery::default() };
//! assert_eq!(index.search(&q).unwrap(), store.search(&q).unwrap());
//! assert_eq!(index.generation(), store.generation().unwrap());
//! ```
mod build;
mod col;
mod file;
mod search;
mod sets;
mod words;

use crate::{EventHit, Page, Result, SearchQuery, SearchResults, SourceHit, Store};
use col::{Col, Runs};
use keruen_model::{EntityKind, EventStatus, EventType};
use sets::Postings;
use std::collections::HashMap;
use std::time::Duration;
use words::Words;

/// Everything a search needs, in memory. Immutable once built; share it with `Arc`.
pub struct SearchIndex {
    generation: u64,
    events: Events,
    entities: Entities,
    words: Words,
    sources: Sources,
    build_time: Duration,
}

impl SearchIndex {
    /// Reads the whole database through the store's traits and builds the index
    /// (seconds for a million events).
    pub fn build(store: &dyn Store) -> Result<SearchIndex> {
        build::build(store)
    }

    /// Writes the index to `path` (a new file renamed over any old one), recording
    /// the database `revision` it was built from; returns the bytes written. See
    /// [`SqliteStore::write_search_index`](crate::SqliteStore::write_search_index).
    pub fn save(&self, revision: &str, path: &std::path::Path) -> Result<u64> {
        file::write(self, revision, path)
    }

    /// Opens an index file written by [`save`](Self::save), with the revision it
    /// recorded. The file is mapped, not read: its arrays are read in place as a
    /// query needs them, so opening costs milliseconds whatever its size. Its
    /// [`generation`](Self::generation) is 0: compare the revision instead.
    pub fn open(path: &std::path::Path) -> Result<(SearchIndex, String)> {
        file::read(path)
    }

    /// The revision an index file records, read from its first bytes only.
    pub fn revision_of(path: &std::path::Path) -> Result<String> {
        file::read_revision(path)
    }

    /// The index, declared current at `generation`: for an index opened from a file
    /// whose revision matched the database while the store's generation stayed
    /// `generation` (read before and after the revision).
    pub fn with_generation(mut self, generation: u64) -> SearchIndex {
        self.generation = generation;
        self
    }

    /// The [`Store::generation`] the index was built from.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Events in the index (merged and rejected ones included).
    pub fn events(&self) -> usize {
        self.events.n
    }

    /// How long the build took.
    pub fn build_time(&self) -> Duration {
        self.build_time
    }

    /// Bytes the index holds on the heap (an estimate within a few percent).
    pub fn heap_bytes(&self) -> usize {
        self.events.heap_bytes()
            + self.entities.heap_bytes()
            + self.words.heap_bytes()
            + self.sources.text.heap_bytes()
            + self.sources.text_at.heap_bytes()
            + self.sources.words.heap_bytes()
    }

    /// What [`Store::search`] answers for `q`.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        search::search(self, q)
    }

    /// What [`Browse::entity_events`](crate::Browse::entity_events) answers.
    pub fn entity_events(
        &self,
        key: &str,
        include_candidates: bool,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EventHit>> {
        search::entity_events(self, key, include_candidates, cursor, limit)
    }
}

/// `flags`: the event has a date (its EDTF text is not NULL).
const DATED: u8 = 1;
/// `flags`: the event was merged into another.
const MERGED: u8 = 2;
/// `flags`: review status in bits 2–3.
const REVIEW_SHIFT: u8 = 2;
/// Review statuses as stored in `flags`.
const ACCEPTED: u8 = 0;
const CANDIDATE: u8 = 1;
const REJECTED: u8 = 2;
/// `year` of an event without one.
const NO_YEAR: i32 = i32::MIN;

/// Strings of one column, each stored once: an event holds a small id.
#[derive(Default)]
struct Interned {
    values: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interned {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.values.len() as u32;
        self.values.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    fn heap_bytes(&self) -> usize {
        self.values.iter().map(|v| 2 * (v.len() + 48)).sum()
    }
}

/// A comma-separated column (`sectors`, `countries`): each distinct value stored once
/// with its elements (empty ones dropped, repeats kept, as the SQL facets count them).
#[derive(Default)]
struct Lists {
    /// The distinct stored values.
    sets: Interned,
    /// The elements of each stored value, as ids of `elements`.
    members: Runs<u32>,
    /// Every element seen.
    elements: Interned,
}

impl Lists {
    fn id(&mut self, stored: &str) -> u32 {
        let id = self.sets.id(stored);
        if id as usize == self.members.len() {
            let elements = &mut self.elements;
            self.members.push(stored.split(',').filter(|s| !s.is_empty()).map(|s| elements.id(s)));
        }
        id
    }

    /// Distinct stored values.
    fn len(&self) -> usize {
        self.members.len()
    }

    /// The elements of stored value `id`.
    fn members(&self, id: usize) -> &[u32] {
        self.members.get(id)
    }

    /// The elements of each stored value, in id order.
    fn all_members(&self) -> impl Iterator<Item = &[u32]> {
        (0..self.len()).map(|id| self.members(id))
    }

    fn heap_bytes(&self) -> usize {
        self.sets.heap_bytes() + self.elements.heap_bytes() + self.members.heap_bytes()
    }
}

/// The events, in `(sort_day, id)` order: position `p` is the `p`-th in that order.
#[derive(Default)]
struct Events {
    n: usize,
    row_id: Col<u32>,
    sort_day: Col<i32>,
    /// Earliest day; `i32::MIN` when NULL (so that `date_lo <= d` holds, as
    /// `date_lo IS NULL OR date_lo <= d` does).
    date_lo: Col<i32>,
    /// Latest day; `i32::MAX` when NULL.
    date_hi: Col<i32>,
    year: Col<i32>,
    flags: Col<u8>,
    kind: Col<u16>,
    status: Col<u16>,
    sectors: Col<u16>,
    countries: Col<u32>,
    /// Where each event's key, title and date start in `text`.
    text_at: Col<u32>,
    text: TextArena,
    kinds: Interned,
    kinds_parsed: Vec<EventType>,
    statuses: Interned,
    statuses_parsed: Vec<EventStatus>,
    sector_lists: Lists,
    country_lists: Lists,
    /// Positions of the events of each type (by `kinds` id).
    by_kind: Vec<Postings>,
    /// Dated events whose interval is open, or longer than `max_span` days: the date
    /// range of a query cannot be narrowed to a run of positions for them.
    wide: Col<u32>,
    /// The longest interval (days) among the other dated events.
    max_span: i64,
    /// Smallest year, for counting years in an array.
    min_year: i32,
    /// Years counted: `max_year - min_year + 1`.
    years: usize,
}

impl Events {
    fn heap_bytes(&self) -> usize {
        [
            self.row_id.heap_bytes(),
            self.sort_day.heap_bytes(),
            self.date_lo.heap_bytes(),
            self.date_hi.heap_bytes(),
            self.year.heap_bytes(),
            self.flags.heap_bytes(),
            self.kind.heap_bytes(),
            self.status.heap_bytes(),
            self.sectors.heap_bytes(),
            self.countries.heap_bytes(),
            self.text_at.heap_bytes(),
            self.wide.heap_bytes(),
        ]
        .iter()
        .sum::<usize>()
            + self.text.heap_bytes()
            + self.kinds.heap_bytes()
            + self.statuses.heap_bytes()
            + self.sector_lists.heap_bytes()
            + self.country_lists.heap_bytes()
            + self.by_kind.iter().map(Postings::heap_bytes).sum::<usize>()
    }

    fn review(&self, p: usize) -> u8 {
        self.flags[p] >> REVIEW_SHIFT
    }

    /// The key, title and date (as stored, re-printed) of the event at `p`.
    fn texts(&self, p: usize) -> (&str, Option<&str>, Option<&str>) {
        let (buf, mut at) = self.text.at(self.text_at[p]);
        let key = read_text(buf, &mut at).unwrap_or_default();
        let title = read_text(buf, &mut at);
        let date = read_text(buf, &mut at);
        (key, title, date)
    }

    fn hit(&self, p: usize) -> EventHit {
        let (key, title, date) = self.texts(p);
        EventHit {
            id: key.to_string(),
            event_type: self.kinds_parsed[self.kind[p] as usize],
            title: title.map(str::to_string),
            date: date.map(str::to_string),
            countries: self
                .country_lists
                .members(self.countries[p] as usize)
                .iter()
                .map(|&c| self.country_lists.elements.values[c as usize].clone())
                .collect(),
            status: self.statuses_parsed[self.status[p] as usize],
            review: match self.review(p) {
                ACCEPTED => "accepted",
                CANDIDATE => "candidate",
                _ => "rejected",
            }
            .into(),
        }
    }
}

/// The texts of the hits, appended in chunks of a fixed size that are never moved:
/// one buffer grown by doubling would be copied each time, holding the old and the
/// new copy at once at the build's peak (a hundred megabytes for a million events).
#[derive(Default)]
struct TextArena {
    chunks: Vec<Col<u8>>,
}

/// A chunk holds 2^CHUNK_BITS bytes; an address is its chunk and offset in 32 bits.
const CHUNK_BITS: u32 = 20;

impl TextArena {
    /// Appends the texts of one item together and returns their address; none when
    /// the arena is full (4,096 chunks).
    fn push(&mut self, texts: &[Option<&str>]) -> Option<u32> {
        let need: usize = texts.iter().map(|t| text_len(*t)).sum();
        let fits = self.chunks.last().is_some_and(|c| c.capacity() - c.len() >= need);
        if !fits {
            if self.chunks.len() >= 1 << (32 - CHUNK_BITS) {
                return None;
            }
            // An item longer than a chunk gets a chunk of its own, at offset 0.
            self.chunks.push(Col::with_capacity(need.max(1 << CHUNK_BITS)));
        }
        let chunk = self.chunks.len() - 1;
        let out = self.chunks[chunk].vec_mut();
        let offset = out.len();
        for t in texts {
            write_text(out, *t);
        }
        Some(((chunk as u32) << CHUNK_BITS) | offset as u32)
    }

    /// The chunk and offset of an address from [`TextArena::push`].
    fn at(&self, address: u32) -> (&[u8], usize) {
        (&self.chunks[(address >> CHUNK_BITS) as usize], (address & ((1 << CHUNK_BITS) - 1)) as usize)
    }

    fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(Col::heap_bytes).sum()
    }
}

/// Bytes [`write_text`] writes for `s`.
fn text_len(s: Option<&str>) -> usize {
    let n = s.map_or(0, |s| s.len() as u64 + 1);
    let prefix = (64 - n.leading_zeros()).div_ceil(7).max(1) as usize;
    prefix + s.map_or(0, str::len)
}

/// Appends an optional text: its length plus one (0 for none) as a variable-length
/// integer, then its bytes.
fn write_text(out: &mut Vec<u8>, s: Option<&str>) {
    let mut n = s.map_or(0, |s| s.len() as u64 + 1);
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    if let Some(s) = s {
        out.extend_from_slice(s.as_bytes());
    }
}

fn read_text<'a>(buf: &'a [u8], at: &mut usize) -> Option<&'a str> {
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let b = buf[*at];
        *at += 1;
        n |= u64::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    if n == 0 {
        return None;
    }
    let len = (n - 1) as usize;
    let s = &buf[*at..*at + len];
    *at += len;
    // Written from a `&str` by `write_text`.
    Some(std::str::from_utf8(s).unwrap_or_default())
}

/// The entities, in row id order.
#[derive(Default)]
struct Entities {
    key: Vec<String>,
    kind: Vec<EntityKind>,
    name_en: Vec<String>,
    name_ru: Vec<String>,
    by_key: HashMap<String, u32>,
    /// Events in which the entity takes part or which took place there.
    involved: Vec<Postings>,
    /// Events in which it takes part, when that differs from `involved`.
    participant: Vec<Option<Postings>>,
    /// Folded name → the entities with that name, in row id order, each with the
    /// first of its names (by text) that folds so.
    names: HashMap<String, Vec<(u32, String)>>,
}

impl Entities {
    fn heap_bytes(&self) -> usize {
        let strings: usize =
            self.key.iter().chain(&self.name_en).chain(&self.name_ru).map(|s| s.len() + 24).sum();
        let names: usize = self
            .names
            .iter()
            .map(|(k, v)| k.len() + 48 + v.iter().map(|(_, t)| t.len() + 32).sum::<usize>())
            .sum();
        strings
            + names
            + self.key.iter().map(|k| k.len() + 32).sum::<usize>()
            + self.involved.iter().map(|p| p.heap_bytes() + 32).sum::<usize>()
            + self.participant.iter().map(|p| p.as_ref().map_or(0, Postings::heap_bytes) + 32).sum::<usize>()
    }
}

/// The sources, in row id order, as a search lists them.
#[derive(Default)]
struct Sources {
    /// Where each source's key, title, authors and date of issue start in `text`.
    text_at: Col<u32>,
    text: TextArena,
    words: Words,
}

impl Sources {
    fn len(&self) -> usize {
        self.text_at.len()
    }

    fn hit(&self, p: usize) -> SourceHit {
        let (buf, mut at) = self.text.at(self.text_at[p]);
        let mut next = || read_text(buf, &mut at).map(str::to_string);
        SourceHit {
            id: next().unwrap_or_default(),
            title: next().unwrap_or_default(),
            authors: next(),
            issued: next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip() {
        let mut buf = Vec::new();
        let long = "ы".repeat(100);
        for s in [Some("gen-1"), None, Some(""), Some(long.as_str())] {
            write_text(&mut buf, s);
        }
        let mut at = 0;
        assert_eq!(read_text(&buf, &mut at), Some("gen-1"));
        assert_eq!(read_text(&buf, &mut at), None);
        assert_eq!(read_text(&buf, &mut at), Some(""));
        assert_eq!(read_text(&buf, &mut at), Some(long.as_str()));
        assert_eq!(at, buf.len());
        for s in [
            None,
            Some(""),
            Some("x"),
            Some(&"y".repeat(126)[..]),
            Some(&"z".repeat(127)[..]),
            Some(long.as_str()),
        ] {
            let mut one = Vec::new();
            write_text(&mut one, s);
            assert_eq!(text_len(s), one.len(), "{s:?}");
        }
    }

    #[test]
    fn the_arena_keeps_each_item_in_one_chunk_and_gives_an_oversized_one_its_own() {
        let mut arena = TextArena::default();
        let line = "a".repeat(1000);
        let big = "b".repeat(3 << CHUNK_BITS);
        let mut addresses = Vec::new();
        for i in 0..2_000 {
            let text = if i == 1_500 { big.as_str() } else { line.as_str() };
            let key = format!("k{i}");
            addresses.push((key.clone(), text, arena.push(&[Some(&key), Some(text), None]).unwrap()));
        }
        assert!(arena.chunks.len() >= 3, "{} chunks", arena.chunks.len());
        for (key, text, address) in addresses {
            let (buf, mut at) = arena.at(address);
            assert_eq!(read_text(buf, &mut at), Some(key.as_str()));
            assert_eq!(read_text(buf, &mut at), Some(text));
            assert_eq!(read_text(buf, &mut at), None);
        }
    }
}
