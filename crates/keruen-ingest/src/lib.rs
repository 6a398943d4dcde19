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
//!   a blank line; a PDF that keeps pdftotext busy past [`Limits::pdf_timeout`] is
//!   refused (pdftotext is stopped);
//! - DOCX (`docx.rs`): one line per paragraph, field codes and deleted text
//!   skipped, footnotes after the body and a blank line.
//!
//! A file larger than [`MAX_FILE_BYTES`], or whose text is longer than
//! [`MAX_TEXT_BYTES`], is refused as [`ReadError::TooLarge`] before it can exhaust
//! memory.
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
use std::time::Duration;

pub use error::{ReadError, Result};
pub use format::{Format, supported_extensions};

/// Largest file read as one document (a PDF excepted: poppler reads it, and only its
/// text counts). Checked before reading, so that a huge file costs no memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Longest text of one document, in bytes of UTF-8: eight 1,000-page books. Longer
/// text is refused: extraction and storage hold a document in memory several times
/// over, and no article, chronology or archival description comes near it.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// Bounds on reading one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long `pdftotext` may run on one PDF before it is stopped and the PDF
    /// refused (default two minutes: poppler reads a 1,000-page PDF in seconds).
    pub pdf_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { pdf_timeout: Duration::from_secs(120) }
    }
}

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
    read_path_with(path, &Limits::default())
}

/// [`read_path`] with other [`Limits`].
pub fn read_path_with(path: &Path, limits: &Limits) -> Result<Document> {
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
        Format::Pdf => pdf::read_file(&name, path, limits.pdf_timeout)?,
        _ => {
            check_file_size(&name, metadata.len())?;
            let bytes = std::fs::read(path).map_err(|source| io_error(&name, source))?;
            extract(&name, &bytes, format, limits)?
        }
    };
    finish(name, format, extracted)
}

/// Reads a document held in memory; `name` gives the format by its extension and is
/// used in error messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Document> {
    read_bytes_with(name, bytes, &Limits::default())
}

/// [`read_bytes`] with other [`Limits`].
pub fn read_bytes_with(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document> {
    let format = format_of(name)?;
    if bytes.is_empty() {
        return Err(ReadError::Empty { name: name.to_owned() });
    }
    if format != Format::Pdf {
        check_file_size(name, bytes.len() as u64)?;
    }
    let extracted = extract(name, bytes, format, limits)?;
    finish(name.to_owned(), format, extracted)
}

fn check_file_size(name: &str, len: u64) -> Result<()> {
    if len > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            name: name.to_owned(),
            what: "the file",
            size: human_bytes(len),
            limit: human_bytes(MAX_FILE_BYTES),
        });
    }
    Ok(())
}

/// `100 MB`, `640 KB`, `12 bytes` (binary multiples, as the limits are).
pub(crate) fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n.div_ceil(1 << 20))
    } else if n >= 1 << 10 {
        format!("{} KB", n.div_ceil(1 << 10))
    } else {
        format!("{n} bytes")
    }
}

fn format_of(name: &str) -> Result<Format> {
    Format::from_name(name).ok_or_else(|| ReadError::Unsupported {
        name: name.to_owned(),
        extension: format::shown_extension(name),
    })
}

fn extract(name: &str, bytes: &[u8], format: Format, limits: &Limits) -> Result<Extracted> {
    match format {
        Format::Text | Format::Markdown => plain::read(name, bytes, format),
        Format::Html => html::read(name, bytes),
        Format::Pdf => pdf::read_bytes(name, bytes, limits.pdf_timeout),
        Format::Docx => docx::read(name, bytes),
    }
}

/// The steps every format shares: one newline convention, a refusal of documents
/// without text, a tidy title, and the language guess.
fn finish(name: String, format: Format, extracted: Extracted) -> Result<Document> {
    if extracted.text.len() > MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge {
            name,
            what: "its text",
            size: human_bytes(extracted.text.len() as u64),
            limit: human_bytes(MAX_TEXT_BYTES as u64),
        });
    }
    let mut text = charset::normalize_newlines(extracted.text);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_or_a_text_past_the_limits_is_refused_with_its_size() {
        let file = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        let err = read_bytes("huge.txt", &file).unwrap_err();
        assert_eq!(
            err.to_string(),
            "huge.txt: the file is 65 MB, more than the 64 MB keruen reads as one document; split it into parts"
        );
        // Under the file limit, over the text limit.
        let text = vec![b'a'; MAX_TEXT_BYTES + 1];
        let err = read_bytes("long.txt", &text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "long.txt: its text is 17 MB, more than the 16 MB keruen reads as one document; split it into parts"
        );
        let fine = read_bytes("fine.txt", b"Days of Culture of Uzbekistan in Almaty, 1997.").unwrap();
        assert_eq!(fine.encoding, "UTF-8");
    }
}
