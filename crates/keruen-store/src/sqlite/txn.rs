//! The curation primitives ([`Txn`]) on an SQLite connection.
use super::write::{self, Resolver};
use super::{SqliteStore, duplicates, read, review, state, users};
use crate::auth::{TokenInfo, User};
use crate::columns::SourceFacts;
use crate::curation::{EventState, ReviewFilter, ReviewItem};
use crate::txn::{AuditQuery, Backend, Profile, TokenRow, Txn};
use crate::{
    AuditEntry, ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result, StoreError,
};
use keruen_model::{Entity, Event, EventType, RecordLine, Source};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

/// A connection inside a transaction (or a reader), with the keys of entities and
/// sources resolved so far (a replay resolves many).
pub(crate) struct SqliteTx<'a> {
    c: &'a Connection,
    resolver: Option<Resolver>,
}

impl<'a> SqliteTx<'a> {
    pub(crate) fn new(c: &'a Connection) -> Self {
        SqliteTx { c, resolver: None }
    }

    fn resolver(&mut self) -> Result<&mut Resolver> {
        if self.resolver.is_none() {
            self.resolver = Some(Resolver::load(self.c)?);
        }
        Ok(self.resolver.as_mut().expect("just loaded"))
    }
}

impl Backend for SqliteStore {
    fn read_txn<T>(&self, f: impl FnOnce(&mut dyn Txn) -> Result<T>) -> Result<T> {
        self.read(|c| f(&mut SqliteTx::new(c)))
    }

    fn write_txn<T>(&self, f: impl FnOnce(&mut dyn Txn) -> Result<T>) -> Result<T> {
        self.write(|tx| f(&mut SqliteTx::new(tx)))
    }

    /// Best-effort and never waiting: while another process holds the write lock
    /// (a long import), a request with a token must not stall for the busy timeout.
    fn touch_token(&self, id: &str) -> Result<()> {
        self.write_now(|tx| users::touch_token(tx, id))
    }
}

impl Txn for SqliteTx<'_> {
    fn load_state(&mut self, key: &str) -> Result<Option<(i64, EventState)>> {
        state::load(self.c, key)
    }

    fn save_state(&mut self, id: i64, s: &EventState) -> Result<()> {
        state::save(self.c, id, s)
    }

    fn insert_event(&mut self, e: &Event) -> Result<i64> {
        state::insert(self.c, e)
    }

    fn event_exists(&mut self, key: &str) -> Result<bool> {
        Ok(self.c.query_row("SELECT EXISTS (SELECT 1 FROM events WHERE key = ?1)", [key], |r| r.get(0))?)
    }

    fn entity_exists(&mut self, key: &str) -> Result<bool> {
        Ok(self.c.query_row("SELECT EXISTS (SELECT 1 FROM entities WHERE key = ?1)", [key], |r| r.get(0))?)
    }

    fn event_key(&mut self, id: i64) -> Result<String> {
        Ok(self.c.prepare_cached("SELECT key FROM events WHERE id = ?1")?.query_row([id], |r| r.get(0))?)
    }

    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        item: &str,
        before: Option<&str>,
        after: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()> {
        write::audit(self.c, actor, action, item, before, after, reason)
    }

    fn audit_entry(&mut self, q: AuditQuery<'_>) -> Result<Option<AuditEntry>> {
        const COLS: &str = "SELECT id, at, actor, action, item, before, after, reason FROM audit";
        let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<AuditEntry>> {
            Ok(self
                .c
                .prepare_cached(&format!("{COLS} {sql}"))?
                .query_row(p, read::audit_from_row)
                .optional()?)
        };
        match q {
            AuditQuery::LastAbout(item) => one("WHERE item = ?1 ORDER BY id DESC LIMIT 1", &[&item]),
            AuditQuery::LastAboutWith(item, action) => {
                one("WHERE item = ?1 AND action = ?2 ORDER BY id DESC LIMIT 1", &[&item, &action])
            }
            AuditQuery::Numbered(id, action) => one("WHERE id = ?1 AND action = ?2", &[&id, &action]),
        }
    }

    fn last_audit_id(&mut self) -> Result<i64> {
        Ok(self.c.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?)
    }

    fn append_audit(&mut self, e: &AuditEntry) -> Result<()> {
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        self.c
            .prepare_cached(
                "INSERT INTO audit (id, at, actor, action, item, before, after, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![e.id, e.at, e.actor, e.action, e.item, json(&e.before), json(&e.after), e.reason])?;
        Ok(())
    }

    fn audit_log(&mut self, after: i64, sink: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()> {
        read::audit_log(self.c, after, sink)
    }

    fn review_queue(&mut self, f: &ReviewFilter) -> Result<Vec<ReviewItem>> {
        review::review_queue(self.c, f)
    }

    fn queue_keys(&mut self, f: &ReviewFilter) -> Result<Vec<String>> {
        review::queue_keys(self.c, f)
    }

    fn claim_variants(&mut self) -> Result<Vec<String>> {
        review::claim_variants(self.c)
    }

    fn profiles(&mut self, t: EventType) -> Result<Vec<Profile>> {
        duplicates::profiles(self.c, t)
    }

    fn dismissed(&mut self) -> Result<HashSet<(String, String)>> {
        let mut st = self.c.prepare_cached("SELECT a, b FROM not_duplicates")?;
        Ok(st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_not_duplicate(&mut self, a: &str, b: &str) -> Result<bool> {
        Ok(self.c.execute("INSERT OR IGNORE INTO not_duplicates (a, b) VALUES (?1, ?2)", [a, b])? > 0)
    }

    fn user(&mut self, name: &str) -> Result<Option<User>> {
        users::user(self.c, name)
    }

    fn user_with_hash(&mut self, name: &str) -> Result<Option<(User, Option<String>)>> {
        users::user_with_hash(self.c, name)
    }

    fn list_users(&mut self) -> Result<Vec<User>> {
        users::list_users(self.c)
    }

    fn insert_user(&mut self, row: &serde_json::Value) -> Result<()> {
        users::insert_user(self.c, row)
    }

    fn set_user_disabled(&mut self, name: &str) -> Result<()> {
        self.c.execute("UPDATE users SET disabled = 1 WHERE name = ?1", [name])?;
        Ok(())
    }

    fn insert_token(&mut self, row: &serde_json::Value) -> Result<()> {
        users::insert_token(self.c, row)
    }

    fn token_revoked_at(&mut self, id: &str) -> Result<Option<Option<String>>> {
        Ok(self.c.query_row("SELECT revoked_at FROM tokens WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    fn set_token_revoked(&mut self, id: &str, at: &str) -> Result<()> {
        self.c.execute("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1", params![id, at])?;
        Ok(())
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<TokenRow>> {
        users::token_by_hash(self.c, hash)
    }

    fn list_tokens(&mut self, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        users::list_tokens(self.c, user)
    }

    fn import(
        &mut self,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport> {
        write::import(self.c, records, options, rejected)
    }

    fn ingest(&mut self, bundle: &IngestBundle, actor: &str) -> Result<IngestReport> {
        write::ingest(self.c, bundle, actor)
    }

    fn replay_source(&mut self, s: &Source) -> Result<()> {
        let c = self.c;
        write::put_source(c, self.resolver()?, s, None).map_err(StoreError::Conflict)?;
        Ok(())
    }

    fn replay_entity(&mut self, e: &Entity) -> Result<()> {
        let c = self.c;
        write::put_entity(c, self.resolver()?, e, "import", None).map_err(StoreError::Conflict)?;
        Ok(())
    }

    fn insert_source_facts(&mut self, source: &str, facts: &SourceFacts) -> Result<()> {
        let id: i64 = self
            .c
            .query_row("SELECT id FROM sources WHERE key = ?1", [source], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::Conflict(format!("replay: `{source}` is not in the database yet")))?;
        write::insert_source_facts(self.c, id, facts)
    }

    fn set_entity_origin(&mut self, key: &str, origin: &str) -> Result<()> {
        self.c.execute("UPDATE entities SET origin = ?2 WHERE key = ?1", [key, origin])?;
        Ok(())
    }
}
