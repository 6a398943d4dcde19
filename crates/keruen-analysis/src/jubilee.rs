//! The jubilee planner: round anniversaries of births and deaths of people, foundings
//! of organisations, first appearances of works, and of events that start something
//! (agreements signed, diplomatic relations established, organisations founded).
//!
//! Round numbers are 10, 20, 25, 30, 50, 75, and every multiple of 50 from 100 on
//! (100, 150, … 1000, 1050, 1150, …); the multiples of 50 are `major`.
//!
//! Dates are read as EDTF, and what is not known is said, never guessed:
//! - an exact day gives a jubilee on that day (29 February falls on 28 February in a
//!   common year); a month, on that month; a year or a season, in that year;
//! - `~` (approximate), `?` (uncertain) and `%` (both) keep the year but flag the
//!   jubilee `approximate` or `uncertain`;
//! - unspecified digits (`199X`) widen the origin to every year they can stand for,
//!   and the jubilee is flagged `unspecified` and given as a range of years
//!   (the 30th anniversary of `199X` falls in 2020–2029);
//! - an interval (`1920/1925`) or a one-of set (`[1870,1872]`) gives a range too; an
//!   interval open at the end (`1992/..`) counts from its start.
//!
//! A person's `dates` is the interval born/died; an organisation's starts at its
//! founding (`1934/..`); a work's is its first appearance.
use crate::{AnalysisError, Result};
use keruen_model::{
    Edtf, EdtfDate, EdtfValue, Entity, EntityKind, Event, EventStatus, EventType, IntervalEnd,
};
use serde::Serialize;

/// What is being remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    /// A person's birth.
    Birth,
    /// A person's death.
    Death,
    /// The founding of an organisation (from its dates or a founding event).
    Founding,
    /// A work's first appearance.
    FirstAppearance,
    /// An agreement's signing.
    Agreement,
    /// The establishment of diplomatic relations.
    DiplomaticRelations,
}

impl Occasion {
    /// As written in tables and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::Birth => "birth",
            Occasion::Death => "death",
            Occasion::Founding => "founding",
            Occasion::FirstAppearance => "first_appearance",
            Occasion::Agreement => "agreement",
            Occasion::DiplomaticRelations => "diplomatic_relations",
        }
    }
}

/// One round anniversary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jubilee {
    /// The entity or event id.
    pub subject: String,
    /// `person`, `organization`, `work` or `event`.
    pub subject_kind: &'static str,
    /// The subject's name in the chosen language (an event's title, else its id).
    pub name: String,
    /// What is remembered.
    pub occasion: Occasion,
    /// The EDTF date it counts from.
    pub origin: String,
    /// Which anniversary: 10, 20, 25, …
    pub years: u32,
    /// First year it can fall in.
    pub year_from: i32,
    /// Last year it can fall in (the same as `year_from` unless `range`).
    pub year_to: i32,
    /// Month, when known and the year is exact.
    pub month: Option<u8>,
    /// Day, when known and the year is exact.
    pub day: Option<u8>,
    /// A multiple of 50.
    pub major: bool,
    /// The origin is approximate (`~` or `%`).
    pub approximate: bool,
    /// The origin is uncertain (`?`, `%`, or a one-of set).
    pub uncertain: bool,
    /// The origin has unspecified digits (`199X`).
    pub unspecified: bool,
    /// It can fall in more than one year.
    pub range: bool,
    /// States the subject belongs to (an entity's country; an event's states).
    pub countries: Vec<String>,
}

impl Jubilee {
    /// When it falls, as precisely as known: `2027-10-05`, `2027-10`, `2027`,
    /// `2020–2029`; `~` after an approximate or uncertain one.
    pub fn when(&self) -> String {
        let mut s = if self.range {
            format!("{}–{}", self.year_from, self.year_to)
        } else {
            match (self.month, self.day) {
                (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year_from),
                (Some(m), None) => format!("{:04}-{m:02}", self.year_from),
                _ => format!("{:04}", self.year_from),
            }
        };
        if self.approximate || self.uncertain {
            s.push('~');
        }
        s
    }

    /// A one-line title in `lang` (`ru` or English): "200th anniversary of the birth
    /// of Abai Kunanbayev", "200 лет со дня рождения: Абай Кунанбаев". Russian puts
    /// the name after a colon, so that it stays in the nominative case. Every round
    /// number ends in 0 or 5, so the forms "th" and "лет" are always right.
    pub fn title(&self, lang: &str) -> String {
        let (n, name) = (self.years, &self.name);
        let event = self.subject_kind == "event";
        if lang == "ru" {
            let what = match (self.occasion, event) {
                (_, true) if self.occasion == Occasion::Agreement => "со дня подписания",
                (_, true) => "",
                (Occasion::Birth, _) => "со дня рождения",
                (Occasion::Death, _) => "со дня смерти",
                (Occasion::Founding, _) => "со дня основания",
                (Occasion::FirstAppearance, _) => "со времени создания",
                (Occasion::Agreement | Occasion::DiplomaticRelations, _) => "",
            };
            let sep = if what.is_empty() { "" } else { " " };
            return format!("{n} лет{sep}{what}: {name}");
        }
        match (self.occasion, event) {
            (Occasion::Agreement, true) => format!("{n}th anniversary of the signing: {name}"),
            (_, true) => format!("{n}th anniversary: {name}"),
            (Occasion::Birth, _) => format!("{n}th anniversary of the birth of {name}"),
            (Occasion::Death, _) => format!("{n}th anniversary of the death of {name}"),
            (Occasion::Founding, _) => format!("{n}th anniversary of the founding of {name}"),
            (Occasion::FirstAppearance, _) => format!("{n}th anniversary of {name}"),
            (Occasion::Agreement | Occasion::DiplomaticRelations, _) => {
                format!("{n}th anniversary: {name}")
            }
        }
    }
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JubileeQuery {
    /// First year.
    pub from: i32,
    /// Last year.
    pub to: i32,
    /// Only subjects of this state.
    pub country: Option<String>,
    /// Language of names (`en`, `ru`, …).
    pub lang: String,
}

/// Whether `n` is a round anniversary.
pub fn is_round(n: i64) -> bool {
    matches!(n, 10 | 20 | 25 | 30 | 50 | 75) || (n >= 100 && n % 50 == 0)
}

/// The round numbers from `lo` to `hi`, in order.
fn rounds(lo: i64, hi: i64) -> impl Iterator<Item = i64> {
    let small = [10, 20, 25, 30, 50, 75].into_iter();
    let first50 = ((lo.max(100) + 49) / 50) * 50;
    let big = (first50..=hi).step_by(50);
    small.filter(move |&n| n >= lo && n <= hi).chain(big.filter(move |&n| n >= 100))
}

/// The years, month, day and flags an origin date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Origin {
    lo: i32,
    hi: i32,
    month: Option<u8>,
    day: Option<u8>,
    approximate: bool,
    uncertain: bool,
    unspecified: bool,
}

fn origin_of_date(d: &EdtfDate) -> Origin {
    let span = 10i32.pow(u32::from(d.unspecified_year_digits.min(4)));
    let exact = d.unspecified_year_digits == 0;
    Origin {
        lo: d.year,
        hi: d.year.saturating_add(span - 1),
        month: if exact { d.known_month() } else { None },
        day: if exact { d.known_day() } else { None },
        approximate: d.qualifier.is_some_and(|q| q.is_approximate()),
        uncertain: d.qualifier.is_some_and(|q| q.is_uncertain()),
        unspecified: d.has_unspecified(),
    }
}

fn year_of(day: Option<keruen_model::Day>) -> Option<i32> {
    day.map(|d| d.ymd().0)
}

/// The origin of a whole EDTF value: a date, an interval (a range, or its start when
/// open at the end) or a set (a range).
fn origin_of(value: &Edtf) -> Option<Origin> {
    match value.value() {
        EdtfValue::Date(d) => Some(origin_of_date(d)),
        EdtfValue::Interval { start, end } => {
            let a = origin_of_date(start.date()?);
            let Some(b) = end.date().map(origin_of_date) else {
                return Some(a);
            };
            let same_month = a.lo == b.hi && a.month.is_some() && a.month == b.month;
            Some(Origin {
                lo: a.lo,
                hi: b.hi.max(a.lo),
                month: if same_month { a.month } else { None },
                day: None,
                approximate: a.approximate || b.approximate,
                uncertain: a.uncertain || b.uncertain,
                unspecified: a.unspecified || b.unspecified,
            })
        }
        EdtfValue::Set { .. } => Some(Origin {
            lo: year_of(value.earliest())?,
            hi: year_of(value.latest())?,
            month: None,
            day: None,
            approximate: value.is_approximate(),
            uncertain: true,
            unspecified: value.has_unspecified(),
        }),
    }
}

/// Start and end of an entity's `dates` interval (a single date is the start).
fn ends(dates: &Edtf) -> (Option<Edtf>, Option<Edtf>) {
    let date = |e: &IntervalEnd| e.date().and_then(|d| Edtf::new(EdtfValue::Date(*d)).ok());
    match dates.value() {
        EdtfValue::Interval { start, end } => (date(start), date(end)),
        _ => (Some(dates.clone()), None),
    }
}

struct Subject<'a> {
    id: &'a str,
    kind: &'static str,
    name: String,
    occasion: Occasion,
    origin: Edtf,
    countries: Vec<String>,
}

fn entity_subjects<'a>(e: &'a Entity, lang: &str) -> Vec<Subject<'a>> {
    let Some(dates) = &e.dates else {
        return Vec::new();
    };
    let (start, end) = ends(dates);
    let make = |kind, occasion, origin: Option<Edtf>| {
        origin.map(|origin| Subject {
            id: &e.id,
            kind,
            name: e.display_name(lang).to_string(),
            occasion,
            origin,
            countries: e.country.iter().cloned().collect(),
        })
    };
    match e.kind {
        EntityKind::Person => [make("person", Occasion::Birth, start), make("person", Occasion::Death, end)]
            .into_iter()
            .flatten()
            .collect(),
        EntityKind::Organization => make("organization", Occasion::Founding, start).into_iter().collect(),
        EntityKind::Work => {
            // A work's whole value counts: an interval of composition is a range.
            let whole = match dates.value() {
                EdtfValue::Interval { end: IntervalEnd::Date(_), .. } => Some(dates.clone()),
                _ => start,
            };
            make("work", Occasion::FirstAppearance, whole).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

fn event_subject(e: &Event) -> Option<Subject<'_>> {
    let occasion = match e.event_type {
        EventType::Agreement => Occasion::Agreement,
        EventType::DiplomaticRelations => Occasion::DiplomaticRelations,
        EventType::Founding => Occasion::Founding,
        _ => return None,
    };
    if e.status != EventStatus::Held {
        return None;
    }
    Some(Subject {
        id: &e.id,
        kind: "event",
        name: e.title.clone().unwrap_or_else(|| e.id.clone()),
        occasion,
        origin: e.date.clone()?,
        countries: e.countries().into_iter().map(str::to_string).collect(),
    })
}

/// The round anniversaries falling in `query.from..=query.to`, of the given entities
/// (people, organisations, works; others are ignored) and of held events that start
/// something (agreements, diplomatic relations, foundings). Sorted by year, month,
/// day, then subject id and occasion.
pub fn jubilees<'a>(
    entities: impl IntoIterator<Item = &'a Entity>,
    events: impl IntoIterator<Item = &'a Event>,
    query: &JubileeQuery,
) -> Result<Vec<Jubilee>> {
    if query.from > query.to {
        return Err(AnalysisError::Years { from: query.from, to: query.to });
    }
    if let Some(c) = &query.country
        && !crate::is_country_code(c)
    {
        return Err(AnalysisError::NotACountry(c.clone()));
    }
    let subjects = entities
        .into_iter()
        .flat_map(|e| entity_subjects(e, &query.lang))
        .chain(events.into_iter().filter_map(event_subject));
    let mut out = Vec::new();
    for s in subjects {
        if let Some(c) = &query.country
            && !s.countries.contains(c)
        {
            continue;
        }
        let Some(o) = origin_of(&s.origin) else {
            continue;
        };
        let (from, to) = (i64::from(query.from), i64::from(query.to));
        let (lo, hi) = (i64::from(o.lo), i64::from(o.hi));
        for n in rounds((from - hi).max(1), to - lo) {
            let (y0, y1) = (lo + n, hi + n);
            if y1 < from || y0 > to {
                continue;
            }
            let (Ok(year_from), Ok(year_to), Ok(years)) =
                (i32::try_from(y0), i32::try_from(y1), u32::try_from(n))
            else {
                continue;
            };
            let range = year_from != year_to;
            let day = match (o.month, o.day) {
                (Some(2), Some(29)) if !is_leap(year_from) => Some(28),
                (_, d) => d,
            };
            out.push(Jubilee {
                subject: s.id.to_string(),
                subject_kind: s.kind,
                name: s.name.clone(),
                occasion: s.occasion,
                origin: s.origin.to_string(),
                years,
                year_from,
                year_to,
                month: if range { None } else { o.month },
                day: if range { None } else { day },
                major: n % 50 == 0,
                approximate: o.approximate,
                uncertain: o.uncertain,
                unspecified: o.unspecified,
                range,
                countries: s.countries.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        let key = |j: &Jubilee| {
            (j.year_from, j.month.unwrap_or(13), j.day.unwrap_or(32), j.subject.clone(), j.occasion)
        };
        key(a).cmp(&key(b))
    });
    Ok(out)
}

fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Name, Participant, Role};

    fn entity(id: &str, kind: EntityKind, dates: &str, country: &str) -> Entity {
        Entity {
            id: id.into(),
            kind,
            names: vec![Name::new(id, "en"), Name::new(format!("{id} (ru)"), "ru")],
            iso: None,
            wikidata: None,
            country: Some(country.into()),
            coordinates: None,
            dates: Some(dates.parse().unwrap()),
            description: None,
        }
    }

    fn query(from: i32, to: i32) -> JubileeQuery {
        JubileeQuery { from, to, country: None, lang: "en".into() }
    }

    #[test]
    fn round_numbers() {
        let r: Vec<i64> = rounds(1, 1200).collect();
        assert_eq!(&r[..8], [10, 20, 25, 30, 50, 75, 100, 150]);
        assert!(r.contains(&1150) && !r.contains(&40) && !r.contains(&125));
        assert!(is_round(1150) && !is_round(60));
    }

    #[test]
    fn births_and_deaths_of_a_person() {
        let abai = entity("person:abai", EntityKind::Person, "1845-08-10/1904-07-06", "KZ");
        let j = jubilees([&abai], [], &query(2040, 2060)).unwrap();
        let got: Vec<(Occasion, u32, String)> = j.iter().map(|x| (x.occasion, x.years, x.when())).collect();
        assert_eq!(
            got,
            [
                (Occasion::Birth, 200, "2045-08-10".to_string()),
                (Occasion::Death, 150, "2054-07-06".to_string()),
            ]
        );
        assert!(!j[0].approximate && !j[0].range && j[0].major);
        // 2020 is the 175th anniversary of his birth: not a round number here.
        assert!(jubilees([&abai], [], &query(2020, 2020)).unwrap().is_empty());
    }

    #[test]
    fn approximate_and_unspecified_dates_are_flagged() {
        let old = entity("person:x", EntityKind::Person, "1441~/1501", "UZ");
        let org = entity("org:y", EntityKind::Organization, "199X/..", "KG");
        let j = jubilees([&old, &org], [], &query(2027, 2027)).unwrap();
        assert_eq!(j.len(), 1, "{j:?}");
        assert_eq!((j[0].subject.as_str(), j[0].years), ("org:y", 30));
        assert_eq!((j[0].year_from, j[0].year_to), (2020, 2029));
        assert!(j[0].unspecified && j[0].range && !j[0].approximate);
        assert_eq!(j[0].when(), "2020–2029");
        // 1441~ has its 600th in 2041, flagged approximate; the death is exact.
        let j = jubilees([&old], [], &query(2041, 2051)).unwrap();
        assert_eq!(j.len(), 2, "{j:?}");
        assert_eq!((j[0].years, j[0].approximate, j[0].when()), (600, true, "2041~".into()));
        assert_eq!((j[1].years, j[1].approximate, j[1].when()), (550, false, "2051".into()));
        assert!(j[0].major);
    }

    #[test]
    fn leap_days_fall_on_the_last_of_february() {
        let p = entity("person:leap", EntityKind::Person, "1924-02-29/..", "TM");
        let j = jubilees([&p], [], &query(2024, 2074)).unwrap();
        assert_eq!(j[0].when(), "2024-02-29");
        assert_eq!(j[1].when(), "2074-02-28");
    }

    #[test]
    fn events_intervals_sets_and_countries() {
        let mut agr =
            Event::new("ev-1", EventType::Agreement, Some("1997-05-01/1997-05-03".parse().unwrap()));
        agr.title = Some("Treaty".into());
        agr.participants =
            vec![Participant::new("KZ", Role::Signatory), Participant::new("UZ", Role::Signatory)];
        let mut fest = Event::new("ev-2", EventType::Festival, Some("1997".parse().unwrap()));
        fest.participants = agr.participants.clone();
        let work = entity("work:z", EntityKind::Work, "[1870,1872]", "TJ");
        let q = JubileeQuery { country: Some("UZ".into()), ..query(2020, 2030) };
        let j = jubilees([&work], [&agr, &fest], &q).unwrap();
        let got: Vec<(&str, u32, String)> = j.iter().map(|x| (x.name.as_str(), x.years, x.when())).collect();
        assert_eq!(got, [("Treaty", 25, "2022-05".into()), ("Treaty", 30, "2027-05".into())]);
        let j = jubilees([&work], [], &JubileeQuery { lang: "ru".into(), ..query(2020, 2022) }).unwrap();
        assert_eq!(j.len(), 1);
        assert_eq!((j[0].years, j[0].year_from, j[0].year_to), (150, 2020, 2022));
        assert!(j[0].uncertain && j[0].range);
        assert_eq!(j[0].name, "work:z (ru)");
        assert!(jubilees([&work], [], &query(2030, 2020)).is_err());
    }
}
