//! The hardening issue's attacks and mistakes over HTTP, each shown failing: a guard whose
//! `optional`/`from` let a token through with weaker checks, forged tokens answered 403, attacker
//! text in the logs, cookie tokens replayed as API tokens, one failing session cookie dropping the
//! others, detail in error bodies, and an error handler that cannot see the request.

mod support;

use std::convert::Infallible;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE, WWW_AUTHENTICATE,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use paseto_auth::cookie::CookieKeys;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::{LocalKey, SigningKey};
use paseto_auth::login::{
    AuthUser, LoginKeys, LoginManager, LoginManagerLayer, LoginSession, UserLoader,
};
use paseto_auth::session::{Session, SessionLayer};
use paseto_auth::token::seal;
use paseto_auth::{
    Issuer, Paseto, TokenOptions, Verifier, Version, paseto_required, paseto_session,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use support::http::{body_string, get_with, send, set_cookies};
use support::{ISS, rfc3339, v4_issuer_and_verifier};

// ---- 1. the route's token source and requirements hold for its extractor too ----

/// What a guarded handler answers: the subject of its token, or `none`.
fn answer(token: Option<Paseto<Value>>) -> String {
    match token {
        Some(token) => format!("sub={}", token.registered.sub.unwrap_or_default()),
        None => "none".to_owned(),
    }
}

/// A handler guarded by `aud = "admin", sub = "root", claims(role)` and the given `from` (and
/// `optional`), taking the token as the issue's reporter did.
macro_rules! guarded {
    ($name:ident, optional, [$($from:tt)*]) => {
        #[paseto_required(optional, $($from)* aud = "admin", sub = "root", claims(role))]
        async fn $name(token: Option<Paseto<Value>>) -> String {
            answer(token)
        }
    };
    ($name:ident, required, [$($from:tt)*]) => {
        #[paseto_required($($from)* aud = "admin", sub = "root", claims(role))]
        async fn $name(token: Paseto<Value>) -> String {
            answer(Some(token))
        }
    };
}

guarded!(optional_default, optional, []);
guarded!(optional_header, optional, [from = header,]);
guarded!(optional_cookie, optional, [from = cookie("tok"),]);
guarded!(optional_query, optional, [from = query("tok"),]);
guarded!(required_default, required, []);
guarded!(required_header, required, [from = header,]);
guarded!(required_cookie, required, [from = cookie("tok"),]);
guarded!(required_query, required, [from = query("tok"),]);

/// Where a request carries its token.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Location {
    Nowhere,
    Header,
    Cookie,
    Query,
}

fn request(path: &str, location: Location, token: &str) -> Request {
    let uri = match location {
        Location::Query => format!("{path}?tok={token}"),
        _ => path.to_owned(),
    };
    let mut request = Request::get(uri).body(Body::empty()).unwrap();
    let headers = request.headers_mut();
    match location {
        Location::Header => {
            headers.insert(AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
        }
        Location::Cookie => {
            headers.insert(COOKIE, format!("tok={token}").parse().unwrap());
        }
        Location::Nowhere | Location::Query => {}
    }
    request
}

#[tokio::test]
async fn optional_and_from_never_weaken_the_routes_checks() {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    // The application's own source is the header: `from` unset means the header.
    let app = Router::new()
        .route("/optional/default", get(optional_default))
        .route("/optional/header", get(optional_header))
        .route("/optional/cookie", get(optional_cookie))
        .route("/optional/query", get(optional_query))
        .route("/required/default", get(required_default))
        .route("/required/header", get(required_header))
        .route("/required/cookie", get(required_cookie))
        .route("/required/query", get(required_query))
        .with_state(PasetoAuth::new(verifier));
    let token = |claims: Value, aud: &str, sub: &str| {
        issuer
            .issue_with(&claims, TokenOptions::new().audience(aud).subject(sub))
            .unwrap()
    };
    let tokens = [
        (
            "meets every requirement",
            token(json!({"role": "ops"}), "admin", "root"),
            true,
        ),
        (
            "wrong aud",
            token(json!({"role": "ops"}), "web", "root"),
            false,
        ),
        (
            "wrong sub",
            token(json!({"role": "ops"}), "admin", "alice"),
            false,
        ),
        ("no role", token(json!({}), "admin", "root"), false),
        (
            "null role",
            token(json!({"role": null}), "admin", "root"),
            false,
        ),
    ];
    let routes = [
        ("default", Location::Header),
        ("header", Location::Header),
        ("cookie", Location::Cookie),
        ("query", Location::Query),
    ];
    let mut cases = 0;
    for optional in [true, false] {
        for (from, reads) in routes {
            let path = format!("/{}/{from}", if optional { "optional" } else { "required" });
            for location in [
                Location::Nowhere,
                Location::Header,
                Location::Cookie,
                Location::Query,
            ] {
                for (what, token, meets) in &tokens {
                    let response = send(&app, request(&path, location, token)).await;
                    let status = response.status();
                    let body = body_string(response).await;
                    let expected = match (location == reads, meets, optional) {
                        // The route's source has the token: it is checked against the route.
                        (true, true, _) => (StatusCode::OK, "sub=root".to_owned()),
                        (true, false, _) => (
                            StatusCode::FORBIDDEN,
                            r#"{"error":"insufficient_scope"}"#.to_owned(),
                        ),
                        // Anywhere else it is not this route's token: the request has none.
                        (false, _, true) => (StatusCode::OK, "none".to_owned()),
                        (false, _, false) => (
                            StatusCode::UNAUTHORIZED,
                            r#"{"error":"unauthorized"}"#.to_owned(),
                        ),
                    };
                    assert_eq!(
                        (status, body),
                        expected,
                        "{path}, token ({what}) in {location:?}"
                    );
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 2 * 4 * 4 * 5);
}

// ---- 5. authenticate before authorizing ----

#[paseto_required(purpose = "public")]
async fn public_only() -> &'static str {
    "ok"
}

#[paseto_required(version = "v4")]
async fn v4_only() -> &'static str {
    "ok"
}

#[tokio::test]
async fn a_forged_token_of_another_purpose_or_version_is_401_not_403() {
    let (_, _, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/public", get(public_only))
        .route("/v4", get(v4_only))
        .with_state(PasetoAuth::new(verifier));
    let forged_local = format!("v4.local.{}", "A".repeat(100));
    let forged_v3 = format!("v3.public.{}", "A".repeat(150));
    for (path, forged) in [("/public", &forged_local), ("/v4", &forged_v3)] {
        let response = send(&app, request(path, Location::Header, forged)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            response.headers()[WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token""#
        );
        assert_eq!(body_string(response).await, r#"{"error":"invalid_token"}"#);
    }
}

// ---- 5b. a first argument compiled out does not take the guard with it ----

#[paseto_required]
async fn conditional_first(
    #[cfg(any())] _never: axum::extract::State<PasetoAuth>,
    body: String,
) -> String {
    body
}

#[tokio::test]
async fn a_guard_survives_a_first_argument_that_cfg_removes() {
    // Paired with the first argument, the guard would vanish with it and the route be open.
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/", axum::routing::post(conditional_first))
        .with_state(PasetoAuth::new(verifier));
    let anonymous = Request::post("/").body(Body::from("hi")).unwrap();
    assert_eq!(
        send(&app, anonymous).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let token = issuer.issue(&json!({})).unwrap();
    let signed_in = Request::post("/")
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from("hi"))
        .unwrap();
    let response = send(&app, signed_in).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_string(response).await, "hi");
}

// ---- 6. attacker text in the logs ----

#[paseto_required]
async fn guarded_plain() -> &'static str {
    "ok"
}

#[tokio::test]
async fn a_hostile_kid_cannot_forge_log_lines() {
    let (key, _, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/", get(guarded_plain))
        .with_state(PasetoAuth::new(verifier));
    let forged_line = "2026-11-29T00:00:00.000000Z  INFO admin login ok";
    let footer = json!({ "kid": format!("k4.pid.x\n{forged_line}\n{}", "z".repeat(800)) });
    let token = seal(
        &SigningKey::from(key),
        json!({"iss": ISS, "exp": rfc3339(time::Duration::hours(1))})
            .to_string()
            .as_bytes(),
        footer.to_string().as_bytes(),
        b"",
    )
    .unwrap();
    let logs = support::logs::capture();
    let response = send(&app, request("/", Location::Header, &token)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let lines = logs.lines();
    assert!(
        lines.iter().any(|line| line.contains("unknown_key_id")),
        "the refusal is logged: {lines:?}"
    );
    for line in &lines {
        assert!(
            !line.starts_with(forged_line),
            "a forged log line: {lines:?}"
        );
        assert!(line.len() < 400, "an unbounded log line: {line}");
    }
    assert!(logs.text().contains("k4.pid.x\\n2026"), "{}", logs.text());
}

// ---- 8. a cookie token is never an API token ----

#[derive(Clone)]
struct Member;

impl AuthUser for Member {
    type Id = u32;
    fn id(&self) -> u32 {
        7
    }
}

#[derive(Clone)]
struct Members;

impl UserLoader for Members {
    type User = Member;
    type Error = Infallible;
    async fn load_user(&self, id: &u32) -> Result<Option<Member>, Infallible> {
        Ok((*id == 7).then_some(Member))
    }
}

#[paseto_session(cookie = "cart")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: Vec<u32>,
}

async fn fill_cart(mut cart: Session<Cart>) -> &'static str {
    cart.items.push(1);
    "filled"
}

async fn log_in(session: LoginSession<Member>) -> &'static str {
    session.login(&Member, true).unwrap();
    "logged in"
}

#[tokio::test]
async fn session_and_remember_cookies_are_refused_as_bearer_tokens_in_every_version() {
    for version in Version::ALL {
        // One local key everywhere: the sessions', the remember-me cookie's, and the API's (bound
        // to no issuer, as a `PASETO_LOCAL_KEYS` entry without `iss` is).
        let key = LocalKey::generate(version).unwrap();
        let cookie_keys = CookieKeys::new(key.clone());
        let verifier = Verifier::builder()
            .local_key(key.clone(), None)
            .versions(Version::ALL)
            .build()
            .unwrap();
        let manager = LoginManager::new(
            Members,
            LoginKeys::new(cookie_keys.clone(), cookie_keys.clone()),
        );
        let app = Router::new()
            .route("/api", get(guarded_plain))
            .with_state(PasetoAuth::new(verifier))
            .route("/cart", get(fill_cart))
            .route("/login", get(log_in))
            .layer(SessionLayer::new(cookie_keys))
            .layer(LoginManagerLayer::new(manager).unwrap());

        // The key does make API tokens the route accepts...
        let api_token = Issuer::builder()
            .issuer(ISS)
            .key(SigningKey::Local(key))
            .build()
            .unwrap()
            .issue(&json!({}))
            .unwrap();
        let response = send(&app, request("/api", Location::Header, &api_token)).await;
        assert_eq!(response.status(), StatusCode::OK, "{version}: control");

        // ...and the cookies it seals are none of them.
        let mut cookies = set_cookies(&send(&app, get_with("/cart", &[])).await);
        cookies.extend(set_cookies(&send(&app, get_with("/login", &[])).await));
        let names: Vec<_> = cookies.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["cart", "login_session", "remember_token"],
            "{version}"
        );
        for cookie in &cookies {
            let response = send(&app, request("/api", Location::Header, &cookie.value)).await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{version}: the {} cookie passed as an API token",
                cookie.name
            );
            assert_eq!(body_string(response).await, r#"{"error":"invalid_token"}"#);
        }
    }
}

// ---- 9. one failing cookie does not drop the others ----

#[paseto_session(cookie = "note")]
#[derive(Default, Serialize, Deserialize)]
struct Note {
    text: String,
}

/// Logs the cart out (its removal must reach the browser), writes a note too large for a cookie,
/// and sets a cookie of its own.
async fn clear_and_overflow(mut cart: Session<Cart>, mut note: Session<Note>) -> Response {
    cart.clear();
    note.text = "x".repeat(5000);
    let mut response = "done".into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, HeaderValue::from_static("theme=dark; Path=/"));
    response
}

#[tokio::test]
async fn a_session_that_cannot_be_sealed_keeps_the_other_cookie_changes() {
    let app = Router::new()
        .route("/", get(clear_and_overflow))
        .layer(SessionLayer::new(
            CookieKeys::generate(Version::V4).unwrap(),
        ));
    let logs = support::logs::capture();
    let response = send(&app, get_with("/", &[])).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let cookies: Vec<String> = set_cookies(&response)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        cookies,
        [
            "theme=dark; Path=/",
            "cart=; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        ]
    );
    assert_eq!(body_string(response).await, r#"{"error":"internal_error"}"#);
    assert!(logs.text().contains("\"note\""), "{}", logs.text());
}

// ---- 14. error bodies carry the RFC 6750 code only ----

#[tokio::test]
async fn refusals_name_the_code_and_nothing_else_unless_detail_is_turned_on() {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let routes = Router::new()
        .route("/", get(guarded_plain))
        .route("/admin", get(required_default));
    let plain = routes.clone().with_state(PasetoAuth::new(verifier.clone()));
    let detailed = routes.with_state(PasetoAuth::new(verifier).detailed_errors(true));
    let expired = issuer
        .issue_with(
            &json!({}),
            TokenOptions::new()
                .not_before(time::OffsetDateTime::now_utc() + time::Duration::hours(1)),
        )
        .unwrap();
    let unscoped = issuer.issue(&json!({})).unwrap();
    for (path, token, status, code, kind) in [
        (
            "/",
            None,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing_token",
        ),
        (
            "/",
            Some(&expired),
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "not_yet_valid",
        ),
        (
            "/admin",
            Some(&unscoped),
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            "audience_not_accepted",
        ),
    ] {
        let location = if token.is_some() {
            Location::Header
        } else {
            Location::Nowhere
        };
        let token = token.map_or("", String::as_str);
        let response = send(&plain, request(path, location, token)).await;
        assert_eq!(response.status(), status);
        assert_eq!(
            body_string(response).await,
            json!({ "error": code }).to_string()
        );
        let response = send(&detailed, request(path, location, token)).await;
        assert_eq!(response.status(), status);
        let body: Value = serde_json::from_str(&body_string(response).await).unwrap();
        assert_eq!(
            (body["error"].as_str(), body["kind"].as_str()),
            (Some(code), Some(kind))
        );
        assert!(body["detail"].is_string(), "{body}");
    }
}

// ---- 15. the error handler sees the request ----

#[tokio::test]
async fn the_error_handler_answers_browsers_with_html_and_api_clients_with_json() {
    let (_, _, verifier) = v4_issuer_and_verifier();
    let auth = PasetoAuth::new(verifier).on_error(|parts, err| {
        let browser = parts
            .headers
            .get(ACCEPT)
            .is_some_and(|accept| accept.as_bytes().starts_with(b"text/html"));
        if browser {
            let page = format!("<p>Sign in to see {}</p>", parts.uri.path());
            (err.status(), Html(page)).into_response()
        } else {
            err.response()
        }
    });
    let app = Router::new()
        .route("/reports", get(guarded_plain))
        .with_state(auth);
    let mut browser = request("/reports", Location::Nowhere, "");
    browser.headers_mut().insert(
        ACCEPT,
        HeaderValue::from_static("text/html,application/xhtml+xml"),
    );
    let response = send(&app, browser).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(
        body_string(response).await,
        "<p>Sign in to see /reports</p>"
    );
    let response = send(&app, request("/reports", Location::Nowhere, "")).await;
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    assert_eq!(body_string(response).await, r#"{"error":"unauthorized"}"#);
}

// ---- 4. one spelling per token, in cookies too ----

async fn cart_size(cart: Session<Cart>) -> String {
    cart.items.len().to_string()
}

#[tokio::test]
async fn a_respelled_session_cookie_is_not_read() {
    let app = Router::new()
        .route("/fill", get(fill_cart))
        .route("/size", get(cart_size))
        .layer(SessionLayer::new(
            CookieKeys::generate(Version::V3).unwrap(),
        ));
    let cookie = set_cookies(&send(&app, get_with("/fill", &[])).await).remove(0);
    let read = |value: String| {
        let app = app.clone();
        async move {
            let pair = format!("cart={value}");
            body_string(send(&app, get_with("/size", &[&pair])).await).await
        }
    };
    assert_eq!(read(cookie.value.clone()).await, "1");
    let body = cookie.value.strip_prefix("v3.local.").unwrap();
    for respelled in [format!("{}.", cookie.value), format!("3.local.{body}")] {
        assert_eq!(read(respelled.clone()).await, "0", "{respelled}");
    }
}
