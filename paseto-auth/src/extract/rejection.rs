//! Authentication failures over HTTP: 401 for a missing or invalid token (RFC 6750
//! `invalid_token`), 403 for a valid token that fails a requirement (`insufficient_scope`), 401
//! for one that is not fresh where a fresh one is needed (RFC 9470
//! `insufficient_user_authentication`: log in again).

use axum::Json;
use axum::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::{ClaimError, Error};

/// RFC 9470's code for a token that is valid but not recent enough.
const INSUFFICIENT_USER_AUTHENTICATION: &str = "insufficient_user_authentication";

/// Why a request was not authenticated. An application's error handler receives it.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthError {
    /// The request carries no token.
    Missing,
    /// The token is invalid or fails a requirement; see [`Error::kind`].
    Token(Error),
}

impl AuthError {
    /// The HTTP status: 401, 403 for `insufficient_scope`, or 503 when the revocation store
    /// could not be asked (and fails closed).
    pub fn status(&self) -> StatusCode {
        match self {
            AuthError::Token(err) if err.kind().is_insufficient_scope() || err.kind().is_csrf() => {
                StatusCode::FORBIDDEN
            }
            AuthError::Token(err) if err.kind().is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    /// The error code: RFC 6750's `invalid_token` or `insufficient_scope`, RFC 9470's
    /// `insufficient_user_authentication` for a token that is not fresh, RFC 6749's
    /// `temporarily_unavailable` for a 503, or `None` for a missing token.
    pub fn error_code(&self) -> Option<&'static str> {
        match self {
            AuthError::Missing => None,
            AuthError::Token(err) if err.kind().is_insufficient_scope() => {
                Some("insufficient_scope")
            }
            AuthError::Token(Error::Claims(ClaimError::NotFresh)) => {
                Some(INSUFFICIENT_USER_AUTHENTICATION)
            }
            AuthError::Token(err) if err.kind().is_csrf() => Some(err.kind().as_str()),
            AuthError::Token(err) if err.kind().is_unavailable() => Some("temporarily_unavailable"),
            AuthError::Token(_) => Some("invalid_token"),
        }
    }

    /// The `WWW-Authenticate` challenge for this error (`None` for a 503, which asks for no
    /// other credentials, and for a CSRF refusal, whose credentials are fine).
    pub fn challenge(&self) -> Option<HeaderValue> {
        if matches!(self, AuthError::Token(err) if err.kind().is_csrf()) {
            return None;
        }
        match self.error_code() {
            None => Some(HeaderValue::from_static("Bearer")),
            Some("insufficient_scope") => Some(HeaderValue::from_static(
                r#"Bearer error="insufficient_scope""#,
            )),
            Some(INSUFFICIENT_USER_AUTHENTICATION) => Some(HeaderValue::from_static(
                r#"Bearer error="insufficient_user_authentication", error_description="A fresh token is required: log in again""#,
            )),
            Some("temporarily_unavailable") => None,
            Some(_) => Some(HeaderValue::from_static(r#"Bearer error="invalid_token""#)),
        }
    }
}

impl AuthError {
    /// The default response: status, `WWW-Authenticate`, and the body `{"error": CODE}` where
    /// CODE is the RFC 6750 code (`invalid_token`, `insufficient_scope`), or `unauthorized` for a
    /// missing token. Nothing else: why the token failed is for the log and the error handler,
    /// not for a client probing the verifier.
    pub fn response(&self) -> Response {
        self.respond(None)
    }

    /// The response with the detail added, for development: the body also holds `kind` (the
    /// [`ErrorKind`](crate::ErrorKind) name, e.g. `expired`) and `detail` (the error's message,
    /// escaped). See [`PasetoAuth::detailed_errors`](super::PasetoAuth::detailed_errors).
    pub fn detailed_response(&self) -> Response {
        let (kind, detail) = match self {
            AuthError::Missing => ("missing_token", "the request carries no token".to_owned()),
            AuthError::Token(err) => (err.kind().as_str(), err.to_string()),
        };
        self.respond(Some(serde_json::json!({ "kind": kind, "detail": detail })))
    }

    fn respond(&self, detail: Option<serde_json::Value>) -> Response {
        let mut body = serde_json::json!({ "error": self.error_code().unwrap_or("unauthorized") });
        if let (Some(serde_json::Value::Object(extra)), Some(body)) = (detail, body.as_object_mut())
        {
            body.extend(extra);
        }
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        if let Some(challenge) = self.challenge() {
            headers.insert(WWW_AUTHENTICATE, challenge);
        }
        if self.status() == StatusCode::SERVICE_UNAVAILABLE {
            // Try again in a second: the store is usually back by then.
            headers.insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// [`AuthError::response`]: the status, the challenge and `{"error": CODE}`.
impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        self.response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_challenges_follow_rfc_6750() {
        let missing = AuthError::Missing;
        assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(missing.challenge().unwrap(), "Bearer");
        let invalid = AuthError::Token(Error::Claims(ClaimError::Expired));
        assert_eq!(invalid.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            invalid.challenge().unwrap(),
            r#"Bearer error="invalid_token""#
        );
        let scope = AuthError::Token(Error::Claims(ClaimError::AudienceNotAccepted));
        assert_eq!(scope.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            scope.challenge().unwrap(),
            r#"Bearer error="insufficient_scope""#
        );
    }
}
