//! PDF: the text layer, through poppler's `pdftotext`.
//!
//! Why a subprocess and not a Rust PDF crate: poppler is what most PDF viewers on
//! Linux use, it copes with the broken fonts and odd encodings of real-world PDFs
//! (Cyrillic in custom-encoded Type 1 fonts, for one) far better than the pure-Rust
//! extractors, and it keeps a large dependency tree out of the build. The price is
//! an external program: Debian's `poppler-utils`.
//!
//! pdftotext runs as `pdftotext -bbox-layout -enc UTF-8 FILE -`, which gives the
//! words of each line in reading order and the title from the document
//! information; [`crate::layout`] says why not its plain-text output, and
//! [`crate::page`] cleans the pages.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{Extracted, MAX_TEXT_BYTES, ReadError, human_bytes, layout, page};

/// The text-layer extractor.
const PDFTOTEXT: &str = "pdftotext";

/// Most XHTML taken from pdftotext: its word boxes cost about ten times the text,
/// so this is room for a text of [`MAX_TEXT_BYTES`] (a text layer that is larger is
/// refused all the same). A hostile PDF could otherwise inflate without end.
const MAX_OUTPUT_BYTES: usize = 16 * MAX_TEXT_BYTES;

/// Reads a PDF from disk.
pub(crate) fn read_file(name: &str, path: &Path, timeout: Duration) -> Result<Extracted, ReadError> {
    read(name, path, timeout)
}

/// Reads a PDF held in memory, through a temporary file. Not through poppler's
/// standard input: on a damaged PDF read from a pipe, poppler's recovery can loop
/// (found by fuzzing: a 23 KB file that a path reads in 30 ms spun for minutes on
/// stdin, writing hundreds of thousands of syntax errors).
pub(crate) fn read_bytes(name: &str, bytes: &[u8], timeout: Duration) -> Result<Extracted, ReadError> {
    let io = |source| ReadError::Io { name: name.to_owned(), source };
    let mut file = tempfile::Builder::new().prefix("keruen-").suffix(".pdf").tempfile().map_err(io)?;
    file.write_all(bytes).and_then(|()| file.flush()).map_err(io)?;
    read(name, file.path(), timeout)
}

fn read(name: &str, path: &Path, timeout: Duration) -> Result<Extracted, ReadError> {
    let xhtml = run(PDFTOTEXT, &["-bbox-layout", "-enc", "UTF-8"], path, &["-"], timeout)
        .map_err(|failure| failure.into_error(name))?;
    let layout =
        layout::parse(&String::from_utf8_lossy(&xhtml)).map_err(|detail| ReadError::PdfUnreadable {
            name: name.to_owned(),
            detail: format!("unexpected pdftotext output: {detail}"),
        })?;
    let text = page::clean(layout.pages);
    if text.trim().is_empty() {
        return Err(ReadError::NoTextLayer { name: name.to_owned() });
    }
    Ok(Extracted { text, title: layout.title, encoding: "UTF-8".to_owned() })
}

/// The path as an argument: a relative name starting with `-` would be read as
/// an option (or as standard input), so it gets a leading `./`.
fn path_argument(path: &Path) -> PathBuf {
    if path.as_os_str().as_encoded_bytes().starts_with(b"-") {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// How running a poppler tool failed.
#[derive(Debug)]
enum Failure {
    /// The program is not installed.
    Missing,
    /// It ran and reported an error.
    Failed(String),
    /// It did not finish within the time allowed, and was killed.
    TimedOut(Duration),
    /// It wrote more than [`MAX_OUTPUT_BYTES`], and was killed.
    TooMuchOutput,
    /// Starting it or talking to it failed otherwise.
    Io(io::Error),
}

impl Failure {
    fn into_error(self, name: &str) -> ReadError {
        let name = name.to_owned();
        match self {
            Failure::Missing => ReadError::PdftotextMissing,
            Failure::Failed(detail) => ReadError::PdfUnreadable { name, detail },
            Failure::TimedOut(t) => {
                let seconds = format!("{:.3}", t.as_secs_f64());
                let seconds = seconds.trim_end_matches('0').trim_end_matches('.').to_owned();
                ReadError::PdfTimeout { name, seconds }
            }
            Failure::TooMuchOutput => ReadError::TooLarge {
                name,
                what: "its text layer",
                size: format!("more than {}", human_bytes(MAX_TEXT_BYTES as u64)),
                limit: human_bytes(MAX_TEXT_BYTES as u64),
            },
            Failure::Io(source) => ReadError::Io { name, source },
        }
    }
}

/// How often a running program is looked at.
const POLL: Duration = Duration::from_millis(10);

/// Runs `program ARGS INPUT TRAILING` and returns its standard output. The input is
/// the path, or `-` with the bytes written to standard input (poppler reads `-` as
/// stdin). The program is killed when it runs past `timeout` or writes more than
/// [`MAX_OUTPUT_BYTES`].
fn run(
    program: &str,
    args: &[&str],
    path: &Path,
    trailing: &[&str],
    timeout: Duration,
) -> Result<Vec<u8>, Failure> {
    let mut command = Command::new(program);
    command
        .args(args)
        .arg(path_argument(path))
        .args(trailing)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let deadline = Instant::now() + timeout;
    let mut child = command.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Failure::Missing,
        _ => Failure::Io(e),
    })?;

    // Drain both pipes on their own threads, so that poppler never waits on a full
    // pipe, while this thread watches the clock: a PDF that sends
    // poppler into an endless loop must not hang the ingest.
    let overflow = AtomicBool::new(false);
    let (status, stdout, stderr) = std::thread::scope(|scope| {
        let mut err_pipe = child.stderr.take().expect("stderr is piped");
        let err_reader = scope.spawn(move || {
            let mut buffer = Vec::new();
            err_pipe.by_ref().take(1 << 20).read_to_end(&mut buffer)?;
            // The rest is drained unread, so that poppler never blocks on it.
            io::copy(&mut err_pipe, &mut io::sink())?;
            Ok::<_, io::Error>(buffer)
        });
        let out_pipe = child.stdout.take().expect("stdout is piped");
        let overflow = &overflow;
        let out_reader = scope.spawn(move || {
            let mut buffer = Vec::new();
            out_pipe.take(MAX_OUTPUT_BYTES as u64 + 1).read_to_end(&mut buffer)?;
            if buffer.len() > MAX_OUTPUT_BYTES {
                // Stop reading: the watcher kills the writer.
                overflow.store(true, Ordering::SeqCst);
            }
            Ok::<_, io::Error>(buffer)
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) => {}
                Err(e) => break Err(Failure::Io(e)),
            }
            let now = Instant::now();
            let stop = if overflow.load(Ordering::SeqCst) {
                Some(Failure::TooMuchOutput)
            } else if now >= deadline {
                Some(Failure::TimedOut(timeout))
            } else {
                None
            };
            if let Some(why) = stop {
                // Killed, its pipes close and the threads end.
                let _ = child.kill();
                let _ = child.wait();
                break Err(why);
            }
            std::thread::sleep(POLL.min(deadline - now));
        };
        let stdout = out_reader.join().unwrap_or_else(|_| Ok(Vec::new()));
        let stderr = err_reader.join().unwrap_or_else(|_| Ok(Vec::new()));
        (status, stdout, stderr)
    });
    let status = status?;
    if overflow.load(Ordering::SeqCst) {
        // It may have ended on its own just after the last byte taken.
        return Err(Failure::TooMuchOutput);
    }
    let stdout = stdout.map_err(Failure::Io)?;
    let stderr = stderr.map_err(Failure::Io)?;
    if !status.success() {
        let message = String::from_utf8_lossy(&stderr);
        let message = message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>();
        let detail =
            if message.is_empty() { format!("{program} exited with {status}") } else { message.join("; ") };
        return Err(Failure::Failed(detail));
    }
    Ok(stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_starting_with_a_dash_are_not_options() {
        assert_eq!(path_argument(Path::new("-report.pdf")), Path::new("./-report.pdf"));
        assert_eq!(path_argument(Path::new("-")), Path::new("./-"));
        assert_eq!(path_argument(Path::new("docs/a-b.pdf")), Path::new("docs/a-b.pdf"));
        assert_eq!(path_argument(Path::new("/tmp/-x.pdf")), Path::new("/tmp/-x.pdf"));
    }

    #[test]
    fn a_missing_program_is_reported_as_missing() {
        let failure =
            run("keruen-no-such-pdftotext", &[], Path::new("x.pdf"), &["-"], Duration::from_secs(5))
                .unwrap_err();
        assert!(matches!(failure, Failure::Missing));
        assert_eq!(
            failure.into_error("x.pdf").to_string(),
            "pdftotext not found: install poppler-utils (Debian: apt-get install poppler-utils)"
        );
    }

    /// A program that never finishes (as poppler might on a hostile PDF) is killed at
    /// the deadline, and the error names the file and the time allowed.
    #[cfg(unix)]
    #[test]
    fn a_program_past_its_deadline_is_killed() {
        let failure =
            run("sh", &["-c", "exec sleep 600"], Path::new("x.pdf"), &["-"], Duration::from_millis(200))
                .unwrap_err();
        assert!(matches!(failure, Failure::TimedOut(_)), "{failure:?}");
        assert_eq!(
            failure.into_error("hostile.pdf").to_string(),
            "hostile.pdf: pdftotext did not finish within 0.2 s and was stopped (a damaged or hostile PDF?); \
             if the PDF is only very large, allow more time with --pdf-timeout"
        );
    }

    /// A program that ends in time is not disturbed by the watch.
    #[cfg(unix)]
    #[test]
    fn a_program_within_its_deadline_gives_its_output() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, b"%PDF ").unwrap();
        // `sh -c SCRIPT PATH -`: the path is $0.
        let out =
            run("sh", &["-c", "cat \"$0\"; echo done"], &pdf, &["-"], Duration::from_secs(600)).unwrap();
        assert_eq!(out, b"%PDF done\n");
    }
}
