//! `keruen ingest FILE|DIR…`: read, extract, store as candidates.
use crate::cli::{Cli, IngestArgs};
use crate::commands::extract::read_and_extract;
use crate::{db, output};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files under `path` that keruen can read, sorted; a file given by name is taken as
/// is (an unsupported one then fails with its own message).
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                collect(&p, out)?;
            } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                keruen_ingest::supported_extensions().contains(&e.to_ascii_lowercase().as_str())
            }) {
                out.push(p);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

pub fn run(cli: &Cli, args: &IngestArgs) -> Result<()> {
    let mut files = Vec::new();
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
        collect(p, &mut files)?;
    }
    if files.is_empty() {
        bail!("no documents to ingest (keruen reads {})", keruen_ingest::supported_extensions().join(", "));
    }
    // A bad --date is one error before anything is opened, not one per document.
    if let Some(d) = &args.date {
        d.parse::<keruen_model::Edtf>().context("--date")?;
    }
    let (store, created) = db::open_for_write(&cli.db)?;
    if created {
        eprintln!("created {}", cli.db.display());
    }
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    actor.require("ingest documents", keruen_store::Permission::Curate)?;
    let bar = output::progress(files.len() as u64, "ingesting");
    let (mut new, mut present, mut events) = (0u64, 0u64, 0u64);
    let mut failures: Vec<(PathBuf, String)> = Vec::new();
    let mut out = std::io::stdout().lock();
    let limits = keruen_ingest::Limits { pdf_timeout: args.pdf_timeout };
    for f in &files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let result = read_and_extract(f, args.date.as_deref(), None, &limits)
            .and_then(|(doc, x)| Ok(store.ingest_as(&actor, &crate::ingest::bundle(&doc, &name, &x))?));
        match result {
            Ok(r) if r.new => {
                new += 1;
                events += r.events;
                bar.suspend(|| {
                    writeln!(out, "{}: {} candidate events → source {}", f.display(), r.events, r.source)
                })?;
            }
            Ok(r) => {
                present += 1;
                bar.suspend(|| writeln!(out, "{}: already stored as {}", f.display(), r.source))?;
            }
            Err(e) => failures.push((f.clone(), format!("{e:#}"))),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    drop(store);
    if new > 0 {
        super::index::refresh_if_present(&cli.db);
    }
    writeln!(
        out,
        "ingested {new} new documents ({events} candidate events); {present} already stored; {} failed",
        failures.len()
    )?;
    if !failures.is_empty() {
        for (f, why) in &failures {
            // Reader errors already name the file.
            if why.contains(&f.display().to_string()) {
                eprintln!("failed: {why}");
            } else {
                eprintln!("failed: {}: {why}", f.display());
            }
        }
        bail!("{} of {} documents could not be ingested", failures.len(), files.len());
    }
    Ok(())
}
