//! The state every handler shares.
use crate::analysis::AnalysisCache;
use crate::auth::{LoginLimiter, Sessions};
use crate::error::{ApiError, ApiResult};
use crate::search_index::IndexSlot;
use keruen_store::{SearchIndex, Store};
use std::sync::Arc;
use std::time::Duration;

/// Settings of a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest JSON or form body accepted (bytes).
    pub json_limit: usize,
    /// Largest upload (a JSONL import) accepted (bytes).
    pub upload_limit: usize,
    /// Mark cookies `Secure` (set when the site is served over HTTPS).
    pub secure_cookies: bool,
    /// How long a session lasts without use.
    pub session_ttl: Duration,
    /// Failed logins allowed per client address, and per user name, in `login_window`.
    pub login_attempts: u32,
    /// The window of `login_attempts`.
    pub login_window: Duration,
    /// Searches whose answers (hits, total and facet counts) are kept in memory, the
    /// most recent first; 0 turns the cache off. Answers are dropped when the data
    /// changes through this server, and after `search_cache_ttl` in any case (another
    /// process may have changed the database).
    pub search_cache: usize,
    /// How long a cached answer is used.
    pub search_cache_ttl: Duration,
    /// Store calls that run at once; the others wait without holding a thread or a
    /// database connection (and are dropped if their client goes away). Each running
    /// call holds a reader connection with its page cache, so this also bounds memory.
    pub store_concurrency: usize,
    /// Served behind a reverse proxy on this machine or network: the login limiter
    /// counts the client address the proxy appends to `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// Whole-database exports streamed at once; more are answered 503.
    pub export_concurrency: usize,
    /// Answer searches from an in-memory index of the whole database while it is
    /// current (see `search_index`); off, every search is a database query.
    pub search_index: bool,
    /// Least time between two rebuilds of the index after writes.
    pub search_index_interval: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            json_limit: 2 << 20,
            upload_limit: 20 << 20,
            secure_cookies: false,
            session_ttl: Duration::from_secs(8 * 3600),
            login_attempts: 5,
            login_window: Duration::from_secs(300),
            search_cache: 2048,
            search_cache_ttl: Duration::from_secs(300),
            store_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 16),
            search_index: true,
            export_concurrency: 4,
            behind_proxy: false,
            search_index_interval: Duration::from_secs(2),
        }
    }
}

/// Shared by every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
pub struct Inner {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Settings.
    pub config: Config,
    /// Signed-in users and anonymous visitors with a CSRF token.
    pub sessions: Sessions,
    /// Failed login attempts.
    pub limiter: LoginLimiter,
    /// Accepted facts and other inputs of the analysis pages, loaded once per
    /// generation of the data.
    pub analysis: AnalysisCache,
    /// Recent search answers.
    pub searches: crate::analysis::SearchCache,
    /// Permits to call the store.
    pub permits: Arc<tokio::sync::Semaphore>,
    /// Permits to stream an export.
    pub exports: Arc<tokio::sync::Semaphore>,
    /// The in-memory search index, used while it is current.
    pub index: Arc<IndexSlot>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// A server over `store` with the default settings.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_config(store, Config::default())
    }

    /// A server over `store` with `config`.
    pub fn with_config(store: Arc<dyn Store>, config: Config) -> Self {
        Self::with_index(store, config, None)
    }

    /// A server over `store` with `config`, whose search index starts as `index` when
    /// given (one opened from the database's index file, current at the store's
    /// generation; see `SearchIndex::with_generation`) instead of being built.
    pub fn with_index(store: Arc<dyn Store>, config: Config, initial: Option<SearchIndex>) -> Self {
        let limiter = LoginLimiter::new(config.login_attempts, config.login_window);
        let index = IndexSlot::new(store.clone(), config.search_index, config.search_index_interval);
        if let Some(ix) = initial {
            index.install(ix);
        }
        index.start();
        AppState(Arc::new(Inner {
            store,
            sessions: Sessions::new(config.session_ttl),
            limiter,
            analysis: AnalysisCache::default(),
            searches: crate::analysis::SearchCache::new(config.search_cache, config.search_cache_ttl),
            permits: Arc::new(tokio::sync::Semaphore::new(config.store_concurrency.max(1))),
            index,
            exports: Arc::new(tokio::sync::Semaphore::new(config.export_concurrency.max(1))),
            config,
        }))
    }

    /// Runs a store call on the blocking pool (the store is synchronous).
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        // The permit moves into the task: a client that goes away while the call runs
        // does not free its place before the call ends.
        let permit = self.permits.clone().acquire_owned().await.map_err(ApiError::internal)?;
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            f(store.as_ref())
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// After a write through this server: the cached search answers belong to an
    /// older generation and will not be used again, so their memory is freed now.
    /// (Analysis inputs and the search index follow the store's generation.)
    pub fn data_changed(&self) {
        self.searches.clear();
    }
}
