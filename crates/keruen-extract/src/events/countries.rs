//! The states taking part in an event: those a span names (countries, demonyms,
//! cities, organisations), collectives ("the five countries of the region"), "both
//! countries" for the pair the text has been speaking of, and the state a document
//! is about.
use super::clauses::inside;
use super::rules::Scan;
use crate::entities::Named;
use keruen_model::{CENTRAL_ASIA, EntityKind};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// A set of ISO codes.
pub(crate) type States = BTreeSet<String>;

/// The names inside `r` (`named` is in text order).
pub(crate) fn names_in<'a>(named: &'a [Named], r: &Range<usize>) -> impl Iterator<Item = &'a Named> + 'a {
    let a = named.partition_point(|n| n.range.start < r.start);
    let end = r.end;
    named[a..].iter().take_while(move |n| n.range.start < end).filter(move |n| n.range.end <= end)
}

/// The states the names inside `r` imply, outside the `except` spans (negated parts).
pub(crate) fn named_in(named: &[Named], r: &Range<usize>, except: &[Range<usize>]) -> States {
    names_in(named, r)
        .filter(|n| n.kind != EntityKind::Person && !inside(except, n.range.start))
        .filter_map(|n| n.country.clone())
        .collect()
}

/// The places named inside `r` that belong to a state.
pub(crate) fn places_in<'a>(named: &'a [Named], r: &Range<usize>) -> Vec<&'a Named> {
    let mut out: Vec<&Named> = Vec::new();
    for n in names_in(named, r) {
        if n.kind == EntityKind::Place
            && !n.adjective
            && n.country.is_some()
            && !out.iter().any(|o| o.key == n.key)
        {
            out.push(n);
        }
    }
    out
}

/// The states of a span: its names, the five for a collective, the pair for "both
/// countries".
pub(crate) fn of_span(
    named: &[Named],
    scan: &Scan,
    r: &Range<usize>,
    except: &[Range<usize>],
    pair: &States,
) -> States {
    let mut s = named_in(named, r, except);
    if scan.collective.any(r, except) {
        s.extend(CENTRAL_ASIA.iter().map(|c| c.to_string()));
    }
    if scan.pair.any(r, except) {
        s.extend(pair.iter().cloned());
    }
    s
}

/// The state a document is about, when one dominates its mentions: "Kazakhstan and
/// Central Asia" reports Kazakhstan's relations, and a bilateral event that names only
/// the partner ("relations with Turkmenistan") involves it.
pub(crate) fn document_focus(named: &[Named]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in named.iter().filter(|n| n.kind == EntityKind::Country && !n.adjective) {
        if let Some(c) = &n.country {
            *counts.entry(c.as_str()).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    match v.as_slice() {
        [(c, n), (_, m), ..] if *n >= 5 && *n * 2 >= *m * 3 => Some(c.to_string()),
        [(c, n)] if *n >= 3 => Some(c.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(range: Range<usize>, kind: EntityKind, country: &str) -> Named {
        Named { range, kind, key: country.to_lowercase(), country: Some(country.into()), adjective: false }
    }

    #[test]
    fn names_inside_a_span_and_outside_negated_parts() {
        let named = vec![
            name(0..5, EntityKind::Country, "KZ"),
            name(10..15, EntityKind::Place, "UZ"),
            name(20..25, EntityKind::Person, "KG"),
            name(30..35, EntityKind::Country, "TJ"),
        ];
        let negated = 28..40;
        let got: Vec<String> =
            named_in(&named, &(0..40), std::slice::from_ref(&negated)).into_iter().collect();
        assert_eq!(got, vec!["KZ", "UZ"]);
        assert_eq!(places_in(&named, &(0..40)).len(), 1);
    }
}
