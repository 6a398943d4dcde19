//! `keruen migrate-db --from A --to B`: copies a whole database into a new one —
//! SQLite to PostgreSQL, PostgreSQL to SQLite, or either to its own kind — and proves
//! the copy: row count and SHA-256 of every table on both sides. Exits 1 on any
//! difference.
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Result, bail};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Options of `migrate-db`.
#[derive(Args, Debug)]
pub struct MigrateDbArgs {
    /// The database to copy: a file path (SQLite) or a postgres:// URL. Stop the
    /// writers to it (serve, ingest) while it is copied.
    #[arg(long, value_name = "PATH|URL")]
    pub from: PathBuf,
    /// The new database: a file path that does not exist yet, or a postgres:// URL
    /// of an empty database (create it first: `createdb keruen`).
    #[arg(long, value_name = "PATH|URL")]
    pub to: PathBuf,
}

pub fn run(cli: &Cli, args: &MigrateDbArgs) -> Result<()> {
    if args.from == args.to {
        bail!("--from and --to are the same database");
    }
    let from = db::open(&args.from)?;
    if db::postgres_url(&args.to).is_none() && args.to.exists() {
        bail!("{}: already exists; migrate-db writes a new database", args.to.display());
    }
    let (to, _) = db::create(&args.to)?;
    let report = keruen_store::copy_database(from.as_ref(), to.as_ref())?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        output::json(&mut out, &report)?;
    } else {
        writeln!(out, "{:<16} {:>12} {:>12}  sha256", "table", "rows from", "rows to")?;
        for (a, b) in &report.tables {
            let verdict = if a == b { &a.sha256[..16] } else { "MISMATCH" };
            writeln!(
                out,
                "{:<16} {:>12} {:>12}  {verdict}",
                a.table,
                output::count(a.rows),
                output::count(b.rows)
            )?;
        }
    }
    let differing: Vec<&str> =
        report.tables.iter().filter(|(a, b)| a != b).map(|(a, _)| a.table.as_str()).collect();
    if !differing.is_empty() {
        bail!(
            "the copy in {} differs from {} in: {} (was --from written to during the copy?)",
            db::shown(&args.to),
            db::shown(&args.from),
            differing.join(", ")
        );
    }
    if !cli.json {
        writeln!(
            out,
            "copied {} into {}: every table's rows and checksum match",
            db::shown(&args.from),
            db::shown(&args.to)
        )?;
    }
    Ok(())
}
