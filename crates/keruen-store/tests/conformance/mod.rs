//! One suite of store tests for every backend. Each test is a function taking a
//! [`Factory`] that makes fresh, empty databases; `sqlite_conformance.rs` and
//! `postgres_conformance.rs` run every one of them through [`suite!`], so that the
//! two backends answer the same questions the same way — search order and ties,
//! idempotent re-imports, the audit log, roles, replay.
#![allow(dead_code)]
pub mod curation;
pub mod index;
pub mod store;

use keruen_store::{PgStore, SqliteStore, Store, scratch::ScratchDb};

/// A fresh database and a way to reach it behind the store's back (to expire a
/// token, to try to rewrite the audit log, to read a table the API does not show).
pub trait Db {
    /// The store.
    fn store(&self) -> &dyn Store;
    /// Runs one SQL statement directly.
    fn exec(&self, sql: &str) -> Result<(), String>;
    /// Runs a query directly; every column must be text (cast it).
    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>>;
}

/// Makes a fresh, empty database; `None` when the backend is not available here.
pub type Factory = dyn Fn() -> Option<Box<dyn Db>>;

pub struct Sqlite {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: SqliteStore,
}

impl Db for Sqlite {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    fn exec(&self, sql: &str) -> Result<(), String> {
        let c = rusqlite::Connection::open(&self.path).map_err(|e| e.to_string())?;
        c.execute(sql, []).map(drop).map_err(|e| e.to_string())
    }

    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map([], |r| (0..n).map(|i| r.get::<_, Option<String>>(i)).collect())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

pub fn sqlite() -> Option<Box<dyn Db>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let store = SqliteStore::create(&path).unwrap();
    Some(Box::new(Sqlite { _dir: dir, path, store }))
}

pub struct Postgres {
    // Dropped in this order: the store's connections, then the database.
    store: PgStore,
    db: ScratchDb,
}

impl Db for Postgres {
    fn store(&self) -> &dyn Store {
        &self.store
    }

    fn exec(&self, sql: &str) -> Result<(), String> {
        let mut c = postgres::Client::connect(&self.db.url, postgres::NoTls).map_err(|e| e.to_string())?;
        c.execute(sql, &[]).map(drop).map_err(|e| match e.as_db_error() {
            Some(db) => db.message().to_string(),
            None => e.to_string(),
        })
    }

    fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let mut c = postgres::Client::connect(&self.db.url, postgres::NoTls).unwrap();
        c.query(sql, &[]).unwrap().iter().map(|r| (0..r.len()).map(|i| r.get(i)).collect()).collect()
    }
}

pub fn postgres() -> Option<Box<dyn Db>> {
    let server = keruen_store::scratch::server()?;
    let db = ScratchDb::create(&server, "keruen_test").expect("create a test database");
    let store = PgStore::create(&db.url).expect("open the test database");
    Some(Box::new(Postgres { store, db }))
}

/// One `#[test]` per conformance test, each on a fresh database from `$factory`.
#[macro_export]
macro_rules! suite {
    ($factory:path) => {
        $crate::suite!(@tests $factory;
            store::events_read_back_exactly_as_written,
            store::names_and_source_hits_follow_the_keys_asked_for,
            store::importing_twice_adds_nothing_and_a_changed_record_is_refused,
            store::a_failed_import_writes_nothing,
            store::later_batches_of_one_import_see_the_earlier_ones,
            store::skip_invalid_imports_the_rest,
            store::search_finds_places_by_any_of_their_names_in_any_script,
            store::candidates_are_hidden_unless_asked_for,
            store::date_filters_use_the_day_ranges_and_open_ends,
            store::facets_count_all_matches_and_pages_follow_the_cursor,
            store::equal_dates_are_ordered_by_insertion_on_every_page,
            store::word_search_matches_prefixes_of_folded_words,
            store::search_text_with_query_syntax_is_just_text,
            store::ingest_is_idempotent_by_text_hash,
            store::the_audit_log_records_creations_and_cannot_be_rewritten,
            store::export_streams_sources_entities_then_events,
            store::browse_lists_pages_maps_and_timelines,
            index::the_search_index_answers_as_the_store,
            index::the_search_index_goes_stale_on_a_write_and_a_rebuild_catches_up,
            curation::passwords_and_tokens_authenticate_until_disabled_revoked_or_expired,
            curation::every_write_refuses_a_viewer_and_changes_nothing,
            curation::the_review_queue_filters_pages_and_bulk_reviews,
            curation::merging_events_without_claims_keeps_each_value_with_its_evidence_and_unmerge_restores_them,
            curation::split_moves_one_piece_of_evidence_into_a_new_candidate,
            curation::edits_are_chosen_values_and_undo_restores_them,
            curation::duplicates_are_proposed_until_merged_or_dismissed,
            curation::replay_rebuilds_the_same_state_from_the_log_alone,
            curation::a_copy_holds_every_table_row_for_row,
        );
    };
    (@tests $factory:path; $($module:ident :: $name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                conformance::$module::$name(&$factory);
            }
        )*
    };
}
