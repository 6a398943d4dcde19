//! Opening the database named by `--db`, and keeping its reference data current.
use anyhow::{Context, Result, bail};
use keruen_gazetteer::Gazetteer;
use keruen_store::{Actor, SqliteStore, Store};
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

/// Who a CLI write acts as: the local admin (whoever can write the file can do
/// anything to it), or with `--as USER` that user of the database, with their role.
pub fn actor(store: &dyn Store, as_user: Option<&str>) -> Result<Actor> {
    let Some(name) = as_user else { return Ok(Actor::local_admin()) };
    match store.user(name)? {
        Some(u) if u.disabled => bail!("--as {name}: the user is disabled"),
        Some(u) => Ok(u.actor()),
        None => bail!(
            "--as {name}: no such user in this database; add one with `keruen users add {name} --role ROLE`"
        ),
    }
}

/// Writes the gazetteer's entities; unchanged ones cost a comparison only.
pub fn seed(store: &dyn Store) -> Result<usize> {
    Ok(store.seed_gazetteer(&Gazetteer::builtin().entities())?)
}
