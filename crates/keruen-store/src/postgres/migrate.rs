//! Versioned migrations, compiled in: `migrations/postgres/NNNN_*.sql`, applied in
//! order, each in its own transaction with the new version. The version lives in the
//! one-row table `keruen_schema`, which also marks the database as keruen's.
use crate::{Result, StoreError};
use postgres::Client;
use std::path::PathBuf;

/// The migrations, in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_curation.sql"),
];

/// Newest schema version this build knows (the same numbering as SQLite's).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A session lock held while checking and migrating, so that several processes
/// opening a new database at once create its tables once ("KRUNMIGR").
const MIGRATE_LOCK: i64 = 0x4B52_554E_4D49_4752;

/// Checks that the database is keruen's (or empty, when `create`) and not newer than
/// this build, and applies the migrations it lacks.
pub(crate) fn migrate(client: &mut Client, shown: &str, create: bool) -> Result<()> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK])?;
    let result = check_and_apply(client, shown, create);
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK])?;
    result
}

fn check_and_apply(client: &mut Client, shown: &str, create: bool) -> Result<()> {
    let path = || PathBuf::from(shown);
    let ours: bool = client.query_one("SELECT to_regclass('keruen_schema') IS NOT NULL", &[])?.get(0);
    let version: i64 = if ours {
        let row = client.query_one("SELECT application, version FROM keruen_schema", &[])?;
        let application: String = row.get(0);
        if application != "keruen" {
            return Err(StoreError::NotKeruen {
                path: path(),
                detail: format!("it belongs to `{application}`"),
            });
        }
        row.get(1)
    } else {
        let tables: i64 = client
            .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &[])?
            .get(0);
        if tables > 0 {
            return Err(StoreError::NotKeruen {
                path: path(),
                detail: format!("its schema holds {tables} tables of another application"),
            });
        }
        if !create {
            return Err(StoreError::Missing(path()));
        }
        0
    };
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { path: path(), found: version, supported: SCHEMA_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let target = i as i64 + 1;
        let mut tx = client.transaction()?;
        if target == 1 {
            tx.batch_execute(
                "CREATE TABLE keruen_schema (application TEXT NOT NULL, version BIGINT NOT NULL);
                 INSERT INTO keruen_schema VALUES ('keruen', 0);",
            )?;
        }
        tx.batch_execute(sql)?;
        tx.execute("UPDATE keruen_schema SET version = $1", &[&target])?;
        tx.commit()?;
    }
    Ok(())
}
