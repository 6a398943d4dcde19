//! `keruen review list|accept|reject|reset|edit|accept-all|reject-all`: the review of
//! candidate facts (docs/curation.md).
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use keruen_model::{Edtf, EventStatus, EventType, ReviewStatus, Role, Sector};
use keruen_store::{EventEdit, ReviewFilter};
use std::io::Write;

/// Options of `review`.
#[derive(Args, Debug)]
pub struct ReviewArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ReviewAction,
}

/// The review actions.
#[derive(Subcommand, Debug)]
pub enum ReviewAction {
    /// Candidate events waiting for review, with the sentence each came from.
    List(ListArgs),
    /// Accept events: they become facts that search, analysis and export use.
    Accept(DecideArgs),
    /// Reject events: kept for the record, never shown as facts.
    Reject(DecideArgs),
    /// Put reviewed events back among the candidates.
    Reset(DecideArgs),
    /// Correct an event: type, date, states, places, title, status, sectors.
    Edit(EditArgs),
    /// Accept every candidate that the filter matches (all of them without a filter).
    AcceptAll(BulkArgs),
    /// Reject every candidate that the filter matches.
    RejectAll(BulkArgs),
}

/// Which candidates.
#[derive(Args, Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only events with evidence from this source (src-…).
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// Only events of this type (culture_days, festival, agreement, …).
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// Only events whose evidence is at least this confident (0…1).
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,
}

impl QueueFilter {
    fn filter(&self) -> Result<ReviewFilter> {
        if let Some(x) = self.min_confidence
            && !(0.0..=1.0).contains(&x)
        {
            bail!("--min-confidence: {x} is outside 0…1");
        }
        Ok(ReviewFilter {
            source: self.source.clone(),
            event_type: self
                .event_type
                .as_deref()
                .map(|t| t.parse::<EventType>().map_err(|e| anyhow::anyhow!("--type: {e}")))
                .transpose()?,
            min_confidence: self.min_confidence,
            ..ReviewFilter::default()
        })
    }
}

/// Options of `review list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: QueueFilter,
    /// How many to show.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Continue after this cursor (printed under a full page).
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
}

/// Options of `review accept|reject|reset`.
#[derive(Args, Debug)]
pub struct DecideArgs {
    /// Event ids.
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
}

/// Options of `review accept-all|reject-all`.
#[derive(Args, Debug)]
pub struct BulkArgs {
    #[command(flatten)]
    pub filter: QueueFilter,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
    /// Only say how many candidates the filter matches.
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `review edit`.
#[derive(Args, Debug)]
pub struct EditArgs {
    /// The event id.
    pub id: String,
    /// New type.
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// New date (EDTF: 2007-10-12, 2007-10, 2007, 2007-10-12/2007-10-15), or
    /// `undated`.
    #[arg(long, value_name = "EDTF")]
    pub date: Option<String>,
    /// The states taking part, as CC or CC:ROLE (repeatable; replaces the states and
    /// keeps organisations and people): `--country KZ:host --country UZ:guest`.
    #[arg(long = "country", value_name = "CC[:ROLE]")]
    pub countries: Vec<String>,
    /// The places (entity ids such as place:almaty; repeatable; replaces them).
    #[arg(long = "place", value_name = "ID")]
    pub places: Vec<String>,
    /// Remove every place.
    #[arg(long, conflicts_with = "places")]
    pub no_places: bool,
    /// New title.
    #[arg(long)]
    pub title: Option<String>,
    /// held, planned or cancelled.
    #[arg(long)]
    pub status: Option<String>,
    /// Fields of cooperation (repeatable; replaces them).
    #[arg(long = "sector", value_name = "SECTOR")]
    pub sectors: Vec<String>,
    /// New description.
    #[arg(long)]
    pub description: Option<String>,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
}

impl EditArgs {
    fn edit(&self) -> Result<EventEdit> {
        let date = match self.date.as_deref() {
            None => None,
            Some("undated") => Some(None),
            Some(d) => Some(Some(d.parse::<Edtf>().with_context(|| format!("--date `{d}`"))?)),
        };
        let countries = if self.countries.is_empty() {
            None
        } else {
            let mut v = Vec::new();
            for c in &self.countries {
                let (code, role) = match c.split_once(':') {
                    Some((code, role)) => {
                        (code, role.parse::<Role>().map_err(|e| anyhow::anyhow!("--country: {e}"))?)
                    }
                    None => (c.as_str(), Role::Participant),
                };
                let code = crate::commands::analysis::country_code(code)?;
                v.push((code, role));
            }
            Some(v)
        };
        let places = if self.no_places {
            Some(Vec::new())
        } else if self.places.is_empty() {
            None
        } else {
            Some(self.places.clone())
        };
        let sectors = if self.sectors.is_empty() {
            None
        } else {
            Some(
                self.sectors
                    .iter()
                    .map(|s| s.parse::<Sector>().map_err(|e| anyhow::anyhow!("--sector: {e}")))
                    .collect::<Result<_>>()?,
            )
        };
        let edit = EventEdit {
            event_type: self
                .event_type
                .as_deref()
                .map(|t| t.parse::<EventType>().map_err(|e| anyhow::anyhow!("--type: {e}")))
                .transpose()?,
            title: self.title.clone(),
            date,
            countries,
            places,
            status: self
                .status
                .as_deref()
                .map(|s| s.parse::<EventStatus>().map_err(|e| anyhow::anyhow!("--status: {e}")))
                .transpose()?,
            sectors,
            description: self.description.clone(),
        };
        if edit.is_empty() {
            bail!(
                "nothing to change: give --type, --date, --country, --place, --title, --status, --sector or --description"
            );
        }
        Ok(edit)
    }
}

/// A quote shortened for one line of a table.
pub(crate) fn short(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

pub fn run(cli: &Cli, args: &ReviewArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let mut out = std::io::stdout().lock();
    let changed = |out: &mut std::io::StdoutLock, n: usize, verb: &str| -> Result<()> {
        if cli.json {
            output::json(out, &serde_json::json!({ "changed": n }))
        } else {
            Ok(writeln!(out, "{verb} {n} event{}", if n == 1 { "" } else { "s" })?)
        }
    };
    match &args.action {
        ReviewAction::List(a) => {
            let filter = ReviewFilter { limit: Some(a.limit), cursor: a.after.clone(), ..a.filter.filter()? };
            let items = store.review_queue(&filter)?;
            if cli.json {
                return output::json(&mut out, &items);
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| {
                    vec![
                        i.event.id.clone(),
                        i.event.event_type.to_string(),
                        i.event.date.clone().unwrap_or_else(|| "undated".into()),
                        i.event.countries.join(" "),
                        format!("{:.2}", i.confidence),
                        if i.evidence > 1 {
                            format!("{} +{}", i.source, i.evidence - 1)
                        } else {
                            i.source.clone()
                        },
                        short(i.quote.as_deref().unwrap_or(""), 80),
                    ]
                })
                .collect();
            output::table(&mut out, &["id", "type", "date", "states", "conf", "source", "quote"], &rows)?;
            writeln!(out, "{} candidate{} shown", rows.len(), if rows.len() == 1 { "" } else { "s" })?;
            if items.len() == a.limit
                && let Some(last) = items.last()
            {
                writeln!(out, "more: keruen review list --after {}", last.cursor)?;
            }
            Ok(())
        }
        ReviewAction::Accept(a) | ReviewAction::Reject(a) | ReviewAction::Reset(a) => {
            let (decision, verb) = match &args.action {
                ReviewAction::Accept(_) => (ReviewStatus::Accepted, "accepted"),
                ReviewAction::Reject(_) => (ReviewStatus::Rejected, "rejected"),
                _ => (ReviewStatus::Candidate, "reset"),
            };
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            let n = store.review(&actor, &a.ids, decision, a.reason.as_deref())?;
            changed(&mut out, n, verb)
        }
        ReviewAction::AcceptAll(a) | ReviewAction::RejectAll(a) => {
            let (decision, verb) = match &args.action {
                ReviewAction::AcceptAll(_) => (ReviewStatus::Accepted, "accepted"),
                _ => (ReviewStatus::Rejected, "rejected"),
            };
            let filter = a.filter.filter()?;
            if a.dry_run {
                let mut n = 0;
                let mut page = ReviewFilter { limit: Some(500), ..filter.clone() };
                loop {
                    let items = store.review_queue(&page)?;
                    n += items.len();
                    match items.last() {
                        Some(last) if items.len() == 500 => page.cursor = Some(last.cursor.clone()),
                        _ => break,
                    }
                }
                return changed(&mut out, n, "would change");
            }
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            let n = store.review_matching(&actor, &filter, decision, a.reason.as_deref())?;
            changed(&mut out, n, verb)
        }
        ReviewAction::Edit(a) => {
            let edit = a.edit()?;
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            let e = store.edit(&actor, &a.id, &edit, a.reason.as_deref())?;
            if cli.json {
                return output::json(&mut out, &e);
            }
            let date = e.date.as_ref().map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
            writeln!(out, "edited {}: {} {date} {}", e.id, e.event_type, e.countries().join(" "))?;
            Ok(())
        }
    }
}
