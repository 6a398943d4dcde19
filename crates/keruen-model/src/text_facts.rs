//! Facts found in a source's text: archival references, citations, bibliography
//! entries, and the spans kept for display.
use serde::{Deserialize, Serialize};

/// An archival reference found in a text: "F-54, I-1, Case-843", "ф. 1987, оп. 1, д. 45".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArchivalRef {
    /// The archive, when the reference or its bibliography entry names it.
    pub archive: Option<String>,
    /// Fond.
    pub fond: String,
    /// Inventory (opis).
    pub inventory: Option<String>,
    /// Case (delo).
    pub case: Option<String>,
    /// Sheet(s) (list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Start in characters.
    pub start: usize,
    /// End in characters (exclusive).
    pub end: usize,
    /// The reference as written.
    pub text: String,
}

/// An author–year citation in the text: "(Nazarbayev, 1999a: 260)".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Citation {
    /// Surname of the (first) author.
    pub author: String,
    /// Year with any letter suffix ("1999a").
    pub year: Option<String>,
    /// Pages cited.
    pub pages: Option<String>,
    /// Start in characters.
    pub start: usize,
    /// End in characters (exclusive).
    pub end: usize,
    /// The citation as written.
    pub text: String,
    /// Index of the bibliography entry it points to.
    pub reference: Option<usize>,
}

/// An entry of the bibliography.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    /// Position in the bibliography, from 0.
    pub index: usize,
    /// Start in characters.
    pub start: usize,
    /// End in characters (exclusive).
    pub end: usize,
    /// The entry as written.
    pub text: String,
    /// Surnames of its authors.
    pub authors: Vec<String>,
    /// Year of publication.
    pub year: Option<String>,
}

/// The kind of an extracted span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationKind {
    /// A temporal expression.
    Timex,
    /// A mention of an entity.
    Entity,
    /// The evidence span of an event.
    Event,
    /// An archival reference.
    Archival,
    /// An in-text citation.
    Citation,
    /// A bibliography entry.
    Reference,
}

impl AnnotationKind {
    /// The kind as written in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Timex => "timex",
            AnnotationKind::Entity => "entity",
            AnnotationKind::Event => "event",
            AnnotationKind::Archival => "archival",
            AnnotationKind::Citation => "citation",
            AnnotationKind::Reference => "reference",
        }
    }

    /// Parses [`AnnotationKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        use AnnotationKind::*;
        [Timex, Entity, Event, Archival, Citation, Reference].into_iter().find(|k| k.as_str() == s)
    }
}

/// A span of a source's text that the extractor recognised, kept so that the source
/// can be shown with its facts highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// What the span is.
    pub kind: AnnotationKind,
    /// Start in characters.
    pub start: usize,
    /// End in characters (exclusive).
    pub end: usize,
    /// The span's text.
    pub text: String,
    /// A normalised value: EDTF for a timex, entity id for a mention, `fond/inv/case`
    /// for an archival reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Id of the fact it supports (event id, entity id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}
