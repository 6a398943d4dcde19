//! Replaying another database's audit log, entry by entry: each entry's change is
//! made again from what the entry holds (whole event states, whole records, user and
//! token rows), then the entry itself is appended verbatim — same id, time and actor.
use crate::columns::SourceFacts;
use crate::curation::EventState;
use crate::txn::Txn;
use crate::{AuditEntry, Result, StoreError};
use keruen_model::{Entity, Event, Source};

/// What a `create` entry created, told apart by the shape of its record.
// One at a time, never stored: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Created {
    Source(Source),
    Entity(Entity),
    Event(Event),
}

fn created(after: &serde_json::Value) -> Result<Created> {
    Ok(if after.get("sha256").is_some() {
        Created::Source(serde_json::from_value(after.clone())?)
    } else if after.get("kind").is_some() && after.get("names").is_some() {
        Created::Entity(serde_json::from_value(after.clone())?)
    } else {
        Created::Event(serde_json::from_value(after.clone())?)
    })
}

/// Whether an audit entry's `after` is the record of an entity (for seeding a replay
/// target with the origin's reference data only).
pub(crate) fn creates_entity(entry: &AuditEntry) -> bool {
    entry.action == "create"
        && entry
            .after
            .as_ref()
            .is_some_and(|a| a.get("sha256").is_none() && a.get("kind").is_some() && a.get("names").is_some())
}

fn row_id(tx: &mut dyn Txn, key: &str) -> Result<i64> {
    tx.load_state(key)?
        .map(|(id, _)| id)
        .ok_or_else(|| StoreError::Conflict(format!("replay: `{key}` is not in the database yet")))
}

pub(crate) fn apply(tx: &mut dyn Txn, e: &AuditEntry) -> Result<()> {
    let last = tx.last_audit_id()?;
    if e.id <= last {
        return Err(StoreError::Conflict(format!(
            "audit entry #{} is not after this database's last entry (#{last}): replay into an empty database",
            e.id
        )));
    }
    let bad =
        |m: String| StoreError::Conflict(format!("replay of audit entry #{} ({}): {m}", e.id, e.action));
    let after = || e.after.as_ref().ok_or_else(|| bad("it holds no `after`".into()));
    match e.action.as_str() {
        "create" => match created(after()?)? {
            Created::Source(s) => tx.replay_source(&s).map_err(|err| bad(err.to_string()))?,
            Created::Entity(x) => tx.replay_entity(&x).map_err(|err| bad(err.to_string()))?,
            Created::Event(x) => {
                tx.insert_event(&x)?;
            }
        },
        "ingest" => {
            let a = after()?;
            let facts: SourceFacts =
                a.get("facts").map(|f| serde_json::from_value(f.clone())).transpose()?.unwrap_or_default();
            tx.insert_source_facts(&e.item, &facts)?;
            for key in a.get("new_entities").and_then(|v| v.as_array()).into_iter().flatten() {
                if let Some(key) = key.as_str() {
                    tx.set_entity_origin(key, "extract")?;
                }
            }
        }
        "review" | "edit" | "resolve" | "undo" | "merge" | "merged" | "unmerge" | "split" => {
            let s: EventState = serde_json::from_value(after()?.clone())?;
            let id = row_id(tx, &s.event.id)?;
            tx.save_state(id, &s)?;
        }
        "not-duplicate" => {
            let a = after()?;
            tx.insert_not_duplicate(
                a["a"].as_str().unwrap_or_default(),
                a["b"].as_str().unwrap_or_default(),
            )?;
        }
        "user.add" => tx.insert_user(after()?)?,
        "user.disable" => tx.set_user_disabled(e.item.trim_start_matches("user:"))?,
        "token.create" => tx.insert_token(after()?)?,
        "token.revoke" => tx.set_token_revoked(
            e.item.trim_start_matches("token:"),
            after()?["revoked_at"].as_str().unwrap_or_default(),
        )?,
        other => return Err(bad(format!("this keruen does not know how to replay `{other}`"))),
    }
    tx.append_audit(e)
}
