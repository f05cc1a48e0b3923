//! `refresh_body`: requests to the token endpoint ([`RefreshEndpoint`], with the refresh cookie
//! on) on `oneshot` — the method, `Content-Type`, the JSON or form body, the `Cookie` header,
//! `X-Requested-With` and `Sec-Fetch-Site`.
//!
//! What must hold: every answer carries `Cache-Control: no-store`; a method other than `POST` is
//! 405; a new pair (200) is handed out only for the one valid refresh token, presented in the body
//! (JSON `refresh_token`, or the form's last `refresh_token` field, with no other `grant_type`
//! than `refresh_token`) or, with an empty body, as the one cookie named
//! `__Secure-refresh_token` (RFC 6265 names) of a request that says `X-Requested-With` and comes
//! from the same origin — a cookie refresh answered in the cookie, a body refresh in the body —
//! and its access token verifies; anything else is a 400 or 403 with an RFC 6749 error code,
//! never a 5xx.
//!
//! Input: a byte of flags (method, which headers are sent), then NUL-separated: `Content-Type`,
//! the `Cookie` header, `Sec-Fetch-Site`, the body. Bytes `0x01` and `0x02` stand for the refresh
//! and access tokens of a pair issued for the input (each input gets a store of its own, so a
//! refresh never depends on the inputs before it).

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, Method, Request};
use paseto_auth::refresh::{self, RefreshEndpoint, RefreshTokens};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::{Issuer, PairOptions, Requirements, Verifier, Version};
use serde_json::Value;
use tower::ServiceExt;

use crate::keys;
use crate::verifiers::ISSUER;

/// The refresh cookie's name (the default).
pub const REFRESH_COOKIE: &str = "__Secure-refresh_token";

struct Fixture {
    issuer: Issuer,
    verifier: Verifier,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| Fixture {
        issuer: Issuer::builder()
            .issuer(ISSUER)
            .key(keys::secret(Version::V4))
            .build()
            .expect("an issuer"),
        verifier: Verifier::builder()
            .public_key(keys::public(Version::V4), ISSUER)
            .cache_size(0)
            .build()
            .expect("a verifier"),
    })
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let fixture = fixture();
    let tokens = RefreshTokens::new(fixture.issuer.clone(), Revocations::new(MemoryStore::new()))
        .expect("refresh tokens");
    let endpoint = RefreshEndpoint::new(tokens)
        .cookie(refresh::REFRESH_COOKIE)
        .expect("the default cookie");
    let pair = fixture
        .issuer
        .issue_pair(&serde_json::json!({}), PairOptions::new().subject("alice"))
        .expect("a pair");
    let placeholders =
        crate::Placeholders::new([pair.refresh_token.clone(), pair.access_token.clone()]);
    let [content_type, cookie, site, body] = crate::fields::<4>(rest);
    let method =
        [Method::POST, Method::GET, Method::PUT, Method::POST][usize::from(flags & 3)].clone();
    let mut builder = Request::builder()
        .method(method.clone())
        .uri("/token/refresh");
    let mut sent = |name: &str, value: &[u8], on: bool| -> Option<Vec<u8>> {
        let value = placeholders.expand(value);
        let header = HeaderValue::from_bytes(&value).ok().filter(|_| on)?;
        builder = std::mem::take(&mut builder).header(name, header);
        Some(value)
    };
    let content_type = sent(CONTENT_TYPE.as_str(), content_type, flags & 4 != 0);
    let cookie = sent(COOKIE.as_str(), cookie, flags & 8 != 0);
    let site = sent("sec-fetch-site", site, flags & 16 != 0);
    let requested_with = sent("x-requested-with", b"fetch", flags & 32 != 0).is_some();
    let body = placeholders.expand(body);
    let request = builder.body(Body::from(body.clone())).expect("a request");
    let response = crate::block_on(endpoint.oneshot(request)).expect("infallible");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    assert_eq!(
        headers.get(CACHE_CONTROL).map(HeaderValue::as_bytes),
        Some(&b"no-store"[..]),
        "an answer without Cache-Control: no-store ({status})"
    );
    let answer =
        crate::block_on(axum::body::to_bytes(response.into_body(), 1 << 20)).expect("a body");
    if method != Method::POST {
        assert_eq!(status, 405, "a {method} was answered {status}");
        return;
    }
    let refresh = pair.refresh_token.as_str();
    match status {
        200 => {
            let new: Value = serde_json::from_slice(&answer).expect("JSON");
            let access = new["access_token"].as_str().expect("an access token");
            fixture
                .verifier
                .verify_untyped(access, &Requirements::new())
                .expect("the new access token verifies");
            if body.is_empty() {
                // A cookie refresh: the one cookie of that name, from a page of this origin.
                let pairs = crate::cookies::pairs(cookie.as_deref());
                let named = crate::cookies::values(&pairs, REFRESH_COOKIE);
                assert_eq!(
                    named,
                    [refresh],
                    "a cookie refresh with {named:?}: {cookie:?}"
                );
                assert!(requested_with, "a cookie refresh without X-Requested-With");
                assert!(
                    site.as_deref().is_none_or(|site| site == b"same-origin"),
                    "a cookie refresh from {site:?}"
                );
                assert!(
                    new.get("refresh_token").is_none(),
                    "a cookie's token in the body"
                );
                assert!(
                    headers.get_all(SET_COOKIE).iter().any(|value| value
                        .as_bytes()
                        .starts_with(format!("{REFRESH_COOKIE}=").as_bytes())),
                    "a cookie refresh answered without the cookie"
                );
            } else {
                assert_eq!(
                    presented(content_type.as_deref(), &body).as_deref(),
                    Some(refresh),
                    "a pair for a body that does not present the refresh token"
                );
                assert!(
                    new["refresh_token"].is_string(),
                    "a body refresh without its token"
                );
            }
        }
        400 | 403 => {
            let refusal: Value = serde_json::from_slice(&answer).expect("JSON");
            let code = refusal["error"].as_str().unwrap_or_default();
            assert!(
                matches!(
                    code,
                    "invalid_request" | "invalid_grant" | "unsupported_grant_type"
                ),
                "refused with {refusal}"
            );
        }
        other => panic!("answered {other}: {}", String::from_utf8_lossy(&answer)),
    }
}

/// The refresh token a body presents, read as RFC 6749 (section 6) has it: a form's
/// `refresh_token` (the last one) with no other `grant_type`, or the JSON equivalent.
fn presented(content_type: Option<&[u8]>, body: &[u8]) -> Option<String> {
    let mime = std::str::from_utf8(content_type?)
        .ok()?
        .split(';')
        .next()?
        .trim()
        .to_ascii_lowercase();
    let (token, grant) = match mime.as_str() {
        "application/json" => {
            let value: Value = serde_json::from_slice(body).ok()?;
            let grant = match value.get("grant_type") {
                None | Some(Value::Null) => None,
                Some(grant) => Some(grant.as_str()?.to_owned()),
            };
            (value.get("refresh_token")?.as_str()?.to_owned(), grant)
        }
        "application/x-www-form-urlencoded" => {
            let (mut token, mut grant) = (None, None);
            for (name, value) in form_urlencoded::parse(body) {
                match name.as_ref() {
                    "refresh_token" => token = Some(value.into_owned()),
                    "grant_type" => grant = Some(value.into_owned()),
                    _ => {}
                }
            }
            (token?, grant)
        }
        _ => return None,
    };
    grant
        .is_none_or(|grant| grant == "refresh_token")
        .then_some(token)
}
