//! keruen-ingest owns reading a document file into plain text: it turns a `.txt`,
//! `.md`, `.html`, `.pdf` or `.docx` file into a [`Document`] (the text, its
//! [`Format`], a title, the encoding it was read in and a guessed language), or
//! into a [`ReadError`] that names the file and says what to do.
//!
//! The extractor downstream reports offsets in Unicode characters of exactly the
//! text returned here, so the text is deterministic: the same bytes always give
//! the same string, line breaks are always `\n`, and there is never a BOM. Plain
//! text and Markdown are returned as written (only line breaks normalised), so
//! offsets line up with the file. HTML, PDF and DOCX are reduced to their visible
//! text, with line breaks where the document has block boundaries; one module per
//! format says exactly how:
//!
//! - text and Markdown (`plain.rs`, `charset.rs`): UTF-8, UTF-16 with a byte-order
//!   mark, or one of the Russian code pages Windows-1251 and KOI8-R, told apart by
//!   letter statistics (`codepage.rs`); anything else is refused, not guessed;
//! - HTML (`html.rs`): html5ever's tokenizer; scripts, styles, templates and hidden
//!   elements dropped; blocks on their own lines, table cells separated by tabs;
//! - PDF (`pdf.rs`, `layout.rs`, `page.rs`): **needs poppler's `pdftotext` on
//!   `PATH`** (Debian: `apt-get install poppler-utils`); running headers, footers and
//!   page numbers removed, words hyphenated across lines joined, pages separated by
//!   a blank line;
//! - DOCX (`docx.rs`): one line per paragraph, field codes and deleted text
//!   skipped, footnotes after the body and a blank line.
//!
//! ```
//! use keruen_ingest::{read_bytes, Format};
//!
//! let doc = read_bytes(
//!     "days.md",
//!     "# Дни культуры\r\n\r\nВ 1997 году в Алматы прошли Дни культуры Узбекистана.\r\n".as_bytes(),
//! )?;
//! assert_eq!(doc.format, Format::Markdown);
//! assert_eq!(doc.title.as_deref(), Some("Дни культуры"));
//! assert_eq!(doc.encoding, "UTF-8");
//! assert_eq!(doc.language.as_deref(), Some("ru"));
//! assert!(doc.text.starts_with("# Дни культуры\n\nВ 1997 году"));
//!
//! let err = read_bytes("budget.xls", b"...").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "budget.xls: unsupported file type `.xls`; keruen reads .txt, .md, .html, .pdf, .docx"
//! );
//! # Ok::<(), keruen_ingest::ReadError>(())
//! ```
#![warn(missing_docs)]

mod charset;
mod codepage;
mod docx;
mod error;
mod format;
mod html;
mod language;
mod layout;
mod page;
mod pdf;
mod plain;

use std::io;
use std::path::Path;

pub use error::{ReadError, Result};
pub use format::{Format, supported_extensions};

/// A document read into plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The plain text: `\n` line breaks, no BOM. Extracted facts point into it by
    /// character offset.
    pub text: String,
    /// The format the file was read as.
    pub format: Format,
    /// The title: HTML `<title>` (else the first `<h1>`); DOCX `dc:title` (else the
    /// first paragraph styled Title or Heading 1); PDF `Title` metadata; Markdown the
    /// first `#` heading; plain text none.
    pub title: Option<String>,
    /// The character encoding the bytes were read in, as named by the WHATWG
    /// Encoding Standard: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `windows-1251`, `KOI8-R`…
    /// (PDF and DOCX are always `UTF-8`: their text comes out of the format as
    /// Unicode.)
    pub encoding: String,
    /// `"ru"` if most letters are Cyrillic, `"en"` if most are Latin, else `None`
    /// (also `None` for Kazakh, Uzbek, Kyrgyz or Tajik Cyrillic).
    pub language: Option<String>,
}

/// What a format reader hands back, before the common finishing steps.
#[derive(Debug)]
pub(crate) struct Extracted {
    pub text: String,
    pub title: Option<String>,
    pub encoding: String,
}

/// Reads the file at `path`; the format comes from its extension
/// (case-insensitive, see [`supported_extensions`]).
pub fn read_path(path: &Path) -> Result<Document> {
    let name = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|source| io_error(&name, source))?;
    if metadata.is_dir() {
        return Err(ReadError::Directory { name });
    }
    let format = format_of(&name)?;
    if metadata.len() == 0 {
        return Err(ReadError::Empty { name });
    }
    let extracted = match format {
        // pdftotext reads the file itself: no need to hold a large PDF in memory.
        Format::Pdf => pdf::read_file(&name, path)?,
        _ => {
            let bytes = std::fs::read(path).map_err(|source| io_error(&name, source))?;
            extract(&name, &bytes, format)?
        }
    };
    finish(name, format, extracted)
}

/// Reads a document held in memory; `name` gives the format by its extension and is
/// used in error messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Document> {
    let format = format_of(name)?;
    if bytes.is_empty() {
        return Err(ReadError::Empty { name: name.to_owned() });
    }
    let extracted = extract(name, bytes, format)?;
    finish(name.to_owned(), format, extracted)
}

fn format_of(name: &str) -> Result<Format> {
    Format::from_name(name).ok_or_else(|| ReadError::Unsupported {
        name: name.to_owned(),
        extension: format::shown_extension(name),
    })
}

fn extract(name: &str, bytes: &[u8], format: Format) -> Result<Extracted> {
    match format {
        Format::Text | Format::Markdown => plain::read(name, bytes, format),
        Format::Html => html::read(name, bytes),
        Format::Pdf => pdf::read_bytes(name, bytes),
        Format::Docx => docx::read(name, bytes),
    }
}

/// The steps every format shares: one newline convention, a refusal of documents
/// without text, a tidy title, and the language guess.
fn finish(name: String, format: Format, extracted: Extracted) -> Result<Document> {
    let mut text = charset::normalize_newlines(&extracted.text);
    // Control characters in a PDF, DOCX or HTML are debris of broken fonts or
    // editors, never text. A plain-text file keeps them, so that its offsets stay
    // those of the file.
    if !matches!(format, Format::Text | Format::Markdown) {
        text.retain(|c| !is_stray_control(c));
    }
    if text.trim().is_empty() {
        return Err(match format {
            Format::Pdf => ReadError::NoTextLayer { name },
            _ => ReadError::NoText { name },
        });
    }
    let title = extracted
        .title
        .map(|t| t.replace(is_stray_control, "").split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let language = language::guess(&text);
    Ok(Document { text, format, title, encoding: extracted.encoding, language })
}

/// Control characters other than the line break and the tab.
fn is_stray_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn io_error(name: &str, source: io::Error) -> ReadError {
    let name = name.to_owned();
    match source.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound { name },
        io::ErrorKind::IsADirectory => ReadError::Directory { name },
        _ => ReadError::Io { name, source },
    }
}
