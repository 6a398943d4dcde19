//! The store conformance suite (`conformance/`) on SQLite.
mod conformance;

suite!(conformance::sqlite);
