//! A session type's cookie: its name, lifetime and attributes, written as a `const`.

use std::time::Duration;

/// Lifetime of the token inside a browser-session cookie (one whose [`SessionSpec::max_age`] is
/// `None`): one day.
///
/// The browser forgets such a cookie when it closes, but a copied cookie must not work forever, so
/// its token still carries an `exp`. With [`SessionSpec::rolling`] the day starts again at every
/// request that reads the session.
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

/// How a session type is stored: the cookie's name, lifetime and attributes.
///
/// Built with `const fn`s, so it can be the `SPEC` constant of
/// [`SessionData`](super::SessionData). The defaults are the safe ones: `HttpOnly`,
/// `SameSite=Lax`, `Secure`, `Path=/`, no `Domain`, a browser-session cookie (no `Max-Age`), not
/// rolling. The fields are public to read; build a value with [`SessionSpec::new`] and the
/// setters.
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::session::{SameSite, SessionSpec};
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
    /// cookie whose token lives [`DEFAULT_BROWSER_SESSION_LIFETIME`].
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
    /// [`DEFAULT_BROWSER_SESSION_LIFETIME`] for a browser-session cookie.
    pub const fn token_lifetime(&self) -> Duration {
        match self.max_age {
            Some(max_age) => max_age,
            None => DEFAULT_BROWSER_SESSION_LIFETIME,
        }
    }

    /// Checks that the spec makes a cookie browsers accept: the name is an RFC 6265 token, the
    /// path starts with `/`, the domain is a host name, `max_age` is at least a second, and
    /// `SameSite=None` comes with `Secure`. Returns what is wrong.
    ///
    /// The [`Session`](super::Session) extractor refuses a spec that fails this check (HTTP 500),
    /// so a mistake shows at the first request rather than as a cookie the browser ignores.
    pub const fn check(&self) -> Result<(), &'static str> {
        match self.attributes().check() {
            Ok(()) => Ok(()),
            Err(problem) => Err(problem.message()),
        }
    }

    /// The cookie's name and attributes, as `Set-Cookie` writes them.
    pub(crate) const fn attributes(&self) -> CookieAttributes<'static> {
        CookieAttributes {
            name: self.cookie,
            max_age: self.max_age,
            path: self.path,
            domain: self.domain,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
        }
    }
}

/// A cookie's name and attributes, borrowed from a [`SessionSpec`] or from the login manager's
/// cookie settings: what `Set-Cookie` is written from and what [`CookieAttributes::check`] checks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CookieAttributes<'a> {
    pub(crate) name: &'a str,
    pub(crate) max_age: Option<Duration>,
    pub(crate) path: &'a str,
    pub(crate) domain: Option<&'a str>,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: SameSite,
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

impl CookieAttributes<'_> {
    /// Checks that browsers accept the cookie: the name is an RFC 6265 token, the path starts
    /// with `/`, the domain is a host name, `max_age` is at least a second, and `SameSite=None`
    /// comes with `Secure`.
    pub(crate) const fn check(&self) -> Result<(), CookieProblem> {
        if !is_cookie_name(self.name) {
            return Err(CookieProblem::Name);
        }
        if !is_cookie_path(self.path) {
            return Err(CookieProblem::Path);
        }
        if let Some(domain) = self.domain
            && !is_cookie_domain(domain)
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
        let name = self.name.as_bytes();
        if starts_with_ignoring_case(name, b"__Host-")
            && (!self.secure || !is_root_path(self.path) || self.domain.is_some())
        {
            return Err(CookieProblem::HostPrefix);
        }
        if starts_with_ignoring_case(name, b"__Secure-") && !self.secure {
            return Err(CookieProblem::SecurePrefix);
        }
        Ok(())
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

const fn is_root_path(path: &str) -> bool {
    matches!(path.as_bytes(), [b'/'])
}

/// Whether `name` is a valid cookie name: a non-empty RFC 6265 token.
pub const fn is_cookie_name(name: &str) -> bool {
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
