//! Cooperation events: trigger words of the thirteen types (`data/triggers.tsv`),
//! qualified by markers of occurrence, plan, cancellation and hypothesis
//! (`data/event_markers.tsv`); participants from the states named, implied by a
//! demonym, a city or an organisation in the clause, or by a collective ("the five
//! countries of the region"), else from the states the passage is about; the date
//! from the clause, else the sentence, else the event it continues.
use crate::doc::Doc;
use crate::entities::Named;
use crate::timex::{Found, TimexType};
use keruen_model::{CENTRAL_ASIA, EntityKind, EventStatus, EventType};
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeSet;
use std::ops::Range;

/// The span of text that states an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Start, in characters.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// The text.
    pub text: String,
}

/// A candidate event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundEvent {
    /// One of the thirteen types.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// EDTF, when the text dates it.
    pub date: Option<String>,
    /// ISO codes of the states taking part, sorted.
    pub countries: Vec<String>,
    /// Names of the places where it happened.
    pub places: Vec<String>,
    /// The clause or sentence that states it.
    pub evidence: Evidence,
    /// Held or planned (cancelled ones are kept out of the JSON output).
    pub status: EventStatus,
    /// How sure the extractor is, 0–1.
    pub confidence: f32,
    /// Gazetteer ids of the places.
    #[serde(skip)]
    pub place_ids: Vec<String>,
    /// States named as hosts ("… in Kazakhstan").
    #[serde(skip)]
    pub hosts: Vec<String>,
    /// States named as guests ("Days of Culture of Turkmenistan …").
    #[serde(skip)]
    pub guests: Vec<String>,
}

/// The compiled event rules of one language.
pub(crate) struct Rules {
    triggers: Vec<(EventType, Regex)>,
    occurred: Regex,
    planned: Regex,
    cancelled: Regex,
    hypothetical: Regex,
    generic: Regex,
    collective: Regex,
    org_noun: Regex,
    quoted: Regex,
}

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

impl Rules {
    pub(crate) fn new(lang: &str) -> Rules {
        let mut triggers: Vec<(EventType, String)> = Vec::new();
        for f in rows(include_str!("../data/triggers.tsv")) {
            if f[1] != lang {
                continue;
            }
            let t: EventType = f[0].parse().unwrap_or_else(|e| panic!("data/triggers.tsv: {e}"));
            triggers.push((t, f[2].to_string()));
        }
        let marker = |kind: &str| -> Regex {
            let alts: Vec<String> = rows(include_str!("../data/event_markers.tsv"))
                .filter(|f| f[0] == kind && f[1] == lang)
                .map(|f| format!("(?:{})", f[2]))
                .collect();
            Regex::new(&format!("(?i){}", alts.join("|")))
                .unwrap_or_else(|e| panic!("data/event_markers.tsv {kind}: {e}"))
        };
        let collective = if lang == "ru" {
            r"(?i)пят\w*\s+(?:\w+\s+){0,2}(?:государств|стран|республик)\w*|(?:государств|стран|республик)\w*\s+(?:Центральной\s+Азии|региона)|центральноазиатск\w+\s+(?:государств|стран|республик)\w*"
        } else {
            r"(?i)\b(?:the\s+)?(?:all\s+)?five\s+(?:\w+\s+){0,2}(?:countries|states|republics|nations)\b|\bCentral\s+Asian\s+(?:countries|states|republics|nations)\b|\b(?:countries|states|republics|nations)\s+of\s+(?:the\s+)?(?:Central\s+Asia|region)\b|\bregional\s+states\b|\bof\s+the\s+region\b"
        };
        let org_noun = if lang == "ru" {
            r"(?i)институт|центр|университет|ассоциац|школ|филиал|музе|фонд|академи|театр|совет|организац|кафедр|лаборатор|союз|ассамбле|общество|библиотек|консерватор|колледж|лице"
        } else {
            r"(?i)institut|cent(?:re|er)|universit|association|school|branch|museum|fund|foundation|academ|theat|council|organi[sz]ation|assembl|committee|chair|department|laborator|union|society|library|conservator|college|lyceum|partnership|network|secretariat|office"
        };
        Rules {
            triggers: triggers
                .into_iter()
                .map(|(t, p)| {
                    (t, Regex::new(&format!(r"(?i)\b(?:{p})")).unwrap_or_else(|e| panic!("trigger {t}: {e}")))
                })
                .collect(),
            occurred: marker("occurred"),
            planned: marker("planned"),
            cancelled: marker("cancelled"),
            hypothetical: marker("hypothetical"),
            generic: marker("generic"),
            collective: Regex::new(collective).expect("collective regex"),
            org_noun: Regex::new(org_noun).expect("org noun regex"),
            quoted: Regex::new(r#"«[^»]{3,200}»|"[^"]{3,200}"|“[^”]{3,200}”"#).expect("quote regex"),
        }
    }
}

/// A trigger found in a sentence.
#[derive(Debug, Clone)]
struct Trigger {
    range: Range<usize>,
    event_type: EventType,
}

/// Context carried from sentence to sentence.
#[derive(Default)]
struct Context {
    /// States of the last sentence in the section that named two or more.
    topic: Vec<String>,
    section: usize,
    paragraph: usize,
}

fn lower_contains_any(text: &str, words: &[&str]) -> bool {
    let t = text.to_lowercase();
    words.iter().any(|w| t.contains(w))
}

/// Triggers in a sentence, with the suppressions that keep one phrase from meaning
/// two events ("the 20th anniversary of the establishment of diplomatic relations" is
/// a commemoration, not a new relation nor a founding).
fn triggers(rules: &Rules, s: &str, offset: usize) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = Vec::new();
    for (t, re) in &rules.triggers {
        for m in re.find_iter(s) {
            out.push(Trigger { range: (offset + m.start())..(offset + m.end()), event_type: *t });
        }
    }
    out.sort_by_key(|t| t.range.start);
    let anniversaries: Vec<Range<usize>> =
        out.iter().filter(|t| t.event_type == EventType::Commemoration).map(|t| t.range.clone()).collect();
    out.retain(|t| match t.event_type {
        // Inside "anniversary of …": what is commemorated is not a new event.
        EventType::DiplomaticRelations | EventType::Founding | EventType::Agreement => {
            !anniversaries.iter().any(|a| a.end <= t.range.start && t.range.start - a.end < 80)
        }
        _ => true,
    });
    // "establishment of diplomatic relations" is the relations, not a founding;
    // "establishment of cooperation" is no event at all.
    out.retain(|t| {
        if t.event_type != EventType::Founding {
            return true;
        }
        let after: String = s[(t.range.end - offset)..].chars().take(40).collect::<String>().to_lowercase();
        !after.trim_start().starts_with("diplomatic")
            && !after.trim_start().starts_with("дипломат")
            && !lower_contains_any(
                after.split_whitespace().next().unwrap_or(""),
                &["cooperation", "relations", "contacts", "ties", "сотрудничеств", "отношени", "связ"],
            )
    });
    out
}

/// The states a span names: countries, demonyms, cities, organisations.
fn countries_in(named: &[Named], r: &Range<usize>) -> BTreeSet<String> {
    named
        .iter()
        .filter(|n| n.range.start >= r.start && n.range.end <= r.end)
        .filter(|n| n.kind != EntityKind::Person)
        .filter_map(|n| n.country.clone())
        .collect()
}

fn places_in<'a>(named: &'a [Named], r: &Range<usize>) -> Vec<&'a Named> {
    let mut out: Vec<&Named> = Vec::new();
    for n in named.iter().filter(|n| n.range.start >= r.start && n.range.end <= r.end) {
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

/// A date for the event: the dated expression nearest the trigger in the span.
fn date_near(timexes: &[Found], span: &Range<usize>, at: usize) -> Option<String> {
    timexes
        .iter()
        .filter(|t| t.range.start >= span.start && t.range.end <= span.end)
        .filter(|t| t.kind != TimexType::Duration)
        .filter_map(|t| t.value.as_ref().map(|v| (t, v)))
        .min_by_key(
            |(t, _)| if t.range.end <= at { at - t.range.end } else { t.range.start.saturating_sub(at) },
        )
        .map(|(_, v)| v.clone())
}

/// Dates of day or month precision in the span, for sentences that list several
/// dated occurrences of one kind ("on October 5, 1992 with Turkmenistan, on
/// October 15, 1992, with Kyrgyzstan, …").
fn point_dates<'a>(timexes: &'a [Found], span: &Range<usize>) -> Vec<&'a Found> {
    timexes
        .iter()
        .filter(|t| t.range.start >= span.start && t.range.end <= span.end)
        .filter(|t| {
            t.kind == TimexType::Date && t.value.as_ref().is_some_and(|v| v.len() >= 7 && !v.contains('X'))
        })
        .collect()
}

fn trim_span(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start_matches(|c: char| c.is_whitespace() || ",;:—–-".contains(c)).len();
    let trail = s.len() - s.trim_end_matches(|c: char| c.is_whitespace() || ",;:—–-".contains(c)).len();
    (r.start + lead)..(r.end - trail).max(r.start + lead)
}

/// The state a document is about, when one dominates its mentions: "Kazakhstan and
/// Central Asia" reports Kazakhstan's relations, and a bilateral event that names only
/// the partner ("relations with Turkmenistan") involves it.
fn document_focus(named: &[Named]) -> Option<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
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

/// Types that frame others: what happens "within the framework" of Days of Culture, a
/// festival, a congress or a jubilee takes its date.
fn frames(t: EventType) -> bool {
    matches!(
        t,
        EventType::CultureDays | EventType::Festival | EventType::Conference | EventType::Commemoration
    )
}

/// Types between two parties, which need two states: when the text names only the
/// partner, the document's own state is the other.
fn bilateral(t: EventType) -> bool {
    matches!(
        t,
        EventType::DiplomaticRelations | EventType::Agreement | EventType::CultureDays | EventType::Education
    )
}

/// Whether a trigger names a single occurrence ("the solemn concert", "the 100th
/// anniversary") rather than a kind of activity ("concerts, exhibitions").
fn singular(text: &str, t: &Trigger, russian: bool) -> bool {
    if matches!(t.event_type, EventType::CultureDays | EventType::DiplomaticRelations | EventType::Summit) {
        return false;
    }
    let phrase = text[t.range.clone()].to_lowercase();
    let head = phrase.split_whitespace().next().unwrap_or("");
    if russian {
        !(head.ends_with('ы') || (head.ends_with('и') && !head.ends_with("ии")))
    } else {
        !head.ends_with('s') || head.ends_with("ss") || head.ends_with("us")
    }
}

/// "Days of Kazakhstan's culture", "Year of Uzbekistan in Kazakhstan": a period of one
/// state's culture named by the state rather than by the word culture.
fn culture_days_by_state(text: &str, r: &Range<usize>, named: &[Named], russian: bool) -> Vec<Trigger> {
    static EN: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    static RU: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = if russian {
        RU.get_or_init(|| {
            Regex::new(r"(?i)\b(?:дни|дней|дням|днях|недел[яиею]|месяц[аеу]?|год[ау]?|декад[аыуе])\s+")
                .expect("ru")
        })
    } else {
        EN.get_or_init(|| {
            Regex::new(r"(?i)\b(?:days|week|month|year|decade)\s+of\s+(?:the\s+)?").expect("en")
        })
    };
    let s = &text[r.clone()];
    let mut out = Vec::new();
    for m in re.find_iter(s) {
        let after = r.start + m.end();
        if named.iter().any(|n| n.range.start == after && (n.kind == EntityKind::Country)) {
            let end = named.iter().find(|n| n.range.start == after).map(|n| n.range.end).unwrap_or(after);
            out.push(Trigger { range: (r.start + m.start())..end, event_type: EventType::CultureDays });
        }
    }
    out
}

/// A date usable for an event: not an open end ("up to 2020" is a term, not the date)
/// and not a year used as a modifier of another noun ("the 1991 Belovezh agreement").
fn usable_date(text: &str, t: &Found) -> bool {
    let Some(v) = &t.value else { return false };
    if t.kind == TimexType::Duration || v.starts_with("..") {
        return false;
    }
    let before = text[..t.range.start].trim_end();
    let after = text[t.range.end..].trim_start();
    let attributive = v.len() == 4
        && (before.ends_with(" the") || before.ends_with(" The") || before == "the" || before == "The")
        && after.chars().next().is_some_and(|c| c.is_alphabetic());
    !attributive
}

/// Finds the events of a document.
pub(crate) fn find(
    doc: &Doc,
    rules: &Rules,
    timexes: &[Found],
    named: &[Named],
    skip: &dyn Fn(usize) -> bool,
    russian: bool,
) -> Vec<FoundEvent> {
    let text = doc.text;
    let usable: Vec<Found> = timexes.iter().filter(|t| usable_date(text, t)).cloned().collect();
    let timexes = &usable[..];
    let mut out = Vec::new();
    let mut ctx = Context::default();
    let five: Vec<String> = CENTRAL_ASIA.iter().map(|s| s.to_string()).collect();
    let focus = document_focus(named);
    // The date of a framing event in the paragraph while its chain of sentences lasts.
    let mut frame_date: Option<String> = None;
    let mut previous_had_event = false;
    for sentence in &doc.sentences {
        let r = sentence.range.clone();
        if doc.in_bibliography(r.start) {
            break;
        }
        let para = &doc.paragraphs[sentence.paragraph];
        if para.section != ctx.section {
            ctx.section = para.section;
            ctx.topic.clear();
        }
        if sentence.paragraph != ctx.paragraph {
            ctx.paragraph = sentence.paragraph;
            frame_date = None;
            previous_had_event = false;
        }
        let s = &text[r.clone()];
        let named_here = countries_in(named, &r);
        let collective = rules.collective.is_match(s);
        if para.heading {
            if named_here.len() >= 2 {
                ctx.topic = named_here.iter().cloned().collect();
            }
            continue;
        }
        let mut found = triggers(rules, s, r.start);
        for t in culture_days_by_state(text, &r, named, russian) {
            if !found.iter().any(|f| f.event_type == EventType::CultureDays) {
                found.push(t);
            }
        }
        found.retain(|t| !skip(t.range.start));
        let topic_before = ctx.topic.clone();
        if named_here.len() >= 2 {
            ctx.topic = named_here.iter().cloned().collect();
        }
        let chain = previous_had_event;
        previous_had_event = false;
        if found.is_empty() {
            frame_date = None;
            continue;
        }
        if rules.cancelled.is_match(s) || rules.hypothetical.is_match(s) {
            frame_date = None;
            continue;
        }
        let planned = rules.planned.is_match(s);
        let dated = timexes.iter().any(|t| t.range.start >= r.start && t.range.end <= r.end);
        let occurred = rules.occurred.is_match(s);
        let quoted = rules.quoted.is_match(s);
        let has_place = !places_in(named, &r).is_empty();
        let generic = rules.generic.is_match(s) && !occurred;
        if (generic || planned) && !dated {
            continue;
        }
        if !(dated || occurred || quoted || has_place || chain) {
            continue;
        }
        // Group the triggers by type, in text order.
        let mut by_type: Vec<(EventType, Vec<Trigger>)> = Vec::new();
        for t in found {
            if t.event_type == EventType::Founding && !rules.org_noun.is_match(s) {
                continue;
            }
            match by_type.iter_mut().find(|(x, _)| *x == t.event_type) {
                Some((_, v)) => v.push(t),
                None => by_type.push((t.event_type, vec![t])),
            }
        }
        by_type.sort_by_key(|(_, v)| v[0].range.start);
        let points = point_dates(timexes, &r);
        let split = by_type.len() == 1 && points.len() >= 2;
        // (type, evidence span, trigger position, whether the span is a part of the sentence)
        let mut units: Vec<(EventType, Range<usize>, usize, bool)> = Vec::new();
        if split {
            let (t, ref trig) = by_type[0];
            let at = trig[0].range.start;
            for (i, p) in points.iter().enumerate() {
                let seg_start = if i == 0 { p.range.start.min(at).max(r.start) } else { p.range.start };
                let seg_end = points.get(i + 1).map(|n| n.range.start).unwrap_or(r.end);
                // Take the preposition before the date into the clause ("on October 5").
                let pre = text[..seg_start].trim_end();
                let word =
                    pre.rsplit(|c: char| c.is_whitespace() || c == ',' || c == ':').next().unwrap_or("");
                let start = if i > 0 && word.len() <= 3 && !word.is_empty() {
                    pre.len() - word.len()
                } else {
                    seg_start
                };
                units.push((t, trim_span(text, start..seg_end), p.range.start, true));
            }
        } else {
            for (t, trig) in &by_type {
                let singles: Vec<&Trigger> = trig.iter().filter(|x| singular(text, x, russian)).collect();
                let listed = singles.len() >= 2
                    && singles.windows(2).all(|w| {
                        let between = &text[w[0].range.end..w[1].range.start];
                        between.contains(',')
                            || between.contains(';')
                            || between.contains(" and ")
                            || between.contains(" и ")
                    });
                if !listed {
                    units.push((*t, r.clone(), trig[0].range.start, false));
                    continue;
                }
                let plural_extra = trig.len() > singles.len();
                let all: Vec<&Trigger> = if plural_extra { trig.iter().collect() } else { singles.clone() };
                for (i, x) in all.iter().enumerate() {
                    let start = if i == 0 {
                        r.start
                    } else {
                        let between = &text[all[i - 1].range.end..x.range.start];
                        all[i - 1].range.end + between.rfind([',', ';']).map(|j| j + 1).unwrap_or(0)
                    };
                    let end = match all.get(i + 1) {
                        Some(n) => {
                            let between = &text[x.range.end..n.range.start];
                            x.range.end + between.rfind([',', ';']).unwrap_or(between.len())
                        }
                        None => r.end,
                    };
                    units.push((*t, trim_span(text, start..end), x.range.start, true));
                }
            }
        }
        let subject_end = units.first().map(|u| u.1.start).unwrap_or(r.start).max(r.start);
        for (event_type, span, at, part) in units {
            let mut countries: BTreeSet<String> =
                if part && !split { countries_in(named, &r) } else { countries_in(named, &span) };
            if collective {
                countries.extend(five.iter().cloned());
            }
            if split {
                // The subject of the sentence (before every segment) takes part in each.
                countries.extend(countries_in(named, &(r.start..subject_end)));
            }
            if countries.len() < 2 && !topic_before.is_empty() {
                let topic: BTreeSet<String> = topic_before.iter().cloned().collect();
                if countries.is_empty() || countries.iter().all(|c| topic.contains(c)) {
                    countries.extend(topic);
                }
            }
            if countries.len() == 1
                && bilateral(event_type)
                && let Some(f) = &focus
            {
                countries.insert(f.clone());
            }
            let own = date_near(timexes, &span, at)
                .or_else(|| if split { None } else { date_near(timexes, &r, at) });
            let date = match own {
                Some(d) => {
                    if frames(event_type) {
                        frame_date = Some(d.clone());
                    }
                    Some(d)
                }
                None if chain => frame_date.clone(),
                None => None,
            };
            let places = places_in(named, &span);
            let hosts = places.iter().filter_map(|p| p.country.clone()).collect();
            let evidence = Evidence {
                start: doc.ch(span.start),
                end: doc.ch(span.end),
                text: text[span.clone()].to_string(),
            };
            let confidence = 0.4
                + 0.2 * f32::from(u8::from(dated))
                + 0.2 * f32::from(u8::from(occurred))
                + 0.1 * f32::from(u8::from(countries.len() >= 2))
                + 0.1 * f32::from(u8::from(!places.is_empty()));
            out.push(FoundEvent {
                event_type,
                date,
                countries: countries.into_iter().collect(),
                places: places.iter().map(|p| crate::place_name(&p.key, text, &p.range)).collect(),
                place_ids: places.iter().map(|p| p.key.clone()).collect(),
                evidence,
                status: if planned { EventStatus::Planned } else { EventStatus::Held },
                confidence: confidence.min(1.0),
                hosts,
                guests: Vec::new(),
            });
            previous_had_event = true;
        }
    }
    out
}
