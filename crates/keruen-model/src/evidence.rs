//! Evidence: who said a fact, where, and whether a curator accepted it.
use crate::{Edtf, EventType, ModelError, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a fact stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Proposed (by the extractor or an import) and not yet reviewed.
    #[default]
    Candidate,
    /// Accepted by a curator: used by search, analysis and export by default.
    Accepted,
    /// Rejected by a curator: kept for the record, never shown as a fact.
    Rejected,
}

impl ReviewStatus {
    /// The status as written in data files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Candidate => "candidate",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::Rejected => "rejected",
        }
    }
}

impl fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReviewStatus {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim() {
            "candidate" => Ok(ReviewStatus::Candidate),
            "accepted" => Ok(ReviewStatus::Accepted),
            "rejected" => Ok(ReviewStatus::Rejected),
            other => {
                Err(format!("unknown review status `{other}`; expected candidate, accepted or rejected"))
            }
        }
    }
}

/// What one source says about an event. When sources disagree, each piece of
/// evidence keeps its own claim and the event holds the value a curator chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Claim {
    /// The type this source gives.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// The date this source gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Edtf>,
    /// The states this source names (ISO codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// The places this source names (entity ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
}

/// One source's support for a fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Id of the [`crate::Source`].
    pub source: String,
    /// Start of the span in the source's text, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u32>,
    /// End of the span (exclusive), in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u32>,
    /// The span's text, when the source's text is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Page or other locator in the source ("45", "pp. 12–14", "l. 3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Who or what asserted it: `user:NAME`, or `EXTRACTOR@VERSION`.
    pub asserted_by: String,
    /// 0…1.
    #[serde(default = "one")]
    pub confidence: f32,
    /// Review status of this piece of evidence.
    #[serde(default)]
    pub status: ReviewStatus,
    /// What this source says, where it differs from or adds to the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<Claim>,
}

fn one() -> f32 {
    1.0
}

impl Evidence {
    /// Evidence from `source` asserted by `asserted_by`, no span.
    pub fn new(source: impl Into<String>, asserted_by: impl Into<String>) -> Self {
        Evidence {
            source: source.into(),
            start: None,
            end: None,
            quote: None,
            page: None,
            asserted_by: asserted_by.into(),
            confidence: 1.0,
            status: ReviewStatus::Candidate,
            claim: None,
        }
    }

    /// Checks span order, confidence range and required fields.
    pub fn validate(&self) -> Result<()> {
        if self.source.trim().is_empty() {
            return Err(ModelError::Missing { field: "source" });
        }
        if self.asserted_by.trim().is_empty() {
            return Err(ModelError::Missing { field: "asserted_by" });
        }
        match (self.start, self.end) {
            (Some(s), Some(e)) if s > e => {
                return Err(ModelError::invalid("end", format!("span end {e} is before its start {s}")));
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(ModelError::invalid("start", "a span needs both start and end"));
            }
            _ => {}
        }
        if !(0.0..=1.0).contains(&self.confidence) || self.confidence.is_nan() {
            return Err(ModelError::invalid("confidence", format!("{} is outside 0…1", self.confidence)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_and_confidence_are_checked() {
        let mut ev = Evidence::new("src-1", "keruen-extract@0.1.0");
        assert!(ev.validate().is_ok());
        ev.start = Some(10);
        assert_eq!(ev.validate().unwrap_err().field(), "start");
        ev.end = Some(5);
        assert_eq!(ev.validate().unwrap_err().field(), "end");
        ev.end = Some(15);
        ev.confidence = 1.5;
        assert_eq!(ev.validate().unwrap_err().field(), "confidence");
    }
}
