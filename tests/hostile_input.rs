//! Issue 8, point 3: hostile and broken input against the real binary and a real
//! `keruen serve`. Every case must be answered with a clear error — a non-zero exit
//! and a message naming the file (and line, and field) for the command line; a 4xx
//! status with the error shape `{"error": {"code", "message"}}` for the API — and
//! leave the database exactly as it was (every table's rows compared through
//! rusqlite, not through the binary under test).
//!
//! Search strings with SQL and FTS5 syntax are not errors: they are words to look
//! for, and the answer is a list (maybe empty), never a failure.
//!
//! Paths: a path typed on the command line is the user's own choice, wherever it
//! points (`keruen export --out ../../x.jsonl` writes there, as `cp` would); the
//! server never takes a file path or a file name from a request (export names its
//! format, import takes the records as the body), so a path in a request can only
//! be an unknown name or an unknown parameter.
#![cfg(unix)]
mod common;
mod db_check;
use common::{Run, Sandbox, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Every table's rows; only the time a token was last used may change (a request
/// with a valid token records it).
fn snapshot(db: &Path) -> BTreeMap<String, (u64, u64)> {
    db_check::contents(db, &["last_used_at"])
}

/// A database with the curated demo events and sources, and an editor.
fn seeded() -> Sandbox {
    let sb = Sandbox::new();
    let demo = repo().join("data/demo/events.jsonl");
    sb.keruen(&["import", demo.to_str().unwrap()]).ok();
    sb.keruen(&["users", "add", "aigerim", "--role", "editor", "--no-password"]).ok();
    sb
}

/// Runs `keruen ARGS` and checks the refusal: exit 1, every needle in the
/// message, the database unchanged.
#[track_caller]
fn refused(sb: &Sandbox, args: &[&str], needles: &[&str]) -> Run {
    let before = snapshot(&sb.db());
    let run = sb.keruen(args);
    assert_eq!(
        run.code, 1,
        "keruen {args:?}: expected exit 1\nstdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    for n in needles {
        assert!(run.stderr.contains(n), "keruen {args:?}: `{n}` not in:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(snapshot(&sb.db()), before, "keruen {args:?} changed the database");
    run
}

/// Deterministic bytes that look like nothing (xorshift).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// The command line.

#[test]
fn empty_and_binary_files_are_refused() {
    let sb = seeded();
    for name in ["empty.txt", "empty.md", "empty.html", "empty.pdf", "empty.docx"] {
        sb.write(name, "");
        refused(&sb, &["ingest", name], &[&format!("{name}: the file is empty"), "1 of 1 documents"]);
    }
    for name in ["empty.jsonl", "empty.csv", "empty.jsonld"] {
        sb.write(name, "");
        refused(&sb, &["import", name], &[&format!("{name}: the file is empty")]);
    }
    // Random bytes (with NULs) under every name keruen reads.
    let mut blob = noise(64 * 1024, 7);
    blob[100] = 0;
    for name in ["blob.txt", "blob.md", "blob.html"] {
        sb.write(name, &blob);
        refused(&sb, &["ingest", name], &[&format!("{name}: looks binary")]);
    }
    sb.write("blob.pdf", &blob);
    refused(&sb, &["ingest", "blob.pdf"], &["blob.pdf: pdftotext could not read the PDF"]);
    sb.write("blob.docx", &blob);
    refused(&sb, &["ingest", "blob.docx"], &["blob.docx: not a valid DOCX (zip) file"]);
    for name in ["blob.jsonl", "blob.csv"] {
        sb.write(name, &blob);
        refused(&sb, &["import", name], &[&format!("{name}: looks like a binary file")]);
    }
    // Random bytes without a NUL: no text encoding fits them.
    let high: Vec<u8> = noise(64 * 1024, 11).into_iter().map(|b| b | 0x80).collect();
    sb.write("noise.txt", &high);
    refused(&sb, &["ingest", "noise.txt"], &["noise.txt: not UTF-8, Windows-1251 or KOI8-R text"]);
    sb.write("noise.jsonl", &high);
    refused(
        &sb,
        &["import", "noise.jsonl"],
        &["noise.jsonl:1: not valid UTF-8 (byte 1)", "nothing was imported"],
    );
}

#[test]
fn invalid_utf8_is_refused_naming_the_line() {
    let sb = seeded();
    // A UTF-8 chronicle with one damaged byte on its third line.
    let mut doc = "Дни культуры\n\n12 мая 2005 года в Бишкеке открылись Дни культуры Узбекистана.\n"
        .as_bytes()
        .to_vec();
    let at = doc.iter().position(|&b| b == b'2').unwrap() + 8;
    doc[at] = 0xFF;
    sb.write("chronicle.txt", &doc);
    refused(
        &sb,
        &["ingest", "chronicle.txt"],
        &["chronicle.txt:3: not valid UTF-8 at byte", "1 of 1 documents"],
    );
    // Cut off in the middle of a character (an interrupted download).
    let mut cut = "Festival of Tajik music in Almaty, 2003 — Фестиваль".as_bytes().to_vec();
    cut.pop();
    sb.write("cut.md", &cut);
    refused(&sb, &["ingest", "cut.md"], &["cut.md:1: not valid UTF-8"]);
    // French in Latin-1: neither UTF-8 nor a Russian code page.
    sb.write("latin1.txt", b"Coop\xe9ration culturelle entre le Kazakhstan et la France, \xe9t\xe9 1997.\n");
    refused(&sb, &["ingest", "latin1.txt"], &["latin1.txt: not UTF-8, Windows-1251 or KOI8-R text"]);

    let good = r#"{"record":"source","id":"src-ok","type":"book","title":"Fine"}"#;
    let mut jsonl = format!("{good}\n").into_bytes();
    jsonl.extend_from_slice(
        b"{\"record\":\"source\",\"id\":\"src-bad\",\"type\":\"book\",\"title\":\"\xC3\x28\"}\n",
    );
    sb.write("bad.jsonl", &jsonl);
    refused(&sb, &["import", "bad.jsonl"], &["bad.jsonl:2: not valid UTF-8", "nothing was imported"]);
    let header =
        "id,type,title,date,status,review,countries,participants,places,sectors,description,evidence";
    let mut csv = format!("{header}\nev-1,festival,Fine,2019,held,accepted,,KZ:host,,,,\n").into_bytes();
    csv.extend_from_slice(b"ev-2,festival,\xFF\xFE,2019,held,accepted,,KZ:host,,,,\n");
    sb.write("bad.csv", &csv);
    refused(&sb, &["import", "bad.csv"], &["bad.csv:3: ", "UTF-8", "nothing was imported"]);
}

/// The peak resident memory of `keruen ARGS`, read from /proc while it runs (the
/// high-water mark only grows, so the last reading is the peak up to then), with
/// the run.
#[cfg(target_os = "linux")]
fn peak_memory(sb: &Sandbox, args: &[&str]) -> (u64, Run) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .env_remove("KERUEN_DB")
        .arg("--db")
        .arg(sb.db())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    // Drain the pipes on threads; watch the memory here.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let run =
        Run { code: status.code().unwrap_or(-1), stdout: out.join().unwrap(), stderr: err.join().unwrap() };
    (peak, run)
}

/// One line of 100 MB — words, no line break — as a document, a JSONL and a CSV
/// file: refused with the file named, without the process holding the file in
/// memory (a reader that did would need more than the 100 MB; these need a fraction,
/// the JSONL reader its 32 MiB line buffer).
#[cfg(target_os = "linux")]
#[test]
fn a_100_mb_single_line_file_is_refused_without_holding_it() {
    let sb = seeded();
    let words =
        ["Days", "of", "Culture", "of", "Kazakhstan", "in", "Tashkent", "12", "May", "2005", "opened"];
    let mut line = String::with_capacity(101 << 20);
    let mut i = 0;
    while line.len() < 100 << 20 {
        line.push_str(words[i % words.len()]);
        line.push(' ');
        i += 7;
    }
    let big = sb.write("big.txt", &line);
    drop(line);
    for name in ["big.jsonl", "big.csv", "big.md"] {
        std::fs::hard_link(&big, sb.path(name)).unwrap();
    }
    let before = snapshot(&sb.db());
    let cases: &[(&[&str], &str)] = &[
        (
            &["ingest", "big.txt"],
            "big.txt: the file is 101 MB, more than the 64 MB keruen reads as one document",
        ),
        (&["ingest", "big.md"], "big.md: the file is 101 MB"),
        (&["import", "big.jsonl"], "big.jsonl:1: line is longer than 32 MiB"),
        (&["import", "big.csv"], "big.csv:1: cannot read the header: a row is longer than 32 MiB"),
        (&["import", "--skip-invalid", "big.jsonl"], "big.jsonl"),
    ];
    for (args, needle) in cases {
        let (peak, run) = peak_memory(&sb, args);
        eprintln!("keruen {args:?}: exit {}, peak resident memory {} MB", run.code, peak >> 20);
        if args.contains(&"--skip-invalid") {
            // The overlong line is rejected, with its reason, and nothing else is there.
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert!(
                run.stdout.contains("imported 0 events") && run.stdout.contains("rejected 1 lines"),
                "{}",
                run.stdout
            );
            let rejects = std::fs::read_to_string(sb.path("big.rejects.jsonl")).unwrap();
            assert!(rejects.len() < 1000 && rejects.contains("line is longer than 32 MiB"), "{rejects}");
        } else {
            assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
            assert!(run.stderr.contains(needle), "{args:?}: `{needle}` not in {}", run.stderr);
            // One short message, not the 100 MB line echoed back.
            assert!(run.stderr.len() < 2000, "{args:?}: {} bytes of error", run.stderr.len());
        }
        assert!(peak < 200 << 20, "{args:?}: {} MB resident", peak >> 20);
        assert_eq!(snapshot(&sb.db()), before, "{args:?} changed the database");
    }
}

#[test]
fn deeply_nested_json_is_refused_naming_the_line() {
    let sb = seeded();
    let good = r#"{"record":"source","id":"src-ok","type":"book","title":"Fine"}"#;
    let deep = "[".repeat(100_000);
    sb.write("deep.jsonl", format!("{good}\n{deep}\n"));
    refused(&sb, &["import", "deep.jsonl"], &["deep.jsonl:2: bad JSON", "nothing was imported"]);
    let objects = "{\"a\":".repeat(100_000);
    sb.write("objects.jsonl", format!("{good}\n{objects}\n"));
    refused(&sb, &["import", "objects.jsonl"], &["objects.jsonl:2: ", "nothing was imported"]);
    sb.write("deep.jsonld", &deep);
    refused(&sb, &["import", "deep.jsonld"], &["deep.jsonld:", "not a keruen JSON-LD document"]);
    // Nested where a list belongs: the participants of an event.
    let event = format!(
        r#"{{"record":"event","id":"ev-deep","type":"festival","participants":{}{}}}"#,
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    sb.write("participants.jsonl", format!("{good}\n{event}\n"));
    refused(
        &sb,
        &["import", "participants.jsonl"],
        &["participants.jsonl:2: event: ", "nothing was imported"],
    );
}

#[test]
fn csv_with_missing_or_extra_columns_is_refused_naming_the_row() {
    let sb = seeded();
    let header =
        "id,type,title,date,status,review,countries,participants,places,sectors,description,evidence";
    let good = "ev-1,festival,Good,2019,held,accepted,,KZ:host,,,,";
    let cases = [
        (
            "short.csv",
            format!("{header}\n{good}\nev-2,festival,Short\n"),
            "short.csv:3: row has 3 columns, the header has 12",
        ),
        (
            "long.csv",
            format!("{header}\n{good}\n{good},extra,more\n"),
            "long.csv:3: row has 14 columns, the header has 12",
        ),
        (
            "extra-header.csv",
            format!("{header},notes\n{good},x\n"),
            "extra-header.csv:1: header `id,type,title",
        ),
        (
            "missing-header.csv",
            format!("{}\nev-1,festival\n", &header[..header.rfind(',').unwrap()]),
            "is not one of keruen's CSV tables",
        ),
    ];
    for (name, text, needle) in cases {
        sb.write(name, text);
        refused(&sb, &["import", name], &[needle]);
    }
}

#[test]
fn impossible_dates_are_refused_naming_line_and_field() {
    let sb = seeded();
    let source = r#"{"record":"source","id":"src-ok","type":"book","title":"Fine"}"#;
    let event = r#"{"record":"event","id":"ev-x","type":"festival","date":"2019-13-45","participants":[{"entity":"KZ","role":"host"}]}"#;
    sb.write("dates.jsonl", format!("{source}\n{event}\n"));
    refused(&sb, &["import", "dates.jsonl"], &["dates.jsonl:2: ", "`2019-13-45`", "month 13 does not exist"]);
    let header =
        "id,type,title,date,status,review,countries,participants,places,sectors,description,evidence";
    sb.write("dates.csv", format!("{header}\nev-x,festival,X,2019-13-45,held,accepted,,KZ:host,,,,\n"));
    refused(&sb, &["import", "dates.csv"], &["dates.csv:2: column `date`", "month 13"]);
    sb.write("days.csv", format!("{header}\nev-x,festival,X,2019-02-30,held,accepted,,KZ:host,,,,\n"));
    refused(&sb, &["import", "days.csv"], &["days.csv:2: column `date`", "day 30 does not exist"]);
    refused(&sb, &["search", "--from", "2019-13-45"], &["--from", "month 13"]);
    sb.write("note.txt", "The Days of Culture of Uzbekistan opened in Almaty on 12 May.\n");
    // One error, before any document is read or any database opened.
    let run =
        refused(&sb, &["ingest", "--date", "2019-13-45", "note.txt"], &["--date: `2019-13-45`", "month 13"]);
    assert!(!run.stderr.contains("failed:"), "{}", run.stderr);
    let fresh = sb.path("fresh.db");
    let out = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(sb.dir.path())
        .arg("--db")
        .arg(&fresh)
        .args(["ingest", "--date", "2019-13-45", "note.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!fresh.exists(), "a database was created for nothing");
}

/// SQL and FTS5 syntax is text to look for: an answer (maybe empty), never an error.
#[test]
fn search_syntax_is_text_to_look_for() {
    let sb = seeded();
    let before = snapshot(&sb.db());
    // (A NUL cannot be a command-line argument; the API test sends it.)
    for q in SEARCHES.iter().filter(|q| !q.contains('\0')) {
        for extra in [&[][..], &["--facets", "--include-candidates"][..]] {
            let mut args = vec!["--json", "search", q];
            args.extend_from_slice(extra);
            let run = sb.keruen(&args);
            assert_eq!(run.code, 0, "search {q:?}: {}", run.stderr);
            let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("search {q:?}: {e}"));
            assert!(v["hits"].is_array() && v["total"].is_u64(), "search {q:?}: {v}");
        }
        let run = sb.keruen(&["search", q]);
        assert_eq!(run.code, 0, "search {q:?}: {}", run.stderr);
    }
    // Still a database with its events table.
    assert_eq!(snapshot(&sb.db()), before);
    let shown = sb.keruen(&["show", "demo-0001"]).ok();
    assert!(shown.stdout.contains("demo-0001"));
    // A word inside the noise still finds what it names.
    let v: Value = serde_json::from_str(&sb.keruen(&["--json", "search", "\"Almaty*"]).ok().stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
}

const SEARCHES: &[&str] = &[
    "\"",
    "\"\"",
    "*",
    "NEAR(",
    "NEAR(a b, 2)",
    "'; DROP TABLE events; --",
    "\"; DELETE FROM events; --",
    "a OR",
    "NOT",
    "AND AND",
    "(",
    ")",
    "body:x",
    "^",
    "-",
    "%",
    "_",
    "\\",
    "\u{0}",
    "Almaty\" OR \"1\"=\"1",
];

#[test]
fn export_paths_typed_by_the_user_are_the_users_own() {
    let sb = seeded();
    let before = snapshot(&sb.db());
    let deep = sb.path("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    // From a/b, ../../x.jsonl is the sandbox's x.jsonl: written there, as asked.
    let run = Command::new(env!("CARGO_BIN_EXE_keruen"))
        .current_dir(&deep)
        .env_remove("KERUEN_DB")
        .arg("--db")
        .arg(sb.db())
        .args(["export", "--out", "../../x.jsonl"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let written = std::fs::read_to_string(sb.path("x.jsonl")).unwrap();
    assert!(written.lines().any(|l| l.contains("\"id\":\"demo-0001\"")));
    assert_eq!(std::fs::read_dir(&deep).unwrap().count(), 0, "nothing written where it was run");
    // Into a directory that does not exist, or onto a directory: a clear refusal.
    let run = refused(
        &sb,
        &["export", "--out", "no/such/dir/x.jsonl"],
        &["no/such/dir/x.jsonl: the directory no/such/dir does not exist"],
    );
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    refused(&sb, &["export", "--out", "a"], &["a: is a directory; give the name of the file to write"]);
    assert!(!sb.path("no").exists());
    assert_eq!(snapshot(&sb.db()), before);
}

#[test]
fn unknown_ids_are_a_clear_error() {
    let sb = seeded();
    for id in ["NOPE", "src-nope", "place:nowhere", "../../etc/passwd", "demo-0001' OR '1'='1"] {
        let run = refused(&sb, &["show", id], &[&format!("no event, entity or source with id `{id}`")]);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    refused(&sb, &["review", "accept", "NOPE"], &["no event with id `NOPE`"]);
    refused(&sb, &["tokens", "revoke", "tok-nope"], &["no token with id `tok-nope`"]);
}

/// A PDF that keeps pdftotext busy for ever is stopped at the deadline and refused
/// with its name. The hang is played by a stand-in `pdftotext` on PATH that never
/// ends (a real PDF that hangs poppler is not something to keep in a repository).
#[test]
fn a_pdf_that_hangs_pdftotext_is_stopped_at_the_deadline() {
    let sb = seeded();
    let bin = sb.path("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("pdftotext");
    std::fs::write(&fake, "#!/bin/sh\nexec sleep 600\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(repo().join("tests/data/docs/report.pdf"), sb.path("report.pdf")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let before = snapshot(&sb.db());
    for args in [&["ingest", "report.pdf"][..], &["extract", "report.pdf"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_keruen"))
            .current_dir(sb.dir.path())
            .env("PATH", &path)
            .env("KERUEN_PDF_TIMEOUT", "1")
            .arg("--db")
            .arg(sb.db())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("report.pdf: pdftotext did not finish within 1 s and was stopped"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(snapshot(&sb.db()), before);
    // The option takes no nonsense.
    let run = sb.keruen(&["ingest", "--pdf-timeout", "0", "report.pdf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--pdf-timeout"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------
// The server.

/// `keruen serve` on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Server {
    fn start(sb: &Sandbox) -> Server {
        let log = sb.path("server.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_keruen"))
            .current_dir(sb.dir.path())
            .env_remove("KERUEN_DB")
            .arg("--db")
            .arg(sb.db())
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        // It prints its address once it listens.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_string();
        Server { child, addr, log }
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[], Body::None)
    }

    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)], body: Body) -> Response {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        // A safety net against a server that never answers, not a measurement.
        stream.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let payload: Vec<u8> = match body {
            Body::None => Vec::new(),
            Body::Bytes(b) => {
                head.push_str(&format!("Content-Length: {}\r\n", b.len()));
                b.to_vec()
            }
            Body::Chunked(b) => {
                head.push_str("Transfer-Encoding: chunked\r\n");
                let mut out = Vec::new();
                for chunk in b.chunks(64 * 1024) {
                    out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
                out
            }
        };
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The body goes on its own thread: a server that answers 413 stops reading
        // it, and the answer must still be read here.
        let mut writer = stream.try_clone().unwrap();
        let sender = std::thread::spawn(move || {
            let _ = writer.write_all(&payload);
        });
        let mut raw = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
                // A reset after the answer (the server closed with the body unread).
                Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => break,
                Err(e) => panic!("{method} {target}: {e}"),
            }
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
        let _ = sender.join();
        Response::parse(&raw).unwrap_or_else(|| panic!("{method} {target}: no HTTP answer in {raw:?}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum Body<'a> {
    None,
    Bytes(&'a [u8]),
    Chunked(&'a [u8]),
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Option<Response> {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
        let head = std::str::from_utf8(&raw[..split]).ok()?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut rest = &raw[split + 4..];
        let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            let mut body = Vec::new();
            loop {
                let eol = rest.windows(2).position(|w| w == b"\r\n")?;
                let size = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).ok()?.trim(), 16).ok()?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(rest.get(eol + 2..eol + 2 + size)?);
                rest = &rest[eol + 2 + size + 2..];
            }
            body
        } else {
            rest.to_vec()
        };
        Some(Response { status, headers, body })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// Checks an error answer: the status, the JSON error shape with `code`, and
    /// returns the message.
    #[track_caller]
    fn error(&self, status: u16, code: &str) -> String {
        let v = self.json();
        assert_eq!(self.status, status, "{v}");
        assert!(
            self.header("content-type").is_some_and(|t| t.starts_with("application/json")),
            "{:?}",
            self.headers
        );
        let e = &v["error"];
        assert_eq!(e["code"], code, "{v}");
        let message = e["message"].as_str().unwrap_or_else(|| panic!("no message in {v}"));
        assert!(!message.is_empty(), "{v}");
        message.to_string()
    }
}

/// `%`-encoding of a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A token's secret, created with the CLI.
fn token(sb: &Sandbox, expires: &str) -> (String, String) {
    let out =
        sb.keruen(&["--json", "tokens", "create", "--user", "aigerim", "--expires", expires]).ok().stdout;
    let v: Value = serde_json::from_str(&out).unwrap();
    (v["secret"].as_str().unwrap().to_string(), v["token"]["id"].as_str().unwrap().to_string())
}

/// After the server has run: no panic and no internal error in its log, and it
/// still answers.
#[track_caller]
fn assert_server_sound(server: &mut Server) {
    assert!(server.child.try_wait().unwrap().is_none(), "the server died");
    assert_eq!(server.get("/api/v1/stats").status, 200);
    let log = std::fs::read_to_string(&server.log).unwrap();
    assert!(!log.contains("panicked") && !log.contains("internal error"), "server log:\n{log}");
}

#[test]
fn the_api_answers_unknown_ids_search_syntax_and_paths_with_its_error_shape() {
    let sb = seeded();
    let before = snapshot(&sb.db());
    let mut server = Server::start(&sb);

    for kind in ["events", "entities", "sources"] {
        for id in ["NOPE", "..%2F..%2Fetc%2Fpasswd", "demo-0001%27%20OR%20%271%27%3D%271"] {
            let message = server.get(&format!("/api/v1/{kind}/{id}")).error(404, "not_found");
            assert!(message.contains("with id `"), "{message}");
        }
    }
    let message = server.get("/api/v1/events/NOPE/evidence").error(404, "not_found");
    assert!(message.contains("NOPE"), "{message}");

    for q in SEARCHES {
        let r = server.get(&format!("/api/v1/search?q={}", encode(q)));
        assert_eq!(r.status, 200, "q={q:?}: {}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        assert!(v["hits"].is_array() && v["total"].is_u64(), "q={q:?}: {v}");
    }
    let message = server.get("/api/v1/search?from=2019-13-45").error(400, "invalid");
    assert!(message.contains("month 13"), "{message}");
    assert_eq!(server.get("/api/v1/search?from=2019-13-45").json()["error"]["field"], "from");

    // Export names a format, never a file; a path is an unknown format or parameter.
    let outside = sb.path("written-by-server.jsonl");
    let message = server.get("/api/v1/export/..%2F..%2Fetc%2Fpasswd").error(404, "not_found");
    assert!(message.contains("no export format"), "{message}");
    let r = server.get(&format!("/api/v1/export/jsonl?out={}", encode(outside.to_str().unwrap())));
    r.error(400, "invalid");
    assert_eq!(r.json()["error"]["field"], "out");
    let r = server.get("/api/v1/export/jsonl?file=..%2F..%2Fx.jsonl");
    r.error(400, "invalid");
    assert!(!outside.exists());
    let message = server.get("/assets/..%2F..%2FCargo.toml").error(404, "not_found");
    assert!(!message.contains("[package]"), "{message}");
    assert_eq!(server.get("/api/v1/export/jsonl").status, 200);

    assert_server_sound(&mut server);
    drop(server);
    assert_eq!(snapshot(&sb.db()), before, "the database changed");
}

#[test]
fn the_api_refuses_bad_imports_and_bad_tokens_and_changes_nothing() {
    let sb = seeded();
    let (good, _) = token(&sb, "30d");
    let (revoked, revoked_id) = token(&sb, "30d");
    sb.keruen(&["tokens", "revoke", &revoked_id]).ok();
    // Expires five seconds from now: used after that instant has passed.
    let expiry = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(5))
        .and_then(|t| t.round(jiff::Unit::Second))
        .unwrap();
    let stamp = expiry.to_string();
    let (expired, _) = token(&sb, &stamp);
    let before = snapshot(&sb.db());
    let mut server = Server::start(&sb);
    let bearer = |t: &str| format!("Bearer {t}");
    let import =
        |auth: &str, body: Body| server.request("POST", "/api/v1/import", &[("Authorization", auth)], body);

    // Bodies that are not records.
    let source = r#"{"record":"source","id":"src-api","type":"book","title":"Fine"}"#;
    let auth = bearer(&good);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "the body is empty"),
        ("blank", b"\n\n  \n".to_vec(), "the body is empty"),
        ("binary", noise(4096, 3).into_iter().chain([0u8]).collect(), "looks binary"),
        (
            "invalid UTF-8",
            format!("{source}\n").into_bytes().into_iter().chain(*b"{\"record\":\"\xff\"}\n").collect(),
            "not valid UTF-8",
        ),
        ("nested", format!("{source}\n{}\n", "[".repeat(100_000)).into_bytes(), "bad JSON"),
        (
            "impossible date",
            format!(
                "{source}\n{}\n",
                r#"{"record":"event","id":"ev-api","type":"festival","date":"2019-13-45"}"#
            )
            .into_bytes(),
            "month 13 does not exist",
        ),
        (
            "missing field",
            format!("{source}\n{}\n", r#"{"record":"event","id":"ev-api"}"#).into_bytes(),
            "missing field `type`",
        ),
    ];
    for (what, body, needle) in &cases {
        let r = import(&auth, Body::Bytes(body));
        let message = r.error(400, "invalid");
        assert!(message.contains(needle), "{what}: `{needle}` not in {message}");
        assert_eq!(r.json()["error"]["field"], "body", "{what}");
        // A bad record is named by its line, as the CLI names it.
        if matches!(*what, "invalid UTF-8" | "nested" | "impossible date" | "missing field") {
            assert!(message.starts_with("line 2: "), "{what}: {message}");
        }
    }
    let r = server.request(
        "POST",
        "/api/v1/review",
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        Body::Bytes("[".repeat(100_000).as_bytes()),
    );
    r.error(400, "invalid");

    // Larger than the upload limit (20 MB): declared, and streamed without a length.
    let huge = vec![b' '; 21 << 20];
    let message = import(&auth, Body::Bytes(&huge)).error(413, "payload_too_large");
    assert!(message.contains("20 MB"), "{message}");
    import(&auth, Body::Chunked(&huge)).error(413, "payload_too_large");
    let big_json = vec![b' '; 3 << 20];
    server
        .request(
            "POST",
            "/api/v1/review",
            &[("Authorization", &auth), ("Content-Type", "application/json")],
            Body::Bytes(&big_json),
        )
        .error(413, "payload_too_large");

    // Tokens: malformed, unknown, revoked, expired. (At most four failed tokens:
    // the fifth from one address would be answered 429 by the limiter.)
    let record = format!("{source}\n");
    for auth in ["Bearer", "Basic YWlnZXJpbTpwYXNzd29yZA==", "krn_0000", "Bearer  "] {
        let r = import(auth, Body::Bytes(record.as_bytes()));
        r.error(401, "unauthorized");
        assert_eq!(r.json()["error"]["field"], "Authorization", "{auth}");
    }
    let r = server.request("POST", "/api/v1/import", &[], Body::Bytes(record.as_bytes()));
    r.error(401, "unauthorized");
    while jiff::Timestamp::now() <= expiry.checked_add(jiff::SignedDuration::from_secs(1)).unwrap() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let junk = format!("krn_{}", "z".repeat(10_000));
    for (what, secret) in
        [("unknown", "krn_0000".to_string()), ("revoked", revoked), ("expired", expired), ("junk", junk)]
    {
        let r = import(&bearer(&secret), Body::Bytes(record.as_bytes()));
        let message = r.error(401, "unauthorized");
        assert!(message.contains("unknown, expired or revoked"), "{what}: {message}");
        assert_eq!(r.json()["error"]["field"], "Authorization", "{what}");
    }

    assert_server_sound(&mut server);
    drop(server);
    assert_eq!(snapshot(&sb.db()), before, "the database changed");

    // The same server takes a good import with the good token: the refusals were
    // about the requests, not a broken server or token.
    let server = Server::start(&sb);
    let r = server.request(
        "POST",
        "/api/v1/import",
        &[("Authorization", &bearer(&good))],
        Body::Bytes(record.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["sources"], 1);
}
