//! Matching the gazetteer's names in text, word by word over folded text, so that
//! Алматы, Almaty and Alma-Ata meet, and Russian case endings are recognised by
//! stemming: a Cyrillic name matches a word that starts with the name's stem and
//! ends in one of the case endings (Казахстана, в Узбекистане, с Кыргызстаном),
//! without listing forms per name.
use keruen_gazetteer::{Gazetteer, fold::fold_with_map};
use keruen_model::{EntityKind, NameForm, Script};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::ops::Range;

/// Case endings of Russian nouns and adjectives after folding (ю → yu, ой → oy, …),
/// plus the English possessive ("Kazakhstan's" folds to "kazakhstans").
const ENDINGS: &[&str] = &[
    "", "a", "ya", "u", "yu", "e", "i", "y", "o", "om", "em", "oy", "ey", "oyu", "eyu", "ov", "ev", "am",
    "yam", "ami", "yami", "akh", "yakh", "ogo", "ego", "omu", "emu", "ym", "im", "uyu", "aya", "oe", "ee",
    "ykh", "ikh", "ymi", "imi", "ii", "iy", "iya", "iyu", "iey", "ie", "ye", "yy", "yi", "iem", "yem", "ya",
];

/// Endings a name that ends in a vowel drops to form its stem: Бухара → bukhar-.
const STEM_STRIP: &[&str] =
    &["iya", "aya", "yaya", "iy", "yy", "oy", "oe", "ee", "ya", "a", "y", "e", "o", "i", "u"];

/// One name of one gazetteer entry, ready to match.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// Folded words; for inflectable names, stems.
    words: Vec<String>,
    /// The folded words in full (before stemming).
    full: Vec<String>,
    /// Whether words may carry Russian case endings.
    inflects: bool,
    /// Index of the gazetteer entry.
    pub entry: usize,
    /// Adjective or name.
    pub form: NameForm,
    /// Whether a match must be in capitals in the text (acronyms).
    acronym: bool,
    /// A surname derived from a full name ("Nazarbayev"): weaker than a listed name.
    pub derived: bool,
}

/// A match of a pattern in text.
#[derive(Debug, Clone)]
pub(crate) struct NameMatch {
    /// Byte range in the text.
    pub range: Range<usize>,
    pub entry: usize,
    pub form: NameForm,
    pub derived: bool,
}

/// The compiled name index.
pub(crate) struct Matcher {
    patterns: Vec<Pattern>,
    /// First word (or its stem) → patterns.
    by_first: FxHashMap<String, Vec<usize>>,
    /// Loose key of one-word names of people and places → patterns, for spellings
    /// that transliterate the same sound differently (Mahtumkuli / Makhtumkuli).
    loose: FxHashMap<String, Vec<usize>>,
}

/// A key that forgives the usual transliteration variants of one name: kh/h, w/u,
/// y/i, doubled letters.
pub(crate) fn loose_key(folded: &str) -> String {
    let s = folded.replace("kh", "h").replace('w', "u").replace('y', "i").replace("ou", "u");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The stem of a name's word: without its final vowel ending, keeping `min` letters.
fn stem(word: &str, min: usize) -> String {
    for end in STEM_STRIP {
        if let Some(s) = word.strip_suffix(end)
            && s.len() >= min
        {
            return s.to_string();
        }
    }
    word.to_string()
}

impl Matcher {
    pub(crate) fn new(g: &Gazetteer) -> Matcher {
        let mut patterns = Vec::new();
        let mut seen: HashMap<(String, usize, bool), ()> = HashMap::new();
        let mut add = |text: &str,
                       entry: usize,
                       form: NameForm,
                       script: Script,
                       derived: bool,
                       patterns: &mut Vec<Pattern>| {
            let folded = keruen_gazetteer::fold::fold(text);
            // The same folded name in Cyrillic and in Latin are two patterns: only the
            // Cyrillic one takes case endings.
            if folded.len() < 2
                || seen.insert((folded.clone(), entry, script == Script::Cyrillic), ()).is_some()
            {
                return;
            }
            let acronym = form == NameForm::Acronym
                || (text.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase())
                    && text.chars().count() <= 6);
            let inflects = script == Script::Cyrillic && !acronym;
            let full: Vec<String> = folded.split(' ').map(str::to_string).collect();
            // Only the last word of a compound name inflects, however short it is:
            // Алма-Ата → в Алма-Ате, Чолпон-Ата → в Чолпон-Ате.
            let last = full.len() - 1;
            let words: Vec<String> = full
                .iter()
                .enumerate()
                .map(|(i, w)| match () {
                    _ if inflects && w.len() >= 4 => stem(w, 3),
                    _ if inflects && last > 0 && i == last && w.len() == 3 => stem(w, 2),
                    _ => w.clone(),
                })
                .collect();
            patterns.push(Pattern { words, full, inflects, entry, form, acronym, derived });
        };
        let mut surnames: HashMap<String, Vec<(usize, Script)>> = HashMap::new();
        for (i, e) in g.entries().iter().enumerate() {
            if e.entity.kind == EntityKind::Work {
                continue;
            }
            for n in &e.entity.names {
                add(&n.text, i, n.form, n.script, false, &mut patterns);
                if e.entity.kind == EntityKind::Person
                    && matches!(n.lang.as_str(), "en" | "ru")
                    && n.form != NameForm::Adjective
                    && let Some(last) = n.text.split_whitespace().last()
                    && n.text.split_whitespace().count() >= 2
                    && last.chars().count() >= 5
                    && last.chars().next().is_some_and(char::is_uppercase)
                {
                    surnames.entry(last.to_string()).or_default().push((i, n.script));
                }
            }
        }
        // A surname stands for its person only when no other entry has that name.
        for (surname, owners) in surnames {
            let first = owners[0].0;
            if owners.iter().any(|(o, _)| *o != first)
                || !g.find(&keruen_gazetteer::fold::fold(&surname)).is_empty()
            {
                continue;
            }
            add(&surname, first, NameForm::Variant, owners[0].1, true, &mut patterns);
        }
        let mut by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut loose: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, p) in patterns.iter().enumerate() {
            by_first.entry(p.words[0].clone()).or_default().push(i);
            let kind = g.entry(p.entry).entity.kind;
            if p.words.len() == 1
                && !p.inflects
                && !p.acronym
                && p.words[0].len() >= 6
                && matches!(kind, EntityKind::Person | EntityKind::Place | EntityKind::Polity)
            {
                loose.entry(loose_key(&p.words[0])).or_default().push(i);
            }
        }
        // A loose key that two entries share says nothing.
        loose.retain(|_, v| {
            let first = patterns[v[0]].entry;
            v.iter().all(|&i| patterns[i].entry == first)
        });
        Matcher { patterns, by_first, loose }
    }

    /// Whether a text word matches a pattern word.
    fn word_matches(pattern: &str, token: &str, inflects: bool) -> Option<bool> {
        if token == pattern {
            return Some(false);
        }
        if let Some(rest) = token.strip_prefix(pattern) {
            if inflects && ENDINGS.contains(&rest) {
                return Some(true);
            }
            // English possessive, folded: Kazakhstan's → kazakhstans.
            if !inflects && rest == "s" && pattern.len() >= 4 {
                return Some(true);
            }
        }
        None
    }

    /// Every match in `text[range]`, longest first at each position, not overlapping.
    pub(crate) fn find(&self, text: &str, range: Range<usize>) -> Vec<NameMatch> {
        let slice = &text[range.clone()];
        let (folded, map) = fold_with_map(slice);
        // Words of the folded text with their byte ranges in `folded`.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        for w in folded.split(' ') {
            if !w.is_empty() {
                words.push((at, at + w.len()));
            }
            at += w.len() + 1;
        }
        // Character offsets within the slice → byte offsets.
        let char_bytes: Vec<usize> =
            slice.char_indices().map(|(b, _)| b).chain(std::iter::once(slice.len())).collect();
        let orig = |fb: usize, fe: usize| -> Range<usize> {
            let cs = map[fb] as usize;
            let ce = map[fe - 1] as usize + 1;
            range.start + char_bytes[cs]..range.start + char_bytes[ce.min(char_bytes.len() - 1)]
        };
        let mut out = Vec::new();
        let mut k = 0;
        while k < words.len() {
            let token = &folded[words[k].0..words[k].1];
            let mut best: Option<(usize, NameMatch, bool)> = None;
            // Candidate patterns: by the token itself and by its prefixes (stems).
            let keys = (0..=4usize)
                .filter(|&cut| {
                    cut == 0 || (token.len() > cut + 2 && token.is_char_boundary(token.len() - cut))
                })
                .map(|cut| &token[..token.len() - cut]);
            for key in keys {
                let Some(ids) = self.by_first.get(key) else { continue };
                for &pid in ids {
                    let p = &self.patterns[pid];
                    if k + p.words.len() > words.len() {
                        continue;
                    }
                    let mut inflected = false;
                    let mut ok = true;
                    for (j, pw) in p.words.iter().enumerate() {
                        let (s, e) = words[k + j];
                        match Self::word_matches(pw, &folded[s..e], p.inflects) {
                            Some(inf) => inflected |= inf,
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    if !ok {
                        continue;
                    }
                    let span = orig(words[k].0, words[k + p.words.len() - 1].1);
                    let written = &text[span.clone()];
                    if !case_fits(written, p) {
                        continue;
                    }
                    // Case endings belong to Cyrillic text: in Latin text a Cyrillic name
                    // matches only in full ("Амир Темир" = "Amir Temir"), so that "Мары"
                    // does not find the English word "mare", nor "Ханой" "Khan".
                    if p.inflects
                        && !written.chars().any(|c| ('\u{400}'..='\u{52f}').contains(&c))
                        && (0..p.words.len()).any(|j| folded[words[k + j].0..words[k + j].1] != p.full[j])
                    {
                        continue;
                    }
                    let len = p.words.len();
                    let better = match &best {
                        None => true,
                        Some((blen, bm, binf)) => {
                            len > *blen
                                || (len == *blen && (*binf && !inflected))
                                || (len == *blen && *binf == inflected && bm.derived && !p.derived)
                        }
                    };
                    if better {
                        best = Some((
                            len,
                            NameMatch { range: span, entry: p.entry, form: p.form, derived: p.derived },
                            inflected,
                        ));
                    }
                }
            }
            if best.is_none() && token.len() >= 6 {
                let span = orig(words[k].0, words[k].1);
                let written = &text[span.clone()];
                if written.chars().next().is_some_and(char::is_uppercase)
                    && let Some(ids) = self.loose.get(&loose_key(token))
                {
                    let p = &self.patterns[ids[0]];
                    best = Some((
                        1,
                        NameMatch { range: span, entry: p.entry, form: p.form, derived: true },
                        false,
                    ));
                }
            }
            match best {
                Some((len, m, _)) => {
                    // Keep every entry that shares the winning span: the caller decides
                    // between a city and a person of the same name.
                    let span = m.range.clone();
                    out.push(m);
                    self.alternatives(&folded, &words, k, len, &span, text, &mut out);
                    k += len;
                }
                None => k += 1,
            }
        }
        out
    }

    /// Other entries whose names match exactly the same words.
    #[allow(clippy::too_many_arguments)]
    fn alternatives(
        &self,
        folded: &str,
        words: &[(usize, usize)],
        k: usize,
        len: usize,
        span: &Range<usize>,
        text: &str,
        out: &mut Vec<NameMatch>,
    ) {
        let first = out.last().map(|m| m.entry).unwrap_or(usize::MAX);
        let token = &folded[words[k].0..words[k].1];
        let mut keys: Vec<&str> = vec![token];
        for cut in 1..=4 {
            if token.len() > cut + 2 && token.is_char_boundary(token.len() - cut) {
                keys.push(&token[..token.len() - cut]);
            }
        }
        let mut seen = vec![first];
        for key in keys {
            let Some(ids) = self.by_first.get(key) else { continue };
            for &pid in ids {
                let p = &self.patterns[pid];
                if p.words.len() != len || seen.contains(&p.entry) {
                    continue;
                }
                let all = p.words.iter().enumerate().all(|(j, pw)| {
                    let (s, e) = words[k + j];
                    Self::word_matches(pw, &folded[s..e], p.inflects).is_some()
                });
                if all && case_fits(&text[span.clone()], p) {
                    seen.push(p.entry);
                    out.push(NameMatch {
                        range: span.clone(),
                        entry: p.entry,
                        form: p.form,
                        derived: p.derived,
                    });
                }
            }
        }
    }
}

/// Names are written with a capital in the text; acronyms in capitals. Russian
/// adjectives (казахстанский) are written in lower case.
fn case_fits(written: &str, p: &Pattern) -> bool {
    let first = written.chars().find(|c| c.is_alphabetic()).unwrap_or(' ');
    if p.acronym {
        return written.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    }
    if p.form == NameForm::Adjective && p.inflects {
        return true;
    }
    if first.is_uppercase() {
        return true;
    }
    // Arabic articles and "son of" stay in lower case inside a sentence: "аль-Фараби",
    // "al-Kashgari", "ibn Sina"; the name's capital follows them.
    let lower = written.to_lowercase();
    if let Some(rest) = ["al-", "аль-", "ал-", "әл-", "el-", "эль-", "ibn ", "ибн "]
        .iter()
        .find_map(|particle| lower.starts_with(particle).then(|| &written[particle.len()..]))
    {
        return rest.chars().next().is_some_and(char::is_uppercase);
    }
    false
}
