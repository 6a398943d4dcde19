//! SQLite implementation of [`crate::Browse`].
use super::SqliteStore;
use crate::Browse;

impl Browse for SqliteStore {}
