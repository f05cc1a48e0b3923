//! `csrf_form`: form posts through a [`CsrfLayer`] on `oneshot` — the `Cookie` header, the
//! `X-CSRF-Token` header, `Content-Type`, `Origin`, `Sec-Fetch-Site` and the form body.
//!
//! What must hold, against oracles written apart: a request with a safe method always reaches the
//! handler; an unsafe one reaches it only when it is not cross-site (OWASP's table, see
//! `csrf/origin.rs`: a `cross-site` fetch only from the trusted origin, an `Origin` other than the
//! request's own or the trusted one refused unless the browser says `same-origin`/`none`), when
//! exactly one cookie is named `__Host-csrf` (RFC 6265 names) and the value sent back — the header,
//! else the form's first `csrf_token` field — is that cookie's; the handler then gets the body as
//! it was sent; any other request is refused with 403 and a CSRF error code, or 413 for a form
//! over the size limit.
//!
//! Input: a byte of flags (method, which headers are sent), then NUL-separated: the `Cookie`
//! header, the `X-CSRF-Token` header, `Origin`, `Sec-Fetch-Site`, `Content-Type`, the body. Byte
//! `0x01` stands for a valid CSRF value.

use std::sync::OnceLock;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_TYPE, COOKIE, HOST, ORIGIN};
use axum::http::{HeaderValue, Method, Request};
use axum::routing::any;
use paseto_auth::csrf::{CsrfLayer, CsrfSettings};
use tower::ServiceExt;

use crate::Placeholders;
use crate::cookie_header::CSRF_COOKIE;

/// The origin the layer trusts across sites.
pub const TRUSTED: &str = "https://trusted.example";
/// The host the requests are sent to.
pub const HOST_NAME: &str = "app.example";
/// The form limit of the target (small, so that the fuzzer meets it).
pub const MAX_FORM: usize = 1024;
/// A CSRF value of the right shape (placeholder `0x01`).
pub const VALUE: &str = "q9LhXn3qCkYkVb3Jw1rB3s8m0m2QeJxQp1yB9j6QbZs";

fn app() -> &'static Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| {
        let settings = CsrfSettings::new()
            .trusted_origin(TRUSTED)
            .expect("an origin");
        Router::new()
            .route("/", any(|body: Bytes| async move { body }))
            .layer(CsrfLayer::new().settings(settings).max_form_size(MAX_FORM))
    })
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let placeholders = Placeholders::new([VALUE]);
    let [cookie, token, origin, site, content_type, body] = crate::fields::<6>(rest);
    let method =
        [Method::POST, Method::PUT, Method::DELETE, Method::GET][usize::from(flags & 3)].clone();
    let mut request = Request::builder()
        .method(method.clone())
        .uri("/")
        .header(HOST, HOST_NAME);
    let mut sent = |name, value: &[u8], on: bool| -> Option<Vec<u8>> {
        let value = placeholders.expand(value);
        let header = HeaderValue::from_bytes(&value).ok().filter(|_| on)?;
        request = std::mem::take(&mut request).header(name, header);
        Some(value)
    };
    let cookie = sent(COOKIE, cookie, flags & 4 != 0);
    let token = sent(
        "x-csrf-token".parse().expect("a name"),
        token,
        flags & 8 != 0,
    );
    let origin = sent(ORIGIN, origin, flags & 16 != 0);
    let site = sent(
        "sec-fetch-site".parse().expect("a name"),
        site,
        flags & 32 != 0,
    );
    let content_type = sent(CONTENT_TYPE, content_type, flags & 64 != 0);
    let body = placeholders.expand(body);
    let request = request.body(Body::from(body.clone())).expect("a request");
    let response = crate::block_on(app().clone().oneshot(request)).expect("infallible");
    let status = response.status().as_u16();
    let answer =
        crate::block_on(axum::body::to_bytes(response.into_body(), 1 << 20)).expect("a body");
    if method == Method::GET {
        assert_eq!(status, 200, "a safe request was refused");
    }
    match status {
        200 => {
            assert_eq!(answer, body, "the handler got another body than was sent");
            if method == Method::GET {
                return;
            }
            assert!(
                !cross_site(origin.as_deref(), site.as_deref()),
                "a cross-site request passed: origin {origin:?}, site {site:?}"
            );
            let pairs = crate::cookies::pairs(cookie.as_deref());
            let named = crate::cookies::values(&pairs, CSRF_COOKIE);
            let [cookie_value] = named[..] else {
                panic!(
                    "a request passed with {} CSRF cookies: {cookie:?}",
                    named.len()
                );
            };
            let sent_back = match &token {
                Some(token) => token.clone(),
                None => {
                    assert!(
                        is_form(content_type.as_deref()),
                        "a value from a non-form body"
                    );
                    form_urlencoded::parse(&body)
                        .find(|(name, _)| name == "csrf_token")
                        .map(|(_, value)| value.into_owned().into_bytes())
                        .expect("a form with the value")
                }
            };
            assert_eq!(
                sent_back,
                cookie_value.as_bytes(),
                "a value other than the cookie's"
            );
        }
        403 => {
            let refusal: serde_json::Value = serde_json::from_slice(&answer).expect("JSON");
            let code = refusal["error"].as_str().unwrap_or_default();
            assert!(
                matches!(code, "csrf_token_invalid" | "cross_site_request"),
                "refused with {refusal}"
            );
        }
        413 => assert!(
            body.len() > MAX_FORM && token.is_none() && is_form(content_type.as_deref()),
            "413 for a request that is no form over the limit"
        ),
        other => panic!("answered {other}"),
    }
}

/// Whether `Content-Type` names a form, whatever its case and parameters.
fn is_form(content_type: Option<&[u8]>) -> bool {
    let Some(text) = content_type.and_then(|c| std::str::from_utf8(c).ok()) else {
        return false;
    };
    let mime = text.split(';').next().unwrap_or_default().trim();
    mime.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// OWASP's table (see the module docs): whether an unsafe request is cross-site. An `Origin`
/// that is not visible ASCII is no browser's (origins are serialized in ASCII) and counts as none.
fn cross_site(origin: Option<&[u8]>, site: Option<&[u8]>) -> bool {
    let origin = origin
        .filter(|o| o.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b)))
        .and_then(|o| std::str::from_utf8(o).ok());
    let trusted = origin.is_some_and(|o| o.eq_ignore_ascii_case(TRUSTED));
    let own = origin.is_some_and(|o| {
        o.split_once("://")
            .is_some_and(|(_, host)| host.eq_ignore_ascii_case(HOST_NAME))
    });
    match site.map(|s| String::from_utf8_lossy(s).to_ascii_lowercase()) {
        None => origin.is_some() && !trusted && !own,
        Some(site) if site == "same-origin" || site == "none" => false,
        Some(site) if site == "cross-site" => !trusted,
        Some(_) => !trusted && !own,
    }
}
