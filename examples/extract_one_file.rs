//! Extract the facts of one document and print a summary.
//!
//! Run with: `cargo run --example extract_one_file -- tests/data/corpus/en-chronology.txt`
//!
//! Plan: read the file with keruen-ingest (any supported format), extract with the
//! built-in extractor, print what was found by kind.
fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "tests/data/corpus/en-chronology.txt".into());
    let doc = keruen_ingest::read_path(std::path::Path::new(&path))?;
    let x = keruen_extract::extract(&doc.text, &keruen_extract::Options::default());
    println!("{path}: {} ({})", doc.title.as_deref().unwrap_or("untitled"), x.language);
    println!("  {} dates, {} entities, {} events", x.timexes.len(), x.entities.len(), x.events.len());
    println!(
        "  {} archival references, {} citations, {} bibliography entries",
        x.archival_refs.len(),
        x.citations.len(),
        x.references.len()
    );
    for e in x.events.iter().take(5) {
        println!("  {} {} {:?}", e.event_type, e.date.as_deref().unwrap_or("undated"), e.countries);
    }
    Ok(())
}
