//! The login manager: the application's loader, the cookie keys and settings, where refused
//! requests go; and the tower layer that serves them to each request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::http::request::Parts;
use axum::http::{HeaderValue, Request};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use super::context::LoginContext;
use super::keys::LoginKeys;
use super::refusal::{RedirectPolicy, Refusal, safe_next};
use super::settings::CookieSettings;
use super::user::{ErasedLoader, UserLoader};
use crate::error::{Error, Result};
use crate::session::SessionKeys;
use crate::session::layer::call_with_context;

/// Builds the response to a refused request (see [`LoginManager::on_refused`]).
type RefusalHandler = Arc<dyn Fn(&Parts, Refusal) -> Response + Send + Sync>;

/// The login manager's settings, shared by every request.
pub(crate) struct Settings {
    pub(crate) session_keys: SessionKeys,
    pub(crate) remember_keys: SessionKeys,
    pub(crate) session_cookie: CookieSettings,
    pub(crate) remember_cookie: CookieSettings,
    pub(crate) login_url: Option<String>,
    pub(crate) refresh_url: Option<String>,
    pub(crate) redirect: RedirectPolicy,
    pub(crate) on_refused: Option<RefusalHandler>,
}

/// What every request's [`LoginContext`] shares: the loader (its user type erased) and the
/// settings.
pub(crate) struct Shared {
    pub(crate) loader: Box<dyn ErasedLoader>,
    pub(crate) settings: Settings,
}

/// A login manager (Flask-Login's `LoginManager`): the user loader, the keys of the login session
/// and remember-me cookies, the cookies' settings, and what refused requests get. Turn it into a
/// [`LoginManagerLayer`] to use it.
pub struct LoginManager<L> {
    loader: L,
    settings: Settings,
}

impl<L: UserLoader> LoginManager<L> {
    /// A manager loading users with `loader` and sealing its cookies with `keys`, with the
    /// default cookie settings ([`CookieSettings::login_session`], [`CookieSettings::remember`]),
    /// no login URL (refused requests get 401) and [`RedirectPolicy::Browsers`].
    pub fn new(loader: L, keys: LoginKeys) -> Self {
        LoginManager {
            loader,
            settings: Settings {
                session_keys: keys.session,
                remember_keys: keys.remember,
                session_cookie: CookieSettings::login_session(),
                remember_cookie: CookieSettings::remember(),
                login_url: None,
                refresh_url: None,
                redirect: RedirectPolicy::default(),
                on_refused: None,
            },
        }
    }

    /// Where browsers are sent to log in (Flask-Login's `login_view`), with `next=<the page they
    /// asked for>` added: a path such as `/login` or an absolute `https://` URL.
    #[must_use]
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.settings.login_url = Some(url.into());
        self
    }

    /// Where browsers are sent to log in again when a route needs a fresh login and theirs was
    /// restored from the remember-me cookie (Flask-Login's `refresh_view`). Defaults to the
    /// login URL.
    #[must_use]
    pub fn refresh_url(mut self, url: impl Into<String>) -> Self {
        self.settings.refresh_url = Some(url.into());
        self
    }

    /// Which refused requests are redirected (the others get 401).
    #[must_use]
    pub fn redirect(mut self, policy: RedirectPolicy) -> Self {
        self.settings.redirect = policy;
        self
    }

    /// The login session cookie's settings.
    #[must_use]
    pub fn session_cookie(mut self, settings: CookieSettings) -> Self {
        self.settings.session_cookie = settings;
        self
    }

    /// The remember-me cookie's settings (see [`CookieSettings::remember_from_env`]).
    #[must_use]
    pub fn remember_cookie(mut self, settings: CookieSettings) -> Self {
        self.settings.remember_cookie = settings;
        self
    }

    /// Answers refused requests with `handler` instead of the redirect or 401 (Flask-Login's
    /// `unauthorized_handler` and `needs_refresh_handler` in one).
    #[must_use]
    pub fn on_refused<F>(mut self, handler: F) -> Self
    where
        F: Fn(&Parts, Refusal) -> Response + Send + Sync + 'static,
    {
        self.settings.on_refused = Some(Arc::new(handler));
        self
    }
}

impl<L> fmt::Debug for LoginManager<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginManager")
            .field("loader", &std::any::type_name::<L>())
            .field("settings", &self.settings)
            .finish()
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("session_keys", &self.session_keys)
            .field("remember_keys", &self.remember_keys)
            .field("session_cookie", &self.session_cookie)
            .field("remember_cookie", &self.remember_cookie)
            .field("login_url", &self.login_url)
            .field("refresh_url", &self.refresh_url)
            .field("redirect", &self.redirect)
            .field("on_refused", &self.on_refused.is_some())
            .finish()
    }
}

impl Settings {
    /// Checks what browsers would refuse, naming the setting.
    pub(super) fn check(&self) -> Result<()> {
        for (setting, cookie) in [
            ("session_cookie", &self.session_cookie),
            ("remember_cookie", &self.remember_cookie),
        ] {
            cookie
                .check()
                .map_err(|problem| Error::config(setting, problem))?;
        }
        if self.session_cookie.name == self.remember_cookie.name {
            return Err(Error::config(
                "remember_cookie",
                format!(
                    "the remember-me cookie and the login session cookie are both named {:?}",
                    self.remember_cookie.name
                ),
            ));
        }
        if self.remember_cookie.max_age.is_none() {
            return Err(Error::config(
                "remember_cookie",
                "a remember-me cookie needs a max_age: a browser-session cookie forgets the user when the browser closes, which is what not remembering them does",
            ));
        }
        check_url("login_url", self.login_url.as_deref())?;
        check_url("refresh_url", self.refresh_url.as_deref())
    }
}

/// A redirect target: a path (`/login`) or an absolute http(s) URL, valid in a header.
fn check_url(setting: &str, url: Option<&str>) -> Result<()> {
    let Some(url) = url else {
        return Ok(());
    };
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    // A path must be one `safe_next` would accept (no `//host`, no `/\host`); any URL must be a
    // valid header value with no space, backslash or fragment.
    let shaped = absolute || safe_next(url).is_some();
    let clean = url
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'\\' && b != b'#');
    if !shaped || !clean || HeaderValue::try_from(url).is_err() {
        return Err(Error::config(
            setting,
            format!(
                "expected a path such as /login or an absolute http(s) URL without a fragment, got {url:?}"
            ),
        ));
    }
    Ok(())
}

/// A tower layer that makes [`CurrentUser`](super::CurrentUser), [`LoginSession`](super::LoginSession)
/// and `#[login_required]` work, and writes the login cookies back.
///
/// Put it on the outermost router. Each response gets `Vary: Cookie`, and the `Set-Cookie`
/// headers of the request's logins, logouts, restorations, refreshes and deletions of invalid
/// cookies.
#[derive(Clone)]
pub struct LoginManagerLayer {
    shared: Arc<Shared>,
}

impl LoginManagerLayer {
    /// The layer of `manager`, after checking its settings: cookie names and attributes browsers
    /// accept, two different cookie names, a remember-me `max_age`, and login/refresh URLs that
    /// are paths or http(s) URLs. A bad setting is an [`Error::Config`] naming it, at start-up.
    pub fn new<L: UserLoader>(manager: LoginManager<L>) -> Result<Self> {
        manager.settings.check()?;
        Ok(LoginManagerLayer {
            shared: Arc::new(Shared {
                loader: Box::new(manager.loader),
                settings: manager.settings,
            }),
        })
    }
}

impl fmt::Debug for LoginManagerLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginManagerLayer")
            .field("user", &self.shared.loader.user_type().1)
            .field("settings", &self.shared.settings)
            .finish()
    }
}

impl<S> Layer<S> for LoginManagerLayer {
    type Service = LoginManagerService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        LoginManagerService {
            inner,
            shared: self.shared.clone(),
        }
    }
}

/// The service [`LoginManagerLayer`] wraps around a router or handler.
#[derive(Clone)]
pub struct LoginManagerService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S: fmt::Debug> fmt::Debug for LoginManagerService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginManagerService")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S, B> Service<Request<B>> for LoginManagerService<S>
where
    S: Service<Request<B>> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = std::result::Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let context = LoginContext::new(self.shared.clone());
        call_with_context(
            &mut self.inner,
            request,
            context,
            |mut response, context| {
                context.write_cookies(response.headers_mut());
                response
            },
        )
    }
}
