//! The curation primitives ([`Txn`]) in PostgreSQL, and [`Backend`] for
//! [`PgStore`]: with them the rules of `curate/` give [`crate::Curation`].
use super::read::{AUDIT_COLUMNS, EVENT_COLUMNS, audit_from_row, event_from_row};
use super::search::Filter;
use super::write;
use super::{PgStore, PgTx, read, state};
use crate::auth::{TokenInfo, User};
use crate::columns::SourceFacts;
use crate::curate::review::hit;
use crate::curation::{EventState, ReviewFilter, ReviewItem};
use crate::txn::{AuditQuery, Backend, Profile, TokenRow, Txn};
use crate::{
    AuditEntry, ImportOptions, ImportReport, IngestBundle, IngestReport, Rejected, Result, StoreError,
};
use keruen_model::{Entity, Event, EventType, RecordLine, Source};
use postgres::Row;
use std::collections::{HashMap, HashSet};

const DEFAULT_QUEUE: usize = 50;
const MAX_QUEUE: usize = 500;

impl Backend for PgStore {
    fn read_txn<T>(&self, f: impl FnOnce(&mut dyn Txn) -> Result<T>) -> Result<T> {
        // The review queue and the duplicate finder filter by values.
        self.read_planned(|tx| f(tx))
    }

    fn write_txn<T>(&self, f: impl FnOnce(&mut dyn Txn) -> Result<T>) -> Result<T> {
        self.write(|tx| f(tx))
    }

    fn touch_token(&self, id: &str) -> Result<()> {
        self.plain(|c| {
            c.execute("UPDATE tokens SET last_used_at = $2 WHERE id = $1", &[&id, &crate::now()])?;
            Ok(())
        })
    }
}

fn user_from_row(r: &Row) -> Result<User> {
    Ok(User { name: r.get(0), role: read::parse(r.get(1))?, disabled: r.get(2), created_at: r.get(3) })
}

/// The review queue's WHERE clause over `events e` joined to its chosen evidence
/// `v`: the most confident, from the source asked for if any.
fn queue_filter(tx: &mut PgTx, f: &ReviewFilter) -> Result<(Filter, String, String)> {
    let mut filter = Filter::default();
    let mut pick = String::from("SELECT v2.id FROM evidence v2 WHERE v2.event_id = e.id");
    if let Some(src) = &f.source {
        let id: i64 = tx
            .query_opt("SELECT id FROM sources WHERE key = $1", &[src])?
            .map(|r| r.get(0))
            .ok_or_else(|| StoreError::NotFound { kind: "source", key: src.clone() })?;
        pick.push_str(&format!(" AND v2.source_id = {}", filter.param(id)));
    }
    pick.push_str(" ORDER BY v2.confidence DESC, v2.position LIMIT 1");
    let mut clauses = vec!["e.review = 'candidate'".to_string(), "e.merged_into IS NULL".to_string()];
    if let Some(t) = f.event_type {
        clauses.push(format!("e.type = {}", filter.param(t.as_str().to_string())));
    }
    if let Some(min) = f.min_confidence {
        // Stored as f64 from an f32: compare with the same rounding.
        clauses.push(format!("v.confidence >= {}", filter.param(f64::from(min) - 1e-6)));
    }
    Ok((filter, format!("JOIN evidence v ON v.id = ({pick})"), clauses.join(" AND ")))
}

impl Txn for PgTx<'_, '_> {
    fn load_state(&mut self, key: &str) -> Result<Option<(i64, EventState)>> {
        state::load(self, key)
    }

    fn save_state(&mut self, id: i64, s: &EventState) -> Result<()> {
        state::save(self, id, s)
    }

    fn insert_event(&mut self, e: &Event) -> Result<i64> {
        state::insert(self, e)
    }

    fn event_exists(&mut self, key: &str) -> Result<bool> {
        Ok(self.query_one("SELECT EXISTS (SELECT 1 FROM events WHERE key = $1)", &[&key])?.get(0))
    }

    fn entity_exists(&mut self, key: &str) -> Result<bool> {
        Ok(self.query_one("SELECT EXISTS (SELECT 1 FROM entities WHERE key = $1)", &[&key])?.get(0))
    }

    fn event_key(&mut self, id: i64) -> Result<String> {
        Ok(self.query_one("SELECT key FROM events WHERE id = $1", &[&id])?.get(0))
    }

    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        item: &str,
        before: Option<&str>,
        after: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()> {
        write::audit(self, actor, action, item, before, after, reason)
    }

    fn audit_entry(&mut self, q: AuditQuery<'_>) -> Result<Option<AuditEntry>> {
        let row = match q {
            AuditQuery::LastAbout(item) => self.query_opt(
                &format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE item = $1 ORDER BY id DESC LIMIT 1"),
                &[&item],
            )?,
            AuditQuery::LastAboutWith(item, action) => self.query_opt(
                &format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit WHERE item = $1 AND action = $2 ORDER BY id DESC LIMIT 1"
                ),
                &[&item, &action],
            )?,
            AuditQuery::Numbered(id, action) => self.query_opt(
                &format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE id = $1 AND action = $2"),
                &[&id, &action],
            )?,
        };
        Ok(row.as_ref().map(audit_from_row))
    }

    fn last_audit_id(&mut self) -> Result<i64> {
        Ok(self.query_one("SELECT coalesce(max(id), 0)::bigint FROM audit", &[])?.get(0))
    }

    fn append_audit(&mut self, e: &AuditEntry) -> Result<()> {
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        self.execute(
            "INSERT INTO audit (id, at, actor, action, item, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&e.id, &e.at, &e.actor, &e.action, &e.item, &json(&e.before), &json(&e.after), &e.reason],
        )?;
        // Entries written here later continue after the copied ones.
        self.execute("SELECT setval(pg_get_serial_sequence('audit', 'id'), $1)", &[&e.id])?;
        Ok(())
    }

    fn audit_log(&mut self, after: i64, sink: &mut dyn FnMut(AuditEntry) -> Result<()>) -> Result<()> {
        read::audit_log(self, after, sink)
    }

    fn review_queue(&mut self, f: &ReviewFilter) -> Result<Vec<ReviewItem>> {
        let limit = f.limit.unwrap_or(DEFAULT_QUEUE).clamp(1, MAX_QUEUE);
        let (mut filter, join, mut where_sql) = queue_filter(self, f)?;
        if let Some(cursor) = &f.cursor {
            let after: i64 = cursor.parse().map_err(|_| StoreError::Invalid {
                line: 0,
                message: format!("cursor `{cursor}` is not one this store gave out"),
            })?;
            where_sql.push_str(&format!(" AND e.id > {}", filter.param(after)));
        }
        let lim = filter.param(limit as i64);
        let cols: String = EVENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
        let rows = self.query(
            &format!(
                "SELECT {cols}, e.countries, v.confidence, s.key, v.quote, v.start, v.\"end\", v.page,
                        (SELECT count(*) FROM evidence v3 WHERE v3.event_id = e.id)
                 FROM events e {join} JOIN sources s ON s.id = v.source_id
                 WHERE {where_sql} ORDER BY e.id LIMIT {lim}"
            ),
            &filter.refs(),
        )?;
        rows.iter()
            .map(|r| {
                let (id, e) = event_from_row(r)?;
                let pos = |i: usize| r.get::<_, Option<i64>>(i).and_then(|v| u32::try_from(v).ok());
                Ok(ReviewItem {
                    event: hit(e, r.get(9)),
                    confidence: r.get::<_, f64>(10) as f32,
                    source: r.get(11),
                    quote: r.get(12),
                    start: pos(13),
                    end: pos(14),
                    page: r.get(15),
                    evidence: r.get::<_, i64>(16) as usize,
                    cursor: id.to_string(),
                })
            })
            .collect()
    }

    fn queue_keys(&mut self, f: &ReviewFilter) -> Result<Vec<String>> {
        let (filter, join, where_sql) = queue_filter(self, f)?;
        Ok(self
            .query(
                &format!("SELECT e.key FROM events e {join} WHERE {where_sql} ORDER BY e.id"),
                &filter.refs(),
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn claim_variants(&mut self) -> Result<Vec<String>> {
        Ok(self
            .query(
                "SELECT e.key FROM events e WHERE e.merged_into IS NULL AND e.review <> 'rejected'
                   AND e.id IN (SELECT event_id FROM evidence WHERE claim IS NOT NULL
                                GROUP BY event_id HAVING count(DISTINCT claim) > 1) ORDER BY e.id",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn profiles(&mut self, t: EventType) -> Result<Vec<Profile>> {
        let rows = self.query(
            "SELECT id, date_lo, date_hi, date, review FROM events
             WHERE type = $1 AND merged_into IS NULL AND review <> 'rejected'
               AND date_lo IS NOT NULL AND date_hi IS NOT NULL",
            &[&t.as_str()],
        )?;
        let mut out: Vec<Profile> = rows
            .iter()
            .map(|r| Profile {
                id: r.get(0),
                lo: r.get::<_, i64>(1) as i32,
                hi: r.get::<_, i64>(2) as i32,
                date: r.get(3),
                candidate: r.get::<_, &str>(4) == "candidate",
                participants: Vec::new(),
                places: Vec::new(),
            })
            .collect();
        let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        for (table, places) in [("participants", false), ("event_places", true)] {
            for r in self.query(
                &format!(
                    "SELECT x.event_id, x.entity_id FROM {table} x JOIN events e ON e.id = x.event_id WHERE e.type = $1"
                ),
                &[&t.as_str()],
            )? {
                if let Some(&i) = index.get(&r.get::<_, i64>(0)) {
                    let list = if places { &mut out[i].places } else { &mut out[i].participants };
                    list.push(r.get(1));
                }
            }
        }
        for p in &mut out {
            p.participants.sort_unstable();
            p.participants.dedup();
            p.places.sort_unstable();
            p.places.dedup();
        }
        out.sort_by_key(|p| (p.lo, p.id));
        Ok(out)
    }

    fn dismissed(&mut self) -> Result<HashSet<(String, String)>> {
        Ok(self.query("SELECT a, b FROM not_duplicates", &[])?.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn insert_not_duplicate(&mut self, a: &str, b: &str) -> Result<bool> {
        Ok(self
            .execute("INSERT INTO not_duplicates (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&a, &b])?
            > 0)
    }

    fn user(&mut self, name: &str) -> Result<Option<User>> {
        self.query_opt("SELECT name, role, disabled, created_at FROM users WHERE name = $1", &[&name])?
            .map(|r| user_from_row(&r))
            .transpose()
    }

    fn user_with_hash(&mut self, name: &str) -> Result<Option<(User, Option<String>)>> {
        self.query_opt(
            "SELECT name, role, disabled, created_at, password_hash FROM users WHERE name = $1",
            &[&name],
        )?
        .map(|r| Ok((user_from_row(&r)?, r.get(4))))
        .transpose()
    }

    fn list_users(&mut self) -> Result<Vec<User>> {
        self.query("SELECT name, role, disabled, created_at FROM users ORDER BY name", &[])?
            .iter()
            .map(user_from_row)
            .collect()
    }

    fn insert_user(&mut self, row: &serde_json::Value) -> Result<()> {
        self.execute(
            "INSERT INTO users (name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                &row["name"].as_str(),
                &row["role"].as_str(),
                &row["password_hash"].as_str(),
                &row["disabled"].as_bool().unwrap_or(false),
                &row["created_at"].as_str(),
            ],
        )?;
        Ok(())
    }

    fn set_user_disabled(&mut self, name: &str) -> Result<()> {
        self.execute("UPDATE users SET disabled = true WHERE name = $1", &[&name])?;
        Ok(())
    }

    fn insert_token(&mut self, row: &serde_json::Value) -> Result<()> {
        self.execute(
            "INSERT INTO tokens (id, user_name, label, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &row["id"].as_str(),
                &row["user"].as_str(),
                &row["label"].as_str(),
                &row["hash"].as_str(),
                &row["created_at"].as_str(),
                &row["expires_at"].as_str(),
            ],
        )?;
        Ok(())
    }

    fn token_revoked_at(&mut self, id: &str) -> Result<Option<Option<String>>> {
        Ok(self.query_opt("SELECT revoked_at FROM tokens WHERE id = $1", &[&id])?.map(|r| r.get(0)))
    }

    fn set_token_revoked(&mut self, id: &str, at: &str) -> Result<()> {
        self.execute("UPDATE tokens SET revoked_at = $2 WHERE id = $1", &[&id, &at])?;
        Ok(())
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<TokenRow>> {
        Ok(self
            .query_opt(
                "SELECT id, expires_at, revoked_at, user_name, last_used_at FROM tokens WHERE hash = $1",
                &[&hash],
            )?
            .map(|r| TokenRow {
                id: r.get(0),
                expires_at: r.get(1),
                revoked_at: r.get(2),
                user: r.get(3),
                last_used_at: r.get(4),
            }))
    }

    fn list_tokens(&mut self, user: Option<&str>) -> Result<Vec<TokenInfo>> {
        Ok(self
            .query(
                "SELECT id, user_name, label, created_at, expires_at, revoked_at, last_used_at FROM tokens
                 WHERE $1::text IS NULL OR user_name = $1 ORDER BY created_at, id",
                &[&user],
            )?
            .iter()
            .map(|r| TokenInfo {
                id: r.get(0),
                user: r.get(1),
                label: r.get(2),
                created_at: r.get(3),
                expires_at: r.get(4),
                revoked: r.get::<_, Option<String>>(5).is_some(),
                last_used_at: r.get(6),
            })
            .collect())
    }

    fn import(
        &mut self,
        records: &mut dyn Iterator<Item = RecordLine>,
        options: &ImportOptions,
        rejected: &mut dyn FnMut(Rejected),
    ) -> Result<ImportReport> {
        write::import(self, records, options, rejected)
    }

    fn ingest(&mut self, bundle: &IngestBundle, actor: &str) -> Result<IngestReport> {
        write::ingest(self, bundle, actor)
    }

    fn replay_source(&mut self, s: &Source) -> Result<()> {
        write::put_source(self, s, None)?.map_err(StoreError::Conflict)?;
        Ok(())
    }

    fn replay_entity(&mut self, e: &Entity) -> Result<()> {
        write::put_entity(self, e, "import", None)?.map_err(StoreError::Conflict)?;
        Ok(())
    }

    fn insert_source_facts(&mut self, source: &str, facts: &SourceFacts) -> Result<()> {
        let id: i64 = self
            .query_opt("SELECT id FROM sources WHERE key = $1", &[&source])?
            .map(|r| r.get(0))
            .ok_or_else(|| StoreError::Conflict(format!("replay: `{source}` is not in the database yet")))?;
        write::insert_source_facts(self, id, facts)
    }

    fn set_entity_origin(&mut self, key: &str, origin: &str) -> Result<()> {
        self.execute("UPDATE entities SET origin = $2 WHERE key = $1", &[&key, &origin])?;
        Ok(())
    }
}
