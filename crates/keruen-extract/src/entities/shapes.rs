//! Names the gazetteer lacks, recognised by their shape: organisations ("the Kazakh
//! State Drama Theatre named after …", "Institute of …", "… State University",
//! "Министерство культуры …"), people written with initials ("N.A. Nazarbayev",
//! "Н.А. Назарбаев", "M.Auezov"), and regions ("South Kazakhstan region",
//! "Навоийская область").
use crate::words::{WordRegex, WordSet};
use keruen_model::EntityKind;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// Head nouns of organisation names, English.
const ORG_HEADS_EN: &str = "University|Institute|Academy|Theat(?:re|er)|Museum(?:-Reserve)?|Publishing\\s+House|Ballet|Library|Archives?|Ministry|Committee|Council|Assembly|Union|Organi[sz]ation|Cent(?:re|er)|Association|Foundation|Fund|Society|Agency|Conservatory|Conservatoire|College|Philharmonic|Orchestra|Ensemble|Community|Commonwealth|Bank|Corporation|Secretariat|Parliament|Senate|Studio|Federation|Chamber|Embassy|Consulate|Commission|Gallery|Opera|Lyceum|Gymnasium|Observatory|School";

/// Head nouns of organisation names, Russian, with their case endings.
const ORG_HEADS_RU: &str = "Министерств[оауе]м?|Институт[аеу]?(?:ом)?|Университет[аеу]?(?:ом)?|Академи[яиюей]й?|Театр[аеу]?(?:ом)?|Музе[йяюе]м?|Библиотек[аиеуой]й?|Архив[аеу]?(?:ом)?|Комитет[аеу]?(?:ом)?|Совет[аеу]?(?:ом)?|Ассамбле[яиюей]й?|Союз[аеу]?(?:ом)?|Организаци[яиюей]й?|Центр[аеу]?(?:ом)?|Ассоциаци[яиюей]й?|Фонд[аеу]?(?:ом)?|Обществ[оауе]м?|Агентств[оауе]м?|Консерватори[яиюей]й?|Филармони[яиюей]й?|Посольств[оауе]м?|Содружеств[оауе]м?|Парламент[аеу]?|Галере[яиюей]й?|Оркестр[аеу]?|Ансамбл[ьяюе]м?|Лице[йяюе]м?|Обсерватори[яиюей]й?";

fn org_en() -> &'static WordRegex {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    RE.get_or_init(|| {
        // A capitalised word (not ending a sentence) or an initial.
        let cap = r"(?:\p{Lu}[\p{L}'’-]*\p{L}|\p{Lu}\.|\p{Lu})";
        // Title Case headings write the small words capitalised too.
        // Inside a name before its head noun only "of", "for" and "de" join words
        // ("Academy of Sciences", "Ministry for Culture"); "the" there starts a new phrase.
        let small = r"(?:of|Of|for|For|de)";
        let heads = format!("(?:{ORG_HEADS_EN}|{})", ORG_HEADS_EN.to_lowercase());
        WordRegex::new(&format!(
            r"(?P<o>{cap}(?:\s+(?:{small}\s+)*{cap})*?\s+{heads}|{heads})(?P<tail>(?:\s+(?:of|Of|for|For)\s+(?:(?:the|The)\s+)?{cap}(?:\s+(?:and|And)\s+{cap})?(?:\s+(?:(?:of|Of|for|For|under|Under|the|The)\s+)*{cap})*)?(?:\s*,?\s+named\s+after\s+(?:{cap}\s*)*{cap})?)\b",
            heads = heads
        ))
        .expect("English organisation regex")
    })
}

fn org_ru() -> &'static WordRegex {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    RE.get_or_init(|| {
        let adj = r"(?:\p{Ll}+(?:ый|ий|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ую|юю|ых|их))";
        let cap_adj = r"(?:\p{Lu}\p{Ll}+(?:ый|ий|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ую|юю|ых|их)(?:-\p{Ll}+)?)";
        let genitive = r"(?:\p{Ll}+(?:ы|и|а|я|ого|его|ой|ей|ых|их|ов|ев|ств|ния|ии|ки))";
        let name = r"(?:\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)";
        WordRegex::new(&format!(
            r"(?P<o>(?:{cap_adj}\s+(?:{adj}\s+){{0,3}}(?:{h_lower})\b|(?:{h})\b)(?:\s+(?:{adj}\s+){{0,2}}{genitive}(?:\s+и\s+{genitive})?){{0,4}}(?:\s+(?:Республики|Российской\s+Федерации|{name})(?:\s+{name})?)?(?:\s+(?:имени|им\.)\s+(?:\p{{Lu}}\.\s?){{0,2}}{name}(?:\s+{name})?)?)",
            h = ORG_HEADS_RU,
            h_lower = ORG_HEADS_RU.to_lowercase()
        ))
        .expect("Russian organisation regex")
    })
}

/// The name after "имени" / "им.": initials and a surname.
fn named_after() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s+(?:\p{Lu}\.\s?){0,2}\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:\s+\p{Lu}\p{Ll}+)?")
            .expect("named after")
    })
}

fn person() -> &'static WordRegex {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    RE.get_or_init(|| {
        WordRegex::new(r"(?:\b|^)(?P<p>(?:(?:Sh|Ch|Zh|Kh|Yu|Ya|Ts|\p{Lu})\.\s?){1,2}\p{Lu}\p{Ll}{2,}(?:-\p{Lu}\p{Ll}+)?)(?:['’]s)?|(?P<r>\p{Lu}\p{Ll}{2,}(?:ов|ев|ин|ёв|ова|ева|ина|ский|цкий|ская|енко|швили|ян|дзе|уулу|кызы)\s+\p{Lu}\.\s?\p{Lu}\.)")
            .expect("person regex")
    })
}

fn region() -> &'static WordRegex {
    static RE: OnceLock<WordRegex> = OnceLock::new();
    RE.get_or_init(|| {
        WordRegex::new(r"(?P<g>(?:\p{Lu}[\p{L}-]+\s+){1,2}(?:[Rr]egion|[Oo]blast|[Pp]rovince|[Dd]istrict|[Vv]elayat|[Vv]iloyat|Palace|Square|Mausoleum|Stadium|Arena)\b|\p{Lu}\p{Ll}+(?:ская|ской|скую|ская|инская|инской)\s+област(?:ь|и|ью)|\p{Lu}\p{Ll}+(?:ский|ском|ского)\s+(?:район|велаят|вилоят)(?:а|е|ом)?)")
            .expect("region regex")
    })
}

/// Words that start a capitalised run but are not part of a name.
const SENTENCE_WORDS: &[&str] = &[
    "In",
    "At",
    "On",
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "Since",
    "From",
    "With",
    "By",
    "For",
    "As",
    "After",
    "Before",
    "During",
    "Under",
    "Within",
    "Between",
    "Among",
    "Today",
    "Then",
    "Also",
    "And",
    "But",
    "Of",
    "It",
    "Its",
    "Their",
    "Our",
    "His",
    "Her",
    "When",
    "While",
    "Both",
    "All",
    "Each",
    "Every",
    "Such",
    "Many",
    "Some",
    "Most",
    "Several",
    "Other",
    "Another",
    "New",
    "Old",
    "Former",
    "Previously",
    "Later",
    "Now",
    "Thus",
    "Therefore",
    "However",
    "Moreover",
    "Furthermore",
    "In particular",
    "Particularly",
    "Director",
    "President",
    "Head",
    "Rector",
    "Minister",
    "Chairman",
    "Chair",
    "Professor",
    "Prof.",
    "Dr.",
    "Mr.",
    "Ms.",
    "Deputy",
    "Secretary",
    "Ambassador",
    "Dean",
    "Staff",
    "Representatives",
    "Members",
    "Cooperation",
    "Relations",
];

/// Words before "region" that make a phrase an adjective, not a name.
const NOT_REGION: &[&str] = &[
    "Asian", "Central", "Eurasian", "European", "Caspian", "Aral", "Turkic", "Whole", "Entire", "Our", "The",
];

/// A name found by its shape.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub range: Range<usize>,
    pub kind: EntityKind,
}

/// Trims a leading sentence word ("In", "The") from an English organisation match.
fn trim_leading(text: &str, r: Range<usize>) -> Range<usize> {
    let mut start = r.start;
    loop {
        let s = &text[start..r.end];
        let first = s.split_whitespace().next().unwrap_or("");
        let small = matches!(first, "Of" | "of" | "The" | "the" | "And" | "and" | "Between" | "between");
        if (SENTENCE_WORDS.contains(&first) || small) && s.len() > first.len() {
            start += first.len() + (s[first.len()..].len() - s[first.len()..].trim_start().len());
        } else {
            break;
        }
    }
    start..r.end
}

/// Which shapes (organisation, person, region) can occur in `text`: one pass of a set
/// over a paragraph spares the sentences the patterns that cannot match.
pub(crate) fn wanted(text: &str, russian: bool) -> [bool; 3] {
    static EN: OnceLock<WordSet> = OnceLock::new();
    static RU: OnceLock<WordSet> = OnceLock::new();
    let set = if russian { &RU } else { &EN }.get_or_init(|| {
        let org = if russian { org_ru() } else { org_en() };
        WordSet::new([org.as_str(), person().as_str(), region().as_str()]).expect("shape set")
    });
    let m = set.matches(text);
    [m.contains(&0), m.contains(&1), m.contains(&2)]
}

/// Names in `text[range]` recognised by shape, of the kinds `wanted` allows.
pub(crate) fn find(text: &str, range: Range<usize>, russian: bool, wanted: [bool; 3]) -> Vec<Shape> {
    let slice = &text[range.clone()];
    let mut out = Vec::new();
    let org = if russian { org_ru() } else { org_en() };
    for c in wanted[0].then(|| org.captures_iter(slice)).into_iter().flatten() {
        let m = c.get(0).expect("match");
        let mut r = (range.start + m.start())..(range.start + m.end());
        let trimmed = text[r.clone()].trim_end_matches([',', ' ']).len();
        r.end = r.start + trimmed;
        if !russian {
            r = trim_leading(text, r);
        } else if text[r.clone()].ends_with("имени") || text[r.clone()].ends_with("им.") {
            // "… театр драмы имени М.О. Ауэзова": the genitive words ate "имени".
            let re = named_after();
            if let Some(m) = re.find(&text[r.end..]) {
                r.end += m.end();
            }
        }
        let s = &text[r.clone()];
        // A lone head noun ("University") is not a name; at least two words, one of them
        // capitalised beyond the first.
        let words = s.split_whitespace().count();
        if words < 2 {
            continue;
        }
        out.push(Shape { range: r, kind: EntityKind::Organization });
    }
    for c in wanted[1].then(|| person().captures_iter(slice)).into_iter().flatten() {
        let g = c.name("p").or_else(|| c.name("r")).expect("group");
        out.push(Shape {
            range: (range.start + g.start())..(range.start + g.end()),
            kind: EntityKind::Person,
        });
    }
    out.extend(
        super::given::find(text, range.clone())
            .into_iter()
            .map(|range| Shape { range, kind: EntityKind::Person }),
    );
    for c in wanted[2].then(|| region().captures_iter(slice)).into_iter().flatten() {
        let g = c.name("g").expect("group");
        let s = g.as_str();
        let first = s.split_whitespace().next().unwrap_or("");
        if NOT_REGION.iter().any(|w| s.split_whitespace().any(|x| x == *w)) || SENTENCE_WORDS.contains(&first)
        {
            continue;
        }
        out.push(Shape {
            range: (range.start + g.start())..(range.start + g.end()),
            kind: EntityKind::Place,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(text: &str, ru: bool) -> Vec<(String, EntityKind)> {
        find(text, 0..text.len(), ru, wanted(text, ru))
            .into_iter()
            .map(|s| (text[s.range].to_string(), s.kind))
            .collect()
    }

    #[test]
    fn english_organisations_and_people() {
        let got = shapes(
            "In Almaty the Kazakh State Drama Theater named after Kuanyshbayev and the Institute of History of the State Committee met; N.A. Nazarbayev and M.Auezov spoke.",
            false,
        );
        assert!(
            got.contains(&(
                "Kazakh State Drama Theater named after Kuanyshbayev".into(),
                EntityKind::Organization
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&("Institute of History of the State Committee".into(), EntityKind::Organization)),
            "{got:?}"
        );
        assert!(got.contains(&("N.A. Nazarbayev".into(), EntityKind::Person)), "{got:?}");
        assert!(got.contains(&("M.Auezov".into(), EntityKind::Person)), "{got:?}");
    }

    #[test]
    fn russian_organisations_people_and_regions() {
        let got = shapes(
            "Министерство культуры Республики Казахстан и Казахский государственный академический театр драмы имени М.О. Ауэзова; выступил Н.А. Назарбаев в Туркестанской области.",
            true,
        );
        assert!(
            got.contains(&("Министерство культуры Республики Казахстан".into(), EntityKind::Organization)),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "Казахский государственный академический театр драмы имени М.О. Ауэзова".into(),
                EntityKind::Organization
            )),
            "{got:?}"
        );
        assert!(got.contains(&("Н.А. Назарбаев".into(), EntityKind::Person)), "{got:?}");
        assert!(got.contains(&("Туркестанской области".into(), EntityKind::Place)), "{got:?}");
    }
}
