//! Reads that the web pages and the API need beyond the core [`crate::Store`]
//! operations: what a source page, an entity page, a list, a map or a timeline shows.
//!
//! Every backend implements [`Browse`]; the SQLite implementation is in
//! `sqlite/browse.rs`. Lists are paged by an opaque cursor (the `next` of a [`Page`]),
//! never by an offset, so that a page costs the same however deep it is.
use crate::{EventHit, Result, SearchQuery, SourceHit};
use keruen_model::{Annotation, ArchivalRef, Citation, EntityKind, Event, EventType, Reference, Source};
use serde::{Deserialize, Serialize};

/// One page of a list, and the cursor of the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Cursor of the next page, if any.
    pub next: Option<String>,
}

/// A source with everything found in its text: what its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourcePage {
    /// The source, with its text.
    pub source: Source,
    /// Extracted spans, by start (then longest first).
    pub annotations: Vec<Annotation>,
    /// Archival references, in text order.
    pub archival_refs: Vec<ArchivalRef>,
    /// In-text citations, in text order.
    pub citations: Vec<Citation>,
    /// Bibliography entries, in order.
    pub references: Vec<Reference>,
    /// Events (any review status) that cite it, in date order.
    pub events: Vec<EventHit>,
}

/// An event with the names of the entities and the titles of the sources it refers
/// to ([`crate::Store::named_event`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedEvent {
    /// The event, with participants, places and evidence.
    pub event: Event,
    /// Each participant and place that exists, once, by key (byte order).
    pub names: Vec<EntityName>,
    /// Each source of its evidence that exists, once, by key (byte order).
    pub sources: Vec<SourceHit>,
}

/// An entity's key, kind and display names: enough to list it or name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityName {
    /// Entity key.
    pub id: String,
    /// Kind.
    pub kind: EntityKind,
    /// English display name.
    pub name_en: String,
    /// Russian display name.
    pub name_ru: String,
    /// The present-day state it belongs to.
    pub country: Option<String>,
}

impl EntityName {
    /// The name in `lang` (`ru`, else English).
    pub fn name(&self, lang: &str) -> &str {
        if lang == "ru" && !self.name_ru.is_empty() { &self.name_ru } else { &self.name_en }
    }
}

/// A place with coordinates and how many matching events took place there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCount {
    /// The place's key, names and state.
    pub place: EntityName,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Matching events held there.
    pub count: u64,
}

/// How many matching events fall in a year, for one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearTypeCount {
    /// The year of the event's first day.
    pub year: i32,
    /// The type.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// Events.
    pub count: u64,
}

/// Page-oriented reads.
pub trait Browse {
    /// A source with its annotations, archival references, citations, bibliography
    /// and the events that cite it.
    fn source_page(&self, key: &str) -> Result<Option<SourcePage>>;

    /// Sources in insertion order, `limit` at a time.
    fn sources_list(&self, cursor: Option<&str>, limit: usize) -> Result<Page<SourceHit>>;

    /// Entities (of one kind, or all) in key order, `limit` at a time.
    fn entities_list(
        &self,
        kind: Option<EntityKind>,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EntityName>>;

    /// The events in which an entity takes part or which took place there, in date
    /// order; accepted ones only unless `include_candidates`.
    fn entity_events(
        &self,
        key: &str,
        include_candidates: bool,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EventHit>>;

    /// Key, kind and names of each of `keys` that exists, in the order given.
    fn names(&self, keys: &[String]) -> Result<Vec<EntityName>>;

    /// Title, authors and date of each of the sources `keys` that exists, in the
    /// order given (without their text).
    fn source_hits(&self, keys: &[String]) -> Result<Vec<SourceHit>>;

    /// Places with coordinates where events matching `query` (its filters and text,
    /// not its cursor or limit) took place, with counts, most events first.
    fn place_counts(&self, query: &SearchQuery) -> Result<Vec<PlaceCount>>;

    /// Events matching `query` per year and type, by year then type.
    fn year_type_counts(&self, query: &SearchQuery) -> Result<Vec<YearTypeCount>>;
}
