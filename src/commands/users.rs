//! `keruen users add|list|disable`, `keruen tokens create|revoke|list` and
//! `keruen replay --from DB`.
use crate::cli::Cli;
use crate::{db, output};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use keruen_store::{MIN_PASSWORD_CHARS, UserRole};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

/// Options of `users`.
#[derive(Args, Debug)]
pub struct UsersArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: UsersAction,
}

/// The user actions.
#[derive(Subcommand, Debug)]
pub enum UsersAction {
    /// Add a user. The password is asked for on the terminal (never on the command
    /// line); --password-stdin reads it from standard input instead.
    Add {
        /// Login name.
        name: String,
        /// viewer (reads), editor (reviews and curates), admin (also manages users).
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// No password: the user can only use API tokens.
        #[arg(long, conflicts_with = "password_stdin")]
        no_password: bool,
    },
    /// List the users.
    List,
    /// Disable a user: no more logins or tokens; their history stays.
    Disable {
        /// Login name.
        name: String,
    },
}

/// Options of `tokens`.
#[derive(Args, Debug)]
pub struct TokensArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: TokensAction,
}

/// The token actions.
#[derive(Subcommand, Debug)]
pub enum TokensAction {
    /// Create an API token; its secret is printed once and never stored.
    Create {
        /// The user it acts as.
        #[arg(long)]
        user: String,
        /// What it is for.
        #[arg(long, default_value = "")]
        label: String,
        /// When it stops working: 30d, 12h, 8w, a date (2027-01-31), an RFC 3339
        /// time, or `never`.
        #[arg(long, default_value = "90d", value_name = "WHEN")]
        expires: String,
    },
    /// Revoke a token by its id (tok-…).
    Revoke {
        /// Token id.
        id: String,
    },
    /// List tokens (never their secrets).
    List {
        /// Only this user's.
        #[arg(long)]
        user: Option<String>,
    },
}

/// Options of `replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The database whose audit log is replayed into --db (which must be new or empty).
    #[arg(long, value_name = "PATH")]
    pub from: PathBuf,
}

fn read_password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on: pipe it with --password-stdin, or pass --no-password");
    }
    let first = rpassword::prompt_password(format!("password (at least {MIN_PASSWORD_CHARS} characters): "))?;
    let again = rpassword::prompt_password("the same password again: ")?;
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

/// An expiry given as `30d`, `12h`, `8w`, a date, an RFC 3339 time or `never`, as
/// RFC 3339 UTC.
pub(crate) fn expiry(s: &str, now: jiff::Timestamp) -> Result<Option<String>> {
    let s = s.trim();
    if s == "never" {
        return Ok(None);
    }
    let bad = || anyhow::anyhow!("--expires `{s}`: give 30d, 12h, 8w, a date such as 2027-01-31, or never");
    if let Some(unit) = s.chars().last().filter(|c| matches!(c, 'h' | 'd' | 'w'))
        && let Ok(n) = s[..s.len() - 1].parse::<i64>()
    {
        let hours = match unit {
            'h' => n,
            'd' => n * 24,
            _ => n * 24 * 7,
        };
        if n <= 0 {
            return Err(bad());
        }
        let at = now
            .checked_add(jiff::SignedDuration::from_hours(hours))
            .and_then(|t| t.round(jiff::Unit::Second))
            .map_err(|_| bad())?;
        return Ok(Some(at.to_string()));
    }
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(Some(t.to_string()));
    }
    let date: jiff::civil::Date = s.parse().map_err(|_| bad())?;
    let at = date.to_zoned_datetime(jiff::tz::TimeZone::UTC).map_err(|_| bad())?.timestamp();
    Ok(Some(at.to_string()))
}

pub fn users(cli: &Cli, args: &UsersArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match &args.action {
        UsersAction::Add { name, role, password_stdin, no_password } => {
            let role: UserRole = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let (store, _) = db::open_for_write(&cli.db)?;
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            // Ask for a password only of someone allowed to add users.
            actor.require("add users", keruen_store::Permission::Administer)?;
            let password = if *no_password { String::new() } else { read_password(*password_stdin)? };
            if !*no_password && password.is_empty() {
                bail!("the password is empty; pass --no-password for a user who only uses tokens");
            }
            let u = store.add_user(&actor, name, role, &password)?;
            if cli.json {
                return output::json(&mut out, &u);
            }
            writeln!(out, "added {} ({})", u.name, u.role)?;
        }
        UsersAction::List => {
            let store = db::open(&cli.db)?;
            let users = store.list_users()?;
            if cli.json {
                return output::json(&mut out, &users);
            }
            let rows: Vec<Vec<String>> = users
                .iter()
                .map(|u| {
                    vec![
                        u.name.clone(),
                        u.role.to_string(),
                        if u.disabled { "disabled" } else { "active" }.into(),
                        u.created_at.clone(),
                    ]
                })
                .collect();
            output::table(&mut out, &["name", "role", "state", "created"], &rows)?;
        }
        UsersAction::Disable { name } => {
            let store = db::open(&cli.db)?;
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            store.disable_user(&actor, name)?;
            writeln!(out, "disabled {name}")?;
        }
    }
    Ok(())
}

pub fn tokens(cli: &Cli, args: &TokensArgs) -> Result<()> {
    let store = db::open(&cli.db)?;
    let mut out = std::io::stdout().lock();
    match &args.action {
        TokensAction::Create { user, label, expires } => {
            let expires_at = expiry(expires, jiff::Timestamp::now())?;
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            let (info, secret) = store.create_token(&actor, user, label, expires_at)?;
            if cli.json {
                return output::json(&mut out, &serde_json::json!({ "token": info, "secret": secret }));
            }
            writeln!(out, "{secret}")?;
            eprintln!(
                "token {} for {} ({}): copy the secret above now; keruen keeps only its hash and cannot show it again",
                info.id,
                info.user,
                info.expires_at
                    .as_deref()
                    .map(|e| format!("expires {e}"))
                    .unwrap_or_else(|| "never expires".into())
            );
        }
        TokensAction::Revoke { id } => {
            let actor = db::actor(&*store, cli.as_user.as_deref())?;
            store.revoke_token(&actor, id)?;
            writeln!(out, "revoked {id}")?;
        }
        TokensAction::List { user } => {
            let tokens = store.list_tokens(user.as_deref())?;
            if cli.json {
                return output::json(&mut out, &tokens);
            }
            let rows: Vec<Vec<String>> = tokens
                .iter()
                .map(|t| {
                    vec![
                        t.id.clone(),
                        t.user.clone(),
                        if t.revoked { "revoked".into() } else { "active".into() },
                        t.expires_at.clone().unwrap_or_else(|| "never".into()),
                        t.last_used_at.clone().unwrap_or_else(|| "never".into()),
                        t.label.clone(),
                    ]
                })
                .collect();
            output::table(&mut out, &["id", "user", "state", "expires", "last used", "label"], &rows)?;
        }
    }
    Ok(())
}

pub fn replay(cli: &Cli, args: &ReplayArgs) -> Result<()> {
    if args.from == cli.db {
        bail!("--from and --db are the same file: replay into a new database");
    }
    let from = db::open(&args.from)?;
    let (into, _) = db::open_for_write(&cli.db)?;
    let actor = db::actor(&*into, cli.as_user.as_deref())?;
    let report = keruen_store::replay(&*from, &*into, &actor)?;
    let mut out = std::io::stdout().lock();
    if cli.json {
        return output::json(&mut out, &report);
    }
    writeln!(
        out,
        "replayed {} audit entries of {} into {} ({} reference entities added or updated first)",
        output::count(report.entries),
        args.from.display(),
        cli.db.display(),
        output::count(report.gazetteer as u64)
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiries() {
        let now: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(expiry("30d", now).unwrap().as_deref(), Some("2026-01-31T00:00:00Z"));
        assert_eq!(expiry("12h", now).unwrap().as_deref(), Some("2026-01-01T12:00:00Z"));
        assert_eq!(expiry("1w", now).unwrap().as_deref(), Some("2026-01-08T00:00:00Z"));
        assert_eq!(expiry("2027-01-31", now).unwrap().as_deref(), Some("2027-01-31T00:00:00Z"));
        assert_eq!(expiry("never", now).unwrap(), None);
        for bad in ["soon", "0d", "-3d", "2027-13-01"] {
            assert!(expiry(bad, now).is_err(), "{bad}");
        }
    }
}
