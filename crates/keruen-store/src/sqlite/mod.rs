//! The SQLite backend: one file, WAL, foreign keys on, migrations compiled in.
//!
//! One writer connection behind a mutex (SQLite allows one writer at a time anyway)
//! and a small pool of reader connections, which WAL lets run beside the writer.
mod browse;
mod duplicates;
mod read;
mod review;
mod search;
mod state;
mod tables;
mod txn;
mod users;
mod write;

use crate::curate::accounts::check_actor_key;
use crate::{
    AuditEntry, EventScope, ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result,
    SearchIndex, SearchQuery, SearchResults, Stats, Store, StoreError,
};
use keruen_model::{Entity, Event, Record, RecordLine, Source};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Runs `f` in an IMMEDIATE transaction (the write lock taken at the start) and
/// commits it; with `new_revision`, also gives the database a new revision
/// ([`SqliteStore::revision`]) when `f` changed a row (a write that finds everything
/// as it should be — the reference data of every command — keeps the revision).
fn in_write_transaction<T>(
    conn: &mut Connection,
    new_revision: bool,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
) -> Result<T> {
    let tx = rusqlite::Transaction::new(conn, rusqlite::TransactionBehavior::Immediate)?;
    // Rows inserted, updated or deleted on this connection, triggers' included.
    let changes = tx.total_changes();
    let out = f(&tx)?;
    if new_revision && tx.total_changes() != changes {
        // Random rather than counted: two copies of one file that each take a write
        // do not end at the same revision.
        tx.prepare_cached(
            "INSERT INTO meta(key, value) VALUES ('revision', lower(hex(randomblob(8)))) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?
        .execute([])?;
    }
    tx.commit()?;
    Ok(out)
}

/// How long the writer waits for another process's write transaction to end.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// `application_id` written into every keruen database: "KRUN".
const APPLICATION_ID: i64 = 0x4B52_554E;

/// The migrations, in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_curation.sql"),
];

/// Newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Readers kept open for reuse.
const MAX_IDLE_READERS: usize = 16;

/// A keruen database in one SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// A connection that only asks `PRAGMA data_version` ([`Store::generation`]).
    watcher: Mutex<Option<Connection>>,
}

impl SqliteStore {
    /// Creates a new database at `path` (or opens it if it is already a keruen
    /// database) and brings its schema up to date.
    pub fn create(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if path.exists() {
            check_is_keruen(&path)?;
        }
        let conn = Connection::open(&path)?;
        configure(&conn)?;
        migrate(&conn, &path)?;
        Ok(SqliteStore {
            path,
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            watcher: Mutex::new(None),
        })
    }

    /// Opens an existing keruen database; refuses a file that is not one, or that a
    /// newer keruen wrote, without modifying it. Migrates an older schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if !path.exists() {
            return Err(StoreError::Missing(path));
        }
        check_is_keruen(&path)?;
        Self::create(path)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where `keruen search` looks for the search index of this database: its path
    /// with `-index` appended (beside the `-wal` and `-shm` files SQLite keeps).
    pub fn index_path(&self) -> PathBuf {
        Self::index_path_for(&self.path)
    }

    /// [`index_path`](Self::index_path) of the database at `db`.
    pub fn index_path_for(db: &Path) -> PathBuf {
        let mut p = db.as_os_str().to_owned();
        p.push("-index");
        PathBuf::from(p)
    }

    /// The database's revision: its schema version and a random value every write
    /// transaction that changes a row replaces. A search index built at one revision
    /// answers for the database as long as it has that revision.
    pub fn revision(&self) -> Result<String> {
        self.read(|c| Ok(c.query_row(REVISION_SQL, [], |r| r.get(0))?))
    }

    /// Builds the search index and writes it to [`index_path`](Self::index_path).
    /// Refused if the database changed during the build.
    pub fn write_search_index(&self) -> Result<IndexFile> {
        let revision = self.revision()?;
        let index = SearchIndex::build(self)?;
        if self.revision()? != revision {
            return Err(StoreError::Conflict(
                "the database changed while its search index was built; build it again".into(),
            ));
        }
        let path = self.index_path();
        let bytes = index.save(&revision, &path)?;
        Ok(IndexFile { path, events: index.events(), bytes, build_time: index.build_time() })
    }

    /// The search index at [`index_path`](Self::index_path): whether there is one, and
    /// if it was built from the database as it is now, the index itself.
    pub fn search_index(&self) -> Result<IndexState> {
        index_state(&self.index_path(), &self.revision()?)
    }

    /// [`search_index`](Self::search_index) of the database at `path` without opening
    /// the store: one read-only connection checks the file is a keruen database and
    /// reads its revision (what `keruen search` does before anything else, so that an
    /// answer from the index costs no more than that). A database that is missing,
    /// not keruen's or too new is refused as [`open`](Self::open) refuses it.
    pub fn current_index(path: impl AsRef<Path>) -> Result<IndexState> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let Some(conn) = check_is_keruen(path)? else { return Ok(IndexState::Missing) };
        let revision: String = conn.query_row(REVISION_SQL, [], |r| r.get(0))?;
        drop(conn);
        index_state(&Self::index_path_for(path), &revision)
    }

    /// Runs `PRAGMA integrity_check` and returns its verdict (`ok` when sound).
    pub fn integrity_check(&self) -> Result<String> {
        let conn = self.writer.lock().expect("writer poisoned");
        Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }

    /// Runs `f` on the writer connection inside one transaction (IMMEDIATE, so that
    /// concurrent writers queue instead of failing mid-way).
    pub(crate) fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        in_write_transaction(&mut conn, true, f)
    }

    /// As [`write`](Self::write), but fails at once with a busy error instead of
    /// waiting for another writer.
    pub(crate) fn write_now<T>(&self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let Ok(mut conn) = self.writer.try_lock() else {
            return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                Some("the writer is busy".into()),
            )));
        };
        conn.busy_timeout(std::time::Duration::ZERO)?;
        // Only a session's last use is written this way: not a change of the data.
        let out = in_write_transaction(&mut conn, false, f);
        conn.busy_timeout(BUSY_TIMEOUT)?;
        out
    }

    fn open_reader(&self) -> Result<Connection> {
        let c = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        c.busy_timeout(std::time::Duration::from_secs(10))?;
        // 16 MB per reader: a server keeps one per core, and the operating system's
        // page cache holds the file anyway; searches mostly run on the in-memory index.
        c.pragma_update(None, "cache_size", -16_000)?;
        Ok(c)
    }

    /// Runs `f` on a reader connection.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = match self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            Some(c) => c,
            None => self.open_reader()?,
        };
        let out = f(&conn);
        let mut idle = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        out
    }
}

/// A search index written by [`SqliteStore::write_search_index`].
#[derive(Debug, Clone)]
pub struct IndexFile {
    /// Where.
    pub path: PathBuf,
    /// Events it holds.
    pub events: usize,
    /// Its size.
    pub bytes: u64,
    /// How long the build took.
    pub build_time: std::time::Duration,
}

/// What [`SqliteStore::search_index`] found.
pub enum IndexState {
    /// No index file.
    Missing,
    /// A file built before the database's last change.
    Stale,
    /// The index, current.
    Current(Box<SearchIndex>),
}

impl Drop for SqliteStore {
    /// Closes the readers first, then folds the write-ahead log back into the file,
    /// so that a large import does not leave a gigabyte of WAL for every later reader
    /// to scan (SQLite checkpoints only when the last connection closes, and a
    /// read-only connection cannot).
    fn drop(&mut self) {
        self.readers.lock().unwrap_or_else(|p| p.into_inner()).clear();
        *self.watcher.lock().unwrap_or_else(|p| p.into_inner()) = None;
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
    }
}

/// Refuses a file that is not a keruen database or is newer than this build, by
/// reading its header only (read-only connection: the file is never modified).
/// Returns that connection (none for an empty file).
fn check_is_keruen(path: &Path) -> Result<Option<Connection>> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
    if meta.is_dir() {
        return Err(StoreError::NotKeruen { path: path.into(), detail: "it is a directory".into() });
    }
    if meta.len() == 0 {
        // An empty file is what `touch` leaves; SQLite treats it as a new database.
        return Ok(None);
    }
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
        let n = f.read(&mut header).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
        if n < 16 || &header != b"SQLite format 3\0" {
            return Err(StoreError::NotKeruen {
                path: path.into(),
                detail: "it is not an SQLite file".into(),
            });
        }
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    if app != APPLICATION_ID && !(app == 0 && tables == 0) {
        return Err(StoreError::NotKeruen {
            path: path.into(),
            detail: if tables > 0 {
                format!("an SQLite database with {tables} objects of another application")
            } else {
                "an SQLite database of another application".into()
            },
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            path: path.into(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(Some(conn))
}

/// The SQL of [`SqliteStore::revision`].
const REVISION_SQL: &str = "SELECT (SELECT user_version FROM pragma_user_version) || '-' || \
     coalesce((SELECT value FROM meta WHERE key = 'revision'), '')";

/// The state of the index file at `index` for a database at `revision`: the file's
/// header is compared first, and the rest read only when it is current.
fn index_state(index: &Path, revision: &str) -> Result<IndexState> {
    if !index.exists() {
        return Ok(IndexState::Missing);
    }
    if SearchIndex::revision_of(index)? != revision {
        return Ok(IndexState::Stale);
    }
    let (ix, built_at) = SearchIndex::open(index)?;
    // Replaced between the two reads: the next search will see the new one.
    Ok(if built_at == revision { IndexState::Current(Box::new(ix)) } else { IndexState::Stale })
}

fn configure(conn: &Connection) -> Result<()> {
    // Larger pages mean shallower b-trees for a million events; only takes effect
    // on a new file (before the first table).
    conn.pragma_update(None, "page_size", 8192)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -262_144)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(())
}

fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            path: path.into(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let target = i as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}\nPRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {target}; COMMIT;"
        ))
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn seed_gazetteer(&self, entities: &[Entity]) -> Result<usize> {
        self.write(|tx| write::seed_gazetteer(tx, entities))
    }

    fn import(
        &self,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport> {
        self.write(|tx| {
            check_actor_key(&mut txn::SqliteTx::new(tx), &options.actor, "import")?;
            write::import(tx, records, options, rejected)
        })
    }

    fn ingest(&self, bundle: &IngestBundle) -> Result<IngestReport> {
        self.write(|tx| {
            check_actor_key(&mut txn::SqliteTx::new(tx), &bundle.actor, "ingest documents")?;
            write::ingest(tx, bundle, &bundle.actor)
        })
    }

    fn event(&self, key: &str) -> Result<Option<Event>> {
        self.read(|c| read::event(c, key))
    }

    fn entity(&self, key: &str) -> Result<Option<Entity>> {
        self.read(|c| read::entity(c, key))
    }

    fn source(&self, key: &str) -> Result<Option<Source>> {
        self.read(|c| read::source(c, key))
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        self.read(|c| search::search(c, query))
    }

    fn export(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        self.read(|c| read::export(c, sink))
    }

    fn events(&self, scope: EventScope, sink: &mut dyn FnMut(Event) -> Result<()>) -> Result<()> {
        self.read(|c| read::events(c, scope, sink))
    }

    fn entities(&self, sink: &mut dyn FnMut(Entity) -> Result<()>) -> Result<()> {
        self.read(|c| read::entities(c, sink))
    }

    fn stats(&self) -> Result<Stats> {
        self.read(read::stats)
    }

    fn history(&self, item: &str) -> Result<Vec<AuditEntry>> {
        self.read(|c| read::history(c, item))
    }

    /// `PRAGMA data_version` of a connection kept for the purpose: it changes when
    /// any other connection — this store's writer, another process — commits.
    fn generation(&self) -> Result<u64> {
        let mut watcher = self.watcher.lock().unwrap_or_else(|p| p.into_inner());
        let conn = match watcher.as_mut() {
            Some(c) => c,
            None => watcher.insert(self.open_reader()?),
        };
        let v: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(v as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_foreign_sqlite_file_without_touching_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
        drop(c);
        let before = std::fs::read(&path).unwrap();
        let err = SqliteStore::open(&path).err().unwrap();
        assert!(err.to_string().contains("not a keruen database"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        drop(SqliteStore::create(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(c);
        let err = SqliteStore::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
        assert!(err.to_string().contains("upgrade keruen"), "{err}");
    }

    #[test]
    fn a_write_that_changes_a_row_gives_a_new_revision_and_the_index_file_follows_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::create(dir.path().join("k.db")).unwrap();
        assert!(matches!(store.search_index().unwrap(), IndexState::Missing));
        let gazetteer = keruen_gazetteer::Gazetteer::builtin().entities();
        store.seed_gazetteer(&gazetteer).unwrap();
        let first = store.revision().unwrap();
        assert!(first.starts_with(&format!("{SCHEMA_VERSION}-")) && first.len() > 10, "{first}");
        let q = SearchQuery { text: Some("Alma-Ata".into()), facets: true, ..SearchQuery::default() };
        let from_sql = store.search(&q).unwrap();
        assert!(!from_sql.entities.is_empty(), "the gazetteer names Almaty");
        assert_eq!(store.revision().unwrap(), first, "reads leave the revision alone");

        let file = store.write_search_index().unwrap();
        assert_eq!(file.path, dir.path().join("k.db-index"));
        assert_eq!(file.bytes, std::fs::metadata(&file.path).unwrap().len());
        match store.search_index().unwrap() {
            IndexState::Current(index) => assert_eq!(index.search(&q).unwrap(), from_sql),
            _ => panic!("the index just written is current"),
        }
        // The same, found without opening the store.
        match SqliteStore::current_index(dir.path().join("k.db")).unwrap() {
            IndexState::Current(index) => assert_eq!(index.search(&q).unwrap(), from_sql),
            _ => panic!("current without the store too"),
        }
        let missing = SqliteStore::current_index(dir.path().join("none.db")).err().unwrap();
        assert!(matches!(missing, StoreError::Missing(_)), "{missing}");

        // A write that finds nothing to change keeps the revision; one that changes a
        // row makes a new one.
        store.seed_gazetteer(&gazetteer).unwrap();
        assert_eq!(store.revision().unwrap(), first);
        assert!(matches!(store.search_index().unwrap(), IndexState::Current(_)));
        store
            .write(|tx| Ok(tx.execute("UPDATE entities SET name_en = 'Changed' WHERE key = 'KZ'", [])?))
            .unwrap();
        let second = store.revision().unwrap();
        assert_ne!(second, first);
        assert!(matches!(store.search_index().unwrap(), IndexState::Stale));
        assert!(matches!(SqliteStore::current_index(dir.path().join("k.db")).unwrap(), IndexState::Stale));
        store.write_search_index().unwrap();
        assert!(matches!(store.search_index().unwrap(), IndexState::Current(_)));
        // The last use of a session token is not a change of the data.
        store
            .write_now(|tx| Ok(tx.execute("UPDATE meta SET value = value WHERE key = 'revision'", [])?))
            .unwrap();
        assert_eq!(store.revision().unwrap(), second);
    }

    #[test]
    fn a_damaged_index_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::create(dir.path().join("k.db")).unwrap();
        store.seed_gazetteer(&keruen_gazetteer::Gazetteer::builtin().entities()).unwrap();
        let path = store.write_search_index().unwrap().path;
        let good = std::fs::read(&path).unwrap();
        let refused = |bytes: &[u8], expect: &str| {
            std::fs::write(&path, bytes).unwrap();
            let err = match store.search_index() {
                Err(e) => e,
                Ok(_) => panic!("a damaged file was read ({expect})"),
            };
            assert!(matches!(err, StoreError::BadIndex { .. }), "{err}");
            let shown = err.to_string();
            assert!(shown.contains("k.db-index") && shown.contains(expect), "{shown}");
            assert!(shown.contains("keruen index"), "{shown}");
        };
        refused(&good[..good.len() / 2], "cut short");
        refused(b"", "not a keruen search index");
        refused(&vec![7u8; 4096], "not a keruen search index");
        let mut newer = good.clone();
        newer[8..16].copy_from_slice(&99u64.to_le_bytes());
        refused(&newer, "format 99");
        // A count larger than the file: refused before anything is allocated for it.
        let mut huge = good.clone();
        let at = 16 + 8 + (store.revision().unwrap().len()).next_multiple_of(8);
        huge[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        refused(&huge, "more than the file holds");
        std::fs::write(&path, &good).unwrap();
        assert!(matches!(store.search_index().unwrap(), IndexState::Current(_)));
    }

    #[test]
    fn create_is_idempotent_and_sets_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        drop(SqliteStore::create(&path).unwrap());
        let store = SqliteStore::create(&path).unwrap();
        let v: i64 = store.read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
}
