//! [`CookieOptions`]: a cookie's name and attributes, for every cookie the crate writes; the checks
//! that keep browsers from refusing or ignoring it (RFC 6265 names, paths and domains, the 400-day
//! cap, `SameSite=None` with `Secure`, the `__Host-`/`__Secure-` prefix rules); and the
//! `Set-Cookie` header values written from it.
//!
//! The checks are `const fn`s, so a session type's cookie is checked at compile time.
//! `Set-Cookie` values are built with the `cookie` crate, the ecosystem's standard: they are
//! written only when a cookie changes, so the crate's allocations cost nothing on the read path.

use std::borrow::Cow;
use std::time::Duration;

use axum::http::HeaderValue;
use time::OffsetDateTime;

/// Lifetime of the token inside a browser-session cookie (one without `Max-Age`): one day.
///
/// The browser forgets such a cookie when it closes, but a copied cookie must not work forever, so
/// its token still carries an `exp`. A rolling session (or a login session refreshed on each
/// request) starts the day again at every request that reads it.
pub const DEFAULT_BROWSER_SESSION_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The `SameSite` attribute of a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// Sent only with same-site requests.
    Strict,
    /// Sent with same-site requests and top-level cross-site navigations (the default).
    Lax,
    /// Sent with every request; browsers require `Secure` with it.
    None,
}

impl SameSite {
    /// The attribute's value: `"Strict"`, `"Lax"` or `"None"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

impl From<SameSite> for ::cookie::SameSite {
    fn from(same_site: SameSite) -> Self {
        match same_site {
            SameSite::Strict => ::cookie::SameSite::Strict,
            SameSite::Lax => ::cookie::SameSite::Lax,
            SameSite::None => ::cookie::SameSite::None,
        }
    }
}

/// A cookie's name and attributes: what every cookie the crate writes is configured with (the
/// login manager's cookies, the refresh cookie, a [`TokenCookie`](crate::csrf::TokenCookie)'s,
/// [`CsrfLayer`](crate::csrf::CsrfLayer)'s, and a session's through
/// [`SessionSpec::options`](crate::session::SessionSpec::options)), and what
/// [`check`](Self::check) holds to the rules browsers keep.
///
/// The defaults are the safe ones: `HttpOnly`, `SameSite=Lax`, `Secure`, `Path=/`, no `Domain`,
/// a browser-session cookie (no `Max-Age`). Turn `secure` off only to develop over plain http.
/// Over https, a `__Host-` name (such as `__Host-login_session`) keeps sibling subdomains from
/// planting a cookie of the same name; [`check`](Self::check) enforces the prefix's rules
/// (`Secure`, `Path=/`, no `Domain`). Each feature adds what is its own (a session's rolling
/// expiry, the remember-me cookie's refresh on each request, the CSRF value's readable cookie)
/// and refuses, at start-up, options it cannot use (a token cookie must be `HttpOnly`).
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::cookie::{CookieOptions, SameSite};
///
/// let cookie = CookieOptions::new("remember_me")
///     .max_age(Duration::from_secs(30 * 24 * 60 * 60))
///     .same_site(SameSite::Strict)
///     .path("/app");
/// assert_eq!(cookie.name, "remember_me");
/// assert!(cookie.secure && cookie.http_only);
/// assert!(cookie.check().is_ok());
/// assert!(cookie.clone().path("app").check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CookieOptions {
    /// The cookie's name (an RFC 6265 token).
    pub name: Cow<'static, str>,
    /// `Max-Age` of the cookie and lifetime of the token in it. `None` makes a browser-session
    /// cookie whose token lives [`DEFAULT_BROWSER_SESSION_LIFETIME`].
    pub max_age: Option<Duration>,
    /// The `Path` attribute (default `/`).
    pub path: Cow<'static, str>,
    /// The `Domain` attribute (default: none, so the cookie is host-only).
    pub domain: Option<Cow<'static, str>>,
    /// The `Secure` attribute (default on; turn off only for plain-http local development).
    pub secure: bool,
    /// The `HttpOnly` attribute (default on: scripts cannot read the cookie).
    pub http_only: bool,
    /// The `SameSite` attribute (default [`SameSite::Lax`]).
    pub same_site: SameSite,
}

impl CookieOptions {
    /// A cookie named `name` with the default attributes, a browser-session cookie.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        CookieOptions {
            name: name.into(),
            ..Self::named("")
        }
    }

    /// [`CookieOptions::new`] for a name known at compile time, in a `const`.
    pub(crate) const fn named(name: &'static str) -> Self {
        CookieOptions {
            name: Cow::Borrowed(name),
            max_age: None,
            path: Cow::Borrowed("/"),
            domain: None,
            secure: true,
            http_only: true,
            same_site: SameSite::Lax,
        }
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets `Max-Age` and the token's lifetime.
    #[must_use]
    pub const fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Makes a browser-session cookie (no `Max-Age`; the token lives
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`]).
    #[must_use]
    pub const fn browser_session(mut self) -> Self {
        self.max_age = None;
        self
    }

    /// Sets the `Path` attribute.
    #[must_use]
    pub fn path(mut self, path: impl Into<Cow<'static, str>>) -> Self {
        self.path = path.into();
        self
    }

    /// Sets the `Domain` attribute.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<Cow<'static, str>>) -> Self {
        self.domain = Some(domain.into());
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
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`] for a browser-session cookie.
    pub const fn token_lifetime(&self) -> Duration {
        match self.max_age {
            Some(max_age) => max_age,
            None => DEFAULT_BROWSER_SESSION_LIFETIME,
        }
    }

    /// Checks that browsers accept the cookie: the name is an RFC 6265 token, the path starts
    /// with `/`, the domain is a host name, `max_age` is at least a second and at most 400 days,
    /// `SameSite=None` comes with `Secure`, and the `__Host-`/`__Secure-` prefixes' rules hold.
    /// Returns what is wrong.
    pub const fn check(&self) -> Result<(), &'static str> {
        match self.problem() {
            Ok(()) => Ok(()),
            Err(problem) => Err(problem.message()),
        }
    }
}

/// What makes a cookie one browsers refuse or ignore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CookieProblem {
    Name,
    Path,
    Domain,
    MaxAge,
    MaxAgeTooLong,
    SameSiteNoneWithoutSecure,
    HostPrefix,
    SecurePrefix,
}

impl CookieProblem {
    /// What is wrong, in words.
    pub(crate) const fn message(self) -> &'static str {
        match self {
            CookieProblem::Name => {
                "the cookie name must be a non-empty RFC 6265 token \
                 (ASCII letters, digits and !#$%&'*+-.^_`|~)"
            }
            CookieProblem::Path => {
                "the cookie path must start with `/` and hold no `;` or control characters"
            }
            CookieProblem::Domain => {
                "the cookie domain must be a host name (ASCII letters, digits, `-`, `.`)"
            }
            CookieProblem::MaxAge => "max_age must be at least one second",
            CookieProblem::MaxAgeTooLong => {
                "max_age must be at most 400 days: browsers cap cookie lifetimes there (RFC 6265bis)"
            }
            CookieProblem::SameSiteNoneWithoutSecure => {
                "SameSite=None requires Secure: browsers drop such a cookie otherwise"
            }
            CookieProblem::HostPrefix => {
                "a __Host- cookie must be Secure, with Path=/ and no Domain: browsers drop it otherwise"
            }
            CookieProblem::SecurePrefix => {
                "a __Secure- cookie must be Secure: browsers drop it otherwise"
            }
        }
    }
}

impl CookieOptions {
    /// What [`check`](Self::check) finds wrong, for a caller that names the setting at fault.
    pub(crate) const fn problem(&self) -> Result<(), CookieProblem> {
        let name = text(&self.name);
        let path = text(&self.path);
        if !is_cookie_name(name) {
            return Err(CookieProblem::Name);
        }
        if !is_cookie_path(path) {
            return Err(CookieProblem::Path);
        }
        if let Some(domain) = &self.domain
            && !is_cookie_domain(text(domain))
        {
            return Err(CookieProblem::Domain);
        }
        if let Some(max_age) = self.max_age {
            if max_age.as_secs() == 0 {
                return Err(CookieProblem::MaxAge);
            }
            if max_age.as_secs() > MAX_COOKIE_LIFETIME_SECS {
                return Err(CookieProblem::MaxAgeTooLong);
            }
        }
        if matches!(self.same_site, SameSite::None) && !self.secure {
            return Err(CookieProblem::SameSiteNoneWithoutSecure);
        }
        if has_host_prefix(name) && (!self.secure || !is_root_path(path) || self.domain.is_some()) {
            return Err(CookieProblem::HostPrefix);
        }
        if starts_with_ignoring_case(name.as_bytes(), b"__Secure-") && !self.secure {
            return Err(CookieProblem::SecurePrefix);
        }
        Ok(())
    }
}

/// The text of a name, path or domain, in a `const fn` (where `Deref` cannot be called).
#[expect(
    clippy::ptr_arg,
    reason = "this is the &Cow-to-&str step, which Deref cannot do in a const fn"
)]
const fn text<'a>(text: &'a Cow<'static, str>) -> &'a str {
    match text {
        Cow::Borrowed(text) => text,
        Cow::Owned(text) => text.as_str(),
    }
}

/// The longest cookie lifetime browsers keep: 400 days (RFC 6265bis).
const MAX_COOKIE_LIFETIME_SECS: u64 = 400 * 24 * 60 * 60;

/// `bytes` starts with `prefix`, ignoring ASCII case as browsers do for the `__Host-` and
/// `__Secure-` prefixes (RFC 6265bis: `__host-x` gets the rules of `__Host-x`). A `const fn`,
/// unlike `<[u8]>::starts_with`.
const fn starts_with_ignoring_case(bytes: &[u8], prefix: &[u8]) -> bool {
    if bytes.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if !bytes[i].eq_ignore_ascii_case(&prefix[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `name` has the `__Host-` prefix (in any letter case, as browsers match it): such a
/// cookie can be set only by the host itself, over HTTPS, for `Path=/` — never by a subdomain.
pub(crate) const fn has_host_prefix(name: &str) -> bool {
    starts_with_ignoring_case(name.as_bytes(), b"__Host-")
}

const fn is_root_path(path: &str) -> bool {
    matches!(path.as_bytes(), [b'/'])
}

/// Whether `name` is a valid cookie name: a non-empty RFC 6265 token.
pub(crate) const fn is_cookie_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let ok = matches!(bytes[i],
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z'
            | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.'
            | b'^' | b'_' | b'`' | b'|' | b'~');
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

const fn is_cookie_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    if bytes.is_empty() || bytes[0] != b'/' {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x21 || bytes[i] > 0x7e || bytes[i] == b';' {
            return false;
        }
        i += 1;
    }
    true
}

const fn is_cookie_domain(domain: &str) -> bool {
    let bytes = domain.as_bytes();
    if bytes.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'.') {
            return false;
        }
        i += 1;
    }
    true
}

impl CookieOptions {
    /// The `Set-Cookie` value that sets the cookie to `value`, with `Max-Age` when the cookie has
    /// one. `None` when the text is not a valid header value (only a spec the checks did not see,
    /// since values are base64url tokens).
    pub(crate) fn set_cookie(&self, value: &str) -> Option<HeaderValue> {
        let mut cookie = self.cookie(value);
        if let Some(max_age) = self.max_age {
            let seconds = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
            cookie.set_max_age(time::Duration::seconds(seconds));
        }
        HeaderValue::try_from(cookie.to_string()).ok()
    }

    /// The `Set-Cookie` value that makes the browser delete the cookie (same name, path and
    /// domain; `Max-Age=0` and an `Expires` in 1970, for browsers that read only that).
    pub(crate) fn removal(&self) -> Option<HeaderValue> {
        let mut cookie = self.cookie("");
        cookie.set_max_age(time::Duration::ZERO);
        cookie.set_expires(OffsetDateTime::UNIX_EPOCH);
        HeaderValue::try_from(cookie.to_string()).ok()
    }

    fn cookie<'c>(&'c self, value: &'c str) -> ::cookie::Cookie<'c> {
        let mut cookie = ::cookie::Cookie::new(&*self.name, value);
        cookie.set_http_only(self.http_only);
        cookie.set_same_site(::cookie::SameSite::from(self.same_site));
        cookie.set_secure(self.secure);
        cookie.set_path(&*self.path);
        if let Some(domain) = &self.domain {
            cookie.set_domain(&**domain);
        }
        cookie
    }
}
