//! [`Facts`]: accepted events reduced to what the measures read, packed so that a
//! million of them take well under 100 MB and a pass over all of them takes
//! milliseconds.
//!
//! Entity ids are interned to `u32`; the participants of every event sit in one flat
//! vector, each fact holding a range of it; the date is reduced to its earliest and
//! latest day and a year (see [`fact_year`]).
use keruen_model::{Day, Edtf, EntityKind, Event, EventStatus, EventType, Role, Sector};
use rustc_hash::FxHashMap;

/// An interned entity id: an index into [`Facts::entity`].
pub type EntityIx = u32;

/// One participant of a fact: an interned entity and its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The entity.
    pub entity: EntityIx,
    /// Its role.
    pub role: Role,
}

/// A set of [`Sector`]s as a bit mask (bit `i` is `Sector::ALL[i]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SectorSet(pub u8);

impl SectorSet {
    /// The set of these sectors.
    pub fn of(sectors: &[Sector]) -> SectorSet {
        SectorSet(sectors.iter().fold(0, |m, s| m | (1 << (*s as u8))))
    }
    /// Whether `s` is in the set.
    pub fn contains(self, s: Sector) -> bool {
        self.0 & (1 << (s as u8)) != 0
    }
    /// The sectors, in vocabulary order.
    pub fn iter(self) -> impl Iterator<Item = Sector> {
        Sector::ALL.iter().copied().filter(move |s| self.contains(*s))
    }
}

/// One accepted event as the measures see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    /// Its type.
    pub event_type: EventType,
    /// Held, planned or cancelled.
    pub status: EventStatus,
    /// Its sectors.
    pub sectors: SectorSet,
    /// The year it is counted in (see [`fact_year`]); `None` when undated or known
    /// only to a span of several years.
    pub year: Option<i32>,
    /// First day its date can denote.
    pub earliest: Option<Day>,
    /// Last day its date can denote.
    pub latest: Option<Day>,
    start: u32,
    len: u16,
}

/// The year an event is counted in: the year of its earliest day, when both its
/// earliest and latest days are known and lie in that year or the next (a festival
/// from 28 December to 3 January counts in its first year). `199X`, `1992/1995`,
/// `1992/..` and undated events have no year: they count in totals, the network and
/// profiles, but not in any per-year cell.
pub fn fact_year(date: Option<&Edtf>) -> Option<i32> {
    let date = date?;
    let (lo, hi) = (date.earliest()?, date.latest()?);
    let (y0, y1) = (lo.ymd().0, hi.ymd().0);
    (y1 - y0 <= 1).then_some(y0)
}

/// The kind an id has by its shape, when nothing better is known: `KZ` is a country,
/// `org:…` an organisation, `person:…` a person, `polity:…` a polity, `place:…` a
/// place, `work:…` a work.
pub fn kind_by_id(id: &str) -> Option<EntityKind> {
    if id.len() == 2 && id.bytes().all(|b| b.is_ascii_uppercase()) {
        return Some(EntityKind::Country);
    }
    let (prefix, _) = id.split_once(':')?;
    match prefix {
        "org" => Some(EntityKind::Organization),
        "person" => Some(EntityKind::Person),
        "polity" => Some(EntityKind::Polity),
        "place" => Some(EntityKind::Place),
        "work" => Some(EntityKind::Work),
        _ => None,
    }
}

/// Accepted events, packed for the measures. Build it with [`Facts::push`] from
/// the events a store streams; the order of pushing is kept.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    facts: Vec<Fact>,
    members: Vec<Member>,
    ids: Vec<Box<str>>,
    entities: Vec<Box<str>>,
    kinds: Vec<Option<EntityKind>>,
    index: FxHashMap<Box<str>, EntityIx>,
    known_kinds: FxHashMap<Box<str>, EntityKind>,
}

impl Facts {
    /// An empty set that learns kinds from the ids' shape ([`kind_by_id`]).
    pub fn new() -> Facts {
        Facts::default()
    }

    /// An empty set that takes the kinds of entities from `kinds` (e.g. every entity
    /// of the database), falling back to [`kind_by_id`] for ids it lacks.
    pub fn with_kinds<'a>(kinds: impl IntoIterator<Item = (&'a str, EntityKind)>) -> Facts {
        Facts { known_kinds: kinds.into_iter().map(|(id, k)| (id.into(), k)).collect(), ..Facts::default() }
    }

    fn intern(&mut self, id: &str) -> EntityIx {
        if let Some(&ix) = self.index.get(id) {
            return ix;
        }
        let ix = self.entities.len() as EntityIx;
        let kind = self.known_kinds.get(id).copied().or_else(|| kind_by_id(id));
        self.entities.push(id.into());
        self.kinds.push(kind);
        self.index.insert(id.into(), ix);
        ix
    }

    /// Adds one event. The caller decides which events count (normally the accepted
    /// ones); a participant named twice counts once, in its first role.
    pub fn push(&mut self, event: &Event) {
        let start = self.members.len() as u32;
        for p in &event.participants {
            let entity = self.intern(&p.entity);
            let fresh = self.members[start as usize..].iter().all(|m| m.entity != entity);
            if fresh {
                self.members.push(Member { entity, role: p.role });
            }
        }
        let len = u16::try_from(self.members.len() - start as usize).unwrap_or(u16::MAX);
        self.members.truncate(start as usize + usize::from(len));
        let (earliest, latest) = event.date.as_ref().map(|d| d.bounds()).unwrap_or((None, None));
        self.facts.push(Fact {
            event_type: event.event_type,
            status: event.status,
            sectors: SectorSet::of(&event.sectors),
            year: fact_year(event.date.as_ref()),
            earliest,
            latest,
            start,
            len,
        });
        self.ids.push(event.id.as_str().into());
    }

    /// How many facts.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Every fact with its index, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Fact)> {
        self.facts.iter().enumerate()
    }

    /// The fact at `i`.
    pub fn fact(&self, i: usize) -> &Fact {
        &self.facts[i]
    }

    /// The event id of the fact at `i`.
    pub fn event_id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// The participants of a fact.
    pub fn members(&self, fact: &Fact) -> &[Member] {
        &self.members[fact.start as usize..fact.start as usize + usize::from(fact.len)]
    }

    /// The id of an interned entity.
    pub fn entity(&self, ix: EntityIx) -> &str {
        &self.entities[ix as usize]
    }

    /// The kind of an interned entity, if known.
    pub fn kind(&self, ix: EntityIx) -> Option<EntityKind> {
        self.kinds[ix as usize]
    }

    /// The interned index of an id, if some fact names it.
    pub fn lookup(&self, id: &str) -> Option<EntityIx> {
        self.index.get(id).copied()
    }

    /// How many distinct entities the facts name.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Whether an interned entity is a present-day state.
    pub fn is_country(&self, ix: EntityIx) -> bool {
        self.kinds[ix as usize] == Some(EntityKind::Country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::Participant;

    #[test]
    fn the_year_is_known_only_for_dates_within_two_years() {
        let y = |s: &str| fact_year(Some(&s.parse().unwrap()));
        assert_eq!(y("1992-10-05"), Some(1992));
        assert_eq!(y("2019-12-28/2020-01-03"), Some(2019));
        assert_eq!(y("1441~"), Some(1441));
        assert_eq!(y("199X"), None);
        assert_eq!(y("1992/1995"), None);
        assert_eq!(y("1992/.."), None);
        assert_eq!(fact_year(None), None);
    }

    #[test]
    fn participants_are_interned_once_per_event() {
        let mut facts = Facts::new();
        let mut e = Event::new("e1", EventType::Festival, Some("2001".parse().unwrap()));
        e.participants = vec![
            Participant::new("KZ", Role::Host),
            Participant::new("UZ", Role::Guest),
            Participant::new("KZ", Role::Participant),
            Participant::new("org:turksoy", Role::Organiser),
        ];
        e.sectors = vec![Sector::Arts, Sector::Culture];
        facts.push(&e);
        let f = facts.fact(0);
        let members = facts.members(f);
        assert_eq!(members.len(), 3);
        assert_eq!(members[0].role, Role::Host);
        assert_eq!(facts.entity(members[2].entity), "org:turksoy");
        assert_eq!(facts.kind(members[2].entity), Some(EntityKind::Organization));
        assert!(facts.is_country(members[1].entity));
        assert!(f.sectors.contains(Sector::Arts) && !f.sectors.contains(Sector::Sport));
        assert_eq!(f.year, Some(2001));
        assert_eq!(facts.event_id(0), "e1");
    }

    #[test]
    fn given_kinds_win_over_the_shape_of_ids() {
        let mut facts = Facts::with_kinds([("ent-7", EntityKind::Person)]);
        let mut e = Event::new("e1", EventType::Festival, None);
        e.participants = vec![Participant::new("ent-7", Role::Guest), Participant::new("x-1", Role::Guest)];
        facts.push(&e);
        assert_eq!(facts.kind(0), Some(EntityKind::Person));
        assert_eq!(facts.kind(1), None);
    }
}
