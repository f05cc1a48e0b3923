//! The login manager's two cookies: their names, lifetimes and attributes, set in code or read
//! from Flask-Login's `REMEMBER_COOKIE_*` settings.

use std::time::Duration;

use crate::cookie::{CookieAttributes, CookieProblem, DEFAULT_BROWSER_SESSION_LIFETIME, SameSite};
use crate::error::{Error, Result};
use crate::settings::{Namespace, Settings};

/// Flask-Login's default remember-me duration: 365 days.
pub const DEFAULT_REMEMBER_DURATION: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// One cookie of the login manager: the login session cookie or the remember-me cookie.
///
/// The defaults are the safe ones: `HttpOnly`, `SameSite=Lax`, `Secure`, `Path=/`, no `Domain`.
/// Turn `secure` off only to develop over plain http. Over https, a `__Host-` name (such as
/// `__Host-login_session`) keeps sibling subdomains from planting a cookie of the same name;
/// [`check`](Self::check) enforces the prefix's rules (`Secure`, `Path=/`, no `Domain`).
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::login::CookieSettings;
/// use paseto_auth::cookie::SameSite;
///
/// let remember = CookieSettings::remember()
///     .max_age(Duration::from_secs(30 * 24 * 60 * 60))
///     .same_site(SameSite::Strict)
///     .refresh_each_request(true);
/// assert_eq!(remember.name, "remember_token");
/// assert!(remember.check().is_ok());
///
/// let session = CookieSettings::login_session();
/// assert_eq!(session.name, "login_session");
/// assert_eq!(session.max_age, None); // a browser-session cookie
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CookieSettings {
    /// The cookie's name (an RFC 6265 token).
    pub name: String,
    /// `Max-Age` of the cookie and lifetime of the token in it (Flask-Login's
    /// `REMEMBER_COOKIE_DURATION`). `None` makes a browser-session cookie whose token lives
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`].
    pub max_age: Option<Duration>,
    /// The `Path` attribute (default `/`).
    pub path: String,
    /// The `Domain` attribute (default: none, so the cookie is host-only).
    pub domain: Option<String>,
    /// The `Secure` attribute (default on).
    pub secure: bool,
    /// The `HttpOnly` attribute (default on).
    pub http_only: bool,
    /// The `SameSite` attribute (default [`SameSite::Lax`]).
    pub same_site: SameSite,
    /// Re-issue the cookie, with a fresh expiry, on every request that finds a valid one and
    /// asks who is logged in (default off).
    pub refresh_each_request: bool,
}

impl CookieSettings {
    /// A cookie named `name` with the default attributes, a browser-session cookie.
    pub fn new(name: impl Into<String>) -> Self {
        CookieSettings {
            name: name.into(),
            max_age: None,
            path: "/".into(),
            domain: None,
            secure: true,
            http_only: true,
            same_site: SameSite::Lax,
            refresh_each_request: false,
        }
    }

    /// The login session cookie's defaults: `login_session`, a browser-session cookie whose token
    /// lives [`DEFAULT_BROWSER_SESSION_LIFETIME`] (24 hours) from the login. After that the
    /// remember-me cookie, if any, restores the login (not fresh), or the user logs in again;
    /// with [`refresh_each_request`](Self::refresh_each_request) the 24 hours start again at each
    /// request instead.
    pub fn login_session() -> Self {
        Self::new("login_session")
    }

    /// The remember-me cookie's defaults (Flask-Login's): `remember_token`, 365 days.
    pub fn remember() -> Self {
        Self::new("remember_token").max_age(DEFAULT_REMEMBER_DURATION)
    }

    /// The remember-me cookie from Flask-Login's settings in the environment, each optional:
    /// `REMEMBER_COOKIE_NAME`, `REMEMBER_COOKIE_DURATION` (seconds), `REMEMBER_COOKIE_DOMAIN`,
    /// `REMEMBER_COOKIE_PATH`, `REMEMBER_COOKIE_SECURE`, `REMEMBER_COOKIE_HTTPONLY`,
    /// `REMEMBER_COOKIE_SAMESITE` (`Strict`, `Lax` or `None`) and
    /// `REMEMBER_COOKIE_REFRESH_EACH_REQUEST`, over [`CookieSettings::remember`].
    ///
    /// A value that does not parse, or settings that make a cookie browsers refuse, are an
    /// [`Error::Config`] naming the setting.
    pub fn remember_from_env() -> Result<Self> {
        Self::remember_from_settings(&Settings::env())
    }

    /// The names the login manager owns in a file of settings: Flask-Login's
    /// `REMEMBER_COOKIE_*` (see [`crate::settings`]), and [`LoginKeys`](super::LoginKeys)'s
    /// `PASETO_SESSION_KEY` and `REMEMBER_COOKIE_PASETO_KEY`.
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["REMEMBER_COOKIE_"],
        except: &[],
        names: &[
            "PASETO_SESSION_KEY",
            "REMEMBER_COOKIE_NAME",
            "REMEMBER_COOKIE_DURATION",
            "REMEMBER_COOKIE_DOMAIN",
            "REMEMBER_COOKIE_PATH",
            "REMEMBER_COOKIE_SECURE",
            "REMEMBER_COOKIE_HTTPONLY",
            "REMEMBER_COOKIE_SAMESITE",
            "REMEMBER_COOKIE_REFRESH_EACH_REQUEST",
            "REMEMBER_COOKIE_PASETO_KEY",
        ],
    };

    /// [`CookieSettings::remember_from_env`] with the settings from `source` (an unknown name of
    /// the [`NAMESPACE`](Self::NAMESPACE) is an error).
    pub fn remember_from_settings(source: &Settings) -> Result<Self> {
        source.check_names(&Self::NAMESPACE)?;
        let mut settings = Self::remember();
        if let Some(name) = source.text("REMEMBER_COOKIE_NAME")? {
            settings.name = name;
        }
        if let Some(max_age) = source.seconds("REMEMBER_COOKIE_DURATION")? {
            settings.max_age = Some(max_age);
        }
        settings.domain = source.text("REMEMBER_COOKIE_DOMAIN")?.or(settings.domain);
        if let Some(path) = source.text("REMEMBER_COOKIE_PATH")? {
            settings.path = path;
        }
        settings.secure = source
            .bool("REMEMBER_COOKIE_SECURE")?
            .unwrap_or(settings.secure);
        settings.http_only = source
            .bool("REMEMBER_COOKIE_HTTPONLY")?
            .unwrap_or(settings.http_only);
        if let Some(same_site) = source.text("REMEMBER_COOKIE_SAMESITE")? {
            settings.same_site = parse_same_site(&same_site).ok_or_else(|| {
                Error::config(
                    "REMEMBER_COOKIE_SAMESITE",
                    format!("expected Strict, Lax or None, got {same_site:?}"),
                )
            })?;
        }
        settings.refresh_each_request = source
            .bool("REMEMBER_COOKIE_REFRESH_EACH_REQUEST")?
            .unwrap_or(settings.refresh_each_request);
        settings
            .attributes()
            .check()
            .map_err(|problem| Error::config(env_setting_of(problem), problem.message()))?;
        Ok(settings)
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets `Max-Age` and the token's lifetime.
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Makes a browser-session cookie (no `Max-Age`; the token lives
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`]).
    #[must_use]
    pub fn browser_session(mut self) -> Self {
        self.max_age = None;
        self
    }

    /// Sets the `Path` attribute.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Sets the `Domain` attribute.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// Sets the `Secure` attribute.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Sets the `HttpOnly` attribute.
    #[must_use]
    pub fn http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }

    /// Sets the `SameSite` attribute.
    #[must_use]
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// Re-issues the cookie with a fresh expiry on every request that finds a valid one.
    #[must_use]
    pub fn refresh_each_request(mut self, refresh: bool) -> Self {
        self.refresh_each_request = refresh;
        self
    }

    /// The lifetime of the token in the cookie: `max_age`, or
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`] for a browser-session cookie.
    pub fn token_lifetime(&self) -> Duration {
        self.max_age.unwrap_or(DEFAULT_BROWSER_SESSION_LIFETIME)
    }

    /// Checks that browsers accept the cookie (as
    /// [`SessionSpec::check`](crate::session::SessionSpec::check) does). Returns what is wrong.
    pub fn check(&self) -> std::result::Result<(), &'static str> {
        self.attributes().check().map_err(CookieProblem::message)
    }

    /// The cookie's name and attributes, as `Set-Cookie` writes them.
    pub(crate) fn attributes(&self) -> CookieAttributes<'_> {
        CookieAttributes {
            name: &self.name,
            max_age: self.max_age,
            path: &self.path,
            domain: self.domain.as_deref(),
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
        }
    }
}

fn parse_same_site(text: &str) -> Option<SameSite> {
    match text.trim().to_ascii_lowercase().as_str() {
        "strict" => Some(SameSite::Strict),
        "lax" => Some(SameSite::Lax),
        "none" => Some(SameSite::None),
        _ => None,
    }
}

/// The `REMEMBER_COOKIE_*` setting a cookie problem is about.
fn env_setting_of(problem: CookieProblem) -> &'static str {
    match problem {
        CookieProblem::Name => "REMEMBER_COOKIE_NAME",
        CookieProblem::Path => "REMEMBER_COOKIE_PATH",
        CookieProblem::Domain => "REMEMBER_COOKIE_DOMAIN",
        CookieProblem::MaxAge | CookieProblem::MaxAgeTooLong => "REMEMBER_COOKIE_DURATION",
        CookieProblem::SameSiteNoneWithoutSecure => "REMEMBER_COOKIE_SAMESITE",
        CookieProblem::HostPrefix | CookieProblem::SecurePrefix => "REMEMBER_COOKIE_NAME",
    }
}
