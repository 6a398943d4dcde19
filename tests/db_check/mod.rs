//! Looking at a keruen database from outside, with rusqlite: its soundness and a
//! fingerprint of every table's rows, to tell "nothing changed" or "the same as that
//! other database" without trusting the binary under test.
#![allow(dead_code)]
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// A read-only connection.
pub fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open the database")
}

/// `PRAGMA integrity_check` on a read-write connection: after a crash, recovery of
/// the write-ahead log happens here, as it would in the next keruen command.
pub fn integrity(db: &Path) -> String {
    let c = Connection::open(db).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

/// Rows that `PRAGMA foreign_key_check` reports.
pub fn foreign_key_violations(db: &Path) -> usize {
    let c = read_only(db);
    let mut st = c.prepare("PRAGMA foreign_key_check").unwrap();
    st.query_map([], |_| Ok(())).unwrap().count()
}

pub fn scalar(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Row count and a hash of what `sql` returns, row by row.
pub fn fingerprint(c: &Connection, sql: &str) -> (u64, u64) {
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    let mut rows = st.query([]).unwrap();
    let mut h = std::hash::DefaultHasher::new();
    let mut count = 0;
    while let Some(r) = rows.next().unwrap() {
        count += 1;
        for i in 0..n {
            match r.get_ref(i).unwrap() {
                ValueRef::Null => 0u8.hash(&mut h),
                ValueRef::Integer(v) => (1u8, v).hash(&mut h),
                ValueRef::Real(v) => (2u8, v.to_bits()).hash(&mut h),
                ValueRef::Text(v) => (3u8, v).hash(&mut h),
                ValueRef::Blob(v) => (4u8, v).hash(&mut h),
            }
        }
    }
    (count, h.finish())
}

/// Every table's rows (the full-text indexes through their shadow tables), but the
/// columns named in `skip`: equal maps mean equal contents.
pub fn contents(db: &Path, skip: &[&str]) -> BTreeMap<String, (u64, u64)> {
    let c = read_only(db);
    let tables: Vec<(String, String)> = c
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = BTreeMap::new();
    for (t, sql) in tables {
        let cols: Vec<String> = c
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .filter(|col: &String| !skip.contains(&col.as_str()))
            .collect();
        let list = cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
        let order = if sql.contains("WITHOUT ROWID") { list.clone() } else { "rowid".into() };
        out.insert(t.clone(), fingerprint(&c, &format!("SELECT {list} FROM \"{t}\" ORDER BY {order}")));
    }
    out
}
