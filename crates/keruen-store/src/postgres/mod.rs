//! The PostgreSQL backend, for a team or a public portal: several `keruen serve`
//! processes and batch ingestion sharing one server (`--db postgres://…`).
//!
//! **Driver.** The `postgres` crate: the synchronous client built on tokio-postgres.
//! The [`crate::Store`] traits are synchronous and the web server already calls them
//! through `spawn_blocking`; a synchronous client keeps every backend call an ordinary
//! blocking call on the caller's thread — from the CLI, from a test, from tokio's
//! blocking pool — with no runtime of our own to own, enter or shut down, and no
//! "runtime within a runtime" panic to guard against (each connection drives its own
//! small runtime, only inside its calls). tokio-postgres with deadpool would make us
//! wrap every call in `Runtime::block_on` for no gain: a connection serves one
//! request at a time either way. The pool is our own ([`pool`]): a few dozen lines,
//! bounded, with a statement cache per connection (a prepared statement saves a
//! round trip per query).
//!
//! **Schema.** `migrations/postgres/*.sql` mirror SQLite's tables and columns (see
//! `0001_init.sql` for the few differences and why), applied by [`migrate`]; the
//! version is kept in the table `keruen_schema`.
//!
//! **Writes and concurrency.** Every write transaction first takes one advisory lock
//! ([`WRITE_LOCK`]): writers queue, one at a time, exactly as SQLite's single writer
//! does, while readers (REPEATABLE READ snapshots) never wait. Serialising writers
//! keeps the audit log a true serial history — ids in commit order, the two entries
//! of a merge adjacent, as undo expects — and makes "is this source or event already
//! stored?" checks race-free across processes; unique constraints and
//! `ON CONFLICT` stay as a second line. `docs/deployment.md` discusses the choice.
//!
//! **Sharing.** The rules of curation are not here: they are written once in
//! `curate/` against [`crate::txn::Txn`], which [`txn`] implements; derived columns
//! come from `columns.rs`, the search plan from [`crate::SearchPlan`].
mod browse;
mod copy;
mod migrate;
mod pool;
mod read;
pub mod scratch;
mod search;
mod state;
mod tables;
mod txn;
mod write;

use crate::curate::accounts::check_actor_key;
use crate::{
    AuditEntry, EventScope, ImportOptions, ImportReport, IngestBundle, IngestReport, NamedEvent, Rejected,
    Result, SearchQuery, SearchResults, Stats, Store,
};
use keruen_model::{Entity, Event, Record, RecordLine, Source};
use pool::{Pool, Statements};
use postgres::types::ToSql;
use postgres::{IsolationLevel, Row, Statement};

/// Makes the statements of the current transaction planned for their values
/// (`SET LOCAL plan_cache_mode`), as a select-list item: it rides on a statement the
/// transaction runs anyway, or costs one round trip.
pub(crate) const CUSTOM_PLANS: &str = "set_config('plan_cache_mode', 'force_custom_plan', true)";

/// The advisory lock every write transaction takes first (an arbitrary constant:
/// "KRUNWRIT").
pub(crate) const WRITE_LOCK: i64 = 0x4B52_554E_5752_4954;

/// Connections a store opens at most.
const MAX_CONNECTIONS: usize = 16;

/// Parameters of a query.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

/// A keruen database on a PostgreSQL server.
pub struct PgStore {
    shown: String,
    pool: Pool,
}

impl PgStore {
    /// Whether `db` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
    pub fn is_url(db: &str) -> bool {
        db.starts_with("postgres://") || db.starts_with("postgresql://")
    }

    /// Connects to the database at `url`, creating keruen's tables if it is empty
    /// and migrating an older schema. Refuses a database that holds other tables, or
    /// that a newer keruen wrote, without changing it.
    pub fn create(url: &str) -> Result<Self> {
        Self::connect(url, true)
    }

    /// Connects to an existing keruen database (migrating an older schema); an empty
    /// database is refused, as a missing SQLite file is.
    pub fn open(url: &str) -> Result<Self> {
        Self::connect(url, false)
    }

    fn connect(url: &str, create: bool) -> Result<Self> {
        let shown = redact(url);
        let mut config: postgres::Config =
            url.parse().map_err(|e: postgres::Error| crate::StoreError::Invalid {
                line: 0,
                message: format!("{shown}: not a PostgreSQL connection URL: {e}"),
            })?;
        if config.get_application_name().is_none() {
            config.application_name("keruen");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let store = PgStore { pool: Pool::new(config, MAX_CONNECTIONS), shown };
        {
            let mut lease = store.pool.get()?;
            migrate::migrate(&mut lease.conn().client, &store.shown, create)?;
        }
        Ok(store)
    }

    /// The URL, without its password.
    pub fn url(&self) -> &str {
        &self.shown
    }

    /// Runs `f` in a write transaction, after the writers' lock.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut PgTx) -> Result<T>) -> Result<T> {
        let mut lease = self.pool.get()?;
        let pool::Conn { client, statements } = lease.conn();
        let mut tx = client.transaction()?;
        tx.execute(&format!("SELECT pg_advisory_xact_lock($1), {CUSTOM_PLANS}"), &[&WRITE_LOCK])?;
        let out = f(&mut PgTx { tx: &mut tx, statements, resolver: None })?;
        tx.commit()?;
        Ok(out)
    }

    /// [`PgStore::read`] for statements whose best plan depends on their values: a
    /// search's selectivity does — one state takes part in a tenth of the events,
    /// another in a handful — and a generic plan chosen after a few calls can be a
    /// thousand times slower. Each statement is planned for its values.
    pub(crate) fn read_planned<T>(&self, f: impl FnOnce(&mut PgTx) -> Result<T>) -> Result<T> {
        self.read(|tx| {
            tx.tx.execute(&format!("SELECT {CUSTOM_PLANS}"), &[])?;
            f(tx)
        })
    }

    /// Runs `f` in a read-only REPEATABLE READ transaction: one snapshot for all its
    /// queries, on a primary or a replica.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&mut PgTx) -> Result<T>) -> Result<T> {
        let mut lease = self.pool.get()?;
        let pool::Conn { client, statements } = lease.conn();
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = f(&mut PgTx { tx: &mut tx, statements, resolver: None })?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs one read statement outside any transaction: a statement sees one snapshot
    /// by itself, and BEGIN and COMMIT would be two more round trips for each of the
    /// several reads behind one page (the event, its names, its sources, its history).
    pub(crate) fn read_one(&self, sql: &str, params: &Params) -> Result<Vec<Row>> {
        let mut lease = self.pool.get()?;
        let pool::Conn { client, statements } = lease.conn();
        let st = statements.get_or_prepare(sql, |sql| client.prepare(sql))?;
        Ok(client.query(&st, params)?)
    }

    /// Runs `f` on a connection outside any transaction of ours (touching a token
    /// needs no lock).
    pub(crate) fn plain<T>(&self, f: impl FnOnce(&mut postgres::Client) -> Result<T>) -> Result<T> {
        let mut lease = self.pool.get()?;
        f(&mut lease.conn().client)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`, for messages.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    match auth {
        Some(a) => format!("{scheme}://{}@{host}", a.split(':').next().unwrap_or_default()),
        None => url.to_string(),
    }
}

/// One transaction, with the connection's prepared statements and (for writes) the
/// keys of entities and sources resolved so far.
pub(crate) struct PgTx<'a, 'c> {
    pub(crate) tx: &'a mut postgres::Transaction<'c>,
    statements: &'a mut Statements,
    pub(crate) resolver: Option<write::Resolver>,
}

impl PgTx<'_, '_> {
    /// The prepared statement of `sql`, prepared once per connection.
    pub(crate) fn prepared(&mut self, sql: &str) -> Result<Statement> {
        let tx = &mut *self.tx;
        self.statements.get_or_prepare(sql, |sql| tx.prepare(sql))
    }

    pub(crate) fn query(&mut self, sql: &str, params: &Params) -> Result<Vec<Row>> {
        let st = self.prepared(sql)?;
        Ok(self.tx.query(&st, params)?)
    }

    pub(crate) fn query_opt(&mut self, sql: &str, params: &Params) -> Result<Option<Row>> {
        let st = self.prepared(sql)?;
        Ok(self.tx.query_opt(&st, params)?)
    }

    pub(crate) fn query_one(&mut self, sql: &str, params: &Params) -> Result<Row> {
        let st = self.prepared(sql)?;
        Ok(self.tx.query_one(&st, params)?)
    }

    pub(crate) fn execute(&mut self, sql: &str, params: &Params) -> Result<u64> {
        let st = self.prepared(sql)?;
        Ok(self.tx.execute(&st, params)?)
    }

    /// A count (`SELECT count(*) …`).
    pub(crate) fn count(&mut self, sql: &str, params: &Params) -> Result<u64> {
        Ok(self.query_one(sql, params)?.get::<_, i64>(0) as u64)
    }
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    /// The row of `keruen_generation`, which triggers bump in every transaction that
    /// changes what search reads (migration 0001).
    fn generation(&self) -> Result<u64> {
        self.plain(|c| Ok(c.query_one("SELECT n FROM keruen_generation", &[])?.get::<_, i64>(0) as u64))
    }

    fn seed_gazetteer(&self, entities: &[Entity]) -> Result<usize> {
        // Most opens find the reference data unchanged: compare without the lock.
        if self.read(|tx| write::gazetteer_is_current(tx, entities))? {
            return Ok(0);
        }
        self.write(|tx| write::seed_gazetteer(tx, entities))
    }

    fn import(
        &self,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport> {
        self.write(|tx| {
            check_actor_key(tx, &options.actor, "import")?;
            write::import(tx, records, options, rejected)
        })
    }

    fn ingest(&self, bundle: &IngestBundle) -> Result<IngestReport> {
        self.write(|tx| {
            check_actor_key(tx, &bundle.actor, "ingest documents")?;
            write::ingest(tx, bundle, &bundle.actor)
        })
    }

    fn event(&self, key: &str) -> Result<Option<Event>> {
        read::event_from_rows(&self.read_one(&read::EVENT_SQL, &[&key])?)
    }

    fn named_event(&self, key: &str) -> Result<Option<NamedEvent>> {
        read::named_event_from_rows(&self.read_one(&read::NAMED_EVENT_SQL, &[&key])?)
    }

    fn entity(&self, key: &str) -> Result<Option<Entity>> {
        read::entity_from_rows(&self.read_one(read::ENTITY_SQL, &[&key])?)
    }

    fn source(&self, key: &str) -> Result<Option<Source>> {
        read::source_from_rows(&self.read_one(&read::SOURCE_SQL, &[&key])?)
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults> {
        self.read_planned(|tx| search::search(tx, query))
    }

    fn export(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        self.read(|tx| read::export(tx, sink))
    }

    fn events(&self, scope: EventScope, sink: &mut dyn FnMut(Event) -> Result<()>) -> Result<()> {
        self.read(|tx| read::events(tx, scope, sink))
    }

    fn entities(&self, sink: &mut dyn FnMut(Entity) -> Result<()>) -> Result<()> {
        self.read(|tx| read::entities(tx, sink))
    }

    fn stats(&self) -> Result<Stats> {
        self.read(read::stats)
    }

    fn history(&self, item: &str) -> Result<Vec<AuditEntry>> {
        Ok(read::history_from_rows(&self.read_one(&read::HISTORY_SQL, &[&item])?))
    }
}

#[cfg(test)]
mod tests {
    use super::{PgStore, scratch};

    /// Reads by key keep PostgreSQL's plan cache; searches, curation reads and writes
    /// plan each statement for its values, and say so only inside their transaction.
    #[test]
    fn point_reads_reuse_plans_and_value_dependent_transactions_plan_per_call() {
        let Some(server) = scratch::server() else { return };
        let db = scratch::ScratchDb::create(&server, "keruen_test_plans").unwrap();
        let store = PgStore::create(&db.url).unwrap();
        let mode = |rows: Vec<postgres::Row>| rows[0].get::<_, String>(0);
        let setting = "SELECT current_setting('plan_cache_mode')";
        assert_eq!(mode(store.read_one(setting, &[]).unwrap()), "auto");
        assert_eq!(store.read(|tx| Ok(mode(tx.query(setting, &[])?))).unwrap(), "auto");
        assert_eq!(store.read_planned(|tx| Ok(mode(tx.query(setting, &[])?))).unwrap(), "force_custom_plan");
        assert_eq!(store.write(|tx| Ok(mode(tx.query(setting, &[])?))).unwrap(), "force_custom_plan");
        // SET LOCAL ends with its transaction: the pooled connection is back to auto.
        assert_eq!(mode(store.read_one(setting, &[]).unwrap()), "auto");
    }

    #[test]
    fn passwords_are_left_out_of_urls_shown() {
        assert_eq!(super::redact("postgres://k:s3cret@db.example/keruen"), "postgres://k@db.example/keruen");
        assert_eq!(super::redact("postgres://k@db/keruen"), "postgres://k@db/keruen");
        assert_eq!(super::redact("postgresql://db/keruen"), "postgresql://db/keruen");
        assert!(super::super::PgStore::is_url("postgresql://x/y"));
        assert!(!super::super::PgStore::is_url("keruen.db"));
    }
}
