//! The extractors: `CurrentUser<U>` (and `Option<CurrentUser<U>>`) for who is logged in, and
//! `LoginSession` to log in and out.

use std::any::TypeId;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::context::{LoginContext, Resolved};
use super::refusal::{LoginRejection, Refusal, refuse};
use super::user::AuthUser;
use crate::reply::internal_error;

/// The logged-in user: an axum extractor that derefs to `U`.
///
/// It refuses the request when nobody is logged in, as `#[login_required]` does (a redirect to
/// the login URL for browsers, 401 for API clients; see
/// [`LoginManager`](super::LoginManager)). `Option<CurrentUser<U>>` gives `None` instead. Both
/// need a [`LoginManagerLayer`](super::LoginManagerLayer) (500 without one), and `U` must be the
/// loader's user type (500 otherwise, logged in or not). The user is loaded once per request, however many
/// extractors ask.
pub struct CurrentUser<U> {
    user: Arc<U>,
    fresh: bool,
}

impl<U: AuthUser> CurrentUser<U> {
    /// Whether the login is fresh: from [`LoginSession::login`] (a password) rather than restored
    /// from the remember-me cookie. Routes for sensitive changes want a fresh login
    /// (`#[login_required(fresh)]`).
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// The user, shared.
    pub fn into_inner(self) -> Arc<U> {
        self.user
    }

    /// The extractor's work; `Ok(None)` when nobody is logged in.
    async fn from_parts(parts: &Parts) -> Result<Option<Self>, LoginRejection> {
        let context = context(parts)?;
        // A wrong user type is a programming error: refuse it whether or not anyone is logged in.
        let (loader_type, loader) = context.user_type();
        let requested = std::any::type_name::<U>();
        if TypeId::of::<U>() != loader_type {
            return Err(LoginRejection::WrongUserType { loader, requested });
        }
        match context
            .resolve(&parts.headers)
            .await
            .map_err(LoginRejection::Loader)?
        {
            Resolved::Anonymous => Ok(None),
            Resolved::User { user, fresh } => match user.downcast::<U>() {
                Ok(user) => Ok(Some(CurrentUser { user, fresh })),
                Err(_) => Err(LoginRejection::WrongUserType { loader, requested }),
            },
        }
    }
}

/// The request's login context, or the missing-layer rejection.
pub(crate) fn context(parts: &Parts) -> Result<&LoginContext, LoginRejection> {
    parts
        .extensions
        .get::<LoginContext>()
        .ok_or(LoginRejection::MissingLayer)
}

impl<U> Deref for CurrentUser<U> {
    type Target = U;

    fn deref(&self) -> &U {
        &self.user
    }
}

impl<U> Clone for CurrentUser<U> {
    fn clone(&self) -> Self {
        CurrentUser {
            user: self.user.clone(),
            fresh: self.fresh,
        }
    }
}

impl<U: fmt::Debug> fmt::Debug for CurrentUser<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentUser")
            .field("user", &self.user)
            .field("fresh", &self.fresh)
            .finish()
    }
}

impl<S, U> FromRequestParts<S> for CurrentUser<U>
where
    S: Send + Sync,
    U: AuthUser,
{
    type Rejection = LoginRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match Self::from_parts(parts).await? {
            Some(user) => Ok(user),
            None => {
                let context = context(parts)?;
                Err(refuse(
                    &context.shared.settings,
                    parts,
                    Refusal::NotLoggedIn,
                ))
            }
        }
    }
}

impl<S, U> OptionalFromRequestParts<S> for CurrentUser<U>
where
    S: Send + Sync,
    U: AuthUser,
{
    type Rejection = LoginRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Self::from_parts(parts).await
    }
}

/// Logs users in and out: an axum extractor (needs a
/// [`LoginManagerLayer`](super::LoginManagerLayer)).
///
/// ```
/// use axum::Json;
/// use axum::http::StatusCode;
/// use axum::response::{IntoResponse, Redirect, Response};
/// use paseto_auth::login::{AuthUser, LoginError, LoginSession};
///
/// # struct User;
/// # impl AuthUser for User { type Id = u32; fn id(&self) -> u32 { 1 } }
/// # fn check_password(_: &str, _: &str) -> Option<User> { Some(User) }
/// #[derive(serde::Deserialize)]
/// struct LoginForm {
///     email: String,
///     password: String,
///     remember: Option<String>,
/// }
///
/// // A form works the same way (`axum::Form`, with axum's `form` feature).
/// async fn login(
///     session: LoginSession,
///     Json(form): Json<LoginForm>,
/// ) -> Result<Response, LoginError> {
///     let Some(user) = check_password(&form.email, &form.password) else {
///         return Ok((StatusCode::UNAUTHORIZED, "wrong email or password").into_response());
///     };
///     session.login(&user, form.remember.as_deref() == Some("on"))?;
///     Ok(Redirect::to("/protected").into_response())
/// }
///
/// async fn logout(session: LoginSession) -> Redirect {
///     session.logout();
///     Redirect::to("/")
/// }
/// ```
#[derive(Clone)]
pub struct LoginSession {
    context: LoginContext,
}

impl LoginSession {
    /// Logs `user` in, freshly (call it after checking their password): the response sets a new
    /// login session cookie, with a new session id, replacing any the request had (no session
    /// fixation of the login). With `remember`, it also sets a remember-me cookie that restores
    /// the login after the login session ends; without, it deletes any remember-me cookie.
    ///
    /// The application's own [`Session<T>`](crate::session::Session) cookies are not touched:
    /// renew or clear those that must not carry over from before the login (a CSRF token, say).
    ///
    /// Fails when `U` is not the loader's user type, or a cookie cannot be sealed (an id so long
    /// that the cookie would be over 4096 bytes).
    pub fn login<U: AuthUser>(&self, user: &U, remember: bool) -> Result<(), LoginError> {
        self.context.login(user, remember)
    }

    /// Logs out: the response deletes the login session and remember-me cookies in this browser.
    ///
    /// The server keeps no list of logins, so a copy of either cookie made earlier still works
    /// until its `exp`. To end a user's logins everywhere (a stolen cookie, a lost device), change
    /// their [`AuthUser::auth_hash`] (or rotate the keys, which ends everyone's).
    pub fn logout(&self) {
        self.context.forget_both();
    }
}

impl fmt::Debug for LoginSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSession").finish_non_exhaustive()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for LoginSession {
    type Rejection = LoginRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(LoginSession {
            context: context(parts)?.clone(),
        })
    }
}

/// Why [`LoginSession::login`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// The user is not of the loader's user type, so the loader could not find them again.
    #[error("login of a {given}, but the login manager's loader loads {loader}")]
    WrongUserType {
        /// The loader's user type.
        loader: &'static str,
        /// The type given to `login`.
        given: &'static str,
    },
    /// A login cookie could not be sealed.
    #[error("login cookie not sealed: {0}")]
    Seal(#[source] crate::Error),
}

/// A failed login answers 500 with `{"error": "internal_error"}` (the cause is logged, not sent).
impl IntoResponse for LoginError {
    fn into_response(self) -> Response {
        internal_error(&format_args!("login failed: {self}"))
    }
}
