//! The refresh token in a cookie, for browsers: `HttpOnly` (scripts never see it), `Secure` with
//! the `__Secure-` prefix (a plain-http attacker cannot plant one), `SameSite=Strict`, and sent
//! only to the refresh endpoint's path.

use std::time::Duration;

use crate::cookie::{CookieAttributes, SameSite};
use crate::error::{Error, Result};

/// Where a browser keeps its refresh token: a cookie only the refresh endpoint receives.
///
/// ```
/// use paseto_auth::refresh::RefreshCookie;
/// let cookie = RefreshCookie::new().path("/api/token/refresh");
/// assert_eq!(cookie.name, "__Secure-refresh_token");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefreshCookie {
    /// The cookie's name (default `__Secure-refresh_token`; drop the prefix along with `Secure`
    /// for plain-http development).
    pub name: String,
    /// `Path`: where the refresh endpoint is mounted (default `/token/refresh`), so the cookie
    /// goes with no other request.
    pub path: String,
    /// `Domain`, if any (default none: this host only).
    pub domain: Option<String>,
    /// `Secure` (default true; turn off for plain-http development only).
    pub secure: bool,
    /// `SameSite` (default `Strict`: no cross-site request carries it).
    pub same_site: SameSite,
}

impl Default for RefreshCookie {
    fn default() -> Self {
        RefreshCookie {
            name: "__Secure-refresh_token".into(),
            path: "/token/refresh".into(),
            domain: None,
            secure: true,
            same_site: SameSite::Strict,
        }
    }
}

impl RefreshCookie {
    /// The defaults: `__Secure-refresh_token`, `Path=/token/refresh`, `Secure`, `HttpOnly`,
    /// `SameSite=Strict`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets `Path`.
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Sets `Domain`.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// Sets `Secure`.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Sets `SameSite`.
    #[must_use]
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// The cookie's attributes, living as long as the refresh token (`max_age`).
    pub(crate) fn attributes(&self, max_age: Duration) -> CookieAttributes<'_> {
        CookieAttributes {
            name: &self.name,
            max_age: Some(max_age),
            path: &self.path,
            domain: self.domain.as_deref(),
            secure: self.secure,
            http_only: true,
            same_site: self.same_site,
        }
    }

    /// Checks that browsers accept the cookie, for a refresh token living `max_age`.
    pub(crate) fn check(&self, max_age: Duration) -> Result<()> {
        self.attributes(max_age)
            .check()
            .map_err(|problem| Error::Setup(format!("refresh cookie: {}", problem.message())))
    }
}
