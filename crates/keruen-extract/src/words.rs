//! Regular expressions over words, fast on Cyrillic text.
//!
//! The `regex` crate's DFAs cannot evaluate a Unicode word boundary `\b` once the
//! haystack holds a non-ASCII byte; they hand the search to a much slower engine, and
//! on Russian text that is every search. The rules in `data/` are written with `\b`
//! as linguists expect, so [`WordRegex`] compiles them without it and checks the
//! boundaries itself: a match that begins with a letter or digit must not follow one,
//! and a match that ends with one must not be followed by one. That is what `\b` means
//! at the edges of a match, where all our rules put it. One difference: a refused
//! match does not let a longer alternative at the same start win, so alternatives
//! that extend one another are written longest first (`quotations? for|quotas?`).
use regex::{Captures, Match, Regex};

/// A regular expression whose `\b` are checked at the edges of each match.
#[derive(Debug, Clone)]
pub(crate) struct WordRegex {
    re: Regex,
    /// The same pattern for searches anchored at a given start (see
    /// [`WordRegex::find_at_starts`]).
    anchored: regex_automata::meta::Regex,
}

/// The lazy DFA cache of each rule, in bytes (it grows only as the text needs).
const DFA_CACHE: usize = 16 << 20;

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The letters of the languages the extractor reads — ASCII, Latin-1 and Latin
/// Extended (Turkish, Turkmen, Uzbek Latin), the Uzbek okina, Cyrillic and its
/// supplement (Kazakh, Kyrgyz, Tajik letters) — for `\w`: Unicode's `\w` spans every
/// script, which makes the automata large and slow to build.
const WORD: &str = r"0-9A-Za-z_\x{C0}-\x{24F}\x{2BB}\x{2BC}\x{400}-\x{52F}";

/// The pattern without its `\b` assertions (an escaped backslash before `b` stays),
/// and with `\w` narrowed to [`WORD`].
fn rewrite(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = std::mem::take(&mut class_start);
        match c {
            '\\' => match chars.next() {
                Some('b') => {}
                Some('w') if in_class => out.push_str(WORD),
                Some('w') => {
                    out.push('[');
                    out.push_str(WORD);
                    out.push(']');
                }
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            },
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push(c);
            }
            '^' if at_class_start => {
                class_start = true;
                out.push(c);
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The literal words rules start with, found in one pass: a rule whose every match
/// starts with one of a few words ("concert", "festival", "состоял") need not run on
/// a paragraph without them. Rules without such words always run.
#[derive(Debug, Clone)]
pub(crate) struct Prefilter {
    words: Option<aho_corasick::AhoCorasick>,
    /// The rules that start with each word.
    owners: Vec<Vec<usize>>,
    always: Vec<usize>,
    rules: usize,
}

/// The lower-case words every match of `pattern` starts with, when there are few.
fn first_words(pattern: &str) -> Option<Vec<String>> {
    let plain = rewrite(pattern).replace("(?i)", "").replace("(?i:", "(?:");
    let hir = regex_syntax::ParserBuilder::new().build().parse(&plain).ok()?;
    let seq = regex_syntax::hir::literal::Extractor::new().limit_total(2000).extract(&hir);
    let words: Vec<String> = seq
        .literals()?
        .iter()
        .map(|l| std::str::from_utf8(l.as_bytes()).ok().map(str::to_lowercase))
        .collect::<Option<_>>()?;
    (!words.is_empty() && words.iter().all(|w| w.len() >= 2)).then_some(words)
}

impl Prefilter {
    pub(crate) fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Prefilter {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let (mut words, mut owners, mut always) = (Vec::new(), Vec::new(), Vec::new());
        let mut rules = 0;
        for (i, p) in patterns.into_iter().enumerate() {
            rules = i + 1;
            match first_words(p) {
                Some(ws) => {
                    for w in ws {
                        let k = *index.entry(w.clone()).or_insert_with(|| {
                            words.push(w);
                            owners.push(Vec::new());
                            words.len() - 1
                        });
                        owners[k].push(i);
                    }
                }
                None => always.push(i),
            }
        }
        let words =
            (!words.is_empty()).then(|| aho_corasick::AhoCorasick::new(&words).expect("literal words"));
        Prefilter { words, owners, always, rules }
    }

    /// For each rule, where its matches may start in `text` (ascending byte offsets
    /// of its first words), or `None` for a rule without such words, which may match
    /// anywhere. `None` altogether when lower-casing changes the length of the text,
    /// so that offsets in the lower-cased text are not those of `text`.
    pub(crate) fn starts(&self, text: &str) -> Option<Vec<Option<Vec<usize>>>> {
        let mut out: Vec<Option<Vec<usize>>> = vec![Some(Vec::new()); self.rules];
        for &i in &self.always {
            out[i] = None;
        }
        if let Some(ac) = &self.words {
            let lower = text.to_lowercase();
            if lower.len() != text.len() {
                return None;
            }
            for m in ac.find_overlapping_iter(&lower) {
                for &o in &self.owners[m.pattern().as_usize()] {
                    if let Some(v) = &mut out[o] {
                        v.push(m.start());
                    }
                }
            }
        }
        for v in out.iter_mut().flatten() {
            v.sort_unstable();
            v.dedup();
        }
        Some(out)
    }
}

/// A set of word patterns, to tell which of them may match somewhere (a prefilter: the
/// set ignores word boundaries, so it may say yes where a [`WordRegex`] finds nothing).
#[derive(Debug, Clone)]
pub(crate) struct WordSet {
    /// The patterns in groups of [`SET_GROUP`], one set each.
    sets: Vec<regex::RegexSet>,
}

/// Patterns per set. One set of all the timex rules is one lazy DFA whose states are
/// sets of the states of every rule: building them was about a third of a whole
/// extraction's instructions on a 1 MB document. Small sets build far fewer states but
/// each scans the text: groups of 16 were the fastest of 8, 16, 32 and all at once on
/// 12 KB, 1 MB and 5 MB documents (docs/extraction.md, "Speed").
const SET_GROUP: usize = 16;

impl WordSet {
    pub(crate) fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Result<WordSet, regex::Error> {
        let rewritten: Vec<String> = patterns.into_iter().map(rewrite).collect();
        let sets = rewritten
            .chunks(SET_GROUP)
            .map(|group| regex::RegexSetBuilder::new(group).dfa_size_limit(DFA_CACHE).build())
            .collect::<Result<_, _>>()?;
        Ok(WordSet { sets })
    }

    /// The indices of the patterns that may match in `text`, in order.
    pub(crate) fn matches(&self, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for (g, set) in self.sets.iter().enumerate() {
            out.extend(set.matches(text).iter().map(|i| g * SET_GROUP + i));
        }
        out
    }
}

impl WordRegex {
    /// Compiles `pattern`, whose `\b` become edge checks and whose `\w` are the
    /// letters of [`WORD`].
    pub(crate) fn new(pattern: &str) -> Result<WordRegex, regex::Error> {
        // A lazy DFA over Unicode classes (\w, case folding of Cyrillic) has many
        // states; with the default cache it keeps rebuilding them.
        let rewritten = rewrite(pattern);
        let re = regex::RegexBuilder::new(&rewritten).dfa_size_limit(DFA_CACHE).build()?;
        let anchored = regex_automata::meta::Regex::builder()
            .configure(regex_automata::meta::Config::new().hybrid_cache_capacity(DFA_CACHE))
            .build(&rewritten)
            .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        Ok(WordRegex { re, anchored })
    }

    /// Whether `m` starts and ends at word boundaries (where it begins or ends with a
    /// word character).
    fn bounded(text: &str, start: usize, end: usize) -> bool {
        let first = text[start..end].chars().next();
        let last = text[start..end].chars().next_back();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let glued_before = first.is_some_and(word_char) && before.is_some_and(word_char);
        let glued_after = last.is_some_and(word_char) && after.is_some_and(word_char);
        !glued_before && !glued_after
    }

    /// The next start after a refused match at `start`.
    fn skip(text: &str, start: usize) -> usize {
        start + text[start..].chars().next().map(char::len_utf8).unwrap_or(1)
    }

    /// Non-overlapping matches that respect the word boundaries.
    pub(crate) fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Match<'t>> + 't {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at <= text.len() {
                let m = self.re.find_at(text, at)?;
                if Self::bounded(text, m.start(), m.end()) {
                    at = if m.end() > m.start() { m.end() } else { Self::skip(text, m.end()) };
                    return Some(m);
                }
                at = Self::skip(text, m.start());
            }
            None
        })
    }

    /// Non-overlapping matches with their groups.
    pub(crate) fn captures_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Captures<'t>> + 't {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at <= text.len() {
                let c = self.re.captures_at(text, at)?;
                let m = c.get(0).expect("whole match");
                if Self::bounded(text, m.start(), m.end()) {
                    at = if m.end() > m.start() { m.end() } else { Self::skip(text, m.end()) };
                    return Some(c);
                }
                at = Self::skip(text, m.start());
            }
            None
        })
    }

    /// Non-overlapping matches with their groups inside `text[range]`, with the
    /// text around the range as the context of the word boundaries.
    pub(crate) fn captures_in<'t>(
        &'t self,
        text: &'t str,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = Captures<'t>> + 't {
        let hay = &text[..range.end];
        let mut at = range.start;
        std::iter::from_fn(move || {
            while at <= hay.len() {
                let c = self.re.captures_at(hay, at)?;
                let m = c.get(0).expect("whole match");
                if Self::bounded(text, m.start(), m.end()) {
                    at = if m.end() > m.start() { m.end() } else { Self::skip(hay, m.end()) };
                    return Some(c);
                }
                at = Self::skip(hay, m.start());
            }
            None
        })
    }

    /// Non-overlapping matches inside `text[range]`, with the text around the range
    /// as the context of the word boundaries.
    pub(crate) fn find_in<'t>(
        &'t self,
        text: &'t str,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = Match<'t>> + 't {
        let hay = &text[..range.end];
        let mut at = range.start;
        std::iter::from_fn(move || {
            while at <= hay.len() {
                let m = self.re.find_at(hay, at)?;
                if Self::bounded(text, m.start(), m.end()) {
                    at = if m.end() > m.start() { m.end() } else { Self::skip(hay, m.end()) };
                    return Some(m);
                }
                at = Self::skip(hay, m.start());
            }
            None
        })
    }

    /// The matches inside `text[range]` that start at one of `starts` (ascending byte
    /// offsets in `text[range]`, as [`Prefilter::starts`] gives them): for a rule whose every match starts with one of a few words,
    /// the places where those words occur. Gives what [`WordRegex::find_in`] gives
    /// when every match it could find starts at one of `starts`, at the cost of a short
    /// anchored search at each instead of a scan of the range.
    pub(crate) fn find_at_starts(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        starts: &[usize],
    ) -> Vec<std::ops::Range<usize>> {
        use regex_automata::{Anchored, Input};
        let hay = &text[..range.end];
        let mut out = Vec::new();
        let mut after = range.start;
        for s in starts.iter().map(|s| range.start + s) {
            // A start inside a character can only come from text whose lower-cased
            // letters change length one way and another; nothing starts there.
            if s < after || s > hay.len() || !hay.is_char_boundary(s) {
                continue;
            }
            let input = Input::new(hay).span(s..hay.len()).anchored(Anchored::Yes);
            let Some(m) = self.anchored.find(input) else { continue };
            if Self::bounded(text, m.start(), m.end()) {
                out.push(m.start()..m.end());
                after = if m.end() > m.start() { m.end() } else { Self::skip(hay, m.end()) };
            }
        }
        out
    }

    /// Whether the text has a match.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.find_iter(text).next().is_some()
    }

    /// The pattern as compiled (without `\b`).
    pub(crate) fn as_str(&self) -> &str {
        self.re.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_hold_in_cyrillic_and_latin() {
        let re = WordRegex::new(r"(?i)\b(?:форум\w*|accords?)\b").unwrap();
        let text = "According to the accord, форумы и Межфорумный форум прошли.";
        let got: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
        assert_eq!(got, vec!["accord", "форумы", "форум"]);
    }

    #[test]
    fn escaped_backslashes_stay_and_word_classes_narrow() {
        assert_eq!(rewrite(r"\bA\\b\s"), r"A\\b\s");
        assert_eq!(rewrite(r"x\w*[\w'-][^\w]"), format!("x[{WORD}]*[{WORD}'-][^{WORD}]"));
        let re = WordRegex::new(r"(?i)\bсозда\w*").unwrap();
        assert!(re.is_match("Ассоциацию СОЗДАЛИ в 2023 году"));
        assert!(re.is_match("Ҳамкорлик создаҳ"));
    }

    #[test]
    fn the_prefilter_knows_where_the_first_words_of_rules_are() {
        let p =
            Prefilter::new([r"(?i)\b(?:concerts?|gala\s+evenings?)\b", r"(?i)\bфестивал\w*", r";|,\s+but\b"]);
        assert_eq!(p.starts("A GALA evening in Osh"), Some(vec![Some(vec![2]), Some(vec![]), None]));
        assert_eq!(p.starts("Прошёл Фестиваль"), Some(vec![Some(vec![]), Some(vec![13]), None]));
        // The Kelvin sign lower-cases to one byte: offsets would shift, so no answer.
        assert_eq!(p.starts("\u{212A}elvin concert"), None);
        // Letters whose lower-case forms change length in opposite directions (İ grows
        // by a byte, the Kelvin sign shrinks by two) keep the text's length but move
        // the offsets between them: "фестивал" is found at byte 3 of the lower-cased
        // text, inside "ф" of the text. The anchored search skips such a start.
        let text = "\u{130}фестиваль \u{130}\u{212A}";
        let re = WordRegex::new(r"(?i)\b(?:concerts?|фестивал\w*)").unwrap();
        let p = Prefilter::new([re.as_str()]);
        let starts = p.starts(text).expect("same length").remove(0).unwrap();
        assert_eq!(starts, [3]);
        assert!(re.find_at_starts(text, 0..text.len(), &starts).is_empty());
    }

    #[test]
    fn anchored_searches_at_the_first_words_find_what_a_scan_finds() {
        let patterns = [
            r"(?i)\b(?:concerts?|gala\s+evenings?|festivals?)\b",
            r"(?i)\b(?:фестивал\w*|концерт\w*)",
            r"(?i)\b(?:days?\s+of\s+(?:\w+\s+)?culture|дн\w+\s+культуры)\b",
        ];
        let texts = [
            "Concerts, a gala evening and the festival; festivals again, and a festivalgoer.",
            "Фестиваль и концерты: суперфестиваль, Фестивали, КОНЦЕРТ в Оше.",
            "Days of Culture of Tajikistan, the days of Uzbek culture, дни культуры, Дней культуры.",
        ];
        for pattern in patterns {
            let re = WordRegex::new(pattern).unwrap();
            let p = Prefilter::new([re.as_str()]);
            for text in texts {
                let whole = 0..text.len();
                let scanned: Vec<_> = re.find_in(text, whole.clone()).map(|m| m.range()).collect();
                let starts = p.starts(text).unwrap().remove(0).expect("the rule has first words");
                assert_eq!(re.find_at_starts(text, whole, &starts), scanned, "{pattern} on {text:?}");
            }
        }
    }

    #[test]
    fn a_refused_match_does_not_hide_a_later_one() {
        let re = WordRegex::new(r"\b19[0-9]{2}\b").unwrap();
        let got: Vec<&str> = re.find_iter("x1992 1993").map(|m| m.as_str()).collect();
        assert_eq!(got, vec!["1993"]);
    }
}
