//! `keruen import FILE`: JSONL, CSV or JSON-LD, in one transaction.
use crate::cli::{Cli, DataFormat, ImportArgs};
use crate::{db, output};
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use keruen_model::RecordLine;
use keruen_store::{ImportOptions, Rejected, StoreError};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Refuses, with one clear line, a file that cannot be an import: missing,
/// unreadable, a directory, empty, or binary.
pub(crate) fn check_input_file(path: &Path) -> Result<File> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!("{shown}: no such file"),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!("{shown}: permission denied"),
        _ => anyhow::anyhow!("{shown}: {e}"),
    })?;
    if meta.is_dir() {
        bail!("{shown}: is a directory, not a file");
    }
    if meta.len() == 0 {
        bail!("{shown}: the file is empty");
    }
    let mut file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!("{shown}: permission denied"),
        _ => anyhow::anyhow!("{shown}: cannot open: {e}"),
    })?;
    let mut head = vec![0u8; 8192];
    let n = file.read(&mut head).with_context(|| format!("{shown}: cannot read"))?;
    if head[..n].contains(&0) {
        bail!("{shown}: looks like a binary file (it contains NUL bytes), not JSONL or CSV text");
    }
    Ok(File::open(path)?)
}

fn detect_format(path: &Path, given: Option<DataFormat>) -> Result<DataFormat> {
    if let Some(f) = given {
        if !matches!(f, DataFormat::Jsonl | DataFormat::Csv | DataFormat::Jsonld) {
            bail!(
                "--format {}: import reads jsonl, csv and jsonld (the formats that carry the whole data)",
                f.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
            );
        }
        return Ok(f);
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" | "json" => Ok(DataFormat::Jsonl),
        "csv" => Ok(DataFormat::Csv),
        "jsonld" => Ok(DataFormat::Jsonld),
        _ => bail!(
            "{}: cannot tell the format from the extension `.{ext}`; name it .jsonl, .csv or .jsonld, or pass --format",
            path.display()
        ),
    }
}

/// Parses on a second thread while the store writes on this one: parsing JSON is a
/// third of the work of an import, and the machine has more than one core.
fn parse_ahead(lines: Box<dyn Iterator<Item = RecordLine> + Send>) -> impl Iterator<Item = RecordLine> {
    const BATCH: usize = 512;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<RecordLine>>(16);
    std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH);
        for line in lines {
            batch.push(line);
            if batch.len() == BATCH
                && tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err()
            {
                return;
            }
        }
        let _ = tx.send(batch);
    });
    rx.into_iter().flatten()
}

fn rejects_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("import");
    path.with_file_name(format!("{stem}.rejects.jsonl"))
}

pub fn run(cli: &Cli, args: &ImportArgs) -> Result<()> {
    let file = check_input_file(&args.file)?;
    let format = detect_format(&args.file, args.format)?;
    let shown = args.file.display().to_string();
    let (store, created) = db::open_for_write(&cli.db)?;
    if created {
        eprintln!("created {}", cli.db.display());
    }
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = output::progress(len, "importing");
    let reader = BufReader::with_capacity(1 << 20, bar.wrap_read(file));
    let lines: Box<dyn Iterator<Item = RecordLine> + Send> = match format {
        DataFormat::Jsonl => Box::new(keruen_export::jsonl::read(reader)),
        DataFormat::Csv => {
            Box::new(keruen_export::csv::read(reader).map_err(|e| anyhow::anyhow!("{shown}:1: {e}"))?)
        }
        DataFormat::Jsonld => {
            // One JSON document: read whole, then one record per node of `@graph`.
            let mut text = String::new();
            let mut reader = reader;
            reader.read_to_string(&mut text).map_err(|e| anyhow::anyhow!("{shown}: cannot read: {e}"))?;
            let nodes = keruen_export::jsonld::read(&text).map_err(|e| anyhow::anyhow!("{shown}:{e}"))?;
            Box::new(nodes.into_iter())
        }
        _ => unreachable!("detect_format admits only importable formats"),
    };
    let mut lines = parse_ahead(lines);
    let rejects_file = rejects_path(&args.file);
    let mut rejects: Option<BufWriter<File>> = None;
    let mut reject_error: Option<std::io::Error> = None;
    let mut on_reject = |r: Rejected| {
        if reject_error.is_some() {
            return;
        }
        if rejects.is_none() {
            match File::create(&rejects_file) {
                Ok(f) => rejects = Some(BufWriter::new(f)),
                Err(e) => {
                    reject_error = Some(e);
                    return;
                }
            }
        }
        let line = serde_json::json!({ "line": r.line, "reason": r.reason, "raw": r.raw });
        if let Some(w) = rejects.as_mut()
            && let Err(e) = writeln!(w, "{line}")
        {
            reject_error = Some(e);
        }
    };
    // A rough record count from the file size decides whether rebuilding the indexes
    // at the end beats updating them: when the import outweighs what is stored.
    let expected_records = len / 400;
    let bulk = expected_records > 20_000 && expected_records > store.stats()?.events;
    let actor = db::actor(&*store, cli.as_user.as_deref())?;
    let options = ImportOptions { skip_invalid: args.skip_invalid, actor: actor.key(), bulk };
    let result = store.import_as(&actor, &mut lines, &options, &mut on_reject);
    bar.finish_and_clear();
    let report = match result {
        Ok(r) => r,
        Err(StoreError::Invalid { line, message }) => {
            bail!(
                "{shown}:{line}: {message}\nnothing was imported (fix the line, or pass --skip-invalid to import the valid lines)"
            )
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(e) = reject_error {
        bail!("{}: cannot write the rejected lines: {e}", rejects_file.display());
    }
    if let Some(mut w) = rejects {
        w.flush()?;
    }
    drop(store);
    if report.events + report.sources + report.entities > 0 {
        super::index::refresh_if_present(&cli.db);
    }
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &report);
    }
    writeln!(
        out,
        "imported {} events, {} sources, {} entities from {shown}; {} already present",
        output::count(report.events),
        output::count(report.sources),
        output::count(report.entities),
        output::count(report.unchanged)
    )?;
    if report.rejected > 0 {
        writeln!(
            out,
            "rejected {} lines; they and the reasons are in {}",
            output::count(report.rejected),
            rejects_file.display()
        )?;
    }
    Ok(())
}
