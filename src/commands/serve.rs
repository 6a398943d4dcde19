//! `keruen serve`: the web interface and the REST API of a database.
use crate::cli::{Cli, ServeArgs};
use crate::db;
use anyhow::{Context, Result};
use keruen_server::{AppState, Config};
use keruen_store::{IndexState, SearchIndex, SqliteStore, Store};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

pub fn run(cli: &Cli, args: &ServeArgs) -> Result<()> {
    let config = Config {
        secure_cookies: args.secure_cookies,
        search_cache: args.search_cache,
        search_index: !args.no_search_index,
        behind_proxy: args.behind_proxy,
        ..Config::default()
    };
    serve(&cli.db, args.bind, false, config)
}

/// Opens `path` and serves it on `bind` until Ctrl-C. With `fallback`, a taken port
/// is replaced by a free one (for `keruen demo`, which should just work).
pub fn serve(path: &Path, bind: SocketAddr, fallback: bool, config: Config) -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KERUEN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,keruen_server=info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let (store, index) = open_with_index_file(path, config.search_index)?;
    let index_note = match &index {
        Some(_) => format!("  search index: mapped from {}\n", SqliteStore::index_path_for(path).display()),
        None => String::new(),
    };
    let listener = match keruen_server::bind(bind) {
        Ok(l) => l,
        Err(e) if fallback && e.kind() == std::io::ErrorKind::AddrInUse => {
            keruen_server::bind(SocketAddr::new(bind.ip(), 0)).context("cannot find a free port")?
        }
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot listen on {bind}: choose another with --bind ADDR:PORT"));
        }
    };
    let addr = listener.local_addr()?;
    let shown =
        if addr.ip().is_unspecified() { SocketAddr::new([127, 0, 0, 1].into(), addr.port()) } else { addr };
    // Written once, and a closed stdout ignored: a server whose banner was read by
    // `| head -1` or a test harness that stopped listening must go on serving.
    let banner = format!(
        "keruen serves {} at http://{shown}/\n  API: http://{shown}/api/v1/ (OpenAPI: http://{shown}/api/openapi.json)\n{index_note}  stop with Ctrl-C\n",
        db::shown(path)
    );
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    keruen_server::serve(AppState::with_index(Arc::from(store), config, index), listener)
        .context("the web server stopped with an error")
}

/// Opens the database; for SQLite with a current index file (`keruen index`), also
/// that index, so that the server answers from it at once instead of building one
/// (seconds and ~125 MB per million events; the mapped file's pages are shared with
/// every process that reads it). The store's generation is read before and after the
/// file's revision: a write in between is not missed.
fn open_with_index_file(path: &Path, wanted: bool) -> Result<(Box<dyn Store>, Option<SearchIndex>)> {
    if !wanted || db::postgres_url(path).is_some() {
        return Ok((db::open(path)?, None));
    }
    let store = SqliteStore::open(path)?;
    let before = store.generation()?;
    let index = match store.search_index() {
        Ok(IndexState::Current(ix)) if store.generation()? == before => Some(ix.with_generation(before)),
        Ok(IndexState::Stale) => {
            eprintln!(
                "note: {} is out of date; the server builds its index in memory (`keruen index` \
                 rewrites the file)",
                store.index_path().display()
            );
            None
        }
        Ok(_) => None,
        Err(e) => {
            eprintln!("note: the server builds its index in memory: {e}");
            None
        }
    };
    Ok((Box::new(store), index))
}
