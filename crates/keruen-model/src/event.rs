//! Cooperation events.
use crate::entity::is_iso_alpha2;
use crate::{Edtf, EventStatus, EventType, Evidence, ModelError, Result, ReviewStatus, Sector};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The part an entity plays in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The state or body on whose ground, or at whose invitation, it took place.
    Host,
    /// The state or body that came as a guest ("Days of Culture of Turkmenistan in
    /// Kazakhstan": Turkmenistan).
    Guest,
    /// The body that organised it.
    Organiser,
    /// A party that signed an agreement.
    Signatory,
    /// Any other participant.
    #[default]
    Participant,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [Role::Host, Role::Guest, Role::Organiser, Role::Signatory, Role::Participant];

    /// The role as written in data files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Guest => "guest",
            Role::Organiser => "organiser",
            Role::Signatory => "signatory",
            Role::Participant => "participant",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| {
            format!("unknown role `{s}`; expected one of: host, guest, organiser, signatory, participant")
        })
    }
}

/// An entity taking part in an event, in a role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Participant {
    /// Entity id: an ISO 3166-1 alpha-2 code for a country, else an entity id such as
    /// `org:unesco`.
    pub entity: String,
    /// Its role.
    #[serde(default)]
    pub role: Role,
}

impl Participant {
    /// A participant in a role.
    pub fn new(entity: impl Into<String>, role: Role) -> Self {
        Participant { entity: entity.into(), role }
    }

    /// Whether the participant is a present-day state (its id is an ISO code).
    pub fn is_country(&self) -> bool {
        is_iso_alpha2(&self.entity)
    }
}

/// A cooperation event with the evidence that supports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable identifier, unique in a database.
    pub id: String,
    /// What kind of event.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// A short title ("Days of Culture of Turkmenistan in Kazakhstan").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When, as EDTF; `None` when no source dates it.
    #[serde(default)]
    pub date: Option<Edtf>,
    /// States, organisations and people taking part, with roles.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Entity ids of the places where it happened.
    #[serde(default)]
    pub places: Vec<String>,
    /// Held, planned or cancelled.
    #[serde(default)]
    pub status: EventStatus,
    /// Fields of cooperation.
    #[serde(default)]
    pub sectors: Vec<Sector>,
    /// A longer description in the curator's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether a curator has accepted the event.
    #[serde(default)]
    pub review: ReviewStatus,
    /// The sources that state it.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

impl Event {
    /// An event with no participants, places or evidence yet.
    pub fn new(id: impl Into<String>, event_type: EventType, date: Option<Edtf>) -> Self {
        Event {
            id: id.into(),
            event_type,
            title: None,
            date,
            participants: Vec::new(),
            places: Vec::new(),
            status: EventStatus::Held,
            sectors: Vec::new(),
            description: None,
            review: ReviewStatus::Candidate,
            evidence: Vec::new(),
        }
    }

    /// The entity keys (participants and places) and the source keys (evidence) the
    /// event refers to, each sorted and without repeats.
    pub fn referred_keys(&self) -> (Vec<String>, Vec<String>) {
        let mut entities: Vec<String> =
            self.participants.iter().map(|p| p.entity.clone()).chain(self.places.iter().cloned()).collect();
        entities.sort();
        entities.dedup();
        let mut sources: Vec<String> = self.evidence.iter().map(|v| v.source.clone()).collect();
        sources.sort();
        sources.dedup();
        (entities, sources)
    }

    /// ISO codes of the states taking part, sorted and without repeats.
    pub fn countries(&self) -> Vec<&str> {
        let mut codes: Vec<&str> =
            self.participants.iter().filter(|p| p.is_country()).map(|p| p.entity.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// Entity ids in `role`.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &str> {
        self.participants.iter().filter(move |p| p.role == role).map(|p| p.entity.as_str())
    }

    /// Checks the fields that every event must have right.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return Err(ModelError::Missing { field: "id" });
        }
        for p in &self.participants {
            if p.entity.trim().is_empty() {
                return Err(ModelError::invalid("participants", "a participant has no entity id"));
            }
            if p.entity.len() == 2 && !p.is_country() {
                return Err(ModelError::invalid(
                    "participants",
                    format!(
                        "`{}` is not an ISO 3166-1 alpha-2 code (write it in capitals, e.g. KZ)",
                        p.entity
                    ),
                ));
            }
        }
        if self.places.iter().any(|p| p.trim().is_empty()) {
            return Err(ModelError::invalid("places", "a place id is empty"));
        }
        for (i, ev) in self.evidence.iter().enumerate() {
            ev.validate().map_err(|e| match e {
                ModelError::Invalid { field, message } => {
                    ModelError::Invalid { field, message: format!("evidence #{}: {message}", i + 1) }
                }
                other => other,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_sorted_and_unique() {
        let mut e = Event::new("ev-1", EventType::CultureDays, None);
        e.participants = vec![
            Participant::new("TM", Role::Guest),
            Participant::new("KZ", Role::Host),
            Participant::new("org:turksoy", Role::Organiser),
            Participant::new("KZ", Role::Participant),
        ];
        assert_eq!(e.countries(), vec!["KZ", "TM"]);
        assert_eq!(e.with_role(Role::Host).collect::<Vec<_>>(), vec!["KZ"]);
    }

    #[test]
    fn lower_case_country_code_is_refused() {
        let mut e = Event::new("ev-1", EventType::Festival, None);
        e.participants = vec![Participant::new("kz", Role::Host)];
        let err = e.validate().unwrap_err();
        assert_eq!(err.field(), "participants");
        assert!(err.to_string().contains("`kz`"), "{err}");
    }

    #[test]
    fn json_uses_type_and_edtf_strings() {
        let mut e = Event::new("ev-1", EventType::Agreement, Some("1993-01".parse().unwrap()));
        e.participants.push(Participant::new("UZ", Role::Signatory));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], "agreement");
        assert_eq!(json["date"], "1993-01");
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
