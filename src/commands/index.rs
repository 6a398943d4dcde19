//! `keruen index`: the search index file that lets `keruen search` answer a
//! database of millions of events in milliseconds.
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Result, bail};
use keruen_store::SqliteStore;
use std::io::Write;
use std::path::Path;

pub fn run(cli: &Cli) -> Result<()> {
    if db::postgres_url(&cli.db).is_some() {
        bail!(
            "the search index file is for SQLite databases; on PostgreSQL `keruen serve` keeps \
             its index in memory, and `keruen search` asks the server's SQL"
        );
    }
    let store = SqliteStore::open(&cli.db)?;
    let file = store.write_search_index()?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(
            &mut out,
            &serde_json::json!({
                "path": file.path,
                "events": file.events,
                "bytes": file.bytes,
                "build_seconds": file.build_time.as_secs_f64(),
            }),
        );
    }
    writeln!(
        out,
        "search index written to {}: {} events, {:.1} MB, built in {:.1} s",
        file.path.display(),
        output::count(file.events as u64),
        file.bytes as f64 / 1e6,
        file.build_time.as_secs_f64()
    )?;
    writeln!(
        out,
        "`keruen search` answers from it until the database changes; then run `keruen index` again"
    )?;
    Ok(())
}

/// After a command changed the database: rewrites its index file if it has one, so
/// that searches stay fast; says so (or why not) on stderr. A database without an
/// index file is left without one.
pub(crate) fn refresh_if_present(path: &Path) {
    if db::postgres_url(path).is_some() || !SqliteStore::index_path_for(path).exists() {
        return;
    }
    let Ok(store) = SqliteStore::open(path) else { return };
    match store.write_search_index() {
        Ok(file) => eprintln!(
            "search index {} brought up to date ({:.1} s)",
            file.path.display(),
            file.build_time.as_secs_f64()
        ),
        Err(e) => eprintln!(
            "note: the search index {} could not be brought up to date: {e}; searches use SQL until \
             `keruen index` succeeds",
            store.index_path().display()
        ),
    }
}
