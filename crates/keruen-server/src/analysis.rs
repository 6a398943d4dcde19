//! Inputs of the analysis pages, loaded from the store once and kept until the data
//! changes: the accepted events packed as [`Facts`] (a million take well under 100 MB
//! and seconds to load, so they are not reloaded per request), and the subjects of the
//! jubilee planner.
use crate::error::ApiResult;
use crate::state::AppState;
use keruen_analysis::Facts;
use keruen_model::{Entity, EntityKind, Event, EventStatus, EventType};
use keruen_store::{EventScope, Store};
use std::sync::{Arc, Mutex};

/// What the jubilee planner reads: entities with dates, and held agreements,
/// establishments of relations and foundings (stripped of evidence).
pub struct CalendarInputs {
    /// People, organisations and works with dates.
    pub entities: Vec<Entity>,
    /// Events that start something.
    pub events: Vec<Event>,
}

type Slot<T> = Mutex<Option<(u64, Arc<T>)>>;

/// Cached analysis inputs, each tagged with the data generation it was loaded at.
#[derive(Default)]
pub struct AnalysisCache {
    facts: Slot<Facts>,
    calendar: Slot<CalendarInputs>,
}

impl AnalysisCache {
    /// The value loaded at the store's present generation, which every committed
    /// write moves — this server's or another process's on the same database.
    fn get<T>(
        &self,
        store: &dyn Store,
        slot: &Slot<T>,
        load: impl FnOnce() -> ApiResult<T>,
    ) -> ApiResult<Arc<T>> {
        // Held while loading: concurrent requests wait for one load instead of each
        // loading a million events.
        let mut guard = slot.lock().unwrap_or_else(|p| p.into_inner());
        let generation = store.generation()?;
        if let Some((g, v)) = guard.as_ref()
            && *g == generation
        {
            return Ok(v.clone());
        }
        let v = Arc::new(load()?);
        *guard = Some((generation, v.clone()));
        Ok(v)
    }

    fn facts(&self, store: &dyn Store) -> ApiResult<Arc<Facts>> {
        self.get(store, &self.facts, || {
            let mut kinds: Vec<(String, EntityKind)> = Vec::new();
            store.entities(&mut |e| {
                kinds.push((e.id, e.kind));
                Ok(())
            })?;
            let mut facts = Facts::with_kinds(kinds.iter().map(|(id, k)| (id.as_str(), *k)));
            store.events(EventScope::Accepted, &mut |e| {
                facts.push(&e);
                Ok(())
            })?;
            Ok(facts)
        })
    }

    fn calendar(&self, store: &dyn Store) -> ApiResult<Arc<CalendarInputs>> {
        self.get(store, &self.calendar, || {
            let mut entities = Vec::new();
            store.entities(&mut |e| {
                if e.dates.is_some()
                    && matches!(e.kind, EntityKind::Person | EntityKind::Organization | EntityKind::Work)
                {
                    entities.push(e);
                }
                Ok(())
            })?;
            let mut events = Vec::new();
            store.events(EventScope::Accepted, &mut |mut e| {
                let starts = matches!(
                    e.event_type,
                    EventType::Agreement | EventType::DiplomaticRelations | EventType::Founding
                );
                if starts && e.status == EventStatus::Held && e.date.is_some() {
                    e.evidence.clear();
                    e.description = None;
                    events.push(e);
                }
                Ok(())
            })?;
            Ok(CalendarInputs { entities, events })
        })
    }
}

/// The accepted facts, loaded on first use.
pub async fn facts(state: &AppState) -> ApiResult<Arc<Facts>> {
    let st = state.clone();
    tokio::task::spawn_blocking(move || st.analysis.facts(st.store.as_ref()))
        .await
        .map_err(crate::error::ApiError::internal)?
}

/// The jubilee planner's inputs, loaded on first use.
pub async fn calendar_inputs(state: &AppState) -> ApiResult<Arc<CalendarInputs>> {
    let st = state.clone();
    tokio::task::spawn_blocking(move || st.analysis.calendar(st.store.as_ref()))
        .await
        .map_err(crate::error::ApiError::internal)?
}

/// Recent search answers, by the data's generation and the query's JSON. A portal
/// answers the same popular searches again and again, and the answer only changes
/// when the data does — here or in another process, which the generation
/// ([`Store::generation`]) tells. Concurrent requests for the same search wait for
/// one computation instead of each starting their own (which matters while the
/// search index is being rebuilt and searches go to the database).
pub struct SearchCache {
    capacity: usize,
    ttl: std::time::Duration,
    map: Mutex<std::collections::HashMap<String, Entry>>,
}

type Entry = (std::time::Instant, Arc<tokio::sync::OnceCell<Arc<keruen_store::SearchResults>>>);

impl SearchCache {
    /// A cache of at most `capacity` answers, each used for at most `ttl`.
    pub fn new(capacity: usize, ttl: std::time::Duration) -> Self {
        SearchCache { capacity, ttl, map: Mutex::new(std::collections::HashMap::new()) }
    }

    /// Forgets every answer.
    pub fn clear(&self) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The answer to `query`, from the cache or from the store.
    pub async fn get(
        &self,
        state: &AppState,
        query: keruen_store::SearchQuery,
    ) -> ApiResult<Arc<keruen_store::SearchResults>> {
        let index = state.index.clone();
        if self.capacity == 0 {
            return Ok(Arc::new(state.run(move |_| Ok(index.search(&query)?)).await?));
        }
        let generation = state.run(|s| Ok(s.generation()?)).await?;
        let key = format!(
            "{generation} {}",
            serde_json::to_string(&query).map_err(crate::error::ApiError::internal)?
        );
        let cell = {
            let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
            match map.get(&key) {
                Some((at, cell)) if at.elapsed() < self.ttl => cell.clone(),
                _ => {
                    if map.len() >= self.capacity {
                        self.evict(&mut map);
                    }
                    let cell = Arc::new(tokio::sync::OnceCell::new());
                    map.insert(key, (std::time::Instant::now(), cell.clone()));
                    cell
                }
            }
        };
        let r = cell
            .get_or_try_init(|| async move {
                Ok::<_, crate::error::ApiError>(Arc::new(
                    state.run(move |_| Ok(index.search_at(generation, &query)?)).await?,
                ))
            })
            .await?;
        Ok(r.clone())
    }

    /// Drops the expired answers, else the oldest quarter.
    fn evict(&self, map: &mut std::collections::HashMap<String, Entry>) {
        let ttl = self.ttl;
        map.retain(|_, (at, _)| at.elapsed() < ttl);
        if map.len() >= self.capacity {
            let mut ages: Vec<(std::time::Instant, String)> =
                map.iter().map(|(k, (at, _))| (*at, k.clone())).collect();
            ages.sort();
            for (_, k) in ages.into_iter().take(self.capacity / 4 + 1) {
                map.remove(&k);
            }
        }
    }
}
