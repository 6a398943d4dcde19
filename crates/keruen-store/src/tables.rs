//! Every table row by row, the same on every backend: what `keruen migrate-db`
//! copies from one database to another (SQLite ↔ PostgreSQL), ids, timestamps and
//! audit log included, and how it then proves the copy whole — a count and a
//! SHA-256 per table, over the rows in key order, computed the same way on both
//! sides.
//!
//! Only stored data is listed; what a backend derives (SQLite's FTS5 tables,
//! PostgreSQL's `search_body` and its `tsvector`) is rebuilt by the target as it
//! loads, from the same functions that compute it on every write.
use crate::{Result, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One value, as every backend can store it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// NULL.
    Null,
    /// An integer (booleans are 0 and 1).
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
}

impl Cell {
    /// The text, if it is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Integers.
    Int,
    /// Floats.
    Real,
    /// Text.
    Text,
    /// true/false (0/1 in SQLite).
    Bool,
}

/// A table as copied: its columns (in SQLite's names and order) and its key order.
#[derive(Debug)]
pub struct Table {
    /// The table.
    pub name: &'static str,
    /// Its stored columns.
    pub columns: &'static [(&'static str, Kind)],
    /// The columns of its key, for a stable order.
    pub order: &'static str,
    /// Whether its `id` comes from a sequence that must continue after the copy.
    pub serial: bool,
}

impl Table {
    /// The column list, each quoted (`end` is reserved in PostgreSQL).
    pub fn column_list(&self) -> String {
        self.columns.iter().map(|(c, _)| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
    }

    /// The index of a column.
    pub fn at(&self, column: &str) -> usize {
        self.columns.iter().position(|(c, _)| *c == column).expect("a column of the table")
    }
}

use Kind::{Bool, Int, Real, Text};

/// Every table, parents before children.
pub const TABLES: &[Table] = &[
    Table {
        name: "sources",
        columns: &[
            ("id", Int),
            ("key", Text),
            ("sha256", Text),
            ("csl_type", Text),
            ("title", Text),
            ("authors", Text),
            ("issued", Text),
            ("language", Text),
            ("file_name", Text),
            ("csl", Text),
            ("text", Text),
            ("created_at", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "entities",
        columns: &[
            ("id", Int),
            ("key", Text),
            ("kind", Text),
            ("name_en", Text),
            ("name_ru", Text),
            ("iso", Text),
            ("wikidata", Text),
            ("country", Text),
            ("lat", Real),
            ("lon", Real),
            ("dates", Text),
            ("dates_lo", Int),
            ("dates_hi", Int),
            ("description", Text),
            ("origin", Text),
            ("record", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "entity_names",
        columns: &[("entity_id", Int), ("text", Text), ("lang", Text), ("form", Text), ("folded", Text)],
        order: "entity_id, text, lang, form",
        serial: false,
    },
    Table {
        name: "events",
        columns: &[
            ("id", Int),
            ("key", Text),
            ("type", Text),
            ("title", Text),
            ("description", Text),
            ("date", Text),
            ("date_lo", Int),
            ("date_hi", Int),
            ("sort_day", Int),
            ("year", Int),
            ("status", Text),
            ("sectors", Text),
            ("countries", Text),
            ("review", Text),
            ("merged_into", Int),
            ("content_hash", Text),
            ("date_chosen_by", Text),
            ("type_chosen_by", Text),
            ("countries_chosen_by", Text),
            ("places_chosen_by", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "participants",
        columns: &[("event_id", Int), ("entity_id", Int), ("role", Text), ("position", Int)],
        order: "event_id, position",
        serial: false,
    },
    Table {
        name: "event_places",
        columns: &[("event_id", Int), ("entity_id", Int), ("position", Int)],
        order: "event_id, position",
        serial: false,
    },
    Table {
        name: "evidence",
        columns: &[
            ("id", Int),
            ("event_id", Int),
            ("source_id", Int),
            ("position", Int),
            ("start", Int),
            ("end", Int),
            ("quote", Text),
            ("page", Text),
            ("asserted_by", Text),
            ("confidence", Real),
            ("status", Text),
            ("claim", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "annotations",
        columns: &[
            ("id", Int),
            ("source_id", Int),
            ("kind", Text),
            ("start", Int),
            ("end", Int),
            ("text", Text),
            ("value", Text),
            ("target", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "archival_refs",
        columns: &[
            ("id", Int),
            ("source_id", Int),
            ("archive", Text),
            ("fond", Text),
            ("inventory", Text),
            ("case_no", Text),
            ("sheet", Text),
            ("start", Int),
            ("end", Int),
            ("text", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "bib_references",
        columns: &[
            ("id", Int),
            ("source_id", Int),
            ("idx", Int),
            ("start", Int),
            ("end", Int),
            ("text", Text),
            ("authors", Text),
            ("year", Text),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "citations",
        columns: &[
            ("id", Int),
            ("source_id", Int),
            ("author", Text),
            ("year", Text),
            ("pages", Text),
            ("start", Int),
            ("end", Int),
            ("text", Text),
            ("reference", Int),
        ],
        order: "id",
        serial: true,
    },
    Table {
        name: "users",
        columns: &[
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("disabled", Bool),
            ("created_at", Text),
        ],
        order: "name",
        serial: false,
    },
    Table {
        name: "tokens",
        columns: &[
            ("id", Text),
            ("user_name", Text),
            ("label", Text),
            ("hash", Text),
            ("created_at", Text),
            ("expires_at", Text),
            ("revoked_at", Text),
            ("last_used_at", Text),
        ],
        order: "id",
        serial: false,
    },
    Table { name: "not_duplicates", columns: &[("a", Text), ("b", Text)], order: "a, b", serial: false },
    Table {
        name: "audit",
        columns: &[
            ("id", Int),
            ("at", Text),
            ("actor", Text),
            ("action", Text),
            ("item", Text),
            ("before", Text),
            ("after", Text),
            ("reason", Text),
        ],
        order: "id",
        serial: true,
    },
];

/// A receiver of rows.
pub type RowSink<'a> = dyn FnMut(&[Cell]) -> Result<()> + 'a;

/// Row-level access to every table of [`TABLES`], for copying a database.
pub trait Tables {
    /// Streams the rows of `table` in key order.
    fn dump(&self, table: &Table, sink: &mut RowSink) -> Result<()>;
    /// Replaces everything with the rows `feed` gives, table by table in the order of
    /// [`TABLES`], in one transaction: `feed(table, write)` calls `write` once per
    /// row. The reference data already there is dropped first; anything else there
    /// makes it refuse.
    fn load(&self, feed: &mut dyn FnMut(&Table, &mut RowSink) -> Result<()>) -> Result<()>;
}

/// Count and checksum of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableSum {
    /// The table.
    pub table: String,
    /// Rows.
    pub rows: u64,
    /// SHA-256 (hex) over the rows in key order.
    pub sha256: String,
}

/// What a copy did: each table's count and checksum on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    /// Per table: the source's sum and the target's.
    pub tables: Vec<(TableSum, TableSum)>,
}

impl CopyReport {
    /// Whether every table arrived whole.
    pub fn matches(&self) -> bool {
        self.tables.iter().all(|(a, b)| a == b)
    }
}

/// Count and SHA-256 of the rows of `table`: each cell tagged with its kind, text
/// length-prefixed, floats by their bits, so that no two different tables hash alike.
pub fn checksum(store: &dyn Store, table: &Table) -> Result<TableSum> {
    let mut h = Sha256::new();
    let mut rows = 0u64;
    store.dump(table, &mut |cells| {
        rows += 1;
        for c in cells {
            match c {
                Cell::Null => h.update(b"N"),
                Cell::Int(i) => {
                    h.update(b"I");
                    h.update(i.to_le_bytes());
                }
                Cell::Real(f) => {
                    h.update(b"R");
                    h.update(f.to_bits().to_le_bytes());
                }
                Cell::Text(s) => {
                    h.update(b"T");
                    h.update((s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
            }
        }
        h.update(b"\n");
        Ok(())
    })?;
    Ok(TableSum { table: table.name.into(), rows, sha256: hex::encode(h.finalize()) })
}

/// Copies everything `from` holds into `to` — which must hold nothing but reference
/// data — in one transaction of `to`, then compares the two table by table.
/// Writers to `from` should be stopped while it runs; a change during the copy shows
/// as a mismatch.
pub fn copy_database(from: &dyn Store, to: &dyn Store) -> Result<CopyReport> {
    let target = to.stats()?;
    let users = to.list_users()?.len();
    if target.sources > 0 || target.events > 0 || target.audit > 0 || users > 0 {
        return Err(StoreError::Conflict(format!(
            "the target is not empty ({} sources, {} events, {} audit entries, {users} users): \
             copy into a new database",
            target.sources, target.events, target.audit
        )));
    }
    to.load(&mut |table, write| from.dump(table, write))?;
    let mut tables = Vec::new();
    for t in TABLES {
        tables.push((checksum(from, t)?, checksum(to, t)?));
    }
    Ok(CopyReport { tables })
}
