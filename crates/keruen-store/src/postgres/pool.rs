//! A small pool of connections, each with its prepared statements. The store is
//! called from many threads (the web server's blocking pool); a connection serves
//! one call at a time and goes back to the pool afterwards. At most `max`
//! connections are open: a caller beyond that waits for one to come back, so that a
//! burst of requests cannot exhaust the server's `max_connections`.
use crate::Result;
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

/// Statements kept prepared per connection; beyond this the cache is emptied (the
/// search builds its SQL from the filters given, so variants could pile up).
const MAX_STATEMENTS: usize = 512;

/// A connection and its prepared statements.
pub(crate) struct Conn {
    pub client: Client,
    pub statements: Statements,
}

/// Prepared statements by SQL text.
#[derive(Default)]
pub(crate) struct Statements(HashMap<String, Statement>);

impl Statements {
    fn get(&self, sql: &str) -> Option<Statement> {
        self.0.get(sql).cloned()
    }

    /// The statement of `sql`, prepared with `prepare` the first time.
    pub(crate) fn get_or_prepare(
        &mut self,
        sql: &str,
        prepare: impl FnOnce(&str) -> std::result::Result<Statement, postgres::Error>,
    ) -> Result<Statement> {
        if let Some(st) = self.get(sql) {
            return Ok(st);
        }
        let st = prepare(sql)?;
        self.put(sql, st.clone());
        Ok(st)
    }

    fn put(&mut self, sql: &str, st: Statement) {
        if self.0.len() >= MAX_STATEMENTS {
            self.0.clear();
        }
        self.0.insert(sql.to_string(), st);
    }
}

pub(crate) struct Pool {
    config: postgres::Config,
    max: usize,
    state: Mutex<PoolState>,
    returned: Condvar,
}

struct PoolState {
    idle: Vec<Conn>,
    open: usize,
}

/// A connection lent out; it goes back to the pool when dropped, unless it broke.
pub(crate) struct Lease<'a> {
    pool: &'a Pool,
    conn: Option<Conn>,
}

impl Pool {
    pub(crate) fn new(config: postgres::Config, max: usize) -> Self {
        Pool {
            config,
            max: max.max(1),
            state: Mutex::new(PoolState { idle: Vec::new(), open: 0 }),
            returned: Condvar::new(),
        }
    }

    /// A connection: an idle one, a new one while fewer than `max` are open, or the
    /// next one returned.
    pub(crate) fn get(&self) -> Result<Lease<'_>> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = state.idle.pop() {
                if conn.client.is_closed() {
                    state.open -= 1;
                    continue;
                }
                return Ok(Lease { pool: self, conn: Some(conn) });
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match connect(&self.config) {
                    Ok(client) => Ok(Lease {
                        pool: self,
                        conn: Some(Conn { client, statements: Statements::default() }),
                    }),
                    Err(e) => {
                        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                        state.open -= 1;
                        self.returned.notify_one();
                        Err(e.into())
                    }
                };
            }
            state = self.returned.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// A new connection, with PostgreSQL's own choice between generic and custom plans
/// (`auto`): a read by key has one good plan, and planning it again on every call
/// would cost more than running it. Transactions whose statements depend on their
/// values ask for custom plans themselves ([`super::PgStore::read_planned`], writes).
fn connect(config: &postgres::Config) -> std::result::Result<Client, postgres::Error> {
    let mut client = config.connect(NoTls)?;
    client.batch_execute("SET plan_cache_mode = auto")?;
    Ok(client)
}

impl Lease<'_> {
    pub(crate) fn conn(&mut self) -> &mut Conn {
        self.conn.as_mut().expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        let mut state = self.state();
        if conn.client.is_closed() {
            state.open -= 1;
        } else {
            state.idle.push(conn);
        }
        drop(state);
        self.pool.returned.notify_one();
    }
}

impl Lease<'_> {
    fn state(&self) -> std::sync::MutexGuard<'_, PoolState> {
        self.pool.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
