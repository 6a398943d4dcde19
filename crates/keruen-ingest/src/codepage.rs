//! Telling Windows-1251 from KOI8-R (and both from everything else).
//!
//! Both code pages put the Cyrillic letters in 0xC0–0xFF, so any byte string
//! decodes to Cyrillic under either of them. What differs is which letters come
//! out, and in which case: Windows-1251 has а–я in alphabetical order with the
//! capitals first, KOI8-R has them in Latin-keyboard order with the small letters
//! first. Read through the wrong code page, Russian prose becomes mostly capitals
//! in an improbable mix ("о" turns into "Н", "а" into "Ю").
//!
//! So each candidate decoding is scored per Cyrillic letter by
//! - the log-probability of the (case-folded) letter in Russian text
//!   (`data/russian-letter-frequency.tsv`): decisive on long inputs, and on short
//!   ones as soon as a rare letter such as Ю, Ъ or Щ appears;
//! - a penalty for words whose case pattern never occurs in real text (`пРИВЕТ`,
//!   `дОГОВОР`: small first letter, capitals after): decisive on short mixed-case
//!   lines, where letter statistics alone are noisy;
//! - a penalty for word shapes Russian avoids: a word of two or more letters
//!   without a vowel, a word starting with ь, ъ or ы, й after a consonant or ь ъ ы
//!   after a vowel, three vowels or five consonants in a row. The wrong code page maps most vowels onto consonants
//!   (а→Ю but о→Н, и→Х, у→С), so these shapes are everywhere in a misreading;
//! - a penalty for box-drawing and control characters, which is what Windows-1251
//!   punctuation (« » — №) becomes when read as KOI8-R.
//!
//! Measured on Russian prose of our own, every line and every run of three words
//! was read right both ways, and about 19 words in 20 on their own: a lone word
//! such as "обмен" can misread into another plausible one ("НАЛЕМ"), and no
//! letter statistics can tell them apart.
//!
//! All-capital lines (`ДОГОВОР О СОТРУДНИЧЕСТВЕ`) have no case signal: read the
//! other way they are all small letters, a valid shape. There the letter
//! statistics decide, which is why both signals are kept.
//!
//! Text that is not Russian at all is refused rather than guessed: Latin-1 French or
//! German read as either code page gives Cyrillic letters stuck inside Latin words
//! (`Coopйration`), and random bytes give letters no language would produce.

use std::sync::OnceLock;

use encoding_rs::{Encoding, KOI8_R, WINDOWS_1251};

/// The letter table, one `letter<TAB>per_mille` a line, `#` for comments.
const LETTER_FREQUENCY: &str = include_str!("../data/russian-letter-frequency.tsv");

/// Probability given to Cyrillic letters missing from the table (Ukrainian і ї є ґ,
/// Serbian ђ ј љ …): rare in Russian, but not impossible in a Russian document.
const RARE_LETTER_PROBABILITY: f64 = 0.0001;

/// Penalty, in nats, for one word with an impossible case pattern. About the cost of
/// two improbable letters: enough to tip a short line, not to outweigh the letter
/// statistics of a paragraph.
const BAD_CASE_PENALTY: f64 = 6.0;

/// Penalty, in nats, for one box-drawing or control character.
const ODD_SYMBOL_PENALTY: f64 = 6.0;

/// Penalty, in nats, for each un-Russian word shape (see the module doc).
const BAD_SHAPE_PENALTY: f64 = 6.0;

/// The Russian vowels.
const VOWELS: &str = "аеёиоуыэюя";

/// Below this many Cyrillic letters the absolute plausibility check is skipped: on a
/// few words the average is too noisy, and the relative comparison decides alone.
const MIN_LETTERS_FOR_PLAUSIBILITY: usize = 40;

/// Highest average cost per letter (nats) still taken as Russian. Russian prose
/// costs about 3.1 nats a letter under its own statistics; letters drawn uniformly
/// cost about 4.1.
const MAX_PLAUSIBLE_COST: f64 = 3.7;

/// Guesses the Russian single-byte code page of `bytes`, or `None` when neither
/// Windows-1251 nor KOI8-R gives plausible Russian text.
pub(crate) fn guess(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut best: Option<(&'static Encoding, f64)> = None;
    // Windows-1251 first: on a tie it wins, being by far the more common today.
    for encoding in [WINDOWS_1251, KOI8_R] {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        if let Some(score) = russian_score(&text)
            && best.is_none_or(|(_, best_score)| score > best_score)
        {
            best = Some((encoding, score));
        }
    }
    best.map(|(encoding, _)| encoding)
}

/// How much `text` looks like Russian: the average log-probability per Cyrillic
/// letter, less penalties (higher is better), or `None` if it does not look like
/// Russian at all.
pub(crate) fn russian_score(text: &str) -> Option<f64> {
    let mut tally = Tally::default();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
            continue;
        }
        tally.add_word(&word);
        word.clear();
        if is_odd_symbol(c) {
            tally.odd_symbols += 1;
        }
    }
    tally.add_word(&word);

    let letters = tally.cyrillic + tally.mixed_cyrillic;
    if tally.cyrillic == 0 {
        return None;
    }
    // Cyrillic letters inside Latin words: a Western European text read through a
    // Cyrillic code page. A quarter allows for the odd real hybrid ("IT-парк").
    if tally.mixed_cyrillic * 4 > letters {
        return None;
    }
    let cost = -tally.log_probability
        + BAD_CASE_PENALTY * tally.bad_case_words as f64
        + BAD_SHAPE_PENALTY * tally.bad_shapes as f64
        + ODD_SYMBOL_PENALTY * tally.odd_symbols as f64;
    let average = cost / tally.cyrillic as f64;
    if tally.cyrillic >= MIN_LETTERS_FOR_PLAUSIBILITY && average > MAX_PLAUSIBLE_COST {
        return None;
    }
    Some(-average)
}

/// Counts gathered over one decoded text.
#[derive(Default)]
struct Tally {
    /// Letters in all-Cyrillic words.
    cyrillic: usize,
    /// Cyrillic letters in words that also hold Latin (or other) letters.
    mixed_cyrillic: usize,
    /// Sum of ln p over the letters of all-Cyrillic words.
    log_probability: f64,
    /// All-Cyrillic words with a case pattern that real text does not have.
    bad_case_words: usize,
    /// Un-Russian word shapes (no vowel, bad first letter, long runs).
    bad_shapes: usize,
    /// Box-drawing and control characters.
    odd_symbols: usize,
}

impl Tally {
    fn add_word(&mut self, word: &str) {
        let cyrillic = word.chars().filter(|&c| is_cyrillic(c)).count();
        if cyrillic == 0 {
            return;
        }
        if cyrillic < word.chars().count() {
            self.mixed_cyrillic += cyrillic;
            return;
        }
        self.cyrillic += cyrillic;
        self.log_probability += word.chars().map(letter_log_probability).sum::<f64>();
        if !plausible_case(word) {
            self.bad_case_words += 1;
        }
        self.bad_shapes += bad_shapes(&word.to_lowercase());
    }
}

/// How many un-Russian shapes a lower-cased all-Cyrillic word has: no vowel in
/// two or more letters, a first letter ь ъ ы, й after a consonant or ь ъ ы after
/// a vowel, three vowels or five consonants in a row. Russian has a few exceptions ("бодрствовать"); one penalty does not
/// outweigh the letter statistics of a line.
fn bad_shapes(word: &str) -> usize {
    let letters: Vec<char> = word.chars().collect();
    let is_vowel = |c: &char| VOWELS.contains(*c);
    let mut shapes = 0;
    if letters.len() >= 2 && !letters.iter().any(is_vowel) {
        shapes += 1;
    }
    if letters.first().is_some_and(|c| "ьъы".contains(*c)) {
        shapes += 1;
    }
    // й follows a vowel (тайна, мой), ь ъ ы follow a consonant (мальчик, съезд,
    // мы); the other way round only in a handful of loanwords (йод, Нью-Йорк).
    let bad_pair = letters.windows(2).any(|pair| {
        let (before, after) = (pair[0], pair[1]);
        match after {
            'й' => !is_vowel(&before),
            'ь' | 'ъ' | 'ы' => is_vowel(&before) || "ьъй".contains(before),
            _ => false,
        }
    });
    let (mut vowels, mut consonants) = (0, 0);
    let (mut long_vowels, mut long_consonants) = (false, false);
    for c in &letters {
        if is_vowel(c) {
            vowels += 1;
            consonants = 0;
        } else {
            consonants += 1;
            vowels = 0;
        }
        long_vowels |= vowels >= 3;
        long_consonants |= consonants >= 5;
    }
    shapes + usize::from(bad_pair) + usize::from(long_vowels) + usize::from(long_consonants)
}

/// All small, all capitals, or one capital then small letters. Anything else
/// (`пРИВЕТ`, `ПрИвЕт`) is what a case-swapping misreading produces.
fn plausible_case(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let rest: Vec<char> = chars.collect();
    let rest_lower = rest.iter().all(|c| !c.is_uppercase());
    let rest_upper = rest.iter().all(|c| !c.is_lowercase());
    if first.is_uppercase() { rest_lower || rest_upper } else { rest_lower }
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// Box drawing and blocks (KOI8-R's 0x80–0xBF), and C0/C1 controls other than
/// whitespace (Windows-1251's unassigned 0x98 decodes to U+0098).
fn is_odd_symbol(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{25FF}' | '\u{80}'..='\u{9F}') || (c.is_control() && !c.is_whitespace())
}

fn letter_log_probability(c: char) -> f64 {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let probability = letter_table()
        .iter()
        .find(|(letter, _)| *letter == lower)
        .map_or(RARE_LETTER_PROBABILITY, |(_, p)| *p);
    probability.ln()
}

/// The parsed letter table, probabilities summing to 1.
fn letter_table() -> &'static [(char, f64)] {
    static TABLE: OnceLock<Vec<(char, f64)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let rows: Vec<(char, f64)> = LETTER_FREQUENCY
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (letter, per_mille) = line.split_once('\t')?;
                Some((letter.chars().next()?, per_mille.trim().parse::<f64>().ok()?))
            })
            .collect();
        let total: f64 = rows.iter().map(|(_, f)| f).sum();
        rows.into_iter().map(|(c, f)| (c, f / total)).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp1251(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = WINDOWS_1251.encode(text);
        assert!(!unmappable, "{text} is not encodable in Windows-1251");
        bytes.into_owned()
    }

    fn koi8r(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = KOI8_R.encode(text);
        assert!(!unmappable, "{text} is not encodable in KOI8-R");
        bytes.into_owned()
    }

    /// One-line inputs of every shape: sentence case, all capitals, one word, a
    /// line mostly of Latin letters and digits, a line of rare letters. (A single
    /// letter is left out: the byte 0xD1 is "С" in one code page and "я" in the
    /// other, and nothing can say which was meant.)
    const LINES: &[&str] = &[
        "Дни культуры Казахстана прошли в Ташкенте.",
        "ДОГОВОР О СОТРУДНИЧЕСТВЕ",
        "Привет",
        "привет",
        "ПРИВЕТ",
        "Фонд «Евразия» — №5",
        "UNESCO, 1997: Самарканд",
        "съезд, объём, щёки, эхо, фьючерс",
        "Центральная Азия",
        "ЮНЕСКО",
        "в 1992 г.",
    ];

    #[test]
    fn letter_table_has_the_whole_alphabet() {
        let table = letter_table();
        assert_eq!(table.len(), 33);
        for c in "абвгдеёжзийклмнопрстуфхцчшщъыьэюя".chars() {
            assert!(table.iter().any(|(l, _)| *l == c), "missing {c}");
        }
        let total: f64 = table.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-9);
    }

    #[test]
    fn one_line_windows_1251_is_recognised() {
        for line in LINES {
            assert_eq!(guess(&cp1251(line)), Some(WINDOWS_1251), "{line}");
        }
    }

    #[test]
    fn one_line_koi8r_is_recognised() {
        for line in LINES {
            // KOI8-R has no « » —: those lines go through Windows-1251 only.
            if KOI8_R.encode(line).2 {
                continue;
            }
            assert_eq!(guess(&koi8r(line)), Some(KOI8_R), "{line}");
        }
    }

    #[test]
    fn long_text_is_recognised_both_ways() {
        let text = "Соглашение о сотрудничестве в области культуры было подписано \
                    в Бишкеке. Стороны договорились проводить гастроли театров, \
                    выставки художников и обмен студентами консерваторий.\n"
            .repeat(20);
        assert_eq!(guess(&cp1251(&text)), Some(WINDOWS_1251));
        assert_eq!(guess(&koi8r(&text)), Some(KOI8_R));
    }

    /// Russian prose written for this test, about the kind of events keruen records.
    const PROSE: &str = "Весной в Бишкеке открылась выставка молодых художников из пяти стран \
        Центральной Азии. Организаторы рассказали, что отбор работ занял почти полгода, \
        а каталог напечатали на трёх языках. Съезд ректоров обсудил обмен студентами и \
        общие магистерские программы. Щедрые гранты фонда позволили пригласить хор из \
        Душанбе и оркестр из Ашхабада. В Самарканде прошёл фестиваль: эхо старинных \
        мелодий звучало на площади Регистан до поздней ночи. Объём взаимных поездок \
        школьников вырос вдвое; чиновники обещают упростить визы для артистов и учёных. \
        Юбилейная конференция востоковедов соберёт гостей в Алматы. ЮНЕСКО поддержало \
        проект по сохранению рукописей в Хиве и Бухаре. Государственный музей искусств \
        передал на выставку шестьдесят полотен. Соответствующее соглашение вступило в \
        силу осенью.";

    #[test]
    fn every_sentence_and_three_word_run_of_prose() {
        let words: Vec<&str> = PROSE.split_whitespace().collect();
        let mut samples: Vec<String> = PROSE.split(". ").map(str::to_owned).collect();
        samples.extend(words.windows(3).map(|w| w.join(" ")));
        let upper: Vec<String> = samples.iter().map(|s| s.to_uppercase()).collect();
        samples.extend(upper);
        let mut wrong = Vec::new();
        for sample in &samples {
            if guess(&cp1251(sample)) != Some(WINDOWS_1251) {
                wrong.push(format!("cp1251: {sample}"));
            }
            if guess(&koi8r(sample)) != Some(KOI8_R) {
                wrong.push(format!("koi8-r: {sample}"));
            }
        }
        assert!(wrong.is_empty(), "{} of {}: {wrong:#?}", wrong.len(), samples.len() * 2);
    }

    #[test]
    fn lone_words_are_mostly_right() {
        // A lone word can misread into another plausible one, so this is a rate,
        // kept here so that a change of weights that hurts short inputs shows.
        let words: Vec<String> = PROSE
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() > 1)
            .flat_map(|w| [w.to_owned(), w.to_uppercase()])
            .collect();
        let right = words
            .iter()
            .map(|w| {
                usize::from(guess(&cp1251(w)) == Some(WINDOWS_1251))
                    + usize::from(guess(&koi8r(w)) == Some(KOI8_R))
            })
            .sum::<usize>();
        let total = words.len() * 2;
        eprintln!("lone words read right: {right} of {total}");
        assert!(right * 100 >= total * 93, "{right} of {total}");
    }

    #[test]
    fn latin1_is_refused() {
        for line in [
            "Coopération culturelle: le théâtre d'Almaty à Genève.",
            "Grüße aus München: Kulturtage für Zentralasien, schöne Größe.",
            "Año de la cooperación: exposición en Bishkek, señal clara.",
        ] {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(line);
            assert_eq!(guess(&bytes), None, "{line}");
        }
    }

    #[test]
    fn random_bytes_are_refused() {
        // A fixed linear congruential sequence: deterministic "noise" over the
        // high half, where both code pages put their letters.
        let mut state: u32 = 12345;
        let bytes: Vec<u8> = (0..400)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                0x80 | (state >> 24) as u8
            })
            .collect();
        assert_eq!(guess(&bytes), None);
    }

    #[test]
    fn pure_ascii_has_no_russian_score() {
        assert_eq!(russian_score("Cultural cooperation in Central Asia"), None);
    }

    #[test]
    fn word_shapes() {
        assert_eq!(bad_shapes("культура"), 0);
        assert_eq!(bad_shapes("здравствуйте"), 0);
        assert_eq!(bad_shapes("врн"), 1);
        assert_eq!(bad_shapes("ьпр"), 2);
        assert_eq!(bad_shapes("аоеулп"), 1);
        assert_eq!(bad_shapes("в"), 0);
        assert_eq!(bad_shapes("авймекобс"), 1);
        assert_eq!(bad_shapes("война"), 0);
        assert_eq!(bad_shapes("съезд"), 0);
    }

    #[test]
    fn case_patterns() {
        assert!(plausible_case("привет"));
        assert!(plausible_case("Привет"));
        assert!(plausible_case("ПРИВЕТ"));
        assert!(!plausible_case("пРИВЕТ"));
        assert!(!plausible_case("ПрИвЕт"));
    }
}
