//! `keruen demo`: build the demo database from the data keruen ships.
use crate::cli::DemoArgs;
use crate::db;
use anyhow::{Context, Result, bail};
use keruen_model::RecordLine;
use keruen_store::{ImportOptions, SqliteStore, Store};

/// The curated events, with the sources that state them (data/demo/README.md).
const DEMO_EVENTS: &str = include_str!("../../data/demo/events.jsonl");

/// Removes an earlier demo database — only if it is one of ours.
fn remove_old(path: &std::path::Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    drop(SqliteStore::open(path).with_context(|| {
        format!("{} exists and is not a keruen database; choose another --out", path.display())
    })?);
    for suffix in ["", "-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    Ok(())
}

pub fn run(args: &DemoArgs) -> Result<()> {
    remove_old(&args.out)?;
    let (store, _) = db::open_for_write(&args.out)?;
    let mut lines = keruen_export::jsonl::read(DEMO_EVENTS.as_bytes()).map(|l: RecordLine| l);
    let options = ImportOptions { skip_invalid: false, actor: "user:keruen-curators".into(), bulk: false };
    let report = store
        .import(&mut lines, &options, &mut |_| {})
        .map_err(|e| anyhow::anyhow!("data/demo/events.jsonl: {e}"))?;
    if report.events == 0 {
        bail!("the demo data holds no events");
    }
    println!("built {} from the curated demo data:", args.out.display());
    let mut out = std::io::stdout().lock();
    super::print_stats(&mut out, &store.stats()?)?;
    if !args.no_serve {
        println!(
            "(the web interface comes with the web issue; explore with `keruen --db {} search …`)",
            args.out.display()
        );
    }
    Ok(())
}
