//! Cookie sessions end to end, through `oneshot`: the cookie_session example's flow, refused
//! cookies (expired, tampered, garbage, oversized, wrong key, wrong purpose or name), rotation,
//! when `Set-Cookie` is sent, its attributes, and misconfiguration errors.

#[path = "../examples/cookie_session.rs"]
mod example;
mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, VARY};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use paseto_auth::Version;
use paseto_auth::cookie::{CookieKeys, MAX_COOKIE_SIZE};
use paseto_auth::key::{LocalKey, SigningKey};
use paseto_auth::session::{
    JsonMap, Session, SessionData, SessionError, SessionLayer, SessionSpec, UntypedSession,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use support::http::{
    SetCookie, body_string, form_with_csrf, get_with, post_with, send, set_cookies, the_set_cookie,
};
use support::rfc3339;

const FOURTEEN_DAYS: u64 = 14 * 24 * 60 * 60;

// ---- session types (by hand until `#[paseto_session]` exists) ----

#[derive(Debug, Default, Serialize, Deserialize)]
struct Counter {
    n: u32,
}

impl SessionData for Counter {
    const SPEC: SessionSpec =
        SessionSpec::new("counter").max_age(Duration::from_secs(FOURTEEN_DAYS));
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Rolling {
    n: u32,
}

impl SessionData for Rolling {
    const SPEC: SessionSpec = SessionSpec::new("rolling")
        .max_age(Duration::from_secs(60))
        .rolling(true);
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Big {
    blob: String,
}

impl SessionData for Big {
    const SPEC: SessionSpec = SessionSpec::new("big");
}

/// Uses the cookie name of `Counter`: a configuration mistake.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Clash {
    n: u32,
}

impl SessionData for Clash {
    const SPEC: SessionSpec = SessionSpec::new("counter");
}

/// An invalid cookie name, as a hand-written impl could have.
#[derive(Debug, Default, Serialize, Deserialize)]
struct BadName {}

impl SessionData for BadName {
    const SPEC: SessionSpec = SessionSpec::new("bad name");
}

// ---- a test app ----

async fn read_count(counter: Session<Counter>) -> String {
    counter.n.to_string()
}

async fn increment(mut counter: Session<Counter>) -> String {
    counter.n += 1;
    counter.n.to_string()
}

async fn read_rolling(rolling: Session<Rolling>) -> String {
    rolling.n.to_string()
}

async fn increment_rolling(mut rolling: Session<Rolling>) -> String {
    rolling.n += 1;
    rolling.n.to_string()
}

async fn big_saved(mut big: Session<Big>, body: String) -> Response {
    big.blob = body;
    match big.save() {
        Ok(()) => "saved".into_response(),
        Err(err @ SessionError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, err.to_string()).into_response()
        }
        Err(err) => err.into_response(),
    }
}

async fn big_unsaved(mut big: Session<Big>, body: String) -> &'static str {
    big.blob = body;
    "not saved"
}

async fn renew(mut counter: Session<Counter>) -> &'static str {
    counter.renew();
    "renewed"
}

async fn clear(mut counter: Session<Counter>) -> &'static str {
    counter.clear();
    "cleared"
}

async fn both(mut counter: Session<Counter>, mut untyped: UntypedSession) -> String {
    counter.n += 1;
    let visits = untyped.get_as::<u64>("visits").unwrap_or(0) + 1;
    untyped.insert("visits".into(), visits.into());
    format!("{} {visits}", counter.n)
}

async fn clash(_counter: Session<Counter>, _clash: Session<Clash>) -> &'static str {
    "unreachable"
}

async fn bad_name(_session: Session<BadName>) -> &'static str {
    "unreachable"
}

/// A middleware that changes the session before the handler reads it.
async fn bump_first(mut counter: Session<Counter>, request: Request, next: Next) -> Response {
    counter.n += 100;
    drop(counter);
    next.run(request).await
}

fn routes() -> Router {
    let api = Router::new().route("/count", get(read_count).post(increment));
    Router::new()
        .route("/count", get(read_count).post(increment))
        .route("/noop", get(|| async { "ok" }))
        .route("/rolling", get(read_rolling).post(increment_rolling))
        .route("/big/saved", post(big_saved))
        .route("/big/unsaved", post(big_unsaved))
        .route("/renew", post(renew))
        .route("/clear", post(clear))
        .route("/both", post(both))
        .route("/clash", get(clash))
        .route("/bad-name", get(bad_name))
        .route(
            "/bumped",
            get(read_count).layer(middleware::from_fn(bump_first)),
        )
        .nest("/api", api)
}

fn test_app(keys: &CookieKeys) -> Router {
    routes().layer(SessionLayer::new(keys.clone()))
}

// ---- helpers ----

fn new_keys() -> CookieKeys {
    CookieKeys::generate(Version::V4).unwrap()
}

/// The example's CSRF cookie as a browser holds it, and the value its forms send back.
const CSRF_COOKIE: &str = "csrf=test-csrf-value-0123456789abcdefghijklmnopq";
const CSRF_FIELD: &str = "csrf_token=test-csrf-value-0123456789abcdefghijklmnopq";

fn login_request(email: &str, password: &str) -> Request {
    Request::post("/login")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(COOKIE, CSRF_COOKIE)
        .body(Body::from(format!(
            "email={}&password={password}&{CSRF_FIELD}",
            email.replace('@', "%40")
        )))
        .unwrap()
}

/// What the example's `/protected` page says (`<p id="who">…</p>`), or the body if it says
/// nothing of the kind.
fn shown(page: &str) -> &str {
    page.split_once(r#"<p id="who">"#)
        .and_then(|(_, rest)| rest.split_once("</p>"))
        .map_or(page, |(text, _)| text)
}

/// A cookie value sealed with `key` as the crate does, with chosen claims: the documented format
/// `{"pur","cky","iat","exp","dat"}` and implicit assertion `paseto-auth:<purpose>:<cookie>`.
fn forge(key: &LocalKey, purpose: &str, cookie: &str, exp: time::Duration, dat: Value) -> String {
    let payload = json!({
        "pur": purpose,
        "cky": cookie,
        "iat": rfc3339(time::Duration::hours(-2)),
        "exp": rfc3339(exp),
        "dat": dat,
    });
    let implicit = format!("paseto-auth:{purpose}:{cookie}");
    paseto_auth::token::seal(
        &SigningKey::Local(key.clone()),
        payload.to_string().as_bytes(),
        b"",
        implicit.as_bytes(),
    )
    .unwrap()
}

async fn logged_in_cookie(keys: &CookieKeys) -> String {
    logged_in_cookie_of(&example::app(keys.clone())).await
}

/// Logs in to `app` (the example); returns the session cookie as `session=…`.
async fn logged_in_cookie_of(app: &Router) -> String {
    let response = send(app, login_request("foo@example.com", "mysecret")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let value = set_value(&response, "session").expect("a session cookie");
    format!("session={value}")
}

async fn protected_status(app: &Router, cookie: &str) -> (StatusCode, String) {
    let response = send(app, get_with("/protected", &[cookie, CSRF_COOKIE])).await;
    assert!(
        set_cookies(&response).is_empty(),
        "no cookie is written for a refused session"
    );
    let status = response.status();
    (status, shown(&body_string(response).await).to_owned())
}

// ---- the example's flow ----

/// The value `response` sets for cookie `name` (not a removal).
fn set_value(response: &Response, name: &str) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|c| c.name == name && !c.value.is_empty())
        .map(|c| c.value)
}

/// Logging in (`Session::renew`) and out (`Session::clear`) rotate the form CSRF value, as OWASP
/// recommends: a value the browser held before the login (one an attacker fixed, say) no longer
/// passes once the browser has the new one, and the page after the login carries the new value.
#[tokio::test]
async fn login_and_logout_rotate_the_form_csrf_value() {
    let app = example::app(new_keys());
    let fixed = "fixed-by-an-attacker-0123456789abcdefghijkl";
    let login = send(
        &app,
        form_with_csrf(
            "/login",
            "email=foo%40example.com&password=mysecret",
            &[],
            fixed,
            fixed,
        ),
    )
    .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let session = format!("session={}", set_value(&login, "session").unwrap());
    let rotated = set_value(&login, "csrf").expect("the login sets a new CSRF value");
    assert_ne!(rotated, fixed);
    assert_eq!(rotated.len(), 43);

    let csrf = format!("csrf={rotated}");
    let page = send(&app, get_with("/protected", &[&session, &csrf])).await;
    let page = body_string(page).await;
    assert!(
        page.contains(&format!(r#"name="csrf_token" value="{rotated}""#)),
        "{page}"
    );
    let stale = send(
        &app,
        form_with_csrf("/logout", "", &[&session], &rotated, fixed),
    )
    .await;
    assert_eq!(
        (stale.status(), body_string(stale).await.as_str()),
        (StatusCode::FORBIDDEN, r#"{"error":"csrf_token_invalid"}"#)
    );

    let logout = send(
        &app,
        form_with_csrf("/logout", "", &[&session], &rotated, &rotated),
    )
    .await;
    assert_eq!(logout.status(), StatusCode::OK);
    let after_logout = set_value(&logout, "csrf").expect("the logout sets a new CSRF value");
    assert_ne!(after_logout, rotated);
    // A failed login changes nothing.
    let bad = send(
        &app,
        form_with_csrf(
            "/login",
            "email=foo%40example.com&password=nope",
            &[],
            fixed,
            fixed,
        ),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookies(&bad).is_empty());
}

/// What the example's logout says at the route: a cookie session cannot be revoked. Logging out
/// deletes this browser's cookie; a copy taken before still answers until its `exp`.
#[tokio::test]
async fn logout_deletes_the_cookie_but_a_copy_of_a_cookie_session_still_works() {
    let app = example::app(new_keys());
    let copied = logged_in_cookie_of(&app).await;
    let csrf = "x".repeat(43);
    let logout = send(
        &app,
        form_with_csrf("/logout", "", &[&copied], &csrf, &csrf),
    )
    .await;
    assert_eq!(logout.status(), StatusCode::OK);
    let removal = set_cookies(&logout)
        .into_iter()
        .find(|c| c.name == "session")
        .unwrap();
    assert!(removal.value.is_empty() && removal.attributes.contains(&"Max-Age=0".to_owned()));
    assert_eq!(
        protected_status(&app, &copied).await,
        (StatusCode::OK, "Logged in as: foo@example.com".to_owned())
    );
}

#[tokio::test]
async fn login_then_protected_then_logout() {
    let keys = new_keys();
    let app = example::app(keys.clone());

    let form = send(&app, get_with("/login", &[])).await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = body_string(form).await;
    assert!(html.contains(r#"name="email""#) && html.contains(r#"name="password""#));

    let login = send(&app, login_request("foo@example.com", "mysecret")).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(login.headers()[LOCATION], "/protected");
    // The session cookie, and the CSRF value rotated by the login.
    let cookies = set_cookies(&login);
    assert_eq!(
        cookies.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["session", "csrf"]
    );
    let set_cookie = cookies[0].clone();
    assert!(set_cookie.value.starts_with("v4.local."), "{set_cookie}");
    assert_eq!(
        set_cookie.attributes,
        ["HttpOnly", "SameSite=Lax", "Path=/"]
    );
    let cookie = set_cookie.pair();

    let protected = send(&app, get_with("/protected", &[&cookie, CSRF_COOKIE])).await;
    assert_eq!(protected.status(), StatusCode::OK);
    assert!(set_cookies(&protected).is_empty());
    assert_eq!(protected.headers()[VARY], "Cookie");
    let page = body_string(protected).await;
    assert_eq!(shown(&page), "Logged in as: foo@example.com");
    // The page's logout button posts with the CSRF value; a GET does not log out.
    assert!(
        page.contains(&format!(
            r#"<form method="post" action="/logout"><input type="hidden" name="{}">"#,
            CSRF_FIELD.replace('=', "\" value=\"")
        )),
        "{page}"
    );
    let by_link = send(&app, get_with("/logout", &[&cookie, CSRF_COOKIE])).await;
    assert_eq!(by_link.status(), StatusCode::METHOD_NOT_ALLOWED);
    let forged = send(
        &app,
        post_with("/logout", &[&cookie, CSRF_COOKIE], Body::empty()),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let mut logout = post_with("/logout", &[&cookie, CSRF_COOKIE], CSRF_FIELD);
    logout.headers_mut().insert(
        CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    let logout = send(&app, logout).await;
    assert_eq!(logout.status(), StatusCode::OK);
    let cookies = set_cookies(&logout);
    assert_eq!(
        cookies.len(),
        2,
        "the removal, and the CSRF value rotated: {cookies:?}"
    );
    assert_eq!(
        cookies[0].to_string(),
        "session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    );
    assert_eq!(cookies[1].name, "csrf");

    let after = send(&app, get_with("/protected", &[])).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_string(after).await, "Unauthorized");
}

#[tokio::test]
async fn a_bad_password_is_401_and_sets_no_cookie() {
    let app = example::app(new_keys());
    for (email, password) in [
        ("foo@example.com", "wrong"),
        ("bar@example.com", "mysecret"),
    ] {
        let response = send(&app, login_request(email, password)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(set_cookies(&response).is_empty());
    }
    let response = send(&app, get_with("/protected", &[])).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

// ---- refused cookies: a fresh session, the route decides, never 500 ----

#[tokio::test]
async fn a_cookie_replayed_after_its_exp_is_refused() {
    let key = LocalKey::generate(Version::V4).unwrap();
    let app = example::app(CookieKeys::new(key.clone()));
    let user = json!({"user": "foo@example.com"});
    // The forgery is well-formed: the same cookie with a future exp is accepted.
    let valid = forge(
        &key,
        "session",
        "session",
        time::Duration::hours(1),
        user.clone(),
    );
    let (status, body) = protected_status(&app, &format!("session={valid}")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "Logged in as: foo@example.com")
    );
    let expired = forge(
        &key,
        "session",
        "session",
        time::Duration::seconds(-1),
        user,
    );
    let (status, _) = protected_status(&app, &format!("session={expired}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_tampered_cookie_gives_an_empty_session() {
    let keys = new_keys();
    let app = example::app(keys.clone());
    let cookie = logged_in_cookie(&keys).await;
    // Flip one character of the token body (keeping it base64url).
    let mut bytes = cookie.into_bytes();
    let i = bytes.len() - 10;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let (status, body) = protected_status(&app, &tampered).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::UNAUTHORIZED, "Unauthorized")
    );
}

#[tokio::test]
async fn garbage_oversized_wrong_key_and_misbound_cookies_give_empty_sessions() {
    let key = LocalKey::generate(Version::V4).unwrap();
    let keys = CookieKeys::new(key.clone());
    let app = example::app(keys.clone());
    let user = json!({"user": "foo@example.com"});
    let hour = time::Duration::hours(1);
    let stranger = logged_in_cookie(&new_keys()).await;
    let oversized = format!("session=v4.local.{}", "A".repeat(MAX_COOKIE_SIZE));
    let cases = [
        ("garbage", "session=garbage".to_owned()),
        ("empty", "session=".to_owned()),
        ("header only", "session=v4.local.".to_owned()),
        ("public token", "session=v4.public.AAAA".to_owned()),
        ("unknown version", "session=v9.local.AAAA".to_owned()),
        ("oversized", oversized),
        ("wrong key", stranger),
        (
            "remember-me purpose",
            format!(
                "session={}",
                forge(&key, "remember", "session", hour, user.clone())
            ),
        ),
        (
            "another cookie's value",
            format!(
                "session={}",
                forge(&key, "session", "cart", hour, user.clone())
            ),
        ),
        (
            "data of another shape",
            format!(
                "session={}",
                forge(&key, "session", "session", hour, json!({"user": 7}))
            ),
        ),
    ];
    for (case, cookie) in cases {
        let (status, body) = protected_status(&app, &cookie).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
    }
}

#[tokio::test]
async fn v2_cookies_are_bound_by_their_claims() {
    // v2 has no implicit assertion: a v2 cookie of another purpose or name opens, and the
    // `pur`/`cky` claims refuse it.
    let key = LocalKey::generate(Version::V2).unwrap();
    let app = example::app(CookieKeys::new(key.clone()));
    let user = json!({"user": "foo@example.com"});
    let seal = |purpose: &str, cookie: &str| {
        let payload = json!({"pur": purpose, "cky": cookie, "iat": rfc3339(time::Duration::ZERO),
                             "exp": rfc3339(time::Duration::hours(1)), "dat": user});
        paseto_auth::token::seal(
            &SigningKey::Local(key.clone()),
            payload.to_string().as_bytes(),
            b"",
            b"",
        )
        .unwrap()
    };
    let ok = protected_status(&app, &format!("session={}", seal("session", "session"))).await;
    assert_eq!(ok.0, StatusCode::OK);
    for (purpose, cookie) in [("remember", "session"), ("session", "cart")] {
        let cookie = format!("session={}", seal(purpose, cookie));
        assert_eq!(
            protected_status(&app, &cookie).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
}

// ---- keys: versions and rotation ----

#[tokio::test]
async fn rotation_reads_old_cookies_and_reseals_with_the_primary() {
    let old = LocalKey::generate(Version::V4).unwrap();
    let new = LocalKey::generate(Version::V4).unwrap();
    let old_cookie = logged_in_cookie(&CookieKeys::new(old.clone())).await;

    let rotated = CookieKeys::new(new.clone()).with_old_key(old.clone());
    let app = example::app(rotated.clone());
    let (status, _) = protected_status(&app, &old_cookie).await;
    assert_eq!(status, StatusCode::OK, "the old key still opens the cookie");

    // A login re-seals with the primary key: only the new key opens the new cookie.
    let new_only = example::app(CookieKeys::new(new.clone()));
    let resealed = logged_in_cookie(&rotated).await;
    assert_eq!(
        protected_status(&new_only, &resealed).await.0,
        StatusCode::OK
    );
    let old_only = example::app(CookieKeys::new(old));
    assert_eq!(
        protected_status(&old_only, &resealed).await.0,
        StatusCode::UNAUTHORIZED
    );
}

/// Checks the body and returns the response's Set-Cookie pairs.
async fn text_of(response: Response, expected: &str) -> Vec<String> {
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> = set_cookies(&response).iter().map(SetCookie::pair).collect();
    assert_eq!(body_string(response).await, expected);
    cookies
}

#[tokio::test]
async fn a_changed_session_is_resealed_with_the_new_primary_key() {
    let old = LocalKey::generate(Version::V4).unwrap();
    let new = LocalKey::generate(Version::V4).unwrap();
    let old_app = test_app(&CookieKeys::new(old.clone()));
    let first = text_of(
        send(&old_app, post_with("/count", &[], Body::empty())).await,
        "1",
    )
    .await;
    let rotated = test_app(&CookieKeys::new(new.clone()).with_old_key(old.clone()));
    let second = text_of(
        send(&rotated, post_with("/count", &[&first[0]], Body::empty())).await,
        "2",
    )
    .await;
    let new_app = test_app(&CookieKeys::new(new));
    text_of(send(&new_app, get_with("/count", &[&second[0]])).await, "2").await;
    // The old key alone no longer opens it: a fresh session.
    text_of(send(&old_app, get_with("/count", &[&second[0]])).await, "0").await;
}

#[tokio::test]
async fn v3_and_v2_keys_make_cookies_of_their_version() {
    for (version, prefix) in [
        (Version::V3, "counter=v3.local."),
        (Version::V2, "counter=v2.local."),
    ] {
        let app = test_app(&CookieKeys::generate(version).unwrap());
        let cookies = text_of(
            send(&app, post_with("/count", &[], Body::empty())).await,
            "1",
        )
        .await;
        assert!(cookies[0].starts_with(prefix), "{}", cookies[0]);
        text_of(send(&app, get_with("/count", &[&cookies[0]])).await, "1").await;
    }
}

// ---- when and how Set-Cookie is written ----

#[tokio::test]
async fn set_cookie_is_sent_only_when_the_session_changed() {
    let app = test_app(&new_keys());
    let cookies = text_of(
        send(&app, post_with("/count", &[], Body::empty())).await,
        "1",
    )
    .await;
    assert_eq!(cookies.len(), 1);
    // Read only: no Set-Cookie.
    assert!(
        text_of(send(&app, get_with("/count", &[&cookies[0]])).await, "1")
            .await
            .is_empty()
    );
    // No session at all, with or without a cookie: no Set-Cookie.
    assert!(
        text_of(send(&app, get_with("/count", &[])).await, "0")
            .await
            .is_empty()
    );
    assert!(
        text_of(send(&app, get_with("/noop", &[&cookies[0]])).await, "ok")
            .await
            .is_empty()
    );
    // Changed: a new cookie.
    let next = text_of(
        send(&app, post_with("/count", &[&cookies[0]], Body::empty())).await,
        "2",
    )
    .await;
    assert_eq!(next.len(), 1);
    assert_ne!(next[0], cookies[0]);
}

#[tokio::test]
async fn rolling_sessions_are_reissued_on_every_read() {
    let app = test_app(&new_keys());
    // A new, unchanged rolling session is not written.
    assert!(
        text_of(send(&app, get_with("/rolling", &[])).await, "0")
            .await
            .is_empty()
    );
    let response = send(&app, post_with("/rolling", &[], Body::empty())).await;
    let set_cookie = the_set_cookie(&response);
    assert_eq!(set_cookie.attributes.last().unwrap(), "Max-Age=60");
    let cookie = set_cookie.pair();
    // Read only, yet re-issued with a fresh expiry.
    let response = send(&app, get_with("/rolling", &[&cookie])).await;
    let reissued = the_set_cookie(&response);
    assert_eq!(reissued.name, "rolling");
    assert!(reissued.value.starts_with("v4.local."), "{reissued}");
    assert_eq!(reissued.attributes.last().unwrap(), "Max-Age=60");
    assert_eq!(body_string(response).await, "1");
}

#[tokio::test]
async fn renew_reissues_an_unchanged_session() {
    let app = test_app(&new_keys());
    let cookies = text_of(
        send(&app, post_with("/count", &[], Body::empty())).await,
        "1",
    )
    .await;
    let response = send(&app, post_with("/renew", &[&cookies[0]], Body::empty())).await;
    let renewed = the_set_cookie(&response).pair();
    assert_ne!(renewed, cookies[0]);
    text_of(send(&app, get_with("/count", &[&renewed])).await, "1").await;
}

#[tokio::test]
async fn vary_cookie_is_on_every_response() {
    let app = test_app(&new_keys());
    for request in [
        get_with("/noop", &[]),
        get_with("/count", &[]),
        post_with("/count", &[], Body::empty()),
        get_with("/missing", &[]),
    ] {
        let response = send(&app, request).await;
        let vary: Vec<_> = response.headers().get_all(VARY).iter().collect();
        assert_eq!(vary, ["Cookie"], "{:?}", response.status());
    }
}

#[tokio::test]
async fn cookie_attributes_are_exact() {
    let app = test_app(&new_keys());
    let response = send(&app, post_with("/count", &[], Body::empty())).await;
    let max_age = format!("Max-Age={FOURTEEN_DAYS}");
    assert_eq!(
        the_set_cookie(&response).attributes,
        ["HttpOnly", "SameSite=Lax", "Secure", "Path=/", &max_age]
    );
    // A browser-session cookie has no Max-Age.
    let response = send(&app, post_with("/big/saved", &[], "small")).await;
    assert_eq!(
        the_set_cookie(&response).attributes,
        ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"]
    );
}

#[tokio::test]
async fn clear_sends_a_removal_cookie() {
    let app = test_app(&new_keys());
    let cookies = text_of(
        send(&app, post_with("/count", &[], Body::empty())).await,
        "1",
    )
    .await;
    let response = send(&app, post_with("/clear", &[&cookies[0]], Body::empty())).await;
    assert_eq!(
        the_set_cookie(&response).to_string(),
        "counter=; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=0; \
         Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    );
}

// ---- too large ----

#[tokio::test]
async fn a_session_too_large_for_a_cookie_is_an_error_from_save() {
    let app = test_app(&new_keys());
    let response = send(
        &app,
        post_with("/big/saved", &[], "x".repeat(MAX_COOKIE_SIZE)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(set_cookies(&response).is_empty());
    let message = body_string(response).await;
    assert!(message.contains("over the 4096-byte limit"), "{message}");
    // Just under the limit is fine.
    let response = send(&app, post_with("/big/saved", &[], "x".repeat(2500))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(the_set_cookie(&response).pair().len() <= MAX_COOKIE_SIZE);
}

#[tokio::test]
async fn a_session_too_large_without_save_is_a_500_not_a_dropped_cookie() {
    let app = test_app(&new_keys());
    let logs = support::logs::capture();
    let response = send(
        &app,
        post_with("/big/unsaved", &[], "x".repeat(MAX_COOKIE_SIZE)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(set_cookies(&response).is_empty());
    assert_eq!(response.headers()[VARY], "Cookie");
    assert_eq!(body_string(response).await, INTERNAL_ERROR);
    let message = logs.text();
    assert!(
        message.contains("\"big\"") && message.contains("4096"),
        "{message}"
    );
}

// ---- composition ----

#[tokio::test]
async fn nested_routers_use_the_outer_layer() {
    let app = test_app(&new_keys());
    let cookies = text_of(
        send(&app, post_with("/api/count", &[], Body::empty())).await,
        "1",
    )
    .await;
    assert_eq!(cookies.len(), 1);
    text_of(send(&app, get_with("/count", &[&cookies[0]])).await, "1").await;
    text_of(
        send(&app, get_with("/api/count", &[&cookies[0]])).await,
        "1",
    )
    .await;
}

#[tokio::test]
async fn several_session_types_coexist() {
    let app = test_app(&new_keys());
    let response = send(&app, post_with("/both", &[], Body::empty())).await;
    let mut cookies = text_of(response, "1 1").await;
    cookies.sort();
    assert_eq!(cookies.len(), 2);
    assert!(cookies[0].starts_with("counter=") && cookies[1].starts_with("session="));
    let refs: Vec<&str> = cookies.iter().map(String::as_str).collect();
    text_of(
        send(&app, post_with("/both", &refs, Body::empty())).await,
        "2 2",
    )
    .await;
    // Each cookie is bound to its name: swapping them gives fresh sessions.
    let swapped = [
        format!("counter={}", cookies[1].split_once('=').unwrap().1),
        format!("session={}", cookies[0].split_once('=').unwrap().1),
    ];
    let refs: Vec<&str> = swapped.iter().map(String::as_str).collect();
    text_of(
        send(&app, post_with("/both", &refs, Body::empty())).await,
        "1 1",
    )
    .await;
}

#[tokio::test]
async fn extractors_in_one_request_share_the_session() {
    let app = test_app(&new_keys());
    // The middleware adds 100 and drops its Session; the handler sees it, and it is written.
    let response = send(&app, get_with("/bumped", &[])).await;
    let cookies = text_of(response, "100").await;
    assert_eq!(cookies.len(), 1);
    text_of(send(&app, get_with("/count", &[&cookies[0]])).await, "100").await;
}

#[tokio::test]
async fn the_untyped_session_holds_json() {
    let keys = new_keys();
    let app = Router::new()
        .route(
            "/",
            get(|mut session: UntypedSession| async move {
                let name = session.get_as::<String>("name");
                session.set("name", "alice").unwrap();
                name.unwrap_or_default()
            }),
        )
        .layer(SessionLayer::new(keys));
    let cookies = text_of(send(&app, get_with("/", &[])).await, "").await;
    assert!(cookies[0].starts_with("session="));
    text_of(send(&app, get_with("/", &[&cookies[0]])).await, "alice").await;
    assert_eq!(JsonMap::SPEC.cookie, "session");
}

// ---- misconfiguration: a 500 whose cause is logged, never a silent no-op ----

/// The body of every 500: the cause is for the log, not for the client.
const INTERNAL_ERROR: &str = r#"{"error":"internal_error"}"#;

#[tokio::test]
async fn a_session_without_the_layer_is_a_500_logging_why() {
    let app = routes(); // no SessionLayer
    let logs = support::logs::capture();
    let response = send(&app, post_with("/count", &[], Body::empty())).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(set_cookies(&response).is_empty());
    assert_eq!(body_string(response).await, INTERNAL_ERROR);
    let message = logs.text();
    assert!(
        message.contains("needs a SessionLayer") && message.contains("Counter"),
        "{message}"
    );
}

#[tokio::test]
async fn two_types_with_one_cookie_name_and_invalid_names_are_a_500_logging_why() {
    let app = test_app(&new_keys());
    let logs = support::logs::capture();
    let response = send(&app, get_with("/clash", &[])).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body_string(response).await, INTERNAL_ERROR);
    assert!(
        logs.text().contains("both use the cookie \"counter\""),
        "{}",
        logs.text()
    );
    let response = send(&app, get_with("/bad-name", &[])).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(logs.text().contains("cookie name"), "{}", logs.text());
}
