//! axum glue: the [`PasetoAuth`] state, token sources, the `Paseto<C>` extractor and rejections.
//!
//! ```
//! use axum::{Router, routing::get, Json};
//! use paseto_auth::{Paseto, Verifier, extract::{PasetoAuth, TokenSource}, key::SecretKey, Version};
//!
//! async fn me(token: Paseto<serde_json::Value>) -> Json<serde_json::Value> {
//!     Json(token.claims["user"].clone())
//! }
//!
//! let key = SecretKey::generate(Version::V4)?;
//! let verifier = Verifier::builder().public_key(key.public_key().clone(), "https://issuer.example").build()?;
//! let auth = PasetoAuth::new(verifier)
//!     .token_source(TokenSource::any_of([TokenSource::cookie("paseto"), TokenSource::Header]));
//! let app: Router = Router::new().route("/me", get(me)).with_state(auth);
//! # let _ = app;
//! # Ok::<(), paseto_auth::Error>(())
//! ```

pub(crate) mod paseto_ext;
mod rejection;
mod source;

use std::fmt;
use std::sync::Arc;

use axum::extract::FromRef;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

pub use rejection::AuthError;
pub use source::{LoadToken, TokenSource};

use crate::error::Result;
use crate::requirements::Requirements;
use crate::verifier::{Paseto, Verifier};

type ErrorHandler = Arc<dyn Fn(AuthError) -> Response + Send + Sync>;

/// What the extractors need from the router state: the verifier, where tokens are, and how
/// failures are answered. Put it in your state (or derive `FromRef` for it); a `Verifier` alone
/// works as state too.
#[derive(Clone)]
pub struct PasetoAuth {
    verifier: Verifier,
    source: TokenSource,
    on_error: Option<ErrorHandler>,
}

impl PasetoAuth {
    /// Tokens from `Authorization: Bearer`, default error responses.
    pub fn new(verifier: Verifier) -> Self {
        PasetoAuth {
            verifier,
            source: TokenSource::Header,
            on_error: None,
        }
    }

    /// Where to find tokens (the `token_loader` of flask-paseto-extended).
    #[must_use]
    pub fn token_source(mut self, source: TokenSource) -> Self {
        self.source = source;
        self
    }

    /// Answers authentication failures with `handler` instead of the default JSON response.
    /// The handler learns why ([`AuthError`]), unlike Flask's `verification_error_handler`.
    #[must_use]
    pub fn on_error(
        mut self,
        handler: impl Fn(AuthError) -> Response + Send + Sync + 'static,
    ) -> Self {
        self.on_error = Some(Arc::new(handler));
        self
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Finds the request's token with `source` and verifies it against `route`.
    /// `Ok(None)` means the request has no token.
    pub fn authenticate(
        &self,
        parts: &Parts,
        source: &TokenSource,
        route: &Requirements,
    ) -> Result<Option<Paseto>> {
        match source.load(parts, &self.source) {
            None => Ok(None),
            Some(token) => self.verifier.verify_untyped(&token, route).map(Some),
        }
    }

    /// [`authenticate`](Self::authenticate), with a bad token already turned into the
    /// application's response (what the guard and the extractors both answer).
    #[allow(
        clippy::result_large_err,
        reason = "the error is the rejection response"
    )]
    pub(crate) fn authenticate_or_reject(
        &self,
        parts: &Parts,
        source: &TokenSource,
        route: &Requirements,
    ) -> std::result::Result<Option<Paseto>, Response> {
        self.authenticate(parts, source, route)
            .map_err(|err| self.reject(AuthError::Token(err)))
    }

    /// Turns an authentication failure into the application's response.
    pub fn reject(&self, error: AuthError) -> Response {
        if let AuthError::Token(err) = &error {
            tracing::debug!(kind = %err.kind(), "token rejected: {err}");
        }
        match &self.on_error {
            Some(handler) => handler(error),
            None => error.into_response(),
        }
    }
}

impl FromRef<Verifier> for PasetoAuth {
    fn from_ref(verifier: &Verifier) -> Self {
        PasetoAuth::new(verifier.clone())
    }
}

impl fmt::Debug for PasetoAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasetoAuth")
            .field("verifier", &self.verifier)
            .field("source", &self.source)
            .field("on_error", &self.on_error.as_ref().map(|_| ".."))
            .finish()
    }
}
