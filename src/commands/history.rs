//! `keruen history ID`: every change to an item, oldest first — who, when, what,
//! why, and a line per field that changed, from its value before to its value after.
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Result, bail};
use serde_json::Value;
use std::io::Write;

/// A JSON value on one short line: strings bare, evidence and other lists of
/// objects counted, participants as `ENTITY:ROLE`.
fn compact(key: &str, v: &Value) -> String {
    let s = match v {
        Value::Null => "—".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) if key == "participants" => items
            .iter()
            .map(|p| {
                format!(
                    "{}:{}",
                    p["entity"].as_str().unwrap_or("?"),
                    p["role"].as_str().unwrap_or("participant")
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        Value::Array(items) if key == "evidence" => {
            let statuses: Vec<&str> = items.iter().map(|e| e["status"].as_str().unwrap_or("?")).collect();
            format!("{} ({})", items.len(), statuses.join(", "))
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(|i| compact("", i)).collect::<Vec<_>>().join(" ")
        }
        Value::Array(items) => format!("{} items", items.len()),
        Value::Object(map) => {
            map.iter().map(|(k, v)| format!("{k}={}", compact(k, v))).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    };
    crate::commands::review::short(&s, 90)
}

/// One line per top-level field that differs between `before` and `after`.
pub(crate) fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    let empty = serde_json::Map::new();
    let obj = |v: Option<&Value>| match v {
        Some(Value::Object(m)) => Some(m.clone()),
        _ => None,
    };
    let (b, a) = (obj(before), obj(after));
    match (&b, &a) {
        (None, None) => return Vec::new(),
        // A creation: what was created, in brief.
        (None, Some(a)) => {
            let keys =
                ["type", "title", "date", "name", "role", "kind", "events", "label", "user", "expires_at"];
            let parts: Vec<String> = keys
                .iter()
                .filter_map(|k| a.get(*k).filter(|v| !v.is_null()).map(|v| format!("{k}={}", compact(k, v))))
                .collect();
            return if parts.is_empty() { Vec::new() } else { vec![parts.join(", ")] };
        }
        _ => {}
    }
    let (b, a) = (b.as_ref().unwrap_or(&empty), a.as_ref().unwrap_or(&empty));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| {
            let show = |v: Option<&Value>| v.map(|v| compact(k, v)).unwrap_or_else(|| "—".into());
            format!("{k}: {} → {}", show(b.get(k)), show(a.get(k)))
        })
        .collect()
}

pub fn run(cli: &Cli, id: &str) -> Result<()> {
    let store = db::open(&cli.db)?;
    let entries = store.history(id)?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &entries);
    }
    if entries.is_empty() {
        bail!("no history for `{id}` in {}", cli.db.display());
    }
    for e in entries {
        let reason = e.reason.map(|r| format!(" — {r}")).unwrap_or_default();
        writeln!(out, "#{} {} {} {} {}{reason}", e.id, e.at, e.actor, e.action, e.item)?;
        for line in changes(e.before.as_ref(), e.after.as_ref()) {
            writeln!(out, "    {line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_lists_the_fields_that_differ() {
        let before = json!({"id": "e1", "date": "2007-10-12", "review": "candidate",
            "evidence": [{"status": "candidate"}], "participants": [{"entity": "KZ", "role": "host"}]});
        let after = json!({"id": "e1", "date": "2007-10-15", "review": "accepted",
            "evidence": [{"status": "accepted"}, {"status": "candidate"}],
            "participants": [{"entity": "KZ", "role": "host"}], "chosen_by": {"date": "user:madina"}});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                "chosen_by: — → date=user:madina",
                "date: 2007-10-12 → 2007-10-15",
                "evidence: 1 (candidate) → 2 (accepted, candidate)",
                "review: candidate → accepted",
            ]
        );
        assert!(changes(Some(&before), Some(&before)).is_empty());
    }

    #[test]
    fn a_creation_is_summarised() {
        let after = json!({"id": "e1", "type": "festival", "date": "2009-08", "evidence": []});
        assert_eq!(changes(None, Some(&after)), vec!["type=festival, date=2009-08"]);
        let user = json!({"name": "aigerim", "role": "editor", "password_hash": "[redacted]"});
        assert_eq!(changes(None, Some(&user)), vec!["name=aigerim, role=editor"]);
    }
}
