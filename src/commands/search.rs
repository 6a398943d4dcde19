//! `keruen search`.
use crate::cli::{Cli, SearchArgs};
use crate::{db, output};
use anyhow::{Context, Result};
use keruen_model::{Edtf, EventType};
use keruen_store::{IndexState, SearchQuery, SearchResults, SqliteStore, Store, StoreError};
use std::io::Write;
use std::path::Path;

/// Builds a store query from the command line's options.
pub(crate) fn query_from_args(args: &SearchArgs) -> Result<SearchQuery> {
    let date = |flag: &str, v: &Option<String>| -> Result<Option<Edtf>> {
        v.as_deref().map(|s| s.parse::<Edtf>().with_context(|| format!("--{flag}"))).transpose()
    };
    let types = args
        .types
        .iter()
        .map(|t| t.parse::<EventType>().map_err(|e| anyhow::anyhow!("--type: {e}")))
        .collect::<Result<_>>()?;
    let countries = args
        .countries
        .iter()
        .map(|c| {
            let code = c.trim().to_uppercase();
            if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(code)
            } else {
                Err(anyhow::anyhow!("--country: `{c}` is not an ISO 3166-1 alpha-2 code such as KZ"))
            }
        })
        .collect::<Result<_>>()?;
    Ok(SearchQuery {
        text: args.text.clone(),
        types,
        countries,
        from: date("from", &args.from)?,
        to: date("to", &args.to)?,
        include_candidates: args.include_candidates,
        limit: Some(args.limit),
        facets: args.facets,
        ..SearchQuery::default()
    })
}

/// The answer from the database's index file when it has a current one; none (with a
/// note when there is a file it cannot use) to search with SQL. The store is not
/// opened for this: a read-only look at the database's revision is all it takes.
fn from_index(db: &Path, query: &SearchQuery) -> Option<keruen_store::Result<SearchResults>> {
    match SqliteStore::current_index(db) {
        Ok(IndexState::Current(index)) => Some(index.search(query)),
        Ok(IndexState::Missing) => None,
        Ok(IndexState::Stale) => {
            eprintln!(
                "note: {} is older than the database's last change; searching without it \
                 (`keruen index` brings it up to date)",
                SqliteStore::index_path_for(db).display()
            );
            None
        }
        Err(e @ StoreError::BadIndex { .. }) => {
            eprintln!("note: searching without the index: {e}");
            None
        }
        // What is wrong with the database itself, opening the store reports.
        Err(_) => None,
    }
}

pub fn run(cli: &Cli, args: &SearchArgs) -> Result<()> {
    let query = query_from_args(args)?;
    let results = match db::postgres_url(&cli.db) {
        None if !args.no_index => match from_index(&cli.db, &query) {
            Some(results) => results?,
            None => SqliteStore::open(&cli.db)?.search(&query)?,
        },
        _ => db::open(&cli.db)?.search(&query)?,
    };
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &results);
    }
    if !results.entities.is_empty() {
        let names: Vec<String> =
            results.entities.iter().map(|e| format!("{} ({})", e.name_en, e.id)).collect();
        writeln!(out, "names matched: {}", names.join(", "))?;
    }
    let rows: Vec<Vec<String>> = results
        .hits
        .iter()
        .map(|h| {
            vec![
                h.date.clone().unwrap_or_else(|| "undated".into()),
                h.event_type.to_string(),
                h.countries.join(" "),
                h.id.clone(),
                h.title.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::table(&mut out, &["date", "type", "states", "id", "title"], &rows)?;
    let more = if results.total_is_lower_bound { "more than " } else { "" };
    writeln!(
        out,
        "{} of {more}{} events",
        output::count(results.hits.len() as u64),
        output::count(results.total)
    )?;
    if results.total == 0 && !query.include_candidates {
        writeln!(
            out,
            "(only accepted events are searched; add --include-candidates to search unreviewed ones too)"
        )?;
    }
    if let Some(f) = &results.facets {
        let line = |name: &str, facets: &[keruen_store::Facet]| {
            let parts: Vec<String> =
                facets.iter().take(15).map(|f| format!("{} {}", f.value, f.count)).collect();
            format!("{name}: {}", parts.join(", "))
        };
        writeln!(out, "{}", line("types", &f.types))?;
        writeln!(out, "{}", line("states", &f.countries))?;
        writeln!(out, "{}", line("years", &f.years))?;
    }
    Ok(())
}
