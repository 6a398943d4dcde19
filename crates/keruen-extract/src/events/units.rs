//! The events of one sentence before their states and dates are settled: one per
//! type in each clause, one per item when a clause lists single occurrences, and one
//! per elliptical clause that continues the event before it ("…, in Cholpon-Ata on 21
//! July 2022", "с Кыргызстаном в 1995 г.").
use super::rules::Trigger;
use super::triggers;
use crate::entities::Named;
use crate::timex::Found;
use keruen_model::EventType;
use std::ops::Range;

/// One event of a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub event_type: EventType,
    /// The evidence: the clause, or one item of a list in it.
    pub span: Range<usize>,
    /// The clause it belongs to.
    pub clause: Range<usize>,
    /// Where its trigger (or, for a continuation, its date) is.
    pub at: usize,
    /// One item of a list: its own states and dates come first.
    pub item: bool,
    /// A clause with a date and no trigger that continues the event before it.
    pub continuation: bool,
    /// Whether the clause follows a first clause without a trigger (a lead such as
    /// "Moscow hosted four festivals: …").
    pub after_lead: bool,
    /// Its trigger marks it as one of a series ("the next meeting").
    pub sequel: bool,
}

pub(crate) fn trim_span(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let junk = |c: char| c.is_whitespace() || ",;:—–-".contains(c);
    let lead = s.len() - s.trim_start_matches(junk).len();
    let trail = s.len() - s.trim_end_matches(junk).len();
    (r.start + lead)..(r.end - trail).max(r.start + lead)
}

/// Words that open an elliptical clause: a preposition, a conjunction, a possessive,
/// an ordinal ("in Cholpon-Ata on …", "с Кыргызстаном в 1995 г.", "второй – в 2018-м").
const ELLIPSIS_OPENERS: &[&str] = &[
    "in",
    "on",
    "at",
    "with",
    "and",
    "its",
    "their",
    "then",
    "from",
    "to",
    "during",
    "by",
    "second",
    "third",
    "fourth",
    "fifth",
    "в",
    "во",
    "на",
    "с",
    "со",
    "а",
    "и",
    "к",
    "из",
    "по",
    "затем",
    "потом",
    "второй",
    "вторая",
    "второе",
    "третий",
    "третья",
    "третье",
    "четвёртый",
    "четвертый",
    "пятый",
];

/// Whether a clause opens with a preposition (or a conjunction and a preposition):
/// "with Kyrgyzstan in 1995", "and in Astana on 9 August", "с Кыргызстаном в 1995 г.".
pub(crate) fn opens_with_preposition(text: &str, clause: &Range<usize>) -> bool {
    const PREPOSITIONS: &[&str] =
        &["in", "on", "at", "with", "from", "to", "в", "во", "на", "с", "со", "к", "из", "по"];
    let words: Vec<String> = text[clause.clone()]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .take(2)
        .collect();
    match words.as_slice() {
        [a, b, ..] if matches!(a.as_str(), "and" | "и" | "а") => PREPOSITIONS.contains(&b.as_str()),
        [a, ..] => PREPOSITIONS.contains(&a.as_str()),
        [] => false,
    }
}

/// Pronouns, which are no content of their own ("and Germany received them in Berlin").
const PRONOUNS: &[&str] =
    &["them", "they", "these", "those", "him", "her", "его", "её", "их", "они", "ему", "ним", "неё"];

/// Whether a clause with a date and no trigger is elliptical — it repeats the event
/// before it at another date — rather than a clause of its own ("…, the two
/// ministries announced today") or a modifier ("…, signed in Ashgabat on 14 April").
/// It opens with a preposition, a conjunction or an ordinal, and up to its date has
/// at most one content word besides names.
fn elliptical(text: &str, part: &Range<usize>, dates: &[Found], names: &[Range<usize>]) -> bool {
    let s = &text[part.clone()];
    let first = s
        .split_whitespace()
        .find(|w| w.chars().any(char::is_alphanumeric))
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if !ELLIPSIS_OPENERS.contains(&first.as_str()) {
        return false;
    }
    let Some(date) = dates.iter().find(|d| d.range.start >= part.start && d.range.end <= part.end) else {
        return false;
    };
    let core_end =
        text[date.range.end..part.end].find([',', ';']).map(|i| date.range.end + i).unwrap_or(part.end);
    let mut content = 0;
    let mut at = part.start;
    for w in text[part.start..core_end].split_inclusive(char::is_whitespace) {
        let here = at;
        at += w.len();
        let in_name =
            names.iter().any(|n| n.contains(&here)) || dates.iter().any(|d| d.range.contains(&here));
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let word = w.trim().trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if !in_name
            && letters >= 4
            && !ELLIPSIS_OPENERS.contains(&word.as_str())
            && !PRONOUNS.contains(&word.as_str())
        {
            content += 1;
        }
    }
    content <= 1
}

/// The units of one clause: one per type, or one per item when the clause lists
/// several single occurrences of a type ("the 100th anniversary of M. Auezov, the
/// 150th anniversary of Abai, …", "the Year of Uzbekistan (2018) is followed by the
/// Year of Kazakhstan (2019)").
fn clause_units(
    text: &str,
    clause: &Range<usize>,
    found: &[&Trigger],
    named: &[Named],
    dates: &[Found],
    russian: bool,
    after_lead: bool,
) -> Vec<Unit> {
    let mut by_type: Vec<(EventType, Vec<&Trigger>)> = Vec::new();
    for t in found {
        match by_type.iter_mut().find(|(x, _)| *x == t.event_type) {
            Some((_, v)) => v.push(t),
            None => by_type.push((t.event_type, vec![t])),
        }
    }
    let mut units = Vec::new();
    let unit = |event_type, span, at, item| Unit {
        event_type,
        span,
        clause: clause.clone(),
        at,
        item,
        continuation: false,
        after_lead,
        sequel: false,
    };
    let dated = |a: usize, b: usize| dates.iter().any(|d| d.range.start >= a && d.range.end <= b);
    for (t, mut trig) in by_type {
        // A list after a colon spells out what comes before it ("theatres exchange
        // tours: X performs in Tashkent, and Y brings an opera to Ashgabat"; "Days of
        // Culture: concerts, an exhibition, film screenings"): each item is an event,
        // and a plural of the same type before the colon is the list's heading.
        let colon = text[clause.clone()].find(':').map(|i| clause.start + i);
        let listed_after = |x: &Trigger| colon.is_some_and(|c| x.range.start > c);
        let spelled_out = trig.iter().filter(|x| listed_after(x)).count() >= 2;
        if spelled_out {
            trig.retain(|x| listed_after(x) || triggers::singular(text, x, named, russian));
        }
        let singles: Vec<&Trigger> = trig
            .iter()
            .copied()
            .filter(|x| (spelled_out && listed_after(x)) || triggers::singular(text, x, named, russian))
            .collect();
        // Items are apart: a separator between them, and more than a conjunction
        // ("the Treaty and Charter" is one document).
        let separated = singles.windows(2).all(|w| {
            let between = &text[w[0].range.end..w[1].range.start];
            let words = between.trim_matches(|c: char| c.is_whitespace() || ",;".contains(c));
            (between.contains(',')
                || between.contains(';')
                || between.contains(" and ")
                || between.contains(" и "))
                && !matches!(words, "and" | "и" | "")
        });
        let own_dates = singles.windows(2).all(|w| dated(w[0].range.end, w[1].range.start))
            && singles.last().is_some_and(|l| dated(l.range.end, clause.end));
        if singles.len() < 2 || !(separated || own_dates) {
            units.push(unit(t, clause.clone(), trig[0].range.start, false));
            continue;
        }
        let all: Vec<&Trigger> = if trig.len() > singles.len() { trig.clone() } else { singles };
        for (i, x) in all.iter().enumerate() {
            let start = if i == 0 {
                clause.start
            } else {
                let between = &text[all[i - 1].range.end..x.range.start];
                all[i - 1].range.end + between.rfind([',', ';']).map(|j| j + 1).unwrap_or(0)
            };
            let end = match all.get(i + 1) {
                Some(n) => {
                    let between = &text[x.range.end..n.range.start];
                    match between.rfind([',', ';']) {
                        Some(j) => x.range.end + j,
                        None => n.range.start,
                    }
                }
                None => clause.end,
            };
            units.push(unit(t, trim_span(text, start..end), x.range.start, true));
        }
    }
    units
}

/// The units of a sentence divided into `parts`; `live` tells the dates that are
/// not in a negated part.
pub(crate) fn of_sentence(
    text: &str,
    parts: &[Range<usize>],
    found: &[Trigger],
    named: &[Named],
    dates: &[Found],
    names: &[Range<usize>],
    russian: bool,
) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut lead_clause = false;
    for (k, part) in parts.iter().enumerate() {
        let here: Vec<&Trigger> = found.iter().filter(|t| part.contains(&t.range.start)).collect();
        if !here.is_empty() {
            units.extend(clause_units(text, part, &here, named, dates, russian, lead_clause && k > 0));
            continue;
        }
        if k == 0 {
            lead_clause = true;
            continue;
        }
        let Some(prev) = units.last().cloned() else { continue };
        let prev_dated =
            dates.iter().any(|d| d.range.start >= prev.clause.start && d.range.end <= prev.clause.end);
        if prev_dated && elliptical(text, part, dates, names) {
            let at = dates
                .iter()
                .find(|d| d.range.start >= part.start)
                .map(|d| d.range.start)
                .unwrap_or(part.start);
            units.push(Unit {
                event_type: prev.event_type,
                span: trim_span(text, part.clone()),
                clause: part.clone(),
                at,
                item: false,
                continuation: true,
                after_lead: prev.after_lead,
                sequel: prev.sequel,
            });
        } else {
            // The date belongs to the clause before ("…, held in Astana from 14 to 18
            // May", "…, signed in Ashgabat on 14 April 2009").
            for u in units.iter_mut().filter(|u| u.clause == prev.clause) {
                if u.span == u.clause {
                    u.span.end = part.end;
                }
                u.clause.end = part.end;
            }
        }
    }
    units
}
