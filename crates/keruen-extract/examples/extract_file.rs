//! Extracts one plain-text file and prints how long the whole pipeline and each of
//! its stages took (a profiling aid that does not build the CLI).
//! Run with: cargo run --release -p keruen-extract --example extract_file -- FILE
use keruen_extract::stages::Stages;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: extract_file FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let mb = text.len() as f64 / 1e6;
    let t = Instant::now();
    keruen_extract::Extractor::builtin();
    eprintln!("build the extractor: {:.2?}", t.elapsed());
    let t = Instant::now();
    let x = keruen_extract::extract(&text, &keruen_extract::Options::default());
    let took = t.elapsed();
    let t = Instant::now();
    let json = serde_json::to_string(&x).expect("serialisable");
    eprintln!(
        "{mb:.1} MB in {took:.2?} ({:.1} MB/s); JSON {} bytes in {:.2?}; {} timexes, {} events",
        mb / took.as_secs_f64(),
        json.len(),
        t.elapsed(),
        x.timexes.len(),
        x.events.len()
    );
    if std::env::var_os("QUICK").is_some() {
        return;
    }
    let stages = Stages::new(&text);
    // STAGE=name runs one stage ten times more, for a profiler.
    if let Ok(only) = std::env::var("STAGE") {
        for _ in 0..10 {
            let n = match only.as_str() {
                "sentences" => stages.sentences(),
                "citations" => stages.citations(),
                "archival" => stages.archival(),
                "timexes" => stages.timexes(),
                "entities" => stages.entities(),
                _ => stages.events(),
            };
            std::hint::black_box(n);
        }
    }
    let stage = |name: &str, f: &dyn Fn() -> usize| {
        let t = Instant::now();
        let n = f();
        eprintln!("  {name:10} {:>8.2?}  {n} items", t.elapsed());
    };
    stage("sentences", &|| stages.sentences());
    stage("citations", &|| stages.citations());
    stage("archival", &|| stages.archival());
    stage("timexes", &|| stages.timexes());
    stage("entities", &|| stages.entities());
    stage("events", &|| stages.events());
}
