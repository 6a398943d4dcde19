//! `keruen generate`: a synthetic but plausible data set for benchmarks and load
//! tests. The distributions are rough shapes of the real record — more events in
//! later years, conferences and performances common, diplomatic relations rare,
//! hosts mostly the larger states, places in the host state — not statistics.
use crate::cli::GenerateArgs;
use crate::commands::with_output;
use crate::output;
use anyhow::Result;
use keruen_gazetteer::Gazetteer;
use keruen_model::{
    Author, EntityKind, Event, EventStatus, EventType, Evidence, Participant, Record, ReviewStatus, Role,
    Source,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::io::Write;

/// Relative frequency of each type.
const TYPE_WEIGHTS: &[(EventType, u32)] = &[
    (EventType::Conference, 18),
    (EventType::Performance, 12),
    (EventType::Festival, 10),
    (EventType::Exhibition, 10),
    (EventType::Agreement, 10),
    (EventType::Education, 8),
    (EventType::Summit, 7),
    (EventType::CultureDays, 6),
    (EventType::Commemoration, 6),
    (EventType::Competition, 4),
    (EventType::Publication, 4),
    (EventType::Founding, 3),
    (EventType::DiplomaticRelations, 2),
];

/// Relative frequency of each Central Asian state as host.
const HOST_WEIGHTS: &[(&str, u32)] = &[("KZ", 30), ("UZ", 25), ("KG", 18), ("TJ", 14), ("TM", 13)];

const PARTNERS: &[&str] =
    &["RU", "CN", "TR", "IR", "AZ", "IN", "KR", "JP", "DE", "FR", "US", "PK", "AF", "MN", "BY"];

const TOPICS: &[&str] = &[
    "the Silk Road heritage",
    "music and theatre",
    "higher education",
    "archaeology",
    "manuscript studies",
    "folk crafts",
    "cinema",
    "literary translation",
    "museum cooperation",
    "youth exchange",
    "the history of science",
    "oral epic traditions",
];

fn pick<'a, T>(rng: &mut StdRng, weighted: &'a [(T, u32)]) -> &'a T {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut n = rng.random_range(0..total);
    for (item, w) in weighted {
        if n < *w {
            return item;
        }
        n -= w;
    }
    &weighted[0].0
}

struct World {
    /// (ISO code, English name) of every country the generator uses.
    names: std::collections::HashMap<String, String>,
    /// Place ids of cities per country.
    cities: std::collections::HashMap<String, Vec<String>>,
}

impl World {
    fn new() -> World {
        let g = Gazetteer::builtin();
        let names = g
            .of_kind(EntityKind::Country)
            .map(|e| (e.entity.id.clone(), e.entity.display_name("en").to_string()))
            .collect();
        let mut cities: std::collections::HashMap<String, Vec<String>> = Default::default();
        for e in g.of_kind(EntityKind::Place) {
            if let Some(c) = &e.entity.country
                && matches!(e.subtype.as_deref(), Some("city") | Some("town"))
            {
                cities.entry(c.clone()).or_default().push(e.entity.id.clone());
            }
        }
        World { names, cities }
    }

    fn name<'a>(&'a self, code: &'a str) -> &'a str {
        self.names.get(code).map(String::as_str).unwrap_or(code)
    }
}

/// A date of the precision a source would give: a day, a month, a year, or a span
/// of days.
fn random_date(rng: &mut StdRng, year: i32) -> String {
    let month = rng.random_range(1..=12u32);
    let day = rng.random_range(1..=28u32);
    match rng.random_range(0..100) {
        0..50 => format!("{year:04}-{month:02}-{day:02}"),
        50..80 => format!("{year:04}-{month:02}"),
        80..95 => format!("{year:04}"),
        _ => format!(
            "{year:04}-{month:02}-{day:02}/{year:04}-{month:02}-{:02}",
            (day + rng.random_range(1..=3)).min(28)
        ),
    }
}

/// Years weighted towards the present: cooperation has grown since 1991.
fn random_year(rng: &mut StdRng) -> i32 {
    loop {
        let y = rng.random_range(1991..=2024);
        if rng.random_range(0..34) <= (y - 1991) + 6 {
            return y;
        }
    }
}

fn title(rng: &mut StdRng, world: &World, t: EventType, host: &str, guests: &[String], city: &str) -> String {
    let h = world.name(host);
    let g = guests.first().map(|g| world.name(g)).unwrap_or("its neighbours");
    let topic = TOPICS[rng.random_range(0..TOPICS.len())];
    match t {
        EventType::CultureDays => format!("Days of Culture of {g} in {h}"),
        EventType::Festival => format!("International festival of {topic} in {city}"),
        EventType::Conference => format!("Conference on {topic} in {city}"),
        EventType::Exhibition => format!("Exhibition on {topic} from {g} in {city}"),
        EventType::Performance => format!("Tour of a theatre from {g} to {h}"),
        EventType::Commemoration => format!("Jubilee celebration in {city}"),
        EventType::Competition => format!("Regional olympiad in {city}"),
        EventType::Summit => format!("Meeting of the leaders of {h} and {g}"),
        EventType::Founding => format!("Founding of a centre for {topic} in {city}"),
        EventType::Education => format!("Student exchange between {h} and {g}"),
        EventType::Publication => format!("Translation of classics of {g} published in {h}"),
        EventType::Agreement => format!("Agreement on {topic} between {h} and {g}"),
        EventType::DiplomaticRelations => format!("Diplomatic relations between {h} and {g}"),
    }
}

fn sources(count: usize) -> Vec<Source> {
    (0..count)
        .map(|i| {
            let mut s =
                Source::from_text(format!("Synthetic chronicle of regional cooperation, part {}", i + 1), "");
            s.text = None;
            s.id = format!("gen-src-{:05}", i + 1);
            s.csl_type = "report".into();
            s.author = vec![Author { family: "Keruen Generator".into(), given: None }];
            s.issued = Some(keruen_model::Edtf::year_only(1995 + (i % 30) as i32));
            s.sha256 = String::new();
            s
        })
        .collect()
}

fn event(rng: &mut StdRng, world: &World, n: u64, source_count: usize) -> Event {
    let t = *pick(rng, TYPE_WEIGHTS);
    let host = *pick(rng, HOST_WEIGHTS);
    let guest_count = if t == EventType::CultureDays { 1 } else { rng.random_range(1..=3) };
    let mut guests: Vec<String> = Vec::new();
    while guests.len() < guest_count {
        let g = if rng.random_range(0..10) < 7 {
            HOST_WEIGHTS[rng.random_range(0..HOST_WEIGHTS.len())].0
        } else {
            PARTNERS[rng.random_range(0..PARTNERS.len())]
        };
        if g != host && !guests.iter().any(|x| x == g) {
            guests.push(g.to_string());
        }
    }
    let cities = world.cities.get(host).map(Vec::as_slice).unwrap_or(&[]);
    let place = (!cities.is_empty()).then(|| cities[rng.random_range(0..cities.len())].clone());
    let city_name = place
        .as_deref()
        .and_then(|p| Gazetteer::builtin().get(p))
        .map(|e| e.entity.display_name("en").to_string())
        .unwrap_or_else(|| world.name(host).to_string());
    let year = random_year(rng);
    let mut e = Event::new(
        format!("gen-{n:07}"),
        t,
        Some(random_date(rng, year).parse().expect("valid by construction")),
    );
    e.title = Some(title(rng, world, t, host, &guests, &city_name));
    let (host_role, guest_role) = match t {
        EventType::Agreement => (Role::Signatory, Role::Signatory),
        EventType::DiplomaticRelations | EventType::Summit => (Role::Participant, Role::Participant),
        _ => (Role::Host, Role::Guest),
    };
    e.participants.push(Participant::new(host, host_role));
    e.participants.extend(guests.iter().map(|g| Participant::new(g.clone(), guest_role)));
    e.places = place.into_iter().collect();
    e.status = match rng.random_range(0..100) {
        0..3 => EventStatus::Cancelled,
        3..8 if year >= 2020 => EventStatus::Planned,
        _ => EventStatus::Held,
    };
    e.sectors = t.default_sectors().to_vec();
    e.review = if rng.random_range(0..100) < 85 { ReviewStatus::Accepted } else { ReviewStatus::Candidate };
    let pieces = if rng.random_range(0..5) == 0 { 2 } else { 1 };
    for _ in 0..pieces {
        let mut ev =
            Evidence::new(format!("gen-src-{:05}", rng.random_range(1..=source_count)), "user:generator");
        ev.page = Some(rng.random_range(1..400).to_string());
        ev.status = e.review;
        ev.confidence = 1.0;
        e.evidence.push(ev);
    }
    e
}

pub fn run(args: &GenerateArgs) -> Result<()> {
    let world = World::new();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let source_count = (args.events as usize / 50).clamp(10, 20_000);
    let bar = output::progress(args.events, "generating");
    with_output(args.out.as_deref(), |w: &mut dyn Write| {
        for s in sources(source_count) {
            keruen_export::jsonl::write(w, &Record::Source(s))?;
        }
        for n in 1..=args.events {
            keruen_export::jsonl::write(w, &Record::Event(event(&mut rng, &world, n, source_count)))?;
            if n % 10_000 == 0 {
                bar.set_position(n);
            }
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    Ok(())
}
