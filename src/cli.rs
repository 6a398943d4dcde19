//! Command-line interface: every command and flag, with its help text.
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// keruen — a knowledge base of cultural, educational and scientific cooperation
/// between Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan and their
/// partners. Every fact keeps its source.
#[derive(Parser, Debug)]
#[command(name = "keruen", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "Start with `keruen demo` to build a demo database and open it in a browser.\n\
Run `keruen COMMAND --help` for the options of one command.")]
pub struct Cli {
    /// The database: a file path (SQLite), or a postgres://USER@HOST/DB URL
    /// (PostgreSQL: a team's or a portal's shared server; docs/deployment.md).
    #[arg(long, global = true, env = "KERUEN_DB", default_value = "keruen.db", value_name = "PATH|URL")]
    pub db: PathBuf,

    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Act as this user of the database (with their role) instead of the local admin;
    /// every change is recorded under the name of the user making it.
    #[arg(long = "as", global = true, env = "KERUEN_AS", value_name = "USER")]
    pub as_user: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the demo database from the data keruen ships, and describe it.
    Demo(DemoArgs),
    /// Serve the web interface and the REST API (/api/v1, described at
    /// /api/openapi.json) of the database, until Ctrl-C.
    Serve(ServeArgs),
    /// Create an empty database (with the reference data: states, places, people…).
    Init,
    /// Import sources, entities and events from a JSONL or CSV file (docs/formats.md).
    Import(ImportArgs),
    /// Export what the database holds.
    Export(ExportArgs),
    /// Search events by names (any script, former names too) and words, with filters.
    Search(SearchArgs),
    /// Build the search index file beside the database (PATH-index): `search` then
    /// answers from it in milliseconds, until the database changes.
    Index,
    /// Show one event, entity or source by its id.
    Show(ShowArgs),
    /// Counts of what the database holds; with a measure (matrix, network, series,
    /// profile), the analysis of cooperation (docs/analysis.md).
    Stats(crate::commands::analysis::StatsArgs),
    /// Round anniversaries of people, organisations, works and agreements in a year or
    /// a span of years, as a table, JSON or an iCalendar feed.
    Jubilees(crate::commands::jubilees::JubileesArgs),
    /// Draw a chart as SVG: the country matrix, events per year, or the network.
    Chart(crate::commands::chart::ChartArgs),
    /// Read documents, extract their facts and store them as candidates for review.
    Ingest(IngestArgs),
    /// Extract dates, entities, events, archival references and citations from a
    /// document (.txt, .md, .html, .pdf, .docx) and print them, without storing.
    Extract(ExtractArgs),
    /// Score the extractor on an annotated corpus (DIR/NAME.txt with DIR/NAME.gold.json),
    /// with the metrics of ../shared/eval/score.py.
    Eval(EvalArgs),
    /// Write a realistic synthetic data set (JSONL) for benchmarks.
    Generate(GenerateArgs),
    /// The change history of one item (event, entity or source id, user:NAME,
    /// token:ID): who changed what, when, why, and what it was before.
    History(ShowArgs),
    /// Review candidate facts: list, accept, reject, edit (docs/curation.md).
    Review(crate::commands::review::ReviewArgs),
    /// Pairs of events that look like one event reported by several sources.
    Duplicates(crate::commands::curate::DuplicatesArgs),
    /// Merge event B into event A: A keeps both events' evidence, B is hidden.
    Merge(crate::commands::curate::MergeArgs),
    /// Undo the merge of an event: it comes back with its evidence.
    Unmerge(crate::commands::curate::ItemArgs),
    /// Move one piece of evidence out of an event into a new candidate event.
    Split(crate::commands::curate::SplitArgs),
    /// What the sources of an event say about its date, states, places and type;
    /// without an id, the events whose sources disagree.
    Conflicts(crate::commands::curate::ConflictsArgs),
    /// Choose the value of a disputed field; the other sources' evidence stays.
    Resolve(crate::commands::curate::ResolveArgs),
    /// Undo the latest change to an event (a review, edit, resolution or merge).
    Undo(crate::commands::curate::ItemArgs),
    /// Manage users and their roles: viewer, editor, admin.
    Users(crate::commands::users::UsersArgs),
    /// Manage API tokens.
    Tokens(crate::commands::users::TokensArgs),
    /// Rebuild this (new, empty) database from another database's audit log.
    Replay(crate::commands::users::ReplayArgs),
    /// Copy a whole database into a new one — SQLite to PostgreSQL or back, audit log
    /// included — and verify each table's row count and checksum.
    MigrateDb(crate::commands::migrate::MigrateDbArgs),
}

/// Options of `demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Where to build the demo database.
    #[arg(long, default_value = "keruen-demo.db", value_name = "PATH")]
    pub out: PathBuf,
    /// Build it and describe it, but do not start the web server.
    #[arg(long)]
    pub no_serve: bool,
    /// Where the web server listens (when 127.0.0.1:8080 is taken, a free port is
    /// chosen and printed).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
}

/// Options of `serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address and port to listen on; 0.0.0.0:8080 serves other machines too
    /// (put it behind an HTTPS proxy and add --secure-cookies). Port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080", env = "KERUEN_BIND", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
    /// Mark the session cookie Secure: set when the site is reached over HTTPS.
    #[arg(long, env = "KERUEN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// How many recent search answers (with their facet counts) to keep in memory;
    /// 0 keeps none. An answer is used only while the data is unchanged (by this
    /// server or any other process), and for 5 minutes at most.
    #[arg(long, default_value_t = 2048, env = "KERUEN_SEARCH_CACHE", value_name = "N")]
    pub search_cache: usize,
    /// Served behind a reverse proxy (nginx, Caddy) on this machine or network: count
    /// failed sign-ins by the client address the proxy puts last in X-Forwarded-For,
    /// not by the proxy's own address (which would lock out everyone at once).
    #[arg(long, env = "KERUEN_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// Do not keep the in-memory search index (about 150 MB per million events; it
    /// makes faceted searches take milliseconds): every search queries the database.
    #[arg(long, env = "KERUEN_NO_SEARCH_INDEX")]
    pub no_search_index: bool,
}

/// Options of `import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file: `.jsonl` (records of docs/formats.md) or `.csv` (a table of events,
    /// sources or entities, recognised by its header).
    pub file: PathBuf,
    /// Import the valid lines and write the rejected ones, with reasons, to a file
    /// (FILE.rejects.jsonl) instead of aborting at the first bad line.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Format of the file, when its extension does not say.
    #[arg(long, value_enum)]
    pub format: Option<DataFormat>,
}

/// Formats that `import` reads and `export` writes (docs/formats.md). `import` reads
/// jsonl, csv and jsonld: the formats that carry the whole data.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFormat {
    /// JSON Lines: one record per line, lossless.
    Jsonl,
    /// CSV: one table (events by default; see --table).
    Csv,
    /// JSON-LD with schema.org types, lossless.
    Jsonld,
    /// GEXF 1.3 of the cooperation network (Gephi).
    Gexf,
    /// GraphML of the cooperation network (networkx, igraph, yEd).
    Graphml,
    /// iCalendar (RFC 5545) of the accepted dated events.
    Ical,
    /// CSL-JSON of the sources (Zotero, Pandoc).
    Csl,
    /// BibTeX of the sources.
    Bibtex,
    /// Linked Places Format (GeoJSON-LD) of the places.
    LinkedPlaces,
}

/// Which table a CSV export writes.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvTable {
    /// Events.
    Events,
    /// Sources.
    Sources,
    /// Entities (imported and extracted; not the reference data).
    Entities,
}

/// Options of `export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: DataFormat,
    /// For CSV: which table to write.
    #[arg(long, value_enum, default_value = "events")]
    pub table: CsvTable,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Language of names in gexf, graphml, ical and linked-places: en or ru.
    #[arg(long, default_value = "en", value_name = "LANG")]
    pub lang: String,
    /// gexf, graphml, ical, linked-places: use candidate events too, not only
    /// accepted ones. (jsonl, jsonld and csv always hold every event, with its review
    /// status: they are the lossless formats.)
    #[arg(long)]
    pub include_candidates: bool,
}

/// Options of `search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words and names to look for: Khujand, Ходжент and Leninabad find the same
    /// events. Leave out to list by filters only.
    pub text: Option<String>,
    /// Only events of this type (repeatable): diplomatic_relations, agreement,
    /// culture_days, festival, conference, exhibition, performance, commemoration,
    /// competition, summit, founding, education, publication.
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Only events in which this state takes part (ISO code like KZ; repeatable: all
    /// must take part).
    #[arg(long = "country", value_name = "CC")]
    pub countries: Vec<String>,
    /// Only events that can fall on or after this date (EDTF: 1995, 1995-11, 1995-11-05).
    #[arg(long, value_name = "EDTF")]
    pub from: Option<String>,
    /// Only events that can fall on or before this date (EDTF).
    #[arg(long, value_name = "EDTF")]
    pub to: Option<String>,
    /// Also show candidate events that no curator has accepted yet.
    #[arg(long)]
    pub include_candidates: bool,
    /// How many events to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Show facet counts (by type, state, year).
    #[arg(long)]
    pub facets: bool,
    /// Search the database with SQL even when it has a current index file
    /// (`keruen index`).
    #[arg(long)]
    pub no_index: bool,
}

/// Options of `show` and `history`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The id: an event (demo-0001), an entity (KZ, place:almaty) or a source (src-…).
    pub id: String,
}

/// Options of `generate`.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// How many events.
    #[arg(long, default_value_t = 10_000)]
    pub events: u64,
    /// Seed of the random generator: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// How `extract` prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtractFormat {
    /// The JSON of ../shared/corpus/SCHEMA.md.
    Json,
    /// Readable tables.
    Table,
}

/// Options of `extract`.
#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// The document.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ExtractFormat,
    /// The document's date (EDTF), to anchor dates written without a year.
    #[arg(long, value_name = "EDTF")]
    pub date: Option<String>,
    /// The document's language (en or ru); detected when absent.
    #[arg(long)]
    pub lang: Option<String>,
    /// How long pdftotext may read the PDF before it is stopped and the PDF refused.
    #[arg(long, value_name = "SECONDS", env = "KERUEN_PDF_TIMEOUT", default_value = "120", value_parser = seconds)]
    pub pdf_timeout: std::time::Duration,
}

/// A positive number of seconds (`120`, `0.5`).
fn seconds(s: &str) -> Result<std::time::Duration, String> {
    let n: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !(n.is_finite() && n > 0.0 && n <= 86_400.0) {
        return Err(format!("`{s}`: give a number of seconds above 0 and at most 86400"));
    }
    Ok(std::time::Duration::from_secs_f64(n))
}

/// Options of `eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The annotated corpus: every NAME.gold.json is scored, against NAME.txt extracted.
    #[arg(long, value_name = "DIR")]
    pub gold_dir: PathBuf,
    /// Read the predictions (NAME.json) from this directory instead of extracting.
    #[arg(long, value_name = "DIR")]
    pub pred_dir: Option<PathBuf>,
    /// Exit with status 1 when a metric is below a floor (repeatable): timex.f1=0.9.
    #[arg(long, value_name = "METRIC=VALUE")]
    pub min: Vec<String>,
}

/// Options of `ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files (.txt, .md, .html, .pdf, .docx) or directories (searched recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The documents' date (EDTF), to anchor dates written without a year.
    #[arg(long, value_name = "EDTF")]
    pub date: Option<String>,
    /// How long pdftotext may read one PDF before it is stopped and the PDF refused.
    #[arg(long, value_name = "SECONDS", env = "KERUEN_PDF_TIMEOUT", default_value = "120", value_parser = seconds)]
    pub pdf_timeout: std::time::Duration,
}
