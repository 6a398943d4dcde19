//! Refusing numbers that look like dates but are not: pages, case and fond numbers,
//! counts ("1500 participants"), amounts, parts of identifiers and addresses.
use super::{Candidate, TimexType};
use crate::lexicon::Lexicon;

/// The word before byte `at`, lower-cased, with and without its final punctuation.
fn word_before(text: &str, at: usize) -> (String, String) {
    let before = text[..at].trim_end();
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || "([«\"'".contains(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let word = before[start..].to_lowercase();
    let bare = word.trim_end_matches(|c: char| !c.is_alphanumeric()).to_string();
    (word, bare)
}

/// The two words before byte `at`, lower-cased: "раз в" before "три года".
fn two_words_before(text: &str, at: usize) -> String {
    let words: Vec<&str> = text[..at].split_whitespace().rev().take(2).collect();
    words.iter().rev().copied().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The word after byte `at`, lower-cased, without surrounding punctuation.
fn word_after(text: &str, at: usize) -> String {
    let after = text[at..].trim_start();
    let end = after.find(|c: char| c.is_whitespace()).unwrap_or(after.len());
    after[..end].trim_matches(|c: char| !c.is_alphanumeric() && c != '%').to_lowercase()
}

/// Whether a candidate is a date and not some other number.
pub(crate) fn plausible(text: &str, c: &Candidate, lex: &Lexicon) -> bool {
    let span = &text[c.range.clone()];
    let starts_with_digit = span.chars().next().is_some_and(|ch| ch.is_ascii_digit());
    let prev = text[..c.range.start].chars().next_back();
    let next = text[c.range.end..].chars().next();
    let next2 = text[c.range.end..].chars().nth(1);
    if starts_with_digit {
        // Glued to letters or identifier punctuation: F-54, Case-1962, mail_2006@, 1999a.
        if prev.is_some_and(|p| p.is_alphanumeric() || "-_/@#№$€£.:".contains(p)) {
            return false;
        }
        // Thousands separators: 1,992 and 1 992 are counts (but "5, 1992" is a list).
        let before = &text[..c.range.start];
        let mut tail = before.chars().rev();
        if let (Some(sep), Some(digit)) = (tail.next(), tail.next())
            && matches!(sep, ',' | ' ' | '\u{a0}' | '\u{202f}')
            && digit.is_ascii_digit()
        {
            return false;
        }
        let (word, bare) = word_before(text, c.range.start);
        if lex.blocks_date_before(&word)
            || lex.blocks_date_before(&bare)
            || lex.blocks_date_before(&two_words_before(text, c.range.start))
        {
            return false;
        }
        // Inside a web address or an e-mail.
        let token_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let token_end =
            text[c.range.end..].find(char::is_whitespace).map(|i| c.range.end + i).unwrap_or(text.len());
        let token = &text[token_start..token_end];
        if token.contains("://") || token.contains("www.") || token.contains('@') {
            return false;
        }
    }
    if let Some(n) = next {
        if n.is_alphanumeric() && !span.ends_with(|ch: char| ch.is_alphabetic()) {
            return false;
        }
        if n == '%' || n == '@' || n == '_' {
            return false;
        }
        // 1992.5 or 1992.12.3 is a number or a version, not a year.
        if (n == '.' || n == ',') && next2.is_some_and(|d| d.is_ascii_digit()) && starts_with_digit {
            return false;
        }
    }
    if starts_with_digit && matches!(c.kind, TimexType::Date | TimexType::Interval) {
        let after = word_after(text, c.range.end);
        if lex.blocks_date_after(&after) {
            return false;
        }
    }
    if c.kind == TimexType::Duration {
        // "four centuries ago" is a date relative to an unstated now, not a length.
        let after = word_after(text, c.range.end);
        // "a 14-year-old manaschi" is an age.
        if matches!(after.as_str(), "ago" | "назад" | "earlier" | "later" | "спустя" | "old") {
            return false;
        }
        // "1992 году" is a year, not 1992 years.
        let n: String = span.chars().take_while(|ch| ch.is_ascii_digit()).collect();
        if n.len() == 4 && span.contains("год") {
            return false;
        }
        let (word, bare) = word_before(text, c.range.start);
        if lex.blocks_date_before(&word)
            || lex.blocks_date_before(&bare)
            || lex.blocks_date_before(&two_words_before(text, c.range.start))
        {
            return false;
        }
    }
    true
}
