//! A country profile: a one-page summary of a state's cooperation — its partners,
//! the types and sectors of its events, the trend, and its first and latest contacts.
//!
//! A *contact* is an event in which the state and at least one other state take part.
//! The *trend* compares the last five years up to the latest year with data (or the
//! filter's `to`) with the five before, and fits a least-squares line to the counts
//! of the last ten years: `rising` when the recent five years have at least 10% more
//! events than the five before, `falling` when at least 10% fewer, else `steady`.
use crate::{AnalysisError, Facts, Filter, Result, is_country_code};
use keruen_model::{Day, EventType, Sector};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// One event that marks a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// The event id.
    pub event: String,
    /// Its year, if known.
    pub year: Option<i32>,
}

/// A partner and what the state did with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partner {
    /// Entity id (an ISO code for a state).
    pub id: String,
    /// Shared events.
    pub events: u64,
    /// The earliest dated shared event.
    pub first: Option<Contact>,
    /// The latest dated shared event.
    pub latest: Option<Contact>,
}

/// The trend of a state's events over the last years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// The last year considered.
    pub last_year: i32,
    /// Events in the five years up to `last_year`.
    pub recent: u64,
    /// Events in the five years before those.
    pub previous: u64,
    /// Least-squares slope of the yearly counts over the last ten years (events per
    /// year per year).
    pub slope: f64,
    /// `rising`, `falling` or `steady`.
    pub direction: &'static str,
}

/// The profile of one state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// The state.
    pub country: String,
    /// Its events (that pass the filter).
    pub events: u64,
    /// Of which without a year.
    pub undated: u64,
    /// Events per year, first to last year with data.
    pub years: BTreeMap<i32, u64>,
    /// Partner states, most shared events first.
    pub partners: Vec<Partner>,
    /// Organisations, people and polities it works with, most shared events first.
    pub others: Vec<Partner>,
    /// Events by type, most first.
    pub types: Vec<(EventType, u64)>,
    /// Events by sector, most first.
    pub sectors: Vec<(Sector, u64)>,
    /// The trend, when any event has a year.
    pub trend: Option<Trend>,
    /// The earliest dated contact with another state.
    pub first_contact: Option<Contact>,
    /// The latest dated contact with another state.
    pub latest_contact: Option<Contact>,
}

#[derive(Default)]
struct Acc {
    events: u64,
    first: Option<(Day, usize)>,
    latest: Option<(Day, usize)>,
}

impl Acc {
    fn add(&mut self, fact: usize, lo: Option<Day>, hi: Option<Day>) {
        self.events += 1;
        if let Some(d) = lo
            && self.first.is_none_or(|(f, _)| d < f)
        {
            self.first = Some((d, fact));
        }
        if let Some(d) = hi.or(lo)
            && self.latest.is_none_or(|(l, _)| d > l)
        {
            self.latest = Some((d, fact));
        }
    }
}

/// The profile of `country`; `top` limits the partner lists.
pub fn profile(facts: &Facts, filter: &Filter, country: &str, top: usize) -> Result<Profile> {
    filter.validate()?;
    if !is_country_code(country) {
        return Err(AnalysisError::NotACountry(country.to_string()));
    }
    let me = facts.lookup(country);
    let mut events = 0;
    let mut undated = 0;
    let mut years: BTreeMap<i32, u64> = BTreeMap::new();
    let mut types: BTreeMap<EventType, u64> = BTreeMap::new();
    let mut sectors: BTreeMap<Sector, u64> = BTreeMap::new();
    let mut partners: FxHashMap<u32, Acc> = FxHashMap::default();
    let mut contacts = Acc::default();
    for (i, f) in facts.iter() {
        let Some(me) = me else { break };
        if !filter.accepts(f) {
            continue;
        }
        let members = facts.members(f);
        if !members.iter().any(|m| m.entity == me) {
            continue;
        }
        events += 1;
        match f.year {
            Some(y) => *years.entry(y).or_default() += 1,
            None => undated += 1,
        }
        *types.entry(f.event_type).or_default() += 1;
        for s in f.sectors.iter() {
            *sectors.entry(s).or_default() += 1;
        }
        let mut with_state = false;
        for m in members.iter().filter(|m| m.entity != me) {
            with_state |= facts.is_country(m.entity);
            partners.entry(m.entity).or_default().add(i, f.earliest, f.latest);
        }
        if with_state {
            contacts.add(i, f.earliest, f.latest);
        }
    }
    let contact = |x: Option<(Day, usize)>| {
        x.map(|(_, i)| Contact { event: facts.event_id(i).to_string(), year: facts.fact(i).year })
    };
    let mut states = Vec::new();
    let mut others = Vec::new();
    for (ix, acc) in partners {
        let p = Partner {
            id: facts.entity(ix).to_string(),
            events: acc.events,
            first: contact(acc.first),
            latest: contact(acc.latest),
        };
        if facts.is_country(ix) {
            states.push(p);
        } else if facts.kind(ix).is_some_and(|k| {
            use keruen_model::EntityKind::*;
            matches!(k, Organization | Person | Polity)
        }) {
            others.push(p);
        }
    }
    for list in [&mut states, &mut others] {
        list.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.id.cmp(&b.id)));
        list.truncate(top);
    }
    let last = filter.to.or_else(|| years.keys().next_back().copied());
    let trend = last.map(|last| trend(&years, last));
    Ok(Profile {
        country: country.to_string(),
        events,
        undated,
        years,
        partners: states,
        others,
        types: by_count(types),
        sectors: by_count(sectors),
        trend,
        first_contact: contact(contacts.first),
        latest_contact: contact(contacts.latest),
    })
}

/// The entries of a count map, most first (ties in key order).
fn by_count<K: Ord>(m: BTreeMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

fn trend(years: &BTreeMap<i32, u64>, last: i32) -> Trend {
    let count = |y: i32| years.get(&y).copied().unwrap_or(0);
    let recent: u64 = (last - 4..=last).map(count).sum();
    let previous: u64 = (last - 9..=last - 5).map(count).sum();
    let xs: Vec<f64> = (last - 9..=last).map(f64::from).collect();
    let ys: Vec<f64> = (last - 9..=last).map(|y| count(y) as f64).collect();
    let mx = xs.iter().sum::<f64>() / 10.0;
    let my = ys.iter().sum::<f64>() / 10.0;
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let direction = if recent * 10 >= previous * 11 && recent > previous {
        "rising"
    } else if recent * 10 <= previous * 9 && recent < previous {
        "falling"
    } else {
        "steady"
    };
    Trend { last_year: last, recent, previous, slope: sxy / sxx, direction }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Event, Participant, Role};

    fn facts() -> Facts {
        let mut f = Facts::new();
        let mut n = 0;
        let mut add = |t: EventType, d: Option<&str>, p: &[&str]| {
            n += 1;
            let mut e = Event::new(format!("e{n}"), t, d.map(|x| x.parse().unwrap()));
            e.participants = p.iter().map(|c| Participant::new(*c, Role::Participant)).collect();
            e.sectors = t.default_sectors().to_vec();
            f.push(&e);
        };
        add(EventType::DiplomaticRelations, Some("1992-10-05"), &["KZ", "TM"]);
        for y in 2010..2015 {
            add(EventType::Festival, Some(&y.to_string()), &["KZ", "UZ", "org:turksoy"]);
        }
        for y in 2015..2020 {
            for _ in 0..2 {
                add(EventType::Conference, Some(&y.to_string()), &["KZ", "UZ"]);
            }
        }
        add(EventType::Exhibition, None, &["KZ", "KG"]);
        add(EventType::Festival, Some("2021"), &["KZ"]);
        add(EventType::Festival, Some("2021"), &["UZ", "TJ"]);
        f
    }

    #[test]
    fn partners_types_contacts_and_trend() {
        let p = profile(&facts(), &Filter::default(), "KZ", 10).unwrap();
        assert_eq!((p.events, p.undated), (18, 1));
        let ids: Vec<&str> = p.partners.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["UZ", "KG", "TM"]);
        assert_eq!(p.partners[0].events, 15);
        assert_eq!(p.partners[0].first.as_ref().unwrap().year, Some(2010));
        assert_eq!(p.partners[0].latest.as_ref().unwrap().year, Some(2019));
        assert_eq!(p.others[0].id, "org:turksoy");
        assert_eq!(p.types[0], (EventType::Conference, 10));
        assert_eq!(p.first_contact.as_ref().unwrap().event, "e1");
        // The latest contact is with UZ in 2019, not the 2021 festival KZ held alone.
        assert_eq!(p.latest_contact.as_ref().unwrap().year, Some(2019));
        let t = p.trend.unwrap();
        // 2017–2021: 6 + 1; 2012–2016: 3 + 4.
        assert_eq!((t.last_year, t.recent, t.previous), (2021, 7, 7));
        assert_eq!(t.direction, "steady");
    }

    #[test]
    fn a_state_without_events_has_an_empty_profile() {
        let p = profile(&facts(), &Filter::default(), "FR", 5).unwrap();
        assert_eq!(p.events, 0);
        assert!(p.trend.is_none() && p.partners.is_empty());
        assert!(profile(&facts(), &Filter::default(), "France", 5).is_err());
    }
}
