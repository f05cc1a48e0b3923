//! Revocation through the guards, for each store: the embedded `MemoryStore`, and `RedisStore` on
//! a real Redis (two app instances sharing it; a server stopped mid-test, and back). A failing
//! mock store stands beside them for the failure policy.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::routing::{get, post};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::{SecretKey, SigningKey};
use paseto_auth::store::{MemoryStore, Revocations, RevokedBy, StoreError, TokenRef};
use paseto_auth::token::seal;
use paseto_auth::{Issuer, Paseto, TokenOptions, Verifier, paseto_required};
use serde_json::{Value, json};
use time::OffsetDateTime;

use support::http::{bearer, body_string, send};
use support::redis::OwnRedis;
use support::store::Broken;
use support::store::stores;
use support::{ISS, rfc3339, v4_issuer_and_verifier};

#[paseto_required]
async fn me(token: Paseto<Value>) -> String {
    token.registered.sub.unwrap_or_default()
}

/// An API's logout: the token in the request is revoked, on every instance.
#[paseto_required]
async fn logout(State(auth): State<PasetoAuth>, token: Paseto<Value>) -> StatusCode {
    match auth.revoke(&token).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Signs, checks and revokes tokens with one key, against one store.
struct Api {
    key: SecretKey,
    issuer: Issuer,
    verifier: Verifier,
}

impl Api {
    fn new() -> Api {
        let (key, issuer, verifier) = v4_issuer_and_verifier();
        Api {
            key,
            issuer,
            verifier,
        }
    }

    /// An instance of the app, checking `revocations`.
    fn app(&self, revocations: Revocations) -> Router {
        let auth = PasetoAuth::new(self.verifier.clone())
            .revocations(revocations)
            .detailed_errors(true);
        Router::new()
            .route("/me", get(me))
            .route("/logout", post(logout))
            .with_state(auth)
    }

    fn token(&self, sub: &str) -> String {
        self.issuer
            .issue_with(&json!({}), TokenOptions::new().subject(sub))
            .unwrap()
    }

    /// A token of `sub` issued `age` ago.
    fn token_issued(&self, sub: &str, age: time::Duration) -> String {
        let claims = json!({
            "iss": ISS, "sub": sub, "jti": format!("aged-{sub}"),
            "iat": rfc3339(-age), "exp": rfc3339(time::Duration::hours(1)),
        });
        let footer = json!({"kid": self.key.public_key().id().as_str()}).to_string();
        seal(
            &SigningKey::from(self.key.clone()),
            claims.to_string().as_bytes(),
            footer.as_bytes(),
            b"",
        )
        .unwrap()
    }
}

/// The answer to `method path` with `token`: status, and the `kind` of a refusal (or the body).
async fn call(app: &Router, method: &str, path: &str, token: &str) -> (StatusCode, String) {
    let response = send(app, bearer(method, path, token)).await;
    let status = response.status();
    let body = body_string(response).await;
    let shown = match serde_json::from_str::<Value>(&body) {
        Ok(json) => json["kind"].as_str().unwrap_or_default().to_owned(),
        Err(_) => body,
    };
    (status, shown)
}

fn ok(sub: &str) -> (StatusCode, String) {
    (StatusCode::OK, sub.to_owned())
}

fn revoked() -> (StatusCode, String) {
    (StatusCode::UNAUTHORIZED, "revoked".to_owned())
}

#[tokio::test]
async fn a_logged_out_token_is_refused_and_others_are_not() {
    for (name, store) in stores().await {
        let api = Api::new();
        let app = api.app(Revocations::shared(store));
        let (alice, bob) = (api.token("alice"), api.token("bob"));
        assert_eq!(
            call(&app, "GET", "/me", &alice).await,
            ok("alice"),
            "{name}"
        );
        let (status, _) = call(&app, "POST", "/logout", &alice).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{name}");
        assert_eq!(call(&app, "GET", "/me", &alice).await, revoked(), "{name}");
        assert_eq!(call(&app, "GET", "/me", &bob).await, ok("bob"), "{name}");
    }
}

#[tokio::test]
async fn a_subject_revocation_ends_older_tokens_only() {
    for (name, store) in stores().await {
        let api = Api::new();
        let revocations = Revocations::shared(store);
        let app = api.app(revocations.clone());
        let old = api.token_issued("alice", time::Duration::seconds(30));
        let other = api.token_issued("bob", time::Duration::seconds(30));
        let before = OffsetDateTime::now_utc() - time::Duration::seconds(10);
        revocations.revoke_subject("alice", before).await.unwrap();
        assert_eq!(call(&app, "GET", "/me", &old).await, revoked(), "{name}");
        assert_eq!(call(&app, "GET", "/me", &other).await, ok("bob"), "{name}");
        // Issued after the revocation: valid.
        let new = api.token("alice");
        assert_eq!(call(&app, "GET", "/me", &new).await, ok("alice"), "{name}");
    }
}

#[tokio::test]
async fn a_key_revocation_ends_every_token_of_that_key() {
    for (name, store) in stores().await {
        let api = Api::new();
        let revocations = Revocations::shared(store);
        let app = api.app(revocations.clone());
        let token = api.token("alice");
        revocations
            .revoke_key(api.key.public_key().id().as_str())
            .await
            .unwrap();
        assert_eq!(call(&app, "GET", "/me", &token).await, revoked(), "{name}");
        // Another service's key, in another store entry, is untouched.
        let other = Api::new();
        let other_app = other.app(revocations.clone());
        let theirs = other.token("bob");
        assert_eq!(
            call(&other_app, "GET", "/me", &theirs).await,
            ok("bob"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn hostile_ids_touch_no_other_entry() {
    for (name, store) in stores().await {
        let revocations = Revocations::shared(store.clone());
        let until = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let hostile = [
            "*".to_owned(),
            "jti:*".to_owned(),
            "a\r\nDEL *\r\n".to_owned(),
            "x".repeat(10_000),
            "\u{0}\u{7f}é🦀".to_owned(),
        ];
        for id in &hostile {
            revocations.revoke_token(id, until).await.unwrap();
            revocations.revoke_family(id, until).await.unwrap();
            revocations
                .revoke_subject(id, OffsetDateTime::now_utc())
                .await
                .unwrap();
        }
        let check = |jti: &'static str, sub: &'static str| {
            let store = store.clone();
            async move {
                store
                    .check(TokenRef {
                        token_id: Some(jti),
                        family: Some(jti),
                        subject: Some(sub),
                        issued_at: Some(OffsetDateTime::now_utc() - time::Duration::minutes(1)),
                        key_id: None,
                    })
                    .await
                    .unwrap()
            }
        };
        assert_eq!(check("innocent", "bystander").await, None, "{name}");
        assert_eq!(
            check("*", "bystander").await,
            Some(RevokedBy::TokenId),
            "{name}"
        );
        assert_eq!(
            check("innocent", "*").await,
            Some(RevokedBy::Subject),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_family_revocation_ends_every_token_of_the_family_only() {
    for (name, store) in stores().await {
        let revocations = Revocations::shared(store.clone());
        let until = OffsetDateTime::now_utc() + time::Duration::hours(1);
        revocations.revoke_family("login-1", until).await.unwrap();
        let member = |token_id, family| TokenRef {
            token_id: Some(token_id),
            family: Some(family),
            subject: Some("alice"),
            ..TokenRef::default()
        };
        for copy in ["session-a", "session-b", "remember-c"] {
            assert_eq!(
                store.check(member(copy, "login-1")).await.unwrap(),
                Some(RevokedBy::Family),
                "{name}: {copy}"
            );
        }
        // The same user's other login, and a token whose *id* is the family's: untouched.
        assert_eq!(
            store.check(member("session-d", "login-2")).await.unwrap(),
            None,
            "{name}"
        );
        assert_eq!(
            store.check(member("login-1", "login-3")).await.unwrap(),
            None,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_later_revocation_never_shortens_or_narrows_an_earlier_one() {
    // An attacker who can make a revocation be written again (a replayed logout, another
    // instance's slower write) must not cut a revocation back to an earlier end or time.
    for (name, store) in stores().await {
        let revocations = Revocations::shared(store.clone());
        let now = OffsetDateTime::now_utc();
        let (later, past) = (
            now + time::Duration::hours(1),
            now - time::Duration::seconds(5),
        );
        revocations.revoke_token("t", later).await.unwrap();
        revocations.revoke_token("t", past).await.unwrap();
        revocations.revoke_family("f", later).await.unwrap();
        revocations.revoke_family("f", past).await.unwrap();
        revocations.revoke_key("k").await.unwrap();
        revocations.revoke_key("k").await.unwrap();
        revocations.revoke_subject("alice", now).await.unwrap();
        revocations
            .revoke_subject("alice", now - time::Duration::hours(1))
            .await
            .unwrap();
        let token = |token_id, family, key_id| TokenRef {
            token_id: Some(token_id),
            family: Some(family),
            subject: Some("alice"),
            // After the earlier subject revocation, before the later one.
            issued_at: Some(now - time::Duration::minutes(1)),
            key_id: Some(key_id),
        };
        let check = |token_id, family, key_id| store.check(token(token_id, family, key_id));
        assert_eq!(
            check("t", "-", "-").await.unwrap(),
            Some(RevokedBy::TokenId),
            "{name}"
        );
        assert_eq!(
            check("-", "f", "-").await.unwrap(),
            Some(RevokedBy::Family),
            "{name}"
        );
        assert_eq!(
            check("-", "-", "k").await.unwrap(),
            Some(RevokedBy::Subject),
            "{name}"
        );
        let bob = TokenRef {
            subject: Some("bob"),
            key_id: Some("k"),
            ..TokenRef::default()
        };
        assert_eq!(
            store.check(bob).await.unwrap(),
            Some(RevokedBy::Key),
            "{name}"
        );
    }
}

#[tokio::test]
async fn memory_entries_expire_with_their_tokens_and_the_store_stays_bounded() {
    let store = Arc::new(MemoryStore::new().capacity(2));
    let revocations = Revocations::shared(store.clone());
    let past = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    let future = OffsetDateTime::now_utc() + time::Duration::hours(1);
    revocations.revoke_token("expired-1", past).await.unwrap();
    revocations.revoke_token("expired-2", past).await.unwrap();
    // Full, of expired entries: they are purged to make room.
    revocations.revoke_token("live-1", future).await.unwrap();
    revocations.revoke_token("live-2", future).await.unwrap();
    assert_eq!(store.len(), 2);
    // Full of live ones: a new revocation fails rather than forget one.
    let err = revocations
        .revoke_token("live-3", future)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Full(2)), "{err}");
}

#[tokio::test]
async fn redis_entries_expire_with_their_tokens() {
    let Some(url) = support::redis::shared_url() else {
        return;
    };
    let prefix = support::redis::unique_prefix();
    let store = support::redis::with_history(&url, &prefix).await;
    let revocations = Revocations::new(store);
    let exp = OffsetDateTime::now_utc() + time::Duration::seconds(90);
    revocations.revoke_token("short-lived", exp).await.unwrap();
    revocations.revoke_key("k4.pid.compromised").await.unwrap();
    let mut entries = support::redis::entries_under(&url, &prefix).await;
    // The store's epoch marker never expires (see tests/store_faults.rs).
    assert!(entries.contains(&("epoch".to_owned(), -1)), "{entries:?}");
    entries.retain(|(name, _)| name != "epoch");
    assert_eq!(entries.len(), 2, "{entries:?}");
    for (name, ttl) in &entries {
        // Fixed-length names: the kind and a 43-character hash.
        assert_eq!(name.len(), 4 + 43, "{name}");
        if name.starts_with("jti:") {
            assert!((80..=90).contains(ttl), "{name}: TTL {ttl}");
        } else {
            assert_eq!(*ttl, -1, "{name}: a key revocation does not expire");
        }
    }
}

#[tokio::test]
async fn two_instances_sharing_redis_see_each_others_logouts() {
    let Some(url) = support::redis::shared_url() else {
        return;
    };
    let prefix = support::redis::unique_prefix();
    let api = Api::new();
    // Two instances of one service: their own connections, one server.
    let connect = || support::redis::with_history(&url, &prefix);
    let a = api.app(Revocations::new(connect().await));
    let b = api.app(Revocations::new(connect().await));
    let token = api.token("alice");
    assert_eq!(call(&b, "GET", "/me", &token).await, ok("alice"));
    let (status, _) = call(&a, "POST", "/logout", &token).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // B answers from its mirror, which the revocation reaches within milliseconds
    // (benches/fleet.rs measures how many).
    let deadline = Instant::now() + Duration::from_secs(5);
    while call(&b, "GET", "/me", &token).await != revoked() {
        assert!(Instant::now() < deadline, "B never refused the token");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_dead_redis_fails_closed_or_open_within_the_timeout_and_recovers() {
    let Some(mut redis) = OwnRedis::start() else {
        return;
    };
    let api = Api::new();
    // Asking Redis at each request: the policy below is what applies to every check then, and
    // to a mirror's checks once it is stale (tests/fleet_mirror.rs).
    let store = support::redis::without_mirror(&redis.url(), "paseto-auth:").await;
    let timeout = Duration::from_millis(150);
    let closed = api.app(Revocations::new(store.clone()).timeout(timeout));
    let open = api.app(
        Revocations::new(store.clone())
            .timeout(timeout)
            .fail_open(true),
    );
    let token = api.token("alice");
    assert_eq!(call(&closed, "GET", "/me", &token).await, ok("alice"));

    redis.stop();
    for _ in 0..3 {
        let started = Instant::now();
        let response = send(&closed, bearer("GET", "/me", &token)).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[RETRY_AFTER], "1");
        let body: Value = serde_json::from_str(&body_string(response).await).unwrap();
        assert_eq!(body["error"], "temporarily_unavailable");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        let started = Instant::now();
        assert_eq!(call(&open, "GET", "/me", &token).await, ok("alice"));
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }

    redis.resume();
    // Back, without its data (no persistence): the first request is answered (no 503), and the
    // token, issued before the loss, is refused from now on (tests/store_faults.rs has why).
    assert_eq!(call(&closed, "GET", "/me", &token).await, revoked());
    assert_eq!(call(&open, "GET", "/me", &token).await, revoked());
    // A login after the restart works, and its logout holds.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let token = api.token("alice");
    assert_eq!(call(&closed, "GET", "/me", &token).await, ok("alice"));
    let (status, _) = call(&closed, "POST", "/logout", &token).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(call(&open, "GET", "/me", &token).await, revoked());
}

#[tokio::test]
async fn a_hung_or_failing_store_never_hangs_a_request() {
    let api = Api::new();
    let token = api.token("alice");
    for hangs in [true, false] {
        let timeout = Duration::from_millis(100);
        let closed = api.app(Revocations::new(Broken { hangs }).timeout(timeout));
        let open = api.app(
            Revocations::new(Broken { hangs })
                .timeout(timeout)
                .fail_open(true),
        );
        let logs = support::logs::capture();
        let started = Instant::now();
        let (status, kind) = call(&closed, "GET", "/me", &token).await;
        assert_eq!(
            (status, kind.as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, "store_unavailable")
        );
        assert!(started.elapsed() < Duration::from_millis(900));
        assert_eq!(call(&open, "GET", "/me", &token).await, ok("alice"));
        let logged = logs.text();
        assert!(
            logged.contains("failing closed") && logged.contains("failing open"),
            "{logged}"
        );
    }
}

#[tokio::test]
async fn every_token_the_issuer_makes_has_a_random_jti_and_an_iat() {
    let api = Api::new();
    let first = api.verifier.verify::<Value>(&api.token("a")).unwrap();
    let second = api.verifier.verify::<Value>(&api.token("a")).unwrap();
    let (one, two) = (
        first.registered.jti.unwrap(),
        second.registered.jti.unwrap(),
    );
    assert_eq!(one.len(), 22, "{one}: 128 bits, base64url");
    assert_ne!(one, two);
    assert!(first.registered.iat.is_some());
    let without = Issuer::builder()
        .issuer(ISS)
        .key(api.key.clone())
        .use_jti(false)
        .build()
        .unwrap()
        .issue(&json!({}))
        .unwrap();
    assert_eq!(
        api.verifier
            .verify::<Value>(&without)
            .unwrap()
            .registered
            .jti,
        None
    );
}
