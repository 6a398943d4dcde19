//! SQLite implementation of [`crate::Curation`].
use super::SqliteStore;
use crate::Curation;

impl Curation for SqliteStore {}
