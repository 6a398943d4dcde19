//! The JSON-LD nodes of keruen's records, and the conversions both ways. Every field
//! of a record has a place in its node, so that a record read back is the record
//! written.
use keruen_model::{
    ArchivalUnit, Author, Claim, Coordinates, Edtf, EdtfValue, Entity, EntityKind, Event, EventStatus,
    EventType, Evidence, Name, NameForm, Participant, ReviewStatus, Role, Script, Sector, Source,
};
use serde::{Deserialize, Serialize};

const PREFIX: &str = "kr:";

/// A reference to another node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Ref {
    #[serde(rename = "@id")]
    id: String,
}

fn is_iri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=".contains(&b)
}

/// The node id of a record of `kind` (`source`, `entity`, `event`).
fn node_id(kind: &str, id: &str) -> String {
    let mut s = format!("{PREFIX}{kind}/");
    for b in id.bytes() {
        if is_iri_char(b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn reference(kind: &str, id: &str) -> Ref {
    Ref { id: node_id(kind, id) }
}

/// The record id inside a node id written by [`node_id`].
fn id_of(kind: &str, r: &Ref) -> std::result::Result<String, String> {
    let Some(rest) =
        r.id.strip_prefix(PREFIX).and_then(|s| s.strip_prefix(kind)).and_then(|s| s.strip_prefix('/'))
    else {
        return Err(format!("`{}` is not a keruen {kind} id ({PREFIX}{kind}/…)", r.id));
    };
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("`{}` has a bad percent escape", r.id))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{}` is not UTF-8 once decoded", r.id))
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A date schema.org can read (ISO 8601, possibly reduced), when the EDTF value is a
/// plain date or has plain ends: (start, end).
fn iso_dates(date: &Edtf) -> (Option<String>, Option<String>) {
    let plain = |d: &keruen_model::EdtfDate| {
        (d.qualifier.is_none() && !d.has_unspecified() && d.season.is_none() && d.year.abs() <= 9999)
            .then(|| d.to_string())
    };
    match date.value() {
        EdtfValue::Date(d) => (plain(d), None),
        EdtfValue::Interval { start, end } => (start.date().and_then(plain), end.date().and_then(plain)),
        EdtfValue::Set { .. } => (None, None),
    }
}

// ------------------------------------------------------------------ events

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RoleNode {
    #[serde(rename = "@type")]
    ty: String,
    #[serde(rename = "roleName")]
    role: Role,
    attendee: Ref,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ClaimNode {
    #[serde(rename = "eventType", default, skip_serializing_if = "Option::is_none")]
    event_type: Option<EventType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edtf: Option<Edtf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    country: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    location: Vec<Ref>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EvidenceNode {
    source: Ref,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(rename = "assertedBy")]
    asserted_by: String,
    confidence: f32,
    review: ReviewStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim: Option<ClaimNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct EventNode {
    #[serde(rename = "@id")]
    node: String,
    #[serde(rename = "@type")]
    ty: String,
    identifier: String,
    #[serde(rename = "eventType")]
    event_type: EventType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edtf: Option<Edtf>,
    #[serde(rename = "startDate", default, skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "endDate", default, skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    attendee: Vec<RoleNode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    location: Vec<Ref>,
    status: EventStatus,
    #[serde(rename = "eventStatus")]
    event_status: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sector: Vec<Sector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    review: ReviewStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<EvidenceNode>,
}

pub(super) fn event_node(e: &Event) -> EventNode {
    let (start_date, end_date) = e.date.as_ref().map(iso_dates).unwrap_or((None, None));
    EventNode {
        node: node_id("event", &e.id),
        ty: "Event".into(),
        identifier: e.id.clone(),
        event_type: e.event_type,
        name: e.title.clone(),
        edtf: e.date.clone(),
        start_date,
        end_date,
        attendee: e
            .participants
            .iter()
            .map(|p| RoleNode { ty: "Role".into(), role: p.role, attendee: reference("entity", &p.entity) })
            .collect(),
        location: e.places.iter().map(|p| reference("entity", p)).collect(),
        status: e.status,
        event_status: match e.status {
            EventStatus::Cancelled => "EventCancelled",
            EventStatus::Held | EventStatus::Planned => "EventScheduled",
        }
        .into(),
        sector: e.sectors.clone(),
        description: e.description.clone(),
        review: e.review,
        evidence: e
            .evidence
            .iter()
            .map(|v| EvidenceNode {
                source: reference("source", &v.source),
                start: v.start,
                end: v.end,
                quote: v.quote.clone(),
                page: v.page.clone(),
                asserted_by: v.asserted_by.clone(),
                confidence: v.confidence,
                review: v.status,
                claim: v.claim.as_ref().map(|c| ClaimNode {
                    event_type: c.event_type,
                    edtf: c.date.clone(),
                    country: c.countries.clone(),
                    location: c.places.iter().map(|p| reference("entity", p)).collect(),
                }),
            })
            .collect(),
    }
}

pub(super) fn event_of(n: EventNode) -> std::result::Result<Event, String> {
    let refs = |v: &[Ref]| v.iter().map(|r| id_of("entity", r)).collect::<std::result::Result<Vec<_>, _>>();
    Ok(Event {
        id: n.identifier,
        event_type: n.event_type,
        title: n.name,
        date: n.edtf,
        participants: n
            .attendee
            .iter()
            .map(|r| Ok(Participant::new(id_of("entity", &r.attendee)?, r.role)))
            .collect::<std::result::Result<_, String>>()?,
        places: refs(&n.location)?,
        status: n.status,
        sectors: n.sector,
        description: n.description,
        review: n.review,
        evidence: n
            .evidence
            .into_iter()
            .map(|v| {
                Ok(Evidence {
                    source: id_of("source", &v.source)?,
                    start: v.start,
                    end: v.end,
                    quote: v.quote,
                    page: v.page,
                    asserted_by: v.asserted_by,
                    confidence: v.confidence,
                    status: v.review,
                    claim: match v.claim {
                        None => None,
                        Some(c) => Some(Claim {
                            event_type: c.event_type,
                            date: c.edtf,
                            countries: c.country,
                            places: refs(&c.location)?,
                        }),
                    },
                })
            })
            .collect::<std::result::Result<_, String>>()?,
    })
}

// ------------------------------------------------------------------ entities

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LangString {
    #[serde(rename = "@value")]
    value: String,
    #[serde(rename = "@language")]
    lang: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct NameNode {
    name: String,
    #[serde(rename = "inLanguage")]
    lang: String,
    script: Script,
    form: NameForm,
    #[serde(default, skip_serializing_if = "is_false")]
    preferred: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Geo {
    #[serde(rename = "@type")]
    ty: String,
    latitude: f64,
    longitude: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct EntityNode {
    #[serde(rename = "@id")]
    node: String,
    #[serde(rename = "@type")]
    ty: String,
    identifier: String,
    kind: EntityKind,
    /// The preferred name in each language, for linked-data readers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    name: Vec<LangString>,
    names: Vec<NameNode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iso: Option<String>,
    #[serde(rename = "sameAs", default, skip_serializing_if = "Option::is_none")]
    same_as: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    geo: Option<Geo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edtf: Option<Edtf>,
    #[serde(rename = "birthDate", default, skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(rename = "deathDate", default, skip_serializing_if = "Option::is_none")]
    death_date: Option<String>,
    #[serde(rename = "foundingDate", default, skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(rename = "dateCreated", default, skip_serializing_if = "Option::is_none")]
    date_created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// The schema.org type of an entity kind.
pub fn schema_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Country => "Country",
        EntityKind::Polity => "AdministrativeArea",
        EntityKind::Place => "Place",
        EntityKind::Organization => "Organization",
        EntityKind::Person => "Person",
        EntityKind::Work => "CreativeWork",
    }
}

pub(super) fn entity_node(e: &Entity) -> EntityNode {
    let mut name: Vec<LangString> = Vec::new();
    for n in &e.names {
        if !n.lang.is_empty() && !name.iter().any(|l| l.lang == n.lang) {
            name.push(LangString { value: e.display_name(&n.lang).to_string(), lang: n.lang.clone() });
        }
    }
    let (start, end) = e.dates.as_ref().map(iso_dates).unwrap_or((None, None));
    let kind = e.kind;
    EntityNode {
        node: node_id("entity", &e.id),
        ty: schema_type(kind).into(),
        identifier: e.id.clone(),
        kind,
        name,
        names: e
            .names
            .iter()
            .map(|n| NameNode {
                name: n.text.clone(),
                lang: n.lang.clone(),
                script: n.script,
                form: n.form,
                preferred: n.preferred,
            })
            .collect(),
        iso: e.iso.clone(),
        same_as: e.wikidata.as_ref().map(|q| format!("{WIKIDATA}{q}")),
        country: e.country.clone(),
        geo: e.coordinates.map(|c| Geo { ty: "GeoCoordinates".into(), latitude: c.lat, longitude: c.lon }),
        edtf: e.dates.clone(),
        birth_date: (kind == EntityKind::Person).then(|| start.clone()).flatten(),
        death_date: (kind == EntityKind::Person).then(|| end.clone()).flatten(),
        founding_date: (kind == EntityKind::Organization).then(|| start.clone()).flatten(),
        date_created: (kind == EntityKind::Work && e.dates.as_ref().is_some_and(|d| d.as_date().is_some()))
            .then(|| start.clone())
            .flatten(),
        description: e.description.clone(),
    }
}

pub(super) fn entity_of(n: EntityNode) -> std::result::Result<Entity, String> {
    let wikidata = match n.same_as {
        None => None,
        Some(s) => Some(
            s.strip_prefix(WIKIDATA)
                .ok_or_else(|| format!("`sameAs` {s} is not a Wikidata entity ({WIKIDATA}Q…)"))?
                .to_string(),
        ),
    };
    Ok(Entity {
        id: n.identifier,
        kind: n.kind,
        names: n
            .names
            .into_iter()
            .map(|x| Name {
                text: x.name,
                lang: x.lang,
                script: x.script,
                form: x.form,
                preferred: x.preferred,
            })
            .collect(),
        iso: n.iso,
        wikidata,
        country: n.country,
        coordinates: n.geo.map(|g| Coordinates { lat: g.latitude, lon: g.longitude }),
        dates: n.edtf,
        description: n.description,
    })
}

// ------------------------------------------------------------------ sources

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PersonName {
    #[serde(rename = "@type")]
    ty: String,
    #[serde(rename = "familyName")]
    family: String,
    #[serde(rename = "givenName", default, skip_serializing_if = "Option::is_none")]
    given: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Named {
    #[serde(rename = "@type")]
    ty: String,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ArchivalNode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    archive: Option<String>,
    fond: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inventory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sheet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct SourceNode {
    #[serde(rename = "@id")]
    node: String,
    #[serde(rename = "@type")]
    ty: String,
    identifier: String,
    sha256: String,
    #[serde(rename = "cslType")]
    csl_type: String,
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    author: Vec<PersonName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued: Option<Edtf>,
    #[serde(rename = "datePublished", default, skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "isPartOf", default, skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Named>,
    #[serde(rename = "volumeNumber", default, skip_serializing_if = "Option::is_none")]
    volume: Option<String>,
    #[serde(rename = "issueNumber", default, skip_serializing_if = "Option::is_none")]
    issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pagination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    publisher: Option<Named>,
    #[serde(rename = "publisherPlace", default, skip_serializing_if = "Option::is_none")]
    publisher_place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issn: Option<String>,
    #[serde(rename = "inLanguage", default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    archival: Option<ArchivalNode>,
    #[serde(rename = "fileName", default, skip_serializing_if = "Option::is_none")]
    file_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

pub(super) fn source_node(s: &Source) -> SourceNode {
    let named =
        |ty: &str, v: &Option<String>| v.as_ref().map(|name| Named { ty: ty.into(), name: name.clone() });
    SourceNode {
        node: node_id("source", &s.id),
        ty: "CreativeWork".into(),
        identifier: s.id.clone(),
        sha256: s.sha256.clone(),
        csl_type: s.csl_type.clone(),
        name: s.title.clone(),
        author: s
            .author
            .iter()
            .map(|a| PersonName { ty: "Person".into(), family: a.family.clone(), given: a.given.clone() })
            .collect(),
        issued: s.issued.clone(),
        date_published: s.issued.as_ref().and_then(|d| iso_dates(d).0),
        is_part_of: named("CreativeWork", &s.container_title),
        volume: s.volume.clone(),
        issue: s.issue.clone(),
        pagination: s.page.clone(),
        publisher: named("Organization", &s.publisher),
        publisher_place: s.publisher_place.clone(),
        url: s.url.clone(),
        doi: s.doi.clone(),
        issn: s.issn.clone(),
        language: s.language.clone(),
        archival: s.archival.as_ref().map(|a| ArchivalNode {
            archive: a.archive.clone(),
            fond: a.fond.clone(),
            inventory: a.inventory.clone(),
            case: a.case.clone(),
            sheet: a.sheet.clone(),
        }),
        file_name: s.file_name.clone(),
        text: s.text.clone(),
    }
}

pub(super) fn source_of(n: SourceNode) -> Source {
    Source {
        id: n.identifier,
        sha256: n.sha256,
        csl_type: n.csl_type,
        title: n.name,
        author: n.author.into_iter().map(|a| Author { family: a.family, given: a.given }).collect(),
        issued: n.issued,
        container_title: n.is_part_of.map(|x| x.name),
        volume: n.volume,
        issue: n.issue,
        page: n.pagination,
        publisher: n.publisher.map(|x| x.name),
        publisher_place: n.publisher_place,
        url: n.url,
        doi: n.doi,
        issn: n.issn,
        language: n.language,
        archival: n.archival.map(|a| ArchivalUnit {
            archive: a.archive,
            fond: a.fond,
            inventory: a.inventory,
            case: a.case,
            sheet: a.sheet,
        }),
        file_name: n.file_name,
        text: n.text,
    }
}
