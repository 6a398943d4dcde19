//! The document formats keruen reads, told apart by file extension.
//!
//! Extensions and not content sniffing: a researcher's folder is named by people
//! who know what they saved, and a `.txt` that happens to start with `<` should be
//! read as text, not parsed as HTML.

use std::fmt;
use std::path::Path;

/// A document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (`.txt`, `.text`).
    Text,
    /// Markdown (`.md`, `.markdown`), returned as written.
    Markdown,
    /// HTML (`.html`, `.htm`), reduced to its visible text.
    Html,
    /// PDF (`.pdf`), its text layer through poppler's `pdftotext`.
    Pdf,
    /// Word 2007+ (`.docx`).
    Docx,
}

/// Extensions (lower case, without the dot) and their formats.
const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Text),
    ("text", Format::Text),
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("pdf", Format::Pdf),
    ("docx", Format::Docx),
];

/// The extensions keruen reads, lower case and without the dot:
/// `txt text md markdown html htm pdf docx`. Matching is case-insensitive.
pub fn supported_extensions() -> &'static [&'static str] {
    const NAMES: [&str; EXTENSIONS.len()] = {
        let mut names = [""; EXTENSIONS.len()];
        let mut i = 0;
        while i < EXTENSIONS.len() {
            names[i] = EXTENSIONS[i].0;
            i += 1;
        }
        names
    };
    &NAMES
}

impl Format {
    /// The format for an extension (without the dot, any case), if keruen reads it.
    pub fn from_extension(extension: &str) -> Option<Format> {
        EXTENSIONS.iter().find(|(ext, _)| ext.eq_ignore_ascii_case(extension)).map(|&(_, format)| format)
    }

    /// The format for a file name or path, by its extension.
    pub fn from_name(name: impl AsRef<Path>) -> Option<Format> {
        name.as_ref().extension().and_then(|ext| ext.to_str()).and_then(Format::from_extension)
    }

    /// A short lower-case name: `text`, `markdown`, `html`, `pdf`, `docx`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The extension of `name` as shown in an error message: `.xls`, or `no extension`.
pub(crate) fn shown_extension(name: &str) -> String {
    match Path::new(name).extension() {
        Some(ext) => format!(".{}", ext.to_string_lossy()),
        None => "no extension".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_case_insensitive() {
        assert_eq!(Format::from_name("REPORT.PDF"), Some(Format::Pdf));
        assert_eq!(Format::from_name("notes.Markdown"), Some(Format::Markdown));
        assert_eq!(Format::from_name("dir/page.htm"), Some(Format::Html));
        assert_eq!(Format::from_name("table.xls"), None);
        assert_eq!(Format::from_name("README"), None);
    }

    #[test]
    fn every_listed_extension_has_a_format() {
        assert_eq!(supported_extensions().len(), 8);
        for ext in supported_extensions() {
            assert!(Format::from_extension(ext).is_some(), "{ext}");
        }
    }

    #[test]
    fn shown_extensions() {
        assert_eq!(shown_extension("report.xls"), ".xls");
        assert_eq!(shown_extension("Makefile"), "no extension");
    }
}
