//! `keruen stats`: the summary counts, and the measures of `keruen-analysis` —
//! `matrix`, `network`, `series`, `profile` (docs/analysis.md).
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use keruen_analysis::matrix::{Matrix, matrix};
use keruen_analysis::network::{Network, NetworkOptions, network};
use keruen_analysis::profile::profile;
use keruen_analysis::series::series;
use keruen_analysis::{Facts, Filter};
use keruen_model::{Entity, EventStatus, EventType};
use keruen_store::{EventScope, Store};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

/// Options of `stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Language of names: en or ru (others fall back to English).
    #[arg(long, global = true, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// Print how long loading and computing took, on standard error.
    #[arg(long, global = true)]
    pub timings: bool,
    /// Count candidate events too, not only those a curator accepted.
    #[arg(long, global = true)]
    pub include_candidates: bool,
    /// A measure; without one, the counts of what the database holds.
    #[command(subcommand)]
    pub measure: Option<Measure>,
}

/// Which events a measure counts.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// First year counted (events without a year are then left out).
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Last year counted.
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Only this event type (repeatable): culture_days, festival, agreement, …
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Only this status (repeatable): held, planned, cancelled. Default: held and
    /// planned.
    #[arg(long = "status", value_name = "STATUS")]
    pub statuses: Vec<String>,
}

impl FilterArgs {
    /// The analysis filter, or an error naming the bad flag.
    pub fn filter(&self) -> Result<Filter> {
        let types = self
            .types
            .iter()
            .map(|t| t.parse::<EventType>().map_err(|e| anyhow::anyhow!("--type: {e}")))
            .collect::<Result<_>>()?;
        let statuses = self
            .statuses
            .iter()
            .map(|t| t.parse::<EventStatus>().map_err(|e| anyhow::anyhow!("--status: {e}")))
            .collect::<Result<_>>()?;
        let f = Filter { from: self.from, to: self.to, types, statuses };
        f.validate()?;
        Ok(f)
    }
}

/// The measures.
#[derive(Subcommand, Debug)]
pub enum Measure {
    /// Events per pair of states and year, by type and sector.
    Matrix {
        /// Host → guest pairs instead of unordered pairs.
        #[arg(long)]
        directed: bool,
        /// One row per pair over all years instead of one per pair and year.
        #[arg(long)]
        totals: bool,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// The cooperation network of states, organisations and people, with degree,
    /// weighted degree, betweenness and communities.
    Network {
        /// How many nodes to list (by weighted degree); the JSON has all.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Leave out edges of fewer shared events.
        #[arg(long, default_value_t = 1)]
        min_weight: u64,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Events per year: per state, or per type for one state.
    Series {
        /// One state (ISO code such as KZ): its events per year by type.
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// A state's cooperation on one page: partners, types, trend, first and latest
    /// contacts.
    Profile {
        /// The state (ISO code such as KZ).
        country: String,
        /// How many partners to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

/// Names of entities in one language.
pub struct Names {
    entities: HashMap<String, Entity>,
    lang: String,
}

impl Names {
    /// Every entity of the database (the gazetteer's included).
    pub fn load(store: &dyn Store, lang: &str) -> Result<Names> {
        let mut entities = HashMap::new();
        store.entities(&mut |e| {
            entities.insert(e.id.clone(), e);
            Ok(())
        })?;
        Ok(Names { entities, lang: lang.to_string() })
    }

    /// The entity's name in the language, or the id itself.
    pub fn name(&self, id: &str) -> String {
        self.entities.get(id).map_or_else(|| id.to_string(), |e| e.display_name(&self.lang).to_string())
    }

    /// The entities.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.entities.values()
    }
}

/// Which events analysis reads: accepted ones, or candidates too.
pub fn scope(include_candidates: bool) -> EventScope {
    if include_candidates { EventScope::NotRejected } else { EventScope::Accepted }
}

/// The events in `scope` (accepted ones by default) as [`Facts`], with entity kinds
/// from the database.
pub fn load_facts(store: &dyn Store, names: &Names, scope: EventScope) -> Result<Facts> {
    let mut facts = Facts::with_kinds(names.entities().map(|e| (e.id.as_str(), e.kind)));
    store.events(scope, &mut |e| {
        facts.push(&e);
        Ok(())
    })?;
    Ok(facts)
}

/// A timer that reports on standard error when asked to.
pub struct Timer {
    on: bool,
    at: Instant,
}

impl Timer {
    /// Starts timing.
    pub fn new(on: bool) -> Timer {
        Timer { on, at: Instant::now() }
    }
    /// Reports the time since the last lap as `what`.
    pub fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!("{what}: {:.3} s", self.at.elapsed().as_secs_f64());
        }
        self.at = Instant::now();
    }
}

pub fn run(cli: &Cli, args: &StatsArgs) -> Result<()> {
    let Some(measure) = &args.measure else {
        return super::stats(cli);
    };
    let store = db::open(&cli.db)?;
    let mut timer = Timer::new(args.timings);
    let names = Names::load(&*store, &args.lang)?;
    let facts = load_facts(&*store, &names, scope(args.include_candidates))?;
    timer.lap(&format!("load ({} events)", facts.len()));
    let mut out = std::io::stdout().lock();
    match measure {
        Measure::Matrix { directed, totals, filter } => {
            let m = matrix(&facts, &filter.filter()?, *directed);
            timer.lap("matrix");
            print_matrix(&mut out, cli.json, &m, *totals, &names)
        }
        Measure::Network { top, min_weight, filter } => {
            let options =
                NetworkOptions { filter: filter.filter()?, min_weight: *min_weight, ..Default::default() };
            let net = network(&facts, &options);
            timer.lap("network");
            print_network(&mut out, cli.json, &net, *top, &names)
        }
        Measure::Series { country, filter } => {
            let country = country.as_deref().map(country_code).transpose()?;
            let s = series(&facts, &filter.filter()?, country.as_deref())?;
            timer.lap("series");
            if cli.json {
                return output::json(&mut out, &s);
            }
            let mut header = vec!["year".to_string()];
            header.extend(s.rows.iter().map(|r| r.label.clone()));
            let mut rows: Vec<Vec<String>> = s
                .years
                .iter()
                .enumerate()
                .map(|(i, y)| {
                    let mut row = vec![y.to_string()];
                    row.extend(s.rows.iter().map(|r| r.counts[i].to_string()));
                    row
                })
                .collect();
            if s.rows.iter().any(|r| r.undated > 0) {
                let mut row = vec!["undated".to_string()];
                row.extend(s.rows.iter().map(|r| r.undated.to_string()));
                rows.push(row);
            }
            let mut row = vec!["total".to_string()];
            row.extend(s.rows.iter().map(|r| r.total.to_string()));
            rows.push(row);
            if let Some(c) = &s.country {
                writeln!(out, "{} ({c}): events per year by type", names.name(c))?;
            } else {
                writeln!(out, "events per year by state")?;
            }
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            output::table(&mut out, &header, &rows)?;
            Ok(())
        }
        Measure::Profile { country, top, filter } => {
            let code = country_code(country)?;
            let p = profile(&facts, &filter.filter()?, &code, *top)?;
            timer.lap("profile");
            if cli.json {
                #[derive(Serialize)]
                struct Named<'a> {
                    #[serde(flatten)]
                    profile: &'a keruen_analysis::profile::Profile,
                    names: HashMap<String, String>,
                }
                let mut n = HashMap::new();
                for id in std::iter::once(&p.country).chain(p.partners.iter().chain(&p.others).map(|x| &x.id))
                {
                    n.insert(id.clone(), names.name(id));
                }
                return output::json(&mut out, &Named { profile: &p, names: n });
            }
            print_profile(&mut out, &*store, &p, &names)
        }
    }
}

/// An ISO code in capitals, or an error naming the flag.
pub fn country_code(c: &str) -> Result<String> {
    let code = c.trim().to_uppercase();
    if !keruen_analysis::is_country_code(&code) {
        bail!("`{c}` is not a country code: give an ISO 3166-1 alpha-2 code such as KZ");
    }
    Ok(code)
}

fn pair_names(names: &Names, a: &str, b: &str, directed: bool) -> String {
    let sep = if directed { " → " } else { " – " };
    format!("{}{sep}{}", names.name(a), names.name(b))
}

fn print_matrix(out: &mut impl Write, json: bool, m: &Matrix, totals: bool, names: &Names) -> Result<()> {
    if json {
        #[derive(Serialize)]
        struct Named<'a> {
            #[serde(flatten)]
            matrix: &'a Matrix,
            names: HashMap<&'a str, String>,
        }
        let n = m.countries.iter().map(|c| (c.as_str(), names.name(c))).collect();
        return output::json(out, &Named { matrix: m, names: n });
    }
    let arrow = if m.directed { "→" } else { "–" };
    if totals {
        let rows: Vec<Vec<String>> = m
            .totals()
            .iter()
            .map(|t| {
                vec![
                    format!("{}{arrow}{}", t.a, t.b),
                    t.count.to_string(),
                    t.first.map(|y| y.to_string()).unwrap_or_default(),
                    t.last.map(|y| y.to_string()).unwrap_or_default(),
                    pair_names(names, &t.a, &t.b, m.directed),
                ]
            })
            .collect();
        output::table(out, &["pair", "events", "first", "last", "names"], &rows)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = m
        .cells
        .iter()
        .map(|c| {
            let types: Vec<String> = c.by_type.iter().map(|(t, n)| format!("{t} {n}")).collect();
            vec![
                c.year.map(|y| y.to_string()).unwrap_or_else(|| "undated".into()),
                format!("{}{arrow}{}", c.a, c.b),
                c.count.to_string(),
                types.join(", "),
                pair_names(names, &c.a, &c.b, m.directed),
            ]
        })
        .collect();
    output::table(out, &["year", "pair", "events", "by type", "names"], &rows)?;
    let total: u64 = m.cells.iter().map(|c| c.count).sum();
    writeln!(out, "{} cells, {} pair-events", output::count(rows.len() as u64), output::count(total))?;
    Ok(())
}

fn print_network(out: &mut impl Write, json: bool, net: &Network, top: usize, names: &Names) -> Result<()> {
    if json {
        #[derive(Serialize)]
        struct Named<'a> {
            #[serde(flatten)]
            network: &'a Network,
            names: HashMap<&'a str, String>,
        }
        let n = net.nodes.iter().map(|x| (x.id.as_str(), names.name(&x.id))).collect();
        return output::json(out, &Named { network: net, names: n });
    }
    writeln!(
        out,
        "{} nodes, {} edges, {} communities (modularity {:.3})",
        output::count(net.nodes.len() as u64),
        output::count(net.edges.len() as u64),
        net.communities,
        net.modularity
    )?;
    let mut order: Vec<&keruen_analysis::network::Node> = net.nodes.iter().collect();
    order.sort_by(|a, b| b.weighted_degree.cmp(&a.weighted_degree).then_with(|| a.id.cmp(&b.id)));
    let rows: Vec<Vec<String>> = order
        .iter()
        .take(top)
        .map(|n| {
            vec![
                n.id.clone(),
                n.kind.as_str().to_string(),
                n.events.to_string(),
                n.degree.to_string(),
                n.weighted_degree.to_string(),
                format!("{:.4}", n.betweenness),
                n.community.to_string(),
                names.name(&n.id),
            ]
        })
        .collect();
    output::table(
        out,
        &["id", "kind", "events", "degree", "weighted", "betweenness", "community", "name"],
        &rows,
    )?;
    Ok(())
}

fn contact_line(store: &dyn Store, c: &keruen_analysis::profile::Contact) -> Result<String> {
    let e = store.event(&c.event)?.with_context(|| format!("event {} vanished", c.event))?;
    let date = e.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
    Ok(format!("{date} {} [{}]", e.title.unwrap_or_else(|| e.event_type.to_string()), e.id))
}

fn print_profile(
    out: &mut impl Write,
    store: &dyn Store,
    p: &keruen_analysis::profile::Profile,
    names: &Names,
) -> Result<()> {
    let ru = names.lang == "ru";
    let l = |en: &'static str, r: &'static str| if ru { r } else { en };
    writeln!(out, "{} ({})", names.name(&p.country), p.country)?;
    writeln!(
        out,
        "{}: {} ({} {})",
        l("events", "события"),
        output::count(p.events),
        output::count(p.undated),
        l("undated", "без даты")
    )?;
    if let (Some(first), Some(last)) = (p.years.keys().next(), p.years.keys().next_back()) {
        writeln!(out, "{}: {first}–{last}", l("years", "годы"))?;
    }
    if let Some(t) = &p.trend {
        writeln!(
            out,
            "{}: {} ({}–{}: {}, {}–{}: {}; {:+.2}/{})",
            l("trend", "тенденция"),
            match (t.direction, ru) {
                ("rising", true) => "рост",
                ("falling", true) => "спад",
                ("steady", true) => "без изменений",
                (d, _) => d,
            },
            t.last_year - 9,
            t.last_year - 5,
            t.previous,
            t.last_year - 4,
            t.last_year,
            t.recent,
            t.slope,
            l("year", "год")
        )?;
    }
    if let Some(c) = &p.first_contact {
        writeln!(out, "{}: {}", l("first contact", "первый контакт"), contact_line(store, c)?)?;
    }
    if let Some(c) = &p.latest_contact {
        writeln!(out, "{}: {}", l("latest contact", "последний контакт"), contact_line(store, c)?)?;
    }
    let partners = |list: &[keruen_analysis::profile::Partner]| -> Vec<Vec<String>> {
        list.iter()
            .map(|x| {
                vec![
                    x.id.clone(),
                    x.events.to_string(),
                    x.first.as_ref().and_then(|c| c.year).map(|y| y.to_string()).unwrap_or_default(),
                    x.latest.as_ref().and_then(|c| c.year).map(|y| y.to_string()).unwrap_or_default(),
                    names.name(&x.id),
                ]
            })
            .collect()
    };
    let header = [
        l("partner", "партнёр"),
        l("events", "события"),
        l("first", "первое"),
        l("latest", "последнее"),
        l("name", "название"),
    ];
    if !p.partners.is_empty() {
        writeln!(out, "\n{}:", l("partner states", "государства-партнёры"))?;
        output::table(out, &header, &partners(&p.partners))?;
    }
    if !p.others.is_empty() {
        writeln!(out, "\n{}:", l("organisations and people", "организации и люди"))?;
        output::table(out, &header, &partners(&p.others))?;
    }
    if !p.types.is_empty() {
        writeln!(out, "\n{}:", l("by type", "по типам"))?;
        let rows: Vec<Vec<String>> =
            p.types.iter().map(|(t, n)| vec![t.to_string(), n.to_string()]).collect();
        output::table(out, &[l("type", "тип"), l("events", "события")], &rows)?;
    }
    if !p.sectors.is_empty() {
        let s: Vec<String> = p.sectors.iter().map(|(s, n)| format!("{s} {n}")).collect();
        writeln!(out, "\n{}: {}", l("sectors", "сферы"), s.join(", "))?;
    }
    Ok(())
}
