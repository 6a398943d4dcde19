//! keruen-analysis owns the measures computed over accepted facts: the country-pair by
//! year [`matrix`](matrix::matrix), the cooperation [`network`](network::network) with
//! degree, weighted degree, betweenness and communities, [`series`](series::series)
//! per country and type, a country [`profile`](profile::profile), and the
//! [`jubilee`] planner of round anniversaries.
//!
//! It is pure: no store, no I/O. The caller streams accepted events into [`Facts`], a
//! packed form that keeps what the measures read (type, status, sectors, the date's
//! bounds and year, interned participants with roles), then asks for measures, each
//! narrowed by a [`Filter`]. The definitions are in `docs/analysis.md`.
//!
//! ```
//! use keruen_analysis::{Facts, Filter, matrix::matrix};
//! use keruen_model::{Event, EventType, Participant, Role};
//!
//! let mut e = Event::new("e1", EventType::CultureDays, Some("2008-04-25".parse().unwrap()));
//! e.participants = vec![Participant::new("KZ", Role::Host), Participant::new("TM", Role::Guest)];
//! let mut facts = Facts::new();
//! facts.push(&e);
//! let m = matrix(&facts, &Filter::default(), false);
//! assert_eq!(m.cells.len(), 1);
//! assert_eq!((m.cells[0].a.as_str(), m.cells[0].b.as_str(), m.cells[0].year), ("KZ", "TM", Some(2008)));
//! assert_eq!(m.cells[0].count, 1);
//! ```
#![warn(missing_docs)]

mod fact;
pub mod jubilee;
pub mod matrix;
pub mod network;
pub mod profile;
pub mod series;

pub use fact::{EntityIx, Fact, Facts, Member, SectorSet, fact_year, kind_by_id};

use keruen_model::{EventStatus, EventType};
use serde::Serialize;

/// What can go wrong in an analysis: only requests that make no sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// The first year is after the last.
    #[error("the range {from}–{to} ends before it starts: give --from before --to")]
    Years {
        /// First year asked for.
        from: i32,
        /// Last year asked for.
        to: i32,
    },
    /// A country code that is not an ISO 3166-1 alpha-2 code.
    #[error("`{0}` is not a country code: give an ISO 3166-1 alpha-2 code such as KZ")]
    NotACountry(String),
}

/// Result with the analysis error.
pub type Result<T> = std::result::Result<T, AnalysisError>;

/// Which facts a measure counts. The default counts held and planned events of every
/// type in every year; cancelled events never took place and are left out unless
/// asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filter {
    /// Only facts whose year is this or later (undated facts are then left out).
    pub from: Option<i32>,
    /// Only facts whose year is this or earlier (undated facts are then left out).
    pub to: Option<i32>,
    /// Only these types; all when empty.
    pub types: Vec<EventType>,
    /// Only these statuses; held and planned when empty.
    pub statuses: Vec<EventStatus>,
}

impl Filter {
    /// Checks that the years are in order.
    pub fn validate(&self) -> Result<()> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(AnalysisError::Years { from, to }),
            _ => Ok(()),
        }
    }

    /// Whether a fact passes.
    pub fn accepts(&self, f: &Fact) -> bool {
        let status_ok = if self.statuses.is_empty() {
            f.status != EventStatus::Cancelled
        } else {
            self.statuses.contains(&f.status)
        };
        let years_ok = match (self.from, self.to) {
            (None, None) => true,
            (from, to) => {
                f.year.is_some_and(|y| from.is_none_or(|from| y >= from) && to.is_none_or(|to| y <= to))
            }
        };
        status_ok && years_ok && (self.types.is_empty() || self.types.contains(&f.event_type))
    }
}

/// Whether a code is an ISO 3166-1 alpha-2 code in form (two capital letters).
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::Event;

    #[test]
    fn the_filter_leaves_out_cancelled_and_undated_when_years_are_given() {
        let mut facts = Facts::new();
        let mut held = Event::new("a", EventType::Festival, Some("2001".parse().unwrap()));
        facts.push(&held);
        held.status = EventStatus::Cancelled;
        facts.push(&held);
        facts.push(&Event::new("c", EventType::Festival, None));
        let f = Filter::default();
        let passed: Vec<bool> = facts.iter().map(|(_, x)| f.accepts(x)).collect();
        assert_eq!(passed, [true, false, true]);
        let f = Filter { from: Some(2000), ..Filter::default() };
        let passed: Vec<bool> = facts.iter().map(|(_, x)| f.accepts(x)).collect();
        assert_eq!(passed, [true, false, false]);
        let f = Filter { types: vec![EventType::Agreement], ..Filter::default() };
        assert!(!f.accepts(facts.fact(0)));
        assert!(Filter { from: Some(2001), to: Some(2000), ..Filter::default() }.validate().is_err());
    }
}
