//! A search against the index: the conditions of `sqlite/search.rs`, evaluated on
//! the columns and postings, and its answer assembled the same way.
//!
//! Every condition of a query is either a set of events (an entity group of the text,
//! a state, a word prefix — and, only as a way in, the types and the date range) or
//! a test of one event's columns. The smallest set is walked in position order, which
//! is result order; the other sets are probed and the columns tested on each event
//! walked. A search with facets walks every match; one without stops when it has its
//! page and knows whether more than [`COUNT_CAP`] events match.
use super::sets::{Probe, Set};
use super::{ACCEPTED, DATED, Events, MERGED, NO_YEAR, REJECTED, REVIEW_SHIFT, SearchIndex};
use crate::query::{COUNT_CAP, DEFAULT_LIMIT, MAX_LIMIT, ResolvedText, event_cursor, parse_event_cursor};
use crate::{EntityHit, EventHit, Facet, Facets, Page, Result, SearchPlan, SearchQuery, SearchResults};

/// Largest page of an entity's events, as in the store's `entity_events`.
const MAX_PAGE: usize = 500;

/// The conditions of one query.
struct Conditions<'a> {
    include_candidates: bool,
    /// Allowed types, by id; `None`: any.
    kinds: Option<Vec<bool>>,
    statuses: Option<Vec<bool>>,
    /// Allowed stored sector lists, by id.
    sectors: Option<Vec<bool>>,
    /// The event must have a date.
    dated: bool,
    /// `date_hi >= from` (NULL passes).
    from: Option<i32>,
    /// `date_lo <= to` (NULL passes).
    to: Option<i32>,
    /// Sets every match belongs to.
    sets: Vec<Set<'a>>,
    /// The events of the allowed types: a way in, not a condition of its own.
    kind_set: Option<Set<'a>>,
    /// Nothing can match (a state or type no event has).
    nothing: bool,
}

impl Conditions<'_> {
    #[inline]
    fn pass(&self, e: &Events, p: usize) -> bool {
        let f = e.flags[p];
        if f & MERGED != 0 {
            return false;
        }
        let review = f >> REVIEW_SHIFT;
        if if self.include_candidates { review == REJECTED } else { review != ACCEPTED } {
            return false;
        }
        if self.kinds.as_ref().is_some_and(|k| !k[e.kind[p] as usize])
            || self.statuses.as_ref().is_some_and(|s| !s[e.status[p] as usize])
            || self.sectors.as_ref().is_some_and(|s| !s[e.sectors[p] as usize])
        {
            return false;
        }
        if self.dated && f & DATED == 0 {
            return false;
        }
        if self.from.is_some_and(|d| e.date_hi[p] < d) || self.to.is_some_and(|d| e.date_lo[p] > d) {
            return false;
        }
        true
    }
}

/// The conditions of `q` whose text resolved to `text`.
fn conditions<'a>(ix: &'a SearchIndex, q: &SearchQuery, text: &ResolvedText) -> Conditions<'a> {
    let e = &ix.events;
    let n = e.n;
    let mut c = Conditions {
        include_candidates: q.include_candidates,
        kinds: None,
        statuses: None,
        sectors: None,
        dated: q.from.is_some() || q.to.is_some(),
        from: q.from.as_ref().and_then(|d| d.earliest()).map(|d| d.0),
        to: q.to.as_ref().and_then(|d| d.latest()).map(|d| d.0),
        sets: Vec::new(),
        kind_set: None,
        nothing: false,
    };
    if !q.types.is_empty() {
        let mut allowed = vec![false; e.kinds.values.len()];
        let mut parts = Vec::new();
        for t in &q.types {
            if let Some(id) = e.kinds.get(t.as_str())
                && !allowed[id as usize]
            {
                allowed[id as usize] = true;
                parts.push(&e.by_kind[id as usize]);
            }
        }
        c.nothing |= parts.is_empty();
        c.kind_set = Some(Set::union(&parts, n));
        c.kinds = Some(allowed);
    }
    if !q.statuses.is_empty() {
        let mut allowed = vec![false; e.statuses.values.len()];
        for s in &q.statuses {
            if let Some(id) = e.statuses.get(s.as_str()) {
                allowed[id as usize] = true;
            }
        }
        c.statuses = Some(allowed);
    }
    if !q.sectors.is_empty() {
        // `(',' || sectors || ',') LIKE '%,culture,%'`: one element equal, ASCII case
        // ignored as LIKE does.
        let l = &e.sector_lists;
        c.sectors = Some(
            l.all_members()
                .map(|m| {
                    m.iter().any(|&el| {
                        let v = &l.elements.values[el as usize];
                        q.sectors.iter().any(|s| v.eq_ignore_ascii_case(s.as_str()))
                    })
                })
                .collect(),
        );
    }
    let en = &ix.entities;
    for code in &q.countries {
        match en.by_key.get(&code.to_uppercase()) {
            Some(&id) => {
                let id = id as usize;
                c.sets.push(en.participant[id].as_ref().unwrap_or(&en.involved[id]).as_set());
            }
            None => c.nothing = true,
        }
    }
    for group in &text.groups {
        let parts: Vec<_> = group.iter().map(|&id| &en.involved[id as usize]).collect();
        c.sets.push(Set::union(&parts, n));
    }
    for w in &text.words {
        c.sets.push(ix.words.prefixed(w, n));
    }
    c
}

/// What a walk starts from.
enum Driver {
    All,
    Set(usize),
    Kinds,
    /// Positions `lo..hi`, and the wide-dated events outside them.
    Dates(usize, usize),
}

/// Calls `visit` on every match, in position order, until it returns false.
fn walk(ix: &SearchIndex, c: &Conditions, mut visit: impl FnMut(u32) -> bool) {
    let e = &ix.events;
    if c.nothing {
        return;
    }
    let mut driver = (e.n, Driver::All);
    for (i, s) in c.sets.iter().enumerate() {
        if s.len() < driver.0 {
            driver = (s.len(), Driver::Set(i));
        }
    }
    if let Some(k) = &c.kind_set
        && k.len() < driver.0
    {
        driver = (k.len(), Driver::Kinds);
    }
    if c.from.is_some() || c.to.is_some() {
        // Without wide intervals, a match has sort_day = date_lo <= to and
        // date_lo >= date_hi - max_span >= from - max_span.
        let lo =
            c.from.map_or(0, |f| e.sort_day.partition_point(|&d| i64::from(d) < i64::from(f) - e.max_span));
        let hi = c.to.map_or(e.n, |t| e.sort_day.partition_point(|&d| d <= t)).max(lo);
        if hi - lo + e.wide.len() < driver.0 {
            driver = (hi - lo + e.wide.len(), Driver::Dates(lo, hi));
        }
    }
    let skip = match driver.1 {
        Driver::Set(i) => Some(i),
        _ => None,
    };
    let mut probes: Vec<Probe> =
        c.sets.iter().enumerate().filter(|(i, _)| Some(*i) != skip).map(|(_, s)| s.probe()).collect();
    let mut each = |p: u32| -> bool {
        if !c.pass(e, p as usize) || !probes.iter_mut().all(|pr| pr.contains(p)) {
            return true;
        }
        visit(p)
    };
    match driver.1 {
        Driver::All => {
            for p in 0..e.n as u32 {
                if !each(p) {
                    return;
                }
            }
        }
        Driver::Set(i) => {
            for p in c.sets[i].iter_from(0) {
                if !each(p) {
                    return;
                }
            }
        }
        Driver::Kinds => {
            for p in c.kind_set.as_ref().map(|k| k.iter_from(0)).into_iter().flatten() {
                if !each(p) {
                    return;
                }
            }
        }
        Driver::Dates(lo, hi) => {
            let (lo, hi) = (lo as u32, hi as u32);
            let before = e.wide.iter().copied().take_while(|&p| p < lo);
            let after = e.wide.iter().copied().filter(|&p| p >= hi);
            for p in before.chain(lo..hi).chain(after) {
                if !each(p) {
                    return;
                }
            }
        }
    }
}

/// The first position after a cursor's `(sort_day, id)`.
fn start_after(e: &Events, after: Option<(i64, i64)>) -> usize {
    match after {
        None => 0,
        Some(key) => {
            let (mut lo, mut hi) = (0, e.n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if (i64::from(e.sort_day[mid]), i64::from(e.row_id[mid])) <= key {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        }
    }
}

fn cursor_of(e: &Events, p: usize) -> String {
    event_cursor(e.sort_day[p].into(), e.row_id[p].into())
}

impl SearchIndex {
    /// The entities named `folded`, as the SQL lookup finds them.
    fn named(&self, folded: &str) -> Vec<(i64, EntityHit)> {
        let en = &self.entities;
        en.names
            .get(folded)
            .map(|list| {
                list.iter()
                    .map(|(id, matched)| {
                        let i = *id as usize;
                        (
                            i64::from(*id),
                            EntityHit {
                                id: en.key[i].clone(),
                                kind: en.kind[i],
                                name_en: en.name_en[i].clone(),
                                name_ru: en.name_ru[i].clone(),
                                matched: matched.clone(),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub(super) fn search(ix: &SearchIndex, q: &SearchQuery) -> Result<SearchResults> {
    let e = &ix.events;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let after = q.cursor.as_deref().map(parse_event_cursor).transpose()?;
    let mut text = ResolvedText::default();
    if let Some(t) = q.text.as_deref().filter(|t| !t.trim().is_empty()) {
        text = SearchPlan::new(t).resolve(|gram| Ok(ix.named(gram)))?;
    }
    let c = conditions(ix, q, &text);
    let start = start_after(e, after);
    let mut tally = q.facets.then(|| Tally::new(e));
    let mut count = 0u64;
    let mut page: Vec<u32> = Vec::with_capacity(limit + 1);
    walk(ix, &c, |p| {
        count += 1;
        if let Some(t) = &mut tally {
            t.add(e, p as usize);
        }
        if p as usize >= start && page.len() <= limit {
            page.push(p);
        }
        tally.is_some() || count <= COUNT_CAP || page.len() <= limit
    });
    let more = page.len() > limit;
    page.truncate(limit);
    let next = if more { page.last().map(|&p| cursor_of(e, p as usize)) } else { None };
    let (total, total_is_lower_bound) = match tally {
        Some(_) => (count, false),
        None => (count.min(COUNT_CAP), count > COUNT_CAP),
    };
    let sources = if text.all_words.is_empty() { Vec::new() } else { sources(ix, &text.all_words) };
    Ok(SearchResults {
        total,
        total_is_lower_bound,
        hits: page.iter().map(|&p| e.hit(p as usize)).collect(),
        next,
        facets: tally.map(|t| t.finish(e)),
        entities: text.entity_hits,
        sources,
        words: text.words,
    })
}

/// The first 20 sources (by row id) with a word beginning with each of `words`.
fn sources(ix: &SearchIndex, words: &[String]) -> Vec<crate::SourceHit> {
    let s = &ix.sources;
    let n = s.len();
    let mut sets: Vec<Set> = words.iter().map(|w| s.words.prefixed(w, n)).collect();
    sets.sort_by_key(|s| s.len());
    let Some((first, rest)) = sets.split_first() else { return Vec::new() };
    let mut probes: Vec<Probe> = rest.iter().map(|s| s.probe()).collect();
    first
        .iter_from(0)
        .filter(|&p| probes.iter_mut().all(|pr| pr.contains(p)))
        .take(20)
        .map(|p| s.hit(p as usize))
        .collect()
}

pub(super) fn entity_events(
    ix: &SearchIndex,
    key: &str,
    include_candidates: bool,
    cursor: Option<&str>,
    limit: usize,
) -> Result<Page<EventHit>> {
    let e = &ix.events;
    let limit = limit.clamp(1, MAX_PAGE);
    let after = cursor.map(parse_event_cursor).transpose()?;
    let Some(&id) = ix.entities.by_key.get(key) else {
        return Ok(Page { items: Vec::new(), next: None });
    };
    let set = ix.entities.involved[id as usize].as_set();
    let mut items = Vec::new();
    let mut last = None;
    let mut more = false;
    for p in set.iter_from(start_after(e, after) as u32) {
        let (p, f) = (p as usize, e.flags[p as usize]);
        let review = f >> REVIEW_SHIFT;
        if f & MERGED != 0 || if include_candidates { review == REJECTED } else { review != ACCEPTED } {
            continue;
        }
        if items.len() == limit {
            more = true;
            break;
        }
        items.push(e.hit(p));
        last = Some(p);
    }
    let next = if more { last.map(|p| cursor_of(e, p)) } else { None };
    Ok(Page { items, next })
}

/// Facet counts in arrays indexed by the interned ids.
struct Tally {
    kinds: Vec<u64>,
    statuses: Vec<u64>,
    years: Vec<u64>,
    sectors: Vec<u64>,
    countries: Vec<u64>,
}

impl Tally {
    fn new(e: &Events) -> Self {
        Tally {
            kinds: vec![0; e.kinds.values.len()],
            statuses: vec![0; e.statuses.values.len()],
            years: vec![0; e.years],
            sectors: vec![0; e.sector_lists.len()],
            countries: vec![0; e.country_lists.len()],
        }
    }

    #[inline]
    fn add(&mut self, e: &Events, p: usize) {
        self.kinds[e.kind[p] as usize] += 1;
        self.statuses[e.status[p] as usize] += 1;
        if e.year[p] != NO_YEAR {
            self.years[(e.year[p] - e.min_year) as usize] += 1;
        }
        self.sectors[e.sectors[p] as usize] += 1;
        self.countries[e.countries[p] as usize] += 1;
    }

    /// The facets as `FacetTally::finish` orders them: by count, then value; years
    /// in order.
    fn finish(self, e: &Events) -> Facets {
        fn by_count(values: &[String], counts: &[u64]) -> Vec<Facet> {
            let mut v: Vec<Facet> = counts
                .iter()
                .zip(values)
                .filter(|(c, _)| **c > 0)
                .map(|(c, v)| Facet { value: v.clone(), count: *c })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        }
        fn elements(l: &super::Lists, counts: &[u64]) -> Vec<Facet> {
            let mut per = vec![0u64; l.elements.values.len()];
            for (members, &c) in l.all_members().zip(counts) {
                if c > 0 {
                    for &m in members {
                        per[m as usize] += c;
                    }
                }
            }
            by_count(&l.elements.values, &per)
        }
        Facets {
            types: by_count(&e.kinds.values, &self.kinds),
            countries: elements(&e.country_lists, &self.countries),
            years: self
                .years
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(i, c)| Facet { value: (i64::from(e.min_year) + i as i64).to_string(), count: *c })
                .collect(),
            sectors: elements(&e.sector_lists, &self.sectors),
            statuses: by_count(&e.statuses.values, &self.statuses),
        }
    }
}
