//! Choosing a sentence's triggers: the suppressions that keep one phrase from
//! meaning two events, "Days of Kazakhstan" named by the state, and the test that
//! tells one occurrence ("the solemn concert") from a kind of activity ("concerts").
use super::rules::{Rules, Scan, Trigger};
use crate::entities::Named;
use crate::words::WordRegex;
use keruen_model::{EntityKind, EventType};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

fn gap(a: &Range<usize>, b: &Range<usize>) -> usize {
    // Zero when they overlap or touch.
    b.start.saturating_sub(a.end).max(a.start.saturating_sub(b.end))
}

/// Drops the triggers that do not name an event of their own:
/// - what an anniversary commemorates ("the 20th anniversary of the establishment of
///   diplomatic relations" is a commemoration, not new relations nor a founding);
/// - "establishment of diplomatic relations" is the relations, not a founding, and
///   "establishment of cooperation" no event at all;
/// - a founding needs an organisation nearer to it than another event's noun: a
///   festival "opened" is not founded.
pub(crate) fn suppress(text: &str, scan: &Scan, named: &[Named], found: &mut Vec<Trigger>) {
    let anniversaries: Vec<Range<usize>> =
        found.iter().filter(|t| t.event_type == EventType::Commemoration).map(|t| t.range.clone()).collect();
    found.retain(|t| match t.event_type {
        EventType::DiplomaticRelations | EventType::Founding | EventType::Agreement => {
            !anniversaries.iter().any(|a| a.end <= t.range.start && t.range.start - a.end < 80)
        }
        _ => true,
    });
    // "the agreement on the establishment of …": the founding is what the agreement
    // is about, not an event of its own.
    static ABOUT: OnceLock<WordRegex> = OnceLock::new();
    let about = ABOUT.get_or_init(|| {
        WordRegex::new(r"(?i)\b(?:agreements?|treat(?:y|ies)|memorand(?:um|a)|conventions?|declarations?|соглашени\w*|договор\w*|меморандум\w*)\s+(?:on|о|об)\s+(?:the\s+)?$")
            .expect("about regex")
    });
    found.retain(|t| {
        let from =
            (0..=t.range.start.saturating_sub(60)).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        t.event_type != EventType::Founding || !about.is_match(&text[from..t.range.start])
    });
    // What is founded follows the verb ("a festival opened", "establishing TURKSOY").
    let others: Vec<Range<usize>> =
        found.iter().filter(|t| t.event_type != EventType::Founding).map(|t| t.range.clone()).collect();
    found.retain(|t| {
        if t.event_type != EventType::Founding {
            return true;
        }
        let after: String = text[t.range.end..].chars().take(40).collect::<String>().to_lowercase();
        let first = after.split_whitespace().next().unwrap_or("");
        let relations = after.trim_start().starts_with("diplomatic")
            || after.trim_start().starts_with("дипломат")
            || ["cooperation", "relations", "contacts", "ties", "сотрудничеств", "отношени", "связ"]
                .iter()
                .any(|w| first.contains(w));
        if relations {
            return false;
        }
        let window = t.range.start.saturating_sub(120)..(t.range.end + 160).min(text.len());
        let from = named.partition_point(|n| n.range.start < window.start);
        let names = named[from..]
            .iter()
            .take_while(|n| n.range.start < window.end)
            .filter(|n| n.kind == EntityKind::Organization && n.range.end <= window.end)
            .map(|n| n.range.clone());
        let org = scan.org_noun.within(&window).iter().cloned().chain(names).map(|o| gap(&o, &t.range)).min();
        // "founding treaty": a trigger inside or around this one is not another event's noun.
        let other = others.iter().filter(|o| o.start >= t.range.end).map(|o| gap(o, &t.range)).min();
        match (org, other) {
            (None, _) => false,
            (Some(o), Some(e)) => o <= e,
            (Some(_), None) => true,
        }
    });
}

/// "Days of Kazakhstan's culture", "Year of Uzbekistan in Kazakhstan": a period of one
/// state's culture named by the state (not by its adjective: "Week of Tajik cinema"
/// is a film week) rather than by the word culture.
pub(crate) fn culture_days_by_state(
    text: &str,
    r: &Range<usize>,
    named: &[Named],
    russian: bool,
) -> Vec<Trigger> {
    static EN: OnceLock<WordRegex> = OnceLock::new();
    static RU: OnceLock<WordRegex> = OnceLock::new();
    let re = if russian {
        RU.get_or_init(|| {
            WordRegex::new(r"(?i)\b(?:дни|дней|дням|днях|недел[яиею]|месяц[аеу]?|год[ау]?|декад[аыуе])\s+")
                .expect("ru")
        })
    } else {
        EN.get_or_init(|| {
            WordRegex::new(r"(?i)\b(?:days|week|month|year|decade)\s+of\s+(?:the\s+)?").expect("en")
        })
    };
    let mut out = Vec::new();
    for m in re.find_iter(&text[r.clone()]) {
        let after = r.start + m.end();
        let at = named.partition_point(|n| n.range.start < after);
        if let Some(n) = named.get(at)
            && n.range.start == after
            && n.kind == EntityKind::Country
            && !n.adjective
        {
            out.push(Trigger {
                range: (r.start + m.start())..n.range.end,
                event_type: EventType::CultureDays,
                after: None,
            });
        }
    }
    out
}

/// Whether a trigger names a single occurrence ("the solemn concert", "the 100th
/// anniversary") rather than a kind of activity ("concerts, exhibitions").
/// Days of Culture are one occurrence when a state is named with them ("Days of
/// Culture of Kyrgyzstan", "the Decade of Kazakh Art"), a kind of event otherwise.
fn names_a_state(text: &str, t: &Trigger, named: &[Named]) -> bool {
    // The trigger and the two words after it ("Days of Culture of the Kyrgyz Republic").
    let mut end = t.range.end;
    for w in text[t.range.end..].split_inclusive(char::is_whitespace).take(3) {
        end += w.len();
    }
    let from = named.partition_point(|n| n.range.start < t.range.start);
    named[from..]
        .iter()
        .take_while(|n| n.range.start < end)
        .any(|n| (n.kind == EntityKind::Country || n.adjective) && n.country.is_some())
}

/// Russian plural endings of nouns (концерты, выставки, конференций, соглашения).
fn russian_plural(head: &str) -> bool {
    (head.ends_with('ы') || (head.ends_with('и') && !head.ends_with("ии")))
        || ["ий", "ов", "ей", "ам", "ами", "ах", "ях", "ения", "ания", "ые", "ие"]
            .iter()
            .any(|e| head.ends_with(e))
}

/// Verbs in the third person that end in -s like a plural noun.
const VERBS_IN_S: &[&str] = &["performs", "brings", "takes", "opens", "hosts", "holds", "marks", "admits"];

/// Whether a trigger names a single occurrence ("the solemn concert", "the 100th
/// anniversary") rather than a kind of activity ("concerts, exhibitions").
pub(crate) fn singular(text: &str, t: &Trigger, named: &[Named], russian: bool) -> bool {
    match t.event_type {
        EventType::DiplomaticRelations | EventType::Summit => return false,
        EventType::CultureDays => return names_a_state(text, t, named),
        _ => {}
    }
    let phrase = text[t.range.clone()].to_lowercase();
    let head = phrase.split_whitespace().next().unwrap_or("");
    if russian {
        !russian_plural(head)
    } else {
        !head.ends_with('s') || head.ends_with("ss") || head.ends_with("us") || VERBS_IN_S.contains(&head)
    }
}

/// Whether a trigger names a kind of activity in the plural ("festivals, excursions,
/// art exhibitions"): without a date, such a sentence describes, it does not report.
pub(crate) fn plural(text: &str, t: &Trigger, named: &[Named], russian: bool) -> bool {
    !matches!(t.event_type, EventType::DiplomaticRelations | EventType::Summit)
        && !singular(text, t, named, russian)
}

/// "похожий форум – Международный фестиваль …": two nouns in apposition name one
/// event; the named one (capitalised) is kept.
fn apposition(text: &str, found: &mut Vec<Trigger>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"^\s*[–—,-]\s*(?:\p{Lu}[\w-]*\s+){1,3}$").expect("apposition"));
    let drop: Vec<usize> = found
        .windows(2)
        .enumerate()
        .filter(|(_, w)| {
            w[0].event_type != w[1].event_type
                && w[0].range.end <= w[1].range.start
                && re.is_match(&text[w[0].range.end..w[1].range.start])
        })
        .map(|(i, _)| i)
        .collect();
    for i in drop.into_iter().rev() {
        found.remove(i);
    }
}

/// Whether a founding trigger is a noun ("the establishment of", "открытия").
fn nominal_founding(t: &str) -> bool {
    let t = t.to_lowercase();
    ["establishment", "foundation", "founding", "creation", "основани", "создани", "учреждени", "открыти"]
        .iter()
        .any(|n| t.starts_with(n))
}

/// Up to `bytes` of the sentence after a trigger (ending on a character boundary).
fn after_trigger<'t>(text: &'t str, t: &Trigger, sentence: &Range<usize>, bytes: usize) -> &'t str {
    let mut end = (t.range.end + bytes).min(sentence.end);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[t.range.end..end]
}

/// Whether an agreement that the text mentions as known ("under the agreement …")
/// is told with its signing ("…, signed in 1994", "…, подписанного в 2017 году"):
/// that is the news of it, an event of its own.
fn signed_with_date(text: &str, t: &Trigger, sentence: &Range<usize>) -> bool {
    if t.event_type != EventType::Agreement {
        return false;
    }
    let clause =
        after_trigger(text, t, sentence, 200).split([';', '.', '(']).next().unwrap_or("").to_lowercase();
    let Some(at) = ["signed", "concluded", "подписанн", "заключенн", "заключённ"]
        .iter()
        .filter_map(|w| clause.find(w))
        .min()
    else {
        return false;
    };
    clause[at..].split_whitespace().take(8).any(|w| {
        let digits: String = w.chars().filter(char::is_ascii_digit).collect();
        digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"))
    })
}

/// Whether a trigger is followed, within its noun phrase, by its place and date in
/// brackets ("the programme of the Days of Culture of Tajikistan in Kazakhstan
/// (Astana, 9–12 June 2008)"): an event told for the first time, not a known one.
fn dated_in_brackets(text: &str, t: &Trigger, sentence: &Range<usize>, live: &dyn Fn(usize) -> bool) -> bool {
    let after = after_trigger(text, t, sentence, 240);
    let Some(open) = after.find('(') else { return false };
    // A citation in brackets ("(Оразбаева, 2012а)") dates a source, not the event.
    if after[..open].contains([',', ';', '.', ':'])
        || after[..open].chars().count() > 60
        || !live(t.range.end + open + 1)
    {
        return false;
    }
    let inner = after[open + 1..].split(')').next().unwrap_or("");
    inner
        .split(|c: char| !c.is_ascii_digit())
        .any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
}

/// The live triggers of a sentence: not in a negated part or a citation, not a
/// mention of a known event, not a sequel without its antecedent.
pub(crate) fn of_sentence(
    text: &str,
    r: &Range<usize>,
    rules: &Rules,
    scan: &Scan,
    named: &[Named],
    live: &dyn Fn(usize) -> bool,
    seen: &[EventType],
) -> Vec<Trigger> {
    let mut found: Vec<Trigger> = scan.triggers_in(r).filter(|t| live(t.range.start)).cloned().collect();
    for t in culture_days_by_state(text, r, named, rules.russian) {
        if live(t.range.start) && !found.iter().any(|f| gap(&f.range, &t.range) == 0) {
            found.push(t);
        }
    }
    found.sort_by_key(|t| t.range.start);
    found.retain(|t| t.after.is_none_or(|a| seen.contains(&a)));
    // "По итогам форума была учреждена Ассоциация": a founding is a verb, not a noun
    // that could name a known event.
    found.retain(|t| {
        let verb = t.event_type == EventType::Founding && !nominal_founding(&text[t.range.clone()]);
        verb || !rules.refers_back(text, t.range.start)
            || signed_with_date(text, t, r)
            || dated_in_brackets(text, t, r, live)
    });
    suppress(text, scan, named, &mut found);
    apposition(text, &mut found);
    found
}
