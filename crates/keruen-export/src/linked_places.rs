//! Linked Places Format (LPF, GeoJSON-LD; <https://github.com/LinkedPasts/linked-places-format>)
//! of places, for QGIS, World Historical Gazetteer and Peripleo.
//!
//! A `FeatureCollection` with one `Feature` per place entity: `@id`
//! (`urn:keruen:entity/ID`), `properties.title` (the name in the chosen language),
//! `properties.ccodes` (the present-day state), `properties.events` (accepted events
//! held there), `names` (every name: `toponym`, `lang`, and `form` for former names,
//! acronyms, variants), `geometry` (a GeoJSON `Point`, longitude first; `null` when the
//! place has no coordinates), `links` (`closeMatch` to Wikidata), and `when.timespans`:
//! the span from the first to the last day of the events held there, when any.
use crate::Result;
use keruen_model::{Day, Entity, EntityKind, NameForm};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

/// The LPF context.
pub const CONTEXT: &str = "https://raw.githubusercontent.com/LinkedPasts/linked-places-format/main/linkedplaces-context-v1.1.jsonld";

/// Events held at a place: how many, and the first and last day they cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attestation {
    /// Events.
    pub events: u64,
    /// First day of the earliest.
    pub first: Option<Day>,
    /// Last day of the latest.
    pub last: Option<Day>,
}

impl Attestation {
    /// Counts one event with these bounds.
    pub fn add(&mut self, earliest: Option<Day>, latest: Option<Day>) {
        self.events += 1;
        if let Some(d) = earliest {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
        }
        if let Some(d) = latest.or(earliest) {
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
    }
}

fn form(f: NameForm) -> Option<&'static str> {
    match f {
        NameForm::Name => None,
        NameForm::Official => Some("official"),
        NameForm::Former => Some("former"),
        NameForm::Acronym => Some("acronym"),
        NameForm::Adjective => Some("adjective"),
        NameForm::Variant => Some("variant"),
    }
}

/// The feature of one place.
pub fn feature(place: &Entity, lang: &str, seen: Option<&Attestation>) -> Value {
    let names: Vec<Value> = place
        .names
        .iter()
        .filter(|n| n.form != NameForm::Adjective)
        .map(|n| {
            let mut v = json!({"toponym": n.text, "lang": n.lang});
            if let Some(f) = form(n.form) {
                v["form"] = json!(f);
            }
            v
        })
        .collect();
    let mut f = json!({
        "@id": format!("urn:keruen:entity/{}", place.id),
        "type": "Feature",
        "properties": {
            "title": place.display_name(lang),
            "ccodes": place.country.iter().collect::<Vec<_>>(),
            "events": seen.map_or(0, |a| a.events),
        },
        "geometry": place.coordinates.map(|c| json!({"type": "Point", "coordinates": [c.lon, c.lat]})),
        "names": names,
    });
    if let Some(q) = &place.wikidata {
        f["links"] = json!([{"type": "closeMatch", "identifier": format!("wd:{q}")}]);
    }
    if let Some(d) = &place.description {
        f["descriptions"] = json!([{"value": d, "lang": "en"}]);
    }
    if let Some(Attestation { first: Some(a), last: Some(b), .. }) = seen {
        f["when"] = json!({"timespans": [{"start": {"in": a.to_string()}, "end": {"in": b.to_string()}}]});
    }
    f
}

/// Writes the places among `entities` as an LPF FeatureCollection, one feature per
/// line. `seen` maps place ids to the events held there.
pub fn write<'a, W: Write + ?Sized>(
    out: &mut W,
    entities: impl IntoIterator<Item = &'a Entity>,
    lang: &str,
    seen: &HashMap<String, Attestation>,
) -> Result<()> {
    write!(out, "{{\"@context\":{},\"type\":\"FeatureCollection\",\"features\":[", json!(CONTEXT))?;
    let mut first = true;
    for e in entities.into_iter().filter(|e| e.kind == EntityKind::Place) {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &feature(e, lang, seen.get(&e.id)))?;
    }
    out.write_all(b"\n]}\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Coordinates, Name};

    #[test]
    fn a_place_with_events_has_a_point_names_and_a_timespan() {
        let almaty = Entity {
            id: "place:almaty".into(),
            kind: EntityKind::Place,
            names: vec![
                Name::new("Almaty", "en").preferred(),
                Name::new("Alma-Ata", "en").with_form(NameForm::Former),
                Name::new("Алматы", "ru").preferred(),
            ],
            iso: None,
            wikidata: Some("Q35493".into()),
            country: Some("KZ".into()),
            coordinates: Some(Coordinates { lat: 43.25, lon: 76.95 }),
            dates: None,
            description: None,
        };
        let mut a = Attestation::default();
        a.add(Day::from_ymd(2008, 4, 25), Day::from_ymd(2008, 5, 2));
        a.add(Day::from_ymd(1995, 1, 1), Day::from_ymd(1995, 12, 31));
        let seen = HashMap::from([("place:almaty".to_string(), a)]);
        let mut out = Vec::new();
        write(&mut out, [&almaty], "ru", &seen).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        let f = &v["features"][0];
        assert_eq!(f["properties"]["title"], "Алматы");
        assert_eq!(f["geometry"]["coordinates"], json!([76.95, 43.25]));
        assert_eq!(f["names"][1]["form"], "former");
        assert_eq!(f["when"]["timespans"][0]["start"]["in"], "1995-01-01");
        assert_eq!(f["when"]["timespans"][0]["end"]["in"], "2008-05-02");
        assert_eq!(f["properties"]["events"], 2);
    }
}
