//! Reads that the web pages and the API need beyond the core [`crate::Store`]
//! operations: what a source page, an entity page or a map shows.
//!
//! Every backend implements [`Browse`]; the SQLite implementation is in
//! `sqlite/browse.rs`.

/// Page-oriented reads.
pub trait Browse {}
