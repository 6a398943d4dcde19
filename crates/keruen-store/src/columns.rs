//! What every backend derives from a record for its columns: the day range of a
//! date, the sort key of an event, the folded text that full-text search looks at,
//! the authors shown for a source. One definition, so that SQLite and PostgreSQL
//! store the same values and therefore sort and find the same events.
use keruen_gazetteer::fold::fold;
use keruen_model::{Edtf, Event, Source};

/// Whether a write created something or found it already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Created,
    Unchanged,
}

/// The earliest and latest day (days since 1970-01-01) a date can denote.
pub(crate) fn bounds(date: Option<&Edtf>) -> (Option<i32>, Option<i32>) {
    match date {
        Some(d) => (d.earliest().map(|d| d.0), d.latest().map(|d| d.0)),
        None => (None, None),
    }
}

/// Undated events sort after every dated one.
pub(crate) const UNDATED: i64 = i32::MAX as i64;

/// The day an event sorts by: its first day, else its last, else [`UNDATED`].
pub(crate) fn sort_day(lo: Option<i32>, hi: Option<i32>) -> i64 {
    lo.or(hi).map(i64::from).unwrap_or(UNDATED)
}

/// The year of a sort day, for facets; none for undated events.
pub(crate) fn year_of(day: i64) -> Option<i32> {
    (day != UNDATED).then(|| keruen_model::Day(day as i32).ymd().0)
}

/// An event's sectors as stored: comma-separated.
pub(crate) fn sectors(e: &Event) -> String {
    e.sectors.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

/// The text of an event that full-text search looks at, folded.
pub(crate) fn event_search_body(e: &Event) -> String {
    event_body(e.event_type.as_str(), e.title.as_deref(), e.description.as_deref())
}

/// [`event_search_body`] from the stored columns (type, title, description).
pub(crate) fn event_body(event_type: &str, title: Option<&str>, description: Option<&str>) -> String {
    let mut body = event_type.replace('_', " ");
    for part in [title, description].into_iter().flatten() {
        body.push(' ');
        body.push_str(part);
    }
    fold(&body)
}

/// The text of a source that full-text search looks at (title, authors, text), folded.
pub(crate) fn source_body(title: &str, authors: Option<&str>, text: Option<&str>) -> String {
    fold(&format!("{} {} {}", title, authors.unwrap_or_default(), text.unwrap_or("")))
}

/// The words of a folded search text as a PostgreSQL `tsvector` literal: each word
/// once, sorted, without positions — what `strip(to_tsvector('simple', body))` gives
/// for folded text (only `[a-z0-9 ]`, so the words are the tokens), computed here so
/// that a bulk import need not run the text search parser on every row. Words longer
/// than PostgreSQL indexes (2,046 bytes) are left out, as `to_tsvector` leaves them.
pub(crate) fn tsvector(body: &str) -> String {
    let words = tsvector_words(body);
    let mut out = String::with_capacity(body.len() + 3 * words.len());
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('\'');
        out.push_str(w);
        out.push('\'');
    }
    out
}

/// The lexemes of [`tsvector`]: each word once, sorted bytewise (as PostgreSQL
/// orders a `tsvector`'s lexemes), none longer than PostgreSQL takes.
pub(crate) fn tsvector_words(body: &str) -> Vec<&str> {
    let mut words: Vec<&str> = body.split(' ').filter(|w| !w.is_empty() && w.len() <= 2046).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Authors for display and SQL tools: "Family, Given; Family, Given".
pub(crate) fn authors(s: &Source) -> Option<String> {
    (!s.author.is_empty()).then(|| {
        s.author
            .iter()
            .map(|a| match &a.given {
                Some(g) => format!("{}, {}", a.family, g),
                None => a.family.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Why an entity key cannot be resolved.
pub(crate) fn unknown_entity(key: &str) -> String {
    if key.len() == 2 && key.bytes().all(|b| b.is_ascii_uppercase()) {
        format!("unknown country code `{key}` (not an ISO 3166-1 code that keruen knows)")
    } else {
        format!("unknown entity `{key}`: import it first or use a gazetteer id")
    }
}

/// Why a source key in evidence cannot be resolved.
pub(crate) fn unknown_source(key: &str) -> String {
    format!("unknown source `{key}` in evidence: import the source first")
}

/// What an ingest stores beside the events: spans, archival references, citations
/// and bibliography entries of one source. The `ingest` audit entry holds it, so
/// that a replay restores it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct SourceFacts {
    #[serde(default)]
    pub annotations: Vec<keruen_model::Annotation>,
    #[serde(default)]
    pub archival_refs: Vec<keruen_model::ArchivalRef>,
    #[serde(default)]
    pub citations: Vec<keruen_model::Citation>,
    #[serde(default)]
    pub references: Vec<keruen_model::Reference>,
}

impl SourceFacts {
    /// The facts of an ingest bundle.
    pub(crate) fn of(bundle: &crate::IngestBundle) -> Self {
        SourceFacts {
            annotations: bundle.annotations.clone(),
            archival_refs: bundle.archival_refs.clone(),
            citations: bundle.citations.clone(),
            references: bundle.references.clone(),
        }
    }
}

/// The `after` of an `ingest` audit entry.
pub(crate) fn ingest_summary(
    report: &crate::IngestReport,
    bundle: &crate::IngestBundle,
    created_entities: &[String],
    facts: &SourceFacts,
) -> serde_json::Value {
    serde_json::json!({
        "events": report.events, "entities": report.entities,
        "annotations": bundle.annotations.len(), "archival_refs": bundle.archival_refs.len(),
        "citations": bundle.citations.len(), "references": bundle.references.len(),
        "extractor": bundle.actor, "new_entities": created_entities, "facts": facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::EventType;

    #[test]
    fn bodies_fold_type_title_and_description() {
        let mut e = Event::new("e", EventType::CultureDays, None);
        e.title = Some("Дни культуры".into());
        assert_eq!(event_search_body(&e), "culture days dni kultury");
        assert_eq!(sort_day(None, None), UNDATED);
        assert_eq!(year_of(UNDATED), None);
        assert_eq!(year_of(0), Some(1970));
        assert_eq!(tsvector("days of culture days 1995 a"), "'1995' 'a' 'culture' 'days' 'of'");
        assert_eq!(tsvector(""), "");
    }
}
