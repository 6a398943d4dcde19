use std::path::PathBuf;

/// What went wrong in the store. Messages say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a keruen database.
    #[error("{path}: not a keruen database ({detail}); refusing to touch it")]
    NotKeruen {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
    /// The database was written by a newer keruen.
    #[error("{path}: database schema v{found} is newer than this keruen (v{supported}): upgrade keruen")]
    SchemaTooNew {
        /// The file.
        path: PathBuf,
        /// Schema version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// No database at the path.
    #[error("{0}: no keruen database here; create one with `keruen init`")]
    Missing(PathBuf),
    /// A record of an import is invalid; nothing was written.
    #[error("line {line}: {message}")]
    Invalid {
        /// 1-based line (or row) number in the input.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A key is unknown.
    #[error("no {kind} with id `{key}`")]
    NotFound {
        /// event, entity, source, user, …
        kind: &'static str,
        /// The key asked for.
        key: String,
    },
    /// The actor may not make this change.
    #[error("{actor} may not {action}: {reason}")]
    Forbidden {
        /// Who tried.
        actor: String,
        /// What they tried.
        action: String,
        /// Why not.
        reason: String,
    },
    /// A change conflicts with the stored state.
    #[error("{0}")]
    Conflict(String),
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("database error: {}", postgres_message(.0))]
    Postgres(postgres::Error),
    /// Stored JSON could not be read back.
    #[error("stored record is corrupt: {0}")]
    Json(#[from] serde_json::Error),
    /// A search index file is damaged, or not one this build reads.
    #[error("{path}: cannot read this search index ({detail}); rebuild it with `keruen index`")]
    BadIndex {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

// Not `#[from]`: that would also make the driver's error the `source`, and error
// chains (`{:#}`) would print PostgreSQL's message twice.
impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

impl StoreError {
    /// Another writer holds the database (SQLite's busy or locked after the wait; a
    /// PostgreSQL lock or statement timeout, or a serialization failure): the same
    /// request may succeed if tried again.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            }
            StoreError::Postgres(e) => e.code().is_some_and(|c| {
                [
                    postgres::error::SqlState::LOCK_NOT_AVAILABLE,
                    postgres::error::SqlState::T_R_SERIALIZATION_FAILURE,
                    postgres::error::SqlState::T_R_DEADLOCK_DETECTED,
                    postgres::error::SqlState::QUERY_CANCELED,
                ]
                .contains(c)
            }),
            _ => false,
        }
    }

    /// The database takes no writes here: a read-only SQLite file, or a PostgreSQL
    /// replica or read-only transaction.
    pub fn is_read_only(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                f.code == rusqlite::ErrorCode::ReadOnly
            }
            StoreError::Postgres(e) => {
                e.code() == Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION)
            }
            _ => false,
        }
    }
}

/// PostgreSQL's own message with its detail and hint, which `postgres::Error`'s
/// Display leaves out ("db error" alone says nothing).
fn postgres_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            if let Some(h) = db.hint() {
                m.push_str(&format!("; {h}"));
            }
            m
        }
        None => e.to_string(),
    }
}

/// Result with the store's error.
pub type Result<T> = std::result::Result<T, StoreError>;
