//! Opening the database named by `--db`, and keeping its reference data current.
use anyhow::{Context, Result};
use keruen_gazetteer::Gazetteer;
use keruen_store::{SqliteStore, Store};
use std::path::Path;

/// Opens an existing database for reading.
pub fn open(path: &Path) -> Result<SqliteStore> {
    Ok(SqliteStore::open(path)?)
}

/// Opens a database for writing, creating it (with the reference data) when absent.
/// Returns whether it was created.
pub fn open_for_write(path: &Path) -> Result<(SqliteStore, bool)> {
    let created = !path.exists();
    let store = if created { SqliteStore::create(path)? } else { SqliteStore::open(path)? };
    seed(&store).with_context(|| format!("{}: cannot write the reference data", path.display()))?;
    Ok((store, created))
}

/// Writes the gazetteer's entities; unchanged ones cost a comparison only.
pub fn seed(store: &dyn Store) -> Result<usize> {
    Ok(store.seed_gazetteer(&Gazetteer::builtin().entities())?)
}
