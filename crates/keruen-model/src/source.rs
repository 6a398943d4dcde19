//! Sources: documents and archival units, with CSL-JSON-style bibliographic fields.
use crate::{Edtf, ModelError, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// An author in CSL-JSON form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Author {
    /// Family name (surname).
    pub family: String,
    /// Given names or initials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
}

/// Where an archival unit sits: archive / fond / inventory (opis) / case (delo) / sheet (list).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct ArchivalUnit {
    /// The archive ("Central State Archive of the Republic of Kazakhstan").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// Fond (collection) number.
    pub fond: String,
    /// Inventory (opis) number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<String>,
    /// Case (delo, file) number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
    /// Sheet (list, folio) or range of sheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// A document or archival unit that facts are taken from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Stable identifier; see [`Source::derive_id`]. Derived when absent on import.
    #[serde(default)]
    pub id: String,
    /// SHA-256 of the text (or, for a source without text, of its bibliographic
    /// fields): the source's identity. Computed on import.
    #[serde(default)]
    pub sha256: String,
    /// CSL type: `article-journal`, `book`, `chapter`, `webpage`, `article-newspaper`,
    /// `report`, `manuscript` (archival unit), `legislation`, `document`.
    #[serde(rename = "type", default = "document")]
    pub csl_type: String,
    /// Title.
    pub title: String,
    /// Authors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<Author>,
    /// Date of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Edtf>,
    /// Journal, book or site it appeared in.
    #[serde(default, rename = "container-title", skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    /// Volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Pages ("803-814").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Place of publication.
    #[serde(default, rename = "publisher-place", skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<String>,
    /// Web address.
    #[serde(default, rename = "URL", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// DOI.
    #[serde(default, rename = "DOI", skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// ISSN.
    #[serde(default, rename = "ISSN", skip_serializing_if = "Option::is_none")]
    pub issn: Option<String>,
    /// Language of the text (BCP 47).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Archive / fond / inventory / case / sheet, for archival units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archival: Option<ArchivalUnit>,
    /// Name of the file it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The plain text, when keruen holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn document() -> String {
    "document".into()
}

/// Lower-case hexadecimal SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Source {
    /// A source holding `text`, identified by its hash.
    pub fn from_text(title: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let sha256 = sha256_hex(text.as_bytes());
        Source {
            id: Source::derive_id(&sha256),
            sha256,
            csl_type: document(),
            title: title.into(),
            author: Vec::new(),
            issued: None,
            container_title: None,
            volume: None,
            issue: None,
            page: None,
            publisher: None,
            publisher_place: None,
            url: None,
            doi: None,
            issn: None,
            language: None,
            archival: None,
            file_name: None,
            text: Some(text),
        }
    }

    /// The id that a source with this hash gets when none is given: `src-` and the
    /// first 16 hex digits.
    pub fn derive_id(sha256: &str) -> String {
        format!("src-{}", &sha256[..16.min(sha256.len())])
    }

    /// The identity hash: of the text when there is one, else of the bibliographic
    /// fields (so that the same reference imported twice is one source).
    pub fn content_hash(&self) -> String {
        match &self.text {
            Some(text) => sha256_hex(text.as_bytes()),
            None => {
                let mut bib = self.clone();
                bib.id = String::new();
                bib.sha256 = String::new();
                sha256_hex(serde_json::to_string(&bib).unwrap_or_default().as_bytes())
            }
        }
    }

    /// Fills `sha256` (and `id` when empty) from the content.
    pub fn with_identity(mut self) -> Self {
        self.sha256 = self.content_hash();
        if self.id.trim().is_empty() {
            self.id = Source::derive_id(&self.sha256);
        }
        self
    }

    /// Surname of the first author and the year, as in an author–year citation.
    pub fn short_citation(&self) -> String {
        let who = self.author.first().map(|a| a.family.as_str()).unwrap_or(self.title.as_str());
        match self.issued.as_ref().and_then(|d| d.year()) {
            Some(y) => format!("{who} {y}"),
            None => who.to_string(),
        }
    }

    /// Checks required fields and the hash.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(ModelError::Missing { field: "id" });
        }
        if self.title.trim().is_empty() {
            return Err(ModelError::Missing { field: "title" });
        }
        if self.sha256.len() != 64 || !self.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ModelError::invalid("sha256", "must be 64 hexadecimal digits"));
        }
        if let Some(a) = &self.archival
            && a.fond.trim().is_empty()
        {
            return Err(ModelError::Missing { field: "archival.fond" });
        }
        if self.author.iter().any(|a| a.family.trim().is_empty()) {
            return Err(ModelError::invalid("author", "an author has no family name"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_hex_is_the_lower_case_digest() {
        // The FIPS 180-2 test vector.
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn identity_is_the_hash_of_the_text() {
        let a = Source::from_text("A", "Same text.");
        let b = Source::from_text("B", "Same text.");
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.id, b.id);
        assert_eq!(a.sha256.len(), 64);
        assert!(a.validate().is_ok());
        assert_ne!(a.sha256, Source::from_text("A", "Other text.").sha256);
    }

    #[test]
    fn csl_field_names() {
        let mut s = Source::from_text("T", "x");
        s.container_title = Some("Journal".into());
        s.url = Some("https://example.org".into());
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["container-title"], "Journal");
        assert_eq!(v["URL"], "https://example.org");
        assert_eq!(v["type"], "document");
    }
}
