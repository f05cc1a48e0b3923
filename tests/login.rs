//! The login manager end to end, through `oneshot`: the login_manager example's flow, the
//! remember-me cookie restoring a non-fresh login, refused cookies (expired, tampered, garbage,
//! swapped with the other cookie), a password change logging out everywhere, logout, session
//! renewal at login, redirects for browsers and 401 for API clients, and the user loaded at most
//! once per request.

#[path = "../examples/login_manager.rs"]
mod example;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, LOCATION, VARY};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use paseto_auth::cookie::{CookieKeys, CookieOptions};
use paseto_auth::key::{SigningKey, VerificationKey};
use paseto_auth::login::{
    AuthUser, CookieSettings, CurrentUser, LOGIN_SESSION_COOKIE, LoginError, LoginKeys,
    LoginManager, LoginManagerLayer, LoginRequiredLayer, LoginSession, REMEMBER_COOKIE, Refusal,
    UserLoader,
};
use paseto_auth::store::{MemoryStore, Revocations, TokenStore};
use paseto_auth::token::UntrustedToken;
use paseto_auth::{Version, login_required};
use serde_json::{Value, json};

use example::Users;
use support::http::{self, SetCookie};
use support::rfc3339;
use support::store::stores;

const ONE_YEAR: u64 = 365 * 24 * 60 * 60;

/// The bodies of the login manager's refusals and of a 500.
const LOGIN_REQUIRED: &str = r#"{"error":"login_required"}"#;
const FRESH_LOGIN_REQUIRED: &str = r#"{"error":"fresh_login_required"}"#;
const INTERNAL_ERROR: &str = r#"{"error":"internal_error"}"#;

// ---- requests and responses ----

/// What a response said: status, `Location`, `Vary`, each `Set-Cookie`, and the body.
struct Reply {
    status: StatusCode,
    location: Option<String>,
    vary: Vec<String>,
    cookies: Vec<SetCookie>,
    body: String,
}

impl Reply {
    /// The value the response sets for cookie `name` (not a removal).
    fn set(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|c| c.name == name && !c.value.is_empty())
            .map(|c| c.value.as_str())
    }

    /// The whole `Set-Cookie` header for `name`.
    fn header(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|c| c.name == name)
            .map(ToString::to_string)
    }

    /// Whether the response deletes cookie `name`.
    fn removes(&self, name: &str) -> bool {
        self.cookies.iter().any(|c| {
            c.name == name && c.value.is_empty() && c.attributes.iter().any(|a| a == "Max-Age=0")
        })
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = http::send(app, request).await;
    let header = |name| {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let location = header(LOCATION).pop();
    let vary = header(VARY);
    let cookies = http::set_cookies(&response);
    Reply {
        status: response.status(),
        location,
        vary,
        cookies,
        body: shown(http::body_string(response).await),
    }
}

/// What a page of the example says (`<p id="who">…</p>`, unescaped), or the whole body of any
/// other response.
fn shown(body: String) -> String {
    let text = body
        .split_once(r#"<p id="who">"#)
        .and_then(|(_, rest)| rest.split_once("</p>"))
        .map(|(text, _)| text.to_owned());
    match text {
        Some(text) => text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
        None => body,
    }
}

/// The CSRF value this browser holds (in the example's `csrf` cookie) and sends back with
/// every form, as the example's pages would have it do.
const CSRF: &str = "test-csrf-value-0123456789abcdefghijklmnopq";

/// `name=value` for each cookie, and the `csrf` cookie.
fn pairs(cookies: &[(&str, &str)]) -> Vec<String> {
    cookies
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .chain([format!("csrf={CSRF}")])
        .collect()
}

/// `GET path` with these cookies, as an API client (`Accept: */*`).
fn get_with(path: &str, cookies: &[(&str, &str)]) -> Request<Body> {
    let pairs = pairs(cookies);
    let mut request = http::get_with(path, &pairs.iter().map(String::as_str).collect::<Vec<_>>());
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("*/*"));
    request
}

/// `POST path` with a form body (and its CSRF field) and these cookies.
fn post_form(path: &str, form: &str, cookies: &[(&str, &str)]) -> Request<Body> {
    let pairs = pairs(cookies);
    let cookies: Vec<&str> = pairs.iter().map(String::as_str).collect();
    let form = match form {
        "" => format!("csrf_token={CSRF}"),
        form => format!("{form}&csrf_token={CSRF}"),
    };
    let mut request = http::post_with(path, &cookies, form);
    request.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    request
}

// ---- the example app ----

fn keys() -> LoginKeys {
    LoginKeys::generate(Version::V4).unwrap()
}

fn example_app(users: &Users, keys: &LoginKeys) -> Router {
    example_app_with(users, keys, CookieSettings::new(REMEMBER_COOKIE))
}

/// The example with these remember-me cookie settings.
fn example_app_with(users: &Users, keys: &LoginKeys, remember: CookieSettings) -> Router {
    let revocations = Revocations::new(MemoryStore::new());
    example::app(users.clone(), keys.clone(), remember, revocations).unwrap()
}

/// Logs in as the demo user; returns (login_session, remember_token if remembered).
async fn log_in(app: &Router, remember: bool) -> (String, Option<String>) {
    let form = if remember {
        "email=foo%40example.com&password=mysecret&remember=on"
    } else {
        "email=foo%40example.com&password=mysecret"
    };
    let reply = send(app, post_form("/login", form, &[])).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/protected"));
    let session = reply
        .set("login_session")
        .expect("login session cookie")
        .to_string();
    assert!(session.starts_with("v4.local."), "{session}");
    let remember_token = reply.set("remember_token").map(str::to_string);
    assert_eq!(remember_token.is_some(), remember);
    if !remember {
        // No remember-me cookie of an earlier login outlives this one.
        assert!(reply.removes("remember_token"));
    }
    (session, remember_token)
}

async fn status_of(app: &Router, path: &str, cookies: &[(&str, &str)]) -> (StatusCode, String) {
    let reply = send(app, get_with(path, cookies)).await;
    (reply.status, reply.body)
}

/// `GET /protected` with `cookies` is answered as for nobody logged in (401 `login required`,
/// never a 500), and the response deletes each cookie in `deleted`.
async fn assert_anonymous(app: &Router, cookies: &[(&str, &str)], deleted: &[&str]) -> Reply {
    let reply = send(app, get_with("/protected", cookies)).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (StatusCode::UNAUTHORIZED, LOGIN_REQUIRED),
        "{cookies:.80?}"
    );
    for name in deleted {
        assert!(reply.removes(name), "{name} not deleted for {cookies:.80?}");
    }
    reply
}

#[tokio::test]
async fn the_example_logs_in_and_out() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);

    assert_eq!(
        status_of(&app, "/protected", &[]).await,
        (StatusCode::UNAUTHORIZED, LOGIN_REQUIRED.into())
    );
    let bad = send(
        &app,
        post_form("/login", "email=foo%40example.com&password=nope", &[]),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.cookies.is_empty());

    let (session, _) = log_in(&app, false).await;
    let cookie = [("login_session", session.as_str())];
    assert_eq!(
        status_of(&app, "/protected", &cookie).await,
        (StatusCode::OK, "Logged in as: foo@example.com".into())
    );
    assert_eq!(
        status_of(&app, "/protected/fresh", &cookie).await,
        (StatusCode::OK, "Fresh login as: foo@example.com".into())
    );

    // A link or an image cannot log the user out: GET is not a logout, nor is a post without
    // this browser's CSRF value.
    let by_link = send(&app, get_with("/logout", &cookie)).await;
    assert_eq!(by_link.status, StatusCode::METHOD_NOT_ALLOWED);
    let mut forged = post_form("/logout", "", &cookie);
    *forged.body_mut() = Body::from("csrf_token=guessed");
    let forged = send(&app, forged).await;
    assert_eq!(
        (forged.status, forged.body.as_str()),
        (StatusCode::FORBIDDEN, r#"{"error":"csrf_token_invalid"}"#)
    );
    assert!(forged.cookies.is_empty());
    assert_eq!(
        status_of(&app, "/protected", &cookie).await.0,
        StatusCode::OK
    );

    let logout = send(&app, post_form("/logout", "", &cookie)).await;
    assert_eq!(logout.status, StatusCode::OK);
    assert!(logout.removes("login_session"));
    assert!(logout.removes("remember_token"));
}

#[tokio::test]
async fn the_example_s_pages_carry_the_csrf_value_in_their_forms() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    // A first visit gets its CSRF cookie, and the login form the same value.
    let response = http::send(&app, Request::get("/login").body(Body::empty()).unwrap()).await;
    let cookie = http::the_set_cookie(&response);
    assert_eq!((cookie.name.as_str(), cookie.value.len()), ("csrf", 43));
    let form = http::body_string(response).await;
    let field = format!(
        r#"<input type="hidden" name="csrf_token" value="{}">"#,
        cookie.value
    );
    assert!(form.contains(&field), "{form}");

    let (session, _) = log_in(&app, false).await;
    for path in ["/protected", "/protected/fresh"] {
        let response = http::send(&app, get_with(path, &[("login_session", &session)])).await;
        let page = http::body_string(response).await;
        let logout = format!(
            r#"<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{CSRF}">"#
        );
        assert!(page.contains(&logout), "{page}");
    }
}

/// Logging in and out rotate the form CSRF value, as OWASP recommends: a value the browser held
/// before the login (one an attacker fixed, say) no longer passes once the browser has the new
/// one, and the pages after the login carry the new value.
#[tokio::test]
async fn login_and_logout_rotate_the_form_csrf_value() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let post = http::form_with_csrf;
    let fixed = "fixed-by-an-attacker-0123456789abcdefghijkl";
    let form = "email=foo%40example.com&password=mysecret";
    let login = send(&app, post("/login", form, &[], fixed, fixed)).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    let session = format!("login_session={}", login.set("login_session").unwrap());
    let rotated = login
        .set("csrf")
        .expect("the login sets a new CSRF value")
        .to_owned();
    assert_ne!(rotated, fixed);
    assert_eq!(rotated.len(), 43);

    let csrf = format!("csrf={rotated}");
    let page = http::send(&app, http::get_with("/protected", &[&session, &csrf])).await;
    let page = http::body_string(page).await;
    assert!(
        page.contains(&format!(r#"name="csrf_token" value="{rotated}""#)),
        "{page}"
    );
    let stale = send(&app, post("/logout", "", &[&session], &rotated, fixed)).await;
    assert_eq!(
        (stale.status, stale.body.as_str()),
        (StatusCode::FORBIDDEN, r#"{"error":"csrf_token_invalid"}"#)
    );

    let logout = send(&app, post("/logout", "", &[&session], &rotated, &rotated)).await;
    assert_eq!(logout.status, StatusCode::OK);
    assert!(logout.removes("login_session"));
    let after_logout = logout
        .set("csrf")
        .expect("the logout sets a new CSRF value");
    assert_ne!(after_logout, rotated);
    // A refused login changes nothing.
    let form = "email=foo%40example.com&password=nope";
    let bad = send(&app, post("/login", form, &[], fixed, fixed)).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.cookies.is_empty());
}

#[tokio::test]
async fn the_login_cookies_have_flask_login_attributes() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let reply = send(
        &app,
        post_form(
            "/login",
            "email=foo%40example.com&password=mysecret&remember=on",
            &[],
        ),
    )
    .await;
    let session = reply.header("login_session").unwrap();
    assert!(
        session.ends_with("; HttpOnly; SameSite=Lax; Path=/"),
        "{session}"
    );
    let remember = reply.header("remember_token").unwrap();
    assert!(
        remember.ends_with(&format!(
            "; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age={ONE_YEAR}"
        )),
        "{remember}"
    );
    assert!(reply.vary.iter().any(|v| v == "Cookie"), "{:?}", reply.vary);
}

#[tokio::test]
async fn the_remember_cookie_restores_a_login_that_is_not_fresh() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (_, remember) = log_in(&app, true).await;
    let remember = remember.unwrap();

    // The login session cookie is gone (the browser closed): the remember cookie restores the user.
    let only_remember = [("remember_token", remember.as_str())];
    let restored = send(&app, get_with("/protected", &only_remember)).await;
    assert_eq!(restored.status, StatusCode::OK);
    assert_eq!(restored.body, "Logged in as: foo@example.com");
    let new_session = restored
        .set("login_session")
        .expect("a new login session")
        .to_string();
    assert!(
        restored.set("remember_token").is_none(),
        "not refreshed by default"
    );

    // A restored login is not fresh: API clients get 401, browsers go to log in again.
    assert_eq!(
        status_of(&app, "/protected/fresh", &only_remember).await,
        (StatusCode::UNAUTHORIZED, FRESH_LOGIN_REQUIRED.into())
    );
    let browser = Request::get("/protected/fresh")
        .header(ACCEPT, "text/html")
        .header(COOKIE, format!("remember_token={remember}"))
        .body(Body::empty())
        .unwrap();
    let refused = send(&app, browser).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(
        refused.location.as_deref(),
        Some("/login?next=%2Fprotected%2Ffresh")
    );

    // The login session sent at restoration stays not fresh.
    let restored_session = [("login_session", new_session.as_str())];
    assert_eq!(
        status_of(&app, "/protected", &restored_session).await.0,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&app, "/protected/fresh", &restored_session)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    // Logging in again with the password makes it fresh.
    let (fresh_session, _) = log_in(&app, false).await;
    assert_eq!(
        status_of(
            &app,
            "/protected/fresh",
            &[("login_session", &fresh_session)]
        )
        .await
        .0,
        StatusCode::OK
    );
}

const REMEMBER_BINDING: &[u8] = b"paseto-auth:remember:remember_token";
const SESSION_BINDING: &[u8] = b"paseto-auth:login:login_session";

/// A genuine cookie token (bound by `binding`) with its claims changed by `edit`, sealed again
/// with the real key: what an attacker who had the key could make. Only the edited claim differs
/// from a token that works.
fn reseal(keys: &CookieKeys, token: &str, binding: &[u8], edit: impl FnOnce(&mut Value)) -> String {
    let key = keys.primary().clone();
    let payload = UntrustedToken::parse(token, 4096)
        .unwrap()
        .open(&VerificationKey::Local(key.clone()), binding)
        .unwrap();
    let mut claims: Value = serde_json::from_slice(&payload).unwrap();
    edit(&mut claims);
    paseto_auth::token::seal(
        &SigningKey::Local(key),
        claims.to_string().as_bytes(),
        b"",
        binding,
    )
    .unwrap()
}

fn reseal_remember(keys: &CookieKeys, token: &str, edit: impl FnOnce(&mut Value)) -> String {
    reseal(keys, token, REMEMBER_BINDING, edit)
}

#[tokio::test]
async fn a_resealed_remember_token_with_unchanged_claims_still_works() {
    // The control for the forgeries below: re-sealing alone changes nothing.
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (_, remember) = log_in(&app, true).await;
    let same = reseal_remember(&keys.remember, &remember.unwrap(), |_| {});
    assert_eq!(
        status_of(&app, "/protected", &[("remember_token", &same)])
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_expired_remember_cookie_means_anonymous_and_is_deleted() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (_, remember) = log_in(&app, true).await;
    let expired = reseal_remember(&keys.remember, &remember.unwrap(), |claims| {
        claims["iat"] = json!(rfc3339(time::Duration::days(-400)));
        claims["exp"] = json!(rfc3339(time::Duration::days(-35)));
    });
    let reply = assert_anonymous(&app, &[("remember_token", &expired)], &["remember_token"]).await;
    assert!(reply.set("login_session").is_none());
}

#[tokio::test]
async fn a_remember_token_for_another_subject_or_without_jti_is_refused() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (_, remember) = log_in(&app, true).await;
    let remember = remember.unwrap();
    let unknown_user = reseal_remember(&keys.remember, &remember, |claims| {
        claims["sub"] = json!("2")
    });
    let no_jti = reseal_remember(&keys.remember, &remember, |claims| {
        claims.as_object_mut().unwrap().remove("jti");
    });
    let no_auth_hash = reseal_remember(&keys.remember, &remember, |claims| {
        claims.as_object_mut().unwrap().remove("hsh");
    });
    for token in [unknown_user, no_jti, no_auth_hash] {
        assert_anonymous(&app, &[("remember_token", &token)], &["remember_token"]).await;
    }
}

/// `token` with one character of its body changed.
fn tamper(token: &str) -> String {
    let mut bytes = token.as_bytes().to_vec();
    let i = bytes.len() - 10;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn tampered_and_garbage_cookies_mean_anonymous_never_500() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (session, remember) = log_in(&app, true).await;
    let remember = remember.unwrap();
    // A genuine remember-me cookie of another deployment (other keys), for the same user id.
    let other_app = example_app(&Users::demo(), &self::keys());
    let (_, foreign) = log_in(&other_app, true).await;

    for bad in [
        tamper(&remember),
        foreign.unwrap(),
        "garbage".to_string(),
        "v4.local.".to_string(),
        "v4.public.AAAA".to_string(),
        "x".repeat(5000),
    ] {
        assert_anonymous(&app, &[("remember_token", &bad)], &["remember_token"]).await;
    }
    // A tampered login session falls back to a valid remember cookie...
    let tampered = tamper(&session);
    let reply = send(
        &app,
        get_with(
            "/protected",
            &[("login_session", &tampered), ("remember_token", &remember)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.set("login_session").is_some(),
        "replaced by a restored login"
    );
    // ...and alone means anonymous, and is deleted.
    assert_anonymous(&app, &[("login_session", &tampered)], &["login_session"]).await;
}

#[tokio::test]
async fn a_session_cookie_is_not_a_remember_cookie_nor_the_other_way_round() {
    let users = Users::demo();
    // Different keys (as the example has them), and the same key for both: the purpose binding
    // alone must keep the cookies apart.
    let same = CookieKeys::generate(Version::V4).unwrap();
    for keys in [keys(), LoginKeys::new(same.clone(), same.clone())] {
        let app = example_app(&users, &keys);
        let (session, remember) = log_in(&app, true).await;
        let remember = remember.unwrap();
        assert_anonymous(&app, &[("remember_token", &session)], &["remember_token"]).await;
        assert_anonymous(&app, &[("login_session", &remember)], &["login_session"]).await;
    }
}

#[tokio::test]
async fn a_password_change_logs_the_user_out_everywhere() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    // Browser A: logged in and remembered. Browser B: logged in.
    let (a_session, a_remember) = log_in(&app, true).await;
    let a_remember = a_remember.unwrap();
    let (b_session, _) = log_in(&app, false).await;

    // B changes the password (a fresh login is required for that) and stays logged in.
    let change = send(
        &app,
        post_form(
            "/protected/fresh",
            "password=new-secret",
            &[("login_session", &b_session)],
        ),
    )
    .await;
    assert_eq!(change.status, StatusCode::OK, "{}", change.body);
    let b_new = change.set("login_session").unwrap().to_string();
    assert_eq!(
        status_of(&app, "/protected", &[("login_session", &b_new)])
            .await
            .0,
        StatusCode::OK
    );

    // A's cookies, and B's from before the change, no longer log anyone in.
    for cookies in [
        vec![("login_session", a_session.as_str())],
        vec![("remember_token", a_remember.as_str())],
        vec![
            ("login_session", a_session.as_str()),
            ("remember_token", a_remember.as_str()),
        ],
        vec![("login_session", b_session.as_str())],
    ] {
        let names: Vec<&str> = cookies.iter().map(|(name, _)| *name).collect();
        assert_anonymous(&app, &cookies, &names).await;
    }
    // The new password works; the old one does not.
    let old = send(
        &app,
        post_form("/login", "email=foo%40example.com&password=mysecret", &[]),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = send(
        &app,
        post_form("/login", "email=foo%40example.com&password=new-secret", &[]),
    )
    .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn browsers_are_sent_to_the_login_page_and_back_only_to_local_pages() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let browser = Request::get("/protected?tab=2")
        .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, browser).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location.as_deref(),
        Some("/login?next=%2Fprotected%3Ftab%3D2")
    );
    assert!(reply.vary.iter().any(|v| v == "Accept"), "{:?}", reply.vary);

    let form = send(&app, get_with("/login?next=%2Fprotected%3Ftab%3D2", &[])).await;
    assert!(
        form.body
            .contains(r#"name="next" value="/protected?tab=2""#),
        "{}",
        form.body
    );
    let evil = send(&app, get_with("/login?next=%2F%2Fevil.example", &[])).await;
    assert!(
        evil.body.contains(r#"name="next" value="/protected""#),
        "{}",
        evil.body
    );

    let back = send(
        &app,
        post_form(
            "/login",
            "email=foo%40example.com&password=mysecret&next=%2Fprotected%3Ftab%3D2",
            &[],
        ),
    )
    .await;
    assert_eq!(back.location.as_deref(), Some("/protected?tab=2"));
    let open_redirect = send(
        &app,
        post_form(
            "/login",
            "email=foo%40example.com&password=mysecret&next=https%3A%2F%2Fevil.example",
            &[],
        ),
    )
    .await;
    assert_eq!(open_redirect.location.as_deref(), Some("/protected"));
}

#[tokio::test]
async fn refresh_each_request_reissues_the_remember_cookie() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app_with(
        &users,
        &keys,
        CookieSettings::new(REMEMBER_COOKIE).refresh_each_request(true),
    );
    let (session, remember) = log_in(&app, true).await;
    let remember = remember.unwrap();
    let reply = send(
        &app,
        get_with(
            "/protected",
            &[("login_session", &session), ("remember_token", &remember)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let refreshed = reply.set("remember_token").expect("refreshed");
    assert_ne!(refreshed, remember);
    assert_eq!(
        status_of(&app, "/protected", &[("remember_token", refreshed)])
            .await
            .0,
        StatusCode::OK
    );
}

// ---- a second app: two users, a counting loader ----

#[derive(Debug, Clone, PartialEq)]
struct Member {
    id: String,
}

impl AuthUser for Member {
    type Id = String;
    fn id(&self) -> String {
        self.id.clone()
    }
}

#[derive(Debug)]
struct LoaderDown;

impl std::fmt::Display for LoaderDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the user database is down")
    }
}

impl std::error::Error for LoaderDown {}

/// Knows `alice` and `bob`, counts its calls, and fails for `down`.
#[derive(Clone, Default)]
struct Members {
    calls: Arc<AtomicUsize>,
}

impl UserLoader for Members {
    type User = Member;
    type Error = LoaderDown;

    async fn load_user(&self, id: &String) -> Result<Option<Member>, LoaderDown> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match id.as_str() {
            "alice" | "bob" => Ok(Some(Member { id: id.clone() })),
            "down" => Err(LoaderDown),
            _ => Ok(None),
        }
    }
}

#[login_required]
async fn whoami(
    user: CurrentUser<Member>,
    again: CurrentUser<Member>,
    maybe: Option<CurrentUser<Member>>,
) -> String {
    assert_eq!(*user, *again);
    assert_eq!(maybe.map(|m| m.id.clone()), Some(user.id.clone()));
    user.id.clone()
}

async fn maybe_user(user: Option<CurrentUser<Member>>) -> String {
    user.map_or_else(|| "anonymous".into(), |user| user.id.clone())
}

async fn login_as(
    session: LoginSession<Member>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    match session.login(&Member { id }, false) {
        Ok(()) => "ok".into_response(),
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    }
}

/// The wrong user type, for `CurrentUser<Other>` and `LoginSession<Other>`.
struct Other;

impl AuthUser for Other {
    type Id = u8;
    fn id(&self) -> u8 {
        0
    }
}

async fn other_user(_user: CurrentUser<Other>) -> &'static str {
    "unreachable"
}

async fn login_other(session: LoginSession<Other>) -> Response {
    match session.login(&Other, false) {
        Ok(()) => "ok".into_response(),
        Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
    }
}

fn members_router() -> Router {
    Router::new()
        .route("/whoami", get(whoami))
        .route("/maybe", get(maybe_user))
        .route("/login/{id}", get(login_as))
        .route("/other", get(other_user))
        .route("/login-other", get(login_other))
}

fn members_app(members: &Members, keys: &LoginKeys) -> Router {
    let manager = LoginManager::new(members.clone(), keys.clone());
    members_router().layer(LoginManagerLayer::new(manager).unwrap())
}

async fn member_session(app: &Router, id: &str) -> String {
    let reply = send(app, get_with(&format!("/login/{id}"), &[])).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.set("login_session").unwrap().to_string()
}

#[tokio::test]
async fn the_user_is_loaded_at_most_once_per_request() {
    let (members, keys) = (Members::default(), keys());
    let app = members_app(&members, &keys);
    let alice = member_session(&app, "alice").await;
    assert_eq!(
        members.calls.load(Ordering::SeqCst),
        0,
        "login does not load"
    );

    // The guard, two CurrentUser and an Option<CurrentUser>: one load.
    let reply = send(&app, get_with("/whoami", &[("login_session", &alice)])).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (StatusCode::OK, "alice")
    );
    assert_eq!(members.calls.load(Ordering::SeqCst), 1);

    // A request that does not ask who is logged in loads nobody.
    let reply = send(&app, get_with("/nowhere", &[("login_session", &alice)])).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(members.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn login_renews_the_session_so_a_planted_cookie_does_not_survive() {
    let (members, keys) = (Members::default(), keys());
    let app = members_app(&members, &keys);
    // The attacker plants their own valid login session (bob) in the victim's browser.
    let planted = member_session(&app, "bob").await;
    // The victim logs in as alice: the response replaces the planted cookie.
    let reply = send(
        &app,
        get_with("/login/alice", &[("login_session", &planted)]),
    )
    .await;
    let renewed = reply.set("login_session").unwrap();
    assert_ne!(renewed, planted);
    let reply = send(&app, get_with("/maybe", &[("login_session", renewed)])).await;
    assert_eq!(reply.body, "alice");
    // Logging in as the same user twice gives different cookies (a new session id each time).
    assert_ne!(
        member_session(&app, "alice").await,
        member_session(&app, "alice").await
    );
}

#[tokio::test]
async fn a_deleted_user_is_logged_out_and_a_failing_loader_is_500() {
    let (members, keys) = (Members::default(), keys());
    let app = members_app(&members, &keys);
    let ghost = member_session(&app, "ghost").await;
    let reply = send(&app, get_with("/maybe", &[("login_session", &ghost)])).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (StatusCode::OK, "anonymous")
    );
    assert!(reply.removes("login_session"));
    assert!(reply.removes("remember_token"));

    let down = member_session(&app, "down").await;
    let reply = send(&app, get_with("/maybe", &[("login_session", &down)])).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.body, INTERNAL_ERROR);
    assert!(
        reply.cookies.is_empty(),
        "a loader failure does not log the user out"
    );
}

#[tokio::test]
async fn the_wrong_user_type_and_a_missing_layer_are_500_logging_the_mistake() {
    let (members, keys) = (Members::default(), keys());
    let app = members_app(&members, &keys);
    let alice = member_session(&app, "alice").await;
    let logs = support::logs::capture();
    // `CurrentUser<Other>` and `LoginSession<Other>` under a layer that loads `Member`s: the client
    // learns nothing of the server's types; the log names both.
    for path in ["/other", "/login-other"] {
        for cookies in [&[("login_session", alice.as_str())][..], &[]] {
            let reply = send(&app, get_with(path, cookies)).await;
            assert_eq!(
                (reply.status, reply.body.as_str()),
                (StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR),
                "{path}"
            );
        }
    }
    let logged = logs.text();
    assert!(
        logged.contains("no LoginManagerLayer loading login::Other users around this route; the layer here loads login::Member"),
        "{logged}"
    );

    let bare = members_router();
    let reply = send(&bare, get_with("/whoami", &[])).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_ERROR)
    );
    assert!(
        logs.text()
            .contains("no LoginManagerLayer around this route: add .layer("),
        "{}",
        logs.text()
    );
}

#[tokio::test]
async fn on_refused_answers_refused_requests() {
    let (members, keys) = (Members::default(), keys());
    let manager = LoginManager::new(members.clone(), keys.clone())
        .login_url("/login")
        .on_refused(|parts, refusal| {
            let body = format!("{} for {}", refusal.as_str(), parts.uri.path());
            let status = match refusal {
                Refusal::NotLoggedIn => StatusCode::FORBIDDEN,
                _ => StatusCode::CONFLICT,
            };
            (status, body).into_response()
        });
    let app = members_router().layer(LoginManagerLayer::new(manager).unwrap());
    let reply = send(&app, get_with("/whoami", &[])).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (StatusCode::FORBIDDEN, "login required for /whoami")
    );
}

#[test]
fn bad_settings_fail_at_start_up_naming_the_setting() {
    let keys = keys();
    let layer = |manager: LoginManager<Members>| match LoginManagerLayer::new(manager) {
        Err(paseto_auth::Error::Config { setting, .. }) => setting,
        other => panic!("not a config error: {other:?}"),
    };
    let manager = || LoginManager::new(Members::default(), keys.clone());
    assert_eq!(layer(manager().login_url("login")), "login_url");
    assert_eq!(
        layer(manager().remember_cookie(
            CookieOptions::new("login_session").max_age(std::time::Duration::from_secs(60))
        )),
        "remember_cookie"
    );
    assert_eq!(
        layer(manager().session_cookie(CookieOptions::new("bad name"))),
        "session_cookie"
    );
}

#[tokio::test]
async fn an_expired_login_session_falls_back_to_the_remember_cookie_or_to_anonymous() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (session, remember) = log_in(&app, true).await;
    let remember = remember.unwrap();
    let expired = reseal(&keys.session, &session, SESSION_BINDING, |claims| {
        claims["iat"] = json!(rfc3339(time::Duration::hours(-30)));
        claims["exp"] = json!(rfc3339(time::Duration::hours(-6)));
    });
    assert_anonymous(&app, &[("login_session", &expired)], &["login_session"]).await;
    let reply = send(
        &app,
        get_with(
            "/protected",
            &[("login_session", &expired), ("remember_token", &remember)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.set("login_session").is_some(), "restored");
    assert_eq!(
        status_of(&app, "/protected/fresh", &[("remember_token", &remember)])
            .await
            .0,
        StatusCode::UNAUTHORIZED,
        "restored logins are not fresh"
    );
}

#[tokio::test]
async fn a_shorter_remember_duration_also_shortens_the_tokens_already_issued() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (_, remember) = log_in(&app, true).await;
    // Issued 40 days ago with a year to live: fine under the 365-day setting...
    let old = reseal_remember(&keys.remember, &remember.unwrap(), |claims| {
        claims["iat"] = json!(rfc3339(time::Duration::days(-40)));
    });
    assert_eq!(
        status_of(&app, "/protected", &[("remember_token", &old)])
            .await
            .0,
        StatusCode::OK
    );
    // ...refused once the setting is 30 days.
    let thirty_days =
        CookieSettings::new(REMEMBER_COOKIE.max_age(std::time::Duration::from_secs(30 * 86400)));
    let shorter = example_app_with(&users, &keys, thirty_days);
    assert_anonymous(&shorter, &[("remember_token", &old)], &["remember_token"]).await;
}

#[tokio::test]
async fn a_refresh_does_not_revive_a_remember_token_of_an_old_password() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app_with(
        &users,
        &keys,
        CookieSettings::new(REMEMBER_COOKIE).refresh_each_request(true),
    );
    let (_, old_remember) = log_in(&app, true).await;
    let (session, _) = log_in(&app, false).await;
    let change = send(
        &app,
        post_form(
            "/protected/fresh",
            "password=new-secret",
            &[("login_session", &session)],
        ),
    )
    .await;
    let current = change.set("login_session").unwrap().to_string();
    // A current login session with the old password's remember token beside it.
    let reply = send(
        &app,
        get_with(
            "/protected",
            &[
                ("login_session", &current),
                ("remember_token", &old_remember.unwrap()),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.set("remember_token").is_none(),
        "not re-sealed for the new password"
    );
    assert!(reply.removes("remember_token"));
}

#[tokio::test]
async fn the_first_valid_cookie_of_a_name_counts_and_a_non_ascii_cookie_hides_none() {
    let (users, keys) = (Users::demo(), keys());
    let app = example_app(&users, &keys);
    let (session, _) = log_in(&app, false).await;
    let reply = send(
        &app,
        get_with(
            "/protected",
            &[("login_session", "garbage"), ("login_session", &session)],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.cookies.iter().all(|c| c.name != "login_session"),
        "the valid one stays"
    );

    let mut request = get_with("/protected", &[]);
    let header = format!("pref=Jos\u{e9}; login_session={session}");
    request
        .headers_mut()
        .insert(COOKIE, HeaderValue::from_bytes(header.as_bytes()).unwrap());
    assert_eq!(send(&app, request).await.status, StatusCode::OK);
    // Not UTF-8 at all (Latin-1 é): only that pair is skipped.
    let mut request = get_with("/protected", &[]);
    let mut header = b"pref=Jos\xe9; login_session=".to_vec();
    header.extend_from_slice(session.as_bytes());
    request
        .headers_mut()
        .insert(COOKIE, HeaderValue::from_bytes(&header).unwrap());
    assert_eq!(send(&app, request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_refreshed_login_session_slides_its_expiry() {
    let (members, keys) = (Members::default(), keys());
    let manager = LoginManager::new(members.clone(), keys.clone())
        .session_cookie(CookieSettings::new(LOGIN_SESSION_COOKIE).refresh_each_request(true));
    let app = members_router().layer(LoginManagerLayer::new(manager).unwrap());
    let alice = member_session(&app, "alice").await;
    let reply = send(&app, get_with("/maybe", &[("login_session", &alice)])).await;
    assert_eq!(reply.body, "alice");
    let refreshed = reply.set("login_session").expect("re-issued");
    assert_ne!(refreshed, alice);
    let reply = send(&app, get_with("/maybe", &[("login_session", refreshed)])).await;
    assert_eq!(reply.body, "alice");
}

// ---- #[paseto_required] and #[login_required] on one handler ----

/// A bearer token and a login, both required; the login guard (nearer the `fn`) runs first.
#[paseto_auth::paseto_required]
#[login_required]
async fn token_and_login(user: CurrentUser<Member>) -> String {
    user.id.clone()
}

#[tokio::test]
async fn both_guards_run_on_one_handler() {
    let (members, keys) = (Members::default(), keys());
    let secret = paseto_auth::key::SecretKey::generate(Version::V4).unwrap();
    let issuer = paseto_auth::Issuer::builder()
        .issuer("https://issuer.example")
        .key(secret.clone())
        .build()
        .unwrap();
    let verifier = paseto_auth::Verifier::builder()
        .public_key(secret.public_key().clone(), "https://issuer.example")
        .build()
        .unwrap();
    let token = issuer.issue(&json!({"sub": "alice"})).unwrap();
    let manager = LoginManager::new(members.clone(), keys.clone());
    let app = members_router()
        .merge(
            Router::new()
                .route("/both", get(token_and_login))
                .with_state(paseto_auth::extract::PasetoAuth::new(verifier)),
        )
        .layer(LoginManagerLayer::new(manager).unwrap());
    let alice = member_session(&app, "alice").await;
    let bearer = format!("Bearer {token}");
    let with = |cookie: Option<&str>, bearer: Option<&str>| {
        let mut request = get_with("/both", &[]);
        if let Some(cookie) = cookie {
            request.headers_mut().insert(
                COOKIE,
                HeaderValue::try_from(format!("login_session={cookie}")).unwrap(),
            );
        }
        if let Some(bearer) = bearer {
            request
                .headers_mut()
                .insert(AUTHORIZATION, HeaderValue::try_from(bearer).unwrap());
        }
        request
    };
    let both = send(&app, with(Some(&alice), Some(&bearer))).await;
    assert_eq!((both.status, both.body.as_str()), (StatusCode::OK, "alice"));
    let neither = send(&app, with(None, None)).await;
    assert_eq!(
        (neither.status, neither.body.as_str()),
        (StatusCode::UNAUTHORIZED, LOGIN_REQUIRED)
    );
    let login_only = send(&app, with(Some(&alice), None)).await;
    assert_eq!(login_only.status, StatusCode::UNAUTHORIZED);
    assert_ne!(
        login_only.body, LOGIN_REQUIRED,
        "refused by the token guard"
    );
    let token_only = send(&app, with(None, Some(&bearer))).await;
    assert_eq!(
        (token_only.status, token_only.body.as_str()),
        (StatusCode::UNAUTHORIZED, LOGIN_REQUIRED)
    );
}

// ---- revocation: logouts that end copies of the cookies, on every instance ----

/// Two instances of the example sharing `store` (and keys, as a fleet does).
fn two_instances(users: &Users, keys: &LoginKeys, store: Arc<dyn TokenStore>) -> (Router, Router) {
    let instance = || {
        let revocations = Revocations::shared(store.clone());
        example::app(
            users.clone(),
            keys.clone(),
            CookieSettings::new(REMEMBER_COOKIE),
            revocations,
        )
        .unwrap()
    };
    (instance(), instance())
}

#[tokio::test]
async fn logout_ends_copies_of_both_cookies_on_every_instance() {
    for (name, store) in stores().await {
        let (users, keys) = (Users::demo(), keys());
        let (a, b) = two_instances(&users, &keys, store);
        let (session, remember) = log_in(&a, true).await;
        let remember = remember.unwrap();
        // An attacker copied both cookies before the user logged out on instance a.
        let copied = [
            ("login_session", session.as_str()),
            ("remember_token", remember.as_str()),
        ];
        assert_eq!(
            status_of(&b, "/protected", &copied).await.0,
            StatusCode::OK,
            "{name}"
        );
        let reply = send(&a, post_form("/logout", "", &copied)).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        for app in [&a, &b] {
            assert_anonymous(app, &copied[..1], &["login_session"]).await;
            assert_anonymous(app, &copied[1..], &["remember_token"]).await;
        }
    }
}

/// The example, its remember-me cookie re-sealed at each request, revocations in `store`.
fn refreshing_remember_app(store: Arc<dyn TokenStore>) -> Router {
    let remember = CookieSettings::new(REMEMBER_COOKIE).refresh_each_request(true);
    example::app(Users::demo(), keys(), remember, Revocations::shared(store)).unwrap()
}

#[tokio::test]
async fn logout_ends_every_copy_of_the_login_even_ones_re_sealed_since_they_were_stolen() {
    // With refresh_each_request, each visit re-seals the remember-me cookie with a new `jti`: a
    // logout that revoked only the ids it was shown would leave a copy stolen earlier working.
    for (name, store) in stores().await {
        let app = refreshing_remember_app(store);
        let (session, stolen_remember) = log_in(&app, true).await;
        let stolen_remember = stolen_remember.unwrap();
        let visit = send(
            &app,
            get_with(
                "/protected",
                &[
                    ("login_session", &session),
                    ("remember_token", &stolen_remember),
                ],
            ),
        )
        .await;
        assert_eq!(visit.status, StatusCode::OK, "{name}");
        let re_sealed = visit.set("remember_token").expect("re-sealed").to_owned();
        assert_ne!(re_sealed, stolen_remember);
        // The user logs out with the cookies they now hold.
        let now_held = [
            ("login_session", session.as_str()),
            ("remember_token", re_sealed.as_str()),
        ];
        let reply = send(&app, post_form("/logout", "", &now_held)).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}");
        assert_anonymous(
            &app,
            &[("remember_token", &stolen_remember)],
            &["remember_token"],
        )
        .await;
    }
}

#[tokio::test]
async fn a_revoked_remember_me_cookie_is_not_re_sealed_beside_a_valid_session() {
    // A valid session of one login must not turn another login's revoked remember-me cookie
    // into a fresh one.
    for (name, store) in stores().await {
        let app = refreshing_remember_app(store);
        let (phone_session, phone_remember) = log_in(&app, true).await;
        let phone_remember = phone_remember.unwrap();
        let (laptop_session, _) = log_in(&app, false).await;
        let phone = [
            ("login_session", phone_session.as_str()),
            ("remember_token", phone_remember.as_str()),
        ];
        assert_eq!(
            send(&app, post_form("/logout", "", &phone)).await.status,
            StatusCode::OK
        );
        let mixed = [
            ("login_session", laptop_session.as_str()),
            ("remember_token", phone_remember.as_str()),
        ];
        let reply = send(&app, get_with("/protected", &mixed)).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{name}: the laptop's session is valid"
        );
        assert!(
            reply.removes("remember_token"),
            "{name}: {:?}",
            reply.header("remember_token")
        );
    }
}

#[tokio::test]
async fn a_logout_revocation_lasts_as_long_as_any_cookie_of_the_login_can() {
    // A copy re-sealed (by its thief's own visits) after the user's last visit expires later
    // than the user's copy: the revocation must outlive it, not end with the user's copy.
    let Some(url) = support::redis::shared_url() else {
        return;
    };
    let prefix = support::redis::unique_prefix();
    let store = support::redis::with_history(&url, &prefix).await;
    let (users, keys) = (Users::demo(), keys());
    let remember = CookieSettings::new(REMEMBER_COOKIE); // 365 days
    let app = example::app(
        users.clone(),
        keys.clone(),
        remember,
        Revocations::new(store),
    )
    .unwrap();
    let (session, remember) = log_in(&app, true).await;
    let held = [
        ("login_session", session.as_str()),
        ("remember_token", remember.as_deref().unwrap()),
    ];
    assert_eq!(
        send(&app, post_form("/logout", "", &held)).await.status,
        StatusCode::OK
    );
    let mut entries = support::redis::entries_under(&url, &prefix).await;
    entries.retain(|(name, _)| name != "epoch"); // the store's marker (see tests/store_faults.rs)
    let [(name, ttl)] = entries.as_slice() else {
        panic!("one family for both cookies: {entries:?}");
    };
    assert!(name.starts_with("fam:"), "{name}");
    let year = 365 * 24 * 3600;
    assert!(
        (year..=year + 400).contains(ttl),
        "TTL {ttl}: the remember-me lifetime and the leeway"
    );
}

#[tokio::test]
async fn logout_everywhere_with_a_failing_store_is_503_not_a_silent_success() {
    let (users, keys) = (Users::demo(), keys());
    let (session, _) = log_in(&example_app(&users, &keys), false).await;
    let store = support::store::Broken { hangs: false };
    let broken = Revocations::new(store).fail_open(true);
    let app = example::app(users, keys, CookieSettings::new(REMEMBER_COOKIE), broken).unwrap();
    // Failing open lets the user in, but the revocation itself cannot be recorded: that is
    // 503, never a 200 that leaves the other devices logged in.
    let cookies = [("login_session", session.as_str())];
    assert_eq!(
        status_of(&app, "/protected", &cookies).await.0,
        StatusCode::OK
    );
    for path in ["/logout/everywhere", "/logout"] {
        let reply = send(&app, post_form(path, "", &cookies)).await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            reply.body
        );
        // Nothing changes in the browser: no cookie deleted (nor a new CSRF value), so it is not
        // shown logged out while its cookies still work, and it can send the logout again.
        assert!(reply.cookies.is_empty(), "{path}: {:?}", reply.cookies);
        assert_eq!(reply.body, r#"{"error":"temporarily_unavailable"}"#);
    }
}

/// Logging out everywhere from a route without `#[login_required]`.
async fn unguarded_logout_everywhere(
    session: LoginSession<Member>,
) -> Result<&'static str, LoginError> {
    session.logout_everywhere().await?;
    Ok("logged out everywhere")
}

#[tokio::test]
async fn logout_everywhere_when_the_store_fails_closed_is_503_too() {
    let (members, keys) = (Members::default(), keys());
    let alice = member_session(&members_app(&members, &keys), "alice").await;
    let broken = Revocations::new(support::store::Broken { hangs: false });
    let manager = LoginManager::new(members.clone(), keys.clone()).revocations(broken);
    let app = members_router()
        .route("/everywhere", post(unguarded_logout_everywhere))
        .layer(LoginManagerLayer::new(manager).unwrap());
    let reply = send(
        &app,
        post_form("/everywhere", "", &[("login_session", &alice)]),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn logout_everywhere_ends_every_login_of_the_user() {
    for (name, store) in stores().await {
        let (users, keys) = (Users::demo(), keys());
        let (a, b) = two_instances(&users, &keys, store.clone());
        // Two browsers, each remembered.
        let (phone, phone_remember) = log_in(&a, true).await;
        let (laptop, _) = log_in(&b, true).await;
        let phone_cookies = [
            ("login_session", phone.as_str()),
            ("remember_token", phone_remember.as_deref().unwrap()),
        ];
        let reply = send(
            &b,
            post_form("/logout/everywhere", "", &[("login_session", &laptop)]),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        assert!(reply.removes("login_session") && reply.removes("remember_token"));
        // The phone, on either instance: its login session and its remember-me cookie are over.
        for app in [&a, &b] {
            assert_anonymous(app, &phone_cookies[..1], &["login_session"]).await;
            assert_anonymous(app, &phone_cookies[1..], &["remember_token"]).await;
        }
        // An API token of the same subject (the user's id) is over too.
        let verdict = store
            .check(paseto_auth::store::TokenRef {
                subject: Some("1"),
                issued_at: Some(time::OffsetDateTime::now_utc() - time::Duration::minutes(1)),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            verdict,
            Some(paseto_auth::store::RevokedBy::Subject),
            "{name}"
        );
        // Logging in again later works (times are whole seconds: wait for the next one).
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let (again, _) = log_in(&a, false).await;
        assert_eq!(
            status_of(&b, "/protected", &[("login_session", &again)])
                .await
                .0,
            StatusCode::OK,
            "{name}"
        );
    }
}

// ---- the router-wide guard ----

async fn member_page(user: CurrentUser<Member>) -> String {
    user.id.clone()
}

/// `/members/*` behind `LoginRequiredLayer`, the login route outside it.
fn guarded_members_app(members: &Members, keys: &LoginKeys, layer: LoginRequiredLayer) -> Router {
    let guarded = Router::new()
        .route("/page", get(member_page))
        .route("/plain", get(|| async { "no extractor" }))
        .route_layer(layer);
    let manager = LoginManager::new(members.clone(), keys.clone()).login_url("/login");
    Router::new()
        .nest("/members", guarded)
        .route("/login/{id}", get(login_as))
        .layer(LoginManagerLayer::new(manager).unwrap())
}

#[tokio::test]
async fn the_login_required_layer_guards_every_route_behind_it() {
    let (members, keys) = (Members::default(), keys());
    let app = guarded_members_app(&members, &keys, LoginRequiredLayer::new());

    // Nobody logged in: 401 for an API client, 303 to the login page (with `next`) for a
    // browser, even on a route whose handler asks for no user.
    for path in ["/members/page", "/members/plain"] {
        assert_eq!(
            status_of(&app, path, &[]).await,
            (StatusCode::UNAUTHORIZED, LOGIN_REQUIRED.to_owned())
        );
        let mut browser = get_with(path, &[]);
        browser
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("text/html"));
        let reply = send(&app, browser).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let next = path.replace('/', "%2F");
        assert_eq!(reply.location, Some(format!("/login?next={next}")));
    }
    assert_eq!(members.calls.load(Ordering::SeqCst), 0);

    // Logged in: the handlers run, and the user is loaded once for guard and extractor.
    let alice = member_session(&app, "alice").await;
    let cookie = [("login_session", alice.as_str())];
    assert_eq!(
        status_of(&app, "/members/page", &cookie).await,
        (StatusCode::OK, "alice".to_owned())
    );
    assert_eq!(members.calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        status_of(&app, "/members/plain", &cookie).await,
        (StatusCode::OK, "no extractor".to_owned())
    );

    // Routes outside the layer are not guarded, and an unknown path is still a 404.
    assert_eq!(
        status_of(&app, "/members/nowhere", &[]).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_fresh_login_required_layer_refuses_a_restored_login() {
    let (users, keys) = (Users::demo(), keys());
    let revocations = Revocations::new(MemoryStore::new());
    let pages = Router::new()
        .route(
            "/fresh-only",
            get(|user: CurrentUser<example::User>| async move { user.email.clone() }),
        )
        .route_layer(LoginRequiredLayer::fresh());
    let app = example::app(
        users.clone(),
        keys.clone(),
        CookieSettings::new(REMEMBER_COOKIE),
        revocations,
    )
    .unwrap();
    let manager = LoginManager::new(users, keys);
    let fresh_app = pages.layer(LoginManagerLayer::new(manager).unwrap());

    let (session, remember) = log_in(&app, true).await;
    assert_eq!(
        status_of(&fresh_app, "/fresh-only", &[("login_session", &session)]).await,
        (StatusCode::OK, "foo@example.com".to_owned())
    );
    // Restored from the remember-me cookie alone: logged in, but not freshly.
    let remember = remember.unwrap();
    assert_eq!(
        status_of(&fresh_app, "/fresh-only", &[("remember_token", &remember)]).await,
        (StatusCode::UNAUTHORIZED, FRESH_LOGIN_REQUIRED.to_owned())
    );
}
