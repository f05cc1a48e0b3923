//! Helpers for an application's own tests (feature `testing`, for `[dev-dependencies]`): an
//! ephemeral key with its [`Issuer`] and a matching [`PasetoAuth`] in one call, requests
//! carrying a token in the `Authorization` header or in a cookie (with its CSRF value), and a
//! logged-in login-manager cookie for a user
//! ([`LoginManagerLayer::login_cookie`](crate::login::LoginManagerLayer::login_cookie)).
//!
//! A guarded route, tested in five lines:
//!
//! ```
//! # use axum::{Router, routing::get};
//! # use paseto_auth::{Paseto, paseto_required};
//! # #[paseto_required(aud = "api")]
//! # async fn me(token: Paseto<serde_json::Value>) -> String { token.registered.sub.unwrap_or_default() }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use paseto_auth::testing::TestAuth;
//! use tower::ServiceExt;
//!
//! let test = TestAuth::new();
//! let app = Router::new().route("/me", get(me)).with_state(test.auth());
//! let request = test.get("/me", &serde_json::json!({"sub": "alice", "aud": "api"}));
//! let response = app.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//! # }
//! ```
//!
//! These helpers panic on failure (a test's way of failing); they hold keys that live only as
//! long as the test, and are not meant for production code.

// A test helper that cannot do its job fails the test, as an assertion does.
#![allow(clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{Method, Request};
use serde::Serialize;

use crate::Verifier;
use crate::Version;
use crate::cookie::CookieOptions;
use crate::csrf::TokenCookie;
use crate::extract::{PasetoAuth, TokenSource};
use crate::key::SecretKey;
use crate::{Issuer, TokenOptions};

/// The issuer name of [`TestAuth`]'s tokens.
pub const TEST_ISSUER: &str = "https://issuer.test";

/// The cookie [`TestAuth::cookie_request`] puts tokens in, which [`TestAuth::auth`] reads
/// (after the `Authorization` header).
pub const TEST_TOKEN_COOKIE: &str = "paseto";

/// An ephemeral v4 key, an [`Issuer`] signing with it as [`TEST_ISSUER`], and a [`PasetoAuth`]
/// trusting it, with detailed error bodies (`kind`, `detail`) for readable test failures.
#[derive(Debug, Clone)]
pub struct TestAuth {
    issuer: Issuer,
    auth: PasetoAuth,
    cookie: TokenCookie,
}

impl Default for TestAuth {
    fn default() -> Self {
        Self::new()
    }
}

impl TestAuth {
    /// A new key, issuer and verifier.
    ///
    /// # Panics
    /// If the operating system gives no randomness for the key.
    pub fn new() -> Self {
        let key = SecretKey::generate(Version::V4).expect("a test key");
        let issuer = Issuer::builder()
            .issuer(TEST_ISSUER)
            .key(key.clone())
            .build()
            .expect("a test issuer");
        let verifier = Verifier::builder()
            .public_key(key.public_key().clone(), TEST_ISSUER)
            .build()
            .expect("a test verifier");
        let source =
            TokenSource::any_of([TokenSource::Header, TokenSource::cookie(TEST_TOKEN_COOKIE)]);
        TestAuth {
            issuer,
            auth: PasetoAuth::new(verifier)
                .token_source(source)
                .detailed_errors(true),
            cookie: TokenCookie::new(CookieOptions::new(TEST_TOKEN_COOKIE).secure(false))
                .expect("a valid cookie name"),
        }
    }

    /// The issuer.
    pub fn issuer(&self) -> &Issuer {
        &self.issuer
    }

    /// The `PasetoAuth` to put in the router state (or to build it from): it reads the
    /// `Authorization` header, then the [`TEST_TOKEN_COOKIE`] cookie.
    pub fn auth(&self) -> PasetoAuth {
        self.auth.clone()
    }

    /// A token for `claims` (registered claims such as `sub` and `aud` may be among them).
    ///
    /// # Panics
    /// If `claims` is not a JSON object or uses a reserved claim.
    pub fn token<C: Serialize + ?Sized>(&self, claims: &C) -> String {
        self.token_with(claims, TokenOptions::new())
    }

    /// A token for `claims` with `options` (lifetime, `fresh`, ...).
    ///
    /// # Panics
    /// As [`token`](Self::token).
    pub fn token_with<C: Serialize + ?Sized>(&self, claims: &C, options: TokenOptions) -> String {
        self.issuer
            .issue_with(claims, options)
            .expect("a token for the test's claims")
    }

    /// `Bearer <token>`: the `Authorization` header's value for `claims`.
    pub fn bearer<C: Serialize + ?Sized>(&self, claims: &C) -> String {
        format!("Bearer {}", self.token(claims))
    }

    /// `GET uri` with a token for `claims` in the `Authorization` header.
    pub fn get<C: Serialize + ?Sized>(&self, uri: &str, claims: &C) -> Request<Body> {
        self.request(Method::GET, uri, claims)
    }

    /// `method uri` with a token for `claims` in the `Authorization` header.
    ///
    /// # Panics
    /// If `uri` is not a valid URI.
    pub fn request<C: Serialize + ?Sized>(
        &self,
        method: Method,
        uri: &str,
        claims: &C,
    ) -> Request<Body> {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(AUTHORIZATION, self.bearer(claims))
            .body(Body::empty())
            .expect("a valid request")
    }

    /// `method uri` as a browser sends it after a login that put a token for `claims` in the
    /// [`TEST_TOKEN_COOKIE`] cookie: the token cookie, its CSRF cookie, and the CSRF header
    /// (which unsafe methods need; remove it to test a forged request).
    ///
    /// # Panics
    /// As [`request`](Self::request).
    pub fn cookie_request<C: Serialize + ?Sized>(
        &self,
        method: Method,
        uri: &str,
        claims: &C,
    ) -> Request<Body> {
        let issued = self
            .cookie
            .issue(&self.issuer, claims, TokenOptions::new())
            .expect("a token for the test's claims");
        let csrf = crate::csrf::CsrfSettings::new();
        Request::builder()
            .method(method)
            .uri(uri)
            .header(
                COOKIE,
                format!(
                    "{TEST_TOKEN_COOKIE}={}; {}={}",
                    issued.token(),
                    csrf.cookie(),
                    issued.csrf()
                ),
            )
            .header(csrf.header(), issued.csrf())
            .body(Body::empty())
            .expect("a valid request")
    }
}
