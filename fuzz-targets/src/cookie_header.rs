//! `cookie_header`: the request's `Cookie` headers as the application reads them. The reader is
//! crate-private (it runs on every request and has no API of its own), so it is fuzzed through
//! the public layers that use it — a [`SessionLayer`] with two session types (cookies `cart` and
//! `other`) and a [`CsrfLayer`] (cookie `__Host-csrf`), on `oneshot` — rather than through a
//! `#[doc(hidden)]` entry: that way the property is checked where it matters, on what a handler
//! is given, and the runtime crate keeps no entry point for tests only.
//!
//! What must hold: a cookie header never yields a cookie the application did not set under that
//! name. The session a handler gets is the default or the one the application sealed under that
//! very cookie name, sent under that name as RFC 6265 reads it ([`crate::cookies`]); the CSRF
//! value is a new one, or the value of the one cookie named `__Host-csrf` — never a cookie under
//! another name, such as one whose name only looks like it once trimmed of non-HTTP whitespace
//! (which no `__Host-` prefix check of a browser protected).
//!
//! Input: up to three `Cookie` headers, NUL-separated. Bytes `0x01` to `0x04` stand for cookies
//! the application set when the target started (sessions expire, so they are not in the corpus):
//! the `cart` session `"A"`, the `other` session `"B"`, a `cart` session sealed with another key,
//! and a CSRF value.

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderValue, Request};
use axum::routing::get;
use paseto_auth::cookie::CookieKeys;
use paseto_auth::csrf::{CsrfLayer, CsrfToken};
use paseto_auth::session::{Session, SessionData, SessionLayer, SessionSpec};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

use crate::Placeholders;

/// The CSRF cookie's name (the layer's default).
pub const CSRF_COOKIE: &str = "__Host-csrf";

/// The session stored in the `cart` cookie.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cart {
    /// What the application put in it.
    pub tag: String,
}

impl SessionData for Cart {
    const SPEC: SessionSpec = SessionSpec::new("cart");
}

/// The session stored in the `other` cookie.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Other {
    /// What the application put in it.
    pub tag: String,
}

impl SessionData for Other {
    const SPEC: SessionSpec = SessionSpec::new("other");
}

struct Fixture {
    app: Router,
    /// `cart=…` "A", `other=…` "B", a foreign `cart=…`, a CSRF value: the cookies' values.
    placeholders: Placeholders,
    cart: String,
    other: String,
}

async fn show(cart: Session<Cart>, other: Session<Other>, csrf: CsrfToken) -> String {
    serde_json::json!({"cart": cart.tag, "other": other.tag, "csrf": csrf.value()}).to_string()
}

async fn set(mut cart: Session<Cart>, mut other: Session<Other>) {
    cart.tag = "A".into();
    other.tag = "B".into();
}

fn app(keys: CookieKeys) -> Router {
    Router::new()
        .route("/", get(show))
        .route("/set", get(set))
        .layer(SessionLayer::new(keys))
        .layer(CsrfLayer::new())
}

/// The session cookies `/set` sets with `keys`: cart's and other's values.
fn issued(keys: CookieKeys) -> (String, String) {
    let request = Request::get("/set").body(Body::empty()).expect("a request");
    let response = crate::block_on(app(keys).oneshot(request)).expect("infallible");
    let mut cart = None;
    let mut other = None;
    for header in response.headers().get_all(SET_COOKIE) {
        let text = header.to_str().expect("ASCII");
        let pair = text.split(';').next().unwrap_or_default();
        match pair.split_once('=') {
            Some(("cart", value)) => cart = Some(value.to_owned()),
            Some(("other", value)) => other = Some(value.to_owned()),
            _ => {}
        }
    }
    (
        cart.expect("a cart cookie"),
        other.expect("an other cookie"),
    )
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let keys =
            CookieKeys::from_secret(b"the cookie_header target's secret, 32+ bytes").expect("keys");
        let foreign =
            CookieKeys::from_secret(b"another application's secret, 32+ bytes").expect("keys");
        let (cart, other) = issued(keys.clone());
        let (foreign_cart, _) = issued(foreign);
        let csrf = "q9LhXn3qCkYkVb3Jw1rB3s8m0m2QeJxQp1yB9j6QbZs".to_owned();
        Fixture {
            app: app(keys),
            placeholders: Placeholders::new([cart.clone(), other.clone(), foreign_cart, csrf]),
            cart,
            other,
        }
    })
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let fixture = fixture();
    let [first, second, third] = crate::fields::<3>(data);
    let mut request = Request::get("/").body(Body::empty()).expect("a request");
    let mut sent = Vec::new();
    for header in [first, second, third] {
        let expanded = fixture.placeholders.expand(header);
        // What a client cannot send (control bytes), no server receives.
        if let Ok(value) = HeaderValue::from_bytes(&expanded) {
            request.headers_mut().append(COOKIE, value);
            sent.push(expanded);
        }
    }
    let response = crate::block_on(fixture.app.clone().oneshot(request)).expect("infallible");
    assert_eq!(response.status(), 200);
    let csrf_set = response.headers().get_all(SET_COOKIE).iter().any(|value| {
        value
            .as_bytes()
            .starts_with(format!("{CSRF_COOKIE}=").as_bytes())
    });
    let body =
        crate::block_on(axum::body::to_bytes(response.into_body(), 1 << 16)).expect("a body");
    let seen: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let pairs = crate::cookies::pairs(sent.iter().map(Vec::as_slice));
    // A session is the default, or the application's, sent under its own name.
    for (name, tag, token) in [("cart", "A", &fixture.cart), ("other", "B", &fixture.other)] {
        match seen[name].as_str() {
            Some("") => {}
            Some(read) => {
                assert_eq!(read, tag, "the {name} session holds what was never set");
                assert!(
                    crate::cookies::values(&pairs, name).contains(&token.as_str()),
                    "the {name} session was read from a cookie not named {name}: {sent:?}"
                );
            }
            None => panic!("no {name} session in {seen}"),
        }
    }
    // The CSRF value: the one cookie's of that name, or a new one (then set in the response).
    let value = seen["csrf"].as_str().expect("a CSRF value");
    let named = crate::cookies::values(&pairs, CSRF_COOKIE);
    if csrf_set {
        assert!(
            !(named.len() == 1 && named[0] == value),
            "a new CSRF value equal to the cookie's"
        );
    } else {
        assert!(
            named.len() == 1 && named[0] == value,
            "the CSRF value was read from a cookie not named {CSRF_COOKIE}: {sent:?}"
        );
    }
}
