//! Time series: events per year, per state or per type.
//!
//! Without a country: one row per state, counting the events it takes part in each
//! year. With a country: one row per event type, counting that state's events. Every
//! row covers the same consecutive years, zeros included, so that it plots as is.
//! Events without a year (see [`crate::fact_year`]) are counted in `undated`.
use crate::{AnalysisError, Facts, Filter, Result, is_country_code};
use serde::Serialize;
use std::collections::BTreeMap;

/// One row: a label and a count per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesRow {
    /// A state's code, or an event type.
    pub label: String,
    /// One count per year of [`Series::years`].
    pub counts: Vec<u64>,
    /// Events of this row without a year.
    pub undated: u64,
    /// All its events, undated included.
    pub total: u64,
}

/// Rows of counts over consecutive years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// The state the series is about, if any.
    pub country: Option<String>,
    /// Consecutive years, first to last with data (or the filter's range).
    pub years: Vec<i32>,
    /// Rows, most events first (ties by label).
    pub rows: Vec<SeriesRow>,
}

impl Series {
    /// The row with this label.
    pub fn row(&self, label: &str) -> Option<&SeriesRow> {
        self.rows.iter().find(|r| r.label == label)
    }

    /// The count of a row in a year (0 when absent).
    pub fn at(&self, label: &str, year: i32) -> u64 {
        let Some(i) = self.years.iter().position(|&y| y == year) else {
            return 0;
        };
        self.row(label).map_or(0, |r| r.counts[i])
    }
}

/// Events per year, by state (no `country`) or by type (for one `country`).
pub fn series(facts: &Facts, filter: &Filter, country: Option<&str>) -> Result<Series> {
    filter.validate()?;
    if let Some(c) = country
        && !is_country_code(c)
    {
        return Err(AnalysisError::NotACountry(c.to_string()));
    }
    let target = country.and_then(|c| facts.lookup(c));
    // label → (year → count, undated)
    let mut rows: BTreeMap<String, (BTreeMap<i32, u64>, u64)> = BTreeMap::new();
    let mut add = |label: &str, year: Option<i32>| {
        let row = rows.entry(label.to_string()).or_default();
        match year {
            Some(y) => *row.0.entry(y).or_default() += 1,
            None => row.1 += 1,
        }
    };
    for (_, f) in facts.iter() {
        if !filter.accepts(f) {
            continue;
        }
        let members = facts.members(f);
        match (country, target) {
            (Some(_), None) => break,
            (Some(_), Some(t)) => {
                if members.iter().any(|m| m.entity == t) {
                    add(f.event_type.as_str(), f.year);
                }
            }
            (None, _) => {
                for m in members.iter().filter(|m| facts.is_country(m.entity)) {
                    add(facts.entity(m.entity), f.year);
                }
            }
        }
    }
    let seen = rows.values().flat_map(|(y, _)| y.keys().copied());
    let (lo, hi) = seen.fold((filter.from, filter.to), |(lo, hi), y| {
        (Some(lo.map_or(y, |l: i32| l.min(y))), Some(hi.map_or(y, |h: i32| h.max(y))))
    });
    let years: Vec<i32> = match (lo, hi) {
        (Some(lo), Some(hi)) => (lo..=hi).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<SeriesRow> = rows
        .into_iter()
        .map(|(label, (by_year, undated))| {
            let counts: Vec<u64> = years.iter().map(|y| by_year.get(y).copied().unwrap_or(0)).collect();
            let total = counts.iter().sum::<u64>() + undated;
            SeriesRow { label, counts, undated, total }
        })
        .collect();
    out.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));
    Ok(Series { country: country.map(str::to_string), years, rows: out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Event, EventType, Participant, Role};

    fn facts() -> Facts {
        let mut f = Facts::new();
        for (id, t, d, p) in [
            ("1", EventType::Festival, Some("2001-05"), vec!["KZ", "UZ"]),
            ("2", EventType::Festival, Some("2003"), vec!["KZ"]),
            ("3", EventType::Agreement, Some("2003-01-02"), vec!["KZ", "TJ"]),
            ("4", EventType::Agreement, None, vec!["UZ", "KZ"]),
        ] {
            let mut e = Event::new(id, t, d.map(|x| x.parse().unwrap()));
            e.participants = p.iter().map(|c| Participant::new(*c, Role::Participant)).collect();
            f.push(&e);
        }
        f
    }

    #[test]
    fn per_country_rows_cover_consecutive_years() {
        let s = series(&facts(), &Filter::default(), None).unwrap();
        assert_eq!(s.years, [2001, 2002, 2003]);
        let kz = s.row("KZ").unwrap();
        assert_eq!(kz.counts, [1, 0, 2]);
        assert_eq!((kz.undated, kz.total), (1, 4));
        assert_eq!(s.rows[0].label, "KZ");
        assert_eq!(s.at("TJ", 2003), 1);
    }

    #[test]
    fn one_country_by_type() {
        let s = series(&facts(), &Filter::default(), Some("UZ")).unwrap();
        assert_eq!(s.years, [2001]);
        assert_eq!(s.row("festival").unwrap().counts, [1]);
        assert_eq!(s.row("agreement").unwrap().undated, 1);
        let f = Filter { from: Some(2000), to: Some(2004), ..Filter::default() };
        let s = series(&facts(), &f, Some("TJ")).unwrap();
        assert_eq!(s.years, (2000..=2004).collect::<Vec<_>>());
        assert_eq!(s.at("agreement", 2003), 1);
        assert!(series(&facts(), &f, Some("kz")).is_err());
        assert!(series(&facts(), &f, Some("FR")).unwrap().rows.is_empty());
    }
}
