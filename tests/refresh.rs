//! Token pairs and refreshes: the two kinds kept apart in every version, single use with reuse
//! detection (the family ends, the tokens issued from it too), concurrent refreshes of one token
//! (many tasks; two instances on one Redis) giving exactly one pair, fresh tokens, expiry of both
//! kinds, and the token endpoint (JSON, form, cookie) — with the memory store and with Redis.

mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, COOKIE, PRAGMA, SET_COOKIE};
use axum::response::Response;
use axum::routing::{get, post, post_service};
use paseto_auth::csrf::CsrfSettings;
use paseto_auth::key::{LocalKey, SecretKey};
use paseto_auth::refresh::{REFRESH_COOKIE, RefreshEndpoint, RefreshTokens};
use paseto_auth::store::{
    MemoryStore, Revocations, RevokedBy, Rotated, Rotation, StoreError, StoreFuture, TokenRef,
    TokenStore,
};
use paseto_auth::{
    Error, ErrorKind, Issuer, PairOptions, Paseto, TokenPair, Verifier, Version, paseto_required,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

use support::http::{bearer, body_string, send, set_cookies};
use support::store::stores;
use support::{ISS, setup};

#[paseto_required]
async fn me(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

#[paseto_required(fresh)]
async fn sensitive() -> &'static str {
    "done"
}

/// An API guarded by `verifier` and the store, with its token endpoint.
fn api<R: Clone + Into<RefreshEndpoint>>(verifier: Verifier, refresh: &R) -> Router {
    let endpoint: RefreshEndpoint = refresh.clone().into();
    Router::new()
        .route("/me", get(me))
        .route("/sensitive", post(sensitive))
        .with_state(endpoint.auth(verifier))
        .route("/token/refresh", post_service(endpoint))
}

fn pair_for(issuer: &Issuer, subject: &str) -> TokenPair {
    issuer
        .issue_pair(
            &json!({"role": "admin"}),
            PairOptions::new().subject(subject),
        )
        .unwrap()
}

async fn status(app: &Router, method: &str, path: &str, token: &str) -> StatusCode {
    send(app, bearer(method, path, token)).await.status()
}

fn json_refresh(token: &str) -> Request {
    Request::post("/token/refresh")
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "refresh_token": token }).to_string()))
        .unwrap()
}

async fn json_of(response: Response) -> Value {
    serde_json::from_str(&body_string(response).await).unwrap()
}

// ---- the two kinds, kept apart ----

/// Issuers and verifiers of every version and purpose that pairs are made in (v3, v4).
fn every_kind_of_key() -> Vec<(String, Issuer, Verifier)> {
    let mut keys = Vec::new();
    for version in [Version::V3, Version::V4] {
        let public = setup(version);
        keys.push((format!("{version}.public"), public.issuer, public.verifier));
        let local = LocalKey::generate(version).unwrap();
        let issuer = Issuer::builder()
            .issuer(ISS)
            .key(local.clone())
            .build()
            .unwrap();
        let verifier = Verifier::builder()
            .local_key(local, Some(ISS.into()))
            .versions([Version::V4, Version::V3, Version::V2])
            .build()
            .unwrap();
        keys.push((format!("{version}.local"), issuer, verifier));
    }
    keys
}

#[tokio::test]
async fn a_refresh_token_is_never_an_access_token_nor_the_reverse_in_any_version() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        for (name, issuer, verifier) in every_kind_of_key() {
            let refresh =
                RefreshTokens::new(issuer.clone(), Revocations::shared(store.clone())).unwrap();
            let pair = pair_for(&issuer, "alice");
            // The refresh token at the verifier, the access token at the refresh.
            let err = verifier.verify::<Value>(&pair.refresh_token).unwrap_err();
            let expected = ErrorKind::INVALID_SIGNATURE; // the implicit assertion differs
            assert_eq!(
                err.kind(),
                expected,
                "{name}: refresh token as access token"
            );
            let err = refresh.refresh(&pair.access_token).await.unwrap_err();
            assert_eq!(
                err.kind(),
                expected,
                "{name}: access token as refresh token"
            );
            // Over HTTP: 401 at a guard (RFC 6750), 400 `invalid_grant` at the token endpoint
            // (RFC 6749 section 5.2), with no challenge there.
            let app = api(verifier.clone(), &refresh);
            assert_eq!(
                status(&app, "GET", "/me", &pair.refresh_token).await,
                StatusCode::UNAUTHORIZED,
                "{name}"
            );
            let response = send(&app, json_refresh(&pair.access_token)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
            assert!(response.headers().get("www-authenticate").is_none());
            assert_eq!(json_of(response).await, json!({"error": "invalid_grant"}));
            // Each where it belongs: fine.
            assert_eq!(
                status(&app, "GET", "/me", &pair.access_token).await,
                StatusCode::OK,
                "{name}"
            );
            assert!(refresh.refresh(&pair.refresh_token).await.is_ok(), "{name}");
        }
    }
}

#[test]
fn pairs_are_never_v2() {
    // v2 has no implicit assertion: another verifier of the key, unaware of `pur`, would take a
    // refresh token for an access token.
    for purpose in ["public", "local"] {
        let issuer = if purpose == "public" {
            setup(Version::V2).issuer
        } else {
            let key = LocalKey::generate(Version::V2).unwrap();
            Issuer::builder().issuer(ISS).key(key).build().unwrap()
        };
        let err = issuer
            .issue_pair(&json!({}), PairOptions::new())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SETUP, "{purpose}");
        let err = RefreshTokens::new(issuer, Revocations::new(MemoryStore::new()))
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::SETUP, "{purpose}");
    }
}

#[tokio::test]
async fn a_pair_carries_the_claims_and_a_refresh_keeps_them_but_not_freshness() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        let keys = setup(Version::V4);
        let refresh =
            RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store.clone())).unwrap();
        let options = PairOptions::new().subject("alice").audience("api");
        let claims = json!({"role": "admin", "acr": "mfa", "amr": ["pwd", "otp"]});
        let pair = keys.issuer.issue_pair(&claims, options).unwrap();
        let access = keys.verifier.verify::<Value>(&pair.access_token).unwrap();
        assert_eq!(access.claims["role"], "admin");
        assert_eq!(access.claims["fresh"], true);
        assert_eq!(access.registered.sub.as_deref(), Some("alice"));
        assert_eq!(access.registered.aud, ["api"]);
        let family = access.claims["fam"].as_str().unwrap().to_owned();
        assert_eq!(family.len(), 22, "a random 128-bit id");
        let lifetime = access.registered.exp.unwrap() - access.registered.iat.unwrap();
        assert_eq!(lifetime, time::Duration::minutes(15));

        let renewed = refresh.refresh(&pair.refresh_token).await.unwrap();
        let access = keys
            .verifier
            .verify::<Value>(&renewed.access_token)
            .unwrap();
        assert_eq!(access.claims["role"], "admin");
        assert_eq!(access.claims["fam"], family.as_str());
        assert!(
            access.claims.get("fresh").is_none(),
            "a refreshed token is not fresh"
        );
        // Nor does it claim the authentication the login made.
        assert!(access.claims.get("acr").is_none() && access.claims.get("amr").is_none());
        assert_eq!(access.registered.sub.as_deref(), Some("alice"));
        assert_eq!(access.registered.aud, ["api"]);
        assert_ne!(renewed.refresh_token, pair.refresh_token);
        assert_eq!(
            (renewed.expires_in, renewed.refresh_expires_in),
            (900, 14 * 24 * 3600)
        );
    }
}

#[tokio::test]
async fn pair_claims_cannot_set_the_family_or_freshness() {
    let keys = setup(Version::V4);
    for claim in ["fam", "fresh", "pur", "gen", "auth_time"] {
        let err = keys
            .issuer
            .issue_pair(&json!({ claim: true }), PairOptions::new())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::INVALID_PAYLOAD, "{claim}");
    }
    // Nor can an ordinary token's claims: `fresh` in user data must not pass a fresh route.
    for claim in ["fam", "fresh", "pur"] {
        let err = keys.issuer.issue(&json!({ claim: true })).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::INVALID_PAYLOAD, "{claim}");
    }
}

// ---- single use, reuse detection ----

#[tokio::test]
async fn a_replayed_refresh_token_ends_its_family_and_the_tokens_issued_from_it() {
    for (name, store) in stores().await {
        let keys = setup(Version::V4);
        let revocations = Revocations::shared(store);
        // No grace: the second use, however soon, is a replay.
        let refresh = RefreshTokens::new(keys.issuer.clone(), revocations.clone())
            .unwrap()
            .reuse_grace(Duration::ZERO)
            .unwrap();
        let app = api(keys.verifier.clone(), &refresh);
        let first = pair_for(&keys.issuer, "alice");
        let other_login = pair_for(&keys.issuer, "alice");
        let second = refresh.refresh(&first.refresh_token).await.unwrap();
        assert_eq!(
            status(&app, "GET", "/me", &second.access_token).await,
            StatusCode::OK,
            "{name}"
        );

        let err = refresh.refresh(&first.refresh_token).await.unwrap_err();
        assert!(matches!(err, Error::RefreshTokenReused), "{name}: {err}");
        // Everything of the family is over: both access tokens, and the unused refresh token.
        for token in [&first.access_token, &second.access_token] {
            assert_eq!(
                status(&app, "GET", "/me", token).await,
                StatusCode::UNAUTHORIZED,
                "{name}"
            );
        }
        let err = refresh.refresh(&second.refresh_token).await.unwrap_err();
        assert!(
            matches!(err, Error::Revoked(RevokedBy::Family)),
            "{name}: {err}"
        );
        // The user's other login is untouched.
        assert_eq!(
            status(&app, "GET", "/me", &other_login.access_token).await,
            StatusCode::OK,
            "{name}"
        );
        assert!(
            refresh.refresh(&other_login.refresh_token).await.is_ok(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_give_exactly_one_pair() {
    // A double click or a retried request: every attempt gets the one pair the winner made, and
    // the login goes on (the pair refreshes, its access token works).
    for (name, store) in stores().await {
        let keys = setup(Version::V4);
        let refresh = RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store)).unwrap();
        let app = api(keys.verifier.clone(), &refresh);
        let pair = pair_for(&keys.issuer, "alice");
        let results = race(std::slice::from_ref(&refresh), &pair.refresh_token, 32).await;
        let renewed = results[0].as_ref().unwrap().clone();
        for result in &results {
            assert_eq!(result.as_ref().ok(), Some(&renewed), "{name}: {result:?}");
        }
        assert_ne!(renewed, pair, "{name}");
        assert_eq!(
            status(&app, "GET", "/me", &renewed.access_token).await,
            StatusCode::OK,
            "{name}"
        );
        let next = refresh.refresh(&renewed.refresh_token).await;
        assert!(next.is_ok(), "{name}: {next:?}");
    }
}

#[tokio::test]
async fn a_copy_refreshed_in_step_with_the_user_is_caught_at_the_second_generation() {
    // A thief holding a copy of the refresh token, refreshing within the grace of the user at
    // every generation: the first time it gets the user's own pair (a retry, as far as anyone
    // can tell); the second time it is a reuse, and the login ends.
    for (name, store) in stores().await {
        let keys = setup(Version::V4);
        let refresh = RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store)).unwrap();
        let pair = pair_for(&keys.issuer, "alice");
        let user = refresh.refresh(&pair.refresh_token).await.unwrap();
        let thief = refresh.refresh(&pair.refresh_token).await.unwrap();
        assert_eq!(thief, user, "{name}");
        let user = refresh.refresh(&user.refresh_token).await.unwrap();
        let err = refresh.refresh(&thief.refresh_token).await.unwrap_err();
        assert!(matches!(err, Error::RefreshTokenReused), "{name}: {err}");
        let err = refresh.refresh(&user.refresh_token).await.unwrap_err();
        assert!(
            matches!(err, Error::Revoked(RevokedBy::Family)),
            "{name}: {err}"
        );
    }
}

#[test]
fn a_reuse_grace_as_long_as_an_access_token_is_refused() {
    let keys = setup(Version::V4);
    let refresh = RefreshTokens::new(keys.issuer, Revocations::new(MemoryStore::new())).unwrap();
    let err = refresh
        .clone()
        .reuse_grace(Duration::from_secs(15 * 60))
        .err();
    assert_eq!(err.map(|err| err.kind()), Some(ErrorKind::SETUP));
    assert!(refresh.reuse_grace(Duration::from_secs(60)).is_ok());
}

#[tokio::test]
async fn without_grace_concurrent_refreshes_give_one_pair_and_end_the_login() {
    for (name, store) in stores().await {
        let keys = setup(Version::V4);
        let refresh = RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store))
            .unwrap()
            .reuse_grace(Duration::ZERO)
            .unwrap();
        let pair = pair_for(&keys.issuer, "alice");
        let results = race(&[refresh], &pair.refresh_token, 32).await;
        let successes = results.iter().filter(|result| result.is_ok()).count();
        assert_eq!(successes, 1, "{name}: {results:?}");
        for err in results.iter().filter_map(|result| result.as_ref().err()) {
            assert!(
                matches!(
                    err,
                    Error::RefreshTokenReused | Error::Revoked(RevokedBy::Family)
                ),
                "{name}: {err}"
            );
        }
    }
}

#[tokio::test]
async fn two_instances_on_one_redis_refresh_one_token_exactly_once() {
    let Some(url) = support::redis::shared_url() else {
        return;
    };
    let prefix = support::redis::unique_prefix();
    let keys = setup(Version::V4);
    let mut instances = Vec::new();
    for _ in 0..2 {
        // Each instance its own connection, one server.
        let store = support::redis::with_history(&url, &prefix).await;
        instances.push(RefreshTokens::new(keys.issuer.clone(), Revocations::new(store)).unwrap());
    }
    for _ in 0..5 {
        let pair = pair_for(&keys.issuer, "alice");
        let results = race(&instances, &pair.refresh_token, 16).await;
        let renewed = results[0].as_ref().unwrap();
        assert!(
            results
                .iter()
                .all(|result| result.as_ref().ok() == Some(renewed)),
            "{results:?}"
        );
        // The one pair goes on: its refresh token is the family's current one.
        assert!(instances[1].refresh(&renewed.refresh_token).await.is_ok());
    }
}

/// `attempts` refreshes of `token` at once, spread over `instances`, on a multi-threaded
/// runtime (the test's own runtime may be single-threaded); their results, in order.
async fn race(
    instances: &[RefreshTokens],
    token: &str,
    attempts: usize,
) -> Vec<paseto_auth::Result<TokenPair>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(attempts));
    let tasks: Vec<_> = (0..attempts)
        .map(|i| {
            let (refresh, token) = (instances[i % instances.len()].clone(), token.to_owned());
            let barrier = barrier.clone();
            runtime.spawn(async move {
                barrier.wait().await;
                refresh.refresh(&token).await
            })
        })
        .collect();
    let results = futures_join(tasks.into_iter()).await;
    runtime.shutdown_background();
    results
}

/// Awaits every task, in order.
async fn futures_join(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<paseto_auth::Result<TokenPair>>>,
) -> Vec<paseto_auth::Result<TokenPair>> {
    let tasks: Vec<_> = tasks.collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test]
async fn a_revoked_subject_cannot_refresh() {
    for (name, store) in stores().await {
        let keys = setup(Version::V4);
        let revocations = Revocations::shared(store);
        let refresh = RefreshTokens::new(keys.issuer.clone(), revocations.clone()).unwrap();
        let pair = pair_for(&keys.issuer, "mallory");
        revocations
            .revoke_subject(
                "mallory",
                time::OffsetDateTime::now_utc() + time::Duration::seconds(1),
            )
            .await
            .unwrap();
        let err = refresh.refresh(&pair.refresh_token).await.unwrap_err();
        assert!(
            matches!(err, Error::Revoked(RevokedBy::Subject)),
            "{name}: {err}"
        );
    }
}

#[tokio::test]
async fn a_store_that_fails_refuses_refreshes_with_503_even_failing_open() {
    let keys = setup(Version::V4);
    let broken = Revocations::new(support::store::Broken { hangs: false }).fail_open(true);
    let refresh = RefreshTokens::new(keys.issuer.clone(), broken).unwrap();
    let pair = pair_for(&keys.issuer, "alice");
    let err = refresh.refresh(&pair.refresh_token).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::STORE_UNAVAILABLE);
    let app = api(keys.verifier, &refresh);
    let response = send(&app, json_refresh(&pair.refresh_token)).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        json_of(response).await,
        json!({"error": "temporarily_unavailable"})
    );
}

// ---- fresh tokens and expiry ----

#[tokio::test]
async fn fresh_routes_take_fresh_tokens_only_and_say_how_to_get_one() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        let keys = setup(Version::V4);
        let refresh =
            RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store.clone())).unwrap();
        let app = api(keys.verifier.clone(), &refresh);
        let pair = pair_for(&keys.issuer, "alice");
        assert_eq!(
            status(&app, "POST", "/sensitive", &pair.access_token).await,
            StatusCode::OK
        );
        let not_fresh = [
            refresh
                .refresh(&pair.refresh_token)
                .await
                .unwrap()
                .access_token,
            keys.issuer
                .issue_pair(&json!({}), PairOptions::new().not_fresh())
                .unwrap()
                .access_token,
            keys.issuer.issue(&json!({"sub": "alice"})).unwrap(),
        ];
        for token in &not_fresh {
            let response = send(&app, bearer("POST", "/sensitive", token)).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(
                response.headers()["www-authenticate"],
                r#"Bearer error="insufficient_user_authentication", error_description="A fresh token is required: log in again""#
            );
            assert_eq!(
                json_of(response).await,
                json!({"error": "insufficient_user_authentication"})
            );
            // Still a valid token everywhere else.
            assert_eq!(status(&app, "GET", "/me", token).await, StatusCode::OK);
        }
    }
}

#[tokio::test]
async fn a_fresh_window_ends_and_both_kinds_expire() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        // Token times are whole seconds, so each step waits a little over the second it needs.
        let secret = SecretKey::generate(Version::V4).unwrap();
        let issuer = Issuer::builder()
            .issuer(ISS)
            .key(secret.clone())
            .pair_lifetimes(Duration::from_secs(4), Duration::from_secs(5))
            .build()
            .unwrap();
        let verifier = Verifier::builder()
            .public_key(secret.public_key().clone(), ISS)
            .build()
            .unwrap();
        let refresh =
            RefreshTokens::new(issuer.clone(), Revocations::shared(store.clone())).unwrap();
        let app = api(verifier, &refresh);
        let options = PairOptions::new()
            .fresh_for(Duration::from_secs(2))
            .unwrap();
        let pair = issuer.issue_pair(&json!({}), options).unwrap();
        let spare = pair_for(&issuer, "alice");
        assert_eq!(
            status(&app, "POST", "/sensitive", &pair.access_token).await,
            StatusCode::OK
        );
        tokio::time::sleep(Duration::from_millis(2100)).await;
        // Past its fresh window: a valid, ordinary token.
        assert_eq!(
            status(&app, "POST", "/sensitive", &pair.access_token).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status(&app, "GET", "/me", &pair.access_token).await,
            StatusCode::OK
        );
        tokio::time::sleep(Duration::from_millis(2000)).await;
        assert_eq!(
            status(&app, "GET", "/me", &pair.access_token).await,
            StatusCode::UNAUTHORIZED
        );
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let err = refresh.refresh(&spare.refresh_token).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::EXPIRED);
    }
}

#[test]
fn pair_lifetimes_are_checked_when_the_issuer_is_built() {
    let key = SecretKey::generate(Version::V4).unwrap();
    for (access, refresh) in [(0, 60), (60, 60), (120, 60)] {
        let err = Issuer::builder()
            .issuer(ISS)
            .key(key.clone())
            .pair_lifetimes(Duration::from_secs(access), Duration::from_secs(refresh))
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::SETUP, "{access} {refresh}");
    }
}

// ---- the token endpoint ----

fn form_refresh(body: &str) -> Request {
    Request::post("/token/refresh")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_endpoint_takes_json_and_forms_and_answers_bad_requests_400() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        let keys = setup(Version::V4);
        let refresh =
            RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store.clone())).unwrap();
        let app = api(keys.verifier.clone(), &refresh);
        let pair = pair_for(&keys.issuer, "alice");
        let response = send(
            &app,
            form_refresh(&format!(
                "grant_type=refresh_token&refresh_token={}",
                pair.refresh_token
            )),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
        assert_eq!(response.headers()[PRAGMA], "no-cache");
        let renewed: TokenPair = serde_json::from_value(json_of(response).await).unwrap();
        assert_eq!(renewed.token_type, "Bearer");
        let response = send(&app, json_refresh(&renewed.refresh_token)).await;
        assert_eq!(response.status(), StatusCode::OK);

        let bad = [
            (
                form_refresh("grant_type=password&refresh_token=x"),
                "unsupported_grant_type",
            ),
            (form_refresh("grant_type=refresh_token"), "invalid_request"),
            (form_refresh(""), "invalid_request"),
            (
                Request::post("/token/refresh")
                    .header(CONTENT_TYPE, "application/json")
                    .body(Body::from("{\"refresh_token\": 42}"))
                    .unwrap(),
                "invalid_request",
            ),
            (
                Request::post("/token/refresh")
                    .header(CONTENT_TYPE, "text/plain")
                    .body(Body::from(pair.refresh_token.clone()))
                    .unwrap(),
                "invalid_request",
            ),
            (json_refresh(&"A".repeat(20_000)), "invalid_request"),
        ];
        for (request, code) in bad {
            let response = send(&app, request).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{code}");
            assert_eq!(json_of(response).await, json!({ "error": code }));
        }
        // Garbage where a token goes: 400 invalid_grant (RFC 6749 section 5.2), never a 500,
        // never a challenge.
        for garbage in ["v4.public.%%%", "v4.local.", "x", "v9.public.AAAA"] {
            let response = send(&app, json_refresh(garbage)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{garbage}");
            assert!(response.headers().get("www-authenticate").is_none());
            assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
            assert_eq!(json_of(response).await, json!({"error": "invalid_grant"}));
        }
    }
}

#[tokio::test]
async fn a_browser_keeps_its_refresh_token_in_an_http_only_cookie() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        let keys = setup(Version::V4);
        // No grace, so that the replay below is one at once.
        let tokens = RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store.clone()))
            .unwrap()
            .reuse_grace(Duration::ZERO)
            .unwrap();
        let refresh = RefreshEndpoint::new(tokens).cookie(REFRESH_COOKIE).unwrap();
        let app = api(keys.verifier.clone(), &refresh);
        // The login answer: the access token in the body, the refresh token in the cookie.
        let login = refresh.respond_with_cookie(pair_for(&keys.issuer, "alice"));
        let cookie = set_cookies(&login).remove(0);
        assert_eq!(cookie.name, "__Secure-refresh_token");
        for attribute in [
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/token/refresh",
            "Max-Age=1209600",
        ] {
            assert!(
                cookie.attributes.iter().any(|a| a == attribute),
                "{attribute}: {cookie:?}"
            );
        }
        let body = json_of(login).await;
        assert!(body.get("refresh_token").is_none(), "{body}");
        assert!(body["access_token"].is_string());

        let with_cookie = |value: &str| {
            Request::post("/token/refresh")
                .header(COOKIE, format!("__Secure-refresh_token={value}"))
                .header("x-requested-with", "fetch")
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .unwrap()
        };
        // What a page of another origin can send, and a planted second cookie: refused, and the
        // real cookie is neither used nor deleted.
        let cookie_header = format!("__Secure-refresh_token={}", cookie.value);
        let forged = [
            Request::post("/token/refresh")
                .header(COOKIE, &cookie_header)
                .body(Body::empty())
                .unwrap(),
            Request::post("/token/refresh")
                .header(COOKIE, &cookie_header)
                .header("x-requested-with", "fetch")
                .header("sec-fetch-site", "same-site")
                .body(Body::empty())
                .unwrap(),
        ];
        for request in forged {
            let response = send(&app, request).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
            assert!(response.headers().get(SET_COOKIE).is_none());
        }
        let planted = Request::post("/token/refresh")
            .header(
                COOKIE,
                format!("__Secure-refresh_token=attacker; {cookie_header}"),
            )
            .header("x-requested-with", "fetch")
            .body(Body::empty())
            .unwrap();
        let response = send(&app, planted).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers().get(SET_COOKIE).is_none());
        let get = Request::get("/token/refresh").body(Body::empty()).unwrap();
        let response = send(&app, get).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()["allow"], "POST");
        let response = send(&app, with_cookie(&cookie.value)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let renewed = set_cookies(&response).remove(0);
        assert_ne!(renewed.value, cookie.value);
        let body = json_of(response).await;
        assert!(body.get("refresh_token").is_none(), "{body}");
        assert_eq!(
            status(&app, "GET", "/me", body["access_token"].as_str().unwrap()).await,
            StatusCode::OK
        );
        // The used one, replayed: 400 invalid_grant, and the cookie is deleted.
        let response = send(&app, with_cookie(&cookie.value)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let removal = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        assert!(
            removal.starts_with("__Secure-refresh_token=;") && removal.contains("Max-Age=0"),
            "{removal}"
        );
        // No body and no cookie: 400.
        let response = send(
            &app,
            Request::post("/token/refresh").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}

#[test]
fn a_refresh_cookie_browsers_would_refuse_is_a_setup_error() {
    let keys = setup(Version::V4);
    let refresh =
        RefreshTokens::new(keys.issuer.clone(), Revocations::new(MemoryStore::new())).unwrap();
    for cookie in [
        REFRESH_COOKIE.name("bad name"),
        REFRESH_COOKIE.path("token"),
        REFRESH_COOKIE.secure(false), // a __Secure- cookie without Secure
        REFRESH_COOKIE
            .name("refresh")
            .secure(false)
            .same_site(paseto_auth::cookie::SameSite::None),
    ] {
        let err = RefreshEndpoint::new(refresh.clone())
            .cookie(cookie)
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::SETUP);
    }
}

#[test]
fn a_refresh_cookie_scripts_could_read_is_a_setup_error() {
    let keys = setup(Version::V4);
    let refresh =
        RefreshTokens::new(keys.issuer.clone(), Revocations::new(MemoryStore::new())).unwrap();
    let err = RefreshEndpoint::new(refresh)
        .cookie(REFRESH_COOKIE.http_only(false))
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::SETUP);
    assert!(err.to_string().contains("HttpOnly"), "{err}");
}

/// The refresh cookie's origin check is the CSRF policy's strict form: with Fetch Metadata only
/// `same-origin` passes, and without it an `Origin` must be the request's own; an origin the CSRF
/// settings trust passes both, once the endpoint is given those settings.
#[tokio::test]
async fn cookie_refreshes_follow_the_origin_policy_and_its_trusted_origins() {
    let keys = setup(Version::V4);
    let tokens =
        RefreshTokens::new(keys.issuer.clone(), Revocations::new(MemoryStore::new())).unwrap();
    let settings = CsrfSettings::new()
        .trusted_origin("https://admin.example")
        .unwrap();
    let strict = RefreshEndpoint::new(tokens.clone())
        .cookie(REFRESH_COOKIE)
        .unwrap();
    let trusting = strict.clone().csrf(&settings);
    let refresh = |headers: &[(&str, &str)], token: &str| {
        let mut request = Request::post("/token/refresh")
            .header(COOKIE, format!("__Secure-refresh_token={token}"))
            .header("x-requested-with", "fetch")
            .header("host", "app.example");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).unwrap()
    };
    let from_admin = [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://admin.example"),
    ];
    let refused = [
        &[("sec-fetch-site", "none")][..],
        &[("sec-fetch-site", "same-site")],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "https://app.example"),
        ],
        &[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
    ];
    for endpoint in [&strict, &trusting] {
        let app = api(keys.verifier.clone(), endpoint);
        for headers in refused {
            let token = pair_for(&keys.issuer, "alice").refresh_token;
            let response = send(&app, refresh(headers, &token)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{headers:?}");
            assert!(response.headers().get(SET_COOKIE).is_none(), "{headers:?}");
        }
        for headers in [
            &[("sec-fetch-site", "same-origin")][..],
            &[("origin", "https://app.example")],
            &[],
        ] {
            let token = pair_for(&keys.issuer, "alice").refresh_token;
            let response = send(&app, refresh(headers, &token)).await;
            assert_eq!(response.status(), StatusCode::OK, "{headers:?}");
        }
    }
    let token = pair_for(&keys.issuer, "alice").refresh_token;
    let app = api(keys.verifier.clone(), &strict);
    let response = send(&app, refresh(&from_admin, &token)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "not trusted yet");
    let app = api(keys.verifier.clone(), &trusting);
    let response = send(&app, refresh(&from_admin, &token)).await;
    assert_eq!(response.status(), StatusCode::OK, "a trusted origin");
}

#[test]
fn a_pair_does_not_show_its_tokens_in_debug_output() {
    let keys = setup(Version::V4);
    let pair = pair_for(&keys.issuer, "alice");
    let debug = format!("{pair:?}");
    assert!(
        !debug.contains(&pair.access_token[..20]) && !debug.contains("v4.public"),
        "{debug}"
    );
}

// ---- what the security review found ----

/// A store whose revocation checks fail and whose other calls work: a slow `MGET` beside a
/// working `SET`.
struct CheckFails(MemoryStore);

impl TokenStore for CheckFails {
    fn revoke_token<'a>(&'a self, id: &'a str, until: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.0.revoke_token(id, until)
    }
    fn revoke_family<'a>(&'a self, id: &'a str, until: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.0.revoke_family(id, until)
    }
    fn revoke_subject<'a>(&'a self, id: &'a str, before: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.0.revoke_subject(id, before)
    }
    fn revoke_key<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        self.0.revoke_key(id)
    }
    fn check<'a>(&'a self, _: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        Box::pin(async { Err(StoreError::Timeout(Duration::from_millis(100))) })
    }
    fn rotate<'a>(&'a self, rotation: Rotation<'a>) -> StoreFuture<'a, Rotated> {
        self.0.rotate(rotation)
    }
}

#[tokio::test]
async fn a_refresh_never_fails_open_on_its_revocation_check() {
    // Failing open, a guard lets a token through when the check fails; a refresh must not mint
    // a new pair (that would outlive the revocation it missed).
    let keys = setup(Version::V4);
    let revocations = Revocations::new(CheckFails(MemoryStore::new())).fail_open(true);
    let refresh = RefreshTokens::new(keys.issuer.clone(), revocations).unwrap();
    let pair = pair_for(&keys.issuer, "alice");
    let err = refresh.refresh(&pair.refresh_token).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::STORE_UNAVAILABLE);
}

#[tokio::test]
async fn log_out_everywhere_ends_refreshed_tokens_of_earlier_logins() {
    // A refreshed pair is issued after the revocation's time, but its login was before it.
    for (name, store) in stores().await {
        let keys = setup(Version::V4);
        let revocations = Revocations::shared(store);
        let refresh = RefreshTokens::new(keys.issuer.clone(), revocations.clone()).unwrap();
        let app = api(keys.verifier.clone(), &refresh);
        let pair = pair_for(&keys.issuer, "alice");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let logout_at = OffsetDateTime::now_utc();
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let renewed = refresh.refresh(&pair.refresh_token).await.unwrap();
        assert_eq!(
            status(&app, "GET", "/me", &renewed.access_token).await,
            StatusCode::OK,
            "{name}"
        );
        revocations
            .revoke_subject("alice", logout_at)
            .await
            .unwrap();
        assert_eq!(
            status(&app, "GET", "/me", &renewed.access_token).await,
            StatusCode::UNAUTHORIZED,
            "{name}"
        );
        let err = refresh.refresh(&renewed.refresh_token).await.unwrap_err();
        assert!(
            matches!(err, Error::Revoked(RevokedBy::Subject)),
            "{name}: {err}"
        );
    }
}

#[tokio::test]
async fn a_login_ends_at_its_maximum_age_however_often_it_refreshes() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let issuer = Issuer::builder()
            .issuer(ISS)
            .key(secret)
            .pair_lifetimes(Duration::from_secs(1), Duration::from_secs(60))
            .max_login_age(Duration::from_secs(4))
            .build()
            .unwrap();
        let refresh =
            RefreshTokens::new(issuer.clone(), Revocations::shared(store.clone())).unwrap();
        let first = pair_for(&issuer, "alice");
        // The refresh token lives only as long as the login may. (`auth_time` is whole seconds:
        // the login may end up to a second sooner than its age says.)
        assert!(first.refresh_expires_in <= 4, "{first:?}");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let second = refresh.refresh(&first.refresh_token).await.unwrap();
        assert!(second.refresh_expires_in <= 3, "{second:?}");
        tokio::time::sleep(Duration::from_millis(3100)).await;
        let err = refresh.refresh(&second.refresh_token).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::EXPIRED);
    }
}

#[tokio::test]
async fn a_shorter_refresh_lifetime_shortens_the_refresh_tokens_already_out() {
    // Each store: what a refresh records (generations, revocations) lives there.
    for (_store_name, store) in stores().await {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let issuer = |refresh: u64| {
            Issuer::builder()
                .issuer(ISS)
                .key(secret.clone())
                .pair_lifetimes(Duration::from_secs(1), Duration::from_secs(refresh))
                .build()
                .unwrap()
        };
        let pair = pair_for(&issuer(3600), "alice");
        let shortened = RefreshTokens::new(issuer(2), Revocations::shared(store.clone())).unwrap();
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let err = shortened.refresh(&pair.refresh_token).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::EXPIRED);
    }
}

#[tokio::test]
async fn a_family_takes_one_store_entry_however_often_it_refreshes() {
    let keys = setup(Version::V4);
    let store = Arc::new(MemoryStore::new());
    let refresh =
        RefreshTokens::new(keys.issuer.clone(), Revocations::shared(store.clone())).unwrap();
    let mut pair = pair_for(&keys.issuer, "alice");
    for _ in 0..50 {
        pair = refresh.refresh(&pair.refresh_token).await.unwrap();
    }
    // The generation, and the last refresh's answer (kept for a retry within the grace).
    assert_eq!(store.len(), 2);
    let Some(url) = support::redis::shared_url() else {
        return;
    };
    let prefix = support::redis::unique_prefix();
    let redis = support::redis::with_history(&url, &prefix).await;
    let refresh = RefreshTokens::new(keys.issuer.clone(), Revocations::new(redis)).unwrap();
    let mut pair = pair_for(&keys.issuer, "alice");
    for _ in 0..50 {
        pair = refresh.refresh(&pair.refresh_token).await.unwrap();
    }
    let entries = support::redis::entries_under(&url, &prefix).await;
    // The last answer (for a retry, for the grace only), the epoch marker (for ever) and the
    // family's generation (until its last refresh token expires).
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(entries[0].0.starts_with("ans:"), "{entries:?}");
    assert!((0..=10).contains(&entries[0].1), "{entries:?}");
    assert_eq!(entries[1], ("epoch".to_owned(), -1), "{entries:?}");
    assert!(entries[2].0.starts_with("gen:"), "{entries:?}");
    assert!(entries[2].1 > 14 * 24 * 3600, "{entries:?}");
}
