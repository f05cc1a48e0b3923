//! `paseto_auth::testing` as an application's tests use it: a guarded route tested with a
//! bearer token, with a cookie token and its CSRF value, and a login-manager route with a
//! logged-in cookie.

#[path = "../examples/login_manager.rs"]
mod example;

use axum::Router;
use axum::body::Body;
use axum::http::header::{ACCEPT, COOKIE};
use axum::http::{Method, Request, StatusCode};
use axum::routing::get;
use http_body_util::BodyExt;
use paseto_auth::login::{
    CookieSettings, LoginKeys, LoginManager, LoginManagerLayer, REMEMBER_COOKIE, UserLoader,
};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::testing::TestAuth;
use paseto_auth::{Paseto, Version, paseto_required};
use serde_json::{Value, json};
use tower::ServiceExt;

#[paseto_required(aud = "api")]
async fn me(token: Paseto<Value>) -> String {
    token.registered.sub.unwrap_or_default()
}

async fn body(response: axum::response::Response) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn a_guarded_route_in_five_lines() {
    let test = TestAuth::new();
    let app = Router::new().route("/me", get(me)).with_state(test.auth());
    let response = app
        .oneshot(test.get("/me", &json!({"sub": "alice", "aud": "api"})))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "alice");
}

#[tokio::test]
async fn refusals_carry_their_kind() {
    let test = TestAuth::new();
    let app = Router::new().route("/me", get(me)).with_state(test.auth());
    let response = app
        .oneshot(test.get("/me", &json!({"sub": "alice", "aud": "web"})))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        body(response)
            .await
            .contains(r#""kind":"audience_not_accepted""#)
    );
    // Another TestAuth's tokens are not trusted.
    let stranger = TestAuth::new();
    let app = Router::new().route("/me", get(me)).with_state(test.auth());
    let response = app
        .oneshot(stranger.get("/me", &json!({"aud": "api"})))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_cookie_request_carries_its_csrf_value() {
    let test = TestAuth::new();
    let app = Router::new()
        .route("/me", get(me).post(me))
        .with_state(test.auth());
    let claims = json!({"sub": "alice", "aud": "api"});
    let response = app
        .clone()
        .oneshot(test.cookie_request(Method::POST, "/me", &claims))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut forged = test.cookie_request(Method::POST, "/me", &claims);
    forged.headers_mut().remove("x-csrf-token");
    assert_eq!(
        app.oneshot(forged).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_login_cookie_logs_a_user_in() {
    let (users, keys) = (
        example::Users::demo(),
        LoginKeys::generate(Version::V4).unwrap(),
    );
    let user = users.load_user(&1).await.unwrap().unwrap();
    let layer = LoginManagerLayer::new(LoginManager::new(users.clone(), keys.clone())).unwrap();
    let app = example::app(
        users,
        keys,
        CookieSettings::new(REMEMBER_COOKIE),
        Revocations::new(MemoryStore::new()),
    )
    .unwrap();
    let request = |cookie: Option<String>| {
        let mut request = Request::get("/protected/fresh").header(ACCEPT, "*/*");
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    let response = app
        .clone()
        .oneshot(request(Some(layer.login_cookie(&user).unwrap())))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        body(response)
            .await
            .contains("Fresh login as: foo@example.com")
    );
    assert_eq!(
        app.oneshot(request(None)).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}
