//! Issue 8, point 2: crash safety. The real binary is killed with SIGKILL
//! (`Child::kill`) in the middle of an ingest and of an import; the database it
//! leaves must pass `PRAGMA integrity_check`, hold only whole units of work (a
//! document with all its facts, an import with all its records, or nothing of
//! them), and running the same command again must finish the job with exactly
//! what an uninterrupted run into a fresh database holds — no duplicates.
//!
//! "In the middle" is observed, not guessed from a sleep: the ingest is killed
//! after it has reported some of its documents stored and before it has reported
//! the last; the import when it has demonstrably read part of its input (the read
//! position of its file descriptor in /proc) or when it has started writing its
//! transaction into the write-ahead log.
#![cfg(target_os = "linux")]
mod common;
mod db_check;
use common::Sandbox;
use db_check::{foreign_key_violations, integrity, read_only, scalar};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------
// Documents: 500 short chronicles in English and Russian, written from templates.

/// A small deterministic generator (64-bit LCG), so that the documents are the same
/// on every run without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// States: English name, Russian genitive, Russian prepositional.
const STATES: &[(&str, &str, &str)] = &[
    ("Kazakhstan", "Казахстана", "Казахстане"),
    ("Kyrgyzstan", "Кыргызстана", "Кыргызстане"),
    ("Tajikistan", "Таджикистана", "Таджикистане"),
    ("Turkmenistan", "Туркменистана", "Туркменистане"),
    ("Uzbekistan", "Узбекистана", "Узбекистане"),
    ("Russia", "России", "России"),
    ("China", "Китая", "Китае"),
    ("Turkey", "Турции", "Турции"),
    ("Azerbaijan", "Азербайджана", "Азербайджане"),
    ("Mongolia", "Монголии", "Монголии"),
];

/// Cities: English name, Russian prepositional.
const CITIES: &[(&str, &str)] = &[
    ("Almaty", "Алматы"),
    ("Astana", "Астане"),
    ("Bishkek", "Бишкеке"),
    ("Osh", "Оше"),
    ("Dushanbe", "Душанбе"),
    ("Khujand", "Худжанде"),
    ("Ashgabat", "Ашхабаде"),
    ("Tashkent", "Ташкенте"),
    ("Samarkand", "Самарканде"),
    ("Bukhara", "Бухаре"),
];

const MONTHS_EN: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

const ARTS_EN: &[&str] = &["folk music", "theatre", "cinema", "applied art", "poetry", "dance"];
const ARTS_RU: &[&str] = &["народной музыки", "театра", "кино", "прикладного искусства", "поэзии", "танца"];

/// Two different states.
fn two_states(rng: &mut Lcg) -> (usize, usize) {
    let a = rng.below(STATES.len());
    let b = (a + 1 + rng.below(STATES.len() - 1)) % STATES.len();
    (a, b)
}

fn english_document(i: usize, rng: &mut Lcg) -> String {
    let (x, y) = two_states(rng);
    let (c1, c2) = (rng.pick(CITIES).0, rng.pick(CITIES).0);
    let year = 1992 + rng.below(32);
    let (day, month) = (1 + rng.below(28), rng.below(12));
    let mut text = format!(
        "Days of Culture of {} in {}\n\nCultural cooperation bulletin No. {i}, {c1}.\n\n\
         On {day} {} {year} the Days of Culture of {} opened in {c2}, {}. The programme included \
         concerts of {}, an exhibition and a week of {}.\n",
        STATES[x].0,
        STATES[y].0,
        MONTHS_EN[month],
        STATES[x].0,
        STATES[y].0,
        rng.pick(ARTS_EN),
        rng.pick(ARTS_EN),
    );
    if rng.below(2) == 0 {
        let (a, b) = two_states(rng);
        text.push_str(&format!(
            "\nIn {} the ministries of culture of {} and {} signed an agreement on cooperation in \
             culture and education.\n",
            year + 1 + rng.below(3),
            STATES[a].0,
            STATES[b].0
        ));
    }
    if rng.below(3) == 0 {
        let (a, b) = two_states(rng);
        let d1 = 1 + rng.below(20);
        text.push_str(&format!(
            "\nThe international festival of {} took place in {} from {d1} to {} {} {}; delegations \
             from {} and {} took part.\n",
            rng.pick(ARTS_EN),
            rng.pick(CITIES).0,
            d1 + 3,
            MONTHS_EN[rng.below(12)],
            1995 + rng.below(28),
            STATES[a].0,
            STATES[b].0
        ));
    }
    if rng.below(4) == 0 {
        text.push_str(&format!(
            "\nA scientific conference on the history of the Silk Road was held in {} in {} {}.\n",
            rng.pick(CITIES).0,
            MONTHS_EN[rng.below(12)],
            2000 + rng.below(24)
        ));
    }
    text
}

fn russian_document(i: usize, rng: &mut Lcg) -> String {
    let (x, y) = two_states(rng);
    let city = rng.pick(CITIES).1;
    let year = 1992 + rng.below(32);
    let (day, month) = (1 + rng.below(28), rng.below(12));
    let mut text = format!(
        "Дни культуры {} в {}\n\nИнформационный бюллетень № {i}.\n\n\
         {day} {} {year} года в {city} открылись Дни культуры {} в {}. В программе — концерты \
         {}, выставка и неделя {}.\n",
        STATES[x].1,
        STATES[y].2,
        MONTHS_RU[month],
        STATES[x].1,
        STATES[y].2,
        rng.pick(ARTS_RU),
        rng.pick(ARTS_RU),
    );
    if rng.below(2) == 0 {
        let (a, b) = two_states(rng);
        text.push_str(&format!(
            "\nВ {} году министерства культуры {} и {} подписали соглашение о сотрудничестве в \
             области культуры и образования.\n",
            year + 1 + rng.below(3),
            STATES[a].1,
            STATES[b].1
        ));
    }
    if rng.below(3) == 0 {
        let (a, b) = two_states(rng);
        let d1 = 1 + rng.below(20);
        text.push_str(&format!(
            "\nС {d1} по {} {} {} года в {} прошёл международный фестиваль {}, в котором приняли \
             участие делегации {} и {}.\n",
            d1 + 3,
            MONTHS_RU[rng.below(12)],
            1995 + rng.below(28),
            rng.pick(CITIES).1,
            rng.pick(ARTS_RU),
            STATES[a].1,
            STATES[b].1
        ));
    }
    text
}

/// Writes `n` documents (`.txt` and `.md`, two in five Russian) into `dir`.
fn write_documents(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Lcg(0x6b65_7275_656e);
    for i in 0..n {
        let text = if i % 5 < 3 { english_document(i, &mut rng) } else { russian_document(i, &mut rng) };
        let ext = if i % 4 == 0 { "md" } else { "txt" };
        let text = if ext == "md" { format!("# {text}") } else { text };
        std::fs::write(dir.join(format!("doc-{i:03}.{ext}")), text).unwrap();
    }
}

// ---------------------------------------------------------------------------------
// Looking at a database from outside.

fn keruen(dir: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keruen"));
    c.current_dir(dir).env_remove("KERUEN_DB").env_remove("KERUEN_AS").arg("--db").arg(db);
    c
}

#[track_caller]
fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run keruen");
    assert!(
        out.status.success(),
        "keruen failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every table's rows but the times of writing and the database's revision (a random
/// value each changing write sets: docs/schema.md), which differ between two runs.
fn contents(db: &Path) -> BTreeMap<String, (u64, u64)> {
    let mut out = db_check::contents(db, &["at", "created_at", "last_used_at"]);
    let c = db_check::read_only(db);
    out.insert(
        "meta".into(),
        db_check::fingerprint(&c, "SELECT key, value FROM meta WHERE key <> 'revision' ORDER BY key"),
    );
    out
}

// ---------------------------------------------------------------------------------
// Watching a child.

/// The read position of `child` in the file `path` (from /proc/PID/fdinfo).
fn read_position(child: &Child, path: &Path) -> Option<u64> {
    let fds = std::fs::read_dir(format!("/proc/{}/fd", child.id())).ok()?;
    for fd in fds.flatten() {
        if std::fs::read_link(fd.path()).ok().as_deref() == Some(path) {
            let info =
                std::fs::read_to_string(format!("/proc/{}/fdinfo/{}", child.id(), fd.file_name().to_str()?))
                    .ok()?;
            return info.lines().find_map(|l| l.strip_prefix("pos:")).and_then(|p| p.trim().parse().ok());
        }
    }
    None
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Polls `ready` until it holds while the child still runs; returns false if the
/// child ended first.
fn wait_until(child: &mut Child, mut ready: impl FnMut(&mut Child) -> bool) -> bool {
    let give_up = Instant::now() + Duration::from_secs(1200);
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if ready(child) {
            return true;
        }
        assert!(Instant::now() < give_up, "the child neither got there nor ended");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A connection that asks whether another process holds the write lock: in WAL
/// mode `BEGIN IMMEDIATE` fails at once with SQLITE_BUSY while a writer is inside
/// its transaction (the probe never waits, and holds the lock for microseconds when
/// it gets it).
struct WriterProbe(Connection);

impl WriterProbe {
    fn new(db: &Path) -> Self {
        let c = Connection::open(db).unwrap();
        c.busy_timeout(Duration::ZERO).unwrap();
        WriterProbe(c)
    }

    fn in_transaction(&self) -> bool {
        match self.0.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => {
                self.0.execute_batch("ROLLBACK").unwrap();
                false
            }
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => true,
            Err(e) => panic!("probe: {e}"),
        }
    }
}

fn kill9(child: &mut Child) {
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "the child was not killed by SIGKILL: {status}");
}

// ---------------------------------------------------------------------------------
// (a) ingest

/// What each stored document brought, by the hash of its text: its events,
/// participants, evidence, spans, archival references, citations, references and
/// its `ingest` audit entries.
fn per_source(db: &Path) -> BTreeMap<String, Vec<i64>> {
    let c = read_only(db);
    let mut st = c
        .prepare(
            "SELECT s.sha256,
               (SELECT count(*) FROM events e WHERE e.key LIKE s.key || '-e%'),
               (SELECT count(*) FROM participants p JOIN events e ON e.id = p.event_id WHERE e.key LIKE s.key || '-e%'),
               (SELECT count(*) FROM evidence v WHERE v.source_id = s.id),
               (SELECT count(*) FROM annotations a WHERE a.source_id = s.id),
               (SELECT count(*) FROM archival_refs r WHERE r.source_id = s.id),
               (SELECT count(*) FROM citations x WHERE x.source_id = s.id),
               (SELECT count(*) FROM bib_references b WHERE b.source_id = s.id),
               (SELECT count(*) FROM audit WHERE item = s.key AND action = 'ingest')
             FROM sources s",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, (1..9).map(|i| r.get(i)).collect::<Result<Vec<i64>, _>>()?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The invariants of a database that ingests wrote, whole or interrupted.
#[track_caller]
fn assert_ingest_consistent(db: &Path, reference: &BTreeMap<String, Vec<i64>>) -> usize {
    assert_eq!(integrity(db), "ok");
    assert_eq!(foreign_key_violations(db), 0, "foreign keys violated");
    let c = read_only(db);
    let checks = [
        (
            "events without evidence",
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM evidence v WHERE v.event_id = e.id)",
        ),
        (
            "events of no stored source",
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE e.key LIKE s.key || '-e%')",
        ),
        (
            "extracted entities no stored span names",
            "SELECT count(*) FROM entities WHERE origin = 'extract' AND key NOT IN (SELECT target FROM annotations WHERE target IS NOT NULL)",
        ),
        ("sources stored twice", "SELECT count(*) - count(DISTINCT file_name) FROM sources"),
        ("ingests logged twice", "SELECT count(*) - count(DISTINCT item) FROM audit WHERE action = 'ingest'"),
        (
            "sources without their ingest entry",
            "SELECT count(*) FROM sources s WHERE NOT EXISTS (SELECT 1 FROM audit WHERE item = s.key AND action = 'ingest')",
        ),
    ];
    for (what, sql) in checks {
        assert_eq!(scalar(&c, sql), 0, "{what}");
    }
    // Each stored document is whole: exactly what the uninterrupted run stored for it.
    let got = per_source(db);
    for (sha, facts) in &got {
        assert_eq!(reference.get(sha), Some(facts), "document {sha} is not whole");
    }
    got.len()
}

#[test]
fn ingest_killed_mid_way_is_consistent_and_resumes_without_duplicates() {
    const DOCS: usize = 500;
    let sb = Sandbox::new();
    let docs = sb.path("docs");
    write_documents(&docs, DOCS);

    // The uninterrupted reference.
    let t = Instant::now();
    let reference_db = sb.path("reference.db");
    let out = run_ok(keruen(sb.dir.path(), &reference_db).arg("ingest").arg(&docs));
    assert!(out.contains(&format!("ingested {DOCS} new documents")), "{out}");
    let reference = per_source(&reference_db);
    assert_eq!(reference.len(), DOCS);
    assert!(reference.values().map(|f| f[0]).sum::<i64>() >= DOCS as i64, "the documents hold events");
    assert_eq!(assert_ingest_consistent(&reference_db, &reference), DOCS);
    eprintln!("reference ingest: {:?}", t.elapsed());

    // Killed twice: after a fifth and after three fifths of the documents were reported stored.
    let db = sb.db();
    run_ok(keruen(sb.dir.path(), &db).arg("init"));
    let mut stored_before = 0;
    for reported in [DOCS / 5, DOCS * 3 / 5] {
        let t = Instant::now();
        let mut child = keruen(sb.dir.path(), &db)
            .arg("ingest")
            .arg(&docs)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains(" candidate events → source ") && tx.send(()).is_err() {
                    break;
                }
            }
        });
        let mut seen = 0;
        let probe = WriterProbe::new(&db);
        // Past the documents to report, and inside the write transaction of the next.
        let got_there = wait_until(&mut child, |_| {
            seen += rx.try_iter().count();
            seen >= reported - stored_before && probe.in_transaction()
        });
        assert!(got_there, "the ingest ended before {reported} documents were stored");
        kill9(&mut child);
        drop(probe);
        drop(rx);
        reader.join().unwrap();
        let stored = assert_ingest_consistent(&db, &reference);
        eprintln!("killed after {seen} new documents reported; {stored} stored; {:?}", t.elapsed());
        assert!(stored >= reported && stored < DOCS, "killed mid-way: {stored} of {DOCS} stored");
        stored_before = stored;
    }

    // Running it again finishes the job.
    let t = Instant::now();
    let out = run_ok(keruen(sb.dir.path(), &db).arg("ingest").arg(&docs));
    assert!(out.contains(&format!("ingested {} new documents", DOCS - stored_before)), "{out}");
    assert!(out.contains(&format!("{stored_before} already stored; 0 failed")), "{out}");
    eprintln!("completion: {:?}", t.elapsed());
    assert_eq!(assert_ingest_consistent(&db, &reference), DOCS);
    assert_eq!(per_source(&db), reference);
    assert_eq!(contents(&db), contents(&reference_db), "the resumed database differs from the reference");
}

// ---------------------------------------------------------------------------------
// (b) import

/// How many events the import test generates. The issue asks for a million; in a
/// debug build on two cores one import of a million events takes about four
/// minutes, and this test needs three of them (the killed run that reaches the
/// write-ahead log, the completion and the reference), far past what CI affords.
/// The default of 100,000 takes the same code path — a bulk import in one
/// transaction, indexes dropped and rebuilt — and is killed at the same points
/// (there the second kill lands in the commit rather than in a spill of the page
/// cache). `KERUEN_CRASH_IMPORT_EVENTS=1000000` runs the full size.
fn import_size() -> usize {
    std::env::var("KERUEN_CRASH_IMPORT_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

/// Records of each kind in a JSONL file, and the participants and evidence its
/// events carry.
fn file_counts(path: &Path) -> BTreeMap<&'static str, i64> {
    let mut out = BTreeMap::new();
    let file = BufReader::new(std::fs::File::open(path).unwrap());
    for line in file.lines() {
        let line = line.unwrap();
        let kind = ["source", "entity", "event"]
            .into_iter()
            .find(|k| line.starts_with(&format!("{{\"record\":\"{k}\"")))
            .unwrap_or_else(|| panic!("unexpected line {line}"));
        *out.entry(kind).or_default() += 1;
        if kind == "event" {
            *out.entry("participant").or_default() += line.matches("\"role\":").count() as i64;
            *out.entry("evidence").or_default() += line.matches("\"asserted_by\":").count() as i64;
        }
    }
    out
}

/// What an import left: events, sources, imported entities, participants, evidence.
fn imported(db: &Path) -> BTreeMap<&'static str, i64> {
    let c = read_only(db);
    BTreeMap::from([
        ("event", scalar(&c, "SELECT count(*) FROM events")),
        ("source", scalar(&c, "SELECT count(*) FROM sources")),
        ("entity", scalar(&c, "SELECT count(*) FROM entities WHERE origin = 'import'")),
        ("participant", scalar(&c, "SELECT count(*) FROM participants")),
        ("evidence", scalar(&c, "SELECT count(*) FROM evidence")),
    ])
}

/// The invariants after an interrupted import: a sound file, and either nothing of
/// the import (the database as it was before) or all of it.
#[track_caller]
fn assert_nothing_or_all(
    db: &Path,
    before: &BTreeMap<String, (u64, u64)>,
    whole: &BTreeMap<&str, i64>,
) -> bool {
    assert_eq!(integrity(db), "ok");
    assert_eq!(foreign_key_violations(db), 0, "foreign keys violated");
    let now = imported(db);
    if now["event"] == 0 {
        assert_eq!(&contents(db), before, "an interrupted import left something behind");
        false
    } else {
        assert_eq!(&now, whole, "an import is all or nothing");
        true
    }
}

#[test]
fn import_killed_mid_way_leaves_nothing_and_resumes_without_duplicates() {
    let n = import_size();
    let sb = Sandbox::new();
    let t = Instant::now();
    let file = sb.path("gen.jsonl");
    run_ok(
        keruen(sb.dir.path(), &sb.db())
            .args(["generate", "--events", &n.to_string(), "--seed", "11", "--out"])
            .arg(&file),
    );
    let whole = file_counts(&file);
    assert_eq!(whole["event"], n as i64);
    let whole: BTreeMap<&str, i64> = ["event", "source", "entity", "participant", "evidence"]
        .into_iter()
        .map(|k| (k, whole.get(k).copied().unwrap_or(0)))
        .collect();
    let len = file_len(&file);
    eprintln!("generated {n} events, {len} bytes: {:?}", t.elapsed());

    let db = sb.db();
    run_ok(keruen(sb.dir.path(), &db).arg("init"));
    let before = contents(&db);
    let wal = PathBuf::from(format!("{}-wal", db.display()));

    // 1. Killed while reading its input: past a third of the file, inside its transaction.
    let t = Instant::now();
    let mut child = keruen(sb.dir.path(), &db)
        .arg("import")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let probe = WriterProbe::new(&db);
    let mut position = 0;
    let got_there = wait_until(&mut child, |c| {
        position = read_position(c, &file).unwrap_or(0);
        position > len / 3 && probe.in_transaction()
    });
    assert!(got_there, "the import ended before it read a third of its input");
    kill9(&mut child);
    drop(probe);
    assert!(position < len, "killed mid-read");
    assert!(!assert_nothing_or_all(&db, &before, &whole), "the import cannot have committed");
    eprintln!("killed at byte {position} of {len}: {:?}", t.elapsed());

    // 2. Killed once it has written some megabytes of pages into the write-ahead log:
    //    its page cache spilling mid-transaction (a large import), or the commit
    //    itself half-written (a small one).
    let t = Instant::now();
    let wal_before = file_len(&wal);
    let mut child = keruen(sb.dir.path(), &db)
        .arg("import")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut wal_at_kill = 0;
    let got_there = wait_until(&mut child, |_| {
        wal_at_kill = file_len(&wal);
        wal_at_kill > wal_before + (4 << 20)
    });
    assert!(got_there, "the import ended before it wrote into the write-ahead log");
    kill9(&mut child);
    let committed = assert_nothing_or_all(&db, &before, &whole);
    eprintln!(
        "killed with {wal_at_kill} bytes of write-ahead log: {}; {:?}",
        if committed { "the commit had completed" } else { "nothing was committed" },
        t.elapsed()
    );

    // 3. Running it again finishes the job; a third time adds nothing.
    let t = Instant::now();
    let out = run_ok(keruen(sb.dir.path(), &db).arg("import").arg(&file));
    let records = whole["event"] + whole["source"] + whole["entity"];
    if committed {
        assert!(plain_numbers(&out).contains(&format!("{records} already present")), "{out}");
    } else {
        assert!(plain_numbers(&out).contains(&format!("imported {} events", whole["event"])), "{out}");
    }
    eprintln!("completion: {:?}", t.elapsed());
    assert_eq!(integrity(&db), "ok");
    assert_eq!(foreign_key_violations(&db), 0);
    assert_eq!(imported(&db), whole);

    // 4. The same as an uninterrupted import into a fresh database.
    let t = Instant::now();
    let reference_db = sb.path("reference.db");
    run_ok(keruen(sb.dir.path(), &reference_db).arg("init"));
    run_ok(keruen(sb.dir.path(), &reference_db).arg("import").arg(&file));
    eprintln!("reference: {:?}", t.elapsed());
    let c = read_only(&db);
    for (what, sql) in [
        (
            "events without evidence",
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM evidence v WHERE v.event_id = e.id)",
        ),
        (
            "events without participants",
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.event_id = e.id)",
        ),
        ("sources stored twice", "SELECT count(*) - count(DISTINCT sha256) FROM sources"),
    ] {
        assert_eq!(scalar(&c, sql), scalar(&read_only(&reference_db), sql), "{what}");
    }
    let t = Instant::now();
    assert_eq!(contents(&db), contents(&reference_db), "the resumed database differs from the reference");
    eprintln!("compared: {:?}", t.elapsed());
}

/// The CLI's message with its thousands separators dropped, for comparing counts.
fn plain_numbers(out: &str) -> String {
    out.replace(',', "")
}
