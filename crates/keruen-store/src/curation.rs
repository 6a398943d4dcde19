//! Curation: review of candidate facts, duplicates and merges, conflicting evidence,
//! users, roles and API tokens. Every write names its actor, is checked against the
//! actor's role, and is appended to the audit log in the same transaction.
//!
//! Every backend implements [`Curation`]; the SQLite implementation is in
//! `sqlite/curation.rs`.

/// Curation operations.
pub trait Curation {}
