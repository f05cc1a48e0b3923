//! The session layer: hands the request's session state to `Session<T>` extractors through the
//! request extensions; the cookie write-back ([`CookieService`]) writes `Set-Cookie` and
//! `Vary: Cookie` on the way out.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::Extensions;
use tower::Layer;

use super::spec::SessionSpec;
use crate::cookie::{CookieChanges, CookieKeys, CookieLayer, CookieService, Outcome};

/// The state of one session type (one cookie) during a request.
pub(crate) struct Slot {
    pub(crate) spec: SessionSpec,
    pub(crate) type_id: TypeId,
    pub(crate) type_name: &'static str,
    /// The data as the last dropped `Session<T>` left it, for a later extractor in the request.
    pub(crate) data: Option<Box<dyn Any + Send>>,
    /// Whether the data came from a valid cookie.
    pub(crate) from_cookie: bool,
    /// When that cookie expires.
    pub(crate) expires_at: Option<time::OffsetDateTime>,
    pub(crate) outcome: Outcome,
}

/// The per-request session state the layer puts in the request extensions. Cloning shares it.
#[derive(Clone)]
pub(crate) struct SessionContext {
    pub(crate) keys: CookieKeys,
    slots: Arc<Mutex<Vec<Slot>>>,
}

impl SessionContext {
    fn new(keys: CookieKeys) -> Self {
        SessionContext {
            keys,
            slots: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// The request's slots. A panic elsewhere while holding the lock leaves them usable.
    pub(crate) fn slots(&self) -> MutexGuard<'_, Vec<Slot>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for SessionContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionContext")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

/// A tower layer that makes [`Session<T>`](super::Session) extractors work and writes their
/// cookies back.
///
/// Put it on the outermost router (`.layer(...)`) so nested routers and every route see it. For
/// each response it:
///
/// - adds `Set-Cookie` for each session that changed, was cleared or renewed (or, for
///   `rolling` sessions, was read from a valid cookie), and nothing for the others;
/// - adds `Vary: Cookie`, always, since responses depend on the session;
/// - answers 500 (and logs with `tracing::error!`) when a changed session cannot be sealed —
///   typically because it is over 4096 bytes — rather than send a cookie the browser would drop.
///   Call [`Session::save`](super::Session::save) to handle that error yourself.
///
/// ```
/// use axum::{Router, routing::get};
/// use paseto_auth::cookie::CookieKeys;
/// use paseto_auth::session::SessionLayer;
/// use paseto_auth::Version;
///
/// let keys = CookieKeys::generate(Version::V4)?;
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(SessionLayer::new(keys));
/// # let _ = app;
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SessionLayer {
    keys: CookieKeys,
}

impl SessionLayer {
    /// A layer sealing sessions with `keys` (the primary key seals, all keys open).
    pub fn new(keys: impl Into<CookieKeys>) -> Self {
        SessionLayer { keys: keys.into() }
    }

    /// The keys.
    pub fn keys(&self) -> &CookieKeys {
        &self.keys
    }
}

impl<S> Layer<S> for SessionLayer {
    type Service = SessionService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CookieService::new(inner, self.clone())
    }
}

/// The service [`SessionLayer`] wraps around a router or handler.
pub type SessionService<S> = CookieService<S, SessionLayer>;

impl CookieLayer for SessionLayer {
    type Request = SessionContext;

    fn begin(&self, extensions: &mut Extensions) -> SessionContext {
        let context = SessionContext::new(self.keys.clone());
        extensions.insert(context.clone());
        context
    }

    /// Each session that changed, was cleared or renewed (or is rolling) sends its cookie.
    fn finish(context: SessionContext, changes: &mut CookieChanges) {
        for slot in std::mem::take(&mut *context.slots()) {
            changes.record(&slot.spec.options(), slot.outcome);
        }
    }
}
