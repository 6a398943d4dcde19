//! The one error type of the server and its JSON shape:
//! `{"error": {"code": "...", "message": "...", "field": "..."}}`.
//!
//! Client errors (4xx) carry a message meant for the person who sent the request;
//! internal errors are logged with their cause and answered with a generic message,
//! so that no SQL or file path leaks.
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keruen_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answered to a client.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code: `not_found`, `invalid`, `forbidden`, …
    pub code: &'static str,
    /// What went wrong and what to do, for a person.
    pub message: String,
    /// The parameter or field at fault, when one is.
    pub field: Option<String>,
    /// Seconds to wait before trying again (429).
    pub retry_after: Option<u64>,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    #[schema(example = "invalid")]
    pub code: String,
    /// A sentence for a person.
    pub message: String,
    /// The parameter or field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// An error with a status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), field: None, retry_after: None }
    }

    /// 400: a parameter or field is wrong.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { field: Some(field.into()), ..Self::new(StatusCode::BAD_REQUEST, "invalid", message) }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 401: sign in first.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 413.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the request body is larger than this server accepts ({}); send less",
                human_bytes(limit)
            ),
        )
    }

    /// 500, logged with its cause; the client sees a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {cause}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server; it has been logged",
        )
    }

    /// The same error naming a field.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.clone(),
                field: self.field.clone(),
            },
        }
    }
}

/// `2 MB`, `512 KB`.
pub(crate) fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 { format!("{} MB", n >> 20) } else { format!("{} KB", n >> 10) }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => ApiError::not_found(e.to_string()),
            StoreError::Invalid { line, message } => {
                let field = if message.starts_with("cursor") { "cursor" } else { "body" };
                // A line of an uploaded file is named, as the CLI names it.
                let message = if line > 0 { format!("line {line}: {message}") } else { message };
                ApiError::invalid(field, message)
            }
            StoreError::Forbidden { .. } => ApiError::forbidden(e.to_string()),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            ref busy if busy.is_busy() => {
                let mut err = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the database is busy with another write (an import?); nothing was changed: try again shortly",
                );
                err.retry_after = Some(5);
                err
            }
            ref ro if ro.is_read_only() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "read_only",
                "this server's database takes no writes (a read-only file or a replica); nothing was changed: \
                 send writes to the server of the primary database",
            ),
            other => ApiError::internal(other),
        }
    }
}

impl From<keruen_analysis::AnalysisError> for ApiError {
    fn from(e: keruen_analysis::AnalysisError) -> Self {
        let field = match e {
            keruen_analysis::AnalysisError::Years { .. } => "to",
            keruen_analysis::AnalysisError::NotACountry(_) => "country",
        };
        ApiError::invalid(field, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(self.body())).into_response();
        if let Some(wait) = self.retry_after {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, wait.into());
        }
        // Kept on the response so that the page layer can render it as HTML.
        res.extensions_mut().insert(self);
        res
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// The fallback of unknown paths.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("nothing at {}: check the address", uri.path()))
}

/// The fallback of known paths with another method.
pub(crate) async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} does not accept {method}", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> StoreError {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None))
    }

    #[test]
    fn a_busy_or_read_only_database_is_a_503_that_says_so_not_a_500() {
        let busy = ApiError::from(sqlite(rusqlite::ffi::SQLITE_BUSY));
        assert_eq!((busy.status.as_u16(), busy.code, busy.retry_after), (503, "busy", Some(5)));
        assert!(busy.message.contains("try again"), "{}", busy.message);
        let locked = ApiError::from(sqlite(rusqlite::ffi::SQLITE_LOCKED));
        assert_eq!(locked.code, "busy");
        let ro = ApiError::from(sqlite(rusqlite::ffi::SQLITE_READONLY));
        assert_eq!((ro.status.as_u16(), ro.code), (503, "read_only"));
        let other = ApiError::from(sqlite(rusqlite::ffi::SQLITE_CORRUPT));
        assert_eq!(other.status.as_u16(), 500);
    }
}
