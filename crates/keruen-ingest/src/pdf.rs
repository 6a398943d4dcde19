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

use crate::{Extracted, ReadError, layout, page};

/// The text-layer extractor.
const PDFTOTEXT: &str = "pdftotext";

/// Reads a PDF from disk.
pub(crate) fn read_file(name: &str, path: &Path) -> Result<Extracted, ReadError> {
    read(name, Input::Path(path))
}

/// Reads a PDF held in memory, handing it to poppler on standard input.
pub(crate) fn read_bytes(name: &str, bytes: &[u8]) -> Result<Extracted, ReadError> {
    read(name, Input::Bytes(bytes))
}

/// Where poppler reads the PDF from.
#[derive(Clone, Copy)]
enum Input<'a> {
    Path(&'a Path),
    Bytes(&'a [u8]),
}

fn read(name: &str, input: Input<'_>) -> Result<Extracted, ReadError> {
    let xhtml = run(PDFTOTEXT, &["-bbox-layout", "-enc", "UTF-8"], input, &["-"])
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
    /// Starting it or talking to it failed otherwise.
    Io(io::Error),
}

impl Failure {
    fn into_error(self, name: &str) -> ReadError {
        match self {
            Failure::Missing => ReadError::PdftotextMissing,
            Failure::Failed(detail) => ReadError::PdfUnreadable { name: name.to_owned(), detail },
            Failure::Io(source) => ReadError::Io { name: name.to_owned(), source },
        }
    }
}

/// Runs `program ARGS INPUT TRAILING` and returns its standard output. The input is
/// the path, or `-` with the bytes written to standard input (poppler reads `-` as
/// stdin).
fn run(program: &str, args: &[&str], input: Input<'_>, trailing: &[&str]) -> Result<Vec<u8>, Failure> {
    let mut command = Command::new(program);
    command.args(args);
    match input {
        Input::Path(path) => command.arg(path_argument(path)),
        Input::Bytes(_) => command.arg("-"),
    };
    command
        .args(trailing)
        .stdin(match input {
            Input::Path(_) => Stdio::null(),
            Input::Bytes(_) => Stdio::piped(),
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Failure::Missing,
        _ => Failure::Io(e),
    })?;

    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    // Feed stdin and drain both pipes at once: a large PDF or a chatty stderr would
    // otherwise fill a pipe buffer and deadlock the two processes.
    std::thread::scope(|scope| -> Result<(), Failure> {
        let feeder = child.stdin.take().map(|mut stdin| {
            let bytes = match input {
                Input::Bytes(bytes) => bytes,
                Input::Path(_) => &[][..],
            };
            // A broken pipe only means poppler stopped reading (a damaged file); its
            // exit status and stderr tell the real story, so the write error is ignored.
            scope.spawn(move || {
                let _ = stdin.write_all(bytes);
            })
        });
        let mut err_pipe = child.stderr.take().expect("stderr is piped");
        let err_reader = scope.spawn(move || {
            let mut buffer = Vec::new();
            err_pipe.read_to_end(&mut buffer).map(|_| buffer)
        });
        child.stdout.take().expect("stdout is piped").read_to_end(&mut stdout).map_err(Failure::Io)?;
        if let Some(feeder) = feeder {
            let _ = feeder.join();
        }
        stderr = err_reader.join().unwrap_or_else(|_| Ok(Vec::new())).map_err(Failure::Io)?;
        Ok(())
    })?;
    let status = child.wait().map_err(Failure::Io)?;
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
        let failure = run("keruen-no-such-pdftotext", &[], Input::Bytes(b"%PDF"), &["-"]).unwrap_err();
        assert!(matches!(failure, Failure::Missing));
        assert_eq!(
            failure.into_error("x.pdf").to_string(),
            "pdftotext not found: install poppler-utils (Debian: apt-get install poppler-utils)"
        );
    }
}
