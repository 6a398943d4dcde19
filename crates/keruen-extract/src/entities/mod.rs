//! Entities: gazetteer names matched over folded text ([`matcher`]) and names the
//! gazetteer lacks found by shape ([`shapes`]), merged so that the longest name wins
//! and a name nested in an organisation's name is not a mention of its own.
mod given;
pub(crate) mod matcher;
mod shapes;

use crate::doc::Doc;
use keruen_gazetteer::Gazetteer;
use keruen_model::{EntityKind, NameForm};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Start, in characters.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// The mention as written.
    pub text: String,
}

/// A distinct entity with all its mentions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundEntity {
    /// country, polity, place, organization or person.
    pub kind: EntityKind,
    /// Its name: the gazetteer's English name, or the first mention.
    pub name: String,
    /// ISO 3166-1 alpha-2 code (countries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Gazetteer id, when the entity is in the gazetteer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}

/// A name in the text, for the event extractor: its span, and the state it implies.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub range: Range<usize>,
    pub kind: EntityKind,
    /// Gazetteer id, or a key made from the text for shape-found names.
    pub key: String,
    /// The present-day state the name implies: a country itself, a place's or an
    /// organisation's country, a demonym adjective.
    pub country: Option<String>,
    /// A demonym or adjective, not a mention.
    pub adjective: bool,
}

/// What entity recognition produces.
pub(crate) struct Entities {
    pub found: Vec<FoundEntity>,
    pub named: Vec<Named>,
}

/// Capitalised words that open a sentence or a title rather than a name.
const LEADING_WORDS: &[&str] = &[
    "The",
    "In",
    "At",
    "On",
    "By",
    "From",
    "With",
    "And",
    "Poet",
    "President",
    "Professor",
    "Academician",
    "Writer",
    "Scholar",
    "Thinker",
    "Great",
    "Kazakh",
    "Uzbek",
    "Kyrgyz",
    "Tajik",
    "Turkmen",
    "Russian",
    "Of",
    "For",
    "To",
];

/// Words after which a name is a place ("in Navoi", "в Навои").
const LOCATIVE: &[&str] = &["in", "at", "near", "в", "во", "под", "около", "город", "г."];

/// Words after which a name is a place unless the text has already used it for
/// someone ("came to Navoi through Abai").
const LOCATIVE_WEAK: &[&str] = &["to", "from", "из", "до"];

/// Nouns that make "NOUN of X" a place ("the city of Navoi"); after other nouns "of"
/// takes a person as often ("the works of Navoi", "the poems of Abai").
const PLACE_OF: &[&str] = &[
    "city",
    "town",
    "village",
    "region",
    "province",
    "oblast",
    "district",
    "outskirts",
    "streets",
    "mayor",
    "governor",
    "akim",
    "hokim",
    "residents",
    "people",
    "centre",
    "center",
    "museums",
    "theatres",
];

/// How strongly the words before byte `at` make a name a place: "in", "в", "the city
/// of" surely; "to", "from" unless the text has used the name for someone already.
fn locative_before(text: &str, at: usize) -> (bool, bool) {
    let mut words = text[..at].split_whitespace().rev().map(str::to_lowercase);
    match words.next().as_deref() {
        Some("of") => (words.next().is_some_and(|w| PLACE_OF.contains(&w.as_str())), false),
        Some(w) => (LOCATIVE.contains(&w), LOCATIVE_WEAK.contains(&w)),
        None => (false, false),
    }
}

/// Among entries that share a name, the one the context points to: a state or polity
/// first; a place after a locative preposition; the one chosen for the name earlier in
/// the text (one sense per document); else a person; then the gazetteer's order.
fn choose<'m>(
    text: &str,
    alts: &[&'m matcher::NameMatch],
    g: &Gazetteer,
    chosen_before: &HashSet<usize>,
) -> &'m matcher::NameMatch {
    let kind = |m: &matcher::NameMatch| g.entry(m.entry).entity.kind;
    if let Some(m) = alts.iter().find(|m| kind(m) == EntityKind::Country) {
        return m;
    }
    let (surely, weakly) = locative_before(text, alts[0].range.start);
    if !surely && let Some(m) = alts.iter().find(|m| chosen_before.contains(&m.entry)) {
        return m;
    }
    let prefer = if surely || weakly { EntityKind::Place } else { EntityKind::Person };
    alts.iter().find(|m| kind(m) == prefer).or_else(|| alts.iter().find(|m| !m.derived)).unwrap_or(&alts[0])
}

/// The states named by demonyms inside an organisation's name ("Kyrgyz-Russian Slavic
/// University", "German-Kazakh University"): not mentions, but the states an event of
/// the organisation involves.
fn inner_demonyms(text: &str, r: &Range<usize>, g: &Gazetteer) -> Vec<Named> {
    let mut out = Vec::new();
    let mut at = r.start;
    for word in text[r.clone()].split(|c: char| c.is_whitespace() || c == '-') {
        let range = at..at + word.len();
        at += word.len() + 1;
        if word.chars().count() < 4 || !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let folded = keruen_gazetteer::fold::fold(word);
        for e in g.find(&folded) {
            let demonym = e.entity.kind == EntityKind::Country
                && e.entity.names.iter().any(|n| {
                    n.form == NameForm::Adjective && keruen_gazetteer::fold::fold(&n.text) == folded
                });
            if demonym {
                out.push(Named {
                    range: range.clone(),
                    kind: EntityKind::Country,
                    key: e.entity.id.clone(),
                    country: e.entity.iso.clone(),
                    adjective: true,
                });
            }
        }
    }
    out
}

/// Finds entities in every paragraph before the bibliography, skipping spans for
/// which `skip` is true (citations).
pub(crate) fn find(
    doc: &Doc,
    m: &matcher::Matcher,
    g: &Gazetteer,
    russian: bool,
    skip: &dyn Fn(usize) -> bool,
) -> Entities {
    let text = doc.text;
    let end = doc.bibliography.unwrap_or(text.len());
    let mut named: Vec<Named> = Vec::new();
    let mut mentions: Vec<(Range<usize>, String, EntityKind, Option<String>)> = Vec::new();
    let mut first_sentence = 0;
    // Entries named so far, for choosing among namesakes (`choose`).
    let mut chosen_before: HashSet<usize> = HashSet::new();
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        if p.range.start >= end {
            break;
        }
        // This paragraph's sentences (sentences are in paragraph order).
        let last_sentence =
            first_sentence + doc.sentences[first_sentence..].partition_point(|s| s.paragraph <= pi);
        let sentences = &doc.sentences[first_sentence..last_sentence];
        first_sentence = last_sentence;
        // This paragraph's mentions, kept apart so that edits stay local.
        let mut local: Vec<(Range<usize>, String, EntityKind, Option<String>)> = Vec::new();
        let range = p.range.start..p.range.end.min(end);
        let raw = m.find(text, range.clone());
        // Group alternatives by span.
        let mut by_span: Vec<(Range<usize>, Vec<&matcher::NameMatch>)> = Vec::new();
        for nm in &raw {
            match by_span.last_mut() {
                Some((r, v)) if *r == nm.range => v.push(nm),
                _ => by_span.push((nm.range.clone(), vec![nm])),
            }
        }
        // Shapes never run across a sentence boundary.
        let wanted = shapes::wanted(&text[range.clone()], russian);
        let shapes: Vec<shapes::Shape> = sentences
            .iter()
            .filter(|s| s.range.start >= range.start && s.range.end <= range.end)
            .flat_map(|s| shapes::find(text, s.range.clone(), russian, wanted))
            .collect();
        let mut taken: Vec<Range<usize>> = Vec::new();
        // Gazetteer names first, except where a longer shape-found name contains them.
        for (r, alts) in &by_span {
            if skip(r.start) {
                continue;
            }
            let chosen = choose(text, alts, g, &chosen_before);
            chosen_before.insert(chosen.entry);
            let entry = g.entry(chosen.entry);
            let kind = entry.entity.kind;
            let country = match kind {
                EntityKind::Country => entry.entity.iso.clone(),
                EntityKind::Place | EntityKind::Organization | EntityKind::Person => {
                    entry.entity.country.clone()
                }
                _ => None,
            };
            let adjective = chosen.form == NameForm::Adjective;
            named.push(Named {
                range: r.clone(),
                kind,
                key: entry.entity.id.clone(),
                country: country.clone(),
                adjective,
            });
            if kind == EntityKind::Organization {
                named.extend(inner_demonyms(text, r, g));
            }
            if adjective {
                continue;
            }
            let inside_longer_shape = shapes.iter().any(|s| {
                s.range.start <= r.start
                    && r.end <= s.range.end
                    && s.range.len() > r.len()
                    && s.kind != EntityKind::Person
            });
            if inside_longer_shape && kind != EntityKind::Organization {
                continue;
            }
            let mut r = r.clone();
            if kind == EntityKind::Person {
                // "Aitmatov's" is a mention of Aitmatov.
                for poss in ["'s", "’s"] {
                    if text[r.clone()].ends_with(poss) {
                        r.end -= poss.len();
                    }
                }
                // A surname known alone takes the given name written before it.
                if chosen.derived {
                    let before = text[..r.start].trim_end_matches(' ');
                    let word_start = crate::doc::after_last(before, |c| !c.is_alphabetic() && c != '-');
                    let word = &before[word_start..];
                    if before.len() < r.start
                        && word.chars().count() >= 3
                        && word.chars().next().is_some_and(char::is_uppercase)
                        && word.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
                        && !LEADING_WORDS.contains(&word)
                    {
                        r.start = word_start;
                    }
                }
            }
            taken.push(r.clone());
            local.push((r, entry.entity.id.clone(), kind, country));
        }
        let org_spans: Vec<Range<usize>> =
            shapes.iter().filter(|s| s.kind == EntityKind::Organization).map(|s| s.range.clone()).collect();
        for s in shapes {
            if skip(s.range.start) {
                continue;
            }
            // A person in an organisation's name ("… named after M. Auezov") is part of it.
            if s.kind == EntityKind::Person
                && org_spans.iter().any(|o| o.start <= s.range.start && s.range.end <= o.end)
            {
                continue;
            }
            // A gazetteer name covering the same or a longer span wins.
            if taken.iter().any(|t| t.start <= s.range.start && s.range.end <= t.end) {
                continue;
            }
            // A given name before a state's or a place's name ("Kurmangazy Kazakh …",
            // "Nursultan Airport") is no person, unless a person of the gazetteer is there.
            if s.kind == EntityKind::Person {
                let under: Vec<EntityKind> = raw
                    .iter()
                    .filter(|nm| nm.range.start < s.range.end && s.range.start < nm.range.end)
                    .map(|nm| g.entry(nm.entry).entity.kind)
                    .collect();
                if !under.is_empty() && !under.contains(&EntityKind::Person) {
                    continue;
                }
            }
            // "the Tashkent institute", "the Uzbek academy": a known name and a head noun in
            // lower case describe an organisation; they do not name one.
            let written = &text[s.range.clone()];
            if s.kind == EntityKind::Organization
                && written.split_whitespace().next_back().is_some_and(|w| w.starts_with(char::is_lowercase))
                && raw.iter().any(|nm| {
                    nm.range.start == s.range.start
                        && text[nm.range.end..s.range.end].split_whitespace().count() == 1
                })
            {
                continue;
            }
            // A shape that only puts words before a known name ("… and the Soviet Union")
            // is that name, not a new organisation.
            if raw.iter().any(|nm| {
                nm.range.end == s.range.end
                    && nm.range.start > s.range.start
                    && (g.entry(nm.entry).entity.kind == EntityKind::Polity
                        || text[s.range.start..nm.range.start].contains(" and ")
                        || text[s.range.start..nm.range.start].contains(" и "))
            }) {
                continue;
            }
            // The shape replaces gazetteer names nested inside it.
            local.retain(|(r, _, k, _)| {
                !(s.range.start <= r.start
                    && r.end <= s.range.end
                    && (*k != EntityKind::Organization || r.len() < s.range.len()))
            });
            taken.retain(|t| !(s.range.start <= t.start && t.end <= s.range.end));
            let written = text[s.range.clone()].to_string();
            let key = format!("{}:{}", s.kind, keruen_gazetteer::fold::fold(&written));
            // A person by initials whose surname the gazetteer knows is that person.
            let (key, country) = if s.kind == EntityKind::Person {
                let surname = written.rsplit(|c: char| c == '.' || c.is_whitespace()).next().unwrap_or("");
                let linked = raw.iter().find(|nm| {
                    nm.range.start < s.range.end
                        && s.range.start < nm.range.end
                        && g.entry(nm.entry).entity.kind == EntityKind::Person
                        && !surname.is_empty()
                });
                if let Some(nm) = linked {
                    // The gazetteer match of the surname is the same person: one mention.
                    let id = &g.entry(nm.entry).entity.id;
                    local.retain(|(r, k, ..)| !(k == id && r.start < s.range.end && s.range.start < r.end));
                    taken.retain(|t| !(t.start < s.range.end && s.range.start < t.end));
                }
                match linked {
                    Some(nm) => {
                        (g.entry(nm.entry).entity.id.clone(), g.entry(nm.entry).entity.country.clone())
                    }
                    None => (key, None),
                }
            } else {
                (key, None)
            };
            named.push(Named {
                range: s.range.clone(),
                kind: s.kind,
                key: key.clone(),
                country: country.clone(),
                adjective: false,
            });
            taken.push(s.range.clone());
            local.push((s.range.clone(), key, s.kind, country));
        }
        mentions.append(&mut local);
    }
    // Group mentions into entities, in order of first mention.
    mentions.sort_by_key(|(r, ..)| r.start);
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, FoundEntity> = HashMap::new();
    for (r, key, kind, _) in mentions {
        let written = text[r.clone()].to_string();
        let entity = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            let gaz = g.get(&key);
            FoundEntity {
                kind,
                name: gaz.map(|e| e.entity.display_name("en").to_string()).unwrap_or_else(|| written.clone()),
                code: gaz.and_then(|e| e.entity.iso.clone()),
                id: gaz.map(|e| e.entity.id.clone()),
                mentions: Vec::new(),
            }
        });
        entity.mentions.push(Mention { start: doc.ch(r.start), end: doc.ch(r.end), text: written });
    }
    named.sort_by_key(|n| n.range.start);
    Entities { found: order.into_iter().filter_map(|k| groups.remove(&k)).collect(), named }
}

#[cfg(test)]
mod tests {
    use crate::{Options, extract};
    use keruen_model::EntityKind;

    /// (kind, mention) of every entity mention in `text`.
    fn mentions(text: &str) -> Vec<(EntityKind, String)> {
        extract(text, &Options::default())
            .entities
            .into_iter()
            .flat_map(|e| e.mentions.into_iter().map(move |m| (e.kind, m.text)))
            .collect()
    }

    #[test]
    fn a_namesake_keeps_the_sense_the_text_gave_it() {
        let got =
            mentions("Abai called Navoi his teacher; readers came to Navoi through Abai. He lived in Navoi.");
        let navoi: Vec<EntityKind> = got.iter().filter(|(_, t)| t == "Navoi").map(|(k, _)| *k).collect();
        assert_eq!(navoi, [EntityKind::Person, EntityKind::Person, EntityKind::Place], "{got:?}");
        let got = mentions("The manuscripts of Navoi were shown in the city of Navoi.");
        let navoi: Vec<EntityKind> = got.iter().filter(|(_, t)| t == "Navoi").map(|(k, _)| *k).collect();
        assert_eq!(navoi, [EntityKind::Person, EntityKind::Place], "{got:?}");
    }

    #[test]
    fn arabic_articles_in_lower_case_belong_to_the_name() {
        let got = mentions("Конференция к 1100-летию аль-Фараби прошла в Алма-Ате.");
        assert!(got.contains(&(EntityKind::Person, "аль-Фараби".into())), "{got:?}");
    }

    #[test]
    fn a_known_name_with_a_head_noun_in_lower_case_is_no_organisation() {
        let got = mentions("Scholars of the Tashkent institute met colleagues from the Uzbek academy.");
        assert!(!got.iter().any(|(k, _)| *k == EntityKind::Organization), "{got:?}");
        let got = mentions("The Samarkand State Museum-Reserve and Astana Ballet took part.");
        assert!(
            got.contains(&(EntityKind::Organization, "Samarkand State Museum-Reserve".into())),
            "{got:?}"
        );
        assert!(got.contains(&(EntityKind::Organization, "Astana Ballet".into())), "{got:?}");
        let got = mentions("В Душанбе выступил Таджикский академический театр оперы и балета имени С. Айни.");
        assert!(
            got.contains(&(
                EntityKind::Organization,
                "Таджикский академический театр оперы и балета имени С. Айни".into()
            )),
            "{got:?}"
        );
    }
}
