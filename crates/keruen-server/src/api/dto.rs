//! What the API answers, with the schemas of the OpenAPI document derived from the
//! same structs (so the document cannot drift from the JSON). Pages render these
//! too: an HTML page and its JSON twin show the same data.
use keruen_model::{EntityKind, EventStatus, EventType, Role, Sector};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

fn string_enum(values: impl IntoIterator<Item = &'static str>, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().collect::<Vec<_>>()))
        .description(Some(description))
        .build()
}

pub(crate) fn event_type_schema() -> Object {
    string_enum(EventType::ALL.iter().map(|t| t.as_str()), "Event type")
}
pub(crate) fn status_schema() -> Object {
    string_enum(EventStatus::ALL.iter().map(|t| t.as_str()), "Held, planned or cancelled")
}
pub(crate) fn review_schema() -> Object {
    string_enum(["candidate", "accepted", "rejected"], "Review status")
}
pub(crate) fn kind_schema() -> Object {
    string_enum(EntityKind::ALL.iter().map(|k| k.as_str()), "Entity kind")
}
pub(crate) fn role_schema() -> Object {
    string_enum(Role::ALL.iter().map(|r| r.as_str()), "Role in the event")
}
pub(crate) fn sectors_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(string_enum(Sector::ALL.iter().map(|s| s.as_str()), "Sector"))
        .build()
}

/// One event in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventHit {
    /// Event id.
    pub id: String,
    /// Type.
    #[serde(rename = "type")]
    #[schema(schema_with = event_type_schema)]
    pub event_type: String,
    /// Title.
    pub title: Option<String>,
    /// EDTF date.
    pub date: Option<String>,
    /// ISO codes of the states taking part.
    pub countries: Vec<String>,
    /// Held, planned, cancelled.
    #[schema(schema_with = status_schema)]
    pub status: String,
    /// candidate / accepted / rejected.
    #[schema(schema_with = review_schema)]
    pub review: String,
}

impl From<keruen_store::EventHit> for EventHit {
    fn from(h: keruen_store::EventHit) -> Self {
        EventHit {
            id: h.id,
            event_type: h.event_type.as_str().into(),
            title: h.title,
            date: h.date,
            countries: h.countries,
            status: h.status.as_str().into(),
            review: h.review,
        }
    }
}

/// A count for one value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facet {
    /// The value (type, ISO code, year, sector, status).
    pub value: String,
    /// Matching events.
    pub count: u64,
}

fn facets(v: Vec<keruen_store::Facet>) -> Vec<Facet> {
    v.into_iter().map(|f| Facet { value: f.value, count: f.count }).collect()
}

/// Facet counts over all matches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    /// By type.
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

/// An entity whose name the search text matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityMatch {
    /// Entity id.
    pub id: String,
    /// Kind.
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// Name in the requested language.
    pub name: String,
    /// The name as it matched.
    pub matched: String,
}

/// A source in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceHit {
    /// Source id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Authors.
    pub authors: Option<String>,
    /// EDTF of publication.
    pub issued: Option<String>,
}

impl From<keruen_store::SourceHit> for SourceHit {
    fn from(s: keruen_store::SourceHit) -> Self {
        SourceHit { id: s.id, title: s.title, authors: s.authors, issued: s.issued }
    }
}

/// The answer of a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// Matching events: exact when facets are computed, else counted up to 10,000.
    pub total: u64,
    /// More than `total` events match (the count stopped at its cap).
    pub total_is_lower_bound: bool,
    /// This page, in date order.
    pub hits: Vec<EventHit>,
    /// Cursor of the next page (pass as `cursor`).
    pub next: Option<String>,
    /// Facet counts, unless `facets=false`.
    pub facets: Option<Facets>,
    /// Entities the text named.
    pub entities: Vec<EntityMatch>,
    /// Sources whose title or text matched.
    pub sources: Vec<SourceHit>,
    /// Folded words searched in titles and descriptions.
    pub words: Vec<String>,
}

impl SearchResponse {
    pub(crate) fn new(r: keruen_store::SearchResults, lang: &str) -> Self {
        SearchResponse {
            total: r.total,
            total_is_lower_bound: r.total_is_lower_bound,
            hits: r.hits.into_iter().map(Into::into).collect(),
            next: r.next,
            facets: r.facets.map(|f| Facets {
                types: facets(f.types),
                countries: facets(f.countries),
                years: facets(f.years),
                sectors: facets(f.sectors),
                statuses: facets(f.statuses),
            }),
            entities: r
                .entities
                .into_iter()
                .map(|e| EntityMatch {
                    id: e.id,
                    kind: e.kind.as_str().into(),
                    name: if lang == "ru" { e.name_ru } else { e.name_en },
                    matched: e.matched,
                })
                .collect(),
            sources: r.sources.into_iter().map(Into::into).collect(),
            words: r.words,
        }
    }
}

/// An entity named in the chosen language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedEntity {
    /// Entity id.
    pub id: String,
    /// Kind.
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// Name in the requested language (English, then Russian, as fallbacks).
    pub name: String,
    /// The present-day state it belongs to.
    pub country: Option<String>,
}

impl NamedEntity {
    pub(crate) fn new(e: &keruen_store::EntityName, lang: &str) -> Self {
        NamedEntity {
            id: e.id.clone(),
            kind: e.kind.as_str().into(),
            name: e.name(lang).to_string(),
            country: e.country.clone(),
        }
    }

    /// An id no entity has (named by its id).
    pub(crate) fn unknown(id: &str) -> Self {
        NamedEntity {
            id: id.to_string(),
            kind: keruen_analysis::kind_by_id(id).unwrap_or(EntityKind::Place).as_str().into(),
            name: id.to_string(),
            country: None,
        }
    }
}

/// A participant of an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantDto {
    /// The entity.
    pub entity: NamedEntity,
    /// Its role.
    #[schema(schema_with = role_schema)]
    pub role: String,
}

/// What one source says, where it differs from the event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimDto {
    /// Type.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// EDTF date.
    pub date: Option<String>,
    /// States.
    pub countries: Vec<String>,
    /// Places.
    pub places: Vec<String>,
}

/// One source's support for an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceDto {
    /// The source.
    pub source: SourceHit,
    /// Start of the span (characters).
    pub start: Option<u32>,
    /// End of the span (characters, exclusive).
    pub end: Option<u32>,
    /// The span's text.
    pub quote: Option<String>,
    /// Page or other locator.
    pub page: Option<String>,
    /// Who asserted it: `user:NAME` or `EXTRACTOR@VERSION`.
    pub asserted_by: String,
    /// 0…1.
    pub confidence: f32,
    /// Review status.
    #[schema(schema_with = review_schema)]
    pub status: String,
    /// What this source says.
    pub claim: Option<ClaimDto>,
}

/// An event with names, evidence and sources.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDetail {
    /// Event id.
    pub id: String,
    /// Type.
    #[serde(rename = "type")]
    #[schema(schema_with = event_type_schema)]
    pub event_type: String,
    /// Title.
    pub title: Option<String>,
    /// EDTF date.
    pub date: Option<String>,
    /// First day the date can denote (ISO).
    pub earliest: Option<String>,
    /// Last day the date can denote (ISO).
    pub latest: Option<String>,
    /// Held, planned, cancelled.
    #[schema(schema_with = status_schema)]
    pub status: String,
    /// Sectors.
    #[schema(schema_with = sectors_schema)]
    pub sectors: Vec<String>,
    /// Description.
    pub description: Option<String>,
    /// Review status.
    #[schema(schema_with = review_schema)]
    pub review: String,
    /// Participants with roles.
    pub participants: Vec<ParticipantDto>,
    /// Places.
    pub places: Vec<NamedEntity>,
    /// Evidence, one per source statement.
    pub evidence: Vec<EvidenceDto>,
}

/// One name of an entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NameDto {
    /// The name.
    pub text: String,
    /// Language (BCP 47).
    pub lang: String,
    /// `name`, `official`, `former`, `acronym`, `adjective`, `variant`.
    pub form: String,
    /// The name shown for its language.
    pub preferred: bool,
}

/// An entity with its events.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityDetail {
    /// Entity id.
    pub id: String,
    /// Kind.
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// Name in the requested language.
    pub name: String,
    /// Every name.
    pub names: Vec<NameDto>,
    /// ISO 3166-1 alpha-2 code.
    pub iso: Option<String>,
    /// Wikidata QID.
    pub wikidata: Option<String>,
    /// The state it belongs to.
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Life or existence dates (EDTF).
    pub dates: Option<String>,
    /// One line on who or what it is.
    pub description: Option<String>,
    /// Its events (accepted; candidates too with `candidates=true`), one page.
    pub events: ListPage<EventHit>,
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListPage<T: ToSchema> {
    /// The items.
    pub items: Vec<T>,
    /// Cursor of the next page (pass as `cursor`).
    pub next: Option<String>,
}

/// A span of a source's text that the extractor recognised.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnnotationDto {
    /// `timex`, `entity`, `event`, `archival`, `citation`, `reference`.
    pub kind: String,
    /// Start (characters).
    pub start: usize,
    /// End (characters, exclusive).
    pub end: usize,
    /// The span's text.
    pub text: String,
    /// A normalised value: EDTF of a date, kind of an entity, …
    pub value: Option<String>,
    /// The fact it belongs to (event or entity id).
    pub target: Option<String>,
}

/// An archival reference found in a text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchivalRefDto {
    /// Archive.
    pub archive: Option<String>,
    /// Fond.
    pub fond: String,
    /// Inventory (opis).
    pub inventory: Option<String>,
    /// Case (delo).
    pub case: Option<String>,
    /// Sheets.
    pub sheet: Option<String>,
    /// Start (characters).
    pub start: usize,
    /// End (characters).
    pub end: usize,
    /// As written.
    pub text: String,
}

/// An in-text citation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CitationDto {
    /// Author's surname.
    pub author: String,
    /// Year.
    pub year: Option<String>,
    /// Pages.
    pub pages: Option<String>,
    /// Start (characters).
    pub start: usize,
    /// End (characters).
    pub end: usize,
    /// As written.
    pub text: String,
    /// Index of the bibliography entry it points to.
    pub reference: Option<usize>,
}

/// A bibliography entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceDto {
    /// Position, from 0.
    pub index: usize,
    /// As written.
    pub text: String,
    /// Surnames of its authors.
    pub authors: Vec<String>,
    /// Year.
    pub year: Option<String>,
    /// Start (characters).
    pub start: usize,
    /// End (characters).
    pub end: usize,
}

/// A source with its text and everything found in it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceDetail {
    /// Source id.
    pub id: String,
    /// SHA-256 of the text.
    pub sha256: String,
    /// CSL type.
    #[serde(rename = "type")]
    pub csl_type: String,
    /// Title.
    pub title: String,
    /// Authors, `Family, Given`.
    pub authors: Vec<String>,
    /// EDTF of publication.
    pub issued: Option<String>,
    /// Journal, book or site.
    pub container_title: Option<String>,
    /// Pages.
    pub page: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Web address.
    pub url: Option<String>,
    /// DOI.
    pub doi: Option<String>,
    /// Language of the text.
    pub language: Option<String>,
    /// Archive / fond / inventory / case / sheet of an archival unit, as one line.
    pub archival: Option<String>,
    /// The file it was read from.
    pub file_name: Option<String>,
    /// An author–year citation of it.
    pub short_citation: String,
    /// The full text, when held.
    pub text: Option<String>,
    /// Extracted spans, by start.
    pub annotations: Vec<AnnotationDto>,
    /// Archival references.
    pub archival_refs: Vec<ArchivalRefDto>,
    /// In-text citations.
    pub citations: Vec<CitationDto>,
    /// Bibliography.
    pub references: Vec<ReferenceDto>,
    /// Events that cite it.
    pub events: Vec<EventHit>,
}

/// Counts of what the database holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsDto {
    /// Sources.
    pub sources: u64,
    /// Entities by kind.
    pub entities: Vec<Facet>,
    /// Events.
    pub events: u64,
    /// Events by review status.
    pub events_by_review: Vec<Facet>,
    /// Events by type.
    pub events_by_type: Vec<Facet>,
    /// First and last year of events.
    pub first_year: Option<i32>,
    /// Last year.
    pub last_year: Option<i32>,
    /// Pieces of evidence.
    pub evidence: u64,
    /// Archival references.
    pub archival_refs: u64,
    /// Citations.
    pub citations: u64,
    /// Audit log entries.
    pub audit: u64,
}

impl From<keruen_store::Stats> for StatsDto {
    fn from(s: keruen_store::Stats) -> Self {
        StatsDto {
            sources: s.sources,
            entities: facets(s.entities),
            events: s.events,
            events_by_review: facets(s.events_by_review),
            events_by_type: facets(s.events_by_type),
            first_year: s.years.map(|y| y.0),
            last_year: s.years.map(|y| y.1),
            evidence: s.evidence,
            archival_refs: s.archival_refs,
            citations: s.citations,
            audit: s.audit,
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditDto {
    /// Sequence number.
    pub id: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of change.
    pub action: String,
    /// The id of what changed.
    pub item: String,
    /// State before.
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    /// State after.
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    /// Why.
    pub reason: Option<String>,
}

impl From<keruen_store::AuditEntry> for AuditDto {
    fn from(a: keruen_store::AuditEntry) -> Self {
        AuditDto {
            id: a.id,
            at: a.at,
            actor: a.actor,
            action: a.action,
            item: a.item,
            before: a.before,
            after: a.after,
            reason: a.reason,
        }
    }
}

/// Events of one type in one year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearTypeCount {
    /// Year.
    pub year: i32,
    /// Type.
    #[serde(rename = "type")]
    #[schema(schema_with = event_type_schema)]
    pub event_type: String,
    /// Events.
    pub count: u64,
}

/// The timeline: events per year and type.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Timeline {
    /// First year shown.
    pub from: Option<i32>,
    /// Last year shown.
    pub to: Option<i32>,
    /// Counts, by year then type.
    pub counts: Vec<YearTypeCount>,
    /// Matching events in all.
    pub total: u64,
}

/// A place on the map.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapPlace {
    /// The place.
    pub place: NamedEntity,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Matching events held there.
    pub count: u64,
}

/// The map: places with events, and events per state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapData {
    /// Places with coordinates, most events first.
    pub places: Vec<MapPlace>,
    /// Matching events per state.
    pub countries: Vec<Facet>,
    /// Matching events in all.
    pub total: u64,
}

/// One cell of the country-pair-by-year matrix.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixCell {
    /// First state (undirected: the smaller code; directed: the host).
    pub a: String,
    /// Second state.
    pub b: String,
    /// Year (`null` for events without one).
    pub year: Option<i32>,
    /// Events.
    pub count: u64,
    /// Events by type.
    pub by_type: BTreeMap<String, u64>,
    /// Events by sector.
    pub by_sector: BTreeMap<String, u64>,
}

/// The country-pair-by-year matrix (docs/analysis.md).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatrixDto {
    /// Host → guest pairs rather than unordered pairs.
    pub directed: bool,
    /// The states that occur.
    pub countries: Vec<NamedEntity>,
    /// Cells by year, then pair.
    pub cells: Vec<MatrixCell>,
}

/// A node of the network.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeDto {
    /// The entity.
    pub entity: NamedEntity,
    /// Events it takes part in.
    pub events: u64,
    /// Neighbours.
    pub degree: usize,
    /// Sum of its edge weights.
    pub weighted_degree: u64,
    /// Normalised weighted betweenness.
    pub betweenness: f64,
    /// Community (0 is the largest).
    pub community: usize,
    /// Layout position, 0…1000.
    pub x: f64,
    /// Layout position, 0…1000.
    pub y: f64,
}

/// An edge of the network.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EdgeDto {
    /// One end.
    pub source: String,
    /// The other end.
    pub target: String,
    /// Events both take part in.
    pub weight: u64,
}

/// The cooperation network of states and organisations.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkDto {
    /// Nodes shown (the heaviest, at most `limit`).
    pub nodes: Vec<NodeDto>,
    /// Edges between the nodes shown.
    pub edges: Vec<EdgeDto>,
    /// Nodes in the whole network.
    pub total_nodes: usize,
    /// Communities.
    pub communities: usize,
    /// Modularity of the communities.
    pub modularity: f64,
}

/// A round anniversary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JubileeDto {
    /// Entity or event id.
    pub subject: String,
    /// `person`, `organization`, `work` or `event`.
    pub subject_kind: String,
    /// A title in the requested language.
    pub title: String,
    /// `birth`, `death`, `founding`, `first_appearance`, `agreement`, `diplomatic_relations`.
    pub occasion: String,
    /// Which anniversary.
    pub years: u32,
    /// When, as precisely as known (`2027-10-05`, `2027-10`, `2027`, `2020–2029`).
    pub when: String,
    /// Month, when known.
    pub month: Option<u8>,
    /// A multiple of 50.
    pub major: bool,
    /// The date it counts from is approximate, uncertain or a range.
    pub approximate: bool,
    /// States it belongs to.
    pub countries: Vec<String>,
}

/// One month of the Cultural Calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarMonth {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Planned events that start in this month.
    pub events: Vec<EventHit>,
    /// Jubilees that fall in this month.
    pub jubilees: Vec<JubileeDto>,
}

/// The Cultural Calendar: planned events and jubilees by month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDto {
    /// First year.
    pub from: i32,
    /// Last year.
    pub to: i32,
    /// Months with something in them.
    pub months: Vec<CalendarMonth>,
    /// Planned events known only to the year, by date.
    pub year_only_events: Vec<EventHit>,
    /// Jubilees known only to the year (or a range of years), by first year.
    pub year_only_jubilees: Vec<JubileeDto>,
    /// The iCalendar feed of the same selection.
    pub ics: String,
}
