//! Scratch databases on a PostgreSQL server, for tests and benchmarks: each gets a
//! fresh database with a random name, dropped when it goes out of scope.
//!
//! The server is named by `KERUEN_TEST_DATABASE_URL`: a URL to a maintenance
//! database (`postgres://postgres@127.0.0.1:5432/postgres`) where the user may
//! create and drop databases. `scripts/pg-test-env.sh` finds or starts one.
use crate::Result;
use postgres::NoTls;

/// The variable that names the test server.
pub const ENV: &str = "KERUEN_TEST_DATABASE_URL";

/// The URL of the test server; `None` when it is not set, so that a developer
/// without PostgreSQL can run the SQLite tests. Under `CI=true` a missing server is
/// an error, never a silent skip: this panics.
pub fn server() -> Option<String> {
    match std::env::var(ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{ENV} is not set and CI=true: the PostgreSQL tests must run (see scripts/pg-test-env.sh)")
        }
        _ => {
            eprintln!(
                "note: {ENV} is not set; skipping the PostgreSQL tests (scripts/pg-test-env.sh starts a server)"
            );
            None
        }
    }
}

/// A database created for one test, dropped (with its connections) on drop.
pub struct ScratchDb {
    admin: String,
    /// Its name.
    pub name: String,
    /// Its URL.
    pub url: String,
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}/{name}{query}")
}

impl ScratchDb {
    /// Creates `PREFIX_RANDOM` on the server at `admin` (a maintenance database URL).
    pub fn create(admin: &str, prefix: &str) -> Result<Self> {
        let mut suffix = [0u8; 5];
        rand::fill(&mut suffix[..]);
        let name = format!("{prefix}_{}", hex::encode(suffix));
        let mut c = postgres::Client::connect(admin, NoTls)?;
        c.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(ScratchDb { admin: admin.to_string(), url: with_database(admin, &name), name })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_get_another_database() {
        use super::with_database as w;
        assert_eq!(
            w("postgres://postgres@127.0.0.1:5432/test", "k1"),
            "postgres://postgres@127.0.0.1:5432/k1"
        );
        assert_eq!(w("postgresql://u:p@h/db?sslmode=disable", "k2"), "postgresql://u:p@h/k2?sslmode=disable");
        assert_eq!(w("postgres://h:5432", "k3"), "postgres://h:5432/k3");
    }
}
