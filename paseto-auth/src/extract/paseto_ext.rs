//! [`Paseto<C>`]: the request's verified token, and `Paseto<C>` / `Option<Paseto<C>>` as axum
//! extractors.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;
use serde_json::{Map, Value};

use super::{AuthError, Checks, PasetoAuth};
use crate::Requirements;
use crate::VerifiedToken;
use crate::claims::{PasetoClaims, RegisteredClaims};
use crate::key::KeyId;
use crate::token::Footer;
use crate::{Header, Purpose, Version};

/// The request's verified token: typed custom claims plus everything else the token said — the
/// fields of the core's [`VerifiedToken`], taken from the request.
///
/// As an axum extractor it is the route guard's outcome (`#[paseto_required]`, [`PasetoLayer`]),
/// or, on a route without one, the request's token verified with the [`PasetoAuth`] of the
/// router state; `Option<Paseto<C>>` is `None` without a token (a bad one is still refused).
///
/// [`PasetoLayer`]: super::PasetoLayer
#[derive(Debug, Clone)]
pub struct Paseto<C = Map<String, Value>> {
    /// The custom claims, deserialized from the payload.
    pub claims: C,
    /// The registered claims.
    pub registered: RegisteredClaims,
    /// Version and purpose.
    pub header: Header,
    /// The (authenticated) footer.
    pub footer: Footer,
    /// The id of the key that verified the token.
    pub key_id: KeyId,
}

impl<C> Paseto<C> {
    /// The token's version.
    pub fn version(&self) -> Version {
        self.header.version
    }

    /// The token's purpose.
    pub fn purpose(&self) -> Purpose {
        self.header.purpose
    }
}

impl<C> AsRef<RegisteredClaims> for Paseto<C> {
    fn as_ref(&self) -> &RegisteredClaims {
        &self.registered
    }
}

/// `From` one twin to the other, field by field: the field list is written once, here.
macro_rules! twin_from {
    ($from:ident => $to:ident) => {
        impl<C> From<$from<C>> for $to<C> {
            fn from(token: $from<C>) -> Self {
                $to {
                    claims: token.claims,
                    registered: token.registered,
                    header: token.header,
                    footer: token.footer,
                    key_id: token.key_id,
                }
            }
        }
    };
}
twin_from!(VerifiedToken => Paseto);
twin_from!(Paseto => VerifiedToken);

/// `token` typed as `C`.
fn typed<C: PasetoClaims>(token: &VerifiedToken) -> crate::Result<Paseto<C>> {
    token.to_typed::<C>().map(Paseto::from)
}

/// What the route's guard (`#[paseto_required]`, `PasetoLayer`) decided for this request: the
/// token it verified against the route's source and requirements, or `None` when an `optional`
/// route found no token; and what decided it.
///
/// An extractor whose `PasetoAuth` decides alike takes its token from it and from nothing else:
/// it never reads another source, nor verifies with weaker requirements than the route's. Any
/// other extractor ignores it (it may be another router's guard, trusting other keys).
#[derive(Clone)]
pub(crate) struct Authenticated {
    /// The token, if any.
    pub(crate) token: Option<Arc<VerifiedToken>>,
    /// The guard's verifier, revocations and CSRF settings.
    by: Checks,
}

impl Authenticated {
    /// `auth`'s outcome.
    pub(crate) fn new(token: Option<Arc<VerifiedToken>>, auth: &PasetoAuth) -> Self {
        Authenticated {
            token,
            by: auth.checks(),
        }
    }
}

/// The request's token typed as `C`: the guard's outcome when the route has a guard with a
/// `PasetoAuth` deciding as the state's does, otherwise the application's token source verified
/// with the state's `PasetoAuth` and the verifier's own requirements. `Ok(None)`: no token.
// The error is the rejection response itself, as axum extractors return it.
#[allow(clippy::result_large_err)]
async fn extract<S, C>(parts: &Parts, state: &S) -> Result<Option<Paseto<C>>, Response>
where
    PasetoAuth: FromRef<S>,
    C: PasetoClaims,
{
    let auth = PasetoAuth::from_ref(state);
    let typed = match parts.extensions.get::<Authenticated>() {
        Some(outcome) if auth.decides_as(&outcome.by) => outcome.token.as_deref().map(typed::<C>),
        _ => auth
            .authenticate_or_reject(parts, None, &Requirements::new())
            .await?
            .as_deref()
            .map(typed::<C>),
    };
    typed
        .transpose()
        .map_err(|err| auth.reject(parts, AuthError::Token(err)))
}

impl<S: Send + Sync, C: PasetoClaims> FromRequestParts<S> for Paseto<C>
where
    PasetoAuth: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        extract(parts, state)
            .await?
            .ok_or_else(|| PasetoAuth::from_ref(state).reject(parts, AuthError::Missing))
    }
}

/// `Option<Paseto<C>>`: `None` without a token; an invalid token is still refused.
impl<S: Send + Sync, C: PasetoClaims> OptionalFromRequestParts<S> for Paseto<C>
where
    PasetoAuth: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        extract(parts, state).await
    }
}
