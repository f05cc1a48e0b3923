//! The guards `#[paseto_required]` and `#[login_required]` insert, and what `#[paseto_session]`
//! names (feature `axum`).

use std::marker::PhantomData;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;

pub use crate::extract::TokenSource;

use crate::extract::PasetoAuth;

/// One guarded route's settings, built once by the generated `RouteSpec`.
pub use crate::extract::guard::Route;

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

impl<S: Send + Sync, R: RouteSpec> FromRequestParts<S> for Guard<R>
where
    PasetoAuth: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = PasetoAuth::from_ref(state);
        crate::extract::guard::guard(&auth, parts, R::route()).await?;
        Ok(Guard(PhantomData))
    }
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
