//! The server's in-memory [`SearchIndex`]: searches and entity event lists are
//! answered from it while it is current, and from the store otherwise.
//!
//! Current means built at the store's present [`Store::generation`], which every
//! committed write changes — this server's, or another process's on the same SQLite
//! file or PostgreSQL database. The generation is asked on every search (a pragma or
//! one row: microseconds), so an answer never comes from older data than the store
//! holds. A stale index starts a rebuild on a background thread and searches use the
//! store until it is done; rebuilds follow each other at most every
//! `Config::search_index_interval`, so that a curator accepting candidates one by one
//! does not keep a core busy rebuilding. While a rebuild runs the old and the new
//! index are both in memory (about 125 MB each for a million events).
use keruen_store::{EventHit, Page, Result, SearchIndex, SearchQuery, SearchResults, Store};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// The index of one server, and what it takes to rebuild it.
pub struct IndexSlot {
    store: Arc<dyn Store>,
    enabled: bool,
    interval: Duration,
    current: RwLock<Option<Arc<SearchIndex>>>,
    building: AtomicBool,
    /// When the last build ended, and the generation at which one failed (the store
    /// holds something the index cannot represent): not retried until it changes.
    last: Mutex<(Option<Instant>, Option<u64>)>,
}

impl IndexSlot {
    /// A slot over `store`; with `enabled` false every answer comes from the store.
    pub fn new(store: Arc<dyn Store>, enabled: bool, interval: Duration) -> Arc<Self> {
        Arc::new(IndexSlot {
            store,
            enabled,
            interval,
            current: RwLock::new(None),
            building: AtomicBool::new(false),
            last: Mutex::new((None, None)),
        })
    }

    /// The index, if it was built at `generation`.
    fn current_at(&self, generation: u64) -> Option<Arc<SearchIndex>> {
        let current = self.current.read().unwrap_or_else(|p| p.into_inner());
        current.as_ref().filter(|ix| ix.generation() == generation).cloned()
    }

    /// The index when it is current at `generation`; otherwise starts a rebuild and
    /// says `None`.
    fn usable_at(self: &Arc<Self>, generation: u64) -> Option<Arc<SearchIndex>> {
        let ix = self.current_at(generation);
        if ix.is_none() {
            self.refresh(generation);
        }
        ix
    }

    /// The index when it is current; `None` when it is off, stale or not built.
    fn usable(self: &Arc<Self>) -> Result<Option<Arc<SearchIndex>>> {
        if !self.enabled {
            return Ok(None);
        }
        Ok(self.usable_at(self.store.generation()?))
    }

    /// What [`Store::search`] answers, from the index when it is current.
    pub fn search(self: &Arc<Self>, q: &SearchQuery) -> Result<SearchResults> {
        match self.usable()? {
            Some(ix) => ix.search(q),
            None => self.store.search(q),
        }
    }

    /// [`search`](Self::search) for a caller that has just read the store's
    /// generation (the answer cache keys on it): not asked a second time.
    pub fn search_at(self: &Arc<Self>, generation: u64, q: &SearchQuery) -> Result<SearchResults> {
        match self.enabled.then(|| self.usable_at(generation)).flatten() {
            Some(ix) => ix.search(q),
            None => self.store.search(q),
        }
    }

    /// What [`Browse::entity_events`](keruen_store::Browse::entity_events) answers,
    /// from the index when it is current.
    pub fn entity_events(
        self: &Arc<Self>,
        key: &str,
        include_candidates: bool,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<EventHit>> {
        match self.usable()? {
            Some(ix) => ix.entity_events(key, include_candidates, cursor, limit),
            None => self.store.entity_events(key, include_candidates, cursor, limit),
        }
    }

    /// Starts building the index in the background (at start-up, so that the first
    /// searches need not wait for a stale index to be noticed).
    pub fn start(self: &Arc<Self>) {
        if self.enabled
            && let Ok(generation) = self.store.generation()
            && self.current_at(generation).is_none()
        {
            self.refresh(generation);
        }
    }

    /// Starts from `index` (opened from the database's index file, current at the
    /// store's generation): no build until the data changes.
    pub fn install(&self, index: SearchIndex) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(index));
    }

    /// Builds the index now, on the caller's thread (for tests, which need it
    /// built before they look). A failure is logged; searches then use the store.
    #[cfg(test)]
    fn warm(self: &Arc<Self>) {
        if !self.enabled || self.building.swap(true, Ordering::SeqCst) {
            return;
        }
        self.build_once();
        self.building.store(false, Ordering::SeqCst);
    }

    /// Starts a background rebuild unless one is running or the build failed at
    /// this generation.
    fn refresh(self: &Arc<Self>, generation: u64) {
        if self.last.lock().unwrap_or_else(|p| p.into_inner()).1 == Some(generation) {
            return;
        }
        if self.building.swap(true, Ordering::SeqCst) {
            return;
        }
        let slot = self.clone();
        let spawned = std::thread::Builder::new().name("search-index".into()).spawn(move || {
            loop {
                let wait = {
                    let last = slot.last.lock().unwrap_or_else(|p| p.into_inner());
                    last.0.map_or(Duration::ZERO, |at| slot.interval.saturating_sub(at.elapsed()))
                };
                std::thread::sleep(wait);
                slot.build_once();
                // A write during the build: go again rather than leave a stale index
                // until the next search notices.
                let stale = match slot.store.generation() {
                    Ok(g) => {
                        slot.current_at(g).is_none()
                            && slot.last.lock().unwrap_or_else(|p| p.into_inner()).1 != Some(g)
                    }
                    Err(_) => false,
                };
                if !stale {
                    break;
                }
            }
            slot.building.store(false, Ordering::SeqCst);
        });
        if spawned.is_err() {
            self.building.store(false, Ordering::SeqCst);
        }
    }

    fn build_once(&self) {
        let built = SearchIndex::build(self.store.as_ref());
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.0 = Some(Instant::now());
        match built {
            Ok(ix) => {
                tracing::info!(
                    events = ix.events(),
                    ms = ix.build_time().as_millis() as u64,
                    mb = ix.heap_bytes() / (1 << 20),
                    "search index built"
                );
                last.1 = None;
                *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(ix));
            }
            Err(e) => {
                tracing::warn!(error = %e, "search index not built; searches use the database");
                last.1 = self.store.generation().ok();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keruen_model::{Event, EventType, Participant, Record, RecordLine, Role};
    use keruen_store::{ImportOptions, SqliteStore};

    fn import(store: &dyn Store, keys: &[&str]) {
        store.seed_gazetteer(&keruen_gazetteer::Gazetteer::builtin().entities()).unwrap();
        let mut lines = keys.iter().enumerate().map(|(i, k)| {
            let mut e = Event::new(*k, EventType::Festival, Some("2001".parse().unwrap()));
            e.title = Some(format!("Festival {k}"));
            e.participants = vec![Participant::new("KZ", Role::Participant)];
            RecordLine { line: i + 1, record: Ok(Record::Event(e)), raw: String::new() }
        });
        store.import(&mut lines, &ImportOptions::default(), &mut |_| {}).unwrap();
    }

    fn wait_until_current(slot: &Arc<IndexSlot>) -> Arc<SearchIndex> {
        for _ in 0..500 {
            let g = slot.store.generation().unwrap();
            if let Some(ix) = slot.current_at(g) {
                return ix;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the index never caught up");
    }

    #[test]
    fn a_write_from_another_connection_is_seen_at_once_and_the_index_catches_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let store: Arc<dyn Store> = Arc::new(SqliteStore::create(&path).unwrap());
        import(store.as_ref(), &["a", "b"]);
        let slot = IndexSlot::new(store.clone(), true, Duration::ZERO);
        slot.warm();
        let q =
            SearchQuery { text: Some("festival".into()), include_candidates: true, ..SearchQuery::default() };
        let first = wait_until_current(&slot);
        assert_eq!(slot.search(&q).unwrap().total, 2);

        // Another process writes to the same file.
        let other = SqliteStore::open(&path).unwrap();
        import(&other, &["c"]);
        drop(other);
        // The stale index is not used: the answer is the store's, with the new event.
        assert_eq!(slot.search(&q).unwrap().total, 3);
        let rebuilt = wait_until_current(&slot);
        assert!(!Arc::ptr_eq(&first, &rebuilt));
        assert_eq!(rebuilt.search(&q).unwrap(), store.search(&q).unwrap());
    }

    #[test]
    fn a_disabled_slot_answers_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::create(dir.path().join("k.db")).unwrap());
        import(store.as_ref(), &["a"]);
        let slot = IndexSlot::new(store.clone(), false, Duration::ZERO);
        slot.warm();
        assert!(slot.current.read().unwrap().is_none());
        assert_eq!(
            slot.search(&SearchQuery::default()).unwrap(),
            store.search(&SearchQuery::default()).unwrap()
        );
    }
}
