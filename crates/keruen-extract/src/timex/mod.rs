//! Temporal expressions in English and Russian: spans in TimeML style, values in
//! EDTF. A grammar of rules ([`grammar`]) proposes candidate spans; overlapping
//! candidates are resolved longest-first; numbers that are counts, pages or case
//! numbers are refused ([`guard`]); dates without a year take it from the text before
//! them or from the document's date ([`anchor`]).
mod anchor;
mod grammar;
mod guard;

use crate::doc::Doc;
use crate::lexicon::Lexicon;
use serde::Serialize;
use std::ops::Range;

pub(crate) use grammar::Grammar;

/// What kind of temporal expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimexType {
    /// A point or period named as one: a day, month, year, season, decade, century.
    Date,
    /// From one date to another, or open at one end.
    Interval,
    /// A length of time: 25 years.
    Duration,
}

/// Where an anchored date took its missing year from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// The year supplied.
    pub year: i32,
    /// The character span of the expression that supplied it, or `None` when it came
    /// from the document's date.
    pub from: Option<(usize, usize)>,
}

/// A temporal expression found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timex {
    /// Start, in characters.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// Date, interval or duration.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// The EDTF value (ISO 8601 duration for durations); `None` when the expression
    /// cannot be resolved to a value.
    pub value: Option<String>,
    /// For a date completed from context: where its year came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
}

/// A candidate found by the grammar, in bytes, before anchoring.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub range: Range<usize>,
    pub kind: TimexType,
    pub value: Value,
    /// Higher wins among candidates of equal length.
    pub priority: u8,
}

/// A value, possibly still missing its year.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A complete value.
    Known(String),
    /// Month and day without a year ("on 3 March"): anchored later.
    NeedsYear { month: u32, day: Option<u32> },
    /// An interval of days or months within a year not given.
    NeedsYearInterval { from: (u32, Option<u32>), to: (u32, Option<u32>) },
    /// Up to a day or month of a year not given ("until 10 April", "до 10 апреля").
    NeedsYearUntil { month: u32, day: Option<u32> },
    /// Relative to the last full date: days after it (the following day = 1).
    DaysAfter(i32),
    /// Relative to the anchor year: years after it (the following year = 1).
    YearsAfter(i32),
    /// A day of the week (1 Monday … 7 Sunday): dated only under a dateline.
    Weekday(u32),
    /// Days after the dateline (today = 0, yesterday = -1): dated only under one.
    FromDateline(i32),
    /// Years after the dateline's (this year = 0, last year = -1, two years ago = -2):
    /// dated only under one, or by the document's date.
    YearsFromDateline(i32),
    /// A month of the dateline's year or one near it ("in May this year", "в мае
    /// прошлого года"): dated only under a dateline, or by the document's date.
    MonthFromDateline { month: u32, years: i32 },
    /// Months after the dateline's month (next month = 1, "в прошлом месяце" = -1).
    MonthsFromDateline(i32),
    /// A season of the dateline's year or one near it ("next spring", "this winter").
    SeasonFromDateline { season: u32, years: i32 },
    /// The calendar week (Monday to Sunday) a number of weeks from the dateline's
    /// ("last week" = -1).
    WeeksFromDateline(i32),
}

/// A found expression in bytes, for the other extractors (events take their date from
/// these).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub range: Range<usize>,
    pub kind: TimexType,
    pub value: Option<String>,
    /// Whether it is a news item's dateline.
    pub dateline: bool,
}

/// Finds every temporal expression outside `skip` (citations, the bibliography).
pub(crate) fn find(
    doc: &Doc,
    grammar: &Grammar,
    lex: &Lexicon,
    document_date: Option<&keruen_model::Edtf>,
    skip: &dyn Fn(usize) -> bool,
) -> (Vec<Timex>, Vec<Found>) {
    let text = doc.text;
    let mut candidates: Vec<Candidate> = Vec::new();
    let end = doc.bibliography.unwrap_or(text.len());
    for p in &doc.paragraphs {
        if p.range.start >= end {
            break;
        }
        let r = p.range.start..p.range.end.min(end);
        grammar.scan(text, r, &mut candidates);
    }
    candidates.retain(|c| !skip(c.range.start) && guard::plausible(text, c, lex));
    let chosen = resolve_overlaps(candidates);
    anchor::resolve(doc, chosen, document_date)
}

/// Keeps the longest of overlapping candidates (ties: higher priority, then earlier).
fn resolve_overlaps(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        b.range
            .len()
            .cmp(&a.range.len())
            .then(b.priority.cmp(&a.priority))
            .then(a.range.start.cmp(&b.range.start))
    });
    // Chosen spans are disjoint: only the one that starts last before a candidate's
    // end can overlap it.
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in cands {
        let clash = taken.range(..c.range.end).next_back().is_some_and(|(_, &end)| end > c.range.start);
        if !clash {
            taken.insert(c.range.start, c.range.end);
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.range.start);
    chosen
}

#[cfg(test)]
mod tests;
