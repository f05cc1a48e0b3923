//! The session layer: hands the request's session state to `Session<T>` extractors through the
//! request extensions, and writes `Set-Cookie` and `Vary: Cookie` on the way out.

use std::any::{Any, TypeId};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use axum::http::header::{Entry, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, Request};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use super::cookie::{removal_cookie, set_cookie};
use super::error::SessionError;
use super::keys::SessionKeys;
use super::spec::SessionSpec;
use crate::reply::internal_error;

/// What to do with one cookie when the response goes out.
#[derive(Debug, Default)]
pub(crate) enum Outcome {
    /// Nothing: the session did not change.
    #[default]
    Keep,
    /// Send this sealed value.
    Set(String),
    /// Delete the cookie.
    Remove,
    /// Sealing failed: answer 500 instead.
    Failed(SessionError),
}

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
    pub(crate) keys: SessionKeys,
    slots: Arc<Mutex<Vec<Slot>>>,
}

impl SessionContext {
    fn new(keys: SessionKeys) -> Self {
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
/// use paseto_auth::session::{SessionKeys, SessionLayer};
/// use paseto_auth::Version;
///
/// let keys = SessionKeys::generate(Version::V4)?;
/// let app: Router = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .layer(SessionLayer::new(keys));
/// # let _ = app;
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SessionLayer {
    keys: SessionKeys,
}

impl SessionLayer {
    /// A layer sealing sessions with `keys` (the primary key seals, all keys open).
    pub fn new(keys: impl Into<SessionKeys>) -> Self {
        SessionLayer { keys: keys.into() }
    }

    /// The keys.
    pub fn keys(&self) -> &SessionKeys {
        &self.keys
    }
}

impl<S> Layer<S> for SessionLayer {
    type Service = SessionService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SessionService {
            inner,
            keys: self.keys.clone(),
        }
    }
}

/// The service [`SessionLayer`] wraps around a router or handler.
#[derive(Debug, Clone)]
pub struct SessionService<S> {
    inner: S,
    keys: SessionKeys,
}

/// The future of [`SessionService`].
pub type SessionFuture<E> = Pin<Box<dyn Future<Output = Result<Response, E>> + Send>>;

impl<S, B> Service<Request<B>> for SessionService<S>
where
    S: Service<Request<B>> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = SessionFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let context = SessionContext::new(self.keys.clone());
        call_with_context(&mut self.inner, request, context, write_back)
    }
}

/// A layer's `call`: puts `context` in the request's extensions for the extractors, calls
/// `inner`, and lets `finish` write the response from the same context (the session and login
/// layers' shared mechanism).
pub(crate) fn call_with_context<S, B, C>(
    inner: &mut S,
    mut request: Request<B>,
    context: C,
    finish: fn(Response, &C) -> Response,
) -> SessionFuture<S::Error>
where
    S: Service<Request<B>>,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
    C: Clone + Send + Sync + 'static,
{
    request.extensions_mut().insert(context.clone());
    // The inner service is called here, on the instance that was polled ready, and only its
    // future moves into the response future: no clone of the service is needed.
    let future = inner.call(request);
    Box::pin(async move {
        let response = future.await?.into_response();
        Ok(finish(response, &context))
    })
}

/// Adds the sessions' `Set-Cookie` headers and `Vary: Cookie` to `response`. When a session could
/// not be sealed, the answer is a 500 instead — that still carries every other cookie change of
/// the response (another session's removal at logout, the handler's own `Set-Cookie`), so one
/// failing cookie does not undo the others.
fn write_back(response: Response, context: &SessionContext) -> Response {
    let slots = std::mem::take(&mut *context.slots());
    let mut cookies = Vec::new();
    let mut failure = None;
    for slot in slots {
        let text = match slot.outcome {
            Outcome::Keep => continue,
            Outcome::Set(value) => set_cookie(&slot.spec.attributes(), &value),
            Outcome::Remove => removal_cookie(&slot.spec.attributes()),
            Outcome::Failed(err) => {
                failure.get_or_insert(err);
                continue;
            }
        };
        match HeaderValue::try_from(text) {
            Ok(value) => cookies.push(value),
            Err(_) => {
                failure.get_or_insert(SessionError::InvalidCookie {
                    cookie: slot.spec.cookie,
                });
            }
        }
    }
    let mut response = match failure {
        None => response,
        Some(err) => session_failure(&err, response),
    };
    let headers = response.headers_mut();
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie);
    }
    add_vary_cookie(headers);
    response
}

/// The 500 that replaces `response` when a session could not be written; it keeps the
/// response's own `Set-Cookie` headers.
fn session_failure(err: &SessionError, response: Response) -> Response {
    let mut failure = internal_error(&format_args!(
        "{err}; answering 500 instead of sending a cookie the browser would drop"
    ));
    let kept = failure.headers_mut();
    for cookie in response.headers().get_all(SET_COOKIE) {
        kept.append(SET_COOKIE, cookie.clone());
    }
    failure
}

/// Adds `Vary: Cookie` unless the response already varies on cookies (or on everything).
pub(crate) fn add_vary_cookie(headers: &mut HeaderMap) {
    const COOKIE: HeaderValue = HeaderValue::from_static("Cookie");
    // One lookup of `Vary` (this runs on every response).
    match headers.entry(VARY) {
        Entry::Vacant(entry) => {
            entry.insert(COOKIE);
        }
        Entry::Occupied(mut entry) => {
            let already = entry.iter().any(|value| {
                value.to_str().is_ok_and(|text| {
                    text.split(',')
                        .map(str::trim)
                        .any(|item| item == "*" || item.eq_ignore_ascii_case("cookie"))
                })
            });
            if !already {
                entry.append(COOKIE);
            }
        }
    }
}
