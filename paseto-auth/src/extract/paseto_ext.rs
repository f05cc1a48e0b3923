//! `Paseto<C>` and `Option<Paseto<C>>` as axum extractors.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;

use super::{AuthError, PasetoAuth, TokenSource};
use crate::claims::PasetoClaims;
use crate::requirements::Requirements;
use crate::verifier::Paseto;

/// A token already verified for this request (by a `#[paseto_required]` guard), kept in the
/// request extensions so that later extractors do not verify it again.
#[derive(Clone)]
pub(crate) struct VerifiedToken(pub(crate) Arc<Paseto>);

/// Verifies the request's token (or reuses the guard's), typed as `C`. `Ok(None)`: no token.
// The error is the rejection response itself, as axum extractors return it.
#[allow(clippy::result_large_err)]
fn extract<S, C>(parts: &mut Parts, state: &S) -> Result<Option<Paseto<C>>, Response>
where
    PasetoAuth: FromRef<S>,
    C: PasetoClaims,
{
    let auth = PasetoAuth::from_ref(state);
    // Take the guard's token rather than copying it: the handler has one `Paseto` argument.
    let verified = parts.extensions.remove::<VerifiedToken>();
    let untyped = match verified {
        Some(VerifiedToken(token)) => {
            Some(Arc::try_unwrap(token).unwrap_or_else(|shared| Paseto::clone(&shared)))
        }
        None => {
            auth.authenticate_or_reject(parts, &TokenSource::VerifierDefault, &Requirements::new())?
        }
    };
    untyped
        .map(|token| token.into_typed::<C>())
        .transpose()
        .map_err(|err| auth.reject(AuthError::Token(err)))
}

impl<S, C> FromRequestParts<S> for Paseto<C>
where
    S: Send + Sync,
    PasetoAuth: FromRef<S>,
    C: PasetoClaims,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        extract(parts, state)?.ok_or_else(|| PasetoAuth::from_ref(state).reject(AuthError::Missing))
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
        extract(parts, state)
    }
}
