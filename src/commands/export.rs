//! `keruen export`: JSONL or CSV to standard output or a file.
use crate::cli::{Cli, CsvTable, DataFormat, ExportArgs};
use crate::db;
use anyhow::{Context, Result};
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
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("{}: cannot write here", path.display()))?;
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
            tmp.persist(path).with_context(|| format!("{}: cannot write", path.display()))?;
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
            DataFormat::Jsonl => store.export(&mut |r| keruen_export::jsonl::write(w, &r).map_err(io))?,
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
        }
        Ok(())
    })
}
