//! Throughput of each stage of the extractor on the project's fixture documents
//! (tests/data/corpus: the English ones together, the Russian ones together, each
//! repeated to about 1 MB), one stage at a time on inputs prepared by the others.
//! Run with: cargo bench -p keruen-extract --bench stages
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use keruen_extract::stages::Stages;
use std::hint::black_box;

/// The fixture documents of one language, without their bibliographies, repeated to
/// about 1 MB, with one bibliography at the end.
fn corpus(lang: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/corpus")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(lang) && n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut bodies = String::new();
    let mut bibliography = String::new();
    for n in names {
        let text = std::fs::read_to_string(dir.join(n)).expect("fixture");
        let cut = ["\nReferences\n", "\nSources and literature\n", "\nСписок литературы\n"]
            .iter()
            .filter_map(|h| text.find(h))
            .min()
            .unwrap_or(text.len());
        bodies.push_str(&text[..cut]);
        bodies.push_str("\n\n");
        if bibliography.is_empty() && cut < text.len() {
            bibliography = text[cut..].to_string();
        }
    }
    let mut out = String::new();
    while out.len() < 1_000_000 {
        out.push_str(&bodies);
    }
    out + &bibliography
}

fn stages(c: &mut Criterion) {
    for lang in ["en", "ru"] {
        let text = corpus(lang);
        let s = Stages::new(&text);
        let mut g = c.benchmark_group(format!("stages/{lang}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(10);
        g.bench_function("sentences", |b| b.iter(|| black_box(s.sentences())));
        g.bench_function("timex", |b| b.iter(|| black_box(s.timexes())));
        g.bench_function("entities", |b| b.iter(|| black_box(s.entities())));
        g.bench_function("events", |b| b.iter(|| black_box(s.events())));
        g.bench_function("archival", |b| b.iter(|| black_box(s.archival())));
        g.bench_function("citations", |b| b.iter(|| black_box(s.citations())));
        g.bench_function("whole", |b| {
            b.iter(|| black_box(keruen_extract::extract(&text, &keruen_extract::Options::default())))
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
