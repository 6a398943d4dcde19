//! CSV: one table per record kind, with a header row. Lists inside a cell are
//! separated by `;` (participants as `KZ:host;TM:guest`); nested values (evidence,
//! names, authors, archival unit) are JSON cells, so that the CSV is lossless.
//! Columns are documented in `docs/formats.md`.
use crate::{MAX_LINE_BYTES, Result};
use keruen_model::{
    ArchivalUnit, Author, Coordinates, Entity, Event, Evidence, Name, Participant, Record, RecordLine, Source,
};
use std::io::{Read, Write};

/// The kind of records a CSV table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Events.
    Events,
    /// Sources.
    Sources,
    /// Entities.
    Entities,
}

/// Columns of the events table.
pub const EVENT_COLUMNS: &[&str] = &[
    "id",
    "type",
    "title",
    "date",
    "status",
    "review",
    "countries",
    "participants",
    "places",
    "sectors",
    "description",
    "evidence",
];
/// Columns of the sources table.
pub const SOURCE_COLUMNS: &[&str] = &[
    "id",
    "sha256",
    "type",
    "title",
    "author",
    "issued",
    "container-title",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher-place",
    "URL",
    "DOI",
    "ISSN",
    "language",
    "archival",
    "file_name",
    "text",
];
/// Columns of the entities table.
pub const ENTITY_COLUMNS: &[&str] =
    &["id", "kind", "names", "iso", "wikidata", "country", "lat", "lon", "dates", "description"];

impl Table {
    /// Its columns.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Events => EVENT_COLUMNS,
            Table::Sources => SOURCE_COLUMNS,
            Table::Entities => ENTITY_COLUMNS,
        }
    }

    /// Recognises a table by its header.
    pub fn from_header(header: &[&str]) -> std::result::Result<Table, String> {
        for t in [Table::Events, Table::Sources, Table::Entities] {
            if header == t.columns() {
                return Ok(t);
            }
        }
        // A hostile first line can be any length: show its start.
        let mut shown = header.join(",");
        if shown.chars().count() > 200 {
            shown = shown.chars().take(200).collect::<String>() + "…";
        }
        Err(format!(
            "header `{shown}` is not one of keruen's CSV tables; expected the columns\n  events: {}\n  sources: {}\n  entities: {}",
            EVENT_COLUMNS.join(","),
            SOURCE_COLUMNS.join(","),
            ENTITY_COLUMNS.join(",")
        ))
    }
}

/// Writes records of one table as CSV.
pub struct Writer<W: Write> {
    inner: ::csv::Writer<W>,
    table: Table,
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

impl<W: Write> Writer<W> {
    /// A writer that starts with the header of `table`.
    pub fn new(out: W, table: Table) -> Result<Self> {
        let mut inner = ::csv::Writer::from_writer(out);
        inner.write_record(table.columns())?;
        Ok(Writer { inner, table })
    }

    /// Writes `record` if it belongs to this table; returns whether it did.
    pub fn write(&mut self, record: &Record) -> Result<bool> {
        match (self.table, record) {
            (Table::Events, Record::Event(e)) => self.event(e)?,
            (Table::Sources, Record::Source(s)) => self.source(s)?,
            (Table::Entities, Record::Entity(e)) => self.entity(e)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn event(&mut self, e: &Event) -> Result<()> {
        let participants =
            e.participants.iter().map(|p| format!("{}:{}", p.entity, p.role)).collect::<Vec<_>>().join(";");
        let sectors = e.sectors.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(";");
        let evidence =
            if e.evidence.is_empty() { String::new() } else { serde_json::to_string(&e.evidence)? };
        self.inner.write_record([
            e.id.as_str(),
            e.event_type.as_str(),
            opt(&e.title),
            &e.date.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            e.status.as_str(),
            e.review.as_str(),
            &e.countries().join(";"),
            &participants,
            &e.places.join(";"),
            &sectors,
            opt(&e.description),
            &evidence,
        ])?;
        Ok(())
    }

    fn source(&mut self, s: &Source) -> Result<()> {
        let author = if s.author.is_empty() { String::new() } else { serde_json::to_string(&s.author)? };
        let archival = s.archival.as_ref().map(serde_json::to_string).transpose()?.unwrap_or_default();
        self.inner.write_record([
            s.id.as_str(),
            &s.sha256,
            &s.csl_type,
            &s.title,
            &author,
            &s.issued.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            opt(&s.container_title),
            opt(&s.volume),
            opt(&s.issue),
            opt(&s.page),
            opt(&s.publisher),
            opt(&s.publisher_place),
            opt(&s.url),
            opt(&s.doi),
            opt(&s.issn),
            opt(&s.language),
            &archival,
            opt(&s.file_name),
            opt(&s.text),
        ])?;
        Ok(())
    }

    fn entity(&mut self, e: &Entity) -> Result<()> {
        let coord =
            |f: fn(&Coordinates) -> f64| e.coordinates.as_ref().map(|c| f(c).to_string()).unwrap_or_default();
        self.inner.write_record([
            e.id.as_str(),
            e.kind.as_str(),
            &serde_json::to_string(&e.names)?,
            opt(&e.iso),
            opt(&e.wikidata),
            opt(&e.country),
            &coord(|c| c.lat),
            &coord(|c| c.lon),
            &e.dates.as_ref().map(|d| d.to_string()).unwrap_or_default(),
            opt(&e.description),
        ])?;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> Result<W> {
        self.inner.into_inner().map_err(|e| crate::ExportError::Io(e.into_error()))
    }
}

/// Reads a CSV table; its kind is recognised from the header. Row numbers count the
/// header as row 1, as a spreadsheet does.
pub fn read<R: Read>(input: R) -> std::result::Result<impl Iterator<Item = RecordLine>, String> {
    let input = LineLimit { inner: input, run: 0, quoted: false, tripped: false };
    let mut reader = ::csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input);
    let header = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let cols: Vec<&str> = header.iter().map(|h| h.trim_start_matches('\u{feff}')).collect();
    let table = Table::from_header(&cols)?;
    let width = cols.len();
    // After a failure to read (an overlong row), what the parser still holds is a
    // fragment, not a row: the input ends there.
    let mut ended = false;
    Ok(reader.into_records().enumerate().map_while(move |(i, row)| {
        if ended {
            return None;
        }
        let line = i + 2;
        Some(match row {
            Err(e) => {
                ended = matches!(e.kind(), ::csv::ErrorKind::Io(_));
                RecordLine { line, record: Err(format!("cannot read the row: {e}")), raw: String::new() }
            }
            Ok(row) => {
                let raw = row.iter().collect::<Vec<_>>().join(",");
                let record = if row.len() != width {
                    Err(format!("row has {} columns, the header has {width}", row.len()))
                } else {
                    let cells: Vec<&str> = row.iter().collect();
                    parse_row(table, &cells)
                };
                RecordLine { line, record, raw }
            }
        })
    }))
}

/// Ends the input, with an error, at a row longer than [`MAX_LINE_BYTES`]: the csv
/// crate holds a whole row in memory, and a hostile file can make one of any length.
/// Rows end at line breaks outside quotes (a quoted field may hold line breaks; its
/// doubled quotes `""` toggle twice).
struct LineLimit<R> {
    inner: R,
    /// Bytes since the last row ended.
    run: usize,
    quoted: bool,
    tripped: bool,
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.tripped {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let mut longest = self.run;
        for &b in &buf[..n] {
            self.run += 1;
            match b {
                b'"' => self.quoted = !self.quoted,
                b'\n' if !self.quoted => self.run = 0,
                _ => {}
            }
            longest = longest.max(self.run);
        }
        if longest > MAX_LINE_BYTES {
            self.tripped = true;
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "a row is longer than {} MiB; the rest of the file was not read",
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
        Ok(n)
    }
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn parsed<T: std::str::FromStr>(column: &str, s: &str) -> std::result::Result<Option<T>, String>
where
    T::Err: std::fmt::Display,
{
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|e| format!("column `{column}`: {e}"))
}

fn required<T: std::str::FromStr>(column: &str, s: &str) -> std::result::Result<T, String>
where
    T::Err: std::fmt::Display,
{
    parsed(column, s)?.ok_or_else(|| format!("column `{column}` is empty"))
}

fn json<T: serde::de::DeserializeOwned>(column: &str, s: &str) -> std::result::Result<Option<T>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    serde_json::from_str(s)
        .map(Some)
        .map_err(|e| format!("column `{column}`: {}", crate::tidy_json_error(&e)))
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty())
}

fn parse_row(table: Table, c: &[&str]) -> std::result::Result<Record, String> {
    match table {
        Table::Events => {
            let mut e =
                Event::new(required::<String>("id", c[0])?, required("type", c[1])?, parsed("date", c[3])?);
            e.title = some(c[2]);
            e.status = parsed("status", c[4])?.unwrap_or_default();
            e.review = parsed("review", c[5])?.unwrap_or_default();
            // c[6], countries, is derived from participants and only there for readers.
            e.participants = list(c[7])
                .map(|p| {
                    let (entity, role) = p.rsplit_once(':').unwrap_or((p, "participant"));
                    Ok(Participant { entity: entity.to_string(), role: required("participants", role)? })
                })
                .collect::<std::result::Result<_, String>>()?;
            e.places = list(c[8]).map(str::to_string).collect();
            e.sectors = list(c[9]).map(|s| required("sectors", s)).collect::<std::result::Result<_, _>>()?;
            e.description = some(c[10]);
            e.evidence = json::<Vec<Evidence>>("evidence", c[11])?.unwrap_or_default();
            Ok(Record::Event(e))
        }
        Table::Sources => {
            let mut s = Source::from_text(required::<String>("title", c[3])?, "");
            s.text = some(c[18]);
            s.id = c[0].to_string();
            s.sha256 = c[1].to_string();
            s.csl_type = if c[2].is_empty() { "document".into() } else { c[2].to_string() };
            s.author = json::<Vec<Author>>("author", c[4])?.unwrap_or_default();
            s.issued = parsed("issued", c[5])?;
            s.container_title = some(c[6]);
            s.volume = some(c[7]);
            s.issue = some(c[8]);
            s.page = some(c[9]);
            s.publisher = some(c[10]);
            s.publisher_place = some(c[11]);
            s.url = some(c[12]);
            s.doi = some(c[13]);
            s.issn = some(c[14]);
            s.language = some(c[15]);
            s.archival = json::<ArchivalUnit>("archival", c[16])?;
            s.file_name = some(c[17]);
            Ok(Record::Source(s))
        }
        Table::Entities => {
            let lat = parsed::<f64>("lat", c[6])?;
            let lon = parsed::<f64>("lon", c[7])?;
            let coordinates = match (lat, lon) {
                (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
                (None, None) => None,
                _ => {
                    return Err("columns `lat` and `lon` must both be given or both be empty".into());
                }
            };
            Ok(Record::Entity(Entity {
                id: required("id", c[0])?,
                kind: required("kind", c[1])?,
                names: json::<Vec<Name>>("names", c[2])?.ok_or("column `names` is empty")?,
                iso: some(c[3]),
                wikidata: some(c[4]),
                country: some(c[5]),
                coordinates,
                dates: parsed("dates", c[8])?,
                description: some(c[9]),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{EventType, Role};

    #[test]
    fn an_overlong_row_ends_the_input_and_a_long_header_is_shown_short() {
        let header = EVENT_COLUMNS.join(",");
        // A quoted field with line breaks is one row: it counts whole.
        let field = "a\n".repeat(MAX_LINE_BYTES / 2 + 10);
        let input =
            format!("{header}\ne1,festival,\"{field}\",2019,held,accepted,,KZ:host,,,,\ne2,festival\n");
        let lines: Vec<RecordLine> = read(input.as_bytes()).unwrap().collect();
        assert_eq!(lines.len(), 1, "the input ends at the overlong row");
        let message = lines[0].record.as_ref().unwrap_err();
        assert!(message.contains("a row is longer than 32 MiB"), "{message}");

        let junk = "w".repeat(5000);
        let message = read(junk.as_bytes()).err().unwrap();
        assert!(message.len() < 1000 && message.contains("www…`"), "{message}");
        let message = read(vec![b'w'; MAX_LINE_BYTES + 10].as_slice()).err().unwrap();
        assert!(message.contains("cannot read the header: a row is longer than 32 MiB"), "{message}");
    }

    #[test]
    fn events_round_trip_through_csv() {
        let mut e = Event::new("e1", EventType::CultureDays, Some("2008-04-25/2008-05-02".parse().unwrap()));
        e.title = Some("Days of Culture, \"quoted\"; with separators".into());
        e.participants = vec![Participant::new("KZ", Role::Host), Participant::new("TM", Role::Guest)];
        e.places = vec!["place:almaty".into(), "place:astana".into()];
        let mut ev = Evidence::new("src-1", "user:x");
        ev.page = Some("12".into());
        e.evidence = vec![ev];
        let mut w = Writer::new(Vec::new(), Table::Events).unwrap();
        assert!(w.write(&Record::Event(e.clone())).unwrap());
        let bytes = w.finish().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("id,type,title,date"), "{text}");
        assert!(text.contains("KZ;TM"), "{text}");
        let back: Vec<_> = read(&bytes[..]).unwrap().collect();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].record.as_ref().unwrap(), &Record::Event(e));
    }

    #[test]
    fn a_short_row_and_a_bad_date_are_named() {
        let input = format!("{}\ne1,festival\ne2,festival,,2019-13-45,,,,,,,,\n", EVENT_COLUMNS.join(","));
        let rows: Vec<_> = read(input.as_bytes()).unwrap().collect();
        assert_eq!(rows[0].line, 2);
        assert!(rows[0].record.as_ref().unwrap_err().contains("2 columns"), "{:?}", rows[0].record);
        let err = rows[1].record.as_ref().unwrap_err();
        assert!(err.contains("column `date`") && err.contains("month 13"), "{err}");
    }

    #[test]
    fn an_unknown_header_lists_the_tables() {
        let err = read("a,b\n1,2\n".as_bytes()).err().unwrap();
        assert!(err.contains("events: id,type"), "{err}");
    }
}
