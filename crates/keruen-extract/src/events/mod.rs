//! Cooperation events: trigger words of the thirteen types (`data/triggers.tsv`),
//! qualified by markers of occurrence, plan, cancellation and hypothesis
//! (`data/event_markers.tsv`), each scoped to its clause ([`clauses`]); a sentence
//! that lists dated occurrences gives one event per clause, and a clause with a date
//! but no trigger continues the event before it ("with Kyrgyzstan in 1995"). The
//! states taking part come from the names in the clause ([`countries`]), from a
//! sentence that names the participants next, from the topic of the passage and from
//! the state the document is about; the date from the clause, else the clauses
//! before it, else the event it continues ([`dates`]).
mod clauses;
mod countries;
mod dates;
mod rules;
mod triggers;
mod units;

pub(crate) use rules::Rules;

use crate::doc::Doc;
use crate::entities::Named;
use crate::timex::Found;
use countries::States;
use keruen_model::{EntityKind, EventStatus, EventType};
use serde::Serialize;
use std::collections::HashMap;
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

/// Context carried from sentence to sentence.
#[derive(Default)]
struct Context {
    /// States of the last sentence in the section that named two or more.
    topic: States,
    /// The last two states a sentence named or an event was between ("both countries").
    pair: States,
    section: usize,
    paragraph: usize,
    /// The date of a framing event in the paragraph while its chain of sentences lasts.
    frame_date: Option<String>,
    /// Its states.
    frame_states: States,
    /// Whether the sentence before had an event in a chain that a framing event
    /// opened (the sub-events of Days of Culture, of a congress, of a jubilee).
    chained: bool,
    /// The events of the sentence before, for a sentence that names their participants.
    previous: Vec<usize>,
    /// Types found so far in the document.
    seen: Vec<EventType>,
    /// The states of the last event of each type, for the next of a series.
    series: HashMap<EventType, States>,
    /// The date of the last dated event held at a place ("At Cholpon-Ata, …").
    held_at: HashMap<String, String>,
    /// A sentence ending in a colon that the list items after it complete ("During
    /// the visit the following were signed:" — "– an agreement on …;").
    lead: Option<Range<usize>>,
    /// The date of the last visit, and of the last visit or summit, for "during the
    /// visit", "в ходе саммита".
    visit_date: Option<String>,
    summit_date: Option<String>,
}

/// Whether a sentence is an item of a list: it opens with a dash, a bullet or a
/// number or letter with a bracket ("– ", "• ", "2) ", "б) ").
fn list_item(sentence: &str) -> bool {
    let s = sentence.trim_start();
    if s.starts_with(['–', '—', '-', '•', '·', '▪', '*']) {
        return true;
    }
    let head: String = s.chars().take_while(|c| c.is_alphanumeric()).collect();
    let n = head.chars().count();
    (1..=2).contains(&n) && s[head.len()..].starts_with(')')
}

/// Whether a sentence is a news item's headline: a line of its own without a full
/// stop, followed by a short line that starts with a digit (the item's date, "5 апреля
/// 2024 г.", "12.03.2024"). The item's text tells the event again.
fn headline(text: &str, r: &Range<usize>) -> bool {
    let line = &text[r.clone()];
    let own_line = !line.contains('\n')
        && text[..r.start].trim_end_matches([' ', '\t']).chars().next_back().is_none_or(|c| c == '\n')
        && text[r.end..].trim_start_matches([' ', '\t']).starts_with('\n');
    if !own_line || line.ends_with(['.', '!', '?', ';', ':', '»', '"', ')']) || list_item(line) {
        return false;
    }
    if line.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    let next = text[r.end..].trim_start().lines().next().unwrap_or("").trim();
    next.chars().next().is_some_and(|c| c.is_ascii_digit()) && next.chars().count() <= 40
}

/// Phrases that place what a clause tells within a visit or a summit told before
/// ("during the visit", "в ходе визита"): it takes that meeting's date.
const DURING_VISIT: &[&str] = &[
    "during the visit",
    "during the state visit",
    "during the official visit",
    "in the course of the visit",
    "during the talks",
    "during the summit",
    "on the sidelines of the summit",
    "в ходе визита",
    "в ходе государственного визита",
    "в ходе официального визита",
    "в ходе переговоров",
    "в ходе саммита",
    "в ходе встречи",
    "в рамках визита",
    "в рамках государственного визита",
    "в рамках саммита",
];

/// The date of the visit or summit told before, when `text[r]` places itself within it.
fn during_visit(text: &str, r: &Range<usize>, ctx: &Context) -> Option<String> {
    let s = text[r.clone()].to_lowercase();
    let phrase = DURING_VISIT.iter().find(|p| s.contains(*p))?;
    let visit = phrase.contains("visit") || phrase.contains("визит");
    if visit { ctx.visit_date.clone().or_else(|| ctx.summit_date.clone()) } else { ctx.summit_date.clone() }
}

/// Types that frame others: what happens "within the framework" of Days of Culture, a
/// festival, a congress, a jubilee or a summit takes its date.
fn frames(t: EventType) -> bool {
    matches!(
        t,
        EventType::CultureDays
            | EventType::Festival
            | EventType::Conference
            | EventType::Commemoration
            | EventType::Summit
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

/// The state of a news item's or an interview's dateline ("ASTANA, 18 May 2025 –",
/// "Шымкент, 20 февраля 2025 г."): a place and a comma opening a line before a date.
fn home(text: &str, timexes: &[Found], named: &[Named]) -> Option<String> {
    let t = timexes
        .iter()
        .take_while(|t| t.range.start < 800)
        .find(|t| t.value.as_ref().is_some_and(|v| v.len() >= 7))?;
    let line_start = text[..t.range.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let head = text[line_start..t.range.start].trim_end();
    let place = head.strip_suffix(',')?;
    let from = named.partition_point(|n| n.range.start < line_start);
    let n = named[from..]
        .iter()
        .take_while(|n| n.range.start == line_start)
        .find(|n| n.kind == EntityKind::Place)?;
    (n.range.end == line_start + place.trim_end().len()).then(|| n.country.clone()).flatten()
}

/// Finds the events of a document.
/// Verbs that attribute a quotation: "…," the director said; «…», – сказал он.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "noted",
    "stressed",
    "recalled",
    "explained",
    "сказал",
    "сказала",
    "заявил",
    "заявила",
    "отметил",
    "отметила",
    "подчеркнул",
    "подчеркнула",
    "добавил",
    "добавила",
    "сообщил",
    "сообщила",
    "говорит",
    "рассказал",
    "рассказала",
    "пояснил",
    "пояснила",
];

/// Whether a sentence ends a quotation that an earlier sentence opened: it holds a
/// closing mark and no opening one before it, and who said it follows ("… more than
/// a hundred," said the director).
fn quote_ends_here(s: &str) -> bool {
    let close = s.find(['»', '”']).or_else(|| (s.matches('"').count() == 1).then(|| s.find('"')).flatten());
    let Some(close) = close else { return false };
    if s[..close].contains(['«', '“', '„']) {
        return false;
    }
    attributed(&s[close..])
}

/// Whether the text after a closing quotation mark says who spoke, within a short
/// attribution (", – сказал он", "said the director").
fn attributed(after: &str) -> bool {
    after.chars().count() < 120
        && after
            .split(|c: char| !c.is_alphabetic())
            .any(|w| SPEECH_VERBS.contains(&w.to_lowercase().as_str()))
}

/// Whether a sentence is direct speech: it opens with a quotation mark and ends with
/// who said it. What people say about their plans and feelings ("we received more
/// applications than ever") is no report of an event.
fn direct_speech(sentence: &str) -> bool {
    let s = sentence.trim_start();
    if quote_ends_here(s) {
        return true;
    }
    let Some(open) = s.chars().next().filter(|c| matches!(c, '«' | '"' | '“' | '„')) else {
        return false;
    };
    let close: &[char] = if open == '«' { &['»'] } else { &['"', '”', '“'] };
    let Some(end) = s[open.len_utf8()..].rfind(close).map(|i| i + open.len_utf8()) else {
        return false;
    };
    attributed(&s[end..])
}

pub(crate) fn find(
    doc: &Doc,
    rules: &Rules,
    timexes: &[Found],
    named: &[Named],
    skip: &dyn Fn(usize) -> bool,
    russian: bool,
) -> Vec<FoundEvent> {
    let text = doc.text;
    let end = doc.bibliography.unwrap_or(text.len());
    let paragraphs: Vec<Range<usize>> = doc
        .paragraphs
        .iter()
        .take_while(|p| p.range.start < end)
        .map(|p| p.range.start..p.range.end.min(end))
        .collect();
    let scan = rules.scan(text, &paragraphs);
    let dates: Vec<Found> = timexes
        .iter()
        .filter(|t| dates::usable(text, t))
        .filter(|t| !rules.not_a_date(text, t.range.start, t.value.as_ref().is_some_and(|v| v.contains('/'))))
        .cloned()
        .collect();
    let home = home(text, timexes, named);
    let datelines: Vec<&Found> = timexes.iter().filter(|t| t.dateline).collect();
    let focus = countries::document_focus(named).or_else(|| home.clone());
    let mut out: Vec<FoundEvent> = Vec::new();
    let mut ctx = Context::default();
    let title_paragraph = doc.paragraphs.len() > 1
        && doc
            .paragraphs
            .first()
            .is_some_and(|p| !text[p.range.clone()].trim_end().ends_with(['.', '!', '?']));
    for sentence in &doc.sentences {
        let r = sentence.range.clone();
        if r.start >= end {
            break;
        }
        let para = &doc.paragraphs[sentence.paragraph];
        if para.section != ctx.section {
            ctx.section = para.section;
            ctx.topic.clear();
        }
        if sentence.paragraph != ctx.paragraph {
            ctx.paragraph = sentence.paragraph;
            ctx.frame_date = None;
            ctx.chained = false;
            ctx.previous.clear();
        }
        // The sentence that opens a list lends its verb and date to the items.
        let item_of = if list_item(&text[r.clone()]) { ctx.lead.clone() } else { None };
        if item_of.is_none() {
            ctx.lead = text[r.clone()].trim_end().ends_with(':').then(|| r.clone());
        }
        let neg = clauses::negated(&r, &scan);
        let live = |b: usize| !clauses::inside(&neg, b) && !skip(b);
        // The topic and the pair are what the sentences name, not their collectives.
        let named_here = countries::named_in(named, &r, &neg);
        let topic_before = ctx.topic.clone();
        if named_here.len() >= 2 {
            ctx.topic = named_here.clone();
        }
        if named_here.len() == 2 {
            ctx.pair = named_here.clone();
        }
        // Headings, a title, a line of its own without a full stop, questions state no
        // events.
        let para_text = text[para.range.clone()].trim_end();
        let bare_line = !para_text.contains('\n')
            && para_text.len() < 120
            && !para_text.ends_with(['.', '!', '?', ')', '»', '"']);
        // Items of a list that a proposal or a cancellation opens ("It was proposed:").
        let unrealised_list =
            item_of.as_ref().is_some_and(|l| scan.cancelled.any(l, &[]) || scan.hypothetical.any(l, &[]));
        if para.heading
            || bare_line
            || unrealised_list
            || headline(text, &r)
            || (title_paragraph && sentence.paragraph == 0)
            || text[r.clone()].ends_with('?')
            || direct_speech(&text[r.clone()])
        {
            continue;
        }
        let mut found = triggers::of_sentence(text, &r, rules, &scan, named, &live, &ctx.seen);
        // "В экспозиции представлено …" after an exhibition: the event as a place is
        // the one just told.
        let previous_types: Vec<EventType> = ctx.previous.iter().map(|&i| out[i].event_type).collect();
        let undated = !dates::within(&dates, &r).iter().any(|t| live(t.range.start));
        found.retain(|t| {
            let titled = scan.quoted.starts_in(&(t.range.end..(t.range.end + 80).min(r.end)));
            !(previous_types.contains(&t.event_type)
                && (after_locative(text, t.range.start)
                    || (undated && !titled && after_definite(text, t.range.start))))
        });
        let chain = std::mem::take(&mut ctx.chained);
        if found.is_empty() {
            // A sentence that names who took part in the events just told.
            let states_here = countries::of_span(named, &scan, &r, &neg, &ctx.pair);
            if !ctx.previous.is_empty() && scan.participation.any(&r, &neg) && !states_here.is_empty() {
                for &i in &ctx.previous {
                    let mut c: States = out[i].countries.iter().cloned().collect();
                    c.extend(states_here.iter().cloned());
                    out[i].countries = c.into_iter().collect();
                }
                ctx.chained = chain;
                continue;
            }
            ctx.frame_date = None;
            ctx.previous.clear();
            continue;
        }
        let here_dates: Vec<Found> =
            dates::within(&dates, &r).iter().filter(|t| live(t.range.start)).cloned().collect();
        let dated = !here_dates.is_empty();
        let in_lead = |spans: &rules::Spans| item_of.as_ref().is_some_and(|l| spans.any(l, &[]));
        let planned = scan.planned.any(&r, &neg) || in_lead(&scan.planned);
        let occurred = scan.occurred.any(&r, &neg) || in_lead(&scan.occurred);
        let quoted = scan.quoted.any(&r, &neg);
        // A title right after a trigger makes it one occurrence ("the agreements on the
        // establishment of the «Central Asian Cooperation»").
        let titled =
            found.iter().any(|t| scan.quoted.starts_in(&(t.range.end..(t.range.end + 80).min(r.end))));
        let has_place = !countries::places_in(named, &r).is_empty();
        let generic = scan.generic.any(&r, &neg) && !occurred;
        if (generic || planned) && !dated {
            continue;
        }
        if !(dated || occurred || quoted || has_place || chain) {
            continue;
        }
        if !(dated || chain || occurred || titled)
            && found.iter().all(|t| triggers::plural(text, t, named, russian))
        {
            continue;
        }
        let names: Vec<Range<usize>> = countries::names_in(named, &r).map(|n| n.range.clone()).collect();
        let date_ranges: Vec<Range<usize>> = here_dates.iter().map(|t| t.range.clone()).collect();
        let trigger_ranges: Vec<Range<usize>> = found.iter().map(|t| t.range.clone()).collect();
        let parts = clauses::divide(text, &r, &date_ranges, &trigger_ranges, &names);
        let mut units = units::of_sentence(text, &parts, &found, named, &here_dates, &names, russian);
        for u in units.iter_mut().filter(|u| !u.continuation) {
            u.sequel =
                rules.sequel(text, u.at) || found.iter().any(|t| t.range.start == u.at && t.after.is_some());
        }
        let first_trigger = found.iter().map(|t| t.range.start).min().unwrap_or(r.start);
        let lead = countries::named_in(named, &(r.start..first_trigger), &neg);
        let mut this_sentence = Vec::new();
        let mut inherited = States::new();
        for u in units {
            let item = if u.item {
                countries::of_span(named, &scan, &u.span, &neg, &ctx.pair)
            } else {
                States::new()
            };
            let mut c = if item.is_empty() {
                countries::of_span(named, &scan, &u.clause, &neg, &ctx.pair)
            } else {
                item
            };
            // The subject before the first trigger belongs to a list that follows it, and
            // to an elliptical clause that continues with a complement ("the ministry
            // signed agreements with Uzbekistan in 1994, with Kyrgyzstan in 1995"), not
            // to one with a subject of its own ("…, and its Khorog campus in 2017").
            if u.after_lead || (u.continuation && units::opens_with_preposition(text, &u.clause)) {
                c.extend(lead.iter().cloned());
            }
            if c.is_empty() {
                c = countries::of_span(named, &scan, &r, &neg, &ctx.pair);
            }
            // One of a series, or a continuation of one, takes the series' states.
            if u.sequel && !u.continuation {
                inherited = States::new();
                if c.len() < 2
                    && let Some(s) = ctx.series.get(&u.event_type)
                {
                    inherited = s.clone();
                }
            }
            if (u.sequel || u.continuation) && c.len() < 2 {
                c.extend(inherited.iter().cloned());
            }
            // The speaker's events, and in a news item those that name one state, involve
            // the state of the dateline.
            if let Some(h) = &home
                && (scan.first_person.any(&u.clause, &neg) || c.len() == 1)
            {
                c.insert(h.clone());
            }
            // The states of the passage, for an event that names fewer than two of them
            // (not for a founding: one state founds).
            if c.len() < 2
                && u.event_type != EventType::Founding
                && !topic_before.is_empty()
                && (c.is_empty() || c.is_subset(&topic_before))
            {
                c.extend(topic_before.iter().cloned());
            }
            // A sub-event that names no state takes those of the event it belongs to.
            if c.is_empty() && chain {
                c.extend(ctx.frame_states.iter().cloned());
            }
            if c.len() == 1
                && bilateral(u.event_type)
                && let Some(f) = &focus
            {
                c.insert(f.clone());
            }
            let places = countries::places_in(named, &u.span);
            let own = if u.item {
                dates::after(&here_dates, &u.span, u.at)
            } else {
                dates::near(&here_dates, &u.span, u.at)
            }
            .or_else(|| dates::near(&here_dates, &u.clause, u.at))
            .or_else(|| dates::before(&here_dates, &(r.start..u.clause.start), u.clause.start));
            let remembered = || {
                countries::places_in(named, &u.clause).iter().find_map(|p| ctx.held_at.get(&p.key).cloned())
            };
            // A list item without a date of its own has the date of the sentence that
            // opens the list, or of the visit that sentence or the item places it in.
            let own = own.or_else(|| {
                let lead = item_of.as_ref()?;
                dates::near(&dates, lead, lead.end).or_else(|| during_visit(text, lead, &ctx))
            });
            let own = own.or_else(|| during_visit(text, &u.clause, &ctx));
            let date = match own {
                Some(d) => {
                    if frames(u.event_type) {
                        ctx.frame_date = Some(d.clone());
                        ctx.frame_states = c.clone();
                        for p in &places {
                            ctx.held_at.insert(p.key.clone(), d.clone());
                        }
                    }
                    Some(d)
                }
                // A clause about a length of time ("have toured each other's cities for
                // more than 30 years") is not a sub-event of the frame.
                None if chain && !lasting(text, timexes, &u.clause) => {
                    ctx.frame_date.clone().or_else(remembered)
                }
                None => remembered(),
            };
            // An undated event told as done under a news item's dateline, in the item's
            // own paragraph, happened on the item's day ("12.12.2023 — A literary evening
            // was held …").
            let date = date.or_else(|| {
                if planned {
                    return None;
                }
                let d = datelines[..datelines.partition_point(|t| t.range.start < r.start)].last()?;
                para.range.contains(&d.range.start).then(|| d.value.clone()).flatten()
            });
            if c.len() == 2 {
                ctx.pair = c.clone();
            }
            if u.event_type == EventType::Summit && date.is_some() {
                // The trigger's first two words: "state visit", "государственным визитом".
                let words: String = text[u.at..].split_whitespace().take(2).collect::<Vec<_>>().join(" ");
                let words = words.to_lowercase();
                if words.contains("visit") || words.contains("визит") {
                    ctx.visit_date = date.clone();
                }
                ctx.summit_date = date.clone();
            }
            ctx.series.insert(u.event_type, c.clone());
            let span = units::trim_span(text, u.span.clone());
            let confidence = 0.4
                + 0.2 * f32::from(u8::from(dated))
                + 0.2 * f32::from(u8::from(occurred))
                + 0.1 * f32::from(u8::from(c.len() >= 2))
                + 0.1 * f32::from(u8::from(!places.is_empty()));
            if !ctx.seen.contains(&u.event_type) {
                ctx.seen.push(u.event_type);
            }
            this_sentence.push(out.len());
            out.push(FoundEvent {
                event_type: u.event_type,
                date,
                countries: c.into_iter().collect(),
                places: places.iter().map(|p| crate::place_name(&p.key, text, &p.range)).collect(),
                place_ids: places.iter().map(|p| p.key.clone()).collect(),
                evidence: Evidence {
                    start: doc.ch(span.start),
                    end: doc.ch(span.end),
                    text: text[span.clone()].to_string(),
                },
                status: if planned { EventStatus::Planned } else { EventStatus::Held },
                confidence: confidence.min(1.0),
                hosts: places.iter().filter_map(|p| p.country.clone()).collect(),
                guests: Vec::new(),
            });
        }
        // A chain of sub-events opens with a framing event and lasts while each
        // sentence tells an event.
        ctx.chained =
            !this_sentence.is_empty() && (chain || this_sentence.iter().any(|&i| frames(out[i].event_type)));
        ctx.previous = this_sentence;
    }
    out
}

/// Whether a clause states how long something has gone on ("for more than 30
/// years", "на протяжении десяти лет").
fn lasting(text: &str, timexes: &[Found], clause: &Range<usize>) -> bool {
    let from = timexes.partition_point(|t| t.range.start < clause.start);
    timexes[from..].iter().take_while(|t| t.range.start < clause.end).any(|t| {
        let before = text[..t.range.start].split_whitespace().next_back().unwrap_or("").to_lowercase();
        t.kind == crate::timex::TimexType::Duration
            && clause.contains(&t.range.start)
            && matches!(before.as_str(), "for" | "over" | "течение" | "протяжении" | "уже")
    })
}

/// Whether the word right before byte `at` is a definite determiner ("the exhibition
/// will stay open" after an exhibition was told).
fn after_definite(text: &str, at: usize) -> bool {
    let word = text[..at].split_whitespace().next_back().unwrap_or("").to_lowercase();
    matches!(word.as_str(), "the" | "this" | "that")
}

/// Whether the word right before byte `at` is a preposition of place ("в экспозиции",
/// "at the exhibition").
fn after_locative(text: &str, at: usize) -> bool {
    let word = text[..at].split_whitespace().next_back().unwrap_or("").to_lowercase();
    matches!(word.as_str(), "в" | "во" | "на" | "at" | "in")
}

#[cfg(test)]
mod tests;
