//! The pipeline's stages one at a time, for the benchmarks (`benches/stages.rs`) and
//! for profiling: [`Stages::new`] runs the whole pipeline once and keeps each stage's
//! input; each method then runs one stage again on it and returns how many items it
//! found. Not part of the stable interface.
use crate::{Extractor, archival, citations, doc, entities, events, lexicon, timex};
use keruen_model::{ArchivalRef, EntityKind};

/// Byte ranges, merged and sorted, for membership tests in logarithmic time.
pub(crate) struct Ranges(Vec<std::ops::Range<usize>>);

impl Ranges {
    pub(crate) fn new(ranges: impl Iterator<Item = std::ops::Range<usize>>) -> Ranges {
        let mut v: Vec<std::ops::Range<usize>> = ranges.collect();
        v.sort_by_key(|r| r.start);
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(v.len());
        for r in v {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Ranges(merged)
    }

    pub(crate) fn contains(&self, b: usize) -> bool {
        let i = self.0.partition_point(|r| r.start <= b);
        i > 0 && b < self.0[i - 1].end
    }
}

/// One document's stage inputs.
pub struct Stages<'t> {
    x: &'static Extractor,
    text: &'t str,
    russian: bool,
    doc: doc::Doc<'t>,
    skip_timex: Ranges,
    skip_names: Ranges,
    timexes: Vec<timex::Found>,
    named: Vec<entities::Named>,
}

impl<'t> Stages<'t> {
    /// Prepares every stage's input by running the pipeline on `text`.
    pub fn new(text: &'t str) -> Stages<'t> {
        let x = Extractor::builtin();
        let russian = crate::detect_language(text) == "ru";
        let doc = doc::Doc::new(text, x.lexicon);
        let cites = citations::find(&doc, &|_| false);
        let archival: Vec<ArchivalRef> = archival::find(&doc);
        let skip_names =
            Ranges::new(cites.iter().map(|c| doc.byte(c.start)..doc.byte(c.start) + c.text.len()));
        let skip_timex = Ranges::new(
            cites
                .iter()
                .map(|c| doc.byte(c.start)..doc.byte(c.start) + c.text.len())
                .chain(archival.iter().map(|r| doc.byte(r.start)..doc.byte(r.start) + r.text.len())),
        );
        let (_, timexes) = timex::find(&doc, &x.grammar, x.lexicon, None, &|b| skip_timex.contains(b));
        let named = entities::find(&doc, &x.matcher, x.gazetteer, russian, &|b| skip_names.contains(b)).named;
        Stages { x, text, russian, doc, skip_timex, skip_names, timexes, named }
    }

    /// Paragraphs and sentences.
    pub fn sentences(&self) -> usize {
        doc::Doc::new(self.text, lexicon::Lexicon::builtin()).sentences.len()
    }

    /// Citations and the bibliography.
    pub fn citations(&self) -> usize {
        let refs = citations::references(&self.doc);
        let mut cites = citations::find(&self.doc, &|_| false);
        citations::link(&mut cites, &refs);
        cites.len() + refs.len()
    }

    /// Archival references.
    pub fn archival(&self) -> usize {
        archival::find(&self.doc).len()
    }

    /// Temporal expressions.
    pub fn timexes(&self) -> usize {
        let skip = |b: usize| self.skip_timex.contains(b);
        timex::find(&self.doc, &self.x.grammar, self.x.lexicon, None, &skip).0.len()
    }

    /// Entities and the names events use.
    pub fn entities(&self) -> usize {
        let skip = |b: usize| self.skip_names.contains(b);
        let e = entities::find(&self.doc, &self.x.matcher, self.x.gazetteer, self.russian, &skip);
        e.found.iter().filter(|e| e.kind != EntityKind::Work).count()
    }

    /// Events.
    pub fn events(&self) -> usize {
        let rules = self.x.rules(self.russian);
        let skip = |b: usize| self.skip_names.contains(b);
        events::find(&self.doc, rules, &self.timexes, &self.named, &skip, self.russian).len()
    }
}
