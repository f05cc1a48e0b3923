//! The login manager's two cookies: their [`CookieOptions`] and whether each is re-issued on each
//! request, set in code or read from Flask-Login's `REMEMBER_COOKIE_*` settings.

use std::time::Duration;

use crate::cookie::{CookieOptions, CookieProblem, SameSite};
use crate::settings::{Namespace, Settings};
use crate::{Error, Result};

/// Flask-Login's default remember-me duration: 365 days.
pub const DEFAULT_REMEMBER_DURATION: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The login session cookie's defaults: `login_session`, a browser-session cookie whose token
/// lives [`DEFAULT_BROWSER_SESSION_LIFETIME`](crate::cookie::DEFAULT_BROWSER_SESSION_LIFETIME)
/// (24 hours) from the login. After that the remember-me cookie, if any, restores the login (not
/// fresh), or the user logs in again; with
/// [`refresh_each_request`](CookieSettings::refresh_each_request) the 24 hours start again at
/// each request instead.
pub const LOGIN_SESSION_COOKIE: CookieOptions = CookieOptions::named("login_session");

/// The remember-me cookie's defaults (Flask-Login's): `remember_token`, 365 days.
pub const REMEMBER_COOKIE: CookieOptions =
    CookieOptions::named("remember_token").max_age(DEFAULT_REMEMBER_DURATION);

/// One cookie of the login manager, the login session cookie or the remember-me cookie: its
/// [`CookieOptions`], and whether it is re-issued on each request.
///
/// The defaults are [`LOGIN_SESSION_COOKIE`] and [`REMEMBER_COOKIE`], with the safe attributes
/// (`HttpOnly`, `SameSite=Lax`, `Secure`, `Path=/`, no `Domain`). Turn `secure` off only to
/// develop over plain http. Over https, a `__Host-` name (such as `__Host-login_session`) keeps
/// sibling subdomains from planting a cookie of the same name. A `CookieOptions` is one too
/// (not refreshed on each request), wherever the login manager takes cookie settings.
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::cookie::SameSite;
/// use paseto_auth::login::{CookieSettings, LOGIN_SESSION_COOKIE, REMEMBER_COOKIE};
///
/// let remember = CookieSettings::new(
///     REMEMBER_COOKIE
///         .max_age(Duration::from_secs(30 * 24 * 60 * 60))
///         .same_site(SameSite::Strict),
/// )
/// .refresh_each_request(true);
/// assert_eq!(remember.options.name, "remember_token");
/// assert!(remember.options.check().is_ok());
///
/// assert_eq!(LOGIN_SESSION_COOKIE.name, "login_session");
/// assert_eq!(LOGIN_SESSION_COOKIE.max_age, None); // a browser-session cookie
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CookieSettings {
    /// The cookie's name and attributes. Its `max_age` is also the lifetime of the token in it
    /// (Flask-Login's `REMEMBER_COOKIE_DURATION`).
    pub options: CookieOptions,
    /// Re-issue the cookie, with a fresh expiry, on every request that finds a valid one and
    /// asks who is logged in (default off).
    pub refresh_each_request: bool,
}

impl From<CookieOptions> for CookieSettings {
    fn from(options: CookieOptions) -> Self {
        CookieSettings::new(options)
    }
}

impl CookieSettings {
    /// The cookie `options`, not refreshed on each request.
    pub fn new(options: CookieOptions) -> Self {
        CookieSettings {
            options,
            refresh_each_request: false,
        }
    }

    /// The remember-me cookie from Flask-Login's settings in the environment, each optional:
    /// `REMEMBER_COOKIE_NAME`, `REMEMBER_COOKIE_DURATION` (seconds), `REMEMBER_COOKIE_DOMAIN`,
    /// `REMEMBER_COOKIE_PATH`, `REMEMBER_COOKIE_SECURE`, `REMEMBER_COOKIE_HTTPONLY`,
    /// `REMEMBER_COOKIE_SAMESITE` (`Strict`, `Lax` or `None`) and
    /// `REMEMBER_COOKIE_REFRESH_EACH_REQUEST`, over [`REMEMBER_COOKIE`].
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
        let mut settings = Self::new(REMEMBER_COOKIE);
        let cookie = &mut settings.options;
        if let Some(name) = source.text("REMEMBER_COOKIE_NAME")? {
            cookie.name = name.into();
        }
        if let Some(max_age) = source.seconds("REMEMBER_COOKIE_DURATION")? {
            cookie.max_age = Some(max_age);
        }
        if let Some(domain) = source.text("REMEMBER_COOKIE_DOMAIN")? {
            cookie.domain = Some(domain.into());
        }
        if let Some(path) = source.text("REMEMBER_COOKIE_PATH")? {
            cookie.path = path.into();
        }
        cookie.secure = source
            .bool("REMEMBER_COOKIE_SECURE")?
            .unwrap_or(cookie.secure);
        cookie.http_only = source
            .bool("REMEMBER_COOKIE_HTTPONLY")?
            .unwrap_or(cookie.http_only);
        if let Some(same_site) = source.text("REMEMBER_COOKIE_SAMESITE")? {
            cookie.same_site = parse_same_site(&same_site).ok_or_else(|| {
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
            .options
            .problem()
            .map_err(|problem| Error::config(env_setting_of(problem), problem.message()))?;
        Ok(settings)
    }

    /// Re-issues the cookie with a fresh expiry on every request that finds a valid one.
    #[must_use]
    pub fn refresh_each_request(mut self, refresh: bool) -> Self {
        self.refresh_each_request = refresh;
        self
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
