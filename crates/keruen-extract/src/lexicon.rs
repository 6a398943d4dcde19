//! The word lists the extractor uses, read from the data files in `data/` (one entry
//! per line or row, so that a linguist can review them without reading Rust).
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Non-comment, non-empty lines of a data file.
fn rows(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Tab-separated fields of a data row.
fn fields(row: &'static str) -> Vec<&'static str> {
    row.split('\t').map(str::trim).collect()
}

/// Every word list, parsed once.
pub(crate) struct Lexicon {
    abbreviations: HashSet<String>,
    bibliography_headings: HashSet<String>,
    /// (form, month number, language)
    pub months: Vec<(&'static str, u32, &'static str)>,
    /// (form, EDTF season code, language)
    pub seasons: Vec<(&'static str, u32, &'static str)>,
    /// (form, number, language)
    pub ordinals: Vec<(&'static str, u32, &'static str)>,
    /// (form, number, language)
    pub numbers: Vec<(&'static str, u32, &'static str)>,
    /// (form, day of the week 1–7 from Monday, language)
    pub weekdays: Vec<(&'static str, u32, &'static str)>,
    not_date_before: HashSet<String>,
    /// The Russian words of `not_date_before` without their endings ([`russian_stem`]).
    not_date_before_stems: HashSet<String>,
    not_date_after: HashSet<String>,
}

/// A Cyrillic word without its final vowels, soft sign and й (at most three), when
/// three letters or more remain: "аудитории" and "аудитория" → "аудитор". Russian
/// nouns change their ending with their case ("в аудитории 1905", "в зале 3").
fn russian_stem(word: &str) -> Option<&str> {
    if !word.chars().all(|c| matches!(c, 'а'..='я' | 'ё')) {
        return None;
    }
    let mut stem = word;
    for _ in 0..3 {
        match stem.strip_suffix(|c: char| "аеёийоуыьэюя".contains(c)) {
            Some(s) => stem = s,
            None => break,
        }
    }
    (stem.chars().count() >= 3).then_some(stem)
}

impl Lexicon {
    pub(crate) fn builtin() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            let numbered = |text: &'static str| -> Vec<(&'static str, u32, &'static str)> {
                rows(text)
                    .map(|r| {
                        let f = fields(r);
                        (f[2], f[0].parse().unwrap_or_else(|_| panic!("bad number in data row `{r}`")), f[1])
                    })
                    .collect()
            };
            let mut not_date_before = HashSet::new();
            let mut not_date_after = HashSet::new();
            for r in rows(include_str!("../data/not_a_date.tsv")) {
                let f = fields(r);
                match f[0] {
                    "before" => not_date_before.insert(f[1].to_lowercase()),
                    _ => not_date_after.insert(f[1].to_lowercase()),
                };
            }
            let not_date_before_stems =
                not_date_before.iter().filter_map(|w| russian_stem(w)).map(str::to_string).collect();
            Lexicon {
                abbreviations: rows(include_str!("../data/abbreviations.txt"))
                    .map(|r| r.trim().to_lowercase())
                    .collect(),
                bibliography_headings: rows(include_str!("../data/bibliography_headings.txt"))
                    .map(|r| r.trim().to_lowercase())
                    .collect(),
                months: numbered(include_str!("../data/months.tsv")),
                seasons: numbered(include_str!("../data/seasons.tsv")),
                ordinals: numbered(include_str!("../data/ordinals.tsv")),
                numbers: numbered(include_str!("../data/numbers.tsv")),
                weekdays: numbered(include_str!("../data/weekdays.tsv")),
                not_date_before,
                not_date_before_stems,
                not_date_after,
            }
        })
    }

    /// Whether the full stop at byte `dot` of `s` ends an abbreviation or an initial
    /// rather than a sentence.
    pub(crate) fn is_abbreviation_before(&self, s: &str, dot: usize) -> bool {
        let before = &s[..dot];
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | '[' | '«' | '"' | ',' | ';'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let word = &before[word_start..];
        if word.is_empty() {
            return false;
        }
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        // Initials: N. / N.A. / Н.А. / Sh. / Ch. / Yu.
        let last_segment = word.rsplit('.').next().unwrap_or(word);
        let seg: Vec<char> = last_segment.chars().collect();
        if !seg.is_empty()
            && seg.len() <= 2
            && seg[0].is_uppercase()
            && seg.iter().skip(1).all(|c| c.is_lowercase())
        {
            // A single capital, or a digraph initial (Sh., Ch., Zh., Kh., Yu.), possibly after other initials.
            if seg.len() == 1 || is_digraph_initial(last_segment) {
                return true;
            }
        }
        if letters.len() == 1 && word.chars().all(|c| c.is_alphabetic() || c == '.') {
            return true;
        }
        let key = format!("{}.", word.to_lowercase());
        if self.abbreviations.contains(&key) {
            return true;
        }
        // "т.е." and "e.g." style: letters separated by dots.
        word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2)
    }

    /// Whether a paragraph's text is the heading of a bibliography.
    pub(crate) fn is_bibliography_heading(&self, text: &str) -> bool {
        let cleaned: String = text
            .trim()
            .trim_start_matches(|c: char| {
                c == '#' || c == '*' || c == '_' || c.is_whitespace() || c.is_ascii_digit() || c == '.'
            })
            .trim_end_matches(|c: char| c == '*' || c == '_' || c == ':' || c == '.' || c.is_whitespace())
            .to_lowercase();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        self.bibliography_headings.contains(&cleaned)
    }

    /// Whether a line looks like a heading: Markdown `#`, or a short line without a
    /// final full stop that is mostly capitals or title case.
    pub(crate) fn is_heading_like(&self, text: &str) -> bool {
        let t = text.trim();
        if t.starts_with('#') {
            return true;
        }
        if t.is_empty()
            || t.chars().count() > 160
            || t.contains('\n')
            || t.ends_with(['.', ',', ';', ':', '!', '?'])
        {
            return false;
        }
        if self.is_bibliography_heading(t) {
            return true;
        }
        let words: Vec<&str> =
            t.split_whitespace().filter(|w| w.chars().any(|c| c.is_alphabetic())).collect();
        if words.is_empty() || words.len() > 16 {
            return false;
        }
        let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
        let upper = letters.iter().filter(|c| c.is_uppercase()).count();
        if letters.len() >= 4 && upper * 10 >= letters.len() * 7 {
            return true;
        }
        // Roman-numbered section headings: "II. 1992–1999", "III. Education".
        let first = t.split_whitespace().next().unwrap_or("");
        let roman = first.trim_end_matches('.');
        !roman.is_empty()
            && first.ends_with('.')
            && roman.chars().all(|c| "IVXLC".contains(c))
            && words.len() <= 8
    }

    /// Whether `word` (lower-cased) right before a number makes it a non-date.
    pub(crate) fn blocks_date_before(&self, word: &str) -> bool {
        self.not_date_before.contains(word)
            || russian_stem(word).is_some_and(|stem| self.not_date_before_stems.contains(stem))
    }

    /// Whether `word` (lower-cased) right after a number makes it a count.
    pub(crate) fn blocks_date_after(&self, word: &str) -> bool {
        self.not_date_after.contains(word)
    }

    /// Month forms grouped by language.
    pub(crate) fn month_map(&self) -> HashMap<String, u32> {
        self.months.iter().map(|(f, n, _)| (f.to_lowercase(), *n)).collect()
    }
}

fn is_digraph_initial(seg: &str) -> bool {
    matches!(
        seg,
        "Sh" | "Ch"
            | "Zh"
            | "Kh"
            | "Yu"
            | "Ya"
            | "Ts"
            | "Sch"
            | "Ye"
            | "Yo"
            | "Gh"
            | "Dj"
            | "Dzh"
            | "Th"
            | "Ph"
            | "Шч"
            | "Ю"
            | "Я"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        let lex = Lexicon::builtin();
        assert!(lex.is_bibliography_heading("## LIST OF USED LITERATURE"));
        assert!(lex.is_bibliography_heading("Список литературы:"));
        assert!(lex.is_bibliography_heading("References"));
        assert!(!lex.is_bibliography_heading("References to the past are many."));
        assert!(lex.is_heading_like("II. 1992–1999"));
        assert!(lex.is_heading_like("KAZAKHSTAN AND CENTRAL ASIA"));
        assert!(!lex.is_heading_like("Kazakhstan and Uzbekistan signed an agreement."));
    }

    #[test]
    fn abbreviations_and_initials() {
        let lex = Lexicon::builtin();
        let s = "see pp. 4";
        assert!(lex.is_abbreviation_before(s, s.find(". ").unwrap()));
        let s = "N.A. Nazarbayev";
        assert!(lex.is_abbreviation_before(s, 3));
        let s = "Sh. Aitmatov";
        assert!(lex.is_abbreviation_before(s, 2));
        let s = "in Almaty. Then";
        assert!(!lex.is_abbreviation_before(s, s.find(". ").unwrap()));
        let s = "в 1992 г. в Алматы";
        assert!(lex.is_abbreviation_before(s, s.find(". ").unwrap()));
    }
}
