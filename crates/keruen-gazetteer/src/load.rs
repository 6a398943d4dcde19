//! Parsing of the TOML data files (`data/FORMAT.md`) into [`Entry`] values.
use crate::Entry;
use keruen_model::{Coordinates, Edtf, Entity, EntityKind, Name, NameForm, Script};
use serde::Deserialize;

/// What is wrong with a data file.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// The TOML does not parse or has a field of the wrong shape.
    #[error("{file}: {message}")]
    Syntax {
        /// The data file.
        file: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// An entry breaks a rule of the format.
    #[error("{file}: entry `{id}`: {message}")]
    Entry {
        /// The data file.
        file: String,
        /// The entry's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// Two entries share an id.
    #[error("id `{0}` is used by two entries")]
    Duplicate(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    text: String,
    lang: String,
    #[serde(default)]
    form: NameForm,
    #[serde(default)]
    preferred: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    iso3: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    capital: Option<String>,
    #[serde(default)]
    coords: Option<[f64; 2]>,
    names: Vec<RawName>,
    #[serde(default)]
    wikidata: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default, rename = "type")]
    subtype: Option<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    dates: Option<String>,
    #[serde(default)]
    founded: Option<String>,
    #[serde(default)]
    born: Option<String>,
    #[serde(default)]
    died: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    country: Vec<RawEntry>,
    #[serde(default)]
    polity: Vec<RawEntry>,
    #[serde(default)]
    place: Vec<RawEntry>,
    #[serde(default)]
    organization: Vec<RawEntry>,
    #[serde(default)]
    person: Vec<RawEntry>,
    #[serde(default)]
    work: Vec<RawEntry>,
}

pub(crate) fn parse_file(file: &str, text: &str) -> Result<Vec<Entry>, GazetteerError> {
    let raw: RawFile = toml::from_str(text)
        .map_err(|e| GazetteerError::Syntax { file: file.into(), message: e.to_string() })?;
    let mut out = Vec::new();
    let groups = [
        (EntityKind::Country, raw.country),
        (EntityKind::Polity, raw.polity),
        (EntityKind::Place, raw.place),
        (EntityKind::Organization, raw.organization),
        (EntityKind::Person, raw.person),
        (EntityKind::Work, raw.work),
    ];
    for (kind, entries) in groups {
        for r in entries {
            out.push(convert(file, kind, r)?);
        }
    }
    Ok(out)
}

fn convert(file: &str, kind: EntityKind, r: RawEntry) -> Result<Entry, GazetteerError> {
    let id = r.id.clone().or_else(|| r.code.clone()).unwrap_or_default();
    let fail = |message: String| GazetteerError::Entry { file: file.into(), id: id.clone(), message };
    let date = |field: &str, v: &Option<String>| -> Result<Option<Edtf>, GazetteerError> {
        v.as_deref().map(|s| s.parse::<Edtf>().map_err(|e| fail(format!("{field}: {e}")))).transpose()
    };
    let dates = match kind {
        EntityKind::Person => {
            let (born, died) = (date("born", &r.born)?, date("died", &r.died)?);
            match (born, died) {
                (None, None) => None,
                (b, d) => {
                    let text = format!(
                        "{}/{}",
                        b.map(|x| x.to_string()).unwrap_or_else(|| "..".into()),
                        d.map(|x| x.to_string()).unwrap_or_else(|| "..".into())
                    );
                    Some(text.parse::<Edtf>().map_err(|e| fail(format!("born/died: {e}")))?)
                }
            }
        }
        EntityKind::Organization => match date("founded", &r.founded)? {
            Some(f) => Some(format!("{f}/..").parse::<Edtf>().map_err(|e| fail(format!("founded: {e}")))?),
            None => None,
        },
        _ => date("dates", &r.dates)?,
    };
    let names = r
        .names
        .into_iter()
        .map(|n| {
            if n.text.trim() != n.text || n.text.is_empty() {
                return Err(fail(format!("name `{}` is empty or has surrounding spaces", n.text)));
            }
            Ok(Name {
                script: Script::detect(&n.text),
                text: n.text,
                lang: n.lang,
                form: n.form,
                preferred: n.preferred,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let entity = Entity {
        id: id.clone(),
        kind,
        names,
        iso: if kind == EntityKind::Country { r.code.clone().or_else(|| r.id.clone()) } else { None },
        wikidata: r.wikidata,
        country: r.country,
        coordinates: r.coords.map(|[lat, lon]| Coordinates { lat, lon }),
        dates,
        description: r.description,
    };
    entity.validate().map_err(|e| fail(e.to_string()))?;
    Ok(Entry { entity, region: r.region, subtype: r.subtype, seat: r.capital.or(r.place), iso3: r.iso3 })
}
