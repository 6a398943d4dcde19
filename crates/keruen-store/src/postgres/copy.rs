//! Rows for `COPY … FROM STDIN` in PostgreSQL's binary format, built in memory and
//! sent in one go: the fast way in for bulk imports and for `keruen migrate-db`.
//!
//! Binary rather than text: the server then reads each field by its length instead
//! of scanning for tabs and escapes and parsing numbers and `tsvector` literals —
//! that parsing was half of its work in a bulk import. Every integer column of
//! keruen's schema is `BIGINT`, every float `DOUBLE PRECISION`, so [`CopyRows::int`]
//! and [`CopyRows::real`] always send 8 bytes.
use super::PgTx;
use crate::Result;
use std::io::Write;

/// The signature, flags and (empty) header extension that open a binary COPY.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The field count -1 that closes it.
const TRAILER: &[u8] = &(-1i16).to_be_bytes();

/// Rows of one table: per row a field count, then per field its length in bytes
/// (-1 for NULL) and its bytes.
pub(crate) struct CopyRows {
    buf: Vec<u8>,
    rows: usize,
    /// Where the current row's field count goes, and the count so far.
    row: Option<(usize, i16)>,
}

impl CopyRows {
    pub(crate) fn new() -> Self {
        CopyRows { buf: Vec::with_capacity(1 << 20), rows: 0, row: None }
    }

    /// Starts a field of `len` bytes (-1: NULL).
    fn field(&mut self, len: i32) {
        match &mut self.row {
            Some((_, n)) => *n += 1,
            None => {
                self.row = Some((self.buf.len(), 1));
                self.buf.extend_from_slice(&[0, 0]);
            }
        }
        self.buf.extend_from_slice(&len.to_be_bytes());
    }

    fn len_of(bytes: usize) -> i32 {
        // PostgreSQL refuses fields over 1 GB anyway.
        i32::try_from(bytes).expect("a field of COPY is under 2 GiB")
    }

    pub(crate) fn null(&mut self) -> &mut Self {
        self.field(-1);
        self
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        self.field(8);
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub(crate) fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    pub(crate) fn real(&mut self, v: f64) -> &mut Self {
        self.field(8);
        self.buf.extend_from_slice(&v.to_bits().to_be_bytes());
        self
    }

    pub(crate) fn bool(&mut self, v: bool) -> &mut Self {
        self.field(1);
        self.buf.push(u8::from(v));
        self
    }

    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.field(Self::len_of(s.len()));
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    pub(crate) fn opt_text(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    /// A `tsvector` of `words` without positions, which must be sorted bytewise and
    /// distinct ([`crate::columns::tsvector_words`] gives them so): the server then
    /// takes them as they are.
    pub(crate) fn tsvector(&mut self, words: &[&str]) -> &mut Self {
        let len: usize = 4 + words.iter().map(|w| w.len() + 3).sum::<usize>();
        self.field(Self::len_of(len));
        self.buf.extend_from_slice(&Self::len_of(words.len()).to_be_bytes());
        for w in words {
            self.buf.extend_from_slice(w.as_bytes());
            self.buf.extend_from_slice(&[0, 0, 0]); // the lexeme's NUL, then 0 positions
        }
        self
    }

    /// Ends the current row.
    pub(crate) fn end(&mut self) {
        if let Some((at, n)) = self.row.take() {
            self.buf[at..at + 2].copy_from_slice(&n.to_be_bytes());
            self.rows += 1;
        }
    }

    pub(crate) fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// Sends the rows to `table (columns)` and empties the buffer.
    pub(crate) fn send(&mut self, tx: &mut PgTx, table: &str, columns: &str) -> Result<()> {
        self.copy(tx, table, columns, "FORMAT binary")
    }

    /// [`CopyRows::send`], with the rows frozen if `freeze`: written as visible to
    /// every transaction, so that nothing has to rewrite their pages later to mark
    /// them so, and later scans skip the visibility checks. Only into a table
    /// truncated (or created) in this transaction.
    pub(crate) fn send_frozen_if(
        &mut self,
        freeze: bool,
        tx: &mut PgTx,
        table: &str,
        columns: &str,
    ) -> Result<()> {
        self.copy(tx, table, columns, if freeze { "FORMAT binary, FREEZE" } else { "FORMAT binary" })
    }

    fn copy(&mut self, tx: &mut PgTx, table: &str, columns: &str, options: &str) -> Result<()> {
        if self.rows > 0 {
            let io = |e| crate::StoreError::Io { path: table.into(), source: e };
            let mut w = tx.tx.copy_in(&format!("COPY {table} ({columns}) FROM STDIN ({options})"))?;
            w.write_all(HEADER).map_err(io)?;
            w.write_all(&self.buf).map_err(io)?;
            w.write_all(TRAILER).map_err(io)?;
            w.finish()?;
        }
        self.buf.clear();
        self.rows = 0;
        self.row = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_carry_their_length_and_rows_their_field_count() {
        let mut r = CopyRows::new();
        r.int(1).text("a\tb").null().real(0.5).bool(true).end();
        r.tsvector(&["ab", "c"]).end();
        let mut want: Vec<u8> = vec![0, 5];
        want.extend([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1]);
        want.extend([0, 0, 0, 3, b'a', b'\t', b'b']);
        want.extend([0xff, 0xff, 0xff, 0xff]);
        want.extend([0, 0, 0, 8]);
        want.extend(0.5f64.to_bits().to_be_bytes());
        want.extend([0, 0, 0, 1, 1]);
        want.extend([0, 1, 0, 0, 0, 13, 0, 0, 0, 2, b'a', b'b', 0, 0, 0, b'c', 0, 0, 0]);
        assert_eq!(r.buf, want);
        assert_eq!(r.rows, 2);
        assert_eq!(HEADER.len(), 19);
    }

    /// The server reads back exactly what was written: escapes, NULLs, floats to the
    /// bit, Unicode, and the tsvector as `tsvector_words` orders it.
    #[test]
    fn values_round_trip_through_a_real_server() {
        use super::super::{PgStore, scratch};
        let Some(server) = scratch::server() else { return };
        let db = scratch::ScratchDb::create(&server, "keruen_test_copy").unwrap();
        let store = PgStore::create(&db.url).unwrap();
        let texts = ["tab\there", "line\nbreak\r\\back", "Алматы — Almaty", "", "\\N"];
        let reals = [0.1, -0.0, 1e300, f64::MIN_POSITIVE];
        let body = "days of culture days 1995 a zz";
        let words = crate::columns::tsvector_words(body);
        let got = store
            .write(|tx| {
                tx.tx.batch_execute(
                    "CREATE TEMP TABLE t (i BIGINT, x TEXT, r DOUBLE PRECISION, b BOOLEAN, v tsvector)",
                )?;
                let mut rows = CopyRows::new();
                for (n, (x, r)) in texts.iter().zip(reals.iter().cycle()).enumerate() {
                    rows.int(n as i64 - 2).text(x).real(*r).bool(n % 2 == 0).tsvector(&words).end();
                }
                rows.null().null().null().null().tsvector(&[]).end();
                rows.send(tx, "t", "i, x, r, b, v")?;
                let want_v = crate::columns::tsvector(body);
                let same: bool = tx
                    .query_one(
                        "SELECT bool_and(v = $1::text::tsvector) FROM t WHERE i IS NOT NULL",
                        &[&want_v],
                    )?
                    .get(0);
                assert!(same, "the tsvector differs from its text form");
                tx.query("SELECT i, x, r, b, v::text FROM t ORDER BY i NULLS LAST", &[])
            })
            .unwrap();
        assert_eq!(got.len(), texts.len() + 1);
        for (n, row) in got.iter().take(texts.len()).enumerate() {
            assert_eq!(row.get::<_, i64>(0), n as i64 - 2);
            assert_eq!(row.get::<_, String>(1), texts[n]);
            assert_eq!(row.get::<_, f64>(2).to_bits(), reals[n % reals.len()].to_bits());
            assert_eq!(row.get::<_, bool>(3), n % 2 == 0);
        }
        let last = &got[texts.len()];
        assert_eq!(last.get::<_, Option<i64>>(0), None);
        assert_eq!(last.get::<_, Option<String>>(1), None);
        assert_eq!(last.get::<_, Option<f64>>(2), None);
        assert_eq!(last.get::<_, Option<bool>>(3), None);
        assert_eq!(last.get::<_, String>(4), "");
    }
}
