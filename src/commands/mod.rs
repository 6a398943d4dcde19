//! One module per command.
pub(crate) mod analysis;
pub(crate) mod chart;
pub(crate) mod curate;
mod demo;
mod eval;
mod export;
mod extract;
mod history;
mod import;
mod index;
mod ingest;
pub(crate) mod jubilees;
pub(crate) mod migrate;
pub(crate) mod review;
mod search;
mod serve;
mod show;
pub(crate) mod users;

pub(crate) use export::with_output;

use crate::cli::{Cli, Command};
use crate::{db, generate, output};
use anyhow::Result;
use std::io::Write;

/// Runs the command line.
pub fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Serve(args) => serve::run(&cli, args),
        Command::Init => {
            let (_, created) = db::open_for_write(&cli.db)?;
            let verb = if created { "created" } else { "already exists:" };
            println!("{verb} {} (reference data loaded)", db::shown(&cli.db));
            Ok(())
        }
        Command::Import(args) => import::run(&cli, args),
        Command::Export(args) => export::run(&cli, args),
        Command::Search(args) => search::run(&cli, args),
        Command::Index => index::run(&cli),
        Command::Show(args) => show::run(&cli, &args.id),
        Command::History(args) => history::run(&cli, &args.id),
        Command::Stats(args) => analysis::run(&cli, args),
        Command::Jubilees(args) => jubilees::run(&cli, args),
        Command::Chart(args) => chart::run(&cli, args),
        Command::Generate(args) => generate::run(args),
        Command::Extract(args) => extract::run(&cli, args),
        Command::Eval(args) => eval::run(&cli, args),
        Command::Ingest(args) => ingest::run(&cli, args),
        Command::Review(args) => review::run(&cli, args),
        Command::Duplicates(args) => curate::duplicates(&cli, args),
        Command::Merge(args) => curate::merge(&cli, args),
        Command::Unmerge(args) => curate::unmerge(&cli, args),
        Command::Split(args) => curate::split(&cli, args),
        Command::Conflicts(args) => curate::conflicts(&cli, args),
        Command::Resolve(args) => curate::resolve(&cli, args),
        Command::Undo(args) => curate::undo(&cli, args),
        Command::Users(args) => users::users(&cli, args),
        Command::Tokens(args) => users::tokens(&cli, args),
        Command::Replay(args) => users::replay(&cli, args),
        Command::MigrateDb(args) => migrate::run(&cli, args),
    }
}

pub(crate) fn stats(cli: &Cli) -> Result<()> {
    let store = db::open(&cli.db)?;
    let stats = store.stats()?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &stats);
    }
    print_stats(&mut out, &stats)
}

/// The summary that `stats` and `demo` print.
pub(crate) fn print_stats(out: &mut impl Write, s: &keruen_store::Stats) -> Result<()> {
    let years = s.years.map(|(a, b)| format!(", {a}–{b}")).unwrap_or_default();
    writeln!(out, "events:        {}{years}", output::count(s.events))?;
    for f in &s.events_by_review {
        writeln!(out, "  {:<12} {}", f.value, output::count(f.count))?;
    }
    writeln!(out, "by type:")?;
    for f in &s.events_by_type {
        writeln!(out, "  {:<21} {}", f.value, output::count(f.count))?;
    }
    writeln!(out, "sources:       {}", output::count(s.sources))?;
    writeln!(out, "evidence:      {}", output::count(s.evidence))?;
    let entities: Vec<String> =
        s.entities.iter().map(|f| format!("{} {}", output::count(f.count), f.value)).collect();
    writeln!(out, "entities:      {}", entities.join(", "))?;
    writeln!(out, "archival refs: {}", output::count(s.archival_refs))?;
    writeln!(out, "citations:     {}", output::count(s.citations))?;
    writeln!(out, "audit entries: {}", output::count(s.audit))?;
    Ok(())
}
