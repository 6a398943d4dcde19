//! Reads one document and prints what keruen-ingest makes of it.
//!
//! Run with: `cargo run -p keruen-ingest --example read_document -- tests/data/docs/report.pdf`
//!
//! Plan: read the file with [`keruen_ingest::read_path`], print the metadata, then
//! the text exactly as the extractor will see it; on failure print the error,
//! which names the file and says what to do.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: read_document FILE");
        return ExitCode::FAILURE;
    };
    match keruen_ingest::read_path(&path) {
        Ok(doc) => {
            println!("format:   {}", doc.format);
            println!("title:    {}", doc.title.as_deref().unwrap_or("-"));
            println!("encoding: {}", doc.encoding);
            println!("language: {}", doc.language.as_deref().unwrap_or("-"));
            println!("chars:    {}", doc.text.chars().count());
            println!("---");
            println!("{}", doc.text);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
