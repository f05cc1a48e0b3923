//! A cookie's name and attributes: the checks that keep browsers from refusing or ignoring it
//! (RFC 6265 names, paths and domains, the 400-day cap, `SameSite=None` with `Secure`, the
//! `__Host-`/`__Secure-` prefix rules), and the `Set-Cookie` header values written from them.
//!
//! The checks are `const fn`s, so a session type's cookie is checked at compile time.
//! `Set-Cookie` values are built with the `cookie` crate, the ecosystem's standard: they are
//! written only when a cookie changes, so the crate's allocations cost nothing on the read path.

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

/// A cookie's name and attributes, borrowed from a session's spec or from the login manager's
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
        if has_host_prefix(self.name)
            && (!self.secure || !is_root_path(self.path) || self.domain.is_some())
        {
            return Err(CookieProblem::HostPrefix);
        }
        if starts_with_ignoring_case(self.name.as_bytes(), b"__Secure-") && !self.secure {
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

impl CookieAttributes<'_> {
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

    fn cookie<'c>(&self, value: &'c str) -> ::cookie::Cookie<'c>
    where
        Self: 'c,
    {
        let mut cookie = ::cookie::Cookie::new(self.name, value);
        cookie.set_http_only(self.http_only);
        cookie.set_same_site(::cookie::SameSite::from(self.same_site));
        cookie.set_secure(self.secure);
        cookie.set_path(self.path);
        if let Some(domain) = self.domain {
            cookie.set_domain(domain);
        }
        cookie
    }
}
