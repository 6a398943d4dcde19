//! The event rules of one language, compiled from `data/triggers.tsv` and
//! `data/event_markers.tsv`, and the scan that runs each of them once over the whole
//! text (a pass per rule over the document, instead of one per sentence).
use crate::words::{Prefilter, WordRegex};
use keruen_model::EventType;
use std::ops::Range;

/// A trigger word or phrase of an event type.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    pub range: Range<usize>,
    pub event_type: EventType,
    /// Counts only after an event of this type (a sequel: "subsequent meetings").
    pub after: Option<EventType>,
}

/// Non-overlapping matches in text order, with range queries.
#[derive(Debug, Default)]
pub(crate) struct Spans(Vec<Range<usize>>);

impl Spans {
    /// The matches that lie inside `r`.
    pub(crate) fn within(&self, r: &Range<usize>) -> &[Range<usize>] {
        let a = self.0.partition_point(|m| m.start < r.start);
        let b = a + self.0[a..].partition_point(|m| m.end <= r.end);
        &self.0[a..b]
    }

    /// Whether a match starts inside `r`.
    pub(crate) fn starts_in(&self, r: &Range<usize>) -> bool {
        let a = self.0.partition_point(|m| m.start < r.start);
        self.0.get(a).is_some_and(|m| m.start < r.end)
    }

    /// Whether a match lies inside `r` (and, when given, outside every `except`).
    pub(crate) fn any(&self, r: &Range<usize>, except: &[Range<usize>]) -> bool {
        self.within(r).iter().any(|m| !except.iter().any(|x| x.start <= m.start && m.end <= x.end))
    }
}

/// The compiled event rules of one language.
pub(crate) struct Rules {
    triggers: Vec<(EventType, Option<EventType>, WordRegex)>,
    pub russian: bool,
    occurred: WordRegex,
    planned: WordRegex,
    cancelled: WordRegex,
    hypothetical: WordRegex,
    generic: WordRegex,
    collective: WordRegex,
    pair: WordRegex,
    participation: WordRegex,
    /// Words right before a trigger that make it a mention of a known event.
    reference: WordRegex,
    /// Words right before a trigger that make it one of a series.
    sequel: WordRegex,
    /// Words right before a date that make it a plan's or a postponement's, or a
    /// person's birth or death.
    unrealised: WordRegex,
    /// Words right before a span of years that make it a term.
    term: WordRegex,
    first_person: WordRegex,
    /// Where a sentence divides into clauses that can be negated on their own.
    contrast: WordRegex,
    org_noun: WordRegex,
    quoted: WordRegex,
    /// The first words of every trigger and marker above, to pick those worth
    /// running on a paragraph.
    prefilter: Prefilter,
}

/// Where the matches of one scanned rule go.
#[derive(Clone, Copy)]
enum Slot {
    Trigger(usize),
    Marker(usize),
}

/// The markers a [`Scan`] keeps, in the order of its fields.
const MARKERS: usize = 12;

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

impl Rules {
    pub(crate) fn new(lang: &str) -> Rules {
        let mut triggers: Vec<(EventType, Option<EventType>, Vec<String>)> = Vec::new();
        let parse = |s: &str| -> EventType { s.parse().unwrap_or_else(|e| panic!("data/triggers.tsv: {e}")) };
        for f in rows(include_str!("../../data/triggers.tsv")) {
            if f[1] != lang {
                continue;
            }
            let (t, after) = (parse(f[0]), f.get(3).map(|a| parse(a)));
            match triggers.iter_mut().find(|(x, a, _)| *x == t && *a == after) {
                Some((_, _, v)) => v.push(f[2].to_string()),
                None => triggers.push((t, after, vec![f[2].to_string()])),
            }
        }
        let marker = |kind: &str| -> WordRegex {
            let alts: Vec<String> = rows(include_str!("../../data/event_markers.tsv"))
                .filter(|f| f[0] == kind && f[1] == lang)
                .map(|f| format!("(?:{})", f[2]))
                .collect();
            assert!(!alts.is_empty(), "data/event_markers.tsv has no {kind} row for {lang}");
            WordRegex::new(&format!("(?i){}", alts.join("|")))
                .unwrap_or_else(|e| panic!("data/event_markers.tsv {kind}: {e}"))
        };
        // Markers of the words right before a trigger or a date: anchored at the end.
        let before = |kind: &str| {
            WordRegex::new(&format!("(?:{})$", marker(kind).as_str()))
                .unwrap_or_else(|e| panic!("{kind}: {e}"))
        };
        let mut rules = Rules {
            triggers: triggers
                .into_iter()
                .map(|(t, after, p)| {
                    let re = format!(r"(?i)\b(?:{})\b", p.join("|"));
                    (t, after, WordRegex::new(&re).unwrap_or_else(|e| panic!("trigger {t}: {e}")))
                })
                .collect(),
            russian: lang == "ru",
            occurred: marker("occurred"),
            planned: marker("planned"),
            cancelled: marker("cancelled"),
            hypothetical: marker("hypothetical"),
            generic: marker("generic"),
            collective: marker("collective"),
            pair: marker("pair"),
            participation: marker("participation"),
            reference: before("reference"),
            sequel: before("sequel"),
            unrealised: before("unrealised"),
            term: before("term"),
            first_person: marker("first_person"),
            contrast: marker("contrast"),
            org_noun: marker("org_noun"),
            quoted: WordRegex::new(r#"«[^»]{3,200}»|"[^"]{3,200}"|“[^”]{3,200}”"#).expect("quote regex"),
            prefilter: Prefilter::new(std::iter::empty()),
        };
        let patterns: Vec<String> = rules.scanned().iter().map(|(_, re)| re.as_str().to_string()).collect();
        rules.prefilter = Prefilter::new(patterns.iter().map(String::as_str));
        rules
    }

    /// The rules a scan runs, with where their matches go.
    fn scanned(&self) -> Vec<(Slot, &WordRegex)> {
        let mut v: Vec<(Slot, &WordRegex)> =
            self.triggers.iter().enumerate().map(|(i, (_, _, re))| (Slot::Trigger(i), re)).collect();
        let markers = [
            &self.occurred,
            &self.planned,
            &self.cancelled,
            &self.hypothetical,
            &self.generic,
            &self.collective,
            &self.pair,
            &self.participation,
            &self.first_person,
            &self.contrast,
            &self.org_noun,
            &self.quoted,
        ];
        v.extend(markers.into_iter().enumerate().map(|(i, re)| (Slot::Marker(i), re)));
        v
    }

    /// Runs the rules over each paragraph: a pass of the set tells which can match,
    /// and only those run.
    pub(crate) fn scan(&self, text: &str, paragraphs: &[Range<usize>]) -> Scan {
        let scanned = self.scanned();
        let mut triggers: Vec<Trigger> = Vec::new();
        let mut markers: Vec<Vec<Range<usize>>> = vec![Vec::new(); MARKERS];
        for p in paragraphs {
            // Where each rule's first words occur: a rule runs only there, anchored
            // (or over the whole paragraph when it has no such words, or when the
            // offsets of the lower-cased paragraph are not those of the text).
            let starts = self.prefilter.starts(&text[p.clone()]);
            for (i, &(slot, re)) in scanned.iter().enumerate() {
                let found: Vec<Range<usize>> = match starts.as_ref().map(|s| &s[i]) {
                    Some(Some(at)) if at.is_empty() => continue,
                    Some(Some(at)) => re.find_at_starts(text, p.clone(), at),
                    _ => re.find_in(text, p.clone()).map(|m| m.range()).collect(),
                };
                let found = found.into_iter();
                match slot {
                    Slot::Trigger(k) => {
                        let (t, after, _) = &self.triggers[k];
                        triggers.extend(found.map(|range| Trigger { range, event_type: *t, after: *after }));
                    }
                    Slot::Marker(k) => markers[k].extend(found),
                }
            }
        }
        triggers.sort_by_key(|t| (t.range.start, t.range.end));
        let mut m = markers.into_iter().map(Spans);
        let mut next = || m.next().expect("one list per marker");
        Scan {
            triggers,
            occurred: next(),
            planned: next(),
            cancelled: next(),
            hypothetical: next(),
            generic: next(),
            collective: next(),
            pair: next(),
            participation: next(),
            first_person: next(),
            contrast: next(),
            org_noun: next(),
            quoted: next(),
        }
    }

    /// Whether the words right before byte `at` make the trigger there a mention of
    /// an event already known ("such festivals", "директор фестиваля", "on the
    /// sidelines of the meeting").
    pub(crate) fn refers_back(&self, text: &str, at: usize) -> bool {
        self.reference.is_match(window(text, at))
    }

    /// Whether the trigger at `at` is one of a series ("the next meeting").
    pub(crate) fn sequel(&self, text: &str, at: usize) -> bool {
        self.sequel.is_match(window(text, at))
    }

    /// Whether the date at `at` is not an event's own: a plan's or a postponement's
    /// ("postponed in October 1941") or, for a span of years, a term ("for 2023–2027").
    pub(crate) fn not_a_date(&self, text: &str, at: usize, span_of_years: bool) -> bool {
        let w = window(text, at);
        self.unrealised.is_match(w) || (span_of_years && self.term.is_match(w))
    }
}

/// Up to 96 bytes of text before byte `at` (about 48 Cyrillic letters).
fn window(text: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(96);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

/// Every rule's matches in one document.
pub(crate) struct Scan {
    pub triggers: Vec<Trigger>,
    pub occurred: Spans,
    pub planned: Spans,
    pub cancelled: Spans,
    pub hypothetical: Spans,
    pub generic: Spans,
    pub collective: Spans,
    pub pair: Spans,
    pub participation: Spans,
    pub first_person: Spans,
    pub contrast: Spans,
    pub org_noun: Spans,
    pub quoted: Spans,
}

impl Scan {
    /// The triggers inside `r` (triggers of different types may overlap, so their
    /// ends are not in order: filter rather than bisect).
    pub(crate) fn triggers_in<'a>(&'a self, r: &'a Range<usize>) -> impl Iterator<Item = &'a Trigger> + 'a {
        let a = self.triggers.partition_point(|t| t.range.start < r.start);
        self.triggers[a..].iter().take_while(|t| t.range.start < r.end).filter(|t| t.range.end <= r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_answer_range_queries() {
        let s = Spans(vec![0..3, 5..8, 10..12]);
        assert_eq!(s.within(&(4..12)), &[5..8, 10..12]);
        assert_eq!(s.within(&(6..12)).len(), 1);
        assert!(s.any(&(0..20), &[]));
        assert!(!s.any(&(0..20), std::slice::from_ref(&(0..20))));
        assert!(!s.any(&(3..5), &[]));
    }
}
