//! Issuing a token into a cookie with its CSRF value beside it, and taking both away.

use std::time::Duration;

use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponseParts, ResponseParts};
use serde::Serialize;

use super::{CsrfSettings, CsrfValue};
use crate::cookie::{CookieAttributes, SameSite};
use crate::error::{Error, Result};
use crate::issuer::{Issuer, TokenOptions};

/// A token cookie (HttpOnly) and the readable cookie holding its CSRF value, written together:
/// what a browser app's login answers with, for a verifier reading
/// [`TokenSource::cookie`](crate::extract::TokenSource::cookie).
///
/// ```
/// use axum::response::{IntoResponse, Redirect};
/// use paseto_auth::csrf::TokenCookie;
/// use paseto_auth::{Issuer, TokenOptions};
///
/// async fn login(issuer: &Issuer) -> paseto_auth::Result<impl IntoResponse> {
///     let cookie = TokenCookie::new("paseto")?.secure(true);
///     let issued = cookie.issue(issuer, &serde_json::json!({"user": "alice"}), TokenOptions::new())?;
///     // `issued.csrf()` is also what a page's script sends back in `X-CSRF-Token`.
///     Ok((issued, Redirect::to("/")))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct TokenCookie {
    name: String,
    csrf: CsrfSettings,
    path: String,
    secure: bool,
    same_site: SameSite,
    max_age: Option<Duration>,
}

impl TokenCookie {
    /// A cookie `name`: `Path=/`, `SameSite=Lax`, not `Secure` (set [`secure`](Self::secure)
    /// in production), ending with the browser session; its CSRF value in `csrf_access_token`.
    pub fn new(name: impl Into<String>) -> Result<Self> {
        let cookie = TokenCookie {
            name: name.into(),
            csrf: CsrfSettings::new(),
            path: "/".to_owned(),
            secure: false,
            same_site: SameSite::Lax,
            max_age: None,
        };
        cookie.check()?;
        Ok(cookie)
    }

    /// Sends both cookies over HTTPS only.
    #[must_use]
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The cookies' `SameSite`.
    #[must_use]
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// Keeps the cookies `max_age` (best: the token's lifetime) rather than for the browser
    /// session.
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// The CSRF settings (their cookie name is the readable cookie's).
    #[must_use]
    pub fn csrf_settings(mut self, settings: CsrfSettings) -> Self {
        self.csrf = settings;
        self
    }

    /// Issues a token for `claims` with a new CSRF value inside, and the two cookies.
    pub fn issue<C: Serialize + ?Sized>(
        &self,
        issuer: &Issuer,
        claims: &C,
        options: TokenOptions,
    ) -> Result<IssuedCookie> {
        self.check()?;
        let csrf = CsrfValue::generate()?;
        let token = issuer.issue_with(claims, options.csrf(csrf.as_str()))?;
        let set_cookies = [
            header(self.attributes(&self.name, true).set_cookie(&token))?,
            header(
                self.attributes(self.csrf.cookie(), false)
                    .set_cookie(csrf.as_str()),
            )?,
        ];
        Ok(IssuedCookie {
            token,
            csrf,
            set_cookies,
        })
    }

    /// Deletes both cookies (logout).
    pub fn removal(&self) -> Result<RemovedCookies> {
        Ok(RemovedCookies([
            header(self.attributes(&self.name, true).removal())?,
            header(self.attributes(self.csrf.cookie(), false).removal())?,
        ]))
    }

    fn attributes<'a>(&'a self, name: &'a str, http_only: bool) -> CookieAttributes<'a> {
        CookieAttributes {
            name,
            max_age: self.max_age,
            path: &self.path,
            domain: None,
            secure: self.secure,
            http_only,
            same_site: self.same_site,
        }
    }

    fn check(&self) -> Result<()> {
        for name in [self.name.as_str(), self.csrf.cookie()] {
            self.attributes(name, true).check().map_err(|problem| {
                Error::Setup(format!("cookie {name:?}: {}", problem.message()))
            })?;
        }
        Ok(())
    }
}

fn header(value: Option<HeaderValue>) -> Result<HeaderValue> {
    value.ok_or_else(|| Error::Setup("a cookie could not be written as a header".into()))
}

/// What [`TokenCookie::issue`] made: the token, its CSRF value, and the two `Set-Cookie`
/// headers it adds to a response (it is `IntoResponseParts`).
#[derive(Debug)]
pub struct IssuedCookie {
    token: String,
    csrf: CsrfValue,
    set_cookies: [HeaderValue; 2],
}

impl IssuedCookie {
    /// The token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The CSRF value, for a page that sends it back in the header.
    pub fn csrf(&self) -> &str {
        self.csrf.as_str()
    }
}

impl IntoResponseParts for IssuedCookie {
    type Error = std::convert::Infallible;

    fn into_response_parts(
        self,
        mut res: ResponseParts,
    ) -> std::result::Result<ResponseParts, Self::Error> {
        for value in self.set_cookies {
            res.headers_mut().append(SET_COOKIE, value);
        }
        Ok(res)
    }
}

/// The removals [`TokenCookie::removal`] adds to a response.
#[derive(Debug)]
pub struct RemovedCookies([HeaderValue; 2]);

impl IntoResponseParts for RemovedCookies {
    type Error = std::convert::Infallible;

    fn into_response_parts(
        self,
        mut res: ResponseParts,
    ) -> std::result::Result<ResponseParts, Self::Error> {
        for value in self.0 {
            res.headers_mut().append(SET_COOKIE, value);
        }
        Ok(res)
    }
}
