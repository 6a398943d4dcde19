//! The rules of curation, written once for every backend: [`crate::Curation`] for
//! any [`Backend`], in terms of the primitives of [`crate::txn::Txn`]. Each write
//! checks the actor's role before opening its transaction, so a refused write
//! touches nothing.
pub(crate) mod accounts;
pub(crate) mod apply;
mod merge;
pub(crate) mod review;
pub(crate) mod state;
mod sweep;

use crate::auth::{Actor, Permission, TokenInfo, User, UserRole};
use crate::conflicts::{claimed, conflicts, set_countries, set_field};
use crate::curation::{
    ConflictField, DuplicateProposal, DuplicateQuery, EventConflicts, EventEdit, EventState, Resolution,
    ReviewFilter, ReviewItem, Undone,
};
use crate::txn::Backend;
use crate::{
    AuditEntry, Curation, EventHit, ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected,
    Result, StoreError,
};
use keruen_model::{Event, RecordLine, ReviewStatus};

/// What a review decision is called in messages.
fn decide(decision: ReviewStatus) -> &'static str {
    match decision {
        ReviewStatus::Accepted => "accept events",
        ReviewStatus::Rejected => "reject events",
        ReviewStatus::Candidate => "reset reviews",
    }
}

fn apply_edit(s: &mut EventState, edit: &EventEdit, who: &str) {
    let e = &mut s.event;
    let mut chose = |field: ConflictField| s.chosen_by.set(field, Some(who.to_string()));
    if let Some(t) = edit.event_type {
        e.event_type = t;
        chose(ConflictField::Type);
    }
    if let Some(d) = &edit.date {
        e.date = d.clone();
        chose(ConflictField::Date);
    }
    if let Some(codes) = &edit.countries {
        set_countries(e, codes.iter().map(|(c, r)| (c.clone(), Some(*r))).collect());
        chose(ConflictField::Countries);
    }
    if let Some(p) = &edit.places {
        e.places = p.clone();
        chose(ConflictField::Places);
    }
    if let Some(t) = &edit.title {
        e.title = Some(t.clone()).filter(|t| !t.trim().is_empty());
    }
    if let Some(st) = edit.status {
        e.status = st;
    }
    if let Some(sec) = &edit.sectors {
        e.sectors = sec.clone();
    }
    if let Some(d) = &edit.description {
        e.description = Some(d.clone()).filter(|d| !d.trim().is_empty());
    }
}

/// The field a resolution sets and its value (in the notation of
/// [`crate::ClaimedValue::value`]).
fn resolution(s: &EventState, id: &str, choice: &Resolution) -> Result<(ConflictField, String)> {
    Ok(match choice {
        Resolution::Date(d) => (ConflictField::Date, d.as_ref().map(|d| d.to_string()).unwrap_or_default()),
        Resolution::Type(t) => (ConflictField::Type, t.to_string()),
        Resolution::Countries(c) => (ConflictField::Countries, c.join(" ")),
        Resolution::Places(p) => (ConflictField::Places, p.join(" ")),
        Resolution::FromEvidence { field, evidence } => {
            let ev = s.event.evidence.get(evidence.wrapping_sub(1)).ok_or_else(|| StoreError::Invalid {
                line: 0,
                message: format!(
                    "event `{id}` has evidence 1 to {}; there is no evidence {evidence}",
                    s.event.evidence.len()
                ),
            })?;
            let value =
                ev.claim.as_ref().and_then(|c| claimed(c, *field)).ok_or_else(|| StoreError::Invalid {
                    line: 0,
                    message: format!("evidence {evidence} of `{id}` claims no {field}"),
                })?;
            (*field, value)
        }
    })
}

impl<B: Backend> Curation for B {
    fn add_user(&self, by: &Actor, name: &str, role: UserRole, password: &str) -> Result<User> {
        by.require("add users", Permission::Administer)?;
        self.write_txn(|tx| accounts::add_user(tx, by, name, role, password))
    }

    fn list_users(&self) -> Result<Vec<User>> {
        self.read_txn(|tx| tx.list_users())
    }

    fn user(&self, name: &str) -> Result<Option<User>> {
        self.read_txn(|tx| tx.user(name))
    }

    fn disable_user(&self, by: &Actor, name: &str) -> Result<()> {
        by.require("disable users", Permission::Administer)?;
        self.write_txn(|tx| accounts::disable_user(tx, by, name))
    }

    fn verify_password(&self, name: &str, password: &str) -> Result<Option<User>> {
        self.read_txn(|tx| accounts::verify_password(tx, name, password))
    }

    fn create_token(
        &self,
        by: &Actor,
        user: &str,
        label: &str,
        expires_at: Option<String>,
    ) -> Result<(TokenInfo, String)> {
        by.require("create tokens", Permission::Administer)?;
        self.write_txn(|tx| accounts::create_token(tx, by, user, label, expires_at))
    }

    fn revoke_token(&self, by: &Actor, id: &str) -> Result<()> {
        by.require("revoke tokens", Permission::Administer)?;
        self.write_txn(|tx| accounts::revoke_token(tx, by, id))
    }

    fn list_tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        self.read_txn(|tx| tx.list_tokens(user))
    }

    fn authenticate_token(&self, secret: &str) -> Result<Option<User>> {
        let Some((id, user, last_used)) = self.read_txn(|tx| accounts::find_token(tx, secret))? else {
            return Ok(None);
        };
        // Recording the use is best-effort: a server reading a replica (read-only)
        // or a busy writer must not turn a valid token away.
        if accounts::use_is_stale(last_used.as_deref()) {
            let _ = self.touch_token(&id);
        }
        Ok(Some(user))
    }

    fn review(
        &self,
        by: &Actor,
        ids: &[String],
        decision: ReviewStatus,
        reason: Option<&str>,
    ) -> Result<usize> {
        by.require(decide(decision), Permission::Curate)?;
        self.write_txn(|tx| review::review(tx, by, ids, decision, reason))
    }

    fn review_queue(&self, filter: &ReviewFilter) -> Result<Vec<ReviewItem>> {
        self.read_txn(|tx| tx.review_queue(filter))
    }

    fn review_matching(
        &self,
        by: &Actor,
        filter: &ReviewFilter,
        decision: ReviewStatus,
        reason: Option<&str>,
    ) -> Result<usize> {
        by.require(decide(decision), Permission::Curate)?;
        self.write_txn(|tx| {
            let keys = tx.queue_keys(filter)?;
            review::review(tx, by, &keys, decision, reason)
        })
    }

    fn edit(&self, by: &Actor, id: &str, edit: &EventEdit, reason: Option<&str>) -> Result<Event> {
        by.require("edit events", Permission::Curate)?;
        let who = by.key();
        self.write_txn(|tx| {
            match state::change(tx, by, id, "edit", reason, |s| {
                apply_edit(s, edit, &who);
                Ok(())
            })? {
                Some(s) => Ok(s.event),
                None => Ok(state::require(tx, id)?.1.event),
            }
        })
    }

    fn event_state(&self, id: &str) -> Result<Option<EventState>> {
        self.read_txn(|tx| Ok(tx.load_state(id)?.map(|(_, s)| s)))
    }

    fn duplicates(&self, query: &DuplicateQuery) -> Result<Vec<DuplicateProposal>> {
        self.read_txn(|tx| sweep::duplicates(tx, query))
    }

    fn dismiss_duplicate(&self, by: &Actor, a: &str, b: &str, reason: Option<&str>) -> Result<()> {
        by.require("dismiss duplicates", Permission::Curate)?;
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        self.write_txn(|tx| {
            for key in [lo, hi] {
                state::require(tx, key)?;
            }
            if tx.insert_not_duplicate(lo, hi)? {
                let after = serde_json::json!({"a": lo, "b": hi}).to_string();
                for key in [lo, hi] {
                    tx.audit(&by.key(), "not-duplicate", key, None, Some(&after), reason)?;
                }
            }
            Ok(())
        })
    }

    fn merge(&self, by: &Actor, survivor: &str, other: &str, reason: Option<&str>) -> Result<Event> {
        by.require("merge events", Permission::Curate)?;
        self.write_txn(|tx| merge::merge(tx, by, survivor, other, reason)).map(|s| s.event)
    }

    fn unmerge(&self, by: &Actor, merged: &str, reason: Option<&str>) -> Result<Event> {
        by.require("unmerge events", Permission::Curate)?;
        self.write_txn(|tx| merge::unmerge(tx, by, merged, reason)).map(|s| s.event)
    }

    fn split(&self, by: &Actor, id: &str, evidence: usize, reason: Option<&str>) -> Result<Event> {
        by.require("split events", Permission::Curate)?;
        self.write_txn(|tx| merge::split(tx, by, id, evidence, reason))
    }

    fn conflicts(&self, id: &str) -> Result<EventConflicts> {
        self.read_txn(|tx| Ok(conflicts(&state::require(tx, id)?.1)))
    }

    fn disputed_events(&self, limit: usize) -> Result<Vec<EventHit>> {
        self.read_txn(|tx| review::disputed_events(tx, limit))
    }

    fn resolve_conflict(
        &self,
        by: &Actor,
        id: &str,
        choice: &Resolution,
        reason: Option<&str>,
    ) -> Result<Event> {
        by.require("resolve conflicts", Permission::Curate)?;
        let who = by.key();
        self.write_txn(|tx| {
            let changed = state::change(tx, by, id, "resolve", reason, |s| {
                let (field, value) = resolution(s, id, choice)?;
                set_field(&mut s.event, field, &value)?;
                s.chosen_by.set(field, Some(who.clone()));
                Ok(())
            })?;
            match changed {
                Some(s) => Ok(s.event),
                None => Ok(state::require(tx, id)?.1.event),
            }
        })
    }

    fn undo(&self, by: &Actor, item: &str, reason: Option<&str>) -> Result<Undone> {
        by.require("undo changes", Permission::Curate)?;
        self.write_txn(|tx| merge::undo(tx, by, item, reason))
    }

    fn audit_log(&self, after: i64, sink: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()> {
        self.read_txn(|tx| tx.audit_log(after, sink))
    }

    fn apply_audit(&self, by: &Actor, entries: &[AuditEntry]) -> Result<()> {
        by.require("replay an audit log", Permission::Administer)?;
        self.write_txn(|tx| entries.iter().try_for_each(|e| apply::apply(tx, e)))
    }

    fn import_as(
        &self,
        by: &Actor,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport> {
        by.require("import", Permission::Curate)?;
        let options = ImportOptions { actor: by.key(), ..options.clone() };
        self.write_txn(|tx| tx.import(records, &options, rejected))
    }

    fn ingest_as(&self, by: &Actor, bundle: &IngestBundle) -> Result<IngestReport> {
        by.require("ingest documents", Permission::Curate)?;
        self.write_txn(|tx| tx.ingest(bundle, &by.key()))
    }
}
