//! The document as the extractor sees it: the text, its paragraphs and sentences,
//! headings, and the conversion from byte offsets (what Rust's string functions
//! give) to character offsets (what the output promises).
use crate::lexicon::Lexicon;
use std::ops::Range;

/// Byte → character offsets, with a checkpoint every [`STRIDE`] bytes so that the
/// table stays small for a 50 MB document; a conversion counts at most STRIDE bytes.
pub(crate) struct CharIndex {
    checkpoints: Vec<u32>,
}

const STRIDE: usize = 256;

impl CharIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 2);
        let mut chars = 0u32;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at <= text.len() {
            checkpoints.push(chars);
            let end = (at + STRIDE).min(text.len());
            // Count character starts (bytes that are not UTF-8 continuation bytes).
            chars += bytes[at..end].iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
            at += STRIDE;
        }
        CharIndex { checkpoints }
    }

    /// The byte offset of character offset `ch` (the text's length past its end).
    pub(crate) fn byte_at(&self, text: &str, ch: usize) -> usize {
        let cp = self.checkpoints.partition_point(|&c| c as usize <= ch).saturating_sub(1);
        let mut chars = self.checkpoints[cp] as usize;
        let bytes = text.as_bytes();
        for (b, &x) in bytes.iter().enumerate().skip(cp * STRIDE) {
            if (x as i8) >= -0x40 {
                if chars == ch {
                    return b;
                }
                chars += 1;
            }
        }
        text.len()
    }

    /// The character offset of byte offset `b` (which must be a char boundary).
    pub(crate) fn char_at(&self, text: &str, b: usize) -> usize {
        let cp = b / STRIDE;
        let base = self.checkpoints[cp] as usize;
        base + text.as_bytes()[cp * STRIDE..b].iter().filter(|&&x| (x as i8) >= -0x40).count()
    }
}

/// A sentence: its byte range and the paragraph it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub range: Range<usize>,
    pub paragraph: usize,
}

/// A paragraph: its byte range, whether it is a heading, and the section it is in.
#[derive(Debug, Clone)]
pub(crate) struct Paragraph {
    pub range: Range<usize>,
    pub heading: bool,
    pub section: usize,
}

/// The segmented document.
pub(crate) struct Doc<'t> {
    pub text: &'t str,
    pub chars: CharIndex,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    /// Byte offset where the bibliography starts (its heading), if any.
    pub bibliography: Option<usize>,
}

impl<'t> Doc<'t> {
    pub(crate) fn new(text: &'t str, lex: &Lexicon) -> Self {
        let paragraphs = paragraphs(text, lex);
        let bibliography = paragraphs
            .iter()
            .filter(|p| p.heading || p.range.len() < 60)
            .find(|p| lex.is_bibliography_heading(&text[p.range.clone()]))
            .map(|p| p.range.start);
        let mut sentences = Vec::new();
        for (i, p) in paragraphs.iter().enumerate() {
            for range in split_sentences(text, p.range.clone(), lex) {
                sentences.push(Sentence { range, paragraph: i });
            }
        }
        Doc { text, chars: CharIndex::new(text), paragraphs, sentences, bibliography }
    }

    /// Character offset of a byte offset.
    pub(crate) fn ch(&self, b: usize) -> usize {
        self.chars.char_at(self.text, b)
    }

    /// Byte offset of a character offset.
    pub(crate) fn byte(&self, ch: usize) -> usize {
        self.chars.byte_at(self.text, ch)
    }
}

/// The byte offset just after the last character of `s` for which `pred` holds, or 0.
pub(crate) fn after_last(s: &str, pred: impl Fn(char) -> bool) -> usize {
    s.char_indices().rev().find(|&(_, c)| pred(c)).map(|(i, c)| i + c.len_utf8()).unwrap_or(0)
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Blocks separated by blank lines. A block that starts in lower case after a block
/// that does not end a sentence continues it (a page or column break in the source).
fn paragraphs(text: &str, lex: &Lexicon) -> Vec<Paragraph> {
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut start: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let end = at + line.len();
        if is_blank(line) {
            if let Some(s) = start.take() {
                blocks.push(s..at);
            }
        } else if line.len() < 80 && lex.is_bibliography_heading(line.trim()) {
            // "References" on a line of its own is a block of its own, even where no
            // blank line sets it off from the text before or the entries after it.
            if let Some(s) = start.take() {
                blocks.push(s..at);
            }
            blocks.push(at..end);
        } else if start.is_none() {
            start = Some(at);
        }
        at = end;
    }
    if let Some(s) = start {
        blocks.push(s..text.len());
    }
    let mut merged: Vec<Range<usize>> = Vec::new();
    for b in blocks {
        let trimmed = trim_range(text, b.clone());
        if trimmed.is_empty() {
            continue;
        }
        let first = text[trimmed.clone()].chars().next().unwrap_or(' ');
        if let Some(prev) = merged.last_mut() {
            let prev_text = text[prev.clone()].trim_end();
            let ends_sentence = prev_text.ends_with(['.', '!', '?', ':', '»', '"', ')', ';', '…']);
            if first.is_lowercase() && !ends_sentence && !lex.is_heading_like(prev_text) {
                prev.end = trimmed.end;
                continue;
            }
        }
        merged.push(trimmed);
    }
    let mut section = 0;
    merged
        .into_iter()
        .map(|range| {
            let heading = lex.is_heading_like(&text[range.clone()]);
            if heading {
                section += 1;
            }
            Paragraph { range, heading, section }
        })
        .collect()
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (r.start + lead)..(r.end - trail).max(r.start + lead)
}

/// Longest sentence, in bytes: a run-on "sentence" (a data dump, text without
/// punctuation) is cut at the first space past this length, and at any character past
/// twice it. Real sentences stay far below it (the longest in the project's corpora is
/// under 1 KB); the event rules look across a whole sentence, at a cost that grows
/// with its length squared, so that one sentence of a megabyte took ten minutes.
const MAX_SENTENCE_BYTES: usize = 8 * 1024;

/// Splits a paragraph into sentences, respecting the abbreviations and initials of
/// scholarly prose (N.A. Nazarbayev, pp. 12, ф. 54, оп. 1, д. 843, г., т.е.).
fn split_sentences(text: &str, para: Range<usize>, lex: &Lexicon) -> Vec<Range<usize>> {
    let s = &text[para.clone()];
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    // Brackets open in the current sentence: a full stop inside them is an
    // abbreviation's or a reference's ("(ЦГА РК. Ф. 1890. Оп. 1)"), not the sentence's.
    let mut open = 0usize;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '(' | '[' => open += 1,
            ')' | ']' => open = open.saturating_sub(1),
            _ => {}
        }
        if i - start >= MAX_SENTENCE_BYTES && (c.is_whitespace() || i - start >= 2 * MAX_SENTENCE_BYTES) {
            let r = trim_range(text, (para.start + start)..(para.start + i));
            if !r.is_empty() {
                out.push(r);
            }
            start = i;
            continue;
        }
        let boundary_end = match c {
            '.' | '!' | '?' | '…' => {
                // Take closing quotes and brackets with the sentence.
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = iter.peek() {
                    if matches!(d, '»' | '"' | '”' | ')' | ']' | '\'' | '’' | '.' | '!' | '?') {
                        if matches!(d, ')' | ']') {
                            open = open.saturating_sub(1);
                        }
                        end = j + d.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                if (c == '.' && lex.is_abbreviation_before(s, i)) || open > 0 { None } else { Some(end) }
            }
            '\n' => {
                // A line break ends a sentence when the next line starts a list item
                // or a heading, or when this line was a heading-like line of its own.
                let line_start = s[..i].rfind('\n').map(|p| p + 1).unwrap_or(0);
                let next = s[i + 1..].trim_start_matches([' ', '\t']);
                let starts_item = next.starts_with(['-', '•', '*', '—', '–', '#'])
                    || next.chars().next().is_some_and(|ch| ch.is_ascii_digit());
                let this_line = s[line_start..i].trim();
                let this_ends = this_line.ends_with(['.', '!', '?', ':', ';', '»']);
                let heading = lex.is_heading_like(this_line) && !this_line.is_empty();
                // A line of digits alone ("12.12.2023" under a headline) is a dateline.
                let no_words = !this_line.is_empty() && !this_line.chars().any(char::is_alphabetic);
                (starts_item
                    || heading
                    || no_words
                    || (this_ends && next.chars().next().is_some_and(|ch| ch.is_uppercase())))
                .then_some(i)
            }
            _ => None,
        };
        let Some(end) = boundary_end else { continue };
        // The next sentence must start with something that can start one.
        let rest = &s[end..];
        let next_start = rest.len() - rest.trim_start().len();
        let next_char = rest[next_start..].chars().next();
        let ok = match next_char {
            None => true,
            Some(ch) => {
                c == '\n'
                    || (next_start > 0
                        && (ch.is_uppercase() || ch.is_ascii_digit() || "«\"'(“[-—–•#".contains(ch)))
            }
        };
        if ok && end > start {
            let r = trim_range(text, (para.start + start)..(para.start + end));
            if !r.is_empty() {
                out.push(r);
            }
            start = end;
            open = 0;
        }
        let _ = bytes;
    }
    if start < s.len() {
        let r = trim_range(text, (para.start + start)..para.end);
        if !r.is_empty() {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        let lex = Lexicon::builtin();
        let doc = Doc::new(text, lex);
        doc.sentences.iter().map(|s| &text[s.range.clone()]).collect()
    }

    #[test]
    fn a_full_stop_inside_brackets_does_not_end_the_sentence() {
        let got = sentences("Они дали 6 спектаклей (ЦГА РК. Ф. 1890. Оп. 1. Д. 312). Потом уехали.");
        assert_eq!(got, ["Они дали 6 спектаклей (ЦГА РК. Ф. 1890. Оп. 1. Д. 312).", "Потом уехали."]);
        let got = sentences("It rained (as it had. Twice.) Then it stopped.");
        assert_eq!(got, ["It rained (as it had. Twice.)", "Then it stopped."]);
    }

    #[test]
    fn initials_and_abbreviations_do_not_end_sentences() {
        let s = sentences(
            "N.A. Nazarbayev spoke in Almaty. See pp. 12-14 and Vol. 2, No. 3 of the journal. Н.А. Назарбаев выступил. \
             Архив: ф. 1987, оп. 1, д. 45, л. 3. Это было в 1992 г. в Алматы. Т.е. так.",
        );
        assert_eq!(
            s,
            vec![
                "N.A. Nazarbayev spoke in Almaty.",
                "See pp. 12-14 and Vol. 2, No. 3 of the journal.",
                "Н.А. Назарбаев выступил.",
                "Архив: ф. 1987, оп. 1, д. 45, л. 3.",
                "Это было в 1992 г. в Алматы.",
                "Т.е. так."
            ]
        );
    }

    #[test]
    fn a_page_break_inside_a_sentence_does_not_split_it() {
        let s =
            sentences("The ideas of political, economic,\n\ndefense cooperation were developed. Next one.");
        assert_eq!(
            s,
            vec!["The ideas of political, economic,\n\ndefense cooperation were developed.", "Next one."]
        );
    }

    #[test]
    fn list_lines_are_sentences() {
        let s = sentences("Chronology\n1992 — one thing\n1993 — another thing\n- a bullet");
        assert_eq!(s, vec!["Chronology", "1992 — one thing", "1993 — another thing", "- a bullet"]);
    }

    #[test]
    fn run_on_text_is_cut_into_bounded_sentences() {
        let text = "Days of Culture of Kazakhstan in Tashkent 2005 ".repeat(2000);
        let s = sentences(&text);
        assert!(s.len() > 10, "{} sentences", s.len());
        assert!(s.iter().all(|x| x.len() <= MAX_SENTENCE_BYTES + 64), "a sentence is too long");
        // Nothing is lost: the pieces are the text, split at spaces.
        assert_eq!(s.join(" "), text.trim_end());
        let solid = "ж".repeat(3 * MAX_SENTENCE_BYTES);
        let s = sentences(&solid);
        assert!(s.len() >= 3 && s.iter().all(|x| x.len() <= 2 * MAX_SENTENCE_BYTES + 4), "{}", s.len());
        assert_eq!(s.concat(), solid);
    }

    #[test]
    fn char_offsets_count_characters() {
        let text = "Ақмола — 1997. ".repeat(100);
        let idx = CharIndex::new(&text);
        for (b, _) in text.char_indices() {
            assert_eq!(idx.char_at(&text, b), text[..b].chars().count());
        }
        assert_eq!(idx.char_at(&text, text.len()), text.chars().count());
        for (ch, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.byte_at(&text, ch), b);
        }
        assert_eq!(idx.byte_at(&text, text.chars().count()), text.len());
    }
}
