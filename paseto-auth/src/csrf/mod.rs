//! Protection against cross-site request forgery, on by default wherever a cookie carries
//! credentials: a browser sends cookies with requests another site makes it send, so a request
//! that changes something must also prove it comes from our own pages.
//!
//! Two forms, as the peers have them:
//!
//! - **A token in a cookie** (`TokenSource::cookie`), as Flask-JWT-Extended does it: the issuer
//!   puts a random `csrf` value inside the token and the same value in a readable cookie
//!   ([`TokenCookie`]); requests with an unsafe method ([`CsrfSettings::methods`]: POST, PUT,
//!   PATCH, DELETE) must send it back in a header (`X-CSRF-Token`), compared in constant time with
//!   the value inside the *verified* token. A token from the `Authorization` header needs no check:
//!   no browser sends that header on its own.
//! - **Forms of session and login apps**: [`CsrfLayer`] keeps a random value in its own cookie and
//!   gives it to handlers as [`CsrfToken`], to put in a hidden form field; an unsafe request must
//!   send it back in the field (`csrf_token`) or the header. The cookie is `__Host-csrf` by
//!   default, which no other site or subdomain can set (cookie tossing); over plain http
//!   (`CsrfLayer::secure(false)`) it is `csrf`, with a warning at start-up. An unsafe request with
//!   two cookies of that name is refused, never answered by picking one. Logging in and out
//!   rotate the value ([`CsrfToken::rotate`], called by `Session::renew`/`clear` and the login
//!   manager's `LoginSession`), so a value fixed before the login is not the session's.
//!
//! Each route uses one of the two: `CsrfLayer` around the routes that take forms, the token
//! check (always on) for the routes a cookie token authenticates; a route under both would need
//! two different values in one header.
//!
//! In both, before any value is compared, an unsafe request that is not shown to come from the
//! site's own pages is refused by the crate's one origin policy (which the refresh endpoint's
//! cookie check applies too, more strictly), after OWASP's CSRF cheat sheet:
//! `Sec-Fetch-Site: same-origin` or `none` passes; `same-site` passes only with an `Origin` that
//! is the request's own or a trusted one (a sibling subdomain is the same site); `cross-site`
//! only with a trusted `Origin`; without Fetch Metadata, an `Origin` other than the request's
//! host or a trusted one is refused. Every failure is HTTP 403:
//! `{"error": "csrf_token_invalid"}` or `{"error": "cross_site_request"}`.
//!
//! Settings, with Flask-JWT-Extended's names where it has them ([`CsrfSettings::from_env`]):
//! `PASETO_CSRF_METHODS` (`JWT_CSRF_METHODS`), `PASETO_CSRF_HEADER_NAME`
//! (`JWT_ACCESS_CSRF_HEADER_NAME`), `PASETO_CSRF_COOKIE_NAME` (`JWT_ACCESS_CSRF_COOKIE_NAME`),
//! `PASETO_CSRF_FIELD_NAME` (`JWT_ACCESS_CSRF_FIELD_NAME`), `PASETO_COOKIE_CSRF_PROTECT`
//! (`JWT_COOKIE_CSRF_PROTECT`), and `PASETO_CSRF_TRUSTED_ORIGINS`; [`CsrfLayer::from_env`] also
//! reads `PASETO_CSRF_FORM_COOKIE_SECURE`.

mod layer;
mod settings;
mod token_cookie;
mod value;

pub use layer::{CsrfLayer, CsrfService, CsrfToken};
pub use settings::CsrfSettings;
pub use token_cookie::{IssuedCookie, RemovedCookies, TokenCookie};
pub use value::CsrfValue;

use axum::http::request::Parts;

use crate::http::origin::{Policy, is_cross_site};
use crate::{CsrfError, Error, Result};

/// The check of a request authenticated by a token from a cookie: nothing for a safe method;
/// otherwise not cross-site, and the header holds the value of the token's `csrf` claim.
pub(crate) fn check_token_request(
    settings: &CsrfSettings,
    parts: &Parts,
    claims: &serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    if !settings.protects(&parts.method) {
        return Ok(());
    }
    if is_cross_site(parts, settings.trusted_origins(), Policy::Csrf) {
        return Err(Error::Csrf(CsrfError::CrossSiteRequest));
    }
    let Some(serde_json::Value::String(expected)) = claims.get(crate::CSRF_CLAIM) else {
        return Err(Error::Csrf(CsrfError::CsrfTokenInvalid(
            "the token in the cookie carries no csrf value",
        )));
    };
    let sent = parts
        .headers
        .get(settings.header())
        .ok_or(CsrfError::CsrfTokenInvalid("the CSRF header is missing"))?;
    if value::same(sent.as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(Error::Csrf(CsrfError::CsrfTokenInvalid(
            "the CSRF header does not match the token",
        )))
    }
}
