//! The primitive operations that curation needs from a backend, inside one
//! transaction. The rules of curation — what a review, an edit, a merge, an unmerge,
//! a split, an undo or a replayed audit entry does, who may do it, what is logged —
//! are written once, in `curate/`, against [`Txn`]; each backend implements these
//! primitives in its own SQL and gets [`crate::Curation`] from [`Backend`].
use crate::auth::{TokenInfo, User};
use crate::columns::SourceFacts;
use crate::curation::{EventState, ReviewFilter, ReviewItem};
use crate::{AuditEntry, ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result};
use keruen_model::{Entity, Event, EventType, RecordLine, Source};
use std::collections::HashSet;

/// Which audit entry to look up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AuditQuery<'a> {
    /// The latest entry about an item.
    LastAbout(&'a str),
    /// The latest entry about an item with this action.
    LastAboutWith(&'a str, &'a str),
    /// The entry with this id, if it has this action.
    Numbered(i64, &'a str),
}

/// What the duplicate sweep needs of an event.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub id: i64,
    pub lo: i32,
    pub hi: i32,
    pub date: String,
    pub candidate: bool,
    /// Row ids of the participants, sorted, without repeats.
    pub participants: Vec<i64>,
    /// Row ids of the places, sorted, without repeats.
    pub places: Vec<i64>,
}

/// A stored token, as authentication reads it.
#[derive(Debug, Clone)]
pub(crate) struct TokenRow {
    pub id: String,
    pub user: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// One transaction of a backend. Reads and writes; a read-only transaction is only
/// asked to read.
pub(crate) trait Txn {
    // --- events ---------------------------------------------------------------------

    /// The curated state of the event `key` and its row id.
    fn load_state(&mut self, key: &str) -> Result<Option<(i64, EventState)>>;
    /// Writes `state` over the event with row id `id` (row, participants, places,
    /// evidence, search text), keeping its content hash.
    fn save_state(&mut self, id: i64, state: &EventState) -> Result<()>;
    /// Inserts a new event (a split's, or a replayed creation); returns its row id.
    fn insert_event(&mut self, e: &Event) -> Result<i64>;
    /// Whether an event has this key.
    fn event_exists(&mut self, key: &str) -> Result<bool>;
    /// Whether an entity has this key.
    fn entity_exists(&mut self, key: &str) -> Result<bool>;
    /// The key of the event with row id `id`.
    fn event_key(&mut self, id: i64) -> Result<String>;

    // --- audit log ------------------------------------------------------------------

    /// Appends an entry, stamped now.
    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        item: &str,
        before: Option<&str>,
        after: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()>;
    /// One entry.
    fn audit_entry(&mut self, q: AuditQuery<'_>) -> Result<Option<AuditEntry>>;
    /// The id of the last entry (0 when empty).
    fn last_audit_id(&mut self) -> Result<i64>;
    /// Appends another database's entry verbatim: same id, time and actor.
    fn append_audit(&mut self, e: &AuditEntry) -> Result<()>;
    /// The whole log after entry `after`, unredacted.
    fn audit_log(&mut self, after: i64, sink: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()>;

    // --- review and duplicates --------------------------------------------------------

    /// A page of the review queue.
    fn review_queue(&mut self, f: &ReviewFilter) -> Result<Vec<ReviewItem>>;
    /// Keys of every candidate the filter matches (its limit and cursor ignored), in
    /// queue order.
    fn queue_keys(&mut self, f: &ReviewFilter) -> Result<Vec<String>>;
    /// Keys of live, not rejected events whose evidence holds claims written
    /// differently, in store order (they may still agree: checked by the caller).
    fn claim_variants(&mut self) -> Result<Vec<String>>;
    /// The live, dated, not rejected events of one type, by first day then row id.
    fn profiles(&mut self, t: EventType) -> Result<Vec<Profile>>;
    /// Pairs of event keys dismissed as not duplicates (a < b).
    fn dismissed(&mut self) -> Result<HashSet<(String, String)>>;
    /// Records a dismissed pair; whether it was new.
    fn insert_not_duplicate(&mut self, a: &str, b: &str) -> Result<bool>;

    // --- users and tokens ---------------------------------------------------------------

    /// A user.
    fn user(&mut self, name: &str) -> Result<Option<User>>;
    /// A user and their password hash.
    fn user_with_hash(&mut self, name: &str) -> Result<Option<(User, Option<String>)>>;
    /// Every user, by name.
    fn list_users(&mut self) -> Result<Vec<User>>;
    /// Inserts a user from the row its audit entry holds.
    fn insert_user(&mut self, row: &serde_json::Value) -> Result<()>;
    /// Marks a user disabled.
    fn set_user_disabled(&mut self, name: &str) -> Result<()>;
    /// Inserts a token from the row its audit entry holds.
    fn insert_token(&mut self, row: &serde_json::Value) -> Result<()>;
    /// `None`: no such token; `Some(None)`: not revoked.
    fn token_revoked_at(&mut self, id: &str) -> Result<Option<Option<String>>>;
    /// Marks a token revoked at `at`.
    fn set_token_revoked(&mut self, id: &str, at: &str) -> Result<()>;
    /// The token whose secret hashes to `hash`.
    fn token_by_hash(&mut self, hash: &str) -> Result<Option<TokenRow>>;
    /// Tokens, of one user or all, by creation.
    fn list_tokens(&mut self, user: Option<&str>) -> Result<Vec<TokenInfo>>;

    // --- writes of the core store ---------------------------------------------------------

    /// Imports records (see [`crate::Store::import`]).
    fn import(
        &mut self,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport>;
    /// Stores an ingest bundle; the audit entries name `actor`.
    fn ingest(&mut self, bundle: &IngestBundle, actor: &str) -> Result<IngestReport>;

    // --- replay ----------------------------------------------------------------------------

    /// Inserts a source that a replayed entry created (nothing logged).
    fn replay_source(&mut self, s: &Source) -> Result<()>;
    /// Inserts an entity that a replayed entry created (nothing logged).
    fn replay_entity(&mut self, e: &Entity) -> Result<()>;
    /// Inserts the facts an ingest found in the source `source`.
    fn insert_source_facts(&mut self, source: &str, facts: &SourceFacts) -> Result<()>;
    /// Sets the origin (`extract`, …) of an entity.
    fn set_entity_origin(&mut self, key: &str, origin: &str) -> Result<()>;
}

/// A backend: transactions on which the rules of curation run. Implementing it
/// gives [`crate::Curation`] (in `curate/mod.rs`).
pub(crate) trait Backend {
    /// Runs `f` in a read-only transaction (a consistent snapshot).
    fn read_txn<T>(&self, f: impl FnOnce(&mut dyn Txn) -> Result<T>) -> Result<T>;
    /// Runs `f` in a write transaction, committed when `f` succeeds.
    fn write_txn<T>(&self, f: impl FnOnce(&mut dyn Txn) -> Result<T>) -> Result<T>;
    /// Records that a token was used now (no audit: it changes no knowledge).
    fn touch_token(&self, id: &str) -> Result<()>;
}
