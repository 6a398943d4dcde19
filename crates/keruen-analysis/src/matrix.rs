//! The country-pair by year matrix: how many events two states took part in together,
//! each year, by type and by sector.
//!
//! Undirected, every unordered pair of distinct states among an event's participants
//! (in any role) counts the event once. Directed, every (host, guest) pair of distinct
//! states counts it once: "Days of Culture of Turkmenistan in Kazakhstan" is KZ → TM.
//! Only present-day states (ISO codes) are counted; organisations and people are in
//! the [network](crate::network).
use crate::{Facts, Filter};
use keruen_model::{EventType, Role, Sector};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// One cell: a pair of states in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixCell {
    /// The first state (undirected: the smaller code; directed: the host).
    pub a: String,
    /// The second state (undirected: the larger code; directed: the guest).
    pub b: String,
    /// The year; `None` for events without a year (see [`crate::fact_year`]).
    pub year: Option<i32>,
    /// Events.
    pub count: u64,
    /// Events by type (only types that occur).
    pub by_type: BTreeMap<EventType, u64>,
    /// Events by sector (only sectors that occur; an event with two sectors counts in
    /// both).
    pub by_sector: BTreeMap<Sector, u64>,
}

/// The matrix in long form: one [`MatrixCell`] per pair and year that has events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Host → guest pairs rather than unordered pairs.
    pub directed: bool,
    /// The states that occur in some cell, sorted.
    pub countries: Vec<String>,
    /// Cells sorted by year (undated first), then `a`, then `b`.
    pub cells: Vec<MatrixCell>,
}

/// A pair's count over all years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairTotal {
    /// First state.
    pub a: String,
    /// Second state.
    pub b: String,
    /// Events in all years, undated ones included.
    pub count: u64,
    /// First year with an event.
    pub first: Option<i32>,
    /// Last year with an event.
    pub last: Option<i32>,
}

impl Matrix {
    /// Totals per pair over all years, most events first (ties by codes).
    pub fn totals(&self) -> Vec<PairTotal> {
        let mut by_pair: BTreeMap<(&str, &str), PairTotal> = BTreeMap::new();
        for c in &self.cells {
            let t = by_pair.entry((&c.a, &c.b)).or_insert_with(|| PairTotal {
                a: c.a.clone(),
                b: c.b.clone(),
                count: 0,
                first: None,
                last: None,
            });
            t.count += c.count;
            if let Some(y) = c.year {
                t.first = Some(t.first.map_or(y, |f| f.min(y)));
                t.last = Some(t.last.map_or(y, |l| l.max(y)));
            }
        }
        let mut out: Vec<PairTotal> = by_pair.into_values().collect();
        out.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b))));
        out
    }

    /// The total events of one pair in one year (undirected: in either order).
    pub fn count(&self, a: &str, b: &str, year: Option<i32>) -> u64 {
        self.cells
            .iter()
            .filter(|c| c.year == year)
            .filter(|c| (c.a == a && c.b == b) || (!self.directed && c.a == b && c.b == a))
            .map(|c| c.count)
            .sum()
    }
}

const TYPES: usize = EventType::ALL.len();
const SECTORS: usize = Sector::ALL.len();

#[derive(Clone)]
struct Acc {
    count: u64,
    types: [u32; TYPES],
    sectors: [u32; SECTORS],
}

/// Counts events per pair of states and year. See the module documentation.
pub fn matrix(facts: &Facts, filter: &Filter, directed: bool) -> Matrix {
    let mut index: FxHashMap<(u32, u32, i32), usize> = FxHashMap::default();
    let mut keys: Vec<(u32, u32, i32)> = Vec::new();
    let mut accs: Vec<Acc> = Vec::new();
    let mut states: Vec<(u32, Role)> = Vec::with_capacity(16);
    for (_, f) in facts.iter() {
        if !filter.accepts(f) {
            continue;
        }
        states.clear();
        states.extend(
            facts.members(f).iter().filter(|m| facts.is_country(m.entity)).map(|m| (m.entity, m.role)),
        );
        if states.len() < 2 {
            continue;
        }
        let year = f.year.unwrap_or(i32::MIN);
        let mut add = |a: u32, b: u32| {
            let key = (a, b, year);
            let i = *index.entry(key).or_insert_with(|| {
                keys.push(key);
                accs.push(Acc { count: 0, types: [0; TYPES], sectors: [0; SECTORS] });
                accs.len() - 1
            });
            let acc = &mut accs[i];
            acc.count += 1;
            acc.types[f.event_type as usize] += 1;
            for s in f.sectors.iter() {
                acc.sectors[s as usize] += 1;
            }
        };
        for (i, &(a, ra)) in states.iter().enumerate() {
            for &(b, rb) in &states[i + 1..] {
                if directed {
                    if ra == Role::Host && rb == Role::Guest {
                        add(a, b);
                    } else if rb == Role::Host && ra == Role::Guest {
                        add(b, a);
                    }
                } else if facts.entity(a) < facts.entity(b) {
                    add(a, b);
                } else {
                    add(b, a);
                }
            }
        }
    }
    let mut cells: Vec<MatrixCell> = keys
        .iter()
        .zip(&accs)
        .map(|(&(a, b, year), acc)| MatrixCell {
            a: facts.entity(a).to_string(),
            b: facts.entity(b).to_string(),
            year: (year != i32::MIN).then_some(year),
            count: acc.count,
            by_type: EventType::ALL
                .iter()
                .filter(|t| acc.types[**t as usize] > 0)
                .map(|t| (*t, u64::from(acc.types[*t as usize])))
                .collect(),
            by_sector: Sector::ALL
                .iter()
                .filter(|s| acc.sectors[**s as usize] > 0)
                .map(|s| (*s, u64::from(acc.sectors[*s as usize])))
                .collect(),
        })
        .collect();
    cells.sort_by(|x, y| (x.year, &x.a, &x.b).cmp(&(y.year, &y.a, &y.b)));
    let mut countries: Vec<String> = cells.iter().flat_map(|c| [c.a.clone(), c.b.clone()]).collect();
    countries.sort();
    countries.dedup();
    Matrix { directed, countries, cells }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Event, EventStatus, Participant};

    fn ev(id: &str, t: EventType, date: Option<&str>, parts: &[(&str, Role)]) -> Event {
        let mut e = Event::new(id, t, date.map(|d| d.parse().unwrap()));
        e.participants = parts.iter().map(|(p, r)| Participant::new(*p, *r)).collect();
        e.sectors = t.default_sectors().to_vec();
        e
    }

    fn sample() -> Facts {
        use Role::*;
        let mut f = Facts::new();
        for e in [
            ev("1", EventType::CultureDays, Some("2008-04-25"), &[("KZ", Host), ("TM", Guest)]),
            ev("2", EventType::CultureDays, Some("2009"), &[("TM", Host), ("KZ", Guest)]),
            ev(
                "3",
                EventType::Conference,
                Some("2008-10"),
                &[("UZ", Host), ("KZ", Guest), ("TM", Guest), ("org:unesco", Organiser)],
            ),
            ev("4", EventType::Agreement, None, &[("KZ", Signatory), ("UZ", Signatory)]),
            ev("5", EventType::Festival, Some("2008"), &[("KZ", Host)]),
        ] {
            f.push(&e);
        }
        let mut cancelled = ev("6", EventType::Festival, Some("2008"), &[("KZ", Host), ("TM", Guest)]);
        cancelled.status = EventStatus::Cancelled;
        f.push(&cancelled);
        f
    }

    #[test]
    fn unordered_pairs_count_each_event_once_per_pair() {
        let m = matrix(&sample(), &Filter::default(), false);
        assert_eq!(m.countries, ["KZ", "TM", "UZ"]);
        assert_eq!(m.count("KZ", "TM", Some(2008)), 2);
        assert_eq!(m.count("TM", "KZ", Some(2008)), 2);
        assert_eq!(m.count("KZ", "TM", Some(2009)), 1);
        assert_eq!(m.count("KZ", "UZ", Some(2008)), 1);
        assert_eq!(m.count("KZ", "UZ", None), 1);
        let kz_tm_2008 = m.cells.iter().find(|c| c.year == Some(2008) && c.a == "KZ" && c.b == "TM").unwrap();
        assert_eq!(kz_tm_2008.by_type[&EventType::CultureDays], 1);
        assert_eq!(kz_tm_2008.by_type[&EventType::Conference], 1);
        assert_eq!(kz_tm_2008.by_sector[&Sector::Science], 1);
        // Undated cells sort first.
        assert_eq!(m.cells[0].year, None);
        let totals = m.totals();
        assert_eq!((totals[0].a.as_str(), totals[0].b.as_str(), totals[0].count), ("KZ", "TM", 3));
        assert_eq!((totals[0].first, totals[0].last), (Some(2008), Some(2009)));
    }

    #[test]
    fn directed_pairs_go_from_host_to_guest() {
        let m = matrix(&sample(), &Filter::default(), true);
        assert_eq!(m.count("KZ", "TM", Some(2008)), 1);
        assert_eq!(m.count("TM", "KZ", Some(2009)), 1);
        assert_eq!(m.count("UZ", "TM", Some(2008)), 1);
        // Two guests are not a directed pair; signatories have no direction.
        assert_eq!(m.count("KZ", "TM", Some(2008)) + m.count("TM", "KZ", Some(2008)), 1);
        assert_eq!(m.count("KZ", "UZ", None), 0);
    }

    #[test]
    fn filters_narrow_the_matrix() {
        let f = Filter { from: Some(2009), ..Filter::default() };
        let m = matrix(&sample(), &f, false);
        assert_eq!(m.cells.len(), 1);
        let f = Filter { types: vec![EventType::Conference], ..Filter::default() };
        let m = matrix(&sample(), &f, false);
        assert_eq!(m.cells.iter().map(|c| c.count).sum::<u64>(), 3);
        let f = Filter { statuses: vec![EventStatus::Cancelled], ..Filter::default() };
        assert_eq!(matrix(&sample(), &f, false).count("KZ", "TM", Some(2008)), 1);
    }
}
