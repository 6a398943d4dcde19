//! The store's request and answer types, shared by every backend.
use keruen_gazetteer::fold::fold;
use keruen_model::{
    Annotation, ArchivalRef, Citation, Edtf, Entity, EntityKind, Event, EventStatus, EventType, Reference,
    Sector, Source,
};
use serde::{Deserialize, Serialize};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Import the good records and report the bad ones instead of aborting.
    pub skip_invalid: bool,
    /// Who is importing (`user:NAME`).
    pub actor: String,
    /// A large import into a small database: secondary indexes are dropped for the
    /// import and rebuilt at its end (in the same transaction), which is several
    /// times faster than updating them row by row.
    pub bulk: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { skip_invalid: false, actor: "user:admin".into(), bulk: false }
    }
}

/// A record that was not imported, and why.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
    /// The raw line.
    pub raw: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// New sources.
    pub sources: u64,
    /// New entities.
    pub entities: u64,
    /// New events.
    pub events: u64,
    /// Records already present, unchanged.
    pub unchanged: u64,
    /// Records rejected (only with `skip_invalid`).
    pub rejected: u64,
}

/// A source and everything extracted from it, ready to store as candidates.
#[derive(Debug, Clone)]
pub struct IngestBundle {
    /// The source, with its text.
    pub source: Source,
    /// Entities that the gazetteer lacks (found by shape).
    pub new_entities: Vec<Entity>,
    /// Candidate events, each with one piece of evidence pointing at the source.
    pub events: Vec<Event>,
    /// Spans for highlighting.
    pub annotations: Vec<Annotation>,
    /// Archival references.
    pub archival_refs: Vec<ArchivalRef>,
    /// In-text citations.
    pub citations: Vec<Citation>,
    /// Bibliography entries.
    pub references: Vec<Reference>,
    /// Who extracted it (`keruen-extract@VERSION`).
    pub actor: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// The source's key.
    pub source: String,
    /// Whether the source was new.
    pub new: bool,
    /// Candidate events stored.
    pub events: u64,
    /// Entities created.
    pub entities: u64,
}

/// Which events a bulk read covers: by default only what curators accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EventScope {
    /// Accepted events only: what search, analysis and export show by default.
    #[default]
    Accepted,
    /// Accepted and candidate events (`--include-candidates`).
    NotRejected,
    /// Every event, rejected ones too (the lossless export).
    All,
}

/// A search over events.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Free text: names of states, places, people, organisations in any script, and
    /// words of titles.
    pub text: Option<String>,
    /// Only these types.
    pub types: Vec<EventType>,
    /// Only events in which all these states take part (ISO codes).
    pub countries: Vec<String>,
    /// Only events that can fall on or after the start of this date.
    pub from: Option<Edtf>,
    /// Only events that can fall on or before the end of this date.
    pub to: Option<Edtf>,
    /// Only these sectors.
    pub sectors: Vec<Sector>,
    /// Only these statuses.
    pub statuses: Vec<EventStatus>,
    /// Include candidate (unreviewed) events; accepted only otherwise.
    pub include_candidates: bool,
    /// At most this many hits (default 20, at most 500).
    pub limit: Option<usize>,
    /// Continue after this cursor (from [`SearchResults::next`]).
    pub cursor: Option<String>,
    /// Compute facet counts.
    pub facets: bool,
}

/// One event in a result list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventHit {
    /// Event key.
    pub id: String,
    /// Type.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Title.
    pub title: Option<String>,
    /// EDTF date.
    pub date: Option<String>,
    /// ISO codes of the states taking part.
    pub countries: Vec<String>,
    /// Held, planned, cancelled.
    pub status: EventStatus,
    /// candidate / accepted / rejected.
    pub review: String,
}

/// A count for one value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    /// The value (type name, ISO code, year, …).
    pub value: String,
    /// Matching events.
    pub count: u64,
}

/// Facet counts over all matches (not only the page shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// By event type.
    pub types: Vec<Facet>,
    /// By state.
    pub countries: Vec<Facet>,
    /// By year.
    pub years: Vec<Facet>,
    /// By sector.
    pub sectors: Vec<Facet>,
    /// By status.
    pub statuses: Vec<Facet>,
}

/// An entity whose name matches the search text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityHit {
    /// Entity key.
    pub id: String,
    /// Kind.
    pub kind: EntityKind,
    /// English display name.
    pub name_en: String,
    /// Russian display name.
    pub name_ru: String,
    /// The name that matched.
    pub matched: String,
}

/// A source whose title or text matches the search text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceHit {
    /// Source key.
    pub id: String,
    /// Title.
    pub title: String,
    /// Authors for display.
    pub authors: Option<String>,
    /// EDTF of publication.
    pub issued: Option<String>,
}

/// The answer to a [`SearchQuery`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Matching events, counted exactly up to a cap.
    pub total: u64,
    /// More than `total` events match (the count stopped at its cap).
    #[serde(default)]
    pub total_is_lower_bound: bool,
    /// This page, in date order (undated last), ties broken by insertion order.
    pub hits: Vec<EventHit>,
    /// Cursor for the next page, if any.
    pub next: Option<String>,
    /// Facet counts, when asked for.
    pub facets: Option<Facets>,
    /// Entities whose names the text matched.
    pub entities: Vec<EntityHit>,
    /// Sources whose title or text matched.
    pub sources: Vec<SourceHit>,
    /// Folded words of the text that matched no entity and were searched as words.
    pub words: Vec<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of change.
    pub action: String,
    /// The key of what changed.
    pub item: String,
    /// State before (JSON), if any.
    pub before: Option<serde_json::Value>,
    /// State after (JSON), if any.
    pub after: Option<serde_json::Value>,
    /// Why, when given.
    pub reason: Option<String>,
}

impl AuditEntry {
    /// Hides the password and token hashes: they are in the log (a replay needs
    /// them) but never shown.
    pub(crate) fn redact(&mut self) {
        for v in [&mut self.before, &mut self.after] {
            if let Some(serde_json::Value::Object(map)) = v {
                for key in ["password_hash", "hash"] {
                    if let Some(x) = map.get_mut(key)
                        && !x.is_null()
                    {
                        *x = serde_json::Value::String("[redacted]".into());
                    }
                }
            }
        }
    }
}

/// Counts of what a database holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Sources.
    pub sources: u64,
    /// Entities by kind.
    pub entities: Vec<Facet>,
    /// Events (not merged away).
    pub events: u64,
    /// Events by review status.
    pub events_by_review: Vec<Facet>,
    /// Events by type.
    pub events_by_type: Vec<Facet>,
    /// Earliest and latest event year.
    pub years: Option<(i32, i32)>,
    /// Pieces of evidence.
    pub evidence: u64,
    /// Archival references.
    pub archival_refs: u64,
    /// Citations.
    pub citations: u64,
    /// Audit log entries.
    pub audit: u64,
}

/// How the free text of a search is split: word sequences that are names of entities
/// (which then must take part in, or be the place of, a matching event) and the other
/// words (which must occur in the event's title or description).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPlan {
    /// Folded words of the query.
    pub words: Vec<String>,
}

impl SearchPlan {
    /// The longest word sequence first: folded n-grams of up to five words, with
    /// their word ranges, for looking up entity names.
    pub fn ngrams(&self) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for n in (1..=self.words.len().min(5)).rev() {
            for start in 0..=self.words.len() - n {
                out.push((start, start + n, self.words[start..start + n].join(" ")));
            }
        }
        out
    }

    /// Splits a query's text into folded words.
    pub fn new(text: &str) -> Self {
        SearchPlan { words: fold(text).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect() }
    }
}

/// Hits a search returns unless asked for another number.
pub(crate) const DEFAULT_LIMIT: usize = 20;
/// The most hits a search returns at once.
pub(crate) const MAX_LIMIT: usize = 500;
/// Matches counted exactly; more are reported as "more than".
pub(crate) const COUNT_CAP: u64 = 10_000;

/// The text of a query resolved against the entity names: the row ids of the
/// entities each name found (an event must involve one of each group), those
/// entities, and the words left over (which must occur in the event's text).
#[derive(Debug, Default)]
pub(crate) struct ResolvedText {
    pub groups: Vec<Vec<i64>>,
    pub entity_hits: Vec<EntityHit>,
    pub words: Vec<String>,
    pub all_words: Vec<String>,
}

impl SearchPlan {
    /// Finds entity names in the text, longest word sequence first; `lookup` gives
    /// the entities (row id and hit) whose folded name equals a sequence. A single
    /// word that names nothing is tried without its inflection.
    pub(crate) fn resolve(
        &self,
        mut lookup: impl FnMut(&str) -> crate::Result<Vec<(i64, EntityHit)>>,
    ) -> crate::Result<ResolvedText> {
        let mut out = ResolvedText { all_words: self.words.clone(), ..Default::default() };
        let mut claimed = vec![false; self.words.len()];
        for (start, end, gram) in self.ngrams() {
            if claimed[start..end].iter().any(|c| *c) {
                continue;
            }
            let mut found = lookup(&gram)?;
            if found.is_empty() && end - start == 1 {
                for variant in inflection_variants(&gram) {
                    found = lookup(&variant)?;
                    if !found.is_empty() {
                        break;
                    }
                }
            }
            if found.is_empty() {
                continue;
            }
            claimed[start..end].iter_mut().for_each(|c| *c = true);
            out.groups.push(found.iter().map(|(id, _)| *id).collect());
            out.entity_hits.extend(found.into_iter().map(|(_, h)| h));
        }
        out.words = self.words.iter().zip(&claimed).filter(|(_, c)| !**c).map(|(w, _)| w.clone()).collect();
        Ok(out)
    }
}

/// Russian and Central Asian names are inflected ("Казахстана", "в Бухаре"); when a
/// word names no entity as written, try it without its last one or two letters, and
/// with a final -a restored.
fn inflection_variants(word: &str) -> Vec<String> {
    let n = word.len();
    if n < 6 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut out = vec![word[..n - 1].to_string(), word[..n - 2].to_string()];
    out.push(format!("{}a", &word[..n - 1]));
    out
}

/// Entities found by one name, each once, in row id order.
pub(crate) fn distinct_entities(rows: Vec<(i64, EntityHit)>) -> Vec<(i64, EntityHit)> {
    let mut out: Vec<(i64, EntityHit)> = Vec::new();
    for (id, hit) in rows {
        if !out.iter().any(|(i, _)| *i == id) {
            out.push((id, hit));
        }
    }
    out
}

/// The cursor of the page after an event hit: its sort day and row id.
pub(crate) fn event_cursor(sort_day: i64, id: i64) -> String {
    format!("{sort_day}.{id}")
}

/// Reads a cursor made by [`event_cursor`].
pub(crate) fn parse_event_cursor(cursor: &str) -> crate::Result<(i64, i64)> {
    let bad = || crate::StoreError::Invalid {
        line: 0,
        message: format!("cursor `{cursor}` is not one this server gave out"),
    };
    let (a, b) = cursor.split_once('.').ok_or_else(bad)?;
    Ok((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?))
}

/// Facet counts gathered one matching event at a time, and the exact total.
#[derive(Default)]
pub(crate) struct FacetTally {
    types: std::collections::HashMap<String, u64>,
    statuses: std::collections::HashMap<String, u64>,
    years: std::collections::BTreeMap<i64, u64>,
    sectors: std::collections::HashMap<String, u64>,
    countries: std::collections::HashMap<String, u64>,
    pub total: u64,
}

impl FacetTally {
    /// Counts one event: its type, status, year and the stored comma-separated
    /// sectors and states.
    pub(crate) fn add(
        &mut self,
        event_type: &str,
        status: &str,
        year: Option<i64>,
        sectors: &str,
        countries: &str,
    ) {
        fn bump(m: &mut std::collections::HashMap<String, u64>, k: &str) {
            match m.get_mut(k) {
                Some(n) => *n += 1,
                None => {
                    m.insert(k.to_string(), 1);
                }
            }
        }
        self.total += 1;
        bump(&mut self.types, event_type);
        bump(&mut self.statuses, status);
        if let Some(y) = year {
            *self.years.entry(y).or_default() += 1;
        }
        for sector in sectors.split(',').filter(|s| !s.is_empty()) {
            bump(&mut self.sectors, sector);
        }
        for code in countries.split(',').filter(|s| !s.is_empty()) {
            bump(&mut self.countries, code);
        }
    }

    /// The facets, each by count (then value); years in order.
    pub(crate) fn finish(self) -> (Facets, u64) {
        let by_count = |m: std::collections::HashMap<String, u64>| {
            let mut v: Vec<Facet> = m.into_iter().map(|(value, count)| Facet { value, count }).collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        };
        let facets = Facets {
            types: by_count(self.types),
            countries: by_count(self.countries),
            years: self.years.into_iter().map(|(y, count)| Facet { value: y.to_string(), count }).collect(),
            sectors: by_count(self.sectors),
            statuses: by_count(self.statuses),
        };
        (facets, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngrams_are_longest_first() {
        let plan = SearchPlan::new("Days of Culture, Алматы");
        assert_eq!(plan.words, vec!["days", "of", "culture", "almaty"]);
        let grams = plan.ngrams();
        assert_eq!(grams[0], (0, 4, "days of culture almaty".to_string()));
        assert_eq!(grams.last().unwrap(), &(3, 4, "almaty".to_string()));
        assert_eq!(grams.len(), 10);
    }
}
