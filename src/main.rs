//! The `keruen` command: every capability of keruen from the terminal. A thin shell
//! over the library crates; see `keruen --help`.
mod cli;
mod commands;
mod db;
mod generate;
mod ingest;
mod output;

use clap::Parser;

// Imports and extraction allocate many small, short-lived values, often freed on
// another thread than the one that made them; mimalloc handles that far better than
// the system allocator (measured: docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`keruen export | head`) is not an error worth reporting.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
