//! `keruen extract FILE`: what the extractor finds in one document, without storing.
use crate::cli::{Cli, ExtractArgs, ExtractFormat};
use crate::output;
use anyhow::{Context, Result};
use keruen_extract::{Extraction, Extractor, Options};
use keruen_model::Edtf;
use std::io::Write;

/// Reads a document and extracts from it.
pub(crate) fn read_and_extract(
    path: &std::path::Path,
    date: Option<&str>,
    lang: Option<&str>,
    limits: &keruen_ingest::Limits,
) -> Result<(keruen_ingest::Document, Extraction)> {
    let doc = keruen_ingest::read_path_with(path, limits)?;
    let document_date = date.map(|d| d.parse::<Edtf>()).transpose().context("--date")?;
    let options = Options {
        document: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        document_date,
        language: lang.map(str::to_string),
    };
    let x = Extractor::builtin().extract(&doc.text, &options);
    Ok((doc, x))
}

pub fn run(_cli: &Cli, args: &ExtractArgs) -> Result<()> {
    let limits = keruen_ingest::Limits { pdf_timeout: args.pdf_timeout };
    let (_, x) = read_and_extract(&args.file, args.date.as_deref(), args.lang.as_deref(), &limits)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ExtractFormat::Json => output::json(&mut out, &x)?,
        ExtractFormat::Table => table(&mut out, &x)?,
    }
    out.flush()?;
    Ok(())
}

fn table(out: &mut impl Write, x: &Extraction) -> Result<()> {
    writeln!(out, "{} ({}):", x.document, x.language)?;
    writeln!(out, "\ndates ({})", x.timexes.len())?;
    let rows: Vec<Vec<String>> = x
        .timexes
        .iter()
        .map(|t| {
            vec![
                format!("{}–{}", t.start, t.end),
                t.value.clone().unwrap_or_else(|| "?".into()),
                t.text.clone(),
            ]
        })
        .collect();
    output::table(out, &["chars", "value", "text"], &rows)?;
    writeln!(out, "\nentities ({})", x.entities.len())?;
    let rows: Vec<Vec<String>> = x
        .entities
        .iter()
        .map(|e| {
            vec![
                e.kind.to_string(),
                e.code.clone().or_else(|| e.id.clone()).unwrap_or_default(),
                e.mentions.len().to_string(),
                e.name.clone(),
            ]
        })
        .collect();
    output::table(out, &["kind", "id", "mentions", "name"], &rows)?;
    writeln!(out, "\nevents ({})", x.events.len())?;
    let rows: Vec<Vec<String>> = x
        .events
        .iter()
        .map(|e| {
            let mut quote: String = e.evidence.text.chars().take(90).collect();
            if e.evidence.text.chars().count() > 90 {
                quote.push('…');
            }
            vec![
                e.event_type.to_string(),
                e.date.clone().unwrap_or_else(|| "undated".into()),
                e.countries.join(" "),
                quote.replace('\n', " "),
            ]
        })
        .collect();
    output::table(out, &["type", "date", "states", "evidence"], &rows)?;
    writeln!(out, "\narchival references ({})", x.archival_refs.len())?;
    for r in &x.archival_refs {
        writeln!(out, "  {}  [{}]", r.text, r.archive.as_deref().unwrap_or("archive not named"))?;
    }
    writeln!(out, "\ncitations ({}), bibliography entries ({})", x.citations.len(), x.references.len())?;
    for c in &x.citations {
        let linked = c.reference.map(|i| format!("→ entry {i}")).unwrap_or_else(|| "→ no entry".into());
        writeln!(out, "  {}  {linked}", c.text)?;
    }
    Ok(())
}
