//! The date of an event: the dated expression nearest its trigger in its clause,
//! else in the clauses before it, else the date of the event it continues.
use crate::timex::{Found, TimexType};
use std::ops::Range;

/// A date usable for an event: not a length of time, not an open end ("up to 2020"
/// is a term, not the date), not a century, and not a year used as a modifier of
/// another noun ("the 1991 Belovezh agreement").
pub(crate) fn usable(text: &str, t: &Found) -> bool {
    let Some(v) = &t.value else { return false };
    // A century is the age of a thing, not the date of an event ("the Treaty on
    // Cooperation in the 21st Century").
    if t.kind == TimexType::Duration || v.starts_with("..") || v.contains("XX") {
        return false;
    }
    let before = text[..t.range.start].trim_end();
    let after = text[t.range.end..].trim_start();
    let attributive = v.len() == 4
        && (before.ends_with(" the") || before.ends_with(" The") || before == "the" || before == "The")
        && after.chars().next().is_some_and(|c| c.is_alphabetic());
    !attributive
}

/// The usable dates inside `span`, in text order (`dates` is in text order).
pub(crate) fn within<'a>(dates: &'a [Found], span: &Range<usize>) -> &'a [Found] {
    let a = dates.partition_point(|t| t.range.start < span.start);
    let b = a + dates[a..].partition_point(|t| t.range.end <= span.end);
    &dates[a..b]
}

/// The date nearest byte `at` in `span`.
pub(crate) fn near(dates: &[Found], span: &Range<usize>, at: usize) -> Option<String> {
    within(dates, span)
        .iter()
        .filter_map(|t| t.value.as_ref().map(|v| (t, v)))
        .min_by_key(
            |(t, _)| if t.range.end <= at { at - t.range.end } else { t.range.start.saturating_sub(at) },
        )
        .map(|(_, v)| v.clone())
}

/// The first date after byte `at` in `span`, else the nearest.
pub(crate) fn after(dates: &[Found], span: &Range<usize>, at: usize) -> Option<String> {
    within(dates, span)
        .iter()
        .find(|t| t.range.start >= at)
        .and_then(|t| t.value.clone())
        .or_else(|| near(dates, span, at))
}

/// The last date before byte `at` in `span`.
pub(crate) fn before(dates: &[Found], span: &Range<usize>, at: usize) -> Option<String> {
    within(dates, span).iter().rev().find(|t| t.range.end <= at).and_then(|t| t.value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, s: &str, v: &str) -> Found {
        let at = text.find(s).unwrap();
        Found { range: at..at + s.len(), kind: TimexType::Date, value: Some(v.into()), dateline: false }
    }

    #[test]
    fn the_nearest_date_in_the_span_wins_and_attributive_years_do_not_count() {
        let text = "In 1991 the 1991 accords were recalled; a forum met in May 1995 and in 1996.";
        let d =
            [found(text, "1991", "1991"), found(text, "May 1995", "1995-05"), found(text, "1996", "1996")];
        assert!(usable(text, &d[0]));
        let attributive =
            Found { range: 12..16, kind: TimexType::Date, value: Some("1991".into()), dateline: false };
        assert!(!usable(text, &attributive));
        let forum = text.find("forum").unwrap();
        assert_eq!(near(&d, &(0..text.len()), forum).as_deref(), Some("1995-05"));
        assert_eq!(before(&d, &(0..text.len()), forum).as_deref(), Some("1991"));
        assert_eq!(near(&d, &(forum..text.len() - 10), forum).as_deref(), Some("1995-05"));
    }
}
