//! Users and API tokens in SQLite: the rows; the rules are in `curate/accounts.rs`.
use crate::Result;
use crate::auth::{TokenInfo, User};
use crate::txn::TokenRow;
use rusqlite::{Connection, OptionalExtension, Row, params};

fn user_from_row(r: &Row) -> rusqlite::Result<User> {
    let role: String = r.get(1)?;
    Ok(User {
        name: r.get(0)?,
        role: role.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
        })?,
        disabled: r.get(2)?,
        created_at: r.get(3)?,
    })
}

pub(crate) fn user(c: &Connection, name: &str) -> Result<Option<User>> {
    Ok(c.prepare_cached("SELECT name, role, disabled, created_at FROM users WHERE name = ?1")?
        .query_row([name], user_from_row)
        .optional()?)
}

pub(crate) fn list_users(c: &Connection) -> Result<Vec<User>> {
    let mut st = c.prepare_cached("SELECT name, role, disabled, created_at FROM users ORDER BY name")?;
    let rows = st.query_map([], user_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The row written for a new user, as its audit entry holds it.
pub(crate) fn insert_user(tx: &Connection, row: &serde_json::Value) -> Result<()> {
    tx.execute(
        "INSERT INTO users (name, role, password_hash, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            row["name"].as_str(),
            row["role"].as_str(),
            row["password_hash"].as_str(),
            row["disabled"].as_bool().unwrap_or(false),
            row["created_at"].as_str()
        ],
    )?;
    Ok(())
}

pub(crate) fn user_with_hash(c: &Connection, name: &str) -> Result<Option<(User, Option<String>)>> {
    Ok(c.prepare_cached("SELECT name, role, disabled, created_at, password_hash FROM users WHERE name = ?1")?
        .query_row([name], |r| Ok((user_from_row(r)?, r.get(4)?)))
        .optional()?)
}

/// The row written for a new token, as its audit entry holds it.
pub(crate) fn insert_token(tx: &Connection, row: &serde_json::Value) -> Result<()> {
    tx.execute(
        "INSERT INTO tokens (id, user_name, label, hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            row["id"].as_str(),
            row["user"].as_str(),
            row["label"].as_str(),
            row["hash"].as_str(),
            row["created_at"].as_str(),
            row["expires_at"].as_str()
        ],
    )?;
    Ok(())
}

pub(crate) fn list_tokens(c: &Connection, user_name: Option<&str>) -> Result<Vec<TokenInfo>> {
    let mut st = c.prepare_cached(
        "SELECT id, user_name, label, created_at, expires_at, revoked_at, last_used_at FROM tokens
         WHERE ?1 IS NULL OR user_name = ?1 ORDER BY created_at, id",
    )?;
    let rows = st.query_map([user_name], |r| {
        Ok(TokenInfo {
            id: r.get(0)?,
            user: r.get(1)?,
            label: r.get(2)?,
            created_at: r.get(3)?,
            expires_at: r.get(4)?,
            revoked: r.get::<_, Option<String>>(5)?.is_some(),
            last_used_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn token_by_hash(c: &Connection, hash: &str) -> Result<Option<TokenRow>> {
    Ok(c.prepare_cached(
        "SELECT id, expires_at, revoked_at, user_name, last_used_at FROM tokens WHERE hash = ?1",
    )?
    .query_row([hash], |r| {
        Ok(TokenRow {
            id: r.get(0)?,
            expires_at: r.get(1)?,
            revoked_at: r.get(2)?,
            user: r.get(3)?,
            last_used_at: r.get(4)?,
        })
    })
    .optional()?)
}

pub(crate) fn touch_token(c: &Connection, id: &str) -> Result<()> {
    c.execute("UPDATE tokens SET last_used_at = ?2 WHERE id = ?1", params![id, crate::now()])?;
    Ok(())
}
