//! The index as a file, so that a process that did not build it — `keruen search` on
//! the command line — can answer from it: the arrays (event columns, postings, hit
//! texts, words) are laid out as they sit in memory, 8-byte aligned, and are read in
//! place from the mapped file ([`Col::Mapped`]); only the small tables (types, sets
//! of states, entities and their names, sources) are decoded when the file is opened.
//! A query then touches the pages it reads and no others: opening a file of a
//! million events costs a few milliseconds, however large it is.
//!
//! Layout: `MAGIC`, the format version, the database revision the index was built
//! from, the events, entities, words and sources in the order [`write`] gives, and
//! `MAGIC` again (a file cut short is refused). Numbers are little-endian `u64`; an
//! array is its length and its values, padded to 8 bytes.
//!
//! A file is written beside its final path and renamed over it, never changed in
//! place: a process that has the old one mapped keeps reading the old one.
use super::col::{Col, Runs};
use super::sets::{Bitset, Postings};
use super::words::Words;
use super::{Entities, Events, Interned, Lists, SearchIndex, Sources, TextArena};
use crate::{Result, StoreError};
use bytemuck::Pod;
use memmap2::Mmap;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

const MAGIC: &[u8; 8] = b"KRNINDEX";
/// Changes whenever the layout does: an older or newer file is refused.
const FORMAT: u64 = 2;

/// Writes `ix`, built from the database at `revision`, to `path` (through a
/// temporary file renamed over it). Returns the bytes written.
pub(super) fn write(ix: &SearchIndex, revision: &str, path: &Path) -> Result<u64> {
    let io = |e| StoreError::Io { path: path.to_path_buf(), source: e };
    let tmp = temporary(path);
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = Out { w: BufWriter::with_capacity(1 << 20, file), at: 0 };
    let written = (|| -> std::io::Result<u64> {
        out.raw(MAGIC)?;
        out.u64(FORMAT)?;
        out.str(revision)?;
        out.events(&ix.events)?;
        out.entities(&ix.entities)?;
        out.words(&ix.words)?;
        out.sources(&ix.sources)?;
        out.raw(MAGIC)?;
        let file = out.w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(out.at)
    })();
    match written.and_then(|n| std::fs::rename(&tmp, path).map(|_| n)) {
        Ok(n) => Ok(n),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(io(e))
        }
    }
}

/// `path` with `.tmp-<process id>` appended: beside it, so the rename stays on one
/// file system.
fn temporary(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".tmp-{}", std::process::id()));
    PathBuf::from(name)
}

/// The revision recorded in the header of the index file at `path`.
pub(super) fn read_revision(path: &Path) -> Result<String> {
    use std::io::Read;
    let bad = |detail: &str| StoreError::BadIndex { path: path.to_path_buf(), detail: detail.to_string() };
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
    let mut head = [0u8; 24];
    f.read_exact(&mut head).map_err(|_| bad("not a keruen search index, or cut short"))?;
    if &head[..8] != MAGIC {
        return Err(bad("not a keruen search index, or cut short"));
    }
    let format = u64::from_le_bytes(head[8..16].try_into().expect("8 bytes"));
    if format != FORMAT {
        return Err(bad(&format!("format {format}; this keruen reads format {FORMAT}")));
    }
    let len = u64::from_le_bytes(head[16..24].try_into().expect("8 bytes"));
    if len > 4096 {
        return Err(bad("a revision of more than 4096 bytes"));
    }
    let mut revision = vec![0u8; len as usize];
    f.read_exact(&mut revision).map_err(|_| bad("cut short"))?;
    String::from_utf8(revision).map_err(|_| bad("a text is not UTF-8"))
}

/// Opens an index file; returns it with the database revision it was built from.
pub(super) fn read(path: &Path) -> Result<(SearchIndex, String)> {
    let started = Instant::now();
    let file = std::fs::File::open(path).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
    // SAFETY: the map is only ever read, and keruen never writes an index file in
    // place (it renames a new file over it), so the pages do not change under it.
    // A file truncated by another program while mapped would make a read fault —
    // the risk every memory-mapped reader takes, SQLite's own `mmap_size` included.
    let map = unsafe { Mmap::map(&file) }.map_err(|e| StoreError::Io { path: path.into(), source: e })?;
    let mut r = In { map: Arc::new(map), at: 0, path: path.to_path_buf() };
    if r.map.get(..8) != Some(&MAGIC[..]) || r.map.get(r.map.len().saturating_sub(8)..) != Some(&MAGIC[..]) {
        return Err(r.bad("not a keruen search index, or cut short"));
    }
    r.at = 8;
    let format = r.u64()?;
    if format != FORMAT {
        return Err(r.bad(&format!("format {format}; this keruen reads format {FORMAT}")));
    }
    let revision = r.string()?;
    let events = r.events()?;
    let entities = r.entities(events.n)?;
    let words = r.words(events.n)?;
    let sources = r.sources()?;
    if r.at + 8 != r.map.len() {
        return Err(r.bad("bytes left over after the sources"));
    }
    let ix = SearchIndex { generation: 0, events, entities, words, sources, build_time: started.elapsed() };
    Ok((ix, revision))
}

struct Out<W: Write> {
    w: W,
    at: u64,
}

impl<W: Write> Out<W> {
    fn raw(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.w.write_all(b)?;
        self.at += b.len() as u64;
        Ok(())
    }

    fn u64(&mut self, v: u64) -> std::io::Result<()> {
        self.raw(&v.to_le_bytes())
    }

    /// Its length, its values, and zeros up to a multiple of 8 bytes.
    fn array<T: Pod>(&mut self, a: &[T]) -> std::io::Result<()> {
        self.u64(a.len() as u64)?;
        self.raw(bytemuck::cast_slice(a))?;
        let pad = (8 - self.at % 8) % 8;
        self.raw(&[0u8; 8][..pad as usize])
    }

    fn str(&mut self, s: &str) -> std::io::Result<()> {
        self.array(s.as_bytes())
    }

    fn strings<S: AsRef<str>>(&mut self, all: &[S]) -> std::io::Result<()> {
        self.u64(all.len() as u64)?;
        all.iter().try_for_each(|s| self.str(s.as_ref()))
    }

    fn postings(&mut self, p: &Postings) -> std::io::Result<()> {
        match p {
            Postings::List(l) => {
                self.u64(0)?;
                self.array(l)
            }
            Postings::Bits(b) => {
                self.u64(1)?;
                self.u64(b.count as u64)?;
                self.array(&b.words)
            }
        }
    }

    /// The sets' elements; not the stored texts they were told apart by (a build
    /// needs them, a search does not).
    fn lists(&mut self, l: &Lists) -> std::io::Result<()> {
        self.runs(&l.members)?;
        self.strings(&l.elements.values)
    }

    fn events(&mut self, e: &Events) -> std::io::Result<()> {
        self.u64(e.n as u64)?;
        self.array(&e.row_id)?;
        self.array(&e.sort_day)?;
        self.array(&e.date_lo)?;
        self.array(&e.date_hi)?;
        self.array(&e.year)?;
        self.array(&e.flags)?;
        self.array(&e.kind)?;
        self.array(&e.status)?;
        self.array(&e.sectors)?;
        self.array(&e.countries)?;
        self.array(&e.text_at)?;
        self.array(&e.wide)?;
        self.arena(&e.text)?;
        self.strings(&e.kinds.values)?;
        self.strings(&e.statuses.values)?;
        self.lists(&e.sector_lists)?;
        self.lists(&e.country_lists)?;
        self.u64(e.by_kind.len() as u64)?;
        e.by_kind.iter().try_for_each(|p| self.postings(p))?;
        self.u64(e.max_span as u64)?;
        self.u64(i64::from(e.min_year) as u64)?;
        self.u64(e.years as u64)
    }

    fn entities(&mut self, en: &Entities) -> std::io::Result<()> {
        self.strings(&en.key)?;
        let kinds: Vec<&str> = en.kind.iter().map(|k| k.as_str()).collect();
        self.strings(&kinds)?;
        self.strings(&en.name_en)?;
        self.strings(&en.name_ru)?;
        en.involved.iter().try_for_each(|p| self.postings(p))?;
        for p in &en.participant {
            self.u64(u64::from(p.is_some()))?;
            if let Some(p) = p {
                self.postings(p)?;
            }
        }
        // Sorted, so that the same index always gives the same file.
        let mut names: Vec<_> = en.names.iter().collect();
        names.sort_unstable_by(|a, b| a.0.cmp(b.0));
        self.u64(names.len() as u64)?;
        for (folded, list) in names {
            self.str(folded)?;
            self.u64(list.len() as u64)?;
            for (e, text) in list {
                self.u64(u64::from(*e))?;
                self.str(text)?;
            }
        }
        Ok(())
    }

    fn words(&mut self, w: &Words) -> std::io::Result<()> {
        self.runs(&w.terms)?;
        w.postings.iter().try_for_each(|p| self.postings(p))
    }

    fn runs<T: Pod>(&mut self, r: &Runs<T>) -> std::io::Result<()> {
        self.array(&r.flat)?;
        self.array(&r.ends)
    }

    fn arena(&mut self, a: &TextArena) -> std::io::Result<()> {
        self.u64(a.chunks.len() as u64)?;
        a.chunks.iter().try_for_each(|c| self.array(c))
    }

    fn sources(&mut self, s: &Sources) -> std::io::Result<()> {
        self.array(&s.text_at)?;
        self.arena(&s.text)?;
        self.words(&s.words)
    }
}

/// A reader over the mapped file; every length is checked against what is left.
struct In {
    map: Arc<Mmap>,
    at: usize,
    path: PathBuf,
}

impl In {
    fn bad(&self, detail: &str) -> StoreError {
        StoreError::BadIndex { path: self.path.clone(), detail: detail.to_string() }
    }

    fn u64(&mut self) -> Result<u64> {
        let b = self.map.get(self.at..self.at + 8).ok_or_else(|| self.bad("cut short"))?;
        self.at += 8;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    /// A count of things each at least `min_bytes` long: no more than the file holds.
    fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.u64()?;
        let left = (self.map.len() - self.at) as u64;
        if n.saturating_mul(min_bytes.max(1) as u64) > left {
            return Err(self.bad(&format!("a count of {n} at byte {} is more than the file holds", self.at)));
        }
        Ok(n as usize)
    }

    fn col<T: Pod>(&mut self) -> Result<Col<T>> {
        let len = self.count(size_of::<T>())?;
        let start = self.at;
        // The map starts on a page, and every array on a multiple of 8.
        if !start.is_multiple_of(align_of::<T>()) {
            return Err(self.bad(&format!("an array at byte {start} is not aligned")));
        }
        let bytes = len * size_of::<T>();
        self.at = start + bytes.next_multiple_of(8);
        if self.at > self.map.len() {
            return Err(self.bad("cut short"));
        }
        Ok(Col::Mapped { map: self.map.clone(), start, len })
    }

    /// A column of exactly `n` values.
    fn col_of<T: Pod>(&mut self, n: usize, what: &str) -> Result<Col<T>> {
        let c = self.col::<T>()?;
        if c.len() != n {
            return Err(self.bad(&format!("{what} holds {} values for {n} events", c.len())));
        }
        Ok(c)
    }

    fn string(&mut self) -> Result<String> {
        let bytes = self.col::<u8>()?;
        match std::str::from_utf8(&bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(self.bad("a text is not UTF-8")),
        }
    }

    fn strings(&mut self) -> Result<Vec<String>> {
        let n = self.count(8)?;
        (0..n).map(|_| self.string()).collect()
    }

    /// Postings among `n` events: a list of positions below `n`, or `n` bits.
    fn postings(&mut self, n: usize) -> Result<Postings> {
        match self.u64()? {
            0 => {
                let l = self.col::<u32>()?;
                if l.last().is_some_and(|&p| p as usize >= n) {
                    return Err(self.bad("a position beyond the events"));
                }
                Ok(Postings::List(l))
            }
            1 => {
                let count = self.u64()? as usize;
                let words = self.col::<u64>()?;
                if words.len() != n.div_ceil(64) {
                    return Err(self.bad("a bitset of the wrong size"));
                }
                Ok(Postings::Bits(Bitset { words, count }))
            }
            other => Err(self.bad(&format!("postings of kind {other}"))),
        }
    }

    /// Each of `values` parsed, as the build parsed them.
    fn parsed<T: std::str::FromStr<Err = String>>(&self, values: &[String]) -> Result<Vec<T>> {
        values.iter().map(|v| v.parse::<T>().map_err(|e| self.bad(&e))).collect()
    }

    fn interned(&mut self) -> Result<Interned> {
        let values = self.strings()?;
        let ids = values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect();
        Ok(Interned { values, ids })
    }

    fn lists(&mut self) -> Result<Lists> {
        let members = self.runs::<u32>("a set of sectors or states")?;
        let elements = self.interned()?;
        if members.flat.iter().any(|&el| el as usize >= elements.values.len()) {
            return Err(self.bad("a set of sectors or states names an unknown one"));
        }
        Ok(Lists { sets: Interned::default(), members, elements })
    }

    fn events(&mut self) -> Result<Events> {
        let n = self.count(1)?;
        let mut e = Events {
            n,
            row_id: self.col_of(n, "row ids")?,
            sort_day: self.col_of(n, "sort days")?,
            date_lo: self.col_of(n, "earliest days")?,
            date_hi: self.col_of(n, "latest days")?,
            year: self.col_of(n, "years")?,
            flags: self.col_of(n, "flags")?,
            kind: self.col_of(n, "types")?,
            status: self.col_of(n, "statuses")?,
            sectors: self.col_of(n, "sectors")?,
            countries: self.col_of(n, "states")?,
            text_at: self.col_of(n, "text addresses")?,
            wide: self.col()?,
            ..Events::default()
        };
        e.text = self.arena()?;
        e.kinds = self.interned()?;
        e.kinds_parsed = self.parsed(&e.kinds.values)?;
        e.statuses = self.interned()?;
        e.statuses_parsed = self.parsed(&e.statuses.values)?;
        e.sector_lists = self.lists()?;
        e.country_lists = self.lists()?;
        let kinds = self.count(16)?;
        e.by_kind = (0..kinds).map(|_| self.postings(n)).collect::<Result<_>>()?;
        e.max_span = self.u64()? as i64;
        e.min_year = i32::try_from(self.u64()? as i64).map_err(|_| self.bad("the first year"))?;
        e.years = self.u64()? as usize;
        // The columns themselves are not scanned (that would read every page of them,
        // which mapping is there to avoid): a file changed by hand can still make a
        // search fail on an id out of range.
        if e.by_kind.len() != e.kinds.values.len() {
            return Err(self.bad("the types do not add up"));
        }
        Ok(e)
    }

    fn entities(&mut self, n: usize) -> Result<Entities> {
        let key = self.strings()?;
        let m = key.len();
        let kinds = self.strings()?;
        let kind = self.parsed(&kinds)?;
        let name_en = self.strings()?;
        let name_ru = self.strings()?;
        if kind.len() != m || name_en.len() != m || name_ru.len() != m {
            return Err(self.bad("the entity lists differ in length"));
        }
        let involved = (0..m).map(|_| self.postings(n)).collect::<Result<Vec<_>>>()?;
        let mut participant = Vec::with_capacity(m);
        for _ in 0..m {
            participant.push(if self.u64()? != 0 { Some(self.postings(n)?) } else { None });
        }
        let count = self.count(16)?;
        let mut names = HashMap::with_capacity(count);
        for _ in 0..count {
            let folded = self.string()?;
            let k = self.count(16)?;
            let mut list = Vec::with_capacity(k);
            for _ in 0..k {
                let e = self.u64()?;
                if e as usize >= m {
                    return Err(self.bad("a name of an entity not in the file"));
                }
                list.push((e as u32, self.string()?));
            }
            names.insert(folded, list);
        }
        let by_key = key.iter().enumerate().map(|(i, k)| (k.clone(), i as u32)).collect();
        Ok(Entities { key, kind, name_en, name_ru, by_key, involved, participant, names })
    }

    fn words(&mut self, n: usize) -> Result<Words> {
        let terms = self.runs::<u8>("the words")?;
        let postings = (0..terms.len()).map(|_| self.postings(n)).collect::<Result<_>>()?;
        Ok(Words { terms, postings })
    }

    /// Runs whose ends rise to the end of their values (`what` names them in errors).
    fn runs<T: Pod>(&mut self, what: &str) -> Result<Runs<T>> {
        let flat = self.col::<T>()?;
        let ends = self.col::<u64>()?;
        if ends.windows(2).any(|w| w[0] > w[1]) || ends.last().is_some_and(|&e| e as usize != flat.len()) {
            return Err(self.bad(&format!("{what} do not add up")));
        }
        Ok(Runs { flat, ends })
    }

    fn arena(&mut self) -> Result<TextArena> {
        let chunks = self.count(8)?;
        Ok(TextArena { chunks: (0..chunks).map(|_| self.col::<u8>()).collect::<Result<_>>()? })
    }

    fn sources(&mut self) -> Result<Sources> {
        let text_at = self.col::<u32>()?;
        let text = self.arena()?;
        let words = self.words(text_at.len())?;
        Ok(Sources { text_at, text, words })
    }
}
