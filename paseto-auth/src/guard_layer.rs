//! The tower layer both router-wide guards are ([`PasetoLayer`](crate::extract::PasetoLayer),
//! [`LoginRequiredLayer`](crate::login::LoginRequiredLayer)): a check of the request's parts
//! before the routes behind it; a refused request is answered without reaching them.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::request::Parts;
use axum::response::Response;
use tower::{Layer, Service};

/// What a guard layer checks. Implemented by this crate's guards only.
pub trait Check: Clone + Send + Sync + 'static {
    /// `Ok` to let the request through (having put what it found in `parts.extensions`), or
    /// the response that refuses it.
    fn check<'a>(
        &'a self,
        parts: &'a mut Parts,
    ) -> Pin<Box<dyn Future<Output = Result<(), Response>> + Send + 'a>>;
}

/// A router-wide guard: `Router::route_layer(layer)`.
#[derive(Clone)]
pub struct GuardLayer<C> {
    check: C,
}

impl<C> GuardLayer<C> {
    pub(crate) fn from_check(check: C) -> Self {
        GuardLayer { check }
    }

    pub(crate) fn into_check(self) -> C {
        self.check
    }

    /// What the layer checks (read by the OpenAPI documentation). Not public API.
    #[doc(hidden)]
    pub fn check(&self) -> &C {
        &self.check
    }
}

impl<S, C: Clone> Layer<S> for GuardLayer<C> {
    type Service = Guarded<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        Guarded {
            inner,
            check: self.check.clone(),
        }
    }
}

/// The routes behind a [`GuardLayer`].
#[derive(Clone)]
pub struct Guarded<S, C> {
    inner: S,
    check: C,
}

impl<S, C> Service<Request> for Guarded<S, C>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    C: Check,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The clone that was made ready serves this request (tower's convention).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let check = self.check.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            if let Err(refused) = check.check(&mut parts).await {
                return Ok(refused);
            }
            inner.call(Request::from_parts(parts, body)).await
        })
    }
}
