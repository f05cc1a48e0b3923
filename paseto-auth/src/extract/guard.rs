//! What a route's token guard decides, in one place for both of its forms: the extractor
//! `#[paseto_required]` inserts before a handler's arguments, and [`PasetoLayer`] for a whole
//! router (`route_layer`). Either puts its outcome in the request extensions, where the route's
//! `Paseto<C>` extractors take it without verifying again — those whose `PasetoAuth` decides as
//! the guard's did (see [`PasetoAuth`]); the others verify again with their own.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::request::Parts;
use axum::response::Response;
use tracing::Instrument;

use super::paseto_ext::Authenticated;
use super::{AuthError, PasetoAuth, TokenSource};
use crate::Requirements;
use crate::guard_layer::{Check, GuardLayer};

/// One guarded route's settings.
#[derive(Debug, Clone)]
pub struct Route {
    /// Claim, version, purpose and leeway requirements.
    pub requirements: Requirements,
    /// Where the token is: `None` for the application's token source.
    pub source: Option<TokenSource>,
    /// Let requests without a token through (a bad token is still refused).
    pub optional: bool,
}

/// Guards `parts` as `route` says, with `auth`: the outcome (a token, or none on an optional
/// route) goes in the request extensions; a refusal is the response to send. One `debug` span
/// per guarded request, with the route's requirements (its settings, nothing of the request's)
/// and the outcome.
pub(crate) async fn guard(
    auth: &PasetoAuth,
    parts: &mut Parts,
    route: &Route,
) -> Result<(), Response> {
    let span = tracing::debug_span!(
        "paseto_auth.guard",
        requirements = ?route.requirements,
        optional = route.optional,
        outcome = tracing::field::Empty,
    );
    let outcome = decide(auth, parts, route).instrument(span.clone()).await;
    span.record(
        "outcome",
        match &outcome {
            Ok(true) => "authenticated",
            Ok(false) => "anonymous",
            Err(_) => "refused",
        },
    );
    outcome.map(|_| ())
}

/// Authenticated (`true`), let through without a token (`false`), or refused.
async fn decide(auth: &PasetoAuth, parts: &mut Parts, route: &Route) -> Result<bool, Response> {
    let token = auth
        .authenticate_or_reject(parts, route.source.as_ref(), &route.requirements)
        .await?;
    if token.is_none() && !route.optional {
        return Err(auth.reject(parts, AuthError::Missing));
    }
    let authenticated = token.is_some();
    parts.extensions.insert(Authenticated::new(token, auth));
    Ok(authenticated)
}

/// The token the route's guard verified, if it let the request through with one (read right
/// after [`guard`], whose outcome it is).
pub(crate) fn authenticated(parts: &Parts) -> Option<Arc<crate::VerifiedToken>> {
    parts
        .extensions
        .get::<Authenticated>()
        .and_then(|outcome| outcome.token.clone())
}

/// A token guard for every route of a router, with the same checks and answers as
/// `#[paseto_required]`: add it with `Router::route_layer`, and the handlers behind it take
/// `Paseto<C>` (or `Option<Paseto<C>>`, behind an [`optional`](Self::optional) layer) from its
/// outcome, without verifying again — when their router's state holds the layer's `PasetoAuth`
/// (a clone of it). Under a layer of another `PasetoAuth`, they verify with their own (see
/// [`PasetoAuth`]).
///
/// ```
/// use axum::{Router, routing::get};
/// use paseto_auth::extract::{PasetoAuth, PasetoLayer};
/// use paseto_auth::{Paseto, Requirements};
///
/// async fn orders(token: Paseto<serde_json::Value>) -> String {
///     token.registered.sub.unwrap_or_default()
/// }
///
/// fn api(auth: PasetoAuth) -> Router {
///     let guard = PasetoLayer::required(auth.clone(), Requirements::new().audience("api"));
///     Router::new()
///         .route("/orders", get(orders))
///         .route_layer(guard)
///         .with_state(auth)
/// }
/// ```
pub type PasetoLayer = GuardLayer<TokenCheck>;

/// The check of a [`PasetoLayer`]: a [`PasetoAuth`] and a route's settings.
#[derive(Clone)]
pub struct TokenCheck {
    auth: PasetoAuth,
    route: Arc<Route>,
}

impl TokenCheck {
    /// The route's settings (read by the OpenAPI documentation). Not public API.
    #[doc(hidden)]
    pub fn route(&self) -> &Arc<Route> {
        &self.route
    }
}

impl PasetoLayer {
    /// Requires a token meeting `requirements`, verified with `auth` (from its token source).
    pub fn required(auth: PasetoAuth, requirements: Requirements) -> Self {
        Self::with_route(auth, requirements, false)
    }

    /// Lets requests without a token through (the handlers see `None`); a bad token is still
    /// refused.
    pub fn optional(auth: PasetoAuth, requirements: Requirements) -> Self {
        Self::with_route(auth, requirements, true)
    }

    /// Reads the token from `source` rather than from the `PasetoAuth`'s token source.
    #[must_use]
    pub fn with_source(self, source: TokenSource) -> Self {
        let TokenCheck { auth, route } = self.into_check();
        let route = Route {
            source: Some(source),
            ..Route::clone(&route)
        };
        GuardLayer::from_check(TokenCheck {
            auth,
            route: Arc::new(route),
        })
    }

    fn with_route(auth: PasetoAuth, requirements: Requirements, optional: bool) -> Self {
        let route = Route {
            requirements,
            source: None,
            optional,
        };
        GuardLayer::from_check(TokenCheck {
            auth,
            route: Arc::new(route),
        })
    }
}

impl Check for TokenCheck {
    fn check<'a>(
        &'a self,
        parts: &'a mut Parts,
    ) -> Pin<Box<dyn Future<Output = Result<(), Response>> + Send + 'a>> {
        Box::pin(guard(&self.auth, parts, &self.route))
    }
}
