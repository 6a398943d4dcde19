//! [`Tables`] in PostgreSQL: rows out in key order through a portal (a table of a
//! million audit entries is never held at once), rows in with `COPY`, the derived
//! `search_body` computed on the way and the id sequences moved past the copied ids.
use super::copy::CopyRows;
use super::{PgStore, PgTx};
use crate::columns::{event_body, source_body, tsvector_words};
use crate::tables::{Cell, Kind, RowSink, TABLES, Table, Tables};
use crate::{Result, StoreError};

/// Rows fetched from a portal at a time.
const FETCH: i32 = 5_000;
/// Bytes of COPY data sent at a time.
const SEND_BYTES: usize = 8 << 20;

fn cell(r: &postgres::Row, i: usize, kind: Kind) -> Cell {
    let cell = match kind {
        Kind::Int => r.get::<_, Option<i64>>(i).map(Cell::Int),
        Kind::Real => r.get::<_, Option<f64>>(i).map(Cell::Real),
        Kind::Text => r.get::<_, Option<String>>(i).map(Cell::Text),
        Kind::Bool => r.get::<_, Option<bool>>(i).map(|b| Cell::Int(i64::from(b))),
    };
    cell.unwrap_or(Cell::Null)
}

fn put(rows: &mut CopyRows, c: &Cell, kind: Kind) {
    match (c, kind) {
        (Cell::Null, _) => rows.null(),
        (Cell::Int(i), Kind::Bool) => rows.bool(*i != 0),
        (Cell::Int(i), Kind::Real) => rows.real(*i as f64),
        (Cell::Int(i), _) => rows.int(*i),
        (Cell::Real(f), _) => rows.real(*f),
        (Cell::Text(s), _) => rows.text(s),
    };
}

fn held(tx: &mut PgTx) -> Result<i64> {
    Ok(tx
        .query_one(
            "SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM events)
                  + (SELECT count(*) FROM audit) + (SELECT count(*) FROM users)",
            &[],
        )?
        .get(0))
}

impl Tables for PgStore {
    fn dump(&self, table: &Table, sink: &mut RowSink) -> Result<()> {
        self.read(|tx| {
            let sql = format!("SELECT {} FROM {} ORDER BY {}", table.column_list(), table.name, table.order);
            let portal = tx.tx.bind(sql.as_str(), &[])?;
            let mut cells = Vec::with_capacity(table.columns.len());
            loop {
                let rows = tx.tx.query_portal(&portal, FETCH)?;
                for r in &rows {
                    cells.clear();
                    cells.extend(table.columns.iter().enumerate().map(|(i, (_, kind))| cell(r, i, *kind)));
                    sink(&cells)?;
                }
                if rows.len() < FETCH as usize {
                    return Ok(());
                }
            }
        })
    }

    fn load(&self, feed: &mut dyn FnMut(&Table, &mut RowSink) -> Result<()>) -> Result<()> {
        self.write(|tx| {
            if held(tx)? > 0 {
                return Err(StoreError::Conflict("the target database is not empty".into()));
            }
            // An event may be merged into a later one: check references at commit.
            tx.tx.batch_execute("SET CONSTRAINTS ALL DEFERRED; DELETE FROM entity_names; DELETE FROM entities;")?;
            for table in TABLES {
                let derived = matches!(table.name, "events" | "sources");
                let columns =
                    if derived { format!("{}, search_body, search_tsv", table.column_list()) } else { table.column_list() };
                let mut rows = CopyRows::new();
                let text = |cells: &[Cell], column: &str| cells[table.at(column)].as_str().map(str::to_string);
                feed(table, &mut |cells| {
                    for (c, (_, kind)) in cells.iter().zip(table.columns) {
                        put(&mut rows, c, *kind);
                    }
                    let body = match table.name {
                        "events" => Some(event_body(
                            &text(cells, "type").unwrap_or_default(),
                            text(cells, "title").as_deref(),
                            text(cells, "description").as_deref(),
                        )),
                        "sources" => Some(source_body(
                            &text(cells, "title").unwrap_or_default(),
                            text(cells, "authors").as_deref(),
                            text(cells, "text").as_deref(),
                        )),
                        _ => None,
                    };
                    if let Some(body) = body {
                        rows.text(&body).tsvector(&tsvector_words(&body));
                    }
                    rows.end();
                    if rows.bytes() >= SEND_BYTES {
                        rows.send(tx, table.name, &columns)?;
                    }
                    Ok(())
                })?;
                rows.send(tx, table.name, &columns)?;
                if table.serial {
                    tx.tx.batch_execute(&format!(
                        "SELECT setval(pg_get_serial_sequence('{t}', 'id'), coalesce(max(id), 0) + 1, false) FROM {t}",
                        t = table.name
                    ))?;
                }
            }
            Ok(())
        })
    }
}
