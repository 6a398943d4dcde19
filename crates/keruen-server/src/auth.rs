//! Who is asking: sessions for the web UI, bearer tokens for the API, CSRF tokens on
//! forms, and the login rate limiter.
//!
//! - A session is a random 256-bit id in an `HttpOnly; SameSite=Lax` cookie, kept in
//!   this process's memory with an expiry (several processes behind a load balancer
//!   need sticky sessions, or users sign in again: a shared session store is future
//!   work). Each session has its own CSRF token, embedded in every form and required
//!   on every POST; the id changes at login, so that a planted id is worthless.
//! - The API takes `Authorization: Bearer krn_…` tokens checked by the store. A
//!   cookie session may call the API too, but its writes need the `X-CSRF-Token`
//!   header.
//! - Anyone else is an anonymous viewer: the public, read-only portal.
//! - Failed logins (and failed bearer tokens) are counted per client address and per
//!   user name; past the limit the answer is 429 with `Retry-After`.
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "keruen_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "lang";
/// Sessions kept at most (expired ones are swept first when full).
const MAX_SESSIONS: usize = 100_000;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read.
    Viewer,
    /// Read, review, propose.
    Editor,
    /// Everything, users included.
    Admin,
}

impl Role {
    /// As the store writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// User name.
    pub name: String,
    /// Role.
    pub role: Role,
}

#[derive(Debug, Clone)]
struct Session {
    csrf: String,
    user: Option<Principal>,
    expires: Instant,
}

/// Sessions in memory.
pub struct Sessions {
    ttl: Duration,
    map: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes as hex.
pub(crate) fn random_token() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("the operating system's random source works");
    hex::encode(buf)
}

/// Compares secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Sessions {
    /// An empty set of sessions that expire after `ttl` without use.
    pub fn new(ttl: Duration) -> Self {
        Sessions { ttl, map: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a session (anonymous when `user` is `None`); returns its id.
    pub(crate) fn create(&self, user: Option<Principal>) -> String {
        let id = random_token();
        let mut map = self.lock();
        if map.len() >= MAX_SESSIONS {
            let now = Instant::now();
            map.retain(|_, s| s.expires > now);
            if map.len() >= MAX_SESSIONS {
                // Still full of live sessions: drop the one closest to expiry.
                if let Some(k) = map.iter().min_by_key(|(_, s)| s.expires).map(|(k, _)| k.clone()) {
                    map.remove(&k);
                }
            }
        }
        map.insert(id.clone(), Session { csrf: random_token(), user, expires: Instant::now() + self.ttl });
        id
    }

    /// The CSRF token and user of a live session, extending its life.
    fn touch(&self, id: &str) -> Option<(String, Option<Principal>)> {
        let mut map = self.lock();
        let now = Instant::now();
        match map.get_mut(id) {
            Some(s) if s.expires > now => {
                s.expires = now + self.ttl;
                Some((s.csrf.clone(), s.user.clone()))
            }
            Some(_) => {
                map.remove(id);
                None
            }
            None => None,
        }
    }

    /// The CSRF token of a session.
    pub(crate) fn csrf_of(&self, id: &str) -> Option<String> {
        self.lock().get(id).map(|s| s.csrf.clone())
    }

    /// Ends a session.
    pub(crate) fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Counts failed logins per key (client address, user name) in a sliding window.
pub struct LoginLimiter {
    max: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// At most `max` failures per key in `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        LoginLimiter { max, window, failures: Mutex::new(HashMap::new()) }
    }

    /// Refuses when any key is past its limit, with the seconds to wait.
    pub(crate) fn check(&self, keys: &[String]) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let mut wait = 0;
        for k in keys {
            if let Some((n, start)) = map.get(k)
                && *n >= self.max
                && now < *start + self.window
            {
                wait = wait.max((*start + self.window - now).as_secs() + 1);
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    /// Records a failure under every key.
    pub(crate) fn fail(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if map.len() > MAX_SESSIONS {
            map.retain(|_, (_, start)| now < *start + self.window);
        }
        for k in keys {
            let e = map.entry(k.clone()).or_insert((0, now));
            if now >= e.1 + self.window {
                *e = (0, now);
            }
            e.0 += 1;
        }
    }

    /// Forgets the failures of a key (after a successful login).
    pub(crate) fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// The 429 of the limiter.
pub(crate) fn too_many(wait: u64) -> ApiError {
    ApiError {
        retry_after: Some(wait),
        ..ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many failed sign-in attempts; try again in {wait} seconds"),
        )
    }
}

/// The value of a cookie.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value.
pub(crate) fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<u64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.config.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

/// The client's address, as the login limiter counts it (`unknown` in tests, where
/// no connection exists). Behind a reverse proxy (`Config::behind_proxy`) every
/// connection comes from the proxy, so that one visitor's failed sign-ins would lock
/// out everyone: there the address the proxy appended to `X-Forwarded-For` (the last
/// entry) is used — only when the connection itself comes from a loopback or private
/// address, where a proxy can be, so that a client reaching the server directly
/// cannot choose its own address.
pub(crate) fn client_ip(parts: &Parts, behind_proxy: bool) -> String {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
    let from_proxy = |ip: &std::net::IpAddr| match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        std::net::IpAddr::V6(v6) => v6.is_loopback() || v6.is_unique_local(),
    };
    if behind_proxy
        && peer.as_ref().is_some_and(from_proxy)
        && let Some(forwarded) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
            .next_back()
    {
        return forwarded.to_string();
    }
    peer.map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

/// What a page knows about its visitor: language, session, user.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The interface language.
    pub lang: Lang,
    /// Set when `?lang=` asked for a language (the cookie is then set).
    pub lang_from_query: bool,
    /// The session id, if the visitor has a live session.
    pub session: Option<String>,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// The signed-in user.
    pub user: Option<Principal>,
    /// Path and query of this request, without `lang` (for the language switch).
    pub here: String,
}

impl Ctx {
    /// The role of the visitor (anonymous visitors are viewers).
    pub fn role(&self) -> Role {
        self.user.as_ref().map_or(Role::Viewer, |u| u.role)
    }

    /// Requires a signed-in user with at least `role`.
    pub fn require(&self, role: Role) -> ApiResult<&Principal> {
        match &self.user {
            None => Err(ApiError::unauthorized("sign in first")),
            Some(u) if u.role >= role => Ok(u),
            Some(u) => Err(ApiError::forbidden(format!(
                "{} is a {} and may not do this: it needs the {} role",
                u.name,
                u.role.as_str(),
                role.as_str()
            ))),
        }
    }

    /// Checks a submitted CSRF token against the session's.
    pub fn check_csrf(&self, submitted: Option<&str>) -> ApiResult<()> {
        match (&self.csrf, submitted) {
            (Some(expected), Some(got)) if same_secret(expected, got) => Ok(()),
            _ => Err(ApiError::forbidden(
                "the form has expired or did not come from this site: reload the page and try again",
            )
            .with_field("csrf")),
        }
    }
}

/// The language a request asks for: `?lang=`, then the cookie, then Accept-Language.
fn language(parts: &Parts) -> (Lang, bool) {
    let from_query = parts.uri.query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::from_code(&v))
    });
    if let Some(l) = from_query {
        return (l, true);
    }
    if let Some(l) = cookie(&parts.headers, LANG_COOKIE).and_then(Lang::from_code) {
        return (l, false);
    }
    let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let first = accept.split(',').next().unwrap_or("").trim().to_ascii_lowercase();
    (if first.starts_with("ru") { Lang::Ru } else { Lang::En }, false)
}

/// The path and query of a request without its `lang` parameter.
fn here(parts: &Parts) -> String {
    let path = parts.uri.path();
    let rest: Vec<(String, String)> = parts
        .uri
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "lang")
        .collect();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", serde_urlencoded::to_string(&rest).unwrap_or_default())
    }
}

/// The user of a signed-in session as the database has them on this request: a
/// session outlives neither the user's disabling (the session ends) nor a change of
/// role (the new one applies). One small read per signed-in request — curators, not
/// the public.
async fn signed_in(state: &AppState, session: &str, user: Principal) -> ApiResult<Option<Principal>> {
    let now = crate::users::current_user(state, user.name.clone()).await?;
    if now.is_none() {
        state.sessions.remove(session);
    }
    Ok(now)
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let (lang, lang_from_query) = language(parts);
        let session = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string);
        let live = session.as_deref().and_then(|id| state.sessions.touch(id));
        let (session, csrf, user) = match live {
            Some((csrf, Some(user))) => {
                let user = signed_in(state, session.as_deref().unwrap_or_default(), user).await?;
                (session, Some(csrf), user)
            }
            Some((csrf, None)) => (session, Some(csrf), None),
            None => (None, None, None),
        };
        Ok(Ctx { lang, lang_from_query, session, csrf, user, here: here(parts) })
    }
}

/// The caller of an API route: a bearer token's user, a session's user, or anonymous.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    /// The user, if any.
    pub user: Option<Principal>,
    /// Whether the user came from a cookie session (whose writes need a CSRF header).
    pub by_cookie: bool,
    /// The session's CSRF token.
    csrf: Option<String>,
    /// The `X-CSRF-Token` header sent.
    sent_csrf: Option<String>,
}

impl ApiCaller {
    /// Requires a user with at least `role` for a read (no CSRF header needed).
    pub fn require_reader(&self, role: Role) -> ApiResult<&Principal> {
        match &self.user {
            None => Err(ApiError::unauthorized(
                "this needs a signed-in user: send `Authorization: Bearer krn_…` with an API token",
            )),
            Some(u) if u.role >= role => Ok(u),
            Some(u) => Err(ApiError::forbidden(format!(
                "{} is a {} and may not do this: it needs the {} role",
                u.name,
                u.role.as_str(),
                role.as_str()
            ))),
        }
    }

    /// Requires a user with at least `role` who may write: a bearer token, or a
    /// session with its CSRF header.
    pub fn require_writer(&self, role: Role) -> ApiResult<&Principal> {
        let user = match &self.user {
            None => {
                return Err(ApiError::unauthorized(
                    "this needs a signed-in user: send `Authorization: Bearer krn_…` with an API token",
                ));
            }
            Some(u) => u,
        };
        if self.by_cookie {
            match (&self.csrf, &self.sent_csrf) {
                (Some(a), Some(b)) if same_secret(a, b) => {}
                _ => {
                    return Err(ApiError::forbidden(
                        "a request signed in by cookie must send the session's X-CSRF-Token header",
                    )
                    .with_field("X-CSRF-Token"));
                }
            }
        }
        if user.role < role {
            return Err(ApiError::forbidden(format!(
                "{} is a {} and may not do this: it needs the {} role",
                user.name,
                user.role.as_str(),
                role.as_str()
            )));
        }
        Ok(user)
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_string());
        if let Some(value) = bearer {
            let Some(secret) = value.strip_prefix("Bearer ").map(str::trim).map(str::to_string) else {
                return Err(ApiError::unauthorized("the Authorization header must be `Bearer krn_…`")
                    .with_field("Authorization"));
            };
            let keys = vec![format!("ip:{}", client_ip(parts, state.config.behind_proxy))];
            state.limiter.check(&keys).map_err(too_many)?;
            let user = crate::users::authenticate_token(state, secret).await?;
            return match user {
                Some(u) => Ok(ApiCaller { user: Some(u), by_cookie: false, csrf: None, sent_csrf: None }),
                None => {
                    state.limiter.fail(&keys);
                    Err(ApiError::unauthorized("this API token is unknown, expired or revoked")
                        .with_field("Authorization"))
                }
            };
        }
        let id = cookie(&parts.headers, SESSION_COOKIE).unwrap_or_default().to_string();
        let session = state.sessions.touch(&id);
        let sent_csrf = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(match session {
            Some((csrf, user)) => {
                let user = match user {
                    Some(u) => signed_in(state, &id, u).await?,
                    None => None,
                };
                ApiCaller { by_cookie: user.is_some(), user, csrf: Some(csrf), sent_csrf }
            }
            None => ApiCaller { user: None, by_cookie: false, csrf: None, sent_csrf },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limiter_blocks_past_the_limit_and_forgets_after_the_window() {
        let l = LoginLimiter::new(2, Duration::from_millis(50));
        let keys = vec!["ip:1".to_string()];
        assert!(l.check(&keys).is_ok());
        l.fail(&keys);
        l.fail(&keys);
        assert!(l.check(&keys).is_err());
        assert!(l.check(&["ip:2".to_string()]).is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert!(l.check(&keys).is_ok());
    }

    #[test]
    fn sessions_expire() {
        let s = Sessions::new(Duration::from_millis(20));
        let id = s.create(None);
        assert!(s.touch(&id).is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert!(s.touch(&id).is_none());
        assert!(s.touch("nope").is_none());
    }
}
