//! Rows for `COPY … FROM STDIN` in PostgreSQL's text format, built in memory and
//! sent in one go: the fast way in for bulk imports and for `keruen migrate-db`.
use super::PgTx;
use crate::Result;
use std::io::Write;

/// Rows of one table, tab-separated, `\N` for NULL, with `\`, tab, newline and
/// carriage return escaped.
pub(crate) struct CopyRows {
    buf: Vec<u8>,
    rows: usize,
    first: bool,
}

impl CopyRows {
    pub(crate) fn new() -> Self {
        CopyRows { buf: Vec::with_capacity(1 << 20), rows: 0, first: true }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b'\t');
        }
        self.first = false;
    }

    pub(crate) fn null(&mut self) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(b"\\N");
        self
    }

    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{v}");
        self
    }

    pub(crate) fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    /// A float, written so that it reads back to the same bits.
    pub(crate) fn real(&mut self, v: f64) -> &mut Self {
        self.sep();
        let _ = write!(self.buf, "{v:?}");
        self
    }

    pub(crate) fn bool(&mut self, v: bool) -> &mut Self {
        self.sep();
        self.buf.push(if v { b't' } else { b'f' });
        self
    }

    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        for &b in s.as_bytes() {
            match b {
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                _ => self.buf.push(b),
            }
        }
        self
    }

    pub(crate) fn opt_text(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    /// Ends the current row.
    pub(crate) fn end(&mut self) {
        self.buf.push(b'\n');
        self.rows += 1;
        self.first = true;
    }

    pub(crate) fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// Sends the rows to `table (columns)` and empties the buffer.
    pub(crate) fn send(&mut self, tx: &mut PgTx, table: &str, columns: &str) -> Result<()> {
        if self.rows > 0 {
            let mut w = tx.tx.copy_in(&format!("COPY {table} ({columns}) FROM STDIN"))?;
            w.write_all(&self.buf).map_err(|e| crate::StoreError::Io { path: table.into(), source: e })?;
            w.finish()?;
        }
        self.buf.clear();
        self.rows = 0;
        self.first = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_nulls_marked() {
        let mut r = CopyRows::new();
        r.int(1).text("a\tb\\c\nd").null().real(0.1).bool(true).end();
        assert_eq!(String::from_utf8(r.buf.clone()).unwrap(), "1\ta\\tb\\\\c\\nd\t\\N\t0.1\tt\n");
        assert_eq!(r.rows, 1);
    }
}
