//! Cleaning the paged text that `pdftotext` produces.
//!
//! Pages arrive as lists of lines ([`crate::layout`]). Three things in them are artefacts of
//! print, not text, and would mislead the extractor (a running header "Bulletin
//! 1998" is a date on every page; a page number is a number):
//! 1. running headers and footers: a line among the top or bottom two of a page that
//!    recurs, digits aside ("Page 3" and "Page 4" are the same line), at the edge of
//!    at least half the pages of a document of three or more pages;
//! 2. lone page numbers at the top or bottom: `12`, `- 12 -`, `Page 3`, `Стр. 4`,
//!    `12 / 20`, `3 of 10`, `xiv`;
//! 3. words split by the typesetter across lines: `coope-` + `ration` becomes
//!    `cooperation` (also with a soft hyphen, and in Cyrillic). When the next line
//!    starts with a capital or a digit the hyphen is a real one and stays, the lines
//!    still joined (`Alma-` + `Ata` → `Alma-Ata`). A small list of compounds
//!    (`data/hyphenated-compounds.txt`) and the document's own spelling elsewhere
//!    keep hyphens such as `кое-как` or `well-known`.
//!
//! Line breaks are otherwise kept as `pdftotext` gives them (joining lines into
//! paragraphs would guess at layout), and pages are joined with a blank line.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Compound patterns, one `LEFT-RIGHT` a line.
const COMPOUNDS: &str = include_str!("../data/hyphenated-compounds.txt");

/// How many non-blank lines at the top and at the bottom of a page count as its
/// edge, where headers, footers and page numbers live.
const EDGE_LINES: usize = 2;

/// A document needs this many pages before any line is called running: with two,
/// a line shared by both pages could as well be content.
const MIN_PAGES_FOR_RUNNING_LINES: usize = 3;

/// Cleans pages of lines, as read from the PDF, into plain text.
pub(crate) fn clean(mut pages: Vec<Vec<String>>) -> String {
    for page in &mut pages {
        for line in page.iter_mut() {
            line.truncate(line.trim_end().len());
        }
    }
    let words = WordSet::new(pages.iter().flatten().map(String::as_str));
    remove_running_lines(&mut pages);
    for page in &mut pages {
        remove_page_numbers(page);
        trim_blank_edges(page);
    }
    pages.retain(|page| !page.is_empty());
    join_pages(pages, &words)
}

/// The non-blank lines at the top and bottom edge of a page, by index.
fn edge_indices(page: &[String]) -> Vec<usize> {
    let filled: Vec<usize> = (0..page.len()).filter(|&i| !page[i].trim().is_empty()).collect();
    let mut edges: Vec<usize> = filled.iter().take(EDGE_LINES).copied().collect();
    for &i in filled.iter().rev().take(EDGE_LINES) {
        if !edges.contains(&i) {
            edges.push(i);
        }
    }
    edges
}

/// A line with its digits masked and spacing normalised, so that "Page 3" and
/// "Page 14" compare equal.
fn running_key(line: &str) -> String {
    let masked: String = line.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect();
    masked.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes edge lines that recur on at least half of the pages.
pub(crate) fn remove_running_lines(pages: &mut [Vec<String>]) {
    let page_count = pages.iter().filter(|p| p.iter().any(|l| !l.trim().is_empty())).count();
    if page_count < MIN_PAGES_FOR_RUNNING_LINES {
        return;
    }
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for page in pages.iter() {
        let keys: HashSet<String> = edge_indices(page).into_iter().map(|i| running_key(&page[i])).collect();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    for page in pages.iter_mut() {
        let mut running: Vec<usize> = edge_indices(page)
            .into_iter()
            .filter(|&i| counts.get(&running_key(&page[i])).is_some_and(|&n| n * 2 >= page_count))
            .collect();
        running.sort_unstable();
        for i in running.into_iter().rev() {
            page.remove(i);
        }
    }
}

/// Removes lone page numbers among the edge lines of one page.
pub(crate) fn remove_page_numbers(page: &mut Vec<String>) {
    let mut numbers: Vec<usize> =
        edge_indices(page).into_iter().filter(|&i| is_page_number(&page[i])).collect();
    numbers.sort_unstable();
    for i in numbers.into_iter().rev() {
        page.remove(i);
    }
}

/// `12`, `- 12 -`, `— 12 —`, `Page 3`, `p. 3`, `Стр. 4`, `Страница 4`, `с. 5`,
/// `12 / 20`, `3 of 10`, `3 из 10`, `xiv`.
pub(crate) fn is_page_number(line: &str) -> bool {
    let line = line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—')).to_lowercase();
    let mut rest = line.as_str();
    for prefix in ["page", "p.", "страница", "стр.", "стр", "с."] {
        if let Some(stripped) = rest.strip_prefix(prefix) {
            rest = stripped.trim_start();
            break;
        }
    }
    let is_number = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if is_number(rest) || is_roman_numeral(rest) {
        return true;
    }
    [" / ", "/", " of ", " из "].iter().any(|separator| {
        rest.split_once(separator).is_some_and(|(a, b)| is_number(a.trim()) && is_number(b.trim()))
    })
}

/// Lower-case roman numerals up to 39, as used for front matter pages. Strict, so
/// that words made of the letters i, v, x ("xi" yes, "vix" no) are not taken.
fn is_roman_numeral(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let tens = s.len() - s.trim_start_matches('x').len();
    let units = &s[tens..];
    tens <= 3 && matches!(units, "" | "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix")
}

fn trim_blank_edges(page: &mut Vec<String>) {
    while page.last().is_some_and(|l| l.trim().is_empty()) {
        page.pop();
    }
    let leading = page.iter().take_while(|l| l.trim().is_empty()).count();
    page.drain(..leading);
}

/// Joins hyphenated line breaks inside and across pages, then the pages with a
/// blank line between them.
fn join_pages(pages: Vec<Vec<String>>, words: &WordSet) -> String {
    let mut out: Vec<String> = Vec::new();
    for page in pages {
        let mut lines = page.into_iter();
        if let Some(first) = lines.next() {
            match out.last_mut().and_then(|last| join_hyphenated(last, &first, words)) {
                Some(joined) => *out.last_mut().expect("checked above") = joined,
                None => {
                    if !out.is_empty() {
                        out.push(String::new());
                    }
                    out.push(first);
                }
            }
        }
        for line in lines {
            match out.last().and_then(|last| join_hyphenated(last, &line, words)) {
                Some(joined) => *out.last_mut().expect("checked above") = joined,
                None => out.push(line),
            }
        }
    }
    out.join("\n")
}

/// The two lines as one if `previous` ends in a word broken by a hyphen.
pub(crate) fn join_hyphenated(previous: &str, next: &str, words: &WordSet) -> Option<String> {
    let mut tail = previous.chars().rev();
    let hyphen = tail.next()?;
    let before = tail.next()?;
    if !matches!(hyphen, '-' | '\u{00AD}' | '\u{2010}') || !before.is_alphabetic() {
        return None;
    }
    let stem = &previous[..previous.len() - hyphen.len_utf8()];
    let next = next.trim_start();
    let first = next.chars().next()?;
    let keep_hyphen = if hyphen == '\u{00AD}' {
        // A soft hyphen is by definition only a break opportunity.
        if !first.is_alphabetic() {
            return None;
        }
        false
    } else if first.is_lowercase() {
        is_compound(last_word(stem), first_word(next), words)
    } else if first.is_uppercase() || first.is_ascii_digit() {
        true
    } else {
        return None;
    };
    Some(if keep_hyphen { format!("{stem}-{next}") } else { format!("{stem}{next}") })
}

fn last_word(text: &str) -> String {
    let word: Vec<char> = text.chars().rev().take_while(|c| c.is_alphabetic()).collect();
    word.into_iter().rev().collect::<String>().to_lowercase()
}

fn first_word(text: &str) -> String {
    text.chars().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase()
}

/// Whether `left-right` is a hyphenated compound rather than one word split.
fn is_compound(left: String, right: String, words: &WordSet) -> bool {
    if compound_patterns().iter().any(|pattern| pattern.matches(&left, &right)) {
        return true;
    }
    // The document's own spelling decides words like "well-known" or
    // "научно-технический": hyphenated elsewhere and never written solid.
    words.contains(&format!("{left}-{right}")) && !words.contains(&format!("{left}{right}"))
}

/// One `LEFT-RIGHT` pattern of `data/hyphenated-compounds.txt`.
struct CompoundPattern {
    left: String,
    right: String,
}

impl CompoundPattern {
    fn matches(&self, left: &str, right: &str) -> bool {
        part_matches(&self.left, left) && part_matches(&self.right, right)
    }
}

/// `*` any word; `*end` any word ending so; otherwise the word exactly.
fn part_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(ending) => ending.is_empty() || (word.len() > ending.len() && word.ends_with(ending)),
        None => pattern == word,
    }
}

fn compound_patterns() -> &'static [CompoundPattern] {
    static PATTERNS: OnceLock<Vec<CompoundPattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        COMPOUNDS
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (left, right) = line.split_once('-')?;
                Some(CompoundPattern { left: left.to_lowercase(), right: right.to_lowercase() })
            })
            .collect()
    })
}

/// Every lower-cased word of the document, hyphenated ones whole.
pub(crate) struct WordSet(HashSet<String>);

impl WordSet {
    pub(crate) fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> WordSet {
        let mut words = HashSet::new();
        for line in lines {
            let pieces = line
                .split(|c: char| !(c.is_alphabetic() || c == '-'))
                .map(|w| w.trim_matches('-'))
                .filter(|w| !w.is_empty());
            words.extend(pieces.map(str::to_lowercase));
        }
        WordSet(words)
    }

    fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

#[cfg(test)]
mod tests;
