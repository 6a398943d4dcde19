//! keruen-export owns the interchange formats: writers and readers that turn
//! [`keruen_model::Record`]s into files other tools open, and back.
//!
//! - [`jsonl`]: one JSON record per line, the lossless format (`docs/formats.md`);
//! - [`csv`]: one table per record kind (events, sources, entities), for spreadsheets
//!   and R; lossless too, nested fields as JSON cells.
//! - [`jsonld`]: JSON-LD with schema.org types, lossless, read back by [`jsonld::read`];
//! - [`gexf`] and [`graphml`]: the cooperation network of `keruen-analysis`, for Gephi,
//!   networkx, igraph;
//! - [`ical`]: iCalendar of events and jubilees;
//! - [`csl`] and [`bibtex`]: sources for Zotero, Pandoc and LaTeX;
//! - [`linked_places`]: places as Linked Places Format (GeoJSON-LD).
//!
//! The network and jubilee writers take the types of `keruen-analysis`, which computes
//! them; this crate only writes them.
//!
//! Readers never stop at the first bad line: they yield a [`keruen_model::RecordLine`]
//! per line with either the record or a message naming what is wrong, and the caller
//! decides whether to abort or skip.
//!
//! ```
//! use keruen_export::jsonl;
//! let input = "{\"record\":\"entity\",\"id\":\"place:x\",\"kind\":\"place\",\"names\":[{\"text\":\"X\",\"lang\":\"en\"}]}\n";
//! let lines: Vec<_> = jsonl::read(input.as_bytes()).collect();
//! assert!(lines[0].record.is_ok());
//! ```
#![warn(missing_docs)]

pub mod bibtex;
pub mod csl;
pub mod csv;
pub mod gexf;
pub mod graphml;
pub mod ical;
pub mod jsonl;
pub mod jsonld;
pub mod linked_places;

/// What went wrong while writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The output could not be written.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    /// A record could not be serialised.
    #[error("cannot serialise: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

/// Result with the export error.
pub type Result<T> = std::result::Result<T, ExportError>;

/// Longest line a reader accepts: far beyond any real record, short enough that a
/// hostile file cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 32 * 1024 * 1024;

/// Text with the characters XML 1.0 forbids (controls other than tab, newline and
/// carriage return) replaced by U+FFFD; the XML writer escapes the rest.
pub(crate) fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad =
        |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r') || matches!(c, '\u{fffe}' | '\u{ffff}');
    if s.chars().any(bad) {
        s.chars().map(|c| if bad(c) { '\u{fffd}' } else { c }).collect::<String>().into()
    } else {
        s.into()
    }
}

/// An escaped XML text node of `s` (see [`xml_safe`]).
pub(crate) fn xml_text(s: &str) -> quick_xml::events::BytesText<'static> {
    quick_xml::events::BytesText::new(&xml_safe(s)).into_owned()
}

/// Turns a serde_json message about a single line into one that reads well after
/// `FILE:LINE:` (the line is always 1 inside a line; keep the column).
pub(crate) fn tidy_json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &msg[..i], e.column()),
        None => msg,
    }
}
