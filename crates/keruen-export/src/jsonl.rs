//! JSON Lines: one [`Record`] per line.
use crate::{MAX_LINE_BYTES, Result, tidy_json_error};
use keruen_model::{Record, RecordLine};
use std::io::{BufRead, Read, Write};

/// Writes one record as a line.
pub fn write<W: Write + ?Sized>(out: &mut W, record: &Record) -> Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Reads records line by line. Blank lines and lines starting with `#` are skipped.
pub fn read<R: BufRead>(reader: R) -> impl Iterator<Item = RecordLine> {
    Lines { reader, line: 0, done: false, buf: Vec::new() }
}

struct Lines<R> {
    reader: R,
    line: usize,
    done: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = RecordLine;

    fn next(&mut self) -> Option<RecordLine> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line += 1;
            let line = self.line;
            let limit = MAX_LINE_BYTES as u64 + 1;
            match (&mut self.reader).take(limit).read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(n) if n as u64 == limit && self.buf.last() != Some(&b'\n') => {
                    // Skip the rest of the overlong line so that later lines keep their
                    // numbers, without holding it: it may be any length.
                    skip_line(&mut self.reader);
                    self.buf = Vec::new();
                    return Some(RecordLine {
                        line,
                        record: Err(format!("line is longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024))),
                        raw: String::new(),
                    });
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(RecordLine {
                        line,
                        record: Err(format!("cannot read: {e}")),
                        raw: String::new(),
                    });
                }
            }
            let raw = match std::str::from_utf8(&self.buf) {
                Ok(s) => s.trim_end_matches(['\n', '\r']).to_string(),
                Err(e) => {
                    return Some(RecordLine {
                        line,
                        record: Err(format!("not valid UTF-8 (byte {})", e.valid_up_to() + 1)),
                        raw: String::from_utf8_lossy(&self.buf).trim_end().to_string(),
                    });
                }
            };
            let trimmed = raw.trim_start_matches('\u{feff}').trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let record = parse_line(trimmed);
            return Some(RecordLine { line, record, raw });
        }
    }
}

/// Consumes input up to and including the next line break, a buffer at a time.
fn skip_line<R: BufRead>(reader: &mut R) {
    loop {
        let (used, done) = match reader.fill_buf() {
            Ok([]) | Err(_) => return,
            Ok(buf) => match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            },
        };
        reader.consume(used);
        if done {
            return;
        }
    }
}

/// The `record` field alone: read first, cheaply (every other field is skipped
/// without allocating), so that the line can then be parsed straight into its type
/// instead of through an intermediate tree.
#[derive(serde::Deserialize)]
struct Tag<'a> {
    #[serde(borrow, default)]
    record: Option<std::borrow::Cow<'a, str>>,
}

/// Parses one line; the message says what is wrong in words.
pub fn parse_line(text: &str) -> std::result::Result<Record, String> {
    let tag: Tag = serde_json::from_str(text).map_err(|e| format!("bad JSON: {}", tidy_json_error(&e)))?;
    let kind = tag.record.ok_or("missing field `record` (source, entity or event)")?;
    let typed = |e: serde_json::Error| format!("{kind}: {}", tidy_json_error(&e));
    match kind.as_ref() {
        "source" => serde_json::from_str(text).map(Record::Source).map_err(typed),
        "entity" => serde_json::from_str(text).map(Record::Entity).map_err(typed),
        "event" => serde_json::from_str(text).map(Record::Event).map_err(typed),
        other => Err(format!("unknown record `{other}`; expected source, entity or event")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(input: &str) -> Vec<(usize, String)> {
        read(input.as_bytes()).filter_map(|l| l.record.err().map(|m| (l.line, m))).collect()
    }

    #[test]
    fn an_overlong_line_is_refused_and_the_next_keeps_its_number() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 4096];
        input.extend_from_slice(b"\n{\"record\":\"event\",\"id\":\"e1\",\"type\":\"festival\"}\n");
        // A small buffer, so that the skip crosses many refills.
        let lines: Vec<RecordLine> =
            read(std::io::BufReader::with_capacity(1000, input.as_slice())).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 1);
        assert_eq!(lines[0].record.as_ref().unwrap_err(), "line is longer than 32 MiB");
        assert_eq!(lines[1].line, 2);
        assert!(matches!(lines[1].record, Ok(Record::Event(_))), "{:?}", lines[1].record);
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let input = concat!(
            "# comment\n",
            "\n",
            "{\"record\":\"event\",\"id\":\"e1\",\"type\":\"festival\"}\n",
            "{not json}\n",
            "{\"record\":\"event\",\"id\":\"e2\"}\n",
            "{\"record\":\"event\",\"id\":\"e3\",\"type\":\"party\"}\n",
            "{\"record\":\"event\",\"id\":\"e4\",\"type\":\"festival\",\"date\":\"2019-13-45\"}\n",
            "{\"record\":\"thing\"}\n",
        );
        let errs = messages(input);
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert_eq!(errs[0].0, 4);
        assert!(errs[0].1.starts_with("bad JSON"), "{}", errs[0].1);
        assert!(errs[1].1.contains("missing field `type`"), "{}", errs[1].1);
        assert!(errs[2].1.contains("party"), "{}", errs[2].1);
        assert!(errs[3].1.contains("month 13"), "{}", errs[3].1);
        assert!(errs[4].1.contains("unknown record `thing`"), "{}", errs[4].1);
    }

    #[test]
    fn invalid_utf8_is_reported_not_fatal() {
        let mut input = b"{\"record\":\"event\",\"id\":\"e1\",\"type\":\"festival\"}\n".to_vec();
        input.extend_from_slice(b"\xff\xfe\n");
        let lines: Vec<_> = read(&input[..]).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].record.is_ok());
        assert!(lines[1].record.as_ref().unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn records_round_trip() {
        let line = "{\"record\":\"event\",\"id\":\"e1\",\"type\":\"festival\",\"date\":\"2019-09\"}";
        let rec = parse_line(line).unwrap();
        let mut out = Vec::new();
        write(&mut out, &rec).unwrap();
        assert_eq!(parse_line(std::str::from_utf8(&out).unwrap().trim()).unwrap(), rec);
    }
}
