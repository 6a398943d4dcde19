//! Runs one stage of the extractor repeatedly on a file, for a profiler:
//! `cargo run --release -p keruen-extract --example stage_loop -- FILE STAGE [TIMES]`
//! (STAGE: sentences, citations, archival, timex, entities, events, all).
use keruen_extract::stages::Stages;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, stage, rest @ ..] = args.as_slice() else {
        eprintln!("usage: stage_loop FILE STAGE [TIMES]");
        std::process::exit(2);
    };
    let times: usize = rest.first().and_then(|t| t.parse().ok()).unwrap_or(5);
    let text = std::fs::read_to_string(file).expect("readable UTF-8 file");
    let s = Stages::new(&text);
    let start = Instant::now();
    let mut found = 0;
    for _ in 0..times {
        found = match stage.as_str() {
            "sentences" => s.sentences(),
            "citations" => s.citations(),
            "archival" => s.archival(),
            "timex" => s.timexes(),
            "entities" => s.entities(),
            "events" => s.events(),
            "all" => {
                let x = keruen_extract::extract(&text, &keruen_extract::Options::default());
                x.timexes.len() + x.entities.len() + x.events.len()
            }
            other => panic!("unknown stage {other}"),
        };
    }
    let secs = start.elapsed().as_secs_f64() / times as f64;
    println!("{stage}: {found} found, {:.3} s per run, {:.1} MB/s", secs, text.len() as f64 / 1e6 / secs);
}
