//! What `#[paseto_required(check = path)]` generates code against: the two forms a check may
//! take, told apart by the compiler (a marker type, as axum tells handlers apart), and the guard
//! that runs the check after the token's own.

use std::fmt::Debug;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::Response;

use super::guards::RouteSpec;
use crate::claims::PasetoClaims;
use crate::extract::guard::{authenticated, guard};
use crate::extract::{AuthError, PasetoAuth};
use crate::{ClaimError, Error};

/// The future a check returns: `true` lets the request through.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = bool> + Send + 'a>>;

/// Marks a check written `fn(&C) -> bool`.
pub struct Predicate;

/// Marks a check written `async fn(&C, &T) -> Result<(), E>`, with `T` taken from the router
/// state.
pub struct WithState<T, E>(PhantomData<fn() -> (T, E)>);

/// `async fn(&'a C, &'a T) -> Result<(), E>` for one lifetime `'a`: naming the returned future
/// per lifetime is what lets an `async fn` (whose future borrows its arguments) be a check.
pub trait AsyncCheckFn<'a, C: 'a, T: 'a, E>: Fn(&'a C, &'a T) -> Self::Checking {
    /// The future the function returns.
    type Checking: Future<Output = Result<(), E>> + Send + 'a;
}

impl<'a, C: 'a, T: 'a, E, F, Fut> AsyncCheckFn<'a, C, T, E> for F
where
    F: Fn(&'a C, &'a T) -> Fut,
    Fut: Future<Output = Result<(), E>> + Send + 'a,
{
    type Checking = Fut;
}

/// A function that can check claims `C` on a router with state `S`; `M` tells the two forms
/// apart and is inferred.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a check of the handler's claims `{C}`",
    label = "expected `fn(&{C}) -> bool`, or `async fn(&{C}, &T) -> Result<(), E>` with `T: FromRef<{S}>`",
    note = "a check takes the claims type of the handler's `Paseto<C>` argument; an `async` check that reads the state also needs the router's state type: `#[paseto_required(check = .., state = AppState)]`"
)]
pub trait ClaimCheck<C, S, M>: Copy + Send + Sync + 'static {
    /// Runs the check.
    fn run<'a>(self, claims: &'a C, state: &'a S) -> CheckFuture<'a>;
}

impl<F, C, S> ClaimCheck<C, S, Predicate> for F
where
    F: Fn(&C) -> bool + Copy + Send + Sync + 'static,
{
    fn run<'a>(self, claims: &'a C, _state: &'a S) -> CheckFuture<'a> {
        let passed = self(claims);
        Box::pin(std::future::ready(passed))
    }
}

impl<F, C, S, T, E> ClaimCheck<C, S, WithState<T, E>> for F
where
    F: for<'a> AsyncCheckFn<'a, C, T, E> + Copy + Send + Sync + 'static,
    C: Sync,
    S: Sync,
    T: FromRef<S> + Send + Sync,
    E: Debug,
{
    fn run<'a>(self, claims: &'a C, state: &'a S) -> CheckFuture<'a> {
        Box::pin(async move {
            let state = T::from_ref(state);
            match self(claims, &state).await {
                Ok(()) => true,
                Err(refusal) => {
                    // The application's own error, written with `Debug` so it is escaped.
                    tracing::debug!(?refusal, "the route's check refused the token");
                    false
                }
            }
        })
    }
}

/// Runs `check` (inferring its form): what the generated `RouteCheck::check` calls.
pub fn run_check<'a, F, C, S, M>(check: F, claims: &'a C, state: &'a S) -> CheckFuture<'a>
where
    F: ClaimCheck<C, S, M>,
{
    check.run(claims, state)
}

/// Implemented for a route with `check = ..`, on routers whose state is `S`.
pub trait RouteCheck<S>: RouteSpec {
    /// The handler's claims type.
    type Claims: PasetoClaims;

    /// Runs the route's check.
    fn check<'a>(claims: &'a Self::Claims, state: &'a S) -> CheckFuture<'a>;
}

/// The guard `#[paseto_required(check = ..)]` inserts: the route's token guard, then its check
/// on the typed claims (a refusal is 403 `insufficient_scope`, kind `check_failed`).
pub struct CheckedGuard<R>(PhantomData<fn() -> R>);

impl<S, R> FromRequestParts<S> for CheckedGuard<R>
where
    S: Send + Sync,
    PasetoAuth: FromRef<S>,
    R: RouteCheck<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = PasetoAuth::from_ref(state);
        guard(&auth, parts, R::route()).await?;
        // An optional route without a token has no claims to check.
        if let Some(token) = authenticated(parts) {
            let token = token
                .to_typed::<R::Claims>()
                .map_err(|err| auth.reject(parts, AuthError::Token(err)))?;
            if !R::check(&token.claims, state).await {
                return Err(auth.reject(
                    parts,
                    AuthError::Token(Error::Claims(ClaimError::CheckFailed)),
                ));
            }
        }
        Ok(CheckedGuard(PhantomData))
    }
}
