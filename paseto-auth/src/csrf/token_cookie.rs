//! Issuing a token into a cookie with its CSRF value beside it, and taking both away.

use std::borrow::Cow;

use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponseParts, ResponseParts};
use serde::Serialize;

use super::{CsrfSettings, CsrfValue};
use crate::cookie::CookieOptions;
use crate::{Error, Result};
use crate::{Issuer, TokenOptions};

/// A token cookie (HttpOnly) and the readable cookie holding its CSRF value, written together:
/// what a browser app's login answers with, for a verifier reading
/// [`TokenSource::cookie`](crate::extract::TokenSource::cookie).
///
/// Both cookies have the token cookie's [`CookieOptions`] (the CSRF value's is named by the
/// [`CsrfSettings`] and is not `HttpOnly`: the page's script reads it); set `max_age` to the
/// token's lifetime to keep them past the browser session.
///
/// ```
/// use axum::response::{IntoResponse, Redirect};
/// use paseto_auth::cookie::CookieOptions;
/// use paseto_auth::csrf::TokenCookie;
/// use paseto_auth::{Issuer, TokenOptions};
///
/// async fn login(issuer: &Issuer) -> paseto_auth::Result<impl IntoResponse> {
///     let cookie = TokenCookie::new(CookieOptions::new("paseto"))?;
///     let issued = cookie.issue(issuer, &serde_json::json!({"user": "alice"}), TokenOptions::new())?;
///     // `issued.csrf()` is also what a page's script sends back in `X-CSRF-Token`.
///     Ok((issued, Redirect::to("/")))
/// }
/// ```
#[derive(Debug, Clone)]
pub struct TokenCookie {
    cookie: CookieOptions,
    csrf: CsrfSettings,
}

impl TokenCookie {
    /// The token in the cookie `cookie` (which must be `HttpOnly`: a script that could read
    /// the token could send it anywhere), its CSRF value in `csrf_access_token`. An error when
    /// browsers would refuse either cookie.
    pub fn new(cookie: CookieOptions) -> Result<Self> {
        let cookie = TokenCookie {
            cookie,
            csrf: CsrfSettings::new(),
        };
        cookie.check()?;
        Ok(cookie)
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
            header(self.cookie.set_cookie(&token))?,
            header(self.csrf_cookie().set_cookie(csrf.as_str()))?,
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
            header(self.cookie.removal())?,
            header(self.csrf_cookie().removal())?,
        ]))
    }

    /// The readable cookie of the CSRF value: the token cookie's options, its own name.
    fn csrf_cookie(&self) -> CookieOptions {
        CookieOptions {
            name: Cow::Owned(self.csrf.cookie().to_owned()),
            http_only: false,
            ..self.cookie.clone()
        }
    }

    fn check(&self) -> Result<()> {
        if !self.cookie.http_only {
            return Err(Error::Setup(format!(
                "cookie {:?}: a token cookie must be HttpOnly: scripts must not read the token",
                self.cookie.name
            )));
        }
        for cookie in [&self.cookie, &self.csrf_cookie()] {
            cookie
                .check()
                .map_err(|problem| Error::Setup(format!("cookie {:?}: {problem}", cookie.name)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_cookie_must_be_http_only_and_both_cookies_acceptable() {
        assert!(TokenCookie::new(CookieOptions::new("paseto")).is_ok());
        let err = TokenCookie::new(CookieOptions::new("paseto").http_only(false)).unwrap_err();
        assert!(err.to_string().contains("HttpOnly"), "{err}");
        assert!(TokenCookie::new(CookieOptions::new("bad name")).is_err());
        // The CSRF value's cookie has the token cookie's attributes: a __Host- name needs them.
        let settings = CsrfSettings::new().cookie_name("__Host-csrf").unwrap();
        let cookie = TokenCookie::new(CookieOptions::new("paseto").path("/app"))
            .unwrap()
            .csrf_settings(settings);
        assert!(cookie.check().is_err());
        assert_eq!(cookie.csrf_cookie().name, "__Host-csrf");
        assert!(!cookie.csrf_cookie().http_only);
    }
}
