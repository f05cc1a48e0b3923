//! What can go wrong with a session: saving it ([`SessionError`]) and extracting it
//! ([`SessionRejection`]).

use axum::response::{IntoResponse, Response};

use crate::cookie::MAX_COOKIE_SIZE;
use crate::reply::internal_error;
use crate::{Error, TokenError};

/// A session could not be sealed into its cookie.
///
/// [`Session::save`](super::Session::save) returns it; when the application did not call `save`
/// and sealing fails as the response is written, the [`SessionLayer`](super::SessionLayer)
/// answers 500 (and logs this error) instead of sending a cookie the browser would drop. As a
/// response it is a 500 with `{"error": "internal_error"}`; the message is logged, not sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The sealed cookie is larger than browsers keep ([`MAX_COOKIE_SIZE`], 4096 bytes).
    #[error(
        "session cookie {cookie:?} would be {len} bytes, over the {limit}-byte limit of browsers"
    )]
    TooLarge {
        /// The cookie's name.
        cookie: &'static str,
        /// The size of `name=value`, in bytes.
        len: usize,
        /// The limit ([`MAX_COOKIE_SIZE`]).
        limit: usize,
    },
    /// The session data does not serialize to JSON (e.g. a map with non-string keys).
    #[error("session {cookie:?} does not serialize to JSON: {message}")]
    Serialize {
        /// The cookie's name.
        cookie: &'static str,
        /// The serializer's message.
        message: String,
    },
    /// The sealed cookie is not a valid `Set-Cookie` header value (a spec with a bad attribute
    /// that the compile-time check did not see).
    #[error("session cookie {cookie:?} is not a valid Set-Cookie header value")]
    InvalidCookie {
        /// The cookie's name.
        cookie: &'static str,
    },
    /// Sealing failed in the cryptographic library, or the lifetime is out of range.
    #[error("session {cookie:?} could not be sealed: {source}")]
    Seal {
        /// The cookie's name.
        cookie: &'static str,
        /// The underlying error.
        source: Error,
    },
}

impl SessionError {
    pub(crate) fn from_seal(cookie: &'static str, err: Error) -> Self {
        match err {
            Error::Token(TokenError::TokenTooLarge { len, .. }) => SessionError::TooLarge {
                cookie,
                len,
                limit: MAX_COOKIE_SIZE,
            },
            Error::Token(TokenError::InvalidPayload(message)) => {
                SessionError::Serialize { cookie, message }
            }
            source => SessionError::Seal { cookie, source },
        }
    }
}

/// A 500 (`{"error": "internal_error"}`); the error is logged, not sent.
impl IntoResponse for SessionError {
    fn into_response(self) -> Response {
        internal_error(&self)
    }
}

/// Why a [`Session`](super::Session) extractor failed: always a server misconfiguration, never
/// the client's cookie (a bad cookie gives a fresh session). Answered with 500
/// (`{"error": "internal_error"}`); the message, which names the types involved, is logged with
/// `tracing::error!` and not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionRejection {
    /// The router has no [`SessionLayer`](super::SessionLayer) around this route.
    MissingLayer {
        /// The session type.
        type_name: &'static str,
    },
    /// The session type's [`SessionSpec`](super::SessionSpec) fails
    /// [`SessionSpec::check`](super::SessionSpec::check).
    InvalidSpec {
        /// The session type.
        type_name: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// Two session types use the same cookie name.
    CookieConflict {
        /// The cookie name.
        cookie: &'static str,
        /// The type that used it first in this request.
        first: &'static str,
        /// The type that used it next.
        second: &'static str,
    },
}

impl std::fmt::Display for SessionRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionRejection::MissingLayer { type_name } => write!(
                f,
                "Session<{type_name}> needs a SessionLayer: add \
                 `.layer(paseto_auth::session::SessionLayer::new(keys))` to the router"
            ),
            SessionRejection::InvalidSpec { type_name, problem } => {
                write!(f, "the session spec of {type_name} is invalid: {problem}")
            }
            SessionRejection::CookieConflict {
                cookie,
                first,
                second,
            } => write!(
                f,
                "session types {first} and {second} both use the cookie {cookie:?}; \
                 give each session type its own cookie name"
            ),
        }
    }
}

impl std::error::Error for SessionRejection {}

impl IntoResponse for SessionRejection {
    fn into_response(self) -> Response {
        internal_error(&self)
    }
}
