//! keruen-server owns the web face of keruen: the REST API under `/api/v1` with its
//! OpenAPI document at `/api/openapi.json`, the server-rendered pages of the web UI in
//! English and Russian, their static assets, sessions, CSRF tokens, bearer tokens and
//! the security headers.
//!
//! [`app`] builds the whole [`axum::Router`] from an [`AppState`], which holds the store
//! (`Arc<dyn Store>`, called through `spawn_blocking` because it is synchronous), the
//! sessions, the login rate limiter and the cache of analysis inputs. Every HTML page
//! has a JSON twin (`/events/ID` and `/api/v1/events/ID`); both call the same store
//! reads, and the server adds no business rules of its own. Errors are one type,
//! [`ApiError`], rendered as `{"error": {"code", "message", "field"?}}` for the API and
//! as a page for the UI.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use keruen_server::{AppState, app};
//! use tower::ServiceExt;
//! let dir = tempfile::tempdir().unwrap();
//! let store = keruen_store::SqliteStore::create(dir.path().join("k.db")).unwrap();
//! let router = app(AppState::new(std::sync::Arc::new(store)));
//! let req = axum::http::Request::get("/api/v1/stats").body(axum::body::Body::empty()).unwrap();
//! let res = router.oneshot(req).await.unwrap();
//! assert_eq!(res.status(), 200);
//! # });
//! ```
#![warn(missing_docs)]

mod analysis;
mod api;
mod assets;
mod auth;
mod error;
mod highlight;
mod i18n;
mod layout;
mod map;
mod pages;
mod params;
mod search_index;
mod security;
mod state;
mod users;

pub use auth::Sessions;
pub use error::ApiError;
pub use i18n::Lang;
pub use state::{AppState, Config};

use axum::Router;

/// The whole application: API, OpenAPI document, pages, assets, with the security
/// headers and body limits applied to every route.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router().split_for_parts();
    let openapi = std::sync::Arc::new(openapi);
    Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .merge(pages::router())
        .merge(assets::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), pages::page_layer))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Binds `bind` (port 0 picks a free one), so that the caller can print the address
/// before serving with [`serve`].
pub fn bind(bind: std::net::SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let l = std::net::TcpListener::bind(bind)?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Serves on a listener from [`bind`] until Ctrl-C; blocks the calling thread. Runs on
/// its own multi-threaded runtime, so that the command line needs no async.
pub fn serve(state: AppState, listener: std::net::TcpListener) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}
