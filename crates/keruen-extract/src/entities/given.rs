//! People written as given name and surname ("Daniyar Sarsenov", "Ерлан Сарсенов",
//! "Ерлана Сарсенова"): the given names are reference data (`data/given_names.txt`);
//! the surname is the capitalised word after one, a patronymic between them allowed.
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

/// Russian case endings a given name takes: "Ерлана", "Ерлану", "Ерланом", "Гульнары".
const RU_ENDINGS: &[&str] = &["ами", "ом", "ем", "ой", "ей", "ою", "ею", "а", "я", "у", "ю", "е", "ы", "и"];

/// A Cyrillic given name or a form of it, lower-cased, without its case ending or its
/// final vowel: "ерлана", "ерланом" and "ерлан" → "ерлан"; "гульнары" → "гульнар".
fn cyrillic_stem(word: &str) -> String {
    let lower = word.to_lowercase();
    for ending in RU_ENDINGS.iter().chain(["й", "ь"].iter()) {
        if let Some(stem) = lower.strip_suffix(ending)
            && stem.chars().count() >= 3
        {
            return stem.to_string();
        }
    }
    lower
}

fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| matches!(c, '\u{400}'..='\u{52F}'))
}

struct GivenNames {
    latin: HashSet<&'static str>,
    cyrillic: HashSet<String>,
}

fn given_names() -> &'static GivenNames {
    static NAMES: OnceLock<GivenNames> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut latin = HashSet::new();
        let mut cyrillic = HashSet::new();
        for name in include_str!("../../data/given_names.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if is_cyrillic(name) {
                cyrillic.insert(cyrillic_stem(name));
            } else {
                latin.insert(name);
            }
        }
        GivenNames { latin, cyrillic }
    })
}

/// Whether `word` is a given name of the list, in Russian in any case.
fn is_given_name(word: &str) -> bool {
    let names = given_names();
    if is_cyrillic(word) { names.cyrillic.contains(&cyrillic_stem(word)) } else { names.latin.contains(word) }
}

/// A capitalised word of letters, hyphens and apostrophes: a name's part.
fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && word.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
        && word.chars().skip(1).any(char::is_lowercase)
}

/// "Abishevich", "Сапарович", "Кабдуловна", "Kemeluly": a patronymic.
fn is_patronymic(word: &str) -> bool {
    let lower = word.to_lowercase();
    is_name_word(word)
        && [
            "ovich", "evich", "ovna", "evna", "ович", "евич", "овна", "евна", "ич", "uly", "ulu", "kyzy",
            "ұлы", "қызы", "улы", "уулу", "кызы",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
}

/// The words of `text[range]` with their byte ranges, split at spaces and at
/// punctuation that cannot be inside a name. (Whitespace and punctuation are told
/// apart from letters without Unicode's alphabetic table: this runs on every
/// character of a document.)
fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        let inside = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '-' || c == '\''
        } else {
            !c.is_whitespace() && !matches!(c, '«' | '»' | '“' | '”' | '„' | '–' | '—' | '…' | '‘')
        };
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                out.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
    out
}

/// The people written as "Given [Patronymic] Surname" in `text[range]`: the span from
/// the given name to the surname, without a possessive "'s".
pub(crate) fn find(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let ws = words(text, range);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < ws.len() {
        let given = &text[ws[i].clone()];
        // Only a space between the parts: "Ерлан, Сарсенов" is a list.
        let joined = |a: &Range<usize>, b: &Range<usize>| text[a.end..b.start].chars().all(|c| c == ' ');
        if !is_name_word(given) || !is_given_name(given) || !joined(&ws[i], &ws[i + 1]) {
            i += 1;
            continue;
        }
        let mut last = i + 1;
        if is_patronymic(&text[ws[last].clone()]) && last + 1 < ws.len() && joined(&ws[last], &ws[last + 1]) {
            last += 1;
        }
        let surname = &text[ws[last].clone()];
        // Two given names in a row ("Ivan and Maria" aside) are not a surname.
        if !is_name_word(surname) || (is_given_name(surname) && !is_patronymic(surname)) {
            i += 1;
            continue;
        }
        let mut r = ws[i].start..ws[last].end;
        for poss in ["'s", "’s"] {
            if text[r.clone()].ends_with(poss) {
                r.end -= poss.len();
            }
        }
        out.push(r);
        i = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<&str> {
        find(text, 0..text.len()).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn given_names_with_surnames_in_both_scripts_and_cases() {
        assert_eq!(people("Vice Minister Daniyar Sarsenov's speech opened it."), ["Daniyar Sarsenov"]);
        assert_eq!(people("По словам Ерлана Сарсенова, Дни пройдут в апреле."), ["Ерлана Сарсенова"]);
        assert_eq!(people("Выступил Ерлан Сарсенов."), ["Ерлан Сарсенов"]);
        assert_eq!(people("Nursultan Abishevich Nazarbayev spoke."), ["Nursultan Abishevich Nazarbayev"]);
    }

    #[test]
    fn a_given_name_alone_or_before_a_small_word_is_no_person() {
        assert!(people("Daniyar spoke, and Manizha answered.").is_empty());
        assert!(people("Ерлан, Марат и Данияр приехали.").is_empty());
        assert!(people("daniyar sarsenov").is_empty());
    }
}
