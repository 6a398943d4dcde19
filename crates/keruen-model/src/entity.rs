//! Entities: countries, polities, places, organisations, people, works.
use crate::{Edtf, ModelError, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A present-day state, identified by its ISO 3166-1 alpha-2 code.
    Country,
    /// A historical state or empire.
    Polity,
    /// A city, region or site.
    Place,
    /// An organisation: ministry, academy, university, theatre, archive, union.
    Organization,
    /// A person.
    Person,
    /// A work: an epic, a book, a film.
    Work,
}

impl EntityKind {
    /// Every kind.
    pub const ALL: [EntityKind; 6] = [
        EntityKind::Country,
        EntityKind::Polity,
        EntityKind::Place,
        EntityKind::Organization,
        EntityKind::Person,
        EntityKind::Work,
    ];

    /// The kind as written in data files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Polity => "polity",
            EntityKind::Place => "place",
            EntityKind::Organization => "organization",
            EntityKind::Person => "person",
            EntityKind::Work => "work",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EntityKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown entity kind `{s}`; expected one of: country, polity, place, organization, person, work"
                )
            })
    }
}

/// The writing system of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// Latin letters.
    #[default]
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Arabic or Persian letters.
    Arabic,
    /// Anything else (Chinese, mixed).
    Other,
}

impl Script {
    /// The script of a text: the script of most of its letters.
    pub fn detect(text: &str) -> Script {
        let (mut latin, mut cyrillic, mut arabic, mut other) = (0, 0, 0, 0);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            match c as u32 {
                0x0041..=0x024F | 0x1E00..=0x1EFF => latin += 1,
                0x0400..=0x052F => cyrillic += 1,
                0x0600..=0x06FF | 0x0750..=0x077F => arabic += 1,
                _ => other += 1,
            }
        }
        let max = latin.max(cyrillic).max(arabic).max(other);
        if max == 0 || max == latin {
            Script::Latin
        } else if max == cyrillic {
            Script::Cyrillic
        } else if max == arabic {
            Script::Arabic
        } else {
            Script::Other
        }
    }
}

/// What kind of name a [`Name`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NameForm {
    /// A current name.
    #[default]
    Name,
    /// The full official name ("Republic of Kazakhstan").
    Official,
    /// A name no longer in use (Alma-Ata, Frunze, Kirghiz SSR).
    Former,
    /// An acronym or abbreviation (UNESCO, ЮНЕСКО, СНГ).
    Acronym,
    /// A demonym or adjective (Kazakh, Kazakhstani, казахстанский): names the entity in
    /// an event frame but is not itself a mention of it.
    Adjective,
    /// Another spelling in use.
    Variant,
}

/// One name of an entity in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The name as written.
    pub text: String,
    /// BCP 47 language code: en, ru, kk, uz, ky, tg, tk, …
    pub lang: String,
    /// Writing system; detected from the text when not given.
    #[serde(default)]
    pub script: Script,
    /// What kind of name this is.
    #[serde(default)]
    pub form: NameForm,
    /// The name to show for this language.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preferred: bool,
}

impl Name {
    /// A current name, script detected from the text.
    pub fn new(text: impl Into<String>, lang: impl Into<String>) -> Self {
        let text = text.into();
        Name {
            script: Script::detect(&text),
            text,
            lang: lang.into(),
            form: NameForm::Name,
            preferred: false,
        }
    }

    /// The same name marked as another form.
    pub fn with_form(mut self, form: NameForm) -> Self {
        self.form = form;
        self
    }

    /// The same name marked preferred for its language.
    pub fn preferred(mut self) -> Self {
        self.preferred = true;
        self
    }
}

/// WGS 84 latitude and longitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// Latitude, −90…90.
    pub lat: f64,
    /// Longitude, −180…180.
    pub lon: f64,
}

/// A country, polity, place, organisation, person or work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable identifier: `KZ` for a country, `place:almaty`, `org:unesco`,
    /// `person:al-farabi`, …
    pub id: String,
    /// What it is.
    pub kind: EntityKind,
    /// Its names; at least one.
    pub names: Vec<Name>,
    /// ISO 3166-1 alpha-2 code (countries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    /// Wikidata QID, only where certain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// The present-day country it lies in or belongs to (ISO alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Location (places, and organisations where known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    /// Life dates of a person, existence of a polity or organisation, first appearance
    /// of a work: an EDTF interval or date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Edtf>,
    /// One line on who or what this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Entity {
    /// The name to show in `lang`, falling back to English, then Russian, then any.
    pub fn display_name(&self, lang: &str) -> &str {
        let usable = |n: &&Name| n.form != NameForm::Adjective && n.form != NameForm::Former;
        let pick = |l: &str| {
            self.names
                .iter()
                .filter(usable)
                .filter(|n| n.lang == l)
                .max_by_key(|n| (n.preferred, n.form == NameForm::Name))
        };
        pick(lang)
            .or_else(|| pick("en"))
            .or_else(|| pick("ru"))
            .or_else(|| self.names.iter().find(usable))
            .or_else(|| self.names.first())
            .map(|n| n.text.as_str())
            .unwrap_or(&self.id)
    }

    /// Checks the fields that every entity must have right.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(ModelError::Missing { field: "id" });
        }
        if self.names.iter().all(|n| n.text.trim().is_empty()) {
            return Err(ModelError::Missing { field: "names" });
        }
        if self.kind == EntityKind::Country {
            match &self.iso {
                Some(code) if is_iso_alpha2(code) => {}
                Some(code) => {
                    return Err(ModelError::invalid(
                        "iso",
                        format!("`{code}` is not an ISO 3166-1 alpha-2 code"),
                    ));
                }
                None => return Err(ModelError::Missing { field: "iso" }),
            }
        }
        if let Some(qid) = &self.wikidata {
            let digits = qid.strip_prefix('Q').unwrap_or("");
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ModelError::invalid(
                    "wikidata",
                    format!("`{qid}` is not a Wikidata QID like Q232"),
                ));
            }
        }
        if let Some(c) = &self.coordinates
            && (!(-90.0..=90.0).contains(&c.lat) || !(-180.0..=180.0).contains(&c.lon))
        {
            return Err(ModelError::invalid(
                "coordinates",
                format!("({}, {}) is not a latitude/longitude pair", c.lat, c.lon),
            ));
        }
        if let Some(code) = &self.country
            && !is_iso_alpha2(code)
        {
            return Err(ModelError::invalid(
                "country",
                format!("`{code}` is not an ISO 3166-1 alpha-2 code"),
            ));
        }
        Ok(())
    }
}

/// Two upper-case ASCII letters.
pub(crate) fn is_iso_alpha2(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn almaty() -> Entity {
        Entity {
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
        }
    }

    #[test]
    fn display_name_follows_language_then_falls_back() {
        let e = almaty();
        assert_eq!(e.display_name("ru"), "Алматы");
        assert_eq!(e.display_name("en"), "Almaty");
        assert_eq!(e.display_name("kk"), "Almaty");
    }

    #[test]
    fn script_is_detected() {
        assert_eq!(Script::detect("Алматы"), Script::Cyrillic);
        assert_eq!(Script::detect("Oʻzbekiston"), Script::Latin);
        assert_eq!(Script::detect("Қазақстан"), Script::Cyrillic);
    }

    #[test]
    fn validation_names_the_field() {
        let mut e = almaty();
        assert!(e.validate().is_ok());
        e.coordinates = Some(Coordinates { lat: 143.0, lon: 0.0 });
        assert_eq!(e.validate().unwrap_err().field(), "coordinates");
        let mut e = almaty();
        e.kind = EntityKind::Country;
        assert_eq!(e.validate().unwrap_err().field(), "iso");
        e.iso = Some("kaz".into());
        assert_eq!(e.validate().unwrap_err().field(), "iso");
        let mut e = almaty();
        e.wikidata = Some("232".into());
        assert_eq!(e.validate().unwrap_err().field(), "wikidata");
    }
}
