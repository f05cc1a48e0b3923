//! A session type's cookie: its name, lifetime and attributes, written as a `const`.
//!
//! The const form of [`CookieOptions`]: a `const fn` cannot drop the owned strings
//! `CookieOptions` may hold, so a spec keeps `&'static str`s and becomes `CookieOptions` (borrowing
//! them, nothing copied) wherever the cookie is checked or written: the rules live there.

use std::borrow::Cow;
use std::time::Duration;

use crate::cookie::{CookieOptions, SameSite};

/// How a session type is stored: the cookie's name, lifetime and attributes, and whether it rolls.
///
/// Built with `const fn`s, so it can be the `SPEC` constant of
/// [`SessionData`](super::SessionData): the const form of [`CookieOptions`] (see
/// [`options`](Self::options)), with the same defaults, the safe ones: `HttpOnly`,
/// `SameSite=Lax`, `Secure`, `Path=/`, no `Domain`, a browser-session cookie (no `Max-Age`); and
/// not rolling. The fields are public to read; build a value with [`SessionSpec::new`] and the
/// setters.
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::cookie::SameSite;
/// use paseto_auth::session::SessionSpec;
///
/// const SPEC: SessionSpec = SessionSpec::new("cart")
///     .max_age(Duration::from_secs(14 * 24 * 60 * 60))
///     .rolling(true)
///     .same_site(SameSite::Strict);
/// assert_eq!(SPEC.cookie, "cart");
/// assert!(SPEC.secure && SPEC.http_only);
/// assert_eq!(SPEC.path, "/");
/// assert!(SPEC.check().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SessionSpec {
    /// The cookie's name (an RFC 6265 token, e.g. `"session"`).
    pub cookie: &'static str,
    /// `Max-Age` of the cookie and lifetime of the token in it. `None` makes a browser-session
    /// cookie whose token lives [`DEFAULT_BROWSER_SESSION_LIFETIME`](crate::cookie::DEFAULT_BROWSER_SESSION_LIFETIME).
    pub max_age: Option<Duration>,
    /// Re-issue the cookie, with a fresh expiry, on every request that reads a valid session.
    pub rolling: bool,
    /// The `Path` attribute (default `/`).
    pub path: &'static str,
    /// The `Domain` attribute (default: none, so the cookie is host-only).
    pub domain: Option<&'static str>,
    /// The `Secure` attribute (default on; turn off only for plain-http local development).
    pub secure: bool,
    /// The `HttpOnly` attribute (default on: scripts cannot read the cookie).
    pub http_only: bool,
    /// The `SameSite` attribute (default [`SameSite::Lax`]).
    pub same_site: SameSite,
}

impl SessionSpec {
    /// A session stored in the cookie `cookie`, with the default attributes.
    pub const fn new(cookie: &'static str) -> Self {
        SessionSpec {
            cookie,
            max_age: None,
            rolling: false,
            path: "/",
            domain: None,
            secure: true,
            http_only: true,
            same_site: SameSite::Lax,
        }
    }

    /// Sets `Max-Age` and the token's lifetime.
    #[must_use]
    pub const fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Re-issues the cookie on every request that reads a valid session (sliding expiry).
    #[must_use]
    pub const fn rolling(mut self, rolling: bool) -> Self {
        self.rolling = rolling;
        self
    }

    /// Sets the `Path` attribute.
    #[must_use]
    pub const fn path(mut self, path: &'static str) -> Self {
        self.path = path;
        self
    }

    /// Sets the `Domain` attribute.
    #[must_use]
    pub const fn domain(mut self, domain: &'static str) -> Self {
        self.domain = Some(domain);
        self
    }

    /// Sets the `Secure` attribute.
    #[must_use]
    pub const fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Sets the `HttpOnly` attribute.
    #[must_use]
    pub const fn http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }

    /// Sets the `SameSite` attribute.
    #[must_use]
    pub const fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// The lifetime of the token in the cookie: `max_age`, or
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`](crate::cookie::DEFAULT_BROWSER_SESSION_LIFETIME) for a browser-session cookie (see
    /// [`CookieOptions::token_lifetime`]).
    pub const fn token_lifetime(&self) -> Duration {
        let options = self.options();
        let lifetime = options.token_lifetime();
        // Borrowed strings only: nothing to free, and a `const fn` cannot run the destructor.
        std::mem::forget(options);
        lifetime
    }

    /// Checks that the spec makes a cookie browsers accept ([`CookieOptions::check`]: the name
    /// is an RFC 6265 token, the path starts with `/`, the domain is a host name, `max_age` is at
    /// least a second, `SameSite=None` comes with `Secure`, the prefixes' rules hold). Returns
    /// what is wrong.
    ///
    /// The [`Session`](super::Session) extractor refuses a spec that fails this check (HTTP 500),
    /// so a mistake shows at the first request rather than as a cookie the browser ignores.
    pub const fn check(&self) -> Result<(), &'static str> {
        let options = self.options();
        let checked = options.check();
        // As in `token_lifetime`.
        std::mem::forget(options);
        checked
    }

    /// The session's cookie as [`CookieOptions`], borrowing the spec's strings: what the cookie
    /// is checked and written with.
    pub const fn options(&self) -> CookieOptions {
        CookieOptions {
            name: Cow::Borrowed(self.cookie),
            max_age: self.max_age,
            path: Cow::Borrowed(self.path),
            domain: match self.domain {
                Some(domain) => Some(Cow::Borrowed(domain)),
                None => None,
            },
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
        }
    }
}
