//! The storing step around the extractor: a document read by keruen-ingest and its
//! [`Extraction`] become an [`IngestBundle`] of candidate facts with provenance.
use keruen_extract::{EXTRACTOR, Extraction};
use keruen_gazetteer::{Gazetteer, fold::fold};
use keruen_model::{
    Annotation, AnnotationKind, Claim, Entity, EntityKind, Event, EventType, Evidence, Name, Participant,
    ReviewStatus, Role, Source,
};
use keruen_store::IngestBundle;
use std::collections::HashMap;

/// A stable id for an entity the gazetteer lacks: its kind and its folded name.
fn shape_id(kind: EntityKind, name: &str) -> String {
    let prefix = match kind {
        EntityKind::Organization => "org",
        EntityKind::Person => "person",
        EntityKind::Place => "place",
        EntityKind::Polity => "polity",
        EntityKind::Work => "work",
        EntityKind::Country => "country",
    };
    let slug: String = fold(name).replace(' ', "-").chars().take(80).collect();
    format!("{prefix}:x-{slug}")
}

/// Builds the bundle that `Store::ingest` writes.
pub fn bundle(doc: &keruen_ingest::Document, file_name: &str, x: &Extraction) -> IngestBundle {
    let title = doc.title.clone().unwrap_or_else(|| file_name.to_string());
    let mut source = Source::from_text(title, doc.text.clone());
    source.file_name = Some(file_name.to_string());
    source.language = Some(x.language.clone());
    let source_id = source.id.clone();
    let g = Gazetteer::builtin();

    // Entities: gazetteer ones are referred to by id; the others are created.
    let mut new_entities = Vec::new();
    let mut annotations = Vec::new();
    let mut entity_ids: HashMap<String, String> = HashMap::new();
    for e in &x.entities {
        let id = match &e.id {
            Some(id) if g.get(id).is_some() => id.clone(),
            _ => {
                let id = shape_id(e.kind, &e.name);
                if !new_entities.iter().any(|n: &Entity| n.id == id) {
                    new_entities.push(Entity {
                        id: id.clone(),
                        kind: e.kind,
                        names: vec![Name::new(e.name.clone(), x.language.clone()).preferred()],
                        iso: None,
                        wikidata: None,
                        country: None,
                        coordinates: None,
                        dates: None,
                        description: Some(format!("found by {EXTRACTOR} in {file_name}")),
                    });
                }
                id
            }
        };
        entity_ids.insert(e.name.clone(), id.clone());
        for m in &e.mentions {
            annotations.push(Annotation {
                kind: AnnotationKind::Entity,
                start: m.start,
                end: m.end,
                text: m.text.clone(),
                value: Some(e.kind.to_string()),
                target: Some(id.clone()),
            });
        }
    }
    for t in &x.timexes {
        annotations.push(Annotation {
            kind: AnnotationKind::Timex,
            start: t.start,
            end: t.end,
            text: t.text.clone(),
            value: t.value.clone(),
            target: None,
        });
    }
    let mut events = Vec::new();
    for (i, fe) in x.events.iter().enumerate() {
        let id = format!("{source_id}-e{:03}", i + 1);
        let date = fe.date.as_deref().and_then(|d| d.parse().ok());
        let mut e = Event::new(id.clone(), fe.event_type, date);
        e.title = Some(event_title(fe.event_type, &fe.countries, &fe.places));
        e.participants = fe
            .countries
            .iter()
            .map(|c| {
                let role = if fe.hosts.contains(c)
                    && fe.countries.len() > 1
                    && fe.event_type != EventType::Agreement
                {
                    Role::Host
                } else if fe.event_type == EventType::Agreement {
                    Role::Signatory
                } else {
                    Role::Participant
                };
                Participant::new(c.clone(), role)
            })
            .filter(|p| g.get(&p.entity).is_some())
            .collect();
        e.places = fe.place_ids.iter().filter(|p| g.get(p).is_some()).cloned().collect();
        e.status = fe.status;
        e.sectors = fe.event_type.default_sectors().to_vec();
        e.review = ReviewStatus::Candidate;
        let mut ev = Evidence::new(source_id.clone(), EXTRACTOR);
        ev.start = Some(fe.evidence.start as u32);
        ev.end = Some(fe.evidence.end as u32);
        ev.quote = Some(fe.evidence.text.clone());
        ev.confidence = fe.confidence;
        ev.claim = Some(Claim {
            event_type: Some(fe.event_type),
            date: e.date.clone(),
            countries: fe.countries.clone(),
            places: e.places.clone(),
        });
        e.evidence = vec![ev];
        annotations.push(Annotation {
            kind: AnnotationKind::Event,
            start: fe.evidence.start,
            end: fe.evidence.end,
            text: fe.evidence.text.clone(),
            value: Some(fe.event_type.to_string()),
            target: Some(id),
        });
        events.push(e);
    }
    for r in &x.archival_refs {
        let value = [Some(r.fond.as_str()), r.inventory.as_deref(), r.case.as_deref()]
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        annotations.push(Annotation {
            kind: AnnotationKind::Archival,
            start: r.start,
            end: r.end,
            text: r.text.clone(),
            value: Some(value),
            target: None,
        });
    }
    for c in &x.citations {
        annotations.push(Annotation {
            kind: AnnotationKind::Citation,
            start: c.start,
            end: c.end,
            text: c.text.clone(),
            value: c.reference.map(|r| r.to_string()),
            target: None,
        });
    }
    for r in &x.references {
        annotations.push(Annotation {
            kind: AnnotationKind::Reference,
            start: r.start,
            end: r.end,
            text: r.text.clone(),
            value: Some(r.index.to_string()),
            target: None,
        });
    }
    IngestBundle {
        source,
        new_entities,
        events,
        annotations,
        archival_refs: x.archival_refs.clone(),
        citations: x.citations.clone(),
        references: x.references.clone(),
        actor: EXTRACTOR.to_string(),
    }
}

/// A short title for an extracted event, from its type, states and places.
fn event_title(t: EventType, countries: &[String], places: &[String]) -> String {
    let g = Gazetteer::builtin();
    let names: Vec<String> = countries
        .iter()
        .map(|c| g.get(c).map(|e| e.entity.display_name("en").to_string()).unwrap_or(c.clone()))
        .collect();
    let label = t.as_str().replace('_', " ");
    let mut label = label[..1].to_uppercase() + &label[1..];
    if !names.is_empty() {
        label.push_str(&format!(": {}", names.join(", ")));
    }
    if let Some(p) = places.first() {
        label.push_str(&format!(" — {p}"));
    }
    label
}
