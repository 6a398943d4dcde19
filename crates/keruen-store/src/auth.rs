//! Users, roles and the actor of every write; password and token hashing.
//!
//! Three roles: a **viewer** may only read; an **editor** may also review, edit,
//! merge, split, resolve conflicts, import and ingest; an **admin** may also manage
//! users and API tokens. Every write of the store takes the [`Actor`] making it and
//! checks its role before it changes anything ([`Actor::require`]).
//!
//! Passwords are hashed with Argon2id and a random salt (a PHC string). API tokens are
//! 32 random bytes shown once as `krn_` and 64 hex digits; the store keeps only their
//! SHA-256, so a token is looked up by its hash and never compared in the clear.
use crate::{Result, StoreError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Reads only.
    Viewer,
    /// Reads, reviews and curates, imports and ingests.
    Editor,
    /// Everything an editor does, and manages users and tokens.
    Admin,
}

impl UserRole {
    /// Every role, weakest first.
    pub const ALL: [UserRole; 3] = [UserRole::Viewer, UserRole::Editor, UserRole::Admin];

    /// The role as written in the database, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Viewer => "viewer",
            UserRole::Editor => "editor",
            UserRole::Admin => "admin",
        }
    }

    /// Whether the role may do what `permission` covers.
    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::Read => true,
            Permission::Curate => self >= UserRole::Editor,
            Permission::Administer => self == UserRole::Admin,
        }
    }
}

impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UserRole {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        UserRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| format!("unknown role `{s}`; expected viewer, editor or admin"))
    }
}

/// Kinds of operation, for role checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Reading anything (every role).
    Read,
    /// Changing knowledge: review, edit, merge, split, resolve, import, ingest
    /// (editor and admin).
    Curate,
    /// Managing users and tokens (admin).
    Administer,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login name.
    pub name: String,
    /// Role.
    pub role: UserRole,
    /// A disabled user can neither log in nor use tokens; their history stays.
    pub disabled: bool,
    /// When the account was made (RFC 3339 UTC).
    pub created_at: String,
}

impl User {
    /// The user acting.
    pub fn actor(&self) -> Actor {
        Actor { name: self.name.clone(), role: self.role }
    }
}

/// Who makes a change, and with which role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// User name.
    pub name: String,
    /// Role in force for this change.
    pub role: UserRole,
}

impl Actor {
    /// The user that CLI writes on a local file act as, unless `--as USER` is given.
    pub fn local_admin() -> Actor {
        Actor { name: "admin".into(), role: UserRole::Admin }
    }

    /// The actor as written in the audit log and in `asserted_by`: `user:NAME`.
    pub fn key(&self) -> String {
        format!("user:{}", self.name)
    }

    /// Refuses, with nothing changed, an operation that the actor's role does not
    /// allow. `action` says what was tried ("accept events", "add users").
    pub fn require(&self, action: &str, permission: Permission) -> Result<()> {
        if self.role.allows(permission) {
            return Ok(());
        }
        let reason = match permission {
            Permission::Read => unreachable!("every role may read"),
            Permission::Curate => format!("the {} role may only read; an editor or an admin may", self.role),
            Permission::Administer => {
                format!("the {} role may not manage users or tokens; an admin may", self.role)
            }
        };
        Err(StoreError::Forbidden { actor: self.key(), action: action.into(), reason })
    }
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Public id (`tok-` and 12 hex digits), used to revoke it.
    pub id: String,
    /// The user it acts as.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// When it was made (RFC 3339 UTC).
    pub created_at: String,
    /// When it stops working, if ever.
    pub expires_at: Option<String>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// When it was last used to authenticate.
    pub last_used_at: Option<String>,
}

/// Checks a user name: 1–64 letters, digits, `.`, `_` or `-`, starting with a
/// letter or digit (it appears in `user:NAME` and in URLs).
pub fn check_user_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_alphanumeric())
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            line: 0,
            message: format!(
                "`{name}` is not a valid user name: use 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit"
            ),
        })
    }
}

/// The shortest password accepted (an empty password means "no password login").
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The Argon2id PHC string of `password`, with a random salt.
pub(crate) fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Conflict(format!("cannot hash the password: {e}")))
}

/// Whether `password` matches the PHC string `hash`.
pub(crate) fn password_matches(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordVerifier, phc::PasswordHash};
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Prefix of every token secret, so that a leaked one is recognisable (and greppable).
pub const TOKEN_PREFIX: &str = "krn_";

/// A new token: its public id and its secret.
pub(crate) fn new_token() -> (String, String) {
    let mut id = [0u8; 6];
    let mut secret = [0u8; 32];
    rand::fill(&mut id[..]);
    rand::fill(&mut secret[..]);
    (format!("tok-{}", hex::encode(id)), format!("{TOKEN_PREFIX}{}", hex::encode(secret)))
}

/// What the store keeps of a token secret: its SHA-256 in hex.
pub(crate) fn token_hash(secret: &str) -> String {
    keruen_model::sha256_hex(secret.trim().as_bytes())
}

/// Parses an RFC 3339 timestamp, or says what is wrong.
pub(crate) fn timestamp(s: &str) -> Result<jiff::Timestamp> {
    s.parse::<jiff::Timestamp>().map_err(|e| StoreError::Invalid {
        line: 0,
        message: format!("`{s}` is not an RFC 3339 time such as 2030-01-31T00:00:00Z: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(!UserRole::Viewer.allows(Permission::Curate));
        assert!(UserRole::Editor.allows(Permission::Curate));
        assert!(!UserRole::Editor.allows(Permission::Administer));
        assert!(UserRole::Admin.allows(Permission::Administer));
        assert!(UserRole::ALL.iter().all(|r| r.allows(Permission::Read)));
        for r in UserRole::ALL {
            assert_eq!(r.to_string().parse::<UserRole>().unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert!("root".parse::<UserRole>().unwrap_err().contains("viewer, editor or admin"));
    }

    #[test]
    fn a_viewer_is_refused_with_a_clear_message() {
        let viewer = Actor { name: "student".into(), role: UserRole::Viewer };
        let err = viewer.require("accept events", Permission::Curate).unwrap_err();
        assert_eq!(
            err.to_string(),
            "user:student may not accept events: the viewer role may only read; an editor or an admin may"
        );
        assert!(Actor::local_admin().require("add users", Permission::Administer).is_ok());
        assert_eq!(Actor::local_admin().key(), "user:admin");
    }

    #[test]
    fn passwords_are_argon2id_with_a_salt() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(password_matches("correct horse", &a));
        assert!(!password_matches("correct hors", &a));
        assert!(!password_matches("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_as_hashes() {
        let (id1, s1) = new_token();
        let (id2, s2) = new_token();
        assert_ne!(s1, s2);
        assert_ne!(id1, id2);
        assert!(s1.starts_with(TOKEN_PREFIX) && s1.len() == 4 + 64, "{s1}");
        assert!(id1.starts_with("tok-") && id1.len() == 16, "{id1}");
        assert_eq!(token_hash(&s1).len(), 64);
        assert_ne!(token_hash(&s1), token_hash(&s2));
    }

    #[test]
    fn user_names_are_checked() {
        for good in ["aigerim", "madina.k", "r_2", "Тимур"] {
            assert!(check_user_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "a b", "a:b", &"x".repeat(65)] {
            assert!(check_user_name(bad).is_err(), "{bad}");
        }
    }
}
