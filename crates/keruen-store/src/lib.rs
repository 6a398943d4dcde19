//! keruen-store owns persistence: the [`Store`] trait and its SQLite implementation
//! ([`SqliteStore`]), the versioned migrations compiled into the binary, full-text
//! search over transliteration-folded text, and the append-only audit log.
//!
//! Every write runs in one transaction and appends to the audit log in that same
//! transaction, so that a crash leaves either everything or nothing. Writes are
//! idempotent: a source is identified by the SHA-256 of its text, an event or entity
//! by its key and the hash of its content; writing the same record twice adds nothing.
//!
//! Curation ([`Curation`]) sits on top: review of candidates, duplicates and merges,
//! conflicting evidence, users, roles and tokens. Every write takes the [`Actor`]
//! making it and refuses ([`StoreError::Forbidden`]) what the actor's role does not
//! allow, before changing anything. The audit log holds whole records and states, so
//! that [`replay`] rebuilds a database from it alone.
//!
//! The store never parses documents: it receives [`keruen_model::Record`]s and
//! [`IngestBundle`]s built by the layers above.
//!
//! ```
//! use keruen_store::{SqliteStore, Store, SearchQuery};
//! let dir = tempfile::tempdir().unwrap();
//! let store = SqliteStore::create(dir.path().join("k.db")).unwrap();
//! let hits = store.search(&SearchQuery::default()).unwrap();
//! assert_eq!(hits.total, 0);
//! ```
#![warn(missing_docs)]

mod auth;
mod browse;
mod columns;
mod conflicts;
mod curate;
mod curation;
pub mod duplicates;
mod error;
mod index;
mod postgres;
mod query;
mod replay;
mod sqlite;
mod tables;
mod txn;

pub use auth::{
    Actor, MIN_PASSWORD_CHARS, Permission, TOKEN_PREFIX, TokenInfo, User, UserRole, check_user_name,
};
pub use browse::{Browse, EntityName, NamedEvent, Page, PlaceCount, SourcePage, YearTypeCount};
pub use conflicts::conflicts;
pub use curation::{
    ChosenBy, ClaimSupport, ClaimedValue, ConflictField, Curation, DuplicateProposal, DuplicateQuery,
    EventConflicts, EventEdit, EventState, FieldConflict, Resolution, ReviewFilter, ReviewItem, Undone,
};
pub use replay::{ReplayReport, replay};

pub use error::{Result, StoreError};
pub use index::SearchIndex;
pub use postgres::{PgStore, scratch};
pub use query::{
    AuditEntry, EntityHit, EventHit, EventScope, Facet, Facets, ImportOptions, ImportReport, IngestBundle,
    IngestReport, Rejected, SearchPlan, SearchQuery, SearchResults, SourceHit, Stats,
};
pub use sqlite::{IndexFile, IndexState, SqliteStore};
pub use tables::{Cell, CopyReport, Kind, RowSink, TABLES, Table, TableSum, Tables, checksum, copy_database};

use keruen_model::{Entity, Event, Record, RecordLine, Source};

/// The operations every backend offers. Implementations are safe to share between
/// threads; each method is one transaction.
pub trait Store: Send + Sync + Browse + Curation + Tables {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Writes the reference entities of the gazetteer, replacing earlier versions of
    /// them. Returns how many were new or changed.
    fn seed_gazetteer(&self, entities: &[Entity]) -> Result<usize>;

    /// Imports records in one transaction. A bad record aborts the whole import
    /// (nothing is written) unless `options.skip_invalid`, in which case it is passed
    /// to `rejected` and the rest are imported.
    fn import(
        &self,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport>;

    /// Stores a source and everything extracted from it, as candidates, in one
    /// transaction. A source whose text is already stored adds nothing.
    fn ingest(&self, bundle: &IngestBundle) -> Result<IngestReport>;

    /// The event with this key, with its evidence.
    fn event(&self, key: &str) -> Result<Option<Event>>;

    /// The event with this key and the names and sources it refers to: what its
    /// page shows. PostgreSQL reads it in one statement, where three reads would be
    /// three round trips.
    fn named_event(&self, key: &str) -> Result<Option<NamedEvent>> {
        let Some(event) = self.event(key)? else { return Ok(None) };
        let (entities, sources) = event.referred_keys();
        Ok(Some(NamedEvent { names: self.names(&entities)?, sources: self.source_hits(&sources)?, event }))
    }
    /// The entity with this key.
    fn entity(&self, key: &str) -> Result<Option<Entity>>;
    /// The source with this key.
    fn source(&self, key: &str) -> Result<Option<Source>>;

    /// Events matching the query, with facet counts.
    fn search(&self, query: &SearchQuery) -> Result<SearchResults>;

    /// Every source, imported or ingested entity (not the gazetteer's) and event, in a
    /// stable order: sources, then entities, then events, each by insertion.
    fn export(&self, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()>;

    /// Streams the events in `scope` with participants, places and evidence, in
    /// insertion order — what analysis and the interchange formats read.
    fn events(&self, scope: EventScope, sink: &mut dyn FnMut(Event) -> Result<()>) -> Result<()>;

    /// Streams every entity, the gazetteer's included, in id order.
    fn entities(&self, sink: &mut dyn FnMut(Entity) -> Result<()>) -> Result<()>;

    /// Counts of what the database holds.
    fn stats(&self) -> Result<Stats>;

    /// The audit entries of one item (event, entity, source key), oldest first.
    fn history(&self, item: &str) -> Result<Vec<AuditEntry>>;

    /// A number that changes whenever data is written, by this store or by another
    /// process: what a cache of the data (the server's [`SearchIndex`]) compares to
    /// know whether it is still current. Opaque: only equality means something; cheap
    /// enough to ask before every read.
    fn generation(&self) -> Result<u64>;
}

/// The current time as RFC 3339 UTC, for the audit log.
pub(crate) fn now() -> String {
    jiff::Timestamp::now().round(jiff::Unit::Millisecond).map(|t| t.to_string()).unwrap_or_default()
}
