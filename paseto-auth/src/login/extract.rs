//! The extractors: `CurrentUser<U>` (and `Option<CurrentUser<U>>`) for who is logged in, and
//! `LoginSession<U>` to log in and out. Both find the request's `LoginContext<U>` by their user
//! type.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;

use super::context::{Gate, LoginContext, LoginError, Resolved};
use super::refusal::{LoginRejection, Refusal};
use super::user::AuthUser;
use crate::csrf::CsrfToken;

/// The logged-in user: an axum extractor that derefs to `U`.
///
/// It refuses the request when nobody is logged in, as `#[login_required]` does (a redirect to
/// the login URL for browsers, 401 for API clients; see
/// [`LoginManager`](super::LoginManager)). `Option<CurrentUser<U>>` gives `None` instead. Both
/// need a [`LoginManagerLayer<U>`](super::LoginManagerLayer) of the same user type `U` (without
/// one, a 500 whose log says which user type the layer there loads). The user is loaded once per
/// request, however many extractors ask.
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
        let context = context::<U>(parts)?;
        match context
            .resolve(&parts.headers)
            .await
            .map_err(LoginRejection::from)?
        {
            Resolved::Anonymous => Ok(None),
            Resolved::User { user, fresh } => Ok(Some(CurrentUser { user, fresh })),
        }
    }
}

/// The request's login context for users of type `U`, or the missing-layer rejection (which says
/// what user type the layer here loads, if there is one).
fn context<U: AuthUser>(parts: &Parts) -> Result<&LoginContext<U>, LoginRejection> {
    parts
        .extensions
        .get::<LoginContext<U>>()
        .ok_or_else(|| LoginRejection::MissingLayer {
            requested: Some(std::any::type_name::<U>()),
            present: parts
                .extensions
                .get::<Gate>()
                .map(|Gate(gate)| gate.user_type()),
        })
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

impl<S: Send + Sync, U: AuthUser> FromRequestParts<S> for CurrentUser<U> {
    type Rejection = LoginRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match Self::from_parts(parts).await? {
            Some(user) => Ok(user),
            None => Err(context::<U>(parts)?
                .shared
                .refusals
                .refuse(parts, Refusal::NotLoggedIn)),
        }
    }
}

impl<S: Send + Sync, U: AuthUser> OptionalFromRequestParts<S> for CurrentUser<U> {
    type Rejection = LoginRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Self::from_parts(parts).await
    }
}

/// Logs users of type `U` in and out: an axum extractor (needs a
/// [`LoginManagerLayer<U>`](super::LoginManagerLayer)).
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
///     session: LoginSession<User>,
///     Json(form): Json<LoginForm>,
/// ) -> Result<Response, LoginError> {
///     let Some(user) = check_password(&form.email, &form.password) else {
///         return Ok((StatusCode::UNAUTHORIZED, "wrong email or password").into_response());
///     };
///     session.login(&user, form.remember.as_deref() == Some("on"))?;
///     Ok(Redirect::to("/protected").into_response())
/// }
///
/// async fn logout(session: LoginSession<User>) -> Result<Redirect, LoginError> {
///     session.logout().await?;
///     Ok(Redirect::to("/"))
/// }
/// ```
pub struct LoginSession<U> {
    context: LoginContext<U>,
    /// The request's `Cookie` headers, for logging out the tokens they hold.
    cookies: HeaderMap,
    /// The request's form CSRF value (under a `CsrfLayer`), rotated by logins and logouts.
    csrf: Option<CsrfToken>,
}

impl<U: AuthUser> LoginSession<U> {
    /// Logs `user` in, freshly (call it after checking their password): the response sets a new
    /// login session cookie, with a new session id, replacing any the request had (no session
    /// fixation of the login). With `remember`, it also sets a remember-me cookie that restores
    /// the login after the login session ends; without, it deletes any remember-me cookie.
    ///
    /// Under a [`CsrfLayer`](crate::csrf::CsrfLayer) the form CSRF value is rotated
    /// ([`CsrfToken::rotate`]): no value from before the login (one an attacker fixed, say) is
    /// the logged-in user's. The application's own [`Session<T>`](crate::session::Session)
    /// cookies are not touched: renew or clear those that must not carry over from before the
    /// login.
    ///
    /// Fails when a cookie cannot be sealed (an id so long that the cookie would be over 4096
    /// bytes).
    pub fn login(&self, user: &U, remember: bool) -> Result<(), LoginError> {
        self.context.login(user, remember)?;
        self.rotate_csrf();
        Ok(())
    }

    /// Logs out: the response deletes the login session and remember-me cookies in this
    /// browser, and — when the manager has a revocation store
    /// ([`LoginManager::revocations`](super::LoginManager::revocations)) — the tokens they hold
    /// are revoked, so a copy of either cookie stops working too, on every instance.
    ///
    /// Without a store the server keeps no list of logins: a copy made earlier works until its
    /// `exp` (change the user's [`AuthUser::auth_hash`] to end it). Fails only when the store
    /// does: then nothing changes in the browser (its cookies and CSRF value are kept), and the
    /// error answers 503 with `Retry-After: 1` — the revocation may still land after the answer,
    /// and sending the logout again is safe. On success the form CSRF value is rotated, as at
    /// [`login`](Self::login).
    pub async fn logout(&self) -> Result<(), LoginError> {
        self.context.logout(&self.cookies).await?;
        self.rotate_csrf();
        Ok(())
    }

    /// Logs the user out everywhere: revokes every login session, remember-me cookie and API
    /// token of theirs issued until now, on every instance (their subject is their id as
    /// text, the `sub` of API tokens too), and deletes this browser's cookies. Needs a
    /// revocation store. A failure changes nothing in the browser, as for
    /// [`logout`](Self::logout); on success the form CSRF value is rotated.
    pub async fn logout_everywhere(&self) -> Result<(), LoginError> {
        self.context.logout_everywhere(&self.cookies).await?;
        self.rotate_csrf();
        Ok(())
    }

    /// Rotates the request's CSRF value, if a `CsrfLayer` gave it one.
    fn rotate_csrf(&self) {
        if let Some(csrf) = &self.csrf {
            csrf.rotate();
        }
    }
}

impl<U> Clone for LoginSession<U> {
    fn clone(&self) -> Self {
        LoginSession {
            context: self.context.clone(),
            cookies: self.cookies.clone(),
            csrf: self.csrf.clone(),
        }
    }
}

impl<U> fmt::Debug for LoginSession<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSession")
            .field("user", &std::any::type_name::<U>())
            .finish_non_exhaustive()
    }
}

impl<S: Send + Sync, U: AuthUser> FromRequestParts<S> for LoginSession<U> {
    type Rejection = LoginRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut cookies = HeaderMap::new();
        for value in parts.headers.get_all(COOKIE) {
            cookies.append(COOKIE, value.clone());
        }
        Ok(LoginSession {
            context: context::<U>(parts)?.clone(),
            cookies,
            csrf: CsrfToken::of(&parts.extensions),
        })
    }
}
