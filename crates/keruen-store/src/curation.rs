//! Curation: review of candidate facts, duplicates and merges, conflicting evidence,
//! users, roles and API tokens. Every write names its actor, is checked against the
//! actor's role, and is appended to the audit log in the same transaction.
//!
//! Every backend implements [`Curation`]; the SQLite implementation is in
//! `sqlite/curation.rs`.
//!
//! An event's curated state is an [`EventState`]: the event with its evidence, the
//! event it was merged into (if any) and who chose each disputed value. Every change
//! to an event appends an audit entry whose `before` and `after` are whole
//! `EventState`s, which is what makes undo and [`crate::replay`] exact.
use crate::auth::{Actor, TokenInfo, User, UserRole};
use crate::{
    AuditEntry, EventHit, ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result,
};
use keruen_model::{Edtf, Event, EventStatus, EventType, RecordLine, ReviewStatus, Role, Sector};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which events the review queue lists: candidates not merged away.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReviewFilter {
    /// Only events with evidence from this source (key).
    pub source: Option<String>,
    /// Only events of this type.
    pub event_type: Option<EventType>,
    /// Only events whose best evidence is at least this confident (0…1).
    pub min_confidence: Option<f32>,
    /// At most this many (default 50, at most 500); ignored by bulk review.
    pub limit: Option<usize>,
    /// Continue after this cursor (the `cursor` of the last item of a page).
    pub cursor: Option<String>,
}

/// One candidate event in the review queue, with its most confident evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The event.
    pub event: EventHit,
    /// Confidence of the evidence shown (the highest of the event's).
    pub confidence: f32,
    /// Key of the evidence's source.
    pub source: String,
    /// The sentence it came from.
    pub quote: Option<String>,
    /// Span in the source's text, in characters.
    pub start: Option<u32>,
    /// End of the span (exclusive).
    pub end: Option<u32>,
    /// Page or other locator.
    pub page: Option<String>,
    /// How many pieces of evidence the event has.
    pub evidence: usize,
    /// Pass as [`ReviewFilter::cursor`] to list what follows this item.
    pub cursor: String,
}

/// A curator's correction of an event; `None` leaves a field as it is. A field set
/// here is recorded as chosen by the editor (see [`ChosenBy`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventEdit {
    /// New type.
    pub event_type: Option<EventType>,
    /// New title.
    pub title: Option<String>,
    /// New date; `Some(None)` makes the event undated.
    pub date: Option<Option<Edtf>>,
    /// The states taking part (ISO codes with roles); replaces the state participants
    /// and keeps the others (organisations, people).
    pub countries: Option<Vec<(String, Role)>>,
    /// The places (entity ids).
    pub places: Option<Vec<String>>,
    /// Held, planned or cancelled.
    pub status: Option<EventStatus>,
    /// Fields of cooperation.
    pub sectors: Option<Vec<Sector>>,
    /// Description.
    pub description: Option<String>,
}

impl EventEdit {
    /// Whether the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        self.event_type.is_none()
            && self.title.is_none()
            && self.date.is_none()
            && self.countries.is_none()
            && self.places.is_none()
            && self.status.is_none()
            && self.sectors.is_none()
            && self.description.is_none()
    }
}

/// Who chose the value of each field that sources may disagree on (`user:NAME`);
/// `None`: nobody chose, the value is the one first extracted or imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenBy {
    /// Who chose the type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Who chose the date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Who chose the states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countries: Option<String>,
    /// Who chose the places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<String>,
}

impl ChosenBy {
    /// Whether nobody chose anything.
    pub fn is_empty(&self) -> bool {
        self == &ChosenBy::default()
    }

    /// Who chose `field`.
    pub fn get(&self, field: ConflictField) -> Option<&str> {
        match field {
            ConflictField::Type => self.event_type.as_deref(),
            ConflictField::Date => self.date.as_deref(),
            ConflictField::Countries => self.countries.as_deref(),
            ConflictField::Places => self.places.as_deref(),
        }
    }

    /// Records who chose `field`.
    pub fn set(&mut self, field: ConflictField, who: Option<String>) {
        let slot = match field {
            ConflictField::Type => &mut self.event_type,
            ConflictField::Date => &mut self.date,
            ConflictField::Countries => &mut self.countries,
            ConflictField::Places => &mut self.places,
        };
        *slot = who;
    }
}

/// An event as curation sees it: the event with its evidence, where it was merged,
/// and who chose its disputed values. The `before` and `after` of every audit entry
/// about an event hold one of these (the JSON of the event with two more fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventState {
    /// The event.
    #[serde(flatten)]
    pub event: Event,
    /// The event it was merged into; a merged event is hidden everywhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    /// Who chose which value.
    #[serde(default, skip_serializing_if = "ChosenBy::is_empty")]
    pub chosen_by: ChosenBy,
}

/// A field that sources can disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictField {
    /// The event type.
    Type,
    /// The date.
    Date,
    /// The states taking part.
    Countries,
    /// The places.
    Places,
}

impl ConflictField {
    /// Every field, in display order.
    pub const ALL: [ConflictField; 4] =
        [ConflictField::Date, ConflictField::Countries, ConflictField::Places, ConflictField::Type];

    /// The field's name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictField::Type => "type",
            ConflictField::Date => "date",
            ConflictField::Countries => "countries",
            ConflictField::Places => "places",
        }
    }
}

impl fmt::Display for ConflictField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConflictField {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        ConflictField::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| format!("unknown field `{s}`; expected date, countries, places or type"))
    }
}

/// One piece of evidence behind a claimed value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimSupport {
    /// Its number among the event's evidence, from 1 (as `keruen show` lists them).
    pub evidence: usize,
    /// Source key.
    pub source: String,
    /// Who or what asserted it (`user:NAME` or `EXTRACTOR@VERSION`).
    pub asserted_by: String,
    /// Its review status.
    pub status: ReviewStatus,
    /// Its confidence.
    pub confidence: f32,
    /// The sentence it came from.
    pub quote: Option<String>,
}

/// A value that one or more sources claim for a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimedValue {
    /// The value: an EDTF date, a type, or ids separated by spaces (sorted).
    pub value: String,
    /// Whether it is the event's current value.
    pub chosen: bool,
    /// The evidence claiming it.
    pub evidence: Vec<ClaimSupport>,
}

/// What the evidence of an event says about one field, and what was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The field.
    pub field: ConflictField,
    /// The event's value (same notation as [`ClaimedValue::value`]; empty: none).
    pub chosen: String,
    /// Who chose it; `None` when nobody did (the first value extracted or imported).
    pub chosen_by: Option<String>,
    /// Whether the sources disagree, or the value is one no source claims.
    pub disputed: bool,
    /// The distinct values claimed, each with its evidence; none is ever dropped.
    pub values: Vec<ClaimedValue>,
}

/// The disagreements among an event's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventConflicts {
    /// The event key.
    pub event: String,
    /// Every field some evidence makes a claim about.
    pub fields: Vec<FieldConflict>,
}

impl EventConflicts {
    /// Whether any field is disputed.
    pub fn disputed(&self) -> bool {
        self.fields.iter().any(|f| f.disputed)
    }
}

/// A curator's choice for a disputed field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// This date (`None`: undated).
    Date(Option<Edtf>),
    /// This type.
    Type(EventType),
    /// These states (ISO codes).
    Countries(Vec<String>),
    /// These places (entity ids).
    Places(Vec<String>),
    /// The value that the event's evidence number `evidence` (from 1) claims.
    FromEvidence {
        /// The field.
        field: ConflictField,
        /// The evidence's number, from 1.
        evidence: usize,
    },
}

/// Which duplicate proposals to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DuplicateQuery {
    /// Only proposals involving this event.
    pub event: Option<String>,
    /// Only proposals scoring at least this much (default 0.6).
    pub min_score: Option<f32>,
    /// At most this many (default 50).
    pub limit: Option<usize>,
    /// Also pairs of two accepted events (by default one of the two is a candidate).
    pub include_accepted: bool,
}

/// Two events that look like the same event attested by different sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateProposal {
    /// One event (the earlier one, which a merge would keep).
    pub a: EventHit,
    /// The other.
    pub b: EventHit,
    /// 0…1: how alike they are.
    pub score: f32,
    /// Why they look alike, or how they differ.
    pub reasons: Vec<String>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undone {
    /// The audit entry undone.
    pub entry: i64,
    /// Its action.
    pub action: String,
    /// The item restored.
    pub item: String,
}

/// Curation operations. Reads take no actor; every write takes `by`, checks its role
/// first and returns [`crate::StoreError::Forbidden`] with nothing changed when the
/// role does not allow it.
pub trait Curation {
    // --- users and tokens -------------------------------------------------------

    /// Adds a user (admin). An empty password means the user logs in with tokens only.
    fn add_user(&self, by: &Actor, name: &str, role: UserRole, password: &str) -> Result<User>;
    /// Every user, by name.
    fn list_users(&self) -> Result<Vec<User>>;
    /// The user with this name.
    fn user(&self, name: &str) -> Result<Option<User>>;
    /// Disables a user (admin): no more logins or tokens; their history stays.
    fn disable_user(&self, by: &Actor, name: &str) -> Result<()>;
    /// The user, if the name and password match and the user is enabled.
    fn verify_password(&self, name: &str, password: &str) -> Result<Option<User>>;
    /// Creates an API token for `user` (admin); returns it and its secret, which is
    /// shown this once and never stored. `expires_at` is RFC 3339.
    fn create_token(
        &self,
        by: &Actor,
        user: &str,
        label: &str,
        expires_at: Option<String>,
    ) -> Result<(TokenInfo, String)>;
    /// Revokes a token (admin).
    fn revoke_token(&self, by: &Actor, id: &str) -> Result<()>;
    /// Tokens, of one user or all.
    fn list_tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>>;
    /// The user a token acts as; `None` if unknown, expired, revoked or the user is
    /// disabled. Records when the token was last used (at most once a minute).
    fn authenticate_token(&self, secret: &str) -> Result<Option<User>>;

    // --- review -------------------------------------------------------------------

    /// Sets the review status of events (editor). Accepting also accepts their
    /// candidate evidence; rejecting rejects all their evidence. Unknown ids abort
    /// with nothing changed. Returns how many events changed.
    fn review(
        &self,
        by: &Actor,
        ids: &[String],
        decision: ReviewStatus,
        reason: Option<&str>,
    ) -> Result<usize>;
    /// Candidate events to review, in the order they were stored.
    fn review_queue(&self, filter: &ReviewFilter) -> Result<Vec<ReviewItem>>;
    /// Reviews every candidate that `filter` matches (its limit and cursor ignored),
    /// in one transaction. Returns how many changed.
    fn review_matching(
        &self,
        by: &Actor,
        filter: &ReviewFilter,
        decision: ReviewStatus,
        reason: Option<&str>,
    ) -> Result<usize>;
    /// Corrects an event (editor); the fields set are recorded as chosen by `by`.
    fn edit(&self, by: &Actor, id: &str, edit: &EventEdit, reason: Option<&str>) -> Result<Event>;
    /// The curated state of an event, merged ones included.
    fn event_state(&self, id: &str) -> Result<Option<EventState>>;

    // --- duplicates -------------------------------------------------------------------

    /// Pairs of events that look like one event attested twice, best first.
    fn duplicates(&self, query: &DuplicateQuery) -> Result<Vec<DuplicateProposal>>;
    /// Records that two events are not duplicates (editor), so they are no longer
    /// proposed.
    fn dismiss_duplicate(&self, by: &Actor, a: &str, b: &str, reason: Option<&str>) -> Result<()>;
    /// Merges `other` into `survivor` (editor): the survivor gets the other's evidence
    /// (each piece keeping what its source claims), the other is marked merged and
    /// hidden. Returns the survivor.
    fn merge(&self, by: &Actor, survivor: &str, other: &str, reason: Option<&str>) -> Result<Event>;
    /// Undoes the merge of `merged` (editor): its evidence goes back to it (with any
    /// review since) and it is shown again as it was. Returns it.
    fn unmerge(&self, by: &Actor, merged: &str, reason: Option<&str>) -> Result<Event>;
    /// Moves the evidence number `evidence` (from 1) of an event out into a new
    /// candidate event built from what that evidence claims (editor). Returns the new
    /// event.
    fn split(&self, by: &Actor, id: &str, evidence: usize, reason: Option<&str>) -> Result<Event>;

    // --- conflicting evidence ----------------------------------------------------------

    /// What the evidence of an event claims, field by field.
    fn conflicts(&self, id: &str) -> Result<EventConflicts>;
    /// Events (not merged, not rejected) whose evidence disagrees, in store order.
    fn disputed_events(&self, limit: usize) -> Result<Vec<EventHit>>;
    /// Chooses a value for a field (editor); the evidence that claims other values
    /// stays. Returns the event.
    fn resolve_conflict(
        &self,
        by: &Actor,
        id: &str,
        choice: &Resolution,
        reason: Option<&str>,
    ) -> Result<Event>;

    // --- history ----------------------------------------------------------------------

    /// Undoes the latest change to an event (editor): a review, edit or resolution is
    /// reverted to its `before`, a merge is unmerged. Refused for other changes, with
    /// a message saying what to do instead.
    fn undo(&self, by: &Actor, item: &str, reason: Option<&str>) -> Result<Undone>;
    /// Streams the audit log from entry `after + 1` on, oldest first, unredacted
    /// (password and token hashes included): for replay and backups only.
    fn audit_log(&self, after: i64, sink: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()>;
    /// Applies entries of another database's audit log, in one transaction, and
    /// appends them verbatim (admin); see [`crate::replay`].
    fn apply_audit(&self, by: &Actor, entries: &[AuditEntry]) -> Result<()>;

    // --- writes of the core store, with a role check ------------------------------------

    /// [`crate::Store::import`] by a user (editor): the audit names `by`.
    fn import_as(
        &self,
        by: &Actor,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport>;
    /// [`crate::Store::ingest`] by a user (editor): the audit names `by`, while the
    /// evidence stays asserted by the extractor.
    fn ingest_as(&self, by: &Actor, bundle: &IngestBundle) -> Result<IngestReport>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_state_is_the_event_json_with_two_more_fields() {
        let mut e = Event::new("ev-1", EventType::Festival, Some("2009-08".parse().unwrap()));
        e.title = Some("Festival".into());
        let plain = serde_json::to_value(&e).unwrap();
        let state = EventState {
            event: e.clone(),
            merged_into: Some("ev-0".into()),
            chosen_by: ChosenBy { date: Some("user:madina".into()), ..ChosenBy::default() },
        };
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["type"], "festival");
        assert_eq!(json["merged_into"], "ev-0");
        assert_eq!(json["chosen_by"]["date"], "user:madina");
        let back: EventState = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
        // A `create` entry holds the plain event: it reads as a state with nothing chosen.
        let created: EventState = serde_json::from_value(plain).unwrap();
        assert_eq!(created.event, e);
        assert!(created.merged_into.is_none() && created.chosen_by.is_empty());
    }

    #[test]
    fn fields_parse() {
        for f in ConflictField::ALL {
            assert_eq!(f.as_str().parse::<ConflictField>().unwrap(), f);
        }
        assert!("colour".parse::<ConflictField>().is_err());
    }
}
