//! Completing dates that lack a year ("on 3 March", "the following day") from the
//! text before them, and recording where the year came from.
//!
//! A news item that opens with a dateline ("ASTANA, 14 May 2019 –") is anchored to
//! that date until the next dateline (a digest has one per item), as HeidelTime does
//! for news; any other text to the last date it mentioned, as for narratives.
use super::{Anchor, Candidate, Found, Timex, TimexType, Value};
use crate::doc::Doc;
use keruen_model::{Day, Edtf};

/// The year and, when known, the day of a resolved value's start.
fn start_of(value: &str) -> Option<(i32, Option<Day>)> {
    let first = value.split('/').next()?;
    if first.contains('X') || first.starts_with("..") || first.is_empty() {
        return None;
    }
    let e: Edtf = first.parse().ok()?;
    let year = e.year()?;
    let day = (first.len() == 10).then(|| e.earliest()).flatten();
    Some((year, day))
}

/// Whether candidate `c` is a dateline: a full day after a place at the start of a
/// line — a few capitalised words ("ASTANA", "Tashkent", "Nur-Sultan", "г. Астана")
/// and a comma — that ends the line or is followed by a dash or the agency's name
/// ("BISHKEK, 3 June 2024 – The festival …"), or a full day alone on its line, as a news
/// feed dates each item under its headline. A digest of news items has one per item,
/// each dating what follows it.
fn dateline(doc: &Doc, c: &Candidate) -> Option<(i32, Option<Day>, (usize, usize))> {
    let Value::Known(v) = &c.value else { return None };
    // Runs on every date: the text around it is looked at before the value is parsed.
    let line = doc.text[..c.range.start].rsplit('\n').next()?.trim();
    let rest = doc.text[c.range.end..].split('\n').next().unwrap_or("").trim_start();
    let rest = rest.strip_prefix("г.").or_else(|| rest.strip_prefix("года")).unwrap_or(rest).trim();
    if line.is_empty() {
        if !rest.is_empty() {
            return None;
        }
    } else {
        let place = line.strip_suffix(',')?.trim();
        let place = place.strip_prefix("г.").unwrap_or(place).trim_start();
        let words: Vec<&str> = place.split_whitespace().collect();
        if words.is_empty()
            || words.len() > 4
            || place.chars().filter(|c| c.is_alphabetic()).count() < 3
            || !words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
            || !(rest.is_empty() || rest.starts_with(['–', '—', '-', '(', '/', '|']))
        {
            return None;
        }
    }
    // A title that ends in a year or a span of years ("…, 1943–2023") is no dateline.
    let (y, d) = start_of(v)?;
    d?;
    Some((y, d, (doc.ch(c.range.start), doc.ch(c.range.end))))
}

/// Whether "today" at byte `at` means "nowadays" rather than the dateline's day: in a
/// relative clause ("which today unites 41 universities", "которая сегодня
/// объединяет") or opening a clause after a semicolon, it states how things are.
fn means_nowadays(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    if before.ends_with(';') {
        return true;
    }
    let word = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase();
    matches!(
        word.as_str(),
        "which"
            | "who"
            | "where"
            | "that"
            | "который"
            | "которая"
            | "которое"
            | "которые"
            | "которых"
            | "которым"
            | "где"
    )
}

/// Whether the sentence around byte `at` speaks of the future ("will close",
/// "состоится"): a weekday there is the next one, not the last.
fn future_around(doc: &Doc, at: usize) -> bool {
    let i = doc.sentences.partition_point(|s| s.range.end <= at);
    let Some(s) = doc.sentences.get(i).filter(|s| s.range.start <= at) else { return false };
    let sentence = doc.text[s.range.clone()].to_lowercase();
    let words: Vec<&str> =
        sentence.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "will"
                | "shall"
                | "won't"
                | "будет"
                | "будут"
                | "состоится"
                | "состоятся"
                | "пройдёт"
                | "пройдет"
                | "пройдут"
                | "откроется"
                | "откроются"
                | "завершится"
                | "завершатся"
                | "начнётся"
                | "начнется"
        )
    })
}

/// `YYYY-MM-DD`, or `YYYY-MM` without a day.
fn month_in(y: i32, month: u32, day: Option<u32>) -> String {
    match day {
        Some(d) => format!("{y:04}-{month:02}-{d:02}"),
        None => format!("{y:04}-{month:02}"),
    }
}

/// The last full day written, its year and where it was written.
type DayAnchor = (i32, Day, Option<(usize, usize)>);

/// The year a date may borrow, the day when known, and where it was written.
type YearAnchor = (i32, Option<Day>, Option<(usize, usize)>);

pub(crate) fn resolve(
    doc: &Doc,
    cands: Vec<Candidate>,
    document_date: Option<&Edtf>,
) -> (Vec<Timex>, Vec<Found>) {
    let from_doc =
        document_date.and_then(|d| Some((d.year()?, d.earliest().filter(|_| d.to_string().len() == 10))));
    // The last dateline: news is anchored to it, as HeidelTime does (below).
    let mut news: Option<(i32, Option<Day>, (usize, usize))> = None;
    // (year, day, where it came from)
    let mut anchor: Option<YearAnchor> = from_doc.map(|(y, d)| (y, d, None));
    // The last full day written, for "the following day" and "the same evening"; in
    // news it moves with the text even though the year stays the dateline's.
    let mut last_day: Option<DayAnchor> = anchor.and_then(|(y, d, at)| Some((y, d?, at)));
    let mut timexes = Vec::with_capacity(cands.len());
    let mut found = Vec::with_capacity(cands.len());
    for c in cands {
        let span = (doc.ch(c.range.start), doc.ch(c.range.end));
        let is_dateline = dateline(doc, &c).inspect(|&line @ (y, d, at)| {
            news = Some(line);
            anchor = Some((y, d, Some(at)));
        });
        let fixed = news.is_some();
        // The year of the dateline, else of the document's date.
        let dateline_year = news
            .map(|(year, _, at)| Anchor { year, from: Some(at) })
            .or(from_doc.map(|(year, _)| Anchor { year, from: None }));
        let mut used: Option<Anchor> = None;
        let value = match &c.value {
            Value::Known(v) => Some(v.clone()),
            Value::NeedsYear { month, day } => anchor.map(|(y, _, at)| {
                used = Some(Anchor { year: y, from: at });
                month_in(y, *month, *day)
            }),
            Value::NeedsYearInterval { from, to } => anchor.map(|(y, _, at)| {
                used = Some(Anchor { year: y, from: at });
                format!("{}/{}", month_in(y, from.0, from.1), month_in(y, to.0, to.1))
            }),
            Value::NeedsYearUntil { month, day } => anchor.map(|(y, _, at)| {
                used = Some(Anchor { year: y, from: at });
                format!("../{}", month_in(y, *month, *day))
            }),
            Value::DaysAfter(n) => last_day.map(|(y, d, at)| {
                used = Some(Anchor { year: y, from: at });
                Day(d.0 + n).to_string()
            }),
            Value::FromDateline(0) if means_nowadays(doc.text, c.range.start) => None,
            Value::FromDateline(n) => news.and_then(|(y, d, at)| {
                used = Some(Anchor { year: y, from: Some(at) });
                Some(Day(d?.0 + n).to_string())
            }),
            Value::Weekday(w) => news.and_then(|(y, d, at)| {
                let d = d?;
                // The latest such weekday on or before the dateline (news reports the
                // past), or the next one after it in a sentence about the future.
                let monday = Day::from_ymd(2024, 1, 1)?; // a Monday
                let back = (d.0 - monday.0 - (*w as i32 - 1)).rem_euclid(7);
                used = Some(Anchor { year: y, from: Some(at) });
                let ahead = if future_around(doc, c.range.start) { 7 } else { 0 };
                Some(Day(d.0 - back + ahead).to_string())
            }),
            Value::YearsFromDateline(n) => dateline_year.map(|anchor @ Anchor { year, .. }| {
                used = Some(anchor);
                format!("{:04}", year + n)
            }),
            Value::MonthFromDateline { month, years } => {
                dateline_year.map(|anchor @ Anchor { year, .. }| {
                    used = Some(anchor);
                    month_in(year + years, *month, None)
                })
            }
            Value::MonthsFromDateline(n) => news.and_then(|(y, d, at)| {
                let (_, month, _) = d?.ymd();
                let index = y * 12 + month as i32 - 1 + n;
                used = Some(Anchor { year: y, from: Some(at) });
                Some(month_in(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, None))
            }),
            Value::SeasonFromDateline { season, years } => news.map(|(y, _, at)| {
                used = Some(Anchor { year: y, from: Some(at) });
                format!("{:04}-{season}", y + years)
            }),
            Value::WeeksFromDateline(n) => news.and_then(|(y, d, at)| {
                let d = d?;
                let monday = Day::from_ymd(2024, 1, 1)?; // a Monday
                let week_start = d.0 - (d.0 - monday.0).rem_euclid(7) + 7 * n;
                used = Some(Anchor { year: y, from: Some(at) });
                Some(format!("{}/{}", Day(week_start), Day(week_start + 6)))
            }),
            Value::YearsAfter(n) => anchor.map(|(y, _, at)| {
                used = Some(Anchor { year: y, from: at });
                format!("{:04}", y + n)
            }),
        };
        // Check the value is valid EDTF (a 29 February in a year without one, say).
        let value = value.filter(|v| c.kind == TimexType::Duration || v.parse::<Edtf>().is_ok());
        if let Some(v) = &value
            && c.kind != TimexType::Duration
            && let Some((y, d)) = start_of(v)
        {
            if !fixed {
                anchor = Some((y, d, Some(span)));
            }
            if let Some(d) = d {
                last_day = Some((y, d, Some(span)));
            }
        }
        timexes.push(Timex {
            start: span.0,
            end: span.1,
            text: doc.text[c.range.clone()].to_string(),
            kind: c.kind,
            value: value.clone(),
            anchor: used,
        });
        found.push(Found { range: c.range, kind: c.kind, value, dateline: is_dateline.is_some() });
    }
    (timexes, found)
}
