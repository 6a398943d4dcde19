//! keruen-model owns the domain vocabulary of keruen and nothing else: no I/O.
//!
//! A [`Source`] is a document or an archival unit, identified by the SHA-256 of its
//! text. An [`Entity`] is a country, historical polity, place, organisation, person or
//! work, with names in several languages and scripts. An [`Event`] is a cooperation
//! event of one of the thirteen [`EventType`]s, dated with an [`Edtf`] value, with
//! participants in roles, places, a status and sectors. Every event is supported by
//! one or more pieces of [`Evidence`]: which source said it, where, who or what
//! asserted it, how confident, and whether a curator accepted it. Two sources that
//! disagree are two pieces of evidence, each with its own [`Claim`]; nothing is
//! overwritten. [`ArchivalRef`], [`Citation`] and [`Reference`] are facts found in
//! a source's text; [`Annotation`] is any extracted span kept for display.
//!
//! Validation ([`Event::validate`], [`Entity::validate`], [`Source::validate`])
//! returns a typed [`ModelError`] that names the field at fault.
//!
//! ```
//! use keruen_model::{Edtf, EventType};
//! let date: Edtf = "2008-04-25/2008-05-02".parse().unwrap();
//! assert!(date.is_interval());
//! assert_eq!("culture_days".parse::<EventType>().unwrap(), EventType::CultureDays);
//! ```
#![warn(missing_docs)]

pub mod edtf;
mod entity;
mod error;
mod event;
mod evidence;
mod source;
mod text_facts;
mod vocab;

pub use edtf::{Day, Edtf, EdtfDate, EdtfError, EdtfValue, IntervalEnd, Qualifier, Season};
pub use entity::{Coordinates, Entity, EntityKind, Name, NameForm, Script};
pub use error::ModelError;
pub use event::{Event, Participant, Role};
pub use evidence::{Claim, Evidence, ReviewStatus};
pub use source::{ArchivalUnit, Author, Source, sha256_hex};
pub use text_facts::{Annotation, AnnotationKind, ArchivalRef, Citation, Reference};
pub use vocab::{EventStatus, EventType, Sector};

/// Result with the model's error.
pub type Result<T> = std::result::Result<T, ModelError>;

/// ISO 3166-1 alpha-2 codes of the five Central Asian states, in alphabetical order.
pub const CENTRAL_ASIA: [&str; 5] = ["KG", "KZ", "TJ", "TM", "UZ"];

/// One line of a JSONL import or export: a source, an entity or an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "record", rename_all = "lowercase")]
// Records are streamed one at a time, never stored in bulk: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Record {
    /// A source.
    Source(Source),
    /// An entity.
    Entity(Entity),
    /// An event.
    Event(Event),
}

/// One numbered record of an import file, or what is wrong with that line.
#[derive(Debug, Clone)]
pub struct RecordLine {
    /// 1-based line (or CSV row) number.
    pub line: usize,
    /// The record, or a message saying what is wrong with the line.
    pub record: std::result::Result<Record, String>,
    /// The raw line, kept for a rejects file.
    pub raw: String,
}
