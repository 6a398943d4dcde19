//! keruen-extract turns plain text into an [`Extraction`]: the sourced facts a reader
//! takes from a document about cultural, educational and scientific cooperation in
//! Central Asia, each tied to the span of text it came from. It is pure — text in,
//! facts out, no database and no files.
//!
//! The pipeline ([`Extractor::extract`]): the text is split into paragraphs and
//! sentences that survive the abbreviations of scholarly prose; the bibliography is
//! found by its heading and split into [`keruen_model::Reference`]s; author–year
//! [`keruen_model::Citation`]s are found and linked to it; temporal expressions
//! ([`Timex`]) are recognised in English and Russian and normalised to EDTF, with
//! dates that lack a year anchored to the text before them; gazetteer names are
//! matched over transliteration-folded text, with Russian case endings, and names the
//! gazetteer lacks are recognised by shape ([`FoundEntity`]); cooperation events of the
//! thirteen types are built from trigger words, the states, places and dates around
//! them ([`FoundEvent`]); archival references ([`keruen_model::ArchivalRef`]) are read
//! in every common form. Offsets count characters (Unicode scalar values).
//!
//! Word lists (months, triggers, abbreviations, markers of cancellation) live in
//! `data/`, one entry per line, for linguists to review.
//!
//! ```
//! use keruen_extract::{Extractor, Options};
//! let x = Extractor::builtin().extract(
//!     "Days of Culture of Turkmenistan were held in Almaty on 5 October 1992.",
//!     &Options::default(),
//! );
//! assert_eq!(x.timexes[0].value.as_deref(), Some("1992-10-05"));
//! assert_eq!(x.events[0].countries, vec!["KZ", "TM"]);
//! ```
#![warn(missing_docs)]

mod archival;
mod citations;
mod doc;
mod entities;
mod events;
mod lexicon;
#[doc(hidden)]
pub mod stages;
mod timex;
mod words;

pub use entities::{FoundEntity, Mention};
pub use events::{Evidence, FoundEvent};
pub use timex::{Anchor, Timex, TimexType};

use keruen_gazetteer::Gazetteer;
use keruen_model::{ArchivalRef, Citation, Edtf, EntityKind, EventStatus, Reference};
use serde::Serialize;
use std::sync::OnceLock;

/// The name and version that evidence records as its asserter.
pub const EXTRACTOR: &str = concat!("keruen-extract@", env!("CARGO_PKG_VERSION"));

/// Options of one extraction.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The document's file name, echoed in the output.
    pub document: String,
    /// The document's own date (publication), used to anchor dates without a year.
    pub document_date: Option<Edtf>,
    /// `en` or `ru`; detected from the letters when absent.
    pub language: Option<String>,
}

/// Everything extracted from one document, in the JSON shape of
/// `../shared/corpus/SCHEMA.md`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    /// The document's name.
    pub document: String,
    /// `en` or `ru`.
    pub language: String,
    /// Temporal expressions.
    pub timexes: Vec<Timex>,
    /// Distinct entities with their mentions.
    pub entities: Vec<FoundEntity>,
    /// Cooperation events stated as held or planned.
    pub events: Vec<FoundEvent>,
    /// Archival references.
    pub archival_refs: Vec<ArchivalRef>,
    /// In-text citations.
    pub citations: Vec<Citation>,
    /// Bibliography entries.
    pub references: Vec<Reference>,
}

/// The compiled extractor: gazetteer index, grammars and word lists. Build once.
pub struct Extractor {
    gazetteer: &'static Gazetteer,
    lexicon: &'static lexicon::Lexicon,
    matcher: entities::matcher::Matcher,
    grammar: timex::Grammar,
    /// Event rules per language, compiled on first use (a document needs one).
    rules_en: OnceLock<events::Rules>,
    rules_ru: OnceLock<events::Rules>,
}

/// The English name of a place for event output: the gazetteer's, else as written.
pub(crate) fn place_name(key: &str, text: &str, range: &std::ops::Range<usize>) -> String {
    Gazetteer::builtin()
        .get(key)
        .map(|e| e.entity.display_name("en").to_string())
        .unwrap_or_else(|| text[range.clone()].to_string())
}

/// `ru` when most letters are Cyrillic, else `en`.
pub fn detect_language(text: &str) -> &'static str {
    let (mut cyr, mut lat) = (0usize, 0usize);
    for c in text.chars().take(200_000).filter(|c| c.is_alphabetic()) {
        if ('\u{400}'..='\u{52f}').contains(&c) {
            cyr += 1;
        } else if c.is_ascii_alphabetic() {
            lat += 1;
        }
    }
    if cyr > lat { "ru" } else { "en" }
}

impl Extractor {
    /// The extractor over the shipped gazetteer and word lists, built on first use.
    pub fn builtin() -> &'static Extractor {
        static X: OnceLock<Extractor> = OnceLock::new();
        X.get_or_init(|| Extractor::new(Gazetteer::builtin()))
    }

    /// Builds an extractor over a gazetteer.
    pub fn new(gazetteer: &'static Gazetteer) -> Extractor {
        let lexicon = lexicon::Lexicon::builtin();
        Extractor {
            gazetteer,
            lexicon,
            matcher: entities::matcher::Matcher::new(gazetteer),
            grammar: timex::Grammar::new(lexicon),
            rules_en: OnceLock::new(),
            rules_ru: OnceLock::new(),
        }
    }

    /// The event rules of a language.
    fn rules(&self, russian: bool) -> &events::Rules {
        if russian {
            self.rules_ru.get_or_init(|| events::Rules::new("ru"))
        } else {
            self.rules_en.get_or_init(|| events::Rules::new("en"))
        }
    }

    /// Extracts every kind of fact from `text`.
    pub fn extract(&self, text: &str, options: &Options) -> Extraction {
        let language = options.language.clone().unwrap_or_else(|| detect_language(text).to_string());
        let russian = language == "ru";
        let doc = doc::Doc::new(text, self.lexicon);
        let g = self.gazetteer;
        // The entity matcher knows the Russian cases: "в Сталинабаде (1959)" is a place.
        let is_place = |name: &str| {
            self.matcher.find(name, 0..name.len()).iter().any(|m| {
                m.range == (0..name.len())
                    && matches!(g.entry(m.entry).entity.kind, EntityKind::Place | EntityKind::Country)
            })
        };
        let references = citations::references(&doc);
        let mut cites = citations::find(&doc, &is_place);
        citations::link(&mut cites, &references);
        // Byte ranges of citations: no dates or names are taken from inside them.
        let cite_ranges =
            stages::Ranges::new(cites.iter().map(|c| doc.byte(c.start)..doc.byte(c.start) + c.text.len()));
        let in_citation = |b: usize| cite_ranges.contains(b);
        let archival_refs = archival::find(&doc);
        let archival_ranges = stages::Ranges::new(
            archival_refs.iter().map(|r| doc.byte(r.start)..doc.byte(r.start) + r.text.len()),
        );
        // Case and fond numbers are not years.
        let in_citation_or_archive = |b: usize| in_citation(b) || archival_ranges.contains(b);
        let (timexes, found_timexes) = timex::find(
            &doc,
            &self.grammar,
            self.lexicon,
            options.document_date.as_ref(),
            &in_citation_or_archive,
        );
        let ents = entities::find(&doc, &self.matcher, g, russian, &in_citation);
        let rules = self.rules(russian);
        let events = events::find(&doc, rules, &found_timexes, &ents.named, &in_citation, russian)
            .into_iter()
            .filter(|e| e.status != EventStatus::Cancelled)
            .collect();
        Extraction {
            document: options.document.clone(),
            language,
            timexes,
            entities: ents.found.into_iter().filter(|e| e.kind != EntityKind::Work).collect(),
            events,
            archival_refs,
            citations: cites,
            references,
        }
    }
}

/// Extracts with the built-in extractor.
pub fn extract(text: &str, options: &Options) -> Extraction {
    Extractor::builtin().extract(text, options)
}

/// Temporal expressions alone, as [`extract`] finds them but without excluding the
/// spans of citations and archival references (which [`extract`] does): for callers
/// that want dates only, and for fuzzing the recogniser without the rest of the
/// pipeline.
pub fn find_timexes(text: &str, document_date: Option<&Edtf>) -> Vec<Timex> {
    let x = Extractor::builtin();
    let doc = doc::Doc::new(text, x.lexicon);
    timex::find(&doc, &x.grammar, x.lexicon, document_date, &|_| false).0
}

/// Archival references alone, as [`extract`] finds them.
pub fn find_archival_refs(text: &str) -> Vec<ArchivalRef> {
    archival::find(&doc::Doc::new(text, lexicon::Lexicon::builtin()))
}

/// In-text citations, linked to the bibliography entries, and the entries, as
/// [`extract`] finds them (without the gazetteer's test of place names, which keeps
/// "Almaty, 1995" from being read as a citation).
pub fn find_citations(text: &str) -> (Vec<Citation>, Vec<Reference>) {
    let doc = doc::Doc::new(text, lexicon::Lexicon::builtin());
    let references = citations::references(&doc);
    let mut cites = citations::find(&doc, &|_| false);
    citations::link(&mut cites, &references);
    (cites, references)
}

/// Sentences as the extractor splits them (a development and test aid).
#[doc(hidden)]
pub fn debug_sentences(text: &str) -> Vec<String> {
    let doc = doc::Doc::new(text, lexicon::Lexicon::builtin());
    doc.sentences.iter().map(|s| text[s.range.clone()].to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::{Options, extract};

    #[test]
    fn a_russian_place_in_another_case_before_a_year_is_no_citation() {
        let got = extract(
            "Переводы выходили в Сталинабаде (1959) и Алма-Ате (1962), как писал Абашин (2007).",
            &Options::default(),
        );
        let authors: Vec<&str> = got.citations.iter().map(|c| c.author.as_str()).collect();
        assert_eq!(authors, ["Абашин"]);
        assert!(got.timexes.iter().any(|t| t.value.as_deref() == Some("1959")), "{:?}", got.timexes);
    }
}
