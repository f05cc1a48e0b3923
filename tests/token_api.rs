//! The token_api example as its README walk-through uses it: log in, use the token, refresh the
//! pair, replay a used refresh token (the whole login then fails), need a fresh token, log out
//! (the token then fails), log out everywhere — with the memory store, and with two instances of
//! the app sharing Redis.

#[path = "../examples/token_api.rs"]
#[allow(dead_code)]
mod example;
mod support;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use paseto_auth::store::{MemoryStore, Revocations};
use serde_json::Value;

use support::http::{bearer, body_string, send};
use support::setup;

async fn login(app: &Router, password: &str) -> (StatusCode, Value) {
    let request = Request::post("/login")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(format!(
            r#"{{"email":"foo@example.com","password":"{password}"}}"#
        )))
        .unwrap();
    let response = send(app, request).await;
    let status = response.status();
    let body = body_string(response).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Logs in; returns the pair's (access token, refresh token).
async fn pair(app: &Router) -> (String, String) {
    let (status, body) = login(app, "mysecret").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 15 * 60);
    assert_eq!(body["refresh_expires_in"], 14 * 24 * 3600);
    let text = |name: &str| body[name].as_str().unwrap().to_owned();
    (text("access_token"), text("refresh_token"))
}

async fn token(app: &Router) -> String {
    pair(app).await.0
}

/// `POST /token/refresh` with `{"refresh_token": …}`: the status and the body.
async fn refresh(app: &Router, refresh_token: &str) -> (StatusCode, Value) {
    let request = Request::post("/token/refresh")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({ "refresh_token": refresh_token }).to_string(),
        ))
        .unwrap();
    let response = send(app, request).await;
    let status = response.status();
    let body = body_string(response).await;
    (status, serde_json::from_str(&body).unwrap())
}

async fn call(app: &Router, method: &str, path: &str, token: &str) -> (StatusCode, String) {
    let response = send(app, bearer(method, path, token)).await;
    (response.status(), body_string(response).await)
}

/// Two instances of the example with the same keys and `revocations` each.
fn instances(first: Revocations, second: Revocations) -> (Router, Router) {
    let keys = setup(paseto_auth::Version::V4);
    let instance = |revocations| {
        example::app(
            example::state(keys.issuer.clone(), keys.verifier.clone(), revocations).unwrap(),
        )
    };
    (instance(first), instance(second))
}

const ME: (StatusCode, &str) = (StatusCode::OK, r#"{"email":"foo@example.com"}"#);

async fn walk_through(a: &Router, b: &Router) {
    let (status, _) = login(a, "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Log in on one instance, use the token on the other, log out on the first.
    let first = token(a).await;
    let (status, body) = call(b, "GET", "/protected/me", &first).await;
    assert_eq!((status, body.as_str()), ME);
    assert_eq!(
        call(a, "POST", "/logout", &first).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = refused_by(b, &first).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::UNAUTHORIZED, r#"{"error":"invalid_token"}"#)
    );

    // Refresh on the other instance; the refreshed access token works but is not fresh.
    let (access, refresh_token) = pair(a).await;
    assert_eq!(
        call(a, "GET", "/protected/fresh", &access).await.0,
        StatusCode::OK
    );
    let (status, renewed) = refresh(b, &refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let renewed_access = renewed["access_token"].as_str().unwrap();
    let renewed_refresh = renewed["refresh_token"].as_str().unwrap();
    assert_eq!(
        call(a, "GET", "/protected/me", renewed_access).await,
        (ME.0, ME.1.to_owned())
    );
    assert_eq!(
        call(a, "GET", "/protected/fresh", renewed_access).await,
        (
            StatusCode::UNAUTHORIZED,
            r#"{"error":"insufficient_user_authentication"}"#.to_owned()
        )
    );
    // The used refresh token again, at once (a retry of a lost answer, a double click): the
    // same pair, on either instance.
    let (status, retried) = refresh(a, &refresh_token).await;
    assert_eq!((status, &retried), (StatusCode::OK, &renewed));
    // The renewed pair refreshes on; after that, a replay of the first refresh token (a thief's
    // copy, say) ends the whole login: the replay, every pair since and the first access token
    // are refused, on both instances.
    let (status, third) = refresh(b, renewed_refresh).await;
    assert_eq!(status, StatusCode::OK, "{third}");
    let (status, body) = refresh(a, &refresh_token).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            serde_json::json!({"error": "invalid_grant"})
        )
    );
    let third_access = third["access_token"].as_str().unwrap();
    for app in [a, b] {
        for token in [third_access, renewed_access, access.as_str()] {
            assert_eq!(refused_by(app, token).await.0, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(
        refresh(b, third["refresh_token"].as_str().unwrap()).await.0,
        StatusCode::BAD_REQUEST
    );

    // Logging out ends the login's refresh token too.
    let (access, refresh_token) = pair(b).await;
    assert_eq!(
        call(a, "POST", "/logout", &access).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(refresh(b, &refresh_token).await.0, StatusCode::BAD_REQUEST);

    // Two more logins; "log out everywhere" from one ends both, on both instances. Times are
    // whole seconds: wait for the next one, so the new logins are not counted as before it.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (second, third) = (token(a).await, token(b).await);
    assert_eq!(
        call(a, "GET", "/protected/me", &third).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(b, "POST", "/logout/everywhere", &second).await.0,
        StatusCode::NO_CONTENT
    );
    for app in [a, b] {
        for token in [&second, &third] {
            assert_eq!(refused_by(app, token).await.0, StatusCode::UNAUTHORIZED);
        }
    }
}

/// `GET /protected/me` with `token` on `app` once it refuses it: a revocation made on another
/// instance reaches this one's mirror within milliseconds (`benches/fleet.rs` measures it; the
/// memory store and the instance that wrote it refuse at once). Fails after five seconds.
async fn refused_by(app: &Router, token: &str) -> (StatusCode, String) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let answer = call(app, "GET", "/protected/me", token).await;
        if answer.0 != StatusCode::OK || std::time::Instant::now() > deadline {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn the_walk_through_with_the_memory_store() {
    let shared = Revocations::new(MemoryStore::new());
    let (a, b) = instances(shared.clone(), shared);
    walk_through(&a, &b).await;
}

#[tokio::test]
async fn the_walk_through_with_two_instances_on_one_redis() {
    let Some(url) = support::redis::shared_url() else {
        return;
    };
    let prefix = support::redis::unique_prefix();
    let connect = || async { Revocations::new(support::redis::with_history(&url, &prefix).await) };
    let (a, b) = instances(connect().await, connect().await);
    walk_through(&a, &b).await;
}

#[tokio::test]
async fn the_walk_through_with_two_instances_on_one_postgres() {
    let Some(url) = support::postgres::shared_url() else {
        return;
    };
    let schema = support::postgres::unique_schema();
    let first = support::postgres::with_history(&url, &schema, true).await;
    // The second instance finds the tables made and the history set.
    let second = support::postgres::builder(&schema, true)
        .connect(&url)
        .await
        .unwrap();
    let (a, b) = instances(Revocations::new(first), Revocations::new(second));
    walk_through(&a, &b).await;
}

#[tokio::test]
async fn a_logout_the_store_could_not_confirm_says_so_as_the_guard_does() {
    let Some(redis) = support::redis::OwnRedis::start() else {
        return;
    };
    let store = support::redis::with_history(&redis.url(), "paseto-auth:").await;
    let (app, _) = instances(
        Revocations::new(store.clone()),
        Revocations::new(store.clone()),
    );
    let warm_up = token(&app).await; // loads the revocation script, as a server in use has it
    assert_eq!(
        call(&app, "POST", "/logout", &warm_up).await.0,
        StatusCode::NO_CONTENT
    );
    let access = token(&app).await;
    let duration = std::time::Duration::from_millis(1000);
    let mut pauser = support::redis::pause_writes(&redis.url(), duration).await;
    let response = send(&app, bearer("POST", "/logout", &access)).await;
    // The guard's answer to a store failure: 503, `Retry-After: 1`, the same body.
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(
        body_string(response).await,
        r#"{"error":"temporarily_unavailable"}"#
    );
    support::redis::writes_resumed(&mut pauser).await;
    // It landed after the answer: the token is refused (once the feed has brought it to the
    // instance's mirror: the call that wrote it was abandoned), and a retry of the logout too
    // (the token it would revoke is revoked).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while call(&app, "GET", "/protected/me", &access).await.0 != StatusCode::UNAUTHORIZED {
        assert!(
            std::time::Instant::now() < deadline,
            "the logout never landed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(
        call(&app, "POST", "/logout", &access).await.0,
        StatusCode::UNAUTHORIZED
    );
}
