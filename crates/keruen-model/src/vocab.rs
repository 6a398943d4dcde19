//! Closed vocabularies: event types, statuses, sectors.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in data files and the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown {} `{}`; expected one of: {}",
                        $what,
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

vocabulary!(
    /// The thirteen types of cooperation event (`../shared/corpus/SCHEMA.md`).
    EventType, "event type" {
        /// Establishment of diplomatic relations.
        DiplomaticRelations = "diplomatic_relations",
        /// A treaty, agreement, memorandum or programme signed or entering into force.
        Agreement = "agreement",
        /// Days, Week, Month or Year of one country's culture held in another.
        CultureDays = "culture_days",
        /// A festival.
        Festival = "festival",
        /// Conferences, symposiums, seminars, congresses, forums, round tables.
        Conference = "conference",
        /// An exhibition.
        Exhibition = "exhibition",
        /// Concerts, theatre tours, film weeks and screenings.
        Performance = "performance",
        /// Anniversaries, jubilees, openings of memorials and heritage complexes.
        Commemoration = "commemoration",
        /// Contests, competitions, olympiads.
        Competition = "competition",
        /// Meetings and visits of heads of state or government, intergovernmental councils.
        Summit = "summit",
        /// Establishment of an organisation, institute, centre or association.
        Founding = "founding",
        /// Student quotas, exchanges, scholarships, training programmes.
        Education = "education",
        /// Books translated, newspapers, broadcasts.
        Publication = "publication",
    }
);

vocabulary!(
    /// Whether an event took place, is planned, or was called off.
    EventStatus, "event status" {
        /// It took place.
        Held = "held",
        /// It is announced for a date.
        Planned = "planned",
        /// It was called off.
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// The field of cooperation an event belongs to.
    Sector, "sector" {
        /// Culture in general, heritage, literature.
        Culture = "culture",
        /// Schools, universities, students.
        Education = "education",
        /// Research, academies of sciences.
        Science = "science",
        /// Music, theatre, film, fine arts.
        Arts = "arts",
        /// Tourism.
        Tourism = "tourism",
        /// Sport.
        Sport = "sport",
        /// Diplomacy and politics.
        Politics = "politics",
    }
);

impl EventType {
    /// The sectors an event of this type belongs to when nothing else is known.
    pub fn default_sectors(self) -> &'static [Sector] {
        use EventType::*;
        match self {
            DiplomaticRelations | Summit | Agreement => &[Sector::Politics],
            CultureDays | Commemoration | Publication => &[Sector::Culture],
            Festival | Exhibition | Performance => &[Sector::Arts],
            Conference | Founding => &[Sector::Science],
            Competition | Education => &[Sector::Education],
        }
    }
}

// The vocabulary macro derives for every enum alike, so the default is written out.
#[allow(clippy::derivable_impls)]
impl Default for EventStatus {
    fn default() -> Self {
        EventStatus::Held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_name() {
        assert_eq!(EventType::ALL.len(), 13);
        for t in EventType::ALL {
            assert_eq!(t.as_str().parse::<EventType>().unwrap(), *t);
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn unknown_type_lists_the_vocabulary() {
        let err = "party".parse::<EventType>().unwrap_err();
        assert!(err.contains("unknown event type `party`"), "{err}");
        assert!(err.contains("culture_days"), "{err}");
    }
}
