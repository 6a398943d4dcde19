//! Clauses of a sentence, two ways.
//!
//! - Negation is scoped: a contrast or a semicolon divides a sentence into parts that
//!   are cancelled or hypothetical on their own ("the troupe performed in Frunze,
//!   but the tour to Tashkent was cancelled" keeps the first part). A cancelled part
//!   that follows a planned one cancels it too ("was planned for 2014, but never
//!   took place").
//! - Dated occurrences divide a sentence: between two dates, at the strongest
//!   separator (a semicolon, a colon, a comma, a spaced dash, a conjunction), each
//!   part is a clause of its own ("with Uzbekistan in 1994, with Kyrgyzstan in
//!   1995 …").
use super::rules::Scan;
use std::ops::Range;

/// The parts of `r` that are cancelled or hypothetical.
pub(crate) fn negated(r: &Range<usize>, scan: &Scan) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = scan.contrast.within(r).iter().map(|m| m.start).collect();
    cuts.dedup();
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut start = r.start;
    for c in cuts {
        if c > start {
            pieces.push(start..c);
            start = c;
        }
    }
    pieces.push(start..r.end);
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut previous_planned: Option<Range<usize>> = None;
    for p in pieces {
        let negative = scan.cancelled.any(&p, &[]) || scan.hypothetical.any(&p, &[]);
        if negative {
            if let Some(prev) = previous_planned.take()
                && scan.cancelled.any(&p, &[])
            {
                out.push(prev);
            }
            out.push(p);
        } else {
            previous_planned = scan.planned.any(&p, &[]).then(|| p.clone());
        }
    }
    out
}

/// Whether byte `b` lies in one of `ranges`.
pub(crate) fn inside(ranges: &[Range<usize>], b: usize) -> bool {
    ranges.iter().any(|r| r.contains(&b))
}

/// Quotations and parentheses in `text[r]`: no clause boundary inside them.
fn protected(text: &str, r: &Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Vec<(char, usize)> = Vec::new();
    for (i, c) in text[r.clone()].char_indices() {
        let at = r.start + i;
        let closing = match c {
            '»' => Some('«'),
            ')' => Some('('),
            '”' => Some('“'),
            _ => None,
        };
        if let Some(o) = closing {
            if let Some(k) = open.iter().rposition(|(x, _)| *x == o) {
                out.push(open[k].1..at + c.len_utf8());
                open.truncate(k);
            }
        } else if c == '"' {
            match open.iter().rposition(|(x, _)| *x == '"') {
                Some(k) => {
                    out.push(open[k].1..at + 1);
                    open.truncate(k);
                }
                None => open.push(('"', at)),
            }
        } else if matches!(c, '«' | '(' | '“') {
            open.push((c, at));
        }
    }
    out
}

/// Places where a clause may start, with their strength: after `;` (4), `:` (3),
/// `,` (2) or a spaced dash (1), or at a coordinating conjunction (1, belonging to
/// the clause it opens) — except the "and" of "between A and B", "both A and B" and
/// of two names ("Astana and Karaganda").
fn separators(
    text: &str,
    r: &Range<usize>,
    keep: &[Range<usize>],
    names: &[Range<usize>],
) -> Vec<(usize, u8)> {
    let s = &text[r.clone()];
    let mut out: Vec<(usize, u8)> = Vec::new();
    let mut last = r.start;
    for (i, c) in s.char_indices() {
        let at = r.start + i;
        if inside(keep, at) {
            continue;
        }
        let after = at + c.len_utf8();
        let found = match c {
            ';' => Some((after, 4)),
            ':' => Some((after, 3)),
            ',' => Some((after, 2)),
            '–' | '—' if s[..i].ends_with(' ') && s[i + c.len_utf8()..].starts_with(' ') => {
                Some((after, 1))
            }
            ' ' => {
                let rest = &s[i + 1..];
                let word = ["и ", "а ", "and ", "but "].into_iter().find(|w| rest.starts_with(w));
                word.and_then(|w| {
                    let since = text[last..at].to_lowercase();
                    let paired = ["between ", "both ", "между ", "как "].iter().any(|p| since.contains(p));
                    let names_joined =
                        names.iter().any(|n| n.end == at) && names.iter().any(|n| n.start == after + w.len());
                    (!paired && !names_joined).then_some((after, 1))
                })
            }
            _ => None,
        };
        if let Some(f) = found {
            out.push(f);
            last = f.0;
        }
    }
    out
}

/// Divides a sentence between each two dated occurrences. The cut between two dates
/// is at the strongest separator between them — before the next trigger when one
/// stands between the dates behind a separator of its own ("…, 2016, brought together
/// 210 participants; a follow-up forum … took place in November 2018"), else after it.
/// `keep` are spans not to divide (names); quotations and parentheses are kept whole.
pub(crate) fn divide(
    text: &str,
    r: &Range<usize>,
    dates: &[Range<usize>],
    triggers: &[Range<usize>],
    names: &[Range<usize>],
) -> Vec<Range<usize>> {
    let mut keep: Vec<Range<usize>> = names.to_vec();
    keep.extend(protected(text, r));
    keep.extend(dates.iter().cloned());
    let seps = separators(text, r, &keep, names);
    let best = |a: usize, b: usize| -> Option<usize> {
        let mut pick: Option<(usize, u8)> = None;
        for &(p, w) in seps.iter().filter(|(p, _)| *p > a && *p <= b) {
            // The strongest; of equal ones the last, nearest the new date.
            if pick.is_none_or(|(_, bw)| w >= bw) {
                pick = Some((p, w));
            }
        }
        pick.map(|(p, _)| p)
    };
    let strong = |a: usize, b: usize| seps.iter().any(|&(p, w)| p > a && p <= b && w >= 3);
    let mut cuts: Vec<usize> = Vec::new();
    for w in dates.windows(2) {
        let (a, b) = (w[0].end, w[1].start);
        if b <= a {
            continue;
        }
        let start = cuts.last().copied().unwrap_or(r.start);
        let between: Vec<&Range<usize>> = triggers.iter().filter(|t| t.start >= a && t.start < b).collect();
        // A clause that has no trigger yet keeps the first one after its date, unless a
        // semicolon or a colon stands between them ("…, 1941: the Decade of …").
        let owned = triggers.iter().any(|t| t.start >= start && t.start < a);
        let next = match between.first() {
            Some(t) if !owned && !strong(a, t.start) => between.get(1).copied().map(|n| (t.end, n)),
            Some(t) => Some((a, *t)),
            None => None,
        };
        let cut = match (between.first(), next) {
            (_, Some((from, t))) => best(from, t.start).or_else(|| best(t.end, b)),
            (Some(t), None) => best(t.end, b),
            (None, None) => best(a, b),
        };
        if let Some(c) = cut
            && cuts.last().is_none_or(|l| c > *l)
        {
            cuts.push(c);
        }
    }
    let mut out = Vec::new();
    let mut start = r.start;
    for c in cuts {
        out.push(start..c);
        start = c;
    }
    out.push(start..r.end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, words: &[&str]) -> Vec<Range<usize>> {
        words.iter().map(|w| text.find(w).unwrap()..text.find(w).unwrap() + w.len()).collect()
    }

    fn parts<'a>(text: &'a str, dates: &[&str], triggers: &[&str], names: &[&str]) -> Vec<&'a str> {
        divide(text, &(0..text.len()), &spans(text, dates), &spans(text, triggers), &spans(text, names))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn each_dated_occurrence_is_a_clause() {
        let text = "The ministry signed agreements with Uzbekistan in 1994, with Kyrgyzstan in 1995 and with Tajikistan in 1996.";
        assert_eq!(
            parts(
                text,
                &["1994", "1995", "1996"],
                &["agreements"],
                &["Uzbekistan", "Kyrgyzstan", "Tajikistan"]
            ),
            vec![
                "The ministry signed agreements with Uzbekistan in 1994,",
                " with Kyrgyzstan in 1995 ",
                "and with Tajikistan in 1996."
            ]
        );
    }

    #[test]
    fn the_cut_falls_before_the_next_trigger_at_the_strongest_separator() {
        let text = "A forum held in Osh in 2016, with guests from afar; a second forum, again large, met in Tashkent in 2018.";
        assert_eq!(
            parts(text, &["2016", "2018"], &["forum", "second forum"], &["Osh", "Tashkent"]),
            vec![
                "A forum held in Osh in 2016, with guests from afar;",
                " a second forum, again large, met in Tashkent in 2018."
            ]
        );
    }

    #[test]
    fn no_cut_inside_quotes_between_pairs_or_names() {
        let text = "The forum \"Art, 2020\" met in Almaty and Astana in 2021.";
        assert_eq!(parts(text, &["2020", "2021"], &["forum"], &["Almaty", "Astana"]).len(), 1);
        let text = "An accord between Osh in 2019 and Bishkek in 2020 was signed.";
        assert_eq!(parts(text, &["2019", "2020"], &["accord"], &["Osh", "Bishkek"]).len(), 1);
    }
}
