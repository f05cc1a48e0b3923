//! `Paseto<C>` and `Option<Paseto<C>>` as axum extractors.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;

use super::{AuthError, PasetoAuth};
use crate::claims::PasetoClaims;
use crate::requirements::Requirements;
use crate::verifier::Paseto;

/// What the route's guard (`#[paseto_required]`) decided for this request: the token it verified
/// against the route's source and requirements, or `None` when an `optional` route found no token.
///
/// When it is in the request extensions, the extractors take their token from it and from nothing
/// else: they never read another source, nor verify with weaker requirements than the route's.
#[derive(Clone)]
pub(crate) struct Authenticated(pub(crate) Option<Arc<Paseto>>);

/// The request's token typed as `C`: the guard's outcome when the route has a guard, otherwise
/// the application's token source verified with the verifier's own requirements.
/// `Ok(None)`: no token.
// The error is the rejection response itself, as axum extractors return it.
#[allow(clippy::result_large_err)]
async fn extract<S, C>(parts: &Parts, state: &S) -> Result<Option<Paseto<C>>, Response>
where
    PasetoAuth: FromRef<S>,
    C: PasetoClaims,
{
    let auth = PasetoAuth::from_ref(state);
    let typed = match parts.extensions.get::<Authenticated>() {
        Some(Authenticated(outcome)) => outcome.as_deref().map(Paseto::to_typed::<C>),
        None => auth
            .authenticate_or_reject(parts, None, &Requirements::new())
            .await?
            .as_deref()
            .map(Paseto::to_typed::<C>),
    };
    typed
        .transpose()
        .map_err(|err| auth.reject(parts, AuthError::Token(err)))
}

impl<S, C> FromRequestParts<S> for Paseto<C>
where
    S: Send + Sync,
    PasetoAuth: FromRef<S>,
    C: PasetoClaims,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        extract(parts, state)
            .await?
            .ok_or_else(|| PasetoAuth::from_ref(state).reject(parts, AuthError::Missing))
    }
}

/// `Option<Paseto<C>>`: `None` without a token; an invalid token is still refused.
impl<S, C> OptionalFromRequestParts<S> for Paseto<C>
where
    S: Send + Sync,
    PasetoAuth: FromRef<S>,
    C: PasetoClaims,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        extract(parts, state).await
    }
}
