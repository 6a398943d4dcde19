//! [`Tables`] in SQLite: rows out in key order, rows in with their ids, and the
//! full-text index rebuilt from them.
use super::SqliteStore;
use crate::columns::{event_body, source_body};
use crate::tables::{Cell, Kind, RowSink, TABLES, Table, Tables};
use crate::{Result, StoreError};
use rusqlite::types::{Value, ValueRef};

fn cell(v: ValueRef, kind: Kind) -> Result<Cell> {
    Ok(match (v, kind) {
        (ValueRef::Null, _) => Cell::Null,
        (ValueRef::Integer(i), Kind::Int | Kind::Bool) => Cell::Int(i),
        (ValueRef::Integer(i), Kind::Real) => Cell::Real(i as f64),
        (ValueRef::Real(f), Kind::Real) => Cell::Real(f),
        (ValueRef::Text(t), Kind::Text) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        (other, _) => {
            return Err(StoreError::Conflict(format!("stored value {other:?} is not a {kind:?}")));
        }
    })
}

fn value(c: &Cell) -> Value {
    match c {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::Integer(*i),
        Cell::Real(f) => Value::Real(*f),
        Cell::Text(s) => Value::Text(s.clone()),
    }
}

impl Tables for SqliteStore {
    fn dump(&self, table: &Table, sink: &mut RowSink) -> Result<()> {
        self.read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {} FROM {} ORDER BY {}",
                table.column_list(),
                table.name,
                table.order
            ))?;
            let mut rows = st.query([])?;
            let mut cells = Vec::with_capacity(table.columns.len());
            while let Some(r) = rows.next()? {
                cells.clear();
                for (i, (_, kind)) in table.columns.iter().enumerate() {
                    cells.push(cell(r.get_ref(i)?, *kind)?);
                }
                sink(&cells)?;
            }
            Ok(())
        })
    }

    fn load(&self, feed: &mut dyn FnMut(&Table, &mut RowSink) -> Result<()>) -> Result<()> {
        self.write(|tx| {
            let held: i64 = tx.query_row(
                "SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM events)
                      + (SELECT count(*) FROM audit) + (SELECT count(*) FROM users)",
                [],
                |r| r.get(0),
            )?;
            if held > 0 {
                return Err(StoreError::Conflict("the target database is not empty".into()));
            }
            // An event may be merged into a later one: check references at commit.
            tx.execute_batch(
                "PRAGMA defer_foreign_keys = ON; DELETE FROM entity_names; DELETE FROM entities;",
            )?;
            for table in TABLES {
                let marks = vec!["?"; table.columns.len()].join(", ");
                let mut st = tx.prepare(&format!(
                    "INSERT INTO {} ({}) VALUES ({marks})",
                    table.name,
                    table.column_list()
                ))?;
                let mut fts = match table.name {
                    "events" => Some(tx.prepare("INSERT INTO events_fts (rowid, body) VALUES (?1, ?2)")?),
                    "sources" => Some(tx.prepare("INSERT INTO sources_fts (rowid, body) VALUES (?1, ?2)")?),
                    _ => None,
                };
                let text =
                    |cells: &[Cell], column: &str| cells[table.at(column)].as_str().map(str::to_string);
                feed(table, &mut |cells| {
                    st.execute(rusqlite::params_from_iter(cells.iter().map(value)))?;
                    if let Some(fts) = &mut fts {
                        let body = if table.name == "events" {
                            event_body(
                                &text(cells, "type").unwrap_or_default(),
                                text(cells, "title").as_deref(),
                                text(cells, "description").as_deref(),
                            )
                        } else {
                            source_body(
                                &text(cells, "title").unwrap_or_default(),
                                text(cells, "authors").as_deref(),
                                text(cells, "text").as_deref(),
                            )
                        };
                        fts.execute(rusqlite::params![value(&cells[0]), body])?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
    }
}
