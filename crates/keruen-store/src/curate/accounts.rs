//! Users and API tokens. Their audit entries are about `user:NAME` and `token:ID`;
//! they hold the password and token hashes (never a secret), so that a replay
//! restores working logins, and [`crate::Store::history`] redacts them.
use crate::auth::{
    MIN_PASSWORD_CHARS, Permission, TOKEN_PREFIX, TokenInfo, User, UserRole, check_user_name, hash_password,
    new_token, password_matches, timestamp, token_hash,
};
use crate::txn::Txn;
use crate::{Actor, Result, StoreError, now};
use serde_json::json;

pub(crate) fn add_user(
    tx: &mut dyn Txn,
    by: &Actor,
    name: &str,
    role: UserRole,
    password: &str,
) -> Result<User> {
    by.require("add users", Permission::Administer)?;
    check_user_name(name)?;
    if !password.is_empty() && password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::Invalid {
            line: 0,
            message: format!("the password is too short: use at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    if tx.user(name)?.is_some() {
        return Err(StoreError::Conflict(format!("user `{name}` already exists")));
    }
    let hash = if password.is_empty() { None } else { Some(hash_password(password)?) };
    let created_at = now();
    let row = json!({"name": name, "role": role, "disabled": false, "created_at": created_at, "password_hash": hash});
    tx.insert_user(&row)?;
    tx.audit(&by.key(), "user.add", &format!("user:{name}"), None, Some(&row.to_string()), None)?;
    Ok(User { name: name.into(), role, disabled: false, created_at })
}

pub(crate) fn disable_user(tx: &mut dyn Txn, by: &Actor, name: &str) -> Result<()> {
    by.require("disable users", Permission::Administer)?;
    let u = tx.user(name)?.ok_or_else(|| StoreError::NotFound { kind: "user", key: name.into() })?;
    if u.name == by.name {
        return Err(StoreError::Conflict("you cannot disable yourself: ask another admin".into()));
    }
    if u.disabled {
        return Ok(());
    }
    tx.set_user_disabled(name)?;
    tx.audit(
        &by.key(),
        "user.disable",
        &format!("user:{name}"),
        Some(r#"{"disabled":false}"#),
        Some(r#"{"disabled":true}"#),
        None,
    )
}

pub(crate) fn verify_password(tx: &mut dyn Txn, name: &str, password: &str) -> Result<Option<User>> {
    Ok(match tx.user_with_hash(name)? {
        Some((u, Some(hash))) if !u.disabled && password_matches(password, &hash) => Some(u),
        _ => None,
    })
}

pub(crate) fn create_token(
    tx: &mut dyn Txn,
    by: &Actor,
    user_name: &str,
    label: &str,
    expires_at: Option<String>,
) -> Result<(TokenInfo, String)> {
    by.require("create tokens", Permission::Administer)?;
    let u =
        tx.user(user_name)?.ok_or_else(|| StoreError::NotFound { kind: "user", key: user_name.into() })?;
    if u.disabled {
        return Err(StoreError::Conflict(format!("user `{user_name}` is disabled")));
    }
    if let Some(at) = &expires_at
        && timestamp(at)? <= jiff::Timestamp::now()
    {
        return Err(StoreError::Invalid { line: 0, message: format!("expiry {at} is in the past") });
    }
    let (id, secret) = new_token();
    let info = TokenInfo {
        id: id.clone(),
        user: user_name.into(),
        label: label.into(),
        created_at: now(),
        expires_at,
        revoked: false,
        last_used_at: None,
    };
    let row = json!({"id": id, "user": info.user, "label": info.label, "created_at": info.created_at,
                     "expires_at": info.expires_at, "hash": token_hash(&secret)});
    tx.insert_token(&row)?;
    tx.audit(&by.key(), "token.create", &format!("token:{id}"), None, Some(&row.to_string()), None)?;
    Ok((info, secret))
}

pub(crate) fn revoke_token(tx: &mut dyn Txn, by: &Actor, id: &str) -> Result<()> {
    by.require("revoke tokens", Permission::Administer)?;
    match tx.token_revoked_at(id)? {
        None => Err(StoreError::NotFound { kind: "token", key: id.into() }),
        Some(Some(_)) => Ok(()),
        Some(None) => {
            let at = now();
            tx.set_token_revoked(id, &at)?;
            let after = json!({"revoked_at": at}).to_string();
            tx.audit(&by.key(), "token.revoke", &format!("token:{id}"), None, Some(&after), None)
        }
    }
}

/// The token with this secret, if it is valid, its user, and when it was last used
/// (a read: a server checks a token on every request).
pub(crate) fn find_token(tx: &mut dyn Txn, secret: &str) -> Result<Option<(String, User, Option<String>)>> {
    if !secret.trim().starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(t) = tx.token_by_hash(&token_hash(secret))? else { return Ok(None) };
    if t.revoked_at.is_some() {
        return Ok(None);
    }
    if let Some(at) = t.expires_at
        && timestamp(&at).is_ok_and(|t| t <= jiff::Timestamp::now())
    {
        return Ok(None);
    }
    Ok(tx.user(&t.user)?.filter(|u| !u.disabled).map(|u| (t.id, u, t.last_used_at)))
}

/// Whether a token last used at `last_used` should have its use recorded again: at
/// most once a minute, so that a busy API client does not turn every read into a
/// write. Not audited: using a token changes no knowledge.
pub(crate) fn use_is_stale(last_used: Option<&str>) -> bool {
    match last_used.and_then(|t| timestamp(t).ok()) {
        Some(t) => jiff::Timestamp::now().duration_since(t) >= jiff::SignedDuration::from_secs(60),
        None => true,
    }
}

/// For the writes that name their actor as a string (`ImportOptions::actor`): a
/// `user:NAME` that is a user of this database must be enabled and allowed to
/// curate. Other actors (the local admin, `user:NAME`s from before users existed,
/// extractors) are let through, as before.
pub(crate) fn check_actor_key(tx: &mut dyn Txn, actor: &str, action: &str) -> Result<()> {
    let Some(name) = actor.strip_prefix("user:") else { return Ok(()) };
    match tx.user(name)? {
        Some(u) if u.disabled => Err(StoreError::Forbidden {
            actor: actor.into(),
            action: action.into(),
            reason: "the user is disabled".into(),
        }),
        Some(u) => u.actor().require(action, Permission::Curate),
        None => Ok(()),
    }
}
