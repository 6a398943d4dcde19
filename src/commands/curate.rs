//! `keruen duplicates`, `merge`, `unmerge`, `split`, `conflicts`, `resolve`, `undo`:
//! one event attested by several sources, and sources that disagree.
use crate::cli::Cli;
use crate::commands::review::short;
use crate::{db, output};
use anyhow::{Context, Result, bail};
use clap::Args;
use keruen_model::{Edtf, EventType};
use keruen_store::{ConflictField, DuplicateQuery, EventConflicts, Resolution};
use std::io::Write;

/// Options of `duplicates`.
#[derive(Args, Debug)]
pub struct DuplicatesArgs {
    /// Only proposals involving this event.
    #[arg(long, value_name = "ID")]
    pub event: Option<String>,
    /// Only proposals scoring at least this much (0…1).
    #[arg(long, default_value_t = keruen_store::duplicates::DEFAULT_MIN_SCORE, value_name = "X")]
    pub min_score: f32,
    /// How many proposals to show.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Also pairs of two accepted events (by default one of the two is a candidate).
    #[arg(long)]
    pub include_accepted: bool,
    /// Record that these two events are not the same, so they are no longer proposed.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub dismiss: Option<Vec<String>>,
    /// Why, for the audit log (with --dismiss).
    #[arg(long)]
    pub reason: Option<String>,
}

/// Options of `merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The event that stays.
    pub a: String,
    /// The event merged into it (hidden afterwards; `keruen unmerge B` brings it back).
    pub b: String,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
}

/// Options of `unmerge` and `undo`.
#[derive(Args, Debug)]
pub struct ItemArgs {
    /// The event id.
    pub id: String,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
}

/// Options of `split`.
#[derive(Args, Debug)]
pub struct SplitArgs {
    /// The event id.
    pub id: String,
    /// The number of the piece of evidence to move out (as `keruen show ID` lists them).
    #[arg(long, value_name = "N")]
    pub evidence: usize,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
}

/// Options of `conflicts`.
#[derive(Args, Debug)]
pub struct ConflictsArgs {
    /// The event; without one, list the events whose sources disagree.
    pub id: Option<String>,
    /// How many events to list.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// Options of `resolve`: exactly one choice.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("choice").required(true)
    .args(["date", "event_type", "countries", "places", "use_evidence"])))]
pub struct ResolveArgs {
    /// The event id.
    pub id: String,
    /// This date (EDTF), or `undated`.
    #[arg(long, value_name = "EDTF")]
    pub date: Option<String>,
    /// This type.
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// These states: ISO codes separated by commas (KZ,UZ).
    #[arg(long, value_name = "CC,CC")]
    pub countries: Option<String>,
    /// These places: entity ids separated by commas.
    #[arg(long, value_name = "ID,ID")]
    pub places: Option<String>,
    /// The value that this piece of evidence (its number in `keruen conflicts ID`)
    /// claims for --field.
    #[arg(long, value_name = "N", requires = "field")]
    pub use_evidence: Option<usize>,
    /// With --use-evidence: date, countries, places or type.
    #[arg(long)]
    pub field: Option<String>,
    /// Why, for the audit log.
    #[arg(long)]
    pub reason: Option<String>,
}

impl ResolveArgs {
    fn resolution(&self) -> Result<Resolution> {
        let list = |s: &str| s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
        Ok(if let Some(d) = &self.date {
            Resolution::Date(if d == "undated" {
                None
            } else {
                Some(d.parse::<Edtf>().with_context(|| format!("--date `{d}`"))?)
            })
        } else if let Some(t) = &self.event_type {
            Resolution::Type(t.parse::<EventType>().map_err(|e| anyhow::anyhow!("--type: {e}"))?)
        } else if let Some(c) = &self.countries {
            let codes: Vec<String> = list(c);
            Resolution::Countries(
                codes.iter().map(|c| crate::commands::analysis::country_code(c)).collect::<Result<_>>()?,
            )
        } else if let Some(p) = &self.places {
            Resolution::Places(list(p))
        } else if let (Some(n), Some(f)) = (self.use_evidence, &self.field) {
            Resolution::FromEvidence {
                field: f.parse::<ConflictField>().map_err(|e| anyhow::anyhow!("--field: {e}"))?,
                evidence: n,
            }
        } else {
            bail!("say what to choose: --date, --type, --countries, --places or --use-evidence N --field F")
        })
    }
}

pub fn duplicates(cli: &Cli, args: &DuplicatesArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let mut out = std::io::stdout().lock();
    if let Some(pair) = &args.dismiss {
        let actor = db::actor(&*store, cli.as_user.as_deref())?;
        store.dismiss_duplicate(&actor, &pair[0], &pair[1], args.reason.as_deref())?;
        writeln!(out, "{} and {} will no longer be proposed as duplicates", pair[0], pair[1])?;
        return Ok(());
    }
    let proposals = store.duplicates(&DuplicateQuery {
        event: args.event.clone(),
        min_score: Some(args.min_score),
        limit: Some(args.limit),
        include_accepted: args.include_accepted,
    })?;
    if cli.json {
        return output::json(&mut out, &proposals);
    }
    for p in &proposals {
        let line = |h: &keruen_store::EventHit| {
            format!(
                "{} [{}] {} {} {}",
                h.id,
                h.review,
                h.date.as_deref().unwrap_or("undated"),
                h.countries.join(" "),
                h.title.as_deref().unwrap_or("")
            )
        };
        writeln!(out, "{:.2}  {}", p.score, line(&p.a))?;
        writeln!(out, "      {}", line(&p.b))?;
        for r in &p.reasons {
            writeln!(out, "      · {r}")?;
        }
        writeln!(out, "      merge: keruen merge {} {}", p.a.id, p.b.id)?;
    }
    writeln!(out, "{} proposal{}", proposals.len(), if proposals.len() == 1 { "" } else { "s" })?;
    Ok(())
}

fn print_conflicts(out: &mut dyn Write, c: &EventConflicts) -> Result<()> {
    writeln!(out, "event {}", c.event)?;
    for f in &c.fields {
        let mark = if f.disputed { "DISPUTED" } else { "agreed" };
        let chosen = if f.chosen.is_empty() { "(none)" } else { f.chosen.as_str() };
        let who = f
            .chosen_by
            .as_deref()
            .map(|w| format!("chosen by {w}"))
            .unwrap_or_else(|| "not chosen by anyone".into());
        writeln!(out, "  {:<9} {mark}: {chosen} — {who}", f.field.as_str())?;
        for v in &f.values {
            writeln!(out, "    {} {}", if v.chosen { "*" } else { " " }, v.value)?;
            for s in &v.evidence {
                writeln!(
                    out,
                    "        evidence {}: {} asserted by {} ({}, {:.2}){}",
                    s.evidence,
                    s.source,
                    s.asserted_by,
                    s.status,
                    s.confidence,
                    s.quote.as_deref().map(|q| format!(" «{}»", short(q, 70))).unwrap_or_default()
                )?;
            }
        }
    }
    Ok(())
}

pub fn conflicts(cli: &Cli, args: &ConflictsArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let mut out = std::io::stdout().lock();
    let Some(id) = &args.id else {
        let hits = store.disputed_events(args.limit)?;
        if cli.json {
            return output::json(&mut out, &hits);
        }
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                vec![
                    h.id.clone(),
                    h.review.clone(),
                    h.event_type.to_string(),
                    h.date.clone().unwrap_or_else(|| "undated".into()),
                    h.countries.join(" "),
                ]
            })
            .collect();
        output::table(&mut out, &["id", "review", "type", "date", "states"], &rows)?;
        writeln!(
            out,
            "{} event{} whose sources disagree",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )?;
        return Ok(());
    };
    let c = store.conflicts(id)?;
    if cli.json {
        return output::json(&mut out, &c);
    }
    if let Some(s) = store.event_state(id)?
        && let Some(into) = s.merged_into
    {
        writeln!(out, "(event {id} is merged into {into}: its evidence is there)")?;
    }
    print_conflicts(&mut out, &c)
}

pub fn resolve(cli: &Cli, args: &ResolveArgs) -> Result<()> {
    let choice = args.resolution()?;
    let store = db::open(&cli.db)?;
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    store.resolve_conflict(&actor, &args.id, &choice, args.reason.as_deref())?;
    let c = store.conflicts(&args.id)?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &c);
    }
    print_conflicts(&mut out, &c)
}

pub fn merge(cli: &Cli, args: &MergeArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    let e = store.merge(&actor, &args.a, &args.b, args.reason.as_deref())?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &e);
    }
    writeln!(out, "merged {} into {}: {}", args.b, args.a, pieces(e.evidence.len()))?;
    if store.conflicts(&args.a)?.disputed() {
        writeln!(out, "the sources disagree: see `keruen conflicts {}`", args.a)?;
    }
    writeln!(out, "undo with `keruen unmerge {}`", args.b)?;
    Ok(())
}

fn pieces(n: usize) -> String {
    format!("{n} piece{} of evidence", if n == 1 { "" } else { "s" })
}

pub fn unmerge(cli: &Cli, args: &ItemArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    let e = store.unmerge(&actor, &args.id, args.reason.as_deref())?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &e);
    }
    writeln!(out, "unmerged {}: {} back", e.id, pieces(e.evidence.len()))?;
    Ok(())
}

pub fn split(cli: &Cli, args: &SplitArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    let e = store.split(&actor, &args.id, args.evidence, args.reason.as_deref())?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &e);
    }
    let date = e.date.as_ref().map(|d| d.to_string()).unwrap_or_else(|| "undated".into());
    writeln!(
        out,
        "split evidence {} of {} into the new candidate event {} ({} {date})",
        args.evidence, args.id, e.id, e.event_type
    )?;
    Ok(())
}

pub fn undo(cli: &Cli, args: &ItemArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    let u = store.undo(&actor, &args.id, args.reason.as_deref())?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &u);
    }
    writeln!(out, "undid #{} ({}) of {}", u.entry, u.action, u.item)?;
    Ok(())
}
