//! What a real Redis does to revocations when it restarts, loses its data, goes idle or is
//! configured without persistence: a wipe never un-revokes (the epoch marker), a restart seen
//! first by an idle instance is no 503, and a server without persistence is warned about or
//! refused at start-up.

mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::routing::{get, post, post_service};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::refresh::{RefreshEndpoint, RefreshTokens};
use paseto_auth::store::mirror::MirrorSettings;
use paseto_auth::store::{
    RedisStore, RedisStoreBuilder, Revocations, RevokedBy, TokenRef, TokenStore,
};
use paseto_auth::{
    Error, ErrorKind, PairOptions, Paseto, TokenOptions, TokenPair, Version, paseto_required,
};
use serde_json::{Value, json};

use support::http::{bearer, body_string, send};
use support::logs;
use support::redis::{OwnRedis, pause_writes, writes_resumed};
use support::{Setup, setup};

#[paseto_required]
async fn me(token: Paseto<Value>) -> String {
    token.registered.sub.unwrap_or_default()
}

#[paseto_required]
async fn logout(State(auth): State<PasetoAuth>, token: Paseto<Value>) -> StatusCode {
    match auth.revoke(&token).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn app(keys: &Setup, revocations: Revocations) -> Router {
    let auth = PasetoAuth::new(keys.verifier.clone())
        .revocations(revocations)
        .detailed_errors(true);
    Router::new()
        .route("/me", get(me))
        .route("/logout", post(logout))
        .with_state(auth)
}

fn token(keys: &Setup, sub: &str) -> String {
    keys.issuer
        .issue_with(&json!({}), TokenOptions::new().subject(sub))
        .unwrap()
}

/// The status and, for a refusal, its kind.
async fn call(app: &Router, method: &str, token: &str) -> (StatusCode, String) {
    let path = if method == "POST" { "/logout" } else { "/me" };
    let response = send(app, bearer(method, path, token)).await;
    let status = response.status();
    let body = body_string(response).await;
    let kind = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|json| json["kind"].as_str().map(str::to_owned))
        .unwrap_or(body);
    (status, kind)
}

/// Waits for the next whole second, so that tokens issued before and after a store event can
/// be told apart by their `iat` (whole seconds).
async fn next_second() {
    let now = time::OffsetDateTime::now_utc();
    let into = Duration::from_nanos(u64::from(now.nanosecond()));
    tokio::time::sleep(Duration::from_secs(1) - into + Duration::from_millis(20)).await;
}

/// A store asking Redis at every check: what these faults do to each request. (With a mirror,
/// checks answer from it until the staleness bound: tests/fleet_mirror.rs.)
fn builder() -> RedisStoreBuilder {
    RedisStore::builder().mirror(MirrorSettings::off())
}

#[tokio::test]
async fn a_redis_restarted_without_persistence_revives_no_revoked_token() {
    restarted_without_persistence(false).await;
}

#[tokio::test]
async fn with_a_mirror_a_redis_restarted_without_persistence_revives_no_revoked_token() {
    restarted_without_persistence(true).await;
}

/// Stopped and started again empty: with a `mirror` or without, nothing revoked comes back, no
/// used refresh token works again (a refresh asks Redis itself, never the mirror), and tokens
/// issued before are refused (with a mirror, once its feed has read the new epoch: within a
/// heartbeat).
async fn restarted_without_persistence(mirror: bool) {
    let Some(mut redis) = OwnRedis::start() else {
        return;
    };
    let keys = setup(Version::V4);
    let store = RedisStore::builder()
        .mirror(MirrorSettings {
            enabled: mirror,
            ..MirrorSettings::default()
        })
        .connect(&redis.url())
        .await
        .unwrap();
    let app = app(&keys, Revocations::new(store.clone()));
    let refresh = RefreshTokens::new(keys.issuer.clone(), Revocations::new(store.clone()))
        .unwrap()
        .reuse_grace(Duration::ZERO)
        .unwrap();
    next_second().await;
    // A logged-out token, a live one, a used refresh token, a logged-out login's refresh
    // token, and a live login that has refreshed once.
    let logged_out = token(&keys, "alice");
    assert_eq!(
        call(&app, "POST", &logged_out).await.0,
        StatusCode::NO_CONTENT
    );
    let live = token(&keys, "bob");
    let used = keys
        .issuer
        .issue_pair(&json!({}), PairOptions::new().subject("carol"))
        .unwrap();
    let current = refresh.refresh(&used.refresh_token).await.unwrap();
    let ended = keys
        .issuer
        .issue_pair(&json!({}), PairOptions::new().subject("dave"))
        .unwrap();
    let ended_token = keys
        .verifier
        .verify_untyped(&ended.access_token, &Default::default());
    refresh.end_family(&ended_token.unwrap()).await.unwrap();
    assert_eq!(
        call(&app, "GET", &live).await,
        (StatusCode::OK, "bob".into())
    );

    let captured = logs::capture();
    next_second().await;
    redis.stop(); // SIGKILL: everything it held is gone
    redis.resume();

    // The first request after the restart finds the store empty (with a mirror, the feed does).
    // Every token issued before is refused from then on: the revoked one (not a single 200), and
    // the live one too (its user logs in again): nothing shows it was not revoked.
    for _ in 0..50 {
        assert_eq!(
            call(&app, "GET", &logged_out).await,
            (StatusCode::UNAUTHORIZED, "revoked".into())
        );
    }
    for refresh_token in [&used.refresh_token, &ended.refresh_token] {
        let err = refresh.refresh(refresh_token).await.unwrap_err();
        assert!(
            matches!(err, Error::Revoked(RevokedBy::StoreReset)),
            "{err}"
        );
    }
    // The live login is refused as the others are, not taken for a replay: nothing is revoked,
    // nobody returns, and the user logs in again.
    let err = refresh.refresh(&current.refresh_token).await.unwrap_err();
    assert!(
        matches!(err, Error::Revoked(RevokedBy::StoreReset)),
        "{err}"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while call(&app, "GET", &live).await != (StatusCode::UNAUTHORIZED, "revoked".into()) {
        assert!(
            mirror,
            "without a mirror, the first request after the restart finds it"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the live token is still accepted"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    next_second().await; // a login after the second of the reset
    let again = token(&keys, "bob");
    assert_eq!(
        call(&app, "GET", &again).await,
        (StatusCode::OK, "bob".into())
    );
    let pair = keys
        .issuer
        .issue_pair(&json!({}), PairOptions::new().subject("carol"))
        .unwrap();
    assert!(refresh.refresh(&pair.refresh_token).await.is_ok());

    // One warning, however many requests found the reset.
    let warnings = captured
        .lines()
        .into_iter()
        .filter(|line| line.contains("WARN") && line.contains("lost its data"))
        .count();
    assert_eq!(warnings, 1, "{}", captured.text());
}

#[tokio::test]
async fn a_flushed_store_refuses_older_tokens_on_every_instance() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let keys = setup(Version::V4);
    let a = app(
        &keys,
        Revocations::new(builder().connect(&redis.url()).await.unwrap()),
    );
    let b = app(
        &keys,
        Revocations::new(builder().connect(&redis.url()).await.unwrap()),
    );
    next_second().await;
    let revoked = token(&keys, "alice");
    assert_eq!(call(&a, "POST", &revoked).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(&b, "GET", &revoked).await.0, StatusCode::UNAUTHORIZED);
    next_second().await;
    support::redis::flush_all(&redis.url()).await;
    for instance in [&a, &b] {
        assert_eq!(
            call(instance, "GET", &revoked).await,
            (StatusCode::UNAUTHORIZED, "revoked".into())
        );
    }
}

#[tokio::test]
async fn a_token_without_iat_is_refused_for_the_reset_window() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let store = builder()
        .reset_window(Duration::from_secs(3600))
        .connect(&redis.url())
        .await
        .unwrap();
    let without_iat = TokenRef {
        subject: Some("alice"),
        ..TokenRef::default()
    };
    // The store is new: nothing can tell a token without `iat` from one issued before it.
    assert_eq!(
        store.check(without_iat).await.unwrap(),
        Some(RevokedBy::StoreReset)
    );
    let closed_window = builder()
        .prefix("no-window:")
        .reset_window(Duration::ZERO)
        .connect(&redis.url())
        .await
        .unwrap();
    assert_eq!(closed_window.check(without_iat).await.unwrap(), None);
}

#[tokio::test]
async fn the_first_request_after_an_idle_restart_is_answered() {
    // Persistence on: the restart keeps the data, so the token stays valid; the connection the
    // instance holds is dead, and the first request finds it out.
    let Some(mut redis) = OwnRedis::start_persistent() else {
        return;
    };
    let keys = setup(Version::V4);
    let store = builder().connect(&redis.url()).await.unwrap();
    // A generous timeout: what is tested is that the dead connection's error is not the answer
    // (it comes at once, whatever the timeout), not how fast a loaded machine reconnects.
    let app = app(
        &keys,
        Revocations::new(store).timeout(Duration::from_secs(2)),
    );
    next_second().await;
    let live = token(&keys, "bob");
    let revoked = token(&keys, "alice");
    assert_eq!(call(&app, "POST", &revoked).await.0, StatusCode::NO_CONTENT);
    for _ in 0..3 {
        redis.stop();
        redis.resume();
        // No 503: the dead connection is replaced and the check sent again, within the timeout.
        assert_eq!(
            call(&app, "GET", &live).await,
            (StatusCode::OK, "bob".into())
        );
        assert_eq!(
            call(&app, "GET", &revoked).await,
            (StatusCode::UNAUTHORIZED, "revoked".into())
        );
    }
}

#[tokio::test]
async fn a_server_without_an_append_only_file_is_warned_about_or_refused() {
    let (Some(volatile), Some(snapshots)) = (OwnRedis::start(), OwnRedis::start_with_snapshots())
    else {
        return;
    };
    // Without persistence a restart is a wipe (which the marker catches); with snapshots only it
    // is a rollback to the last one (which it cannot): both are warned about, and refused when
    // persistence is required.
    for (server, consequence) in [(&volatile, "is a wipe"), (&snapshots, "brings back")] {
        let captured = logs::capture();
        builder().connect(&server.url()).await.unwrap();
        assert!(
            captured.lines().iter().any(|line| line.contains("WARN")
                && line.contains("appendonly no")
                && line.contains(consequence)),
            "{}",
            captured.text()
        );
        let err = builder()
            .require_persistence(true)
            .connect(&server.url())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SETUP);
        assert!(err.to_string().contains("appendonly yes"), "{err}");
        let persistence = builder()
            .connect(&server.url())
            .await
            .unwrap()
            .persistence()
            .await
            .unwrap();
        assert!(!persistence.is_durable());
    }

    let Some(durable) = OwnRedis::start_persistent() else {
        return;
    };
    let store = builder()
        .require_persistence(true)
        .connect(&durable.url())
        .await
        .unwrap();
    let persistence = store.persistence().await.unwrap();
    assert!(persistence.append_only && persistence.is_durable());
}

fn refresh_request(refresh_token: &str) -> Request {
    Request::post("/token/refresh")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "refresh_token": refresh_token }).to_string(),
        ))
        .unwrap()
}

/// A refresh endpoint and a guarded `/me` on one store, as a token API has them.
fn token_api(keys: &Setup, refresh: &RefreshTokens) -> Router {
    Router::new()
        .route("/me", get(me))
        .route("/logout", post(logout))
        .with_state(RefreshEndpoint::new(refresh.clone()).auth(keys.verifier.clone()))
        .route(
            "/token/refresh",
            post_service(RefreshEndpoint::new(refresh.clone())),
        )
}

/// What the issue saw: a refresh answered 503 (the store paused past the timeout) lands after
/// the answer, and the client's retry a moment later is taken as a replay that ends the login.
async fn refresh_during_a_pause(
    redis: &OwnRedis,
    grace: Duration,
) -> (Router, TokenPair, StatusCode, String) {
    let keys = setup(Version::V4);
    let store = builder().connect(&redis.url()).await.unwrap();
    let refresh = RefreshTokens::new(keys.issuer.clone(), Revocations::new(store))
        .unwrap()
        .reuse_grace(grace)
        .unwrap();
    next_second().await; // tokens of a later second than the new store's marker
    let app = token_api(&keys, &refresh);
    let login = || {
        keys.issuer
            .issue_pair(&json!({}), PairOptions::new().subject("alice"))
            .unwrap()
    };
    // A server in use has the rotation script loaded: a script sent for the first time during
    // the pause would fail there (NOSCRIPT) rather than land late.
    refresh.refresh(&login().refresh_token).await.unwrap();
    let pair = login();
    let mut pauser = pause_writes(&redis.url(), Duration::from_millis(1500)).await;
    let response = send(&app, refresh_request(&pair.refresh_token)).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[RETRY_AFTER], "1");
    assert_eq!(
        body_string(response).await,
        r#"{"error":"temporarily_unavailable"}"#
    );
    writes_resumed(&mut pauser).await;
    // The retry, as `Retry-After` says: the rotation the 503 gave up on has landed meanwhile.
    let response = send(&app, refresh_request(&pair.refresh_token)).await;
    let status = response.status();
    let body = body_string(response).await;
    (app, pair, status, body)
}

#[tokio::test]
async fn a_refresh_answered_503_that_landed_is_retried_into_the_same_login() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let (app, _, status, body) = refresh_during_a_pause(&redis, Duration::from_secs(10)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let renewed: TokenPair = serde_json::from_str(&body).unwrap();
    // The login goes on: the pair works, and refreshes.
    assert_eq!(
        call(&app, "GET", &renewed.access_token).await,
        (StatusCode::OK, "alice".into())
    );
    let response = send(&app, refresh_request(&renewed.refresh_token)).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_the_grace_the_retry_of_a_landed_refresh_ends_the_login() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    // The behaviour before the grace (and with it turned off): the retry is a replay.
    let (app, pair, status, body) = refresh_during_a_pause(&redis, Duration::ZERO).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::BAD_REQUEST, r#"{"error":"invalid_grant"}"#)
    );
    assert_eq!(
        call(&app, "GET", &pair.access_token).await.0,
        StatusCode::UNAUTHORIZED
    );
}
