//! `keruen export`: every format of docs/formats.md, to standard output or a file.
use crate::cli::{Cli, CsvTable, DataFormat, ExportArgs};
use crate::db;
use anyhow::Result;
use keruen_export::csv::{Table, Writer as CsvWriter};
use keruen_store::{Store, StoreError};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes through `write` into `out` (a file written beside and renamed when done, so
/// that an interrupted export never leaves half a file), or standard output.
pub(crate) fn with_output(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match out {
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            write(&mut w)?;
            w.flush()?;
            Ok(())
        }
        Some(path) => {
            let shown = path.display();
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if path.is_dir() {
                anyhow::bail!("{shown}: is a directory; give the name of the file to write");
            }
            if !dir.is_dir() {
                anyhow::bail!("{shown}: the directory {} does not exist", dir.display());
            }
            // The temporary file's own name would only confuse: the error names the target.
            let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
                anyhow::anyhow!(
                    "{shown}: cannot write in {}: {}",
                    dir.display(),
                    std::io::Error::from(e.kind())
                )
            })?;
            {
                let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file());
                write(&mut w)?;
                w.flush()?;
            }
            // A temporary file is private (0600); the export is an ordinary file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
            tmp.persist(path).map_err(|e| anyhow::anyhow!("{shown}: cannot write: {}", e.error))?;
            Ok(())
        }
    }
}

fn io(e: impl Into<anyhow::Error>) -> StoreError {
    StoreError::Io { path: "output".into(), source: std::io::Error::other(e.into().to_string()) }
}

pub fn run(cli: &Cli, args: &ExportArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    with_output(args.out.as_deref(), |w| {
        match args.format {
            DataFormat::Jsonl => export_jsonl(&*store, w)?,
            DataFormat::Csv => {
                let table = match args.table {
                    CsvTable::Events => Table::Events,
                    CsvTable::Sources => Table::Sources,
                    CsvTable::Entities => Table::Entities,
                };
                let mut csv = CsvWriter::new(w, table)?;
                store.export(&mut |r| csv.write(&r).map(|_| ()).map_err(io))?;
                csv.finish()?;
            }
            DataFormat::Jsonld => {
                let mut ld = keruen_export::jsonld::Writer::new(w)?;
                store.export(&mut |r| ld.write(&r).map_err(io))?;
                ld.finish()?;
            }
            format => derived(&*store, args, format, w)?,
        }
        Ok(())
    })
}

/// JSONL with both cores: the store reads records on this thread while a second
/// thread turns batches of them into bytes (serialising is half the work of an
/// export); this thread writes the bytes in order. The batch queue is bounded, so
/// memory stays small whatever the size of the database.
fn export_jsonl(store: &dyn Store, w: &mut dyn Write) -> Result<()> {
    use keruen_model::Record;
    const BATCH: usize = 1024;
    let (to_worker, batches) = std::sync::mpsc::sync_channel::<Vec<Record>>(4);
    // Unbounded, so that the worker never waits for this thread while this thread
    // waits for the worker; at most the queued batches are in flight.
    let (to_writer, chunks) = std::sync::mpsc::channel::<keruen_export::Result<Vec<u8>>>();
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for batch in batches {
                let mut buf = Vec::with_capacity(batch.len() * 512);
                let bytes =
                    batch.iter().try_for_each(|r| keruen_export::jsonl::write(&mut buf, r)).map(|()| buf);
                if to_writer.send(bytes).is_err() {
                    return;
                }
            }
        });
        let drain = |w: &mut dyn Write, wait: bool| -> std::io::Result<()> {
            loop {
                let chunk = if wait { chunks.recv().ok() } else { chunks.try_recv().ok() };
                match chunk {
                    Some(bytes) => w.write_all(&bytes.map_err(std::io::Error::other)?)?,
                    None => return Ok(()),
                }
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        store.export(&mut |r| {
            batch.push(r);
            if batch.len() == BATCH {
                drain(w, false).map_err(io)?;
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                to_worker.send(full).map_err(io)?;
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            to_worker.send(batch).map_err(io)?;
        }
        drop(to_worker);
        drain(w, true)?;
        Ok(())
    })
}

/// The formats computed from accepted facts (the network, the calendar) or that
/// carry one kind of record (sources, places); docs/formats.md.
fn derived(store: &dyn Store, args: &ExportArgs, format: DataFormat, mut w: &mut dyn Write) -> Result<()> {
    use crate::commands::analysis::{Names, load_facts};
    let scope = crate::commands::analysis::scope(args.include_candidates);
    use keruen_export::{bibtex, csl, gexf, graphml, ical, linked_places};
    let names = Names::load(store, &args.lang)?;
    let label = |id: &str| names.name(id);
    match format {
        DataFormat::Gexf | DataFormat::Graphml => {
            let facts = load_facts(store, &names, scope)?;
            let net = keruen_analysis::network::network(&facts, &Default::default());
            match format {
                DataFormat::Gexf => gexf::write(&mut w, &net, &label)?,
                _ => graphml::write(&mut w, &net, &label)?,
            };
        }
        DataFormat::Ical => {
            let mut entries = Vec::new();
            store.events(scope, &mut |e| {
                entries.extend(ical::EventEntry::from_event(&e, &label));
                Ok(())
            })?;
            let stamp = crate::commands::jubilees::dtstamp();
            ical::write(w, "keruen events", &stamp, entries)?;
        }
        DataFormat::Csl | DataFormat::Bibtex => {
            let mut sources = Vec::new();
            store.export(&mut |r| {
                if let keruen_model::Record::Source(s) = r {
                    sources.push(s);
                }
                Ok(())
            })?;
            match format {
                DataFormat::Csl => csl::write(w, &sources)?,
                _ => bibtex::write(w, &sources)?,
            }
        }
        DataFormat::LinkedPlaces => {
            let mut seen = std::collections::HashMap::<String, linked_places::Attestation>::new();
            store.events(scope, &mut |e| {
                if e.status == keruen_model::EventStatus::Cancelled {
                    return Ok(());
                }
                let (lo, hi) = e.date.as_ref().map(|d| d.bounds()).unwrap_or((None, None));
                for p in &e.places {
                    seen.entry(p.clone()).or_default().add(lo, hi);
                }
                Ok(())
            })?;
            let mut places: Vec<_> = names.entities().collect();
            places.sort_by(|a, b| a.id.cmp(&b.id));
            linked_places::write(w, places, &args.lang, &seen)?;
        }
        DataFormat::Jsonl | DataFormat::Csv | DataFormat::Jsonld => unreachable!("written by run"),
    }
    Ok(())
}
