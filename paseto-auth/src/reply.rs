//! The one style of every error answer the crate gives over HTTP: a status and a small JSON body,
//! `{"error": CODE}`, with a stable snake_case code and no internal detail (no Rust type, no
//! setting, no key id): the detail goes to the log, where the operator reads it.

use std::fmt;

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The code of a 500 answer.
pub(crate) const INTERNAL_ERROR: &str = "internal_error";

/// `status` with the body `{"error": code}`.
pub(crate) fn error_response(status: StatusCode, code: &'static str) -> Response {
    (status, Json(serde_json::json!({ "error": code }))).into_response()
}

/// A 503 with `{"error": "temporarily_unavailable"}` (RFC 6749's code) and `Retry-After: 1`:
/// something the answer depends on (the revocation store) is down.
pub(crate) fn unavailable() -> Response {
    let mut response = error_response(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable");
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// A 500 for a server-side mistake (a missing layer, a cookie that cannot be sealed): the cause
/// is logged at `error`, the client sees only `{"error": "internal_error"}`.
pub(crate) fn internal_error(cause: &dyn fmt::Display) -> Response {
    tracing::error!("{cause}");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR)
}
