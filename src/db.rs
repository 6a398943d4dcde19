//! Opening the database named by `--db` — a file path is SQLite, a `postgres://…` or
//! `postgresql://…` URL is PostgreSQL — and keeping its reference data current.
//! Every command works on a `Box<dyn Store>` and never needs to know which.
use anyhow::{Context, Result, bail};
use keruen_gazetteer::Gazetteer;
use keruen_store::{Actor, PgStore, SqliteStore, Store, StoreError};
use std::path::Path;

/// The PostgreSQL URL that `path` is, if it is one.
pub fn postgres_url(path: &Path) -> Option<&str> {
    path.to_str().filter(|s| PgStore::is_url(s))
}

/// How to show `--db` in messages: a path as it is, a URL without its password.
pub fn shown(path: &Path) -> String {
    match postgres_url(path) {
        Some(url) => {
            let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
            match rest.rsplit_once('@') {
                Some((auth, host)) => format!("{scheme}://{}@{host}", auth.split(':').next().unwrap_or("")),
                None => url.to_string(),
            }
        }
        None => path.display().to_string(),
    }
}

/// Opens an existing database for reading.
pub fn open(path: &Path) -> Result<Box<dyn Store>> {
    Ok(match postgres_url(path) {
        Some(url) => Box::new(PgStore::open(url)?),
        None => Box::new(SqliteStore::open(path)?),
    })
}

/// Opens a database, creating it (its tables, without reference data) when absent
/// or empty. Returns whether it was created.
pub fn create(path: &Path) -> Result<(Box<dyn Store>, bool)> {
    Ok(match postgres_url(path) {
        Some(url) => match PgStore::open(url) {
            Ok(s) => (Box::new(s), false),
            Err(StoreError::Missing(_)) => (Box::new(PgStore::create(url)?), true),
            Err(e) => return Err(e.into()),
        },
        None => {
            let created = !path.exists();
            let store = if created { SqliteStore::create(path)? } else { SqliteStore::open(path)? };
            (Box::new(store), created)
        }
    })
}

/// Opens a database for writing, creating it (with the reference data) when absent.
/// Returns whether it was created.
pub fn open_for_write(path: &Path) -> Result<(Box<dyn Store>, bool)> {
    let (store, created) = create(path)?;
    seed(store.as_ref()).with_context(|| format!("{}: cannot write the reference data", shown(path)))?;
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
