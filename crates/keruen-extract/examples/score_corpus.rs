//! Extracts every annotated document of a corpus and scores it against its gold, as
//! `keruen eval` does, without building the CLI (a quick loop while editing rules).
//! Run with: cargo run --release -p keruen-extract --example score_corpus -- DIR [OUT_DIR]
//! Plan: for each DIR/NAME.gold.json read DIR/NAME.txt, extract, optionally write
//! OUT_DIR/NAME.json, and print the metrics over the corpus and per document.
use keruen_extract::{Extractor, Options};
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: score_corpus DIR [OUT_DIR]");
    let out = args.next();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".gold.json").map(str::to_string))
        .collect();
    names.sort();
    let mut all = keruen_eval::Scorer::default();
    for name in names {
        let gold: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(Path::new(&dir).join(format!("{name}.gold.json"))).unwrap(),
        )
        .unwrap();
        let text = std::fs::read_to_string(Path::new(&dir).join(format!("{name}.txt"))).unwrap();
        let options = Options { document: format!("{name}.txt"), ..Options::default() };
        let pred = serde_json::to_value(Extractor::builtin().extract(&text, &options)).unwrap();
        if let Some(o) = &out {
            std::fs::create_dir_all(o).unwrap();
            std::fs::write(
                Path::new(o).join(format!("{name}.json")),
                serde_json::to_string_pretty(&pred).unwrap(),
            )
            .unwrap();
        }
        let mut one = keruen_eval::Scorer::default();
        one.add_document(&gold, &pred, Some(&text));
        all.add_document(&gold, &pred, Some(&text));
        let m = one.metrics();
        let cols = [
            "timex.f1",
            "timex.value_f1",
            "entity.f1",
            "event.f1",
            "event.full_f1",
            "archival.f1",
            "citation.f1",
        ];
        let shown: Vec<String> =
            cols.iter().map(|k| format!("{}={:.2}", k, m.get(k).unwrap_or(0.0))).collect();
        println!("{name:28} {}", shown.join(" "));
    }
    let m = all.metrics();
    let shown: Vec<String> =
        m.0.iter()
            .filter(|(k, _)| !k.ends_with(".p") && !k.ends_with(".r"))
            .map(|(k, v)| format!("{k}={v:.3}"))
            .collect();
    println!("{}", shown.join(" "));
    for p in all.problems.iter().take(10) {
        println!("problem: {p}");
    }
}
