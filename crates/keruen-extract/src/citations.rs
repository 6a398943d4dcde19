//! Author–year citations in the text and the bibliography they point to.
//!
//! In-text forms: "(Nazarbayev, 1999a: 260)", "(Laruelle and Peyrouse, 2013, p. 45)",
//! "(A 2010; B 2014)", "(Rahimov et al., 2017: 12–14)", "[Сыдыков, 2005, с. 34–36]",
//! "(Абдуллаев и др., 2016)", and narrative "Cummings (2003)". The bibliography
//! (References, List of literature, Список литературы) is split into entries; each
//! citation is linked to the entry with the same first author and year.
use crate::doc::Doc;
use keruen_gazetteer::fold::fold;
use keruen_model::{Citation, Reference};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

const SURNAME: &str = r"(?:(?:van|von|de|al|el|ibn)[\s-])?\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*|\p{Lu}{2,}";

fn part_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"^(?:(?:see|cf\.|e\.g\.|see also|см\.|см\.\s+также|ср\.)\s*:?\s+)?(?P<a>{SURNAME})(?:(?:\s*,\s*|\s+)(?:and|&|и)\s+(?:{SURNAME})|\s*,\s*(?:{SURNAME})(?:\s*,\s*(?:{SURNAME}))*\s*,?\s*(?:and|&|и)\s+(?:{SURNAME})|(?:\s*,\s*(?:{SURNAME})){{1,3}})?(?:\s+(?:et\s+al\.?|и\s+др\.?))?(?:\s*,\s*|\s+)(?:(?P<md>\p{{L}}+\s+[0-9]{{1,2}},\s+)|(?P<dm>[0-9]{{1,2}}\s+\p{{L}}+\s+))?(?P<y>(?:1[6-9]|20)[0-9]{{2}})(?P<suf>[a-zа-я])?\b(?:\s*[,:]\s*(?:(?:pp?\.|P\.|[сС]\.|стр\.)\s*)?(?P<p>[0-9]+(?:\s*[-–—]\s*[0-9]+)?))?"
        ))
        .expect("citation part regex")
    })
}

fn narrative_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(
            r"(?P<ini>(?:\p{{Lu}}\.\s?){{1,2}}\s*)?(?P<a>{SURNAME})(?:\s+(?:and|&|и)\s+(?:{SURNAME}))?(?:\s+(?:et\s+al\.?|и\s+др\.?))?\s+\((?P<y>(?:1[6-9]|20)[0-9]{{2}})(?P<suf>[a-zа-я])?(?:\s*[,:]\s*(?:(?:pp?\.|[сС]\.)\s*)?(?P<p>[0-9]+(?:\s*[-–—]\s*[0-9]+)?))?\)"
        ))
        .expect("narrative citation regex")
    })
}

fn group_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\(([^()\n]{4,300})\)|\[([^\[\]\n]{4,300})\]").expect("group regex"))
}

/// Words that start a parenthesis but are not authors.
const NOT_AUTHORS: &[&str] = &[
    "see",
    "in",
    "since",
    "from",
    "until",
    "ed",
    "eds",
    "accessed",
    "retrieved",
    "p",
    "pp",
    "vol",
    "no",
    "fig",
    "table",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "the",
    "and",
    "or",
    "for",
    "of",
    "on",
    "с",
    "в",
    "до",
    "по",
    "от",
    "на",
    "из",
    "см",
    "ср",
];

fn clean_pages(p: &str) -> String {
    p.replace(['–', '—'], "-").split_whitespace().collect()
}

/// In-text citations outside the bibliography; `is_place` rejects "Almaty (1997)".
pub(crate) fn find(doc: &Doc, is_place: &dyn Fn(&str) -> bool) -> Vec<Citation> {
    let text = doc.text;
    let end = doc.bibliography.unwrap_or(text.len());
    let body = &text[..end];
    let mut out: Vec<Citation> = Vec::new();
    for g in group_re().captures_iter(body) {
        let inner = g.get(1).or_else(|| g.get(2)).expect("one group");
        let mut at = inner.start();
        for part in inner.as_str().split(';') {
            let lead = part.len() - part.trim_start().len();
            let trimmed = part.trim();
            let part_start = at + lead;
            at += part.len() + 1;
            let Some(c) = part_re().captures(trimmed) else { continue };
            let author = c["a"].to_string();
            // "see:", "см.:" before the author are not part of the citation.
            let start = part_start + c.name("a").expect("author").start();
            if NOT_AUTHORS.contains(&author.to_lowercase().as_str()) || is_place(&author) {
                continue;
            }
            // The span runs to the end of the part when what follows the pages is a
            // short source note ("Nazarbayev, 2007: 14. camonitor.kz"); otherwise to the
            // end of the match.
            let span_end = part_start + c.get(0).expect("match").end();
            out.push(Citation {
                author,
                year: Some(format!("{}{}", &c["y"], c.name("suf").map(|s| s.as_str()).unwrap_or(""))),
                pages: c.name("p").map(|p| clean_pages(p.as_str())),
                start: doc.ch(start),
                end: doc.ch(span_end),
                text: text[start..span_end].to_string(),
                reference: None,
            });
        }
    }
    for c in narrative_re().captures_iter(body) {
        let m = c.get(0).expect("match");
        let author = c["a"].to_string();
        if NOT_AUTHORS.contains(&author.to_lowercase().as_str()) || is_place(&author) {
            continue;
        }
        // Initials before the surname belong to the span ("К. Токаев (2019)"), unless
        // the capital is the end of a word ("…USA. Cummings (2012)").
        let from = match c.name("ini") {
            Some(i) if !text[..i.start()].ends_with(char::is_alphanumeric) => i.start(),
            _ => c.name("a").expect("author").start(),
        };
        let m = &text[from..m.end()];
        let (s, e) = (doc.ch(from), doc.ch(from + m.len()));
        if out.iter().any(|x| x.start < e && s < x.end) {
            continue;
        }
        out.push(Citation {
            author,
            year: Some(format!("{}{}", &c["y"], c.name("suf").map(|s| s.as_str()).unwrap_or(""))),
            pages: c.name("p").map(|p| clean_pages(p.as_str())),
            start: s,
            end: e,
            text: m.to_string(),
            reference: None,
        });
    }
    out.sort_by_key(|c| c.start);
    out
}

/// A list marker at the start of a bibliography line: "- ", "* ", "1. ", "[1] ", "1) ".
fn marker_len(line: &str) -> Option<usize> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"^\s*(?:[-*•–—]\s+|\[?[0-9]{1,3}[.)\]]\s+)").expect("marker regex"));
    re.find(line).map(|m| m.end())
}

/// Splits the bibliography into entries (byte ranges of their text, markers left out).
fn entries(doc: &Doc) -> Vec<std::ops::Range<usize>> {
    let Some(start) = doc.bibliography else { return Vec::new() };
    let text = doc.text;
    // Skip the heading line itself.
    let body_start = text[start..].find('\n').map(|i| start + i + 1).unwrap_or(text.len());
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = body_start;
    let mut prev_open = false;
    for line in text[body_start..].split_inclusive('\n') {
        let line_start = at;
        at += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let marker = marker_len(line);
        let content_start = line_start + marker.unwrap_or(line.len() - line.trim_start().len());
        let content_end = line_start + line.trim_end().len();
        if content_end <= content_start {
            continue;
        }
        // A line continues the previous entry when that entry ended open (":" or a
        // hyphen) or when this line starts in lower case without a marker.
        let first = text[content_start..].chars().next().unwrap_or(' ');
        let continues = !out.is_empty() && (prev_open || (marker.is_none() && first.is_lowercase()));
        if continues {
            out.last_mut().expect("an entry").end = content_end;
        } else {
            out.push(content_start..content_end);
        }
        let t = text[content_start..content_end].trim_end();
        prev_open = t.ends_with(':') || t.ends_with(" –") || t.ends_with(" -") || t.ends_with("//");
    }
    out
}

/// The year of publication: the last year-like number of the entry that is not part
/// of a range, a page number, an address or an access date.
fn entry_year(entry: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|[^\p{L}0-9/_.])((?:1[6-9]|20)[0-9]{2})([a-zа-я])?(?:[^0-9/_-]|$)")
            .expect("year regex")
    });
    let lower = entry.to_lowercase();
    let cut = ["decision date", "accessed", "retrieved", "дата обращения", "access date", "date of access"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
        .unwrap_or(entry.len());
    let cut =
        entry.char_indices().map(|(i, _)| i).take_while(|&i| i <= cut).last().unwrap_or(0).min(entry.len());
    let head = &entry[..cut];
    let mut last = None;
    for c in re.captures_iter(head) {
        let m = c.get(1).expect("year");
        let after = &head[m.end()..];
        let before = &head[..m.start()];
        let dashes: &[char] = &['-', '–', '—'];
        let range_after = after
            .trim_start()
            .strip_prefix(dashes)
            .is_some_and(|r| r.trim_start().starts_with(|ch: char| ch.is_ascii_digit()));
        let range_before = before
            .trim_end()
            .strip_suffix(dashes)
            .is_some_and(|r| r.trim_end().ends_with(|ch: char| ch.is_ascii_digit()));
        if range_after || range_before {
            continue;
        }
        if before.contains("http") && !before[before.rfind("http").unwrap_or(0)..].contains(' ') {
            continue;
        }
        last = Some(format!("{}{}", m.as_str(), c.get(2).map(|s| s.as_str()).unwrap_or("")));
    }
    last
}

/// Surnames of an entry's authors: "Surname I.I.", "Surname, Given", "I.I. Surname".
fn entry_authors(entry: &str) -> Vec<String> {
    static LEAD: OnceLock<Regex> = OnceLock::new();
    static INIT: OnceLock<Regex> = OnceLock::new();
    let lead = LEAD.get_or_init(|| {
        Regex::new(&format!(r"^(?P<s>{SURNAME})(?:,?\s+\p{{Lu}}\p{{Ll}}?\.\s*(?:-?\p{{Lu}}\p{{Ll}}?\.)?|,\s+\p{{Lu}}\p{{Ll}}+)"))
            .expect("lead author regex")
    });
    let init = INIT.get_or_init(|| {
        Regex::new(&format!(r"\b\p{{Lu}}\p{{Ll}}?\.\s*(?:\p{{Lu}}\p{{Ll}}?\.\s*)?(?P<s>{SURNAME})"))
            .expect("initials regex")
    });
    let head: String = entry.chars().take(100).collect();
    let mut out = Vec::new();
    if let Some(c) = lead.captures(&head) {
        out.push(c["s"].to_string());
        // Further authors: ", Surname I.I." after the first.
        let rest = &head[c.get(0).expect("m").end()..];
        for part in rest.split([',', ';']).take(5) {
            if let Some(c2) = lead.captures(part.trim().trim_start_matches("and ").trim_start_matches("и "))
            {
                out.push(c2["s"].to_string());
            } else {
                break;
            }
        }
        return out;
    }
    if let Some(c) = init.captures(&head) {
        out.push(c["s"].to_string());
    }
    out
}

/// The bibliography entries with authors and years.
pub(crate) fn references(doc: &Doc) -> Vec<Reference> {
    entries(doc)
        .into_iter()
        .enumerate()
        .map(|(index, r)| {
            let text = &doc.text[r.clone()];
            let archival = text.to_lowercase().contains("archive") || text.to_lowercase().contains("архив");
            Reference {
                index,
                start: doc.ch(r.start),
                end: doc.ch(r.end),
                text: text.to_string(),
                authors: if archival { Vec::new() } else { entry_authors(text) },
                year: if archival { None } else { entry_year(text) },
            }
        })
        .collect()
}

/// A key under which the same surname in Cyrillic and Latin, or in two
/// transliterations, meets: folded, with c/k, doubled letters and y/i merged.
fn surname_key(s: &str) -> String {
    let f = fold(s).replace(' ', "");
    let f = f.replace("ck", "k").replace('c', "k").replace('y', "i").replace("kh", "h").replace('j', "dzh");
    let mut out = String::with_capacity(f.len());
    for ch in f.chars() {
        if out.ends_with(ch) {
            continue;
        }
        out.push(ch);
    }
    out
}

/// Links each citation to the bibliography entry with its author and year.
pub(crate) fn link(citations: &mut [Citation], refs: &[Reference]) {
    let keys: Vec<(Vec<String>, String)> = refs
        .iter()
        .map(|r| {
            let head: String = r.text.chars().take(120).collect();
            let words = head
                .split(|c: char| !c.is_alphabetic() && c != '-' && c != '\'')
                .filter(|w| w.chars().count() >= 2)
                .map(surname_key)
                .collect();
            (words, r.year.clone().unwrap_or_default())
        })
        .collect();
    // Entries by the first four characters of their year, so that a citation looks at
    // the entries of its year only: a collection of papers has thousands of entries
    // and thousands of citations.
    let mut by_year: HashMap<String, Vec<usize>> = HashMap::new();
    let mut undated: Vec<usize> = Vec::new();
    for (i, (_, y)) in keys.iter().enumerate() {
        if y.is_empty() {
            undated.push(i);
        } else {
            by_year.entry(y.chars().take(4).collect()).or_default().push(i);
        }
    }
    // Undated entries by each word, and by the word less one or two letters (when
    // four remain), so that a surname finds the entries that name it, with or without
    // an ending, without a pass over all of them.
    let mut undated_by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &undated {
        for w in &keys[i].0 {
            for cut in 0..=2 {
                let Some(part) = w.get(..w.len().saturating_sub(cut)) else { continue };
                if cut > 0 && part.len() < 4 {
                    continue;
                }
                let list = undated_by_word.entry(part).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    let everything: Vec<usize> = (0..keys.len()).collect();
    for c in citations.iter_mut() {
        let author = surname_key(&c.author);
        let year = c.year.clone().unwrap_or_default();
        let digits: String = year.chars().take(4).collect();
        // The entries whose year starts with `digits`: that year's, or (a citation
        // with a shorter year, which the patterns do not produce) all of them.
        let of_year: &[usize] = if digits.chars().count() == 4 {
            by_year.get(&digits).map_or(&[], Vec::as_slice)
        } else {
            &everything
        };
        let suffix = year.chars().nth(4);
        // The same surname, or one with a feminine or possessive ending (Iskandarov /
        // Iskandarova, Nazarbayev's).
        let same = |w: &String| {
            *w == author
                || (w.len() >= 4 && author.len() >= 4 && {
                    let (short, long) = if w.len() < author.len() { (w, &author) } else { (&author, w) };
                    long.starts_with(short.as_str()) && long.len() - short.len() <= 2
                })
        };
        let mut candidates: Vec<usize> = of_year
            .iter()
            .copied()
            .filter(|&i| keys[i].1.starts_with(&digits) && keys[i].0.iter().any(same))
            .collect();
        if candidates.is_empty() {
            // An entry without a year (a web page) by the only author of that name.
            let mut by_author: Vec<usize> = (0..=2)
                .filter_map(|cut| author.get(..author.len().saturating_sub(cut)))
                .filter_map(|part| undated_by_word.get(part))
                .flatten()
                .copied()
                .filter(|&i| keys[i].0.iter().any(same))
                .collect();
            by_author.sort_unstable();
            by_author.dedup();
            if by_author.len() == 1 {
                candidates = by_author;
            }
        }
        c.reference = match candidates.len() {
            0 => None,
            1 => Some(refs[candidates[0]].index),
            _ => {
                // 1999a is the first of that author's entries of 1999, 1999b the second.
                let exact = candidates.iter().find(|&&i| refs[i].year.as_deref() == Some(year.as_str()));
                let by_letter = suffix
                    .and_then(|s| "abcdefghабвгде".chars().position(|x| x == s))
                    .map(|p| p % 7)
                    .and_then(|p| candidates.get(p));
                exact.or(by_letter).or(candidates.first()).map(|&i| refs[i].index)
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn cites(text: &str) -> Vec<Citation> {
        find(&Doc::new(text, Lexicon::builtin()), &|a| a == "Almaty")
    }

    #[test]
    fn parenthetical_forms() {
        let c = cites(
            "as said (Nazarbayev, 1999a: 260). Others (Laruelle and Peyrouse, 2013, p. 45) and (Cummings 2003; Olcott 2010).",
        );
        let got: Vec<(&str, &str, Option<&str>, &str)> = c
            .iter()
            .map(|c| (c.author.as_str(), c.year.as_deref().unwrap(), c.pages.as_deref(), c.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Nazarbayev", "1999a", Some("260"), "Nazarbayev, 1999a: 260"),
                ("Laruelle", "2013", Some("45"), "Laruelle and Peyrouse, 2013, p. 45"),
                ("Cummings", "2003", None, "Cummings 2003"),
                ("Olcott", "2010", None, "Olcott 2010"),
            ]
        );
    }

    #[test]
    fn two_authors_without_a_conjunction() {
        let c = cites("As shown (Ivanov, Petrova, 2011: 34), the ties grew.");
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!((c[0].author.as_str(), c[0].year.as_deref()), ("Ivanov", Some("2011")));
        assert_eq!(c[0].text, "Ivanov, Petrova, 2011: 34");
    }

    #[test]
    fn see_before_the_author_and_initials_before_a_narrative_surname() {
        let c = cites(
            "Об этом писали (см.: Лаумулин, 2011; Сыроежкин, 2015), а К. Токаев (2019) возражал. \
             Others agree (see: Olcott, 2005; Starr, 2013). In the USA. Cummings (2012) disagreed.",
        );
        let got: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            got,
            [
                "Лаумулин, 2011",
                "Сыроежкин, 2015",
                "К. Токаев (2019)",
                "Olcott, 2005",
                "Starr, 2013",
                "Cummings (2012)"
            ]
        );
    }

    #[test]
    fn a_bibliography_heading_without_blank_lines_around_it() {
        let text = "As Olcott (2005) showed, the archive grew.\nReferences\nOlcott M. (2005). Central Asia's Second Chance. Washington.\nStarr S. (2013). Lost Enlightenment. Princeton.\n";
        let (cites, refs) = crate::find_citations(text);
        assert_eq!(refs.len(), 2, "{refs:?}");
        assert_eq!(cites[0].reference, Some(0));
    }

    #[test]
    fn russian_and_narrative_forms() {
        let c = cites(
            "как писал Олкотт (2005), а также [Сыдыков, 2005, с. 34–36] и (Абдуллаев и др., 2016). Held in Almaty (1997).",
        );
        let got: Vec<(&str, &str)> = c.iter().map(|c| (c.author.as_str(), c.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("Олкотт", "Олкотт (2005)"),
                ("Сыдыков", "Сыдыков, 2005, с. 34–36"),
                ("Абдуллаев", "Абдуллаев и др., 2016")
            ]
        );
        assert_eq!(c[1].pages.as_deref(), Some("34-36"));
    }

    #[test]
    fn a_long_bibliography_links_every_citation_to_its_own_entry() {
        // Surnames of three syllables (Badoru, …), each in two years; entries in no
        // particular order of year.
        let name = |i: usize| {
            let syl = ["ba", "do", "ru", "te", "mi", "sa", "lo", "ne", "vi", "gu"];
            let s = format!("{}{}{}", syl[i / 100 % 10], syl[i / 10 % 10], syl[i % 10]);
            s[..1].to_uppercase() + &s[1..]
        };
        let year = |i: usize| 1950 + (i * 37) % 70;
        let mut body = String::from("Body.");
        let mut bib = String::from("\n\nReferences\n\n");
        for i in 0..600 {
            body.push_str(&format!(" As shown ({}, {}: {}).", name(i / 2), year(i), i + 1));
            bib.push_str(&format!("- {} B.C. Work number {i}. Almaty, {}.\n", name(i / 2), year(i)));
        }
        // Undated entries: one by a single author, found with a feminine ending; two
        // by another author, which leave the citation unlinked.
        body.push_str(" Also (Mirusova, 2001) and (Tosaki, 2002).");
        bib.push_str("- Mirusov D. Notes on the caravan road. Manuscript.\n");
        bib.push_str("- Tosaki R. A portal. Online.\n- Tosaki R. Another portal. Online.\n");
        let text = format!("{body}{bib}");
        let doc = Doc::new(&text, Lexicon::builtin());
        let refs = references(&doc);
        assert_eq!(refs.len(), 603);
        let mut c = find(&doc, &|_| false);
        assert_eq!(c.len(), 602);
        link(&mut c, &refs);
        for (i, c) in c.iter().take(600).enumerate() {
            assert_eq!(c.reference, Some(i), "{c:?}");
        }
        assert_eq!((c[600].reference, c[601].reference), (Some(600), None));
    }

    #[test]
    fn bibliography_entries_years_and_links() {
        let text = "Body text (Bekova, 2005: 12) and Олкотт (2005).\n\nReferences\n\n\
                    - Bekova A.K. A history of ties. Almaty: Fan, 2005. 240 p.\n\
                    - Olcott M.B. Central Asia's Second Chance. Washington, 2005.\n\
                    - Smith J. Notes (1991-2008). New York:\n\n- Public Affairs, 2010.- p. 13\n\
                    - Portal page. URL: http://example.org/2019/x (accessed: May 1, 2020).\n";
        let doc = Doc::new(text, Lexicon::builtin());
        let refs = references(&doc);
        let got: Vec<(Vec<String>, Option<String>)> =
            refs.iter().map(|r| (r.authors.clone(), r.year.clone())).collect();
        assert_eq!(
            got,
            vec![
                (vec!["Bekova".to_string()], Some("2005".to_string())),
                (vec!["Olcott".to_string()], Some("2005".to_string())),
                (vec!["Smith".to_string()], Some("2010".to_string())),
                (vec![], None),
            ]
        );
        assert!(refs[2].text.ends_with("p. 13"), "{}", refs[2].text);
        let mut c = find(&doc, &|_| false);
        link(&mut c, &refs);
        assert_eq!(c.iter().map(|c| c.reference).collect::<Vec<_>>(), vec![Some(0), Some(1)]);
    }
}
