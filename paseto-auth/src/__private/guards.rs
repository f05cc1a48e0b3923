//! The guards `#[paseto_required]` and `#[login_required]` insert, and what `#[paseto_session]`
//! names (feature `axum`).

use std::marker::PhantomData;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;
use tracing::Instrument;

pub use crate::extract::TokenSource;

use crate::requirements::Requirements;

use crate::extract::paseto_ext::Authenticated;
use crate::extract::{AuthError, PasetoAuth};

/// One guarded route's settings, built once by the generated `RouteSpec`.
#[derive(Debug)]
pub struct Route {
    /// Claim, version, purpose and leeway requirements.
    pub requirements: Requirements,
    /// Where the token is: `None` for the application's token source.
    pub source: Option<TokenSource>,
    /// Let requests without a token through (a bad token is still refused).
    pub optional: bool,
}

/// Router states a `#[paseto_required]` guard can verify with (checked by its `state = S`).
#[diagnostic::on_unimplemented(
    message = "the router state `{Self}` does not provide the `PasetoAuth` that `#[paseto_required]` verifies with",
    label = "no `PasetoAuth` can be taken from `{Self}`",
    note = "implement `FromRef<{Self}> for PasetoAuth` (or `#[derive(FromRef)]` on `{Self}` with a `PasetoAuth` field), or make a `PasetoAuth` or a `Verifier` the router's state"
)]
pub trait PasetoAuthState {}

// `do_not_recommend`: a state without `PasetoAuth` is reported with this trait's message, at the
// `state = S` of the attribute, rather than as the unmet `FromRef` bound underneath.
#[diagnostic::do_not_recommend]
impl<S> PasetoAuthState for S where PasetoAuth: FromRef<S> {}

/// Compiles only when `S` provides `PasetoAuth` (`#[paseto_required(state = S)]`).
pub const fn assert_paseto_auth_state<S: PasetoAuthState>() {}

/// Implemented by the zero-sized type `#[paseto_required]` generates for each handler.
pub trait RouteSpec: Send + Sync + 'static {
    /// The route's settings.
    fn route() -> &'static Route;
}

/// The extractor `#[paseto_required]` inserts as a handler's first argument.
pub struct Guard<R: RouteSpec>(PhantomData<fn() -> R>);

impl<S, R> FromRequestParts<S> for Guard<R>
where
    S: Send + Sync,
    PasetoAuth: FromRef<S>,
    R: RouteSpec,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let route = R::route();
        // One span per guarded request: the route's requirements (its settings, nothing of the
        // request's) and the outcome, for a subscriber that wants to see where time goes.
        let span = tracing::debug_span!(
            "paseto_auth.guard",
            requirements = ?route.requirements,
            optional = route.optional,
            outcome = tracing::field::Empty,
        );
        let outcome = guard(parts, state, route).instrument(span.clone()).await;
        span.record(
            "outcome",
            match &outcome {
                Ok(true) => "authenticated",
                Ok(false) => "anonymous",
                Err(_) => "refused",
            },
        );
        outcome.map(|_| Guard(PhantomData))
    }
}

/// What the guard decides: authenticated (`true`), let through without a token (`false`, an
/// `optional` route), or refused with this response. The outcome, "no token" included, is put
/// in the request extensions for the route's extractors.
async fn guard<S>(parts: &mut Parts, state: &S, route: &Route) -> Result<bool, Response>
where
    PasetoAuth: FromRef<S>,
{
    let auth = PasetoAuth::from_ref(state);
    let token = auth
        .authenticate_or_reject(parts, route.source.as_ref(), &route.requirements)
        .await?;
    if token.is_none() && !route.optional {
        return Err(auth.reject(parts, AuthError::Missing));
    }
    let authenticated = token.is_some();
    parts.extensions.insert(Authenticated(token));
    Ok(authenticated)
}

// Sessions: what `#[paseto_session]` generates, `impl SessionData for T { const SPEC: SessionSpec = ...; }`.
pub use crate::cookie::SameSite;
pub use crate::session::{SessionData, SessionSpec};

/// The extractor `#[login_required]` inserts as a handler's first argument: it refuses requests
/// without a login (without a fresh one, with `FRESH`), as the login manager's settings say.
pub struct LoginGuard<const FRESH: bool>;

impl<S, const FRESH: bool> FromRequestParts<S> for LoginGuard<FRESH>
where
    S: Send + Sync,
{
    type Rejection = crate::login::LoginRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        crate::login::check_login(parts, FRESH).await?;
        Ok(LoginGuard)
    }
}
