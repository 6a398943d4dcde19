//! keruen-gazetteer owns keruen's reference data and the folding under which names
//! in different scripts meet.
//!
//! The data — present-day states, historical polities, places with coordinates,
//! organisations, people with life dates, works; names in English, Russian and the
//! national languages, in Cyrillic and Latin — lives in reviewed TOML files under
//! `data/` (see `data/FORMAT.md`) and is compiled into the binary: nothing is fetched.
//! [`Gazetteer::builtin`] parses it once into [`keruen_model::Entity`] values with a
//! few extra attributes ([`Entry`]). [`fold::fold`] maps a name in any of the region's
//! scripts to the ASCII key used by search and matching.
//!
//! ```
//! use keruen_gazetteer::{Gazetteer, fold::fold};
//! let g = Gazetteer::builtin();
//! let almaty = g.get("place:almaty").unwrap();
//! assert!(almaty.entity.names.iter().any(|n| fold(&n.text) == fold("Алматы")));
//! assert!(g.find(&fold("Alma-Ata")).iter().any(|e| e.entity.id == "place:almaty"));
//! ```
#![warn(missing_docs)]

pub mod fold;
mod load;

pub use load::GazetteerError;

use keruen_model::{Entity, EntityKind, NameForm};
use std::collections::HashMap;
use std::sync::OnceLock;

/// An entity of the gazetteer with the attributes that only reference data has.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The entity.
    pub entity: Entity,
    /// `central_asia` or `partner`, for countries.
    pub region: Option<String>,
    /// Place type (`city`, `region`, `site`, `town`) or organisation type (`ministry`,
    /// `university`, `theatre`, …).
    pub subtype: Option<String>,
    /// The capital's place id (countries) or the seat's place id (organisations).
    pub seat: Option<String>,
    /// ISO 3166-1 alpha-3 code, for countries.
    pub iso3: Option<String>,
}

/// The reference data, indexed by id and by folded name.
#[derive(Debug)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The data files, compiled in.
const DATA: &[(&str, &str)] = &[
    ("countries.toml", include_str!("../data/countries.toml")),
    ("polities.toml", include_str!("../data/polities.toml")),
    ("places.toml", include_str!("../data/places.toml")),
    ("organizations.toml", include_str!("../data/organizations.toml")),
    ("people.toml", include_str!("../data/people.toml")),
    ("works.toml", include_str!("../data/works.toml")),
];

impl Gazetteer {
    /// The data shipped with keruen, parsed on first use.
    ///
    /// # Panics
    /// If the shipped data is invalid — a test checks that it is not.
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Gazetteer::from_files(DATA).unwrap_or_else(|e| panic!("shipped gazetteer data: {e}"))
        })
    }

    /// Parses data files given as (file name, TOML text) pairs.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Gazetteer, GazetteerError> {
        let mut entries = Vec::new();
        for (name, text) in files {
            entries.extend(load::parse_file(name, text)?);
        }
        Gazetteer::from_entries(entries)
    }

    /// Indexes entries; refuses duplicate ids.
    pub fn from_entries(entries: Vec<Entry>) -> Result<Gazetteer, GazetteerError> {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if by_id.insert(e.entity.id.clone(), i).is_some() {
                return Err(GazetteerError::Duplicate(e.entity.id.clone()));
            }
            for n in &e.entity.names {
                let key = fold::fold(&n.text);
                if key.is_empty() {
                    continue;
                }
                let slot = by_name.entry(key).or_default();
                if !slot.contains(&i) {
                    slot.push(i);
                }
            }
        }
        Ok(Gazetteer { entries, by_id, by_name })
    }

    /// Every entry.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every entity, for seeding a database.
    pub fn entities(&self) -> Vec<Entity> {
        self.entries.iter().map(|e| e.entity.clone()).collect()
    }

    /// The entry with this id (`KZ`, `place:almaty`, …).
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Entries one of whose names folds to `folded_key` (see [`fold::fold`]).
    pub fn find(&self, folded_key: &str) -> Vec<&Entry> {
        self.by_name
            .get(folded_key)
            .map(|v| v.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }

    /// Every (folded name, entry index, name form) — what a matcher compiles.
    pub fn names(&self) -> impl Iterator<Item = (String, usize, NameForm)> + '_ {
        self.entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.entity.names.iter().map(move |n| (fold::fold(&n.text), i, n.form)))
    }

    /// The entry at an index returned by [`Gazetteer::names`].
    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// Entries of one kind.
    pub fn of_kind(&self, kind: EntityKind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.entity.kind == kind)
    }

    /// ISO codes of the five Central Asian states.
    pub fn central_asia(&self) -> Vec<&str> {
        self.of_kind(EntityKind::Country)
            .filter(|e| e.region.as_deref() == Some("central_asia"))
            .map(|e| e.entity.id.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests;
