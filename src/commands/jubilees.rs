//! `keruen jubilees`: the round anniversaries coming up, as a table, JSON or an
//! iCalendar feed (docs/analysis.md, "Jubilees").
use crate::cli::Cli;
use crate::commands::analysis::{Names, country_code};
use crate::commands::with_output;
use crate::{db, output};
use anyhow::Result;
use clap::{Args, ValueEnum};
use keruen_analysis::jubilee::{Jubilee, JubileeQuery, jubilees};
use keruen_export::ical::{self, EventEntry};
use keruen_model::{Event, EventType};
use keruen_store::{EventScope, Store};
use std::path::PathBuf;

/// Output of `jubilees`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum JubileeFormat {
    /// An aligned table.
    Table,
    /// JSON.
    Json,
    /// iCalendar (RFC 5545), for a calendar program.
    Ics,
}

/// Options of `jubilees`.
#[derive(Args, Debug)]
pub struct JubileesArgs {
    /// The (first) year.
    #[arg(long)]
    pub year: i32,
    /// The last year (default: the same as --year).
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Only people, organisations and works of this state, and its agreements.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Output format (--json means --format json).
    #[arg(long, value_enum, default_value = "table")]
    pub format: JubileeFormat,
    /// Language of names and titles: en or ru.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// Only multiples of 50 years.
    #[arg(long)]
    pub major: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Count candidate agreements and foundings too, not only accepted ones.
    #[arg(long)]
    pub include_candidates: bool,
}

/// The current time as an iCalendar UTC date-time; `SOURCE_DATE_EPOCH` (seconds)
/// fixes it, for reproducible files.
pub fn dtstamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let (y, m, d) = keruen_model::Day(secs.div_euclid(86_400) as i32).ymd();
    let t = secs.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

/// Held agreements, diplomatic relations and foundings in `scope`: the events
/// jubilees count.
pub fn founding_events(store: &dyn Store, scope: EventScope) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    store.events(scope, &mut |e| {
        if matches!(e.event_type, EventType::Agreement | EventType::DiplomaticRelations | EventType::Founding)
        {
            events.push(e);
        }
        Ok(())
    })?;
    Ok(events)
}

/// The jubilees of a database in the years asked for.
pub fn find(
    store: &dyn Store,
    names: &Names,
    query: &JubileeQuery,
    major: bool,
    scope: EventScope,
) -> Result<Vec<Jubilee>> {
    let events = founding_events(store, scope)?;
    let mut entities: Vec<_> = names.entities().collect();
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    let mut found = jubilees(entities, &events, query)?;
    if major {
        found.retain(|j| j.major);
    }
    Ok(found)
}

/// The occasion as a word of `lang`.
fn occasion(o: keruen_analysis::jubilee::Occasion, lang: &str) -> &'static str {
    use keruen_analysis::jubilee::Occasion::*;
    if lang != "ru" {
        return o.as_str();
    }
    match o {
        Birth => "рождение",
        Death => "смерть",
        Founding => "основание",
        FirstAppearance => "создание",
        Agreement => "договор",
        DiplomaticRelations => "дипотношения",
    }
}

pub fn run(cli: &Cli, args: &JubileesArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let names = Names::load(&*store, &args.lang)?;
    let query = JubileeQuery {
        from: args.year,
        to: args.to.unwrap_or(args.year),
        country: args.country.as_deref().map(country_code).transpose()?,
        lang: args.lang.clone(),
    };
    let scope = crate::commands::analysis::scope(args.include_candidates);
    let found = find(&*store, &names, &query, args.major, scope)?;
    let format = if cli.json { JubileeFormat::Json } else { args.format };
    with_output(args.out.as_deref(), |mut w| {
        match format {
            JubileeFormat::Json => output::json(&mut w, &found)?,
            JubileeFormat::Ics => {
                let ru = args.lang == "ru";
                let mut name = if ru { "Юбилеи".to_string() } else { "Jubilees".to_string() };
                name.push_str(&format!(" {}–{}", query.from, query.to));
                if let Some(c) = &query.country {
                    name.push_str(&format!(" ({})", names.name(c)));
                }
                let entries = found
                    .iter()
                    .filter_map(|j| EventEntry::from_jubilee(j, &args.lang, (query.from, query.to)));
                ical::write(w, &name, &dtstamp(), entries)?;
            }
            JubileeFormat::Table => {
                let rows: Vec<Vec<String>> = found
                    .iter()
                    .map(|j| {
                        let mut flags = Vec::new();
                        if j.major {
                            flags.push("major");
                        }
                        if j.approximate {
                            flags.push("approximate");
                        }
                        if j.uncertain {
                            flags.push("uncertain");
                        }
                        if j.unspecified {
                            flags.push("unspecified");
                        }
                        vec![
                            j.when(),
                            j.years.to_string(),
                            occasion(j.occasion, &args.lang).to_string(),
                            j.title(&args.lang),
                            j.origin.clone(),
                            flags.join(","),
                        ]
                    })
                    .collect();
                let header = if args.lang == "ru" {
                    ["когда", "лет", "повод", "юбилей", "исходная дата", "пометки"]
                } else {
                    ["when", "years", "occasion", "jubilee", "from", "flags"]
                };
                output::table(&mut w, &header, &rows)?;
                writeln!(w, "{} jubilees", found.len())?;
            }
        }
        Ok(())
    })
}
