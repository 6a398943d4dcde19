//! JSON-LD with schema.org types: a lossless export that RDF tools read as linked data.
//!
//! The file is one JSON object: the `@context` ([`CONTEXT`], written inline so that no
//! tool needs the network) and a `@graph` with one node per line, in the order of the
//! JSONL export (sources, entities, events). Sources are `CreativeWork`s; entities are
//! `Country`, `AdministrativeArea` (historical polities), `Place`, `Organization`,
//! `Person` or `CreativeWork` (works); events are `Event`s whose participants are
//! schema.org `Role` nodes (`attendee` with a `roleName`). Terms that schema.org lacks
//! (the EDTF date, review status, evidence, sectors, …) live in the `urn:keruen:vocab:`
//! namespace. Node ids are `urn:keruen:source/ID`, `urn:keruen:entity/ID` and
//! `urn:keruen:event/ID` (written as `kr:…` compact IRIs; characters outside the IRI
//! set percent-encoded).
//!
//! Every field of a record is written, so that [`read`] gives back the same records:
//! export → import → export yields the same bytes. The reader reads keruen's own
//! compacted form, not arbitrary JSON-LD. Columns and terms: `docs/formats.md`.
mod node;

pub use node::schema_type;

use crate::{Result, tidy_json_error};
use keruen_model::Record;
use keruen_model::RecordLine;
use node::{
    EntityNode, EventNode, SourceNode, entity_node, entity_of, event_node, event_of, source_node, source_of,
};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::io::Write;

/// The `@context` of every keruen JSON-LD file.
pub const CONTEXT: &str = r#"{
  "@vocab": "https://schema.org/",
  "kr": "urn:keruen:",
  "kv": "urn:keruen:vocab:",
  "eventStatus": {"@type": "@vocab"},
  "sameAs": {"@type": "@id"},
  "url": {"@type": "@id"},
  "eventType": "kv:eventType",
  "edtf": "kv:edtf",
  "status": "kv:status",
  "review": "kv:review",
  "sector": "kv:sector",
  "evidence": "kv:evidence",
  "source": "kv:source",
  "start": "kv:start",
  "end": "kv:end",
  "quote": "kv:quote",
  "page": "kv:page",
  "assertedBy": "kv:assertedBy",
  "confidence": "kv:confidence",
  "claim": "kv:claim",
  "country": "kv:country",
  "kind": "kv:kind",
  "names": "kv:names",
  "script": "kv:script",
  "form": "kv:form",
  "preferred": "kv:preferred",
  "iso": "kv:iso3166",
  "sha256": "kv:sha256",
  "cslType": "kv:cslType",
  "issued": "kv:issued",
  "publisherPlace": "kv:publisherPlace",
  "doi": "kv:doi",
  "archival": "kv:archival",
  "archive": "kv:archive",
  "fond": "kv:fond",
  "inventory": "kv:inventory",
  "case": "kv:case",
  "sheet": "kv:sheet",
  "fileName": "kv:fileName"
}"#;

// ------------------------------------------------------------------ writing

/// Writes a JSON-LD document record by record: [`Writer::new`] writes the head,
/// [`Writer::write`] one node per line, [`Writer::finish`] the tail.
pub struct Writer<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> Writer<W> {
    /// Starts the document.
    pub fn new(mut out: W) -> Result<Self> {
        write!(out, "{{\"@context\":{},\n\"@graph\":[", compact(CONTEXT))?;
        Ok(Writer { out, first: true })
    }

    /// Writes one record as a node.
    pub fn write(&mut self, record: &Record) -> Result<()> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        match record {
            Record::Source(s) => serde_json::to_writer(&mut self.out, &source_node(s))?,
            Record::Entity(e) => serde_json::to_writer(&mut self.out, &entity_node(e))?,
            Record::Event(e) => serde_json::to_writer(&mut self.out, &event_node(e))?,
        }
        Ok(())
    }

    /// Ends the document and returns the output.
    pub fn finish(mut self) -> Result<W> {
        self.out.write_all(b"\n]}\n")?;
        Ok(self.out)
    }
}

/// The context on one line.
fn compact(context: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(context).expect("the context is valid JSON");
    v.to_string()
}

// ------------------------------------------------------------------ reading

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(rename = "@context")]
    _context: Option<&'a RawValue>,
    #[serde(rename = "@graph", borrow)]
    graph: Vec<&'a RawValue>,
}

/// Parses one node into a record.
pub fn parse_node(text: &str) -> std::result::Result<Record, String> {
    #[derive(Deserialize)]
    struct Head {
        #[serde(rename = "@type")]
        ty: serde_json::Value,
    }
    let head: Head =
        serde_json::from_str(text).map_err(|e| format!("node without `@type`: {}", tidy_json_error(&e)))?;
    let ty = head.ty.as_str().unwrap_or_default().to_string();
    let bad = |what: &str, e: serde_json::Error| format!("{what}: {}", tidy_json_error(&e));
    match ty.as_str() {
        "Event" => serde_json::from_str::<EventNode>(text)
            .map_err(|e| bad("Event", e))
            .and_then(event_of)
            .map(Record::Event),
        "Country" | "AdministrativeArea" | "Place" | "Organization" | "Person" => {
            serde_json::from_str::<EntityNode>(text)
                .map_err(|e| bad(&ty, e))
                .and_then(entity_of)
                .map(Record::Entity)
        }
        "CreativeWork" => {
            // A source has `sha256`; a work entity has `kind`.
            let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(&ty, e))?;
            if v.get("kind").is_some() {
                serde_json::from_value::<EntityNode>(v)
                    .map_err(|e| bad("CreativeWork (work)", e))
                    .and_then(entity_of)
                    .map(Record::Entity)
            } else {
                serde_json::from_value::<SourceNode>(v)
                    .map(source_of)
                    .map(Record::Source)
                    .map_err(|e| bad("CreativeWork (source)", e))
            }
        }
        other => Err(format!(
            "unknown `@type` `{other}`; expected Event, CreativeWork, Country, AdministrativeArea, Place, Organization or Person"
        )),
    }
}

/// Reads a keruen JSON-LD document. The whole text is parsed first (an error there
/// names its line); then each node of `@graph` becomes a [`RecordLine`] numbered by
/// the line it starts on.
pub fn read(text: &str) -> std::result::Result<Vec<RecordLine>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let doc: Doc = serde_json::from_str(text)
        .map_err(|e| format!("{}: not a keruen JSON-LD document: {e}", e.line()))?;
    let base = text.as_ptr() as usize;
    let mut line = 1;
    let mut at = 0;
    Ok(doc
        .graph
        .into_iter()
        .map(|raw| {
            let s = raw.get();
            let offset = s.as_ptr() as usize - base;
            line += text.as_bytes()[at..offset].iter().filter(|&&b| b == b'\n').count();
            at = offset;
            RecordLine { line, record: parse_node(s), raw: s.to_string() }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{
        ArchivalUnit, Author, Claim, Coordinates, Entity, EntityKind, Event, EventStatus, EventType,
        Evidence, Name, NameForm, Participant, ReviewStatus, Role, Sector, Source,
    };

    fn records() -> Vec<Record> {
        let mut src = Source::from_text("A study, “quoted” & more", "Full text.");
        src.author = vec![
            Author { family: "Adiyet".into(), given: Some("Kairken".into()) },
            Author { family: "Ayagan".into(), given: None },
        ];
        src.issued = Some("2020".parse().unwrap());
        src.container_title = Some("Journal".into());
        src.page = Some("803-814".into());
        src.publisher = Some("Press".into());
        src.archival = Some(ArchivalUnit {
            archive: Some("ЦГА РК".into()),
            fond: "1987".into(),
            inventory: Some("1".into()),
            case: Some("45".into()),
            sheet: None,
        });
        src.doi = Some("10.1/x".into());
        let mut bare = Source::from_text("Bare", "");
        bare.text = None;
        bare.csl_type = "book".into();
        let place = Entity {
            id: "place:new town".into(),
            kind: EntityKind::Place,
            names: vec![
                Name::new("New Town", "en").preferred(),
                Name::new("Старый", "ru").with_form(NameForm::Former),
            ],
            iso: None,
            wikidata: Some("Q1".into()),
            country: Some("KZ".into()),
            coordinates: Some(Coordinates { lat: 43.25, lon: 76.9 }),
            dates: Some("1854/..".parse().unwrap()),
            description: Some("d".into()),
        };
        let person = Entity {
            id: "person:x".into(),
            kind: EntityKind::Person,
            names: vec![Name::new("X", "en")],
            iso: None,
            wikidata: None,
            country: None,
            coordinates: None,
            dates: Some("1441~/1501-01-03".parse().unwrap()),
            description: None,
        };
        let work = Entity {
            id: "work:manas".into(),
            kind: EntityKind::Work,
            names: vec![Name::new("Manas", "en")],
            iso: None,
            wikidata: None,
            country: Some("KG".into()),
            coordinates: None,
            dates: None,
            description: None,
        };
        let mut e =
            Event::new("ev/1 ü", EventType::CultureDays, Some("2008-04-25/2008-05-02".parse().unwrap()));
        e.title = Some("Days".into());
        e.participants =
            vec![Participant::new("KZ", Role::Host), Participant::new("place:new town", Role::Guest)];
        e.places = vec!["place:new town".into()];
        e.sectors = vec![Sector::Culture, Sector::Arts];
        e.status = EventStatus::Planned;
        e.review = ReviewStatus::Accepted;
        let mut ev = Evidence::new(src.id.clone(), "user:x");
        ev.start = Some(1);
        ev.end = Some(5);
        ev.quote = Some("Full".into());
        ev.confidence = 0.9;
        ev.claim = Some(Claim {
            event_type: Some(EventType::Festival),
            date: Some("2008".parse().unwrap()),
            countries: vec!["KZ".into()],
            places: vec!["place:new town".into()],
        });
        e.evidence = vec![ev, Evidence::new(bare.id.clone(), "keruen-extract@0.1")];
        let undated = Event::new("ev-2", EventType::Festival, None);
        vec![
            Record::Source(src),
            Record::Source(bare),
            Record::Entity(place),
            Record::Entity(person),
            Record::Entity(work),
            Record::Event(e),
            Record::Event(undated),
        ]
    }

    #[test]
    fn records_round_trip_through_json_ld() {
        let recs = records();
        let mut w = Writer::new(Vec::new()).unwrap();
        for r in &recs {
            w.write(r).unwrap();
        }
        let bytes = w.finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let lines = read(&text).unwrap();
        let back: Vec<Record> = lines.iter().map(|l| l.record.clone().unwrap()).collect();
        assert_eq!(back, recs);
        // Nodes are numbered by their line: the context is line 1, the graph starts on 2.
        assert_eq!(lines[0].line, 3);
        assert_eq!(lines[6].line, 9);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ev = &v["@graph"][5];
        assert_eq!(ev["@type"], "Event");
        assert_eq!(ev["@id"], "kr:event/ev%2F1%20%C3%BC");
        assert_eq!(ev["startDate"], "2008-04-25");
        assert_eq!(ev["attendee"][0]["attendee"]["@id"], "kr:entity/KZ");
        assert_eq!(v["@graph"][3]["birthDate"], serde_json::Value::Null);
        assert_eq!(v["@graph"][3]["deathDate"], "1501-01-03");
        assert_eq!(v["@graph"][2]["sameAs"], "http://www.wikidata.org/entity/Q1");
    }

    #[test]
    fn bad_nodes_are_named() {
        let text = "{\"@context\":{},\n\"@graph\":[\n{\"@type\":\"Thing\"},\n{\"@type\":\"Event\",\"identifier\":\"x\"}\n]}";
        let lines = read(text).unwrap();
        assert_eq!(lines[0].line, 3);
        assert!(lines[0].record.as_ref().unwrap_err().contains("unknown `@type` `Thing`"));
        assert_eq!(lines[1].line, 4);
        assert!(lines[1].record.as_ref().unwrap_err().contains("missing field"), "{:?}", lines[1].record);
        let err = read("{\"@graph\": [").unwrap_err();
        assert!(err.starts_with("1:"), "{err}");
    }
}
