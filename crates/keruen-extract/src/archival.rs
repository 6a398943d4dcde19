//! Archival references in the Soviet and post-Soviet form fond / inventory (opis) /
//! case (delo) / sheet (list), in every common spelling: "F-54, I-1, Case-843",
//! "f. 75, op. 1, d. 1962, l. 12", "Fond 54, Inventory 1, Case 843",
//! "ф. 1987, оп. 1, д. 45", "Ф. Р-2661. Оп. 1. Д. 3", with the archive when the
//! reference or its bibliography entry names it.
use crate::doc::Doc;
use keruen_model::ArchivalRef;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let sep = r"\s*[,;.]?\s*";
        let fond = r"(?:[Ff]onds?|FOND|[Ff]\.|F\b|F-|[Фф]онд|[Фф]\.|Ф-)";
        let inv = r"(?:[Ii]nventory|[Ii]nv\.|[Oo]pis'?|[Oo]p\.|I\b|I-|[Оо]пись|[Оо]п\.)";
        let case = r"(?:[Cc]ases?|[Ff]iles?|[Dd]elo|[Dd]\.|D\b|[Ii]tems?|[Дд]ело|[Дд]\.|[Ee]d\.\s*khr\.|[Ее]д\.\s*хр\.)";
        let sheet = r"(?:[Ss]heets?|[Ff]olios?|[Ll]l?\.|L\b|[Лл]ист[ыа]?|[Лл]л?\.)";
        // "Р-2661", "5-Н", and parts of a number after a slash ("оп. 5/1").
        let id = r"(?P<ID>[A-Za-zА-Яа-я]{0,2}-?[0-9]+[A-Za-zА-Яа-я]?(?:/[0-9]+[A-Za-zА-Яа-я]?)?)";
        let num = |name: &str| id.replace("ID", name);
        Regex::new(&format!(
            r"(?P<fl>{fond})\s*-?\s*{f}{sep}{inv}\s*-?\s*{i}(?:{sep}(?:{case}\s*-?\s*)?{c})?(?:{sep}{sheet}\s*-?\s*(?P<s>[0-9]+(?:\s*(?:об\.|ob\.|v\.))?(?:\s*[-–]\s*[0-9]+(?:\s*(?:об\.|ob\.|v\.))?)?))?",
            f = num("f"),
            i = num("i"),
            c = num("c"),
        ))
        .expect("archival regex")
    })
}

/// Words that show a phrase names an archive.
fn names_archive(s: &str) -> bool {
    let lower = s.to_lowercase();
    if lower.contains("archive") || lower.contains("архив") {
        return true;
    }
    // Abbreviations such as ЦГА РК, АП РК, CSA RK, ЦГА РУз: short words mostly in capitals.
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().all(|w| w.chars().count() <= 5)
        && words.iter().any(|w| w.chars().filter(|c| c.is_uppercase()).count() >= 2)
        && s.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase() || "аоуыэяеёюиз".contains(c))
}

/// Abbreviations that the text defines: "Central State Archive of the Republic of
/// Kazakhstan (CSA RK)".
fn defined_abbreviations(text: &str) -> HashMap<String, String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?P<full>(?:[A-ZА-Я][\w-]*\s+){0,8}(?:[Aa]rchives?|[Аа]рхив[а-я]*)(?:\s+(?:of|the|[a-zа-я]+|[A-ZА-Я][\w-]*)){0,8})\s*\((?P<abbr>[A-ZА-Я][A-ZА-Яа-я ]{1,12})\)")
            .expect("abbreviation regex")
    });
    re.captures_iter(text)
        .map(|c| {
            let full = c["full"].trim();
            let full = full.strip_prefix("The ").or_else(|| full.strip_prefix("the ")).unwrap_or(full);
            (c["abbr"].trim().to_string(), full.to_string())
        })
        .collect()
}

/// The archive named right before a reference in the same clause or bibliography
/// entry ("National Archive of the Republic of Kazakhstan, F-54; …", "(ЦГА РК. Ф. 1987 …").
fn archive_before(
    text: &str,
    paragraph_start: usize,
    at: usize,
    defined: &HashMap<String, String>,
) -> Option<String> {
    let head = &text[paragraph_start..at];
    let clean = |s: &str| -> String {
        s.trim()
            .trim_end_matches(|c: char| {
                c == ',' || c == '.' || c == ':' || c == '–' || c == '-' || c.is_whitespace()
            })
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_start_matches("See ")
            .trim_start_matches("see ")
            .trim_start_matches("см. ")
            .to_string()
    };
    let bracket = crate::doc::after_last(head, |c| matches!(c, '(' | '[' | ';' | '«' | '\n'));
    // The last ". " before the reference, not counting a full stop that ends the head.
    let trimmed = head.trim_end().trim_end_matches('.');
    let sentence = trimmed.rfind(". ").map(|i| i + 2).unwrap_or(0);
    // The nearest clause first (after a full stop), then the whole bracket.
    for from in [sentence.max(bracket), bracket] {
        let candidate = clean(&head[from..]);
        if !candidate.is_empty() && candidate.chars().count() <= 120 && names_archive(&candidate) {
            return Some(defined.get(&candidate).cloned().unwrap_or(candidate));
        }
    }
    None
}

/// Every archival reference in the document.
pub(crate) fn find(doc: &Doc) -> Vec<ArchivalRef> {
    let text = doc.text;
    let defined = defined_abbreviations(text);
    let mut out = Vec::new();
    for c in pattern().captures_iter(text) {
        let m = c.get(0).expect("match");
        // A fond label glued to a word is not one ("TF-54").
        if text[..m.start()].chars().next_back().is_some_and(|p| p.is_alphanumeric()) {
            continue;
        }
        // Without a case, a bare "F-54, I-1" is too weak unless the labels are the long forms.
        if c.name("c").is_none() && c["fl"].len() <= 2 {
            continue;
        }
        let end = m.end() - (m.as_str().len() - m.as_str().trim_end_matches([',', ';', '.', ' ']).len());
        // The archive may stand before a full stop that the sentence splitter took for
        // an end ("ЦГА РК. Ф. 1987"): look back within the paragraph.
        let sentence_start = doc
            .paragraphs
            .iter()
            .find(|p| p.range.start <= m.start() && m.start() < p.range.end.max(p.range.start + 1))
            .map(|p| p.range.start)
            .unwrap_or(0);
        out.push(ArchivalRef {
            archive: archive_before(text, sentence_start, m.start(), &defined),
            fond: c["f"].to_string(),
            inventory: c.name("i").map(|x| x.as_str().to_string()),
            case: c.name("c").map(|x| x.as_str().to_string()),
            sheet: c.name("s").map(|x| x.as_str().to_string()),
            start: doc.ch(m.start()),
            end: doc.ch(end),
            text: text[m.start()..end].to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn refs(text: &str) -> Vec<ArchivalRef> {
        find(&Doc::new(text, Lexicon::builtin()))
    }

    #[test]
    fn every_common_form() {
        let cases = [
            ("See F-54, I-1, Case-843.", ("54", "1", "843")),
            ("(F-54; I-1; Case 843)", ("54", "1", "843")),
            ("in f. 75, op. 1, d. 1962, l. 12.", ("75", "1", "1962")),
            ("Fond 54, Inventory 1, Case 843", ("54", "1", "843")),
            ("ЦГА РК. Ф. 1987. Оп. 1. Д. 45. Л. 12", ("1987", "1", "45")),
            ("ф. 1987, оп. 1, д. 45", ("1987", "1", "45")),
            ("ф. Р-2661, оп. 1, д. 3", ("Р-2661", "1", "3")),
            ("F-75, I-1 , 1960", ("75", "1", "1960")),
            ("АП РК, ф. 708, оп. 5/1, д. 23", ("708", "5/1", "23")),
        ];
        for (text, (f, i, c)) in cases {
            let r = refs(text);
            assert_eq!(r.len(), 1, "{text}: {r:?}");
            assert_eq!(
                (r[0].fond.as_str(), r[0].inventory.as_deref(), r[0].case.as_deref()),
                (f, Some(i), Some(c)),
                "{text}"
            );
        }
        let r = refs("Архив: ф. 1987, оп. 1, д. 45, л. 3–5.");
        assert_eq!(r[0].sheet.as_deref(), Some("3–5"));
        assert_eq!(r[0].text, "ф. 1987, оп. 1, д. 45, л. 3–5");
    }

    #[test]
    fn the_archive_is_named_when_the_reference_names_it() {
        let r = refs("National Archive of the Republic of Kazakhstan, F-54; I-1; Case 843.");
        assert_eq!(r[0].archive.as_deref(), Some("National Archive of the Republic of Kazakhstan"));
        let r = refs("(ЦГА РК. Ф. 1987. Оп. 1. Д. 45)");
        assert_eq!(r[0].archive.as_deref(), Some("ЦГА РК"));
        let r = refs("The decision was taken in 1962 (F-75, I-1, Case-1962).");
        assert_eq!(r[0].archive, None);
        let r = refs(
            "The Central State Archive of the Republic of Kazakhstan (CSA RK) keeps it. See CSA RK, F. 1987, Inv. 1, File 45.",
        );
        assert_eq!(r[0].archive.as_deref(), Some("Central State Archive of the Republic of Kazakhstan"));
    }

    #[test]
    fn numbers_that_are_not_references() {
        assert!(refs("The F-16 and I-1 models").is_empty());
        assert!(refs("Vitamin D. 12 units").is_empty());
    }
}
