//! Static files: the stylesheet, the small scripts of the charts and the review
//! shortcuts, the favicon. Compiled into the binary (nothing is fetched at run time,
//! nothing comes from a CDN) and served with a long cache life: their URLs carry a
//! hash of the content (`/assets/app.css?v=…`), so a new build is never stale.
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

/// One file.
struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "app.css", mime: "text/css; charset=utf-8", body: include_bytes!("../assets/app.css") },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/app.js"),
    },
    Asset {
        name: "timeline.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/timeline.js"),
    },
    Asset {
        name: "map.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/map.js"),
    },
    Asset {
        name: "network.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/network.js"),
    },
    Asset {
        name: "review.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/review.js"),
    },
    Asset { name: "favicon.svg", mime: "image/svg+xml", body: include_bytes!("../assets/favicon.svg") },
];

/// A short hash of every asset together: the `v=` of their URLs.
pub fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for a in ASSETS {
            h.update(a.name.as_bytes());
            h.update(a.body);
        }
        hex::encode(&h.finalize()[..6])
    })
}

/// The URL of an asset.
pub fn url(name: &str) -> String {
    format!("/assets/{name}?v={}", version())
}

async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => {
            let mut res = a.body.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
            res
        }
        None => crate::error::ApiError::not_found(format!("no asset named `{name}`")).into_response(),
    }
}

async fn favicon() -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, url("favicon.svg"))]).into_response()
}

/// `/assets/{name}` and `/favicon.ico`.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/assets/{name}", axum::routing::get(serve))
        .route("/favicon.ico", axum::routing::get(favicon))
}
