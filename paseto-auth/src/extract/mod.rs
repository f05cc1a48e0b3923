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

pub(crate) mod guard;
pub(crate) mod paseto_ext;
mod rejection;
mod source;

use std::fmt;
use std::sync::{Arc, LazyLock};

use axum::extract::FromRef;
use axum::http::request::Parts;
use axum::response::Response;

pub use crate::guard_layer::{Check, GuardLayer, Guarded};
pub use guard::{PasetoLayer, TokenCheck};
pub use rejection::AuthError;
pub use source::{LoadToken, TokenSource};

use time::OffsetDateTime;

use crate::Requirements;
use crate::claims::RegisteredClaims;
use crate::claims::{FAMILY_CLAIM, issued_for_revocation};
use crate::csrf::CsrfSettings;
use crate::key::{KeyRing, VerificationKey};
use crate::logs::{Refusal, refusal};
use crate::store::{Revocations, TokenRef};
use crate::{Error, Result};
use crate::{VerifiedToken, Verifier};
use tracing::Level;

/// What the revocation store checks of a verified token.
fn token_ref(token: &VerifiedToken) -> TokenRef<'_> {
    TokenRef {
        token_id: token.registered.jti.as_deref(),
        family: match token.claims.get(FAMILY_CLAIM) {
            Some(serde_json::Value::String(family)) => Some(family),
            _ => None,
        },
        subject: token.registered.sub.as_deref(),
        issued_at: issued_for_revocation(&token.registered, &token.claims),
        key_id: Some(token.key_id.as_str()),
    }
}

type ErrorHandler = Arc<dyn Fn(&Parts, AuthError) -> Response + Send + Sync>;

/// The CSRF settings of every `PasetoAuth` not given others: one value, so that `PasetoAuth`s
/// made alike from one verifier (as `FromRef<Verifier>` makes one per request) check alike.
static DEFAULT_CSRF: LazyLock<Arc<CsrfSettings>> = LazyLock::new(|| Arc::new(CsrfSettings::new()));

/// What decides whether a [`PasetoAuth`] accepts a token: its verifier, revocations and CSRF
/// settings (not where it reads the token, nor how it answers). A guard's outcome holds the
/// guard's, so that an extractor takes the outcome only when its own `PasetoAuth` decides
/// alike. Each part is compared by identity, and held, so that no address can have been freed
/// and reused by another.
#[derive(Clone)]
pub(crate) struct Checks {
    verifier: Verifier,
    revocations: Option<Arc<Revocations>>,
    csrf: Arc<CsrfSettings>,
}

/// What the extractors need from the router state: the verifier, where tokens are, and how
/// failures are answered. Put it in your state (or derive `FromRef` for it); a `Verifier` alone
/// works as state too.
///
/// A route's guard (`#[paseto_required]`, [`PasetoLayer`]) verifies the token once, and the
/// route's `Paseto<C>` extractors take its outcome, when the guard's `PasetoAuth` and the
/// extractor's (the router state's) decide alike: the same [`Verifier`] (or a clone), the same
/// [`revocations`](Self::revocations) and the same [`csrf`](Self::csrf) settings — a clone of one
/// `PasetoAuth`, or `PasetoAuth`s made with [`new`](Self::new) from one verifier without those
/// two. Otherwise (a layer of another router's `PasetoAuth` wrapping this one's routes, say) the
/// extractor ignores the outcome and verifies the request's token again with its own, from its
/// own token source, as on a route without a guard: a router never trusts a token another
/// router's keys accepted.
#[derive(Clone)]
pub struct PasetoAuth {
    verifier: Verifier,
    source: TokenSource,
    on_error: Option<ErrorHandler>,
    detailed_errors: bool,
    revocations: Option<Arc<Revocations>>,
    csrf: Arc<CsrfSettings>,
}

impl PasetoAuth {
    /// Tokens from `Authorization: Bearer`, default error responses.
    pub fn new(verifier: Verifier) -> Self {
        PasetoAuth {
            verifier,
            source: TokenSource::Header,
            on_error: None,
            detailed_errors: false,
            revocations: None,
            csrf: DEFAULT_CSRF.clone(),
        }
    }

    /// Where to find tokens (the `token_loader` of flask-paseto-extended).
    #[must_use]
    pub fn token_source(mut self, source: TokenSource) -> Self {
        self.source = source;
        self
    }

    /// Answers authentication failures with `handler` instead of the default JSON response.
    /// The handler sees the request (`Parts`: method, URI, headers — to answer HTML to browsers
    /// and JSON to API clients, say) and learns why ([`AuthError`]), unlike Flask's
    /// `verification_error_handler`.
    ///
    /// ```
    /// use axum::http::header::ACCEPT;
    /// use axum::response::{Html, IntoResponse};
    /// use paseto_auth::{Verifier, extract::PasetoAuth, key::SecretKey, Version};
    ///
    /// # let key = SecretKey::generate(Version::V4)?;
    /// # let verifier = Verifier::builder().public_key(key.public_key().clone(), "https://i.example").build()?;
    /// let auth = PasetoAuth::new(verifier).on_error(|parts, err| {
    ///     let html = parts.headers.get(ACCEPT).is_some_and(|a| a.as_bytes().starts_with(b"text/html"));
    ///     if html {
    ///         (err.status(), Html("<h1>Please sign in</h1>")).into_response()
    ///     } else {
    ///         err.response()
    ///     }
    /// });
    /// # let _ = auth;
    /// # Ok::<(), paseto_auth::Error>(())
    /// ```
    #[must_use]
    pub fn on_error(
        mut self,
        handler: impl Fn(&Parts, AuthError) -> Response + Send + Sync + 'static,
    ) -> Self {
        self.on_error = Some(Arc::new(handler));
        self
    }

    /// Adds why a token failed to the default 401/403 bodies (`kind` and `detail`, see
    /// [`AuthError::detailed_response`]). Off by default: it tells a client probing the
    /// verifier which check failed. Turn it on for development only; the detail is always
    /// logged (at `debug`) and given to the [`on_error`](Self::on_error) handler.
    #[must_use]
    pub fn detailed_errors(mut self, on: bool) -> Self {
        self.detailed_errors = on;
        self
    }

    /// The CSRF check of tokens read from a cookie ([`CsrfSettings::new`] unless set; see
    /// [`crate::csrf`]): an unsafe request must send the token's `csrf` value back in the
    /// header, and must not come from another site.
    #[must_use]
    pub fn csrf(mut self, settings: CsrfSettings) -> Self {
        self.csrf = Arc::new(settings);
        self
    }

    /// The verifier.
    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Replaces the verifier's keys at run time: every clone of this `PasetoAuth` (each
    /// request's, each router's) verifies with `ring` from the next request on, without a
    /// restart; requests under way finish with the ring they started with. See
    /// [`Verifier::replace_keys`] (the cache is emptied; an empty ring, or a key of a version
    /// the verifier does not accept, is refused and the current ring kept) and
    /// [`crate::keyset`] for rings fetched from an issuer's published key set.
    pub fn reload(&self, ring: KeyRing<VerificationKey>) -> Result<()> {
        self.verifier.replace_keys(ring)
    }

    /// Checks every verified token against `revocations` (a [`TokenStore`](crate::store::TokenStore)
    /// with a timeout and failure policy): a revoked token is refused with 401 `invalid_token`
    /// ([`ErrorKind::REVOKED`](crate::ErrorKind::REVOKED)), and a failing store, unless it fails
    /// open, with 503. Without revocations a token is valid until its `exp`.
    #[must_use]
    pub fn revocations(mut self, revocations: Revocations) -> Self {
        self.revocations = Some(Arc::new(revocations));
        self
    }

    /// The revocations checked, if any.
    pub fn revocation_store(&self) -> Option<&Revocations> {
        self.revocations.as_deref()
    }

    /// What decides whether this `PasetoAuth` accepts a token (what a guard's outcome records).
    pub(crate) fn checks(&self) -> Checks {
        Checks {
            verifier: self.verifier.clone(),
            revocations: self.revocations.clone(),
            csrf: self.csrf.clone(),
        }
    }

    /// Whether this `PasetoAuth` decides as `checks` do: the same verifier (or a clone), the
    /// same revocations (or none for both), the same CSRF settings. Then their outcomes are its
    /// own.
    pub(crate) fn decides_as(&self, checks: &Checks) -> bool {
        let revocations = match (&self.revocations, &checks.revocations) {
            (None, None) => true,
            (Some(mine), Some(theirs)) => Arc::ptr_eq(mine, theirs),
            _ => false,
        };
        self.verifier.is_same(&checks.verifier)
            && revocations
            && Arc::ptr_eq(&self.csrf, &checks.csrf)
    }

    /// Finds the request's token — with `source`, or the application's
    /// [`token_source`](Self::token_source) when `None` — verifies it against `route`, and checks
    /// that it is not revoked. `Ok(None)` means the request has no token.
    pub async fn authenticate(
        &self,
        parts: &Parts,
        source: Option<&TokenSource>,
        route: &Requirements,
    ) -> Result<Option<VerifiedToken>> {
        let shared = self.authenticate_shared(parts, source, route).await?;
        Ok(shared.map(|shared| Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone())))
    }

    /// [`authenticate`](Self::authenticate), the token shared with the verifier's cache rather
    /// than copied out of it.
    pub(crate) async fn authenticate_shared(
        &self,
        parts: &Parts,
        source: Option<&TokenSource>,
        route: &Requirements,
    ) -> Result<Option<Arc<VerifiedToken>>> {
        let Some(found) = source.unwrap_or(&self.source).find(parts) else {
            return Ok(None);
        };
        let verified = self.verifier.verify_shared(&found.token, route)?;
        if found.from_cookie {
            crate::csrf::check_token_request(&self.csrf, parts, &verified.claims)?;
        }
        if let Some(revocations) = &self.revocations {
            revocations.check(token_ref(&verified)).await?;
        }
        Ok(Some(verified))
    }

    /// [`authenticate`](Self::authenticate), with a bad token already turned into the
    /// application's response (what the guard and the extractors both answer).
    #[allow(
        clippy::result_large_err,
        reason = "the error is the rejection response"
    )]
    pub(crate) async fn authenticate_or_reject(
        &self,
        parts: &Parts,
        source: Option<&TokenSource>,
        route: &Requirements,
    ) -> std::result::Result<Option<Arc<VerifiedToken>>, Response> {
        self.authenticate_shared(parts, source, route)
            .await
            .map_err(|err| self.reject(parts, AuthError::Token(err)))
    }

    /// Revokes `token` (its `jti`, until its `exp`) in the revocation store, on every instance
    /// that shares it: what an API's logout does. Fails without a store
    /// ([`PasetoAuth::revocations`]), or for a token without `jti` or `exp`.
    pub async fn revoke(&self, token: &impl AsRef<RegisteredClaims>) -> Result<()> {
        let revocations = self.store()?;
        let registered = token.as_ref();
        let (Some(jti), Some(exp)) = (&registered.jti, registered.exp) else {
            return Err(Error::Setup(
                "a token without jti and exp cannot be revoked on its own; revoke its subject"
                    .into(),
            ));
        };
        revocations
            .revoke_token(jti, exp)
            .await
            .map_err(Error::StoreUnavailable)
    }

    /// Revokes every token of `subject` issued until now, on every instance: "log out
    /// everywhere".
    pub async fn revoke_subject(&self, subject: &str) -> Result<()> {
        self.store()?
            .revoke_subject(subject, OffsetDateTime::now_utc())
            .await
            .map_err(Error::StoreUnavailable)
    }

    fn store(&self) -> Result<&Revocations> {
        self.revocations.as_deref().ok_or_else(|| {
            Error::Setup("no revocation store: add one with PasetoAuth::revocations".into())
        })
    }

    /// Turns an authentication failure into the application's response: the
    /// [`on_error`](Self::on_error) handler's, or the default one. The failure is logged at
    /// `debug` with its kind and (escaped) detail.
    pub fn reject(&self, parts: &Parts, error: AuthError) -> Response {
        crate::metrics::guard_refusal(error.status().as_u16());
        if let AuthError::Token(err) = &error {
            refusal!(Level::WARN, Refusal::Token, "token refused", kind = %err.kind(), error = %err);
        }
        match &self.on_error {
            Some(handler) => handler(parts, error),
            None if self.detailed_errors => error.detailed_response(),
            None => error.response(),
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
            .field("detailed_errors", &self.detailed_errors)
            .field("revocations", &self.revocations)
            .field("csrf", &self.csrf)
            .finish()
    }
}
