//! The write-back layer under [`SessionLayer`](crate::session::SessionLayer) and
//! [`LoginManagerLayer`](crate::login::LoginManagerLayer): for each request it lets the layer put
//! its per-request state in the request extensions (where its extractors find it), calls the inner
//! service, and then writes the cookies the request changed, with `Vary: Cookie`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::http::header::{Entry, SET_COOKIE, VARY};
use axum::http::{Extensions, HeaderMap, HeaderValue, Request};
use axum::response::{IntoResponse, Response};
use tower::Service;

use super::options::CookieOptions;
use crate::reply::internal_error;

/// What one cookie becomes when the response goes out.
#[derive(Debug, Default)]
pub(crate) enum Outcome {
    /// Nothing: it did not change.
    #[default]
    Keep,
    /// Send this sealed value.
    Set(String),
    /// Delete the cookie.
    Remove,
    /// Sealing failed (the reason, for the log): the answer is a 500.
    Failed(String),
}

/// The cookie changes of one request, collected as the response goes out.
#[derive(Default)]
pub(crate) struct CookieChanges {
    headers: Vec<HeaderValue>,
    failure: Option<String>,
}

impl CookieChanges {
    /// Records what `outcome` makes of the cookie with `options`.
    pub(crate) fn record(&mut self, options: &CookieOptions, outcome: Outcome) {
        let header = match outcome {
            Outcome::Keep => return,
            Outcome::Set(value) => options.set_cookie(&value),
            Outcome::Remove => options.removal(),
            Outcome::Failed(why) => {
                self.failure.get_or_insert(why);
                return;
            }
        };
        match header {
            Some(header) => self.headers.push(header),
            None => {
                let why = format!(
                    "cookie {:?} is not a valid Set-Cookie header value",
                    options.name
                );
                self.failure.get_or_insert(why);
            }
        }
    }

    /// Adds the changes and `Vary: Cookie` to `response`. After a failure the answer is a 500
    /// instead, which still carries every other cookie change — the response's own `Set-Cookie`
    /// headers included — so one failing cookie does not undo the others (a logout still logs out).
    fn apply(self, response: Response) -> Response {
        let mut response = match self.failure {
            None => response,
            Some(why) => {
                let mut failure = internal_error(&format_args!(
                    "{why}; answering 500 instead of sending a cookie the browser would drop"
                ));
                for cookie in response.headers().get_all(SET_COOKIE) {
                    failure.headers_mut().append(SET_COOKIE, cookie.clone());
                }
                failure
            }
        };
        let headers = response.headers_mut();
        for header in self.headers {
            headers.append(SET_COOKIE, header);
        }
        add_vary_cookie(headers);
        response
    }
}

/// The per-request work of a cookie layer.
pub(crate) trait CookieLayer: Clone + Send + Sync + 'static {
    /// What the layer keeps of a request until its response goes out.
    type Request: Send + 'static;

    /// Puts the layer's state for this request where its extractors find it, and returns what
    /// [`finish`](Self::finish) needs.
    fn begin(&self, extensions: &mut Extensions) -> Self::Request;

    /// Records the cookies the request changed.
    fn finish(request: Self::Request, changes: &mut CookieChanges);
}

/// The service of a cookie layer ([`SessionLayer`](crate::session::SessionLayer),
/// [`LoginManagerLayer`](crate::login::LoginManagerLayer)) around a router or handler.
#[derive(Debug, Clone)]
pub struct CookieService<S, L> {
    inner: S,
    layer: L,
}

impl<S, L> CookieService<S, L> {
    pub(crate) fn new(inner: S, layer: L) -> Self {
        CookieService { inner, layer }
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

// The bound names the crate's own per-request trait, which only its layers implement.
#[allow(private_bounds)]
impl<S, B, L> Service<Request<B>> for CookieService<S, L>
where
    S: Service<Request<B>>,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
    L: CookieLayer,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        let state = self.layer.begin(request.extensions_mut());
        // The inner service is called here, on the instance that was polled ready, and only its
        // future moves into the response future: no clone of the service is needed.
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?.into_response();
            let mut changes = CookieChanges::default();
            L::finish(state, &mut changes);
            Ok(changes.apply(response))
        })
    }
}

/// Adds `Vary: Cookie` unless the response already varies on cookies (or on everything).
fn add_vary_cookie(headers: &mut HeaderMap) {
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
