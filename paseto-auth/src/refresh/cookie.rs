//! The refresh token in a cookie, for browsers: `HttpOnly` (scripts never see it), `Secure` with
//! the `__Secure-` prefix (a plain-http attacker cannot plant one), `SameSite=Strict`, sent only
//! to the refresh endpoint's path, and living as long as the refresh token.

use std::borrow::Cow;
use std::time::Duration;

use crate::cookie::{CookieOptions, SameSite};
use crate::{Error, Result};

/// The refresh cookie's defaults: `__Secure-refresh_token`, `Path=/token/refresh` (where the
/// refresh endpoint is mounted, so the cookie goes with no other request), `Secure`,
/// `HttpOnly`, `SameSite=Strict` (no cross-site request carries it), no `Domain`; its `Max-Age`
/// is the refresh token's lifetime. Change what differs, e.g. the path, and give it to
/// [`RefreshEndpoint::cookie`](super::RefreshEndpoint::cookie); for plain-http development drop
/// the prefix along with `Secure`.
///
/// ```
/// use paseto_auth::refresh::REFRESH_COOKIE;
/// let cookie = REFRESH_COOKIE.path("/api/token/refresh");
/// assert_eq!(cookie.name, "__Secure-refresh_token");
/// ```
pub const REFRESH_COOKIE: CookieOptions = CookieOptions {
    name: Cow::Borrowed("__Secure-refresh_token"),
    max_age: None,
    path: Cow::Borrowed("/token/refresh"),
    domain: None,
    secure: true,
    http_only: true,
    same_site: SameSite::Strict,
};

/// The refresh cookie of `options`: `HttpOnly`, and, unless set, living `lifetime` (the refresh
/// token's). An error when it is not `HttpOnly` or browsers would refuse it.
pub(super) fn refresh_cookie(
    mut options: CookieOptions,
    lifetime: Duration,
) -> Result<CookieOptions> {
    if !options.http_only {
        return Err(Error::Setup(
            "refresh cookie: must be HttpOnly: scripts must never read a refresh token".into(),
        ));
    }
    options.max_age = options.max_age.or(Some(lifetime));
    options
        .check()
        .map_err(|problem| Error::Setup(format!("refresh cookie: {problem}")))?;
    Ok(options)
}
