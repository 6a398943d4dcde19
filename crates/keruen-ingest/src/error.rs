//! The one error type of the crate.
//!
//! Every variant names the file (as the caller gave it: a path for
//! [`read_path`](crate::read_path), the `name` for [`read_bytes`](crate::read_bytes))
//! and says what the user can do about it, because these messages end up in front of
//! a researcher running `keruen ingest` on a folder of documents.

use std::io;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The extension is not one of [`supported_extensions`](crate::supported_extensions).
    #[error("{name}: unsupported file type `{extension}`; keruen reads .txt, .md, .html, .pdf, .docx")]
    Unsupported {
        /// The file.
        name: String,
        /// The extension with its dot (`.xls`), or `no extension`.
        extension: String,
    },
    /// The path does not exist.
    #[error("{name}: no such file")]
    NotFound {
        /// The file.
        name: String,
    },
    /// The path is a directory.
    #[error("{name}: is a directory, not a document; give the files inside it")]
    Directory {
        /// The path.
        name: String,
    },
    /// Any other failure to read the file from disk.
    #[error("{name}: cannot read the file: {source}")]
    Io {
        /// The file.
        name: String,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// The file has zero bytes.
    #[error("{name}: the file is empty")]
    Empty {
        /// The file.
        name: String,
    },
    /// The file has bytes but no text once read (only whitespace, or markup only).
    #[error("{name}: no text found in the document")]
    NoText {
        /// The file.
        name: String,
    },
    /// A text file holds NUL bytes: it is binary, or UTF-16 without a byte-order mark.
    #[error(
        "{name}: looks binary (NUL bytes), not text; if it is UTF-16, save it with a byte-order mark or as UTF-8"
    )]
    Binary {
        /// The file.
        name: String,
    },
    /// A text file in none of the encodings keruen recognises.
    #[error(
        "{name}: not UTF-8, Windows-1251 or KOI8-R text; convert it to UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)"
    )]
    UnknownEncoding {
        /// The file.
        name: String,
    },
    /// A text file that is UTF-8 but for some broken bytes: damaged, truncated, or
    /// pasted together from two encodings.
    #[error(
        "{name}:{line}: not valid UTF-8 at byte {byte}, though the rest of the file is; \
         it is damaged or mixes encodings: fix that line or save the file again as UTF-8"
    )]
    BrokenUtf8 {
        /// The file.
        name: String,
        /// Line (from 1) of the first broken byte.
        line: usize,
        /// Offset (from 1) of the first broken byte in the file.
        byte: usize,
    },
    /// A `.docx` that is not a zip archive or lacks `word/document.xml`.
    #[error("{name}: not a valid DOCX (zip) file: {detail}")]
    InvalidDocx {
        /// The file.
        name: String,
        /// What was wrong.
        detail: String,
    },
    /// A PDF whose pages hold no text, typically a scan.
    #[error("{name}: the PDF has no text layer (a scanned image?); run OCR first (e.g. ocrmypdf)")]
    NoTextLayer {
        /// The file.
        name: String,
    },
    /// `pdftotext` is not installed or not on `PATH`.
    #[error("pdftotext not found: install poppler-utils (Debian: apt-get install poppler-utils)")]
    PdftotextMissing,
    /// The file, or the text read from it, is larger than keruen reads as one
    /// document ([`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES),
    /// [`MAX_TEXT_BYTES`](crate::MAX_TEXT_BYTES)).
    #[error(
        "{name}: {what} is {size}, more than the {limit} keruen reads as one document; split it into parts"
    )]
    TooLarge {
        /// The file.
        name: String,
        /// `the file` or `its text`.
        what: &'static str,
        /// Its size, in words (`100 MB`).
        size: String,
        /// The limit, in words.
        limit: String,
    },
    /// `pdftotext` did not finish in time and was stopped.
    #[error(
        "{name}: pdftotext did not finish within {seconds} s and was stopped (a damaged or hostile PDF?); \
         if the PDF is only very large, allow more time with --pdf-timeout"
    )]
    PdfTimeout {
        /// The file.
        name: String,
        /// The time allowed, in seconds.
        seconds: String,
    },
    /// `pdftotext` ran and failed: a damaged or password-protected PDF.
    #[error("{name}: pdftotext could not read the PDF (damaged or password-protected?): {detail}")]
    PdfUnreadable {
        /// The file.
        name: String,
        /// What pdftotext printed on stderr, or how it ended.
        detail: String,
    },
}

/// The crate's result type.
pub type Result<T, E = ReadError> = std::result::Result<T, E>;
