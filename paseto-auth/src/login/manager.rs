//! The login manager: the application's loader, the cookie keys and settings, where refused
//! requests go; and the tower layer that serves them to each request.

use std::fmt;
use std::sync::Arc;

use axum::http::Extensions;
use axum::http::request::Parts;
use axum::response::Response;
use tower::Layer;

use super::context::{Gate, LoginContext, Shared};
use super::keys::LoginKeys;
use super::refusal::{RedirectPolicy, Refusal, Refusals};
use super::settings::{CookieSettings, LOGIN_SESSION_COOKIE, REMEMBER_COOKIE};
use super::user::{AuthUser, UserLoader};
use crate::cookie::{CookieChanges, CookieLayer, CookieService};
use crate::store::Revocations;
use crate::{Error, Result};

/// A login manager (Flask-Login's `LoginManager`): the user loader, the keys of the login session
/// and remember-me cookies, the cookies' settings, and what refused requests get. Turn it into a
/// [`LoginManagerLayer`] to use it.
pub struct LoginManager<L> {
    loader: L,
    keys: LoginKeys,
    session_cookie: CookieSettings,
    remember_cookie: CookieSettings,
    refusals: Refusals,
    revocations: Option<Revocations>,
}

impl<L: UserLoader> LoginManager<L> {
    /// A manager loading users with `loader` and sealing its cookies with `keys`, with the
    /// default cookies ([`LOGIN_SESSION_COOKIE`], [`REMEMBER_COOKIE`]),
    /// no login URL (refused requests get 401) and [`RedirectPolicy::Browsers`].
    pub fn new(loader: L, keys: LoginKeys) -> Self {
        LoginManager {
            loader,
            keys,
            session_cookie: CookieSettings::new(LOGIN_SESSION_COOKIE),
            remember_cookie: CookieSettings::new(REMEMBER_COOKIE),
            refusals: Refusals::default(),
            revocations: None,
        }
    }

    /// Checks the login cookies against `revocations` and records logouts there:
    /// [`LoginSession::logout`](super::LoginSession::logout) then ends copies of the cookies too,
    /// and [`LoginSession::logout_everywhere`](super::LoginSession::logout_everywhere) ends every
    /// login of the user, on every instance that shares the store. A store failure fails closed
    /// (503) unless the revocations fail open.
    #[must_use]
    pub fn revocations(mut self, revocations: Revocations) -> Self {
        self.revocations = Some(revocations);
        self
    }

    /// Where browsers are sent to log in (Flask-Login's `login_view`), with `next=<the page they
    /// asked for>` added: a path such as `/login` or an absolute `https://` URL.
    #[must_use]
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.refusals.login_url = Some(url.into());
        self
    }

    /// Where browsers are sent to log in again when a route needs a fresh login and theirs was
    /// restored from the remember-me cookie (Flask-Login's `refresh_view`). Defaults to the
    /// login URL.
    #[must_use]
    pub fn refresh_url(mut self, url: impl Into<String>) -> Self {
        self.refusals.refresh_url = Some(url.into());
        self
    }

    /// Which refused requests are redirected (the others get 401).
    #[must_use]
    pub fn redirect(mut self, policy: RedirectPolicy) -> Self {
        self.refusals.redirect = policy;
        self
    }

    /// The login session cookie's settings: [`CookieSettings`], or [`CookieOptions`] for a
    /// cookie not refreshed on each request.
    ///
    /// [`CookieOptions`]: crate::cookie::CookieOptions
    #[must_use]
    pub fn session_cookie(mut self, settings: impl Into<CookieSettings>) -> Self {
        self.session_cookie = settings.into();
        self
    }

    /// The remember-me cookie's settings, as [`session_cookie`](Self::session_cookie)'s (see
    /// also [`CookieSettings::remember_from_env`]).
    #[must_use]
    pub fn remember_cookie(mut self, settings: impl Into<CookieSettings>) -> Self {
        self.remember_cookie = settings.into();
        self
    }

    /// Answers refused requests with `handler` instead of the redirect or 401 (Flask-Login's
    /// `unauthorized_handler` and `needs_refresh_handler` in one).
    #[must_use]
    pub fn on_refused<F>(mut self, handler: F) -> Self
    where
        F: Fn(&Parts, Refusal) -> Response + Send + Sync + 'static,
    {
        self.refusals.on_refused = Some(Arc::new(handler));
        self
    }

    /// Checks what browsers would refuse, naming the setting.
    pub(super) fn check(&self) -> Result<()> {
        for (setting, cookie) in [
            ("session_cookie", &self.session_cookie),
            ("remember_cookie", &self.remember_cookie),
        ] {
            cookie
                .options
                .check()
                .map_err(|problem| Error::config(setting, problem))?;
        }
        if self.session_cookie.options.name == self.remember_cookie.options.name {
            return Err(Error::config(
                "remember_cookie",
                format!(
                    "the remember-me cookie and the login session cookie are both named {:?}",
                    self.remember_cookie.options.name
                ),
            ));
        }
        if self.remember_cookie.options.max_age.is_none() {
            return Err(Error::config(
                "remember_cookie",
                "a remember-me cookie needs a max_age: a browser-session cookie forgets the user when the browser closes, which is what not remembering them does",
            ));
        }
        self.refusals.check()
    }
}

impl<L> fmt::Debug for LoginManager<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginManager")
            .field("loader", &std::any::type_name::<L>())
            .field("keys", &self.keys)
            .field("session_cookie", &self.session_cookie)
            .field("remember_cookie", &self.remember_cookie)
            .field("refusals", &self.refusals)
            .field("revocations", &self.revocations)
            .finish()
    }
}

/// A tower layer that makes [`CurrentUser<U>`](super::CurrentUser),
/// [`LoginSession<U>`](super::LoginSession) and `#[login_required]` work, and writes the login
/// cookies back. `U` is the loader's user type.
///
/// Put it on the outermost router. Each response gets `Vary: Cookie`, and the `Set-Cookie`
/// headers of the request's logins, logouts, restorations, refreshes and deletions of invalid
/// cookies.
pub struct LoginManagerLayer<U> {
    shared: Arc<Shared<U>>,
}

impl<U: AuthUser> LoginManagerLayer<U> {
    /// The layer of `manager`, after checking its settings: cookie names and attributes browsers
    /// accept, two different cookie names, a remember-me `max_age`, and login/refresh URLs that
    /// are paths or http(s) URLs. A bad setting is an [`Error::Config`] naming it, at start-up.
    pub fn new<L: UserLoader<User = U>>(manager: LoginManager<L>) -> Result<Self> {
        manager.check()?;
        Ok(LoginManagerLayer {
            shared: Arc::new(Shared {
                loader: Box::new(manager.loader),
                keys: manager.keys,
                session_cookie: manager.session_cookie,
                remember_cookie: manager.remember_cookie,
                refusals: manager.refusals,
                revocations: manager.revocations,
            }),
        })
    }
}

#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
impl<U: AuthUser> LoginManagerLayer<U> {
    /// `name=value` of a login session cookie of `user`, freshly logged in, as
    /// [`LoginSession::login`](super::LoginSession::login) would set it: a `Cookie` header for a
    /// test of a `#[login_required]` route (feature `testing`).
    pub fn login_cookie(&self, user: &U) -> Result<String> {
        super::context::login_cookie(&self.shared, user)
    }
}

impl<U> Clone for LoginManagerLayer<U> {
    fn clone(&self) -> Self {
        LoginManagerLayer {
            shared: self.shared.clone(),
        }
    }
}

impl<U> fmt::Debug for LoginManagerLayer<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginManagerLayer")
            .field("user", &std::any::type_name::<U>())
            .field("keys", &self.shared.keys)
            .field("session_cookie", &self.shared.session_cookie)
            .field("remember_cookie", &self.shared.remember_cookie)
            .field("refusals", &self.shared.refusals)
            .finish()
    }
}

impl<S, U: AuthUser> Layer<S> for LoginManagerLayer<U> {
    type Service = LoginManagerService<S, U>;

    fn layer(&self, inner: S) -> Self::Service {
        CookieService::new(inner, self.clone())
    }
}

/// The service [`LoginManagerLayer`] wraps around a router or handler.
pub type LoginManagerService<S, U> = CookieService<S, LoginManagerLayer<U>>;

impl<U: AuthUser> CookieLayer for LoginManagerLayer<U> {
    type Request = LoginContext<U>;

    /// The typed context for `CurrentUser<U>` and `LoginSession<U>`, and the same state behind a
    /// [`Gate`] for the `#[login_required]` guard.
    fn begin(&self, extensions: &mut Extensions) -> LoginContext<U> {
        let context = LoginContext::new(self.shared.clone());
        extensions.insert(Gate(Arc::new(context.clone())));
        extensions.insert(context.clone());
        context
    }

    fn finish(context: LoginContext<U>, changes: &mut CookieChanges) {
        context.finish(changes);
    }
}
