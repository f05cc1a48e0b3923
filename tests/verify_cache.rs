//! The verified-token cache: a token seen again skips its signature check, and nothing else —
//! expiry, the route's requirements and version, revocation and the cache's own maximum age all
//! hold on every hit; refusals are never cached; a verifier with other keys starts empty.

mod support;

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use paseto_auth::CacheStats;
use paseto_auth::config::PasetoConfig;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::SecretKey;
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::{
    ErrorKind, Issuer, Paseto, Requirements, TokenOptions, Verifier, Version, paseto_required,
};
use serde_json::{Value, json};

use support::ISS;
use support::http::{bearer, send};

fn keys() -> (SecretKey, Issuer) {
    let secret = SecretKey::generate(Version::V4).unwrap();
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(secret.clone())
        .build()
        .unwrap();
    (secret, issuer)
}

fn verifier(secret: &SecretKey, max_age: Duration) -> Verifier {
    Verifier::builder()
        .public_key(secret.public_key().clone(), ISS)
        .versions([Version::V4, Version::V3])
        .cache_max_age(max_age)
        .build()
        .unwrap()
}

fn stats(verifier: &Verifier) -> (u64, u64, usize) {
    let CacheStats {
        hits,
        misses,
        entries,
    } = verifier.cache_stats().unwrap();
    (hits, misses, entries)
}

#[test]
fn a_token_is_cached_from_its_second_verification_and_hits_after() {
    let (secret, issuer) = keys();
    let verifier = verifier(&secret, Duration::from_secs(60));
    let token = issuer.issue(&json!({"sub": "alice"})).unwrap();
    for _ in 0..5 {
        let verified = verifier.verify::<Value>(&token).unwrap();
        assert_eq!(verified.registered.sub.as_deref(), Some("alice"));
    }
    // Two full verifications (the first only notes the token), then three hits.
    assert_eq!(stats(&verifier), (3, 2, 1));
}

#[test]
fn every_hit_checks_the_routes_requirements_and_version() {
    let (secret, issuer) = keys();
    let verifier = verifier(&secret, Duration::from_secs(60));
    let token = issuer
        .issue_with(&json!({}), TokenOptions::new().audience("api"))
        .unwrap();
    for _ in 0..3 {
        verifier.verify::<Value>(&token).unwrap();
    }
    let admin = Requirements::new().audience("admin");
    let err = verifier.verify_with::<Value>(&token, &admin).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AUDIENCE_NOT_ACCEPTED);
    let v3_only = Requirements::new().version(Version::V3);
    let err = verifier.verify_with::<Value>(&token, &v3_only).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::VERSION_NOT_ALLOWED);
    let roles = Requirements::new().claim("roles");
    let err = verifier.verify_with::<Value>(&token, &roles).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MISSING_CLAIM);
    // All from the cache: one entry, never verified again.
    let (hits, misses, entries) = stats(&verifier);
    assert_eq!((misses, entries), (2, 1));
    assert_eq!(hits, 4);
}

#[test]
fn a_cached_token_expires_with_its_exp() {
    let (secret, issuer) = keys();
    let verifier = verifier(&secret, Duration::from_secs(60));
    let options = TokenOptions::new().lifetime(Duration::from_secs(2));
    let token = issuer.issue_with(&json!({}), options).unwrap();
    for _ in 0..3 {
        verifier.verify::<Value>(&token).unwrap();
    }
    // `exp` is whole seconds: a little over two seconds is past it.
    std::thread::sleep(Duration::from_millis(2100));
    let err = verifier.verify::<Value>(&token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::EXPIRED);
    assert_eq!(stats(&verifier).0, 2, "the refusal came from a hit");
}

#[test]
fn an_entry_leaves_at_its_maximum_age() {
    let (secret, issuer) = keys();
    let verifier = verifier(&secret, Duration::from_millis(200));
    let token = issuer.issue(&json!({})).unwrap();
    for _ in 0..3 {
        verifier.verify::<Value>(&token).unwrap();
    }
    assert_eq!(stats(&verifier), (1, 2, 1));
    std::thread::sleep(Duration::from_millis(250));
    verifier.verify::<Value>(&token).unwrap();
    assert_eq!(stats(&verifier).1, 3, "too old: verified again");
}

#[test]
fn refusals_are_never_cached() {
    let (secret, issuer) = keys();
    let verifier = verifier(&secret, Duration::from_secs(60));
    let (stranger, _) = keys();
    let forged = Issuer::builder()
        .issuer(ISS)
        .key(stranger)
        .build()
        .unwrap()
        .issue(&json!({}))
        .unwrap();
    let mut tampered = issuer.issue(&json!({})).unwrap().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for token in [
        forged.as_str(),
        tampered.as_str(),
        "v4.public.AAAA",
        "garbage",
    ] {
        for _ in 0..3 {
            assert!(verifier.verify::<Value>(token).is_err(), "{token}");
        }
    }
    assert_eq!(stats(&verifier).2, 0);
}

#[test]
fn each_verifier_has_its_own_cache_and_none_when_turned_off() {
    let (secret, issuer) = keys();
    let token = issuer.issue(&json!({})).unwrap();
    let first = verifier(&secret, Duration::from_secs(60));
    for _ in 0..3 {
        first.verify::<Value>(&token).unwrap();
    }
    // A rotation builds a new verifier: it starts empty, whatever the old one held.
    let rotated = verifier(&secret, Duration::from_secs(60));
    assert_eq!(stats(&rotated), (0, 0, 0));
    let off = Verifier::builder()
        .public_key(secret.public_key().clone(), ISS)
        .cache_size(0)
        .build()
        .unwrap();
    off.verify::<Value>(&token).unwrap();
    assert!(off.cache_stats().is_none());
    // The setting.
    let config = PasetoConfig::from_json(&format!(
        r#"{{"PASETO_ISS": "{ISS}", "PASETO_VERIFY_CACHE_SIZE": "0",
            "PASETO_PUBLIC_KEYS": [{{"iss": "{ISS}", "paserk": "{}"}}]}}"#,
        secret.public_key().to_paserk()
    ))
    .unwrap();
    assert!(config.verifier().unwrap().cache_stats().is_none());
    let err = PasetoConfig::from_json(r#"{"PASETO_VERIFY_CACHE_SIZE": "many"}"#).unwrap_err();
    assert!(
        err.to_string().contains("PASETO_VERIFY_CACHE_SIZE"),
        "{err}"
    );
}

#[paseto_required]
async fn me(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

#[paseto_required]
async fn logout(
    axum::extract::State(auth): axum::extract::State<PasetoAuth>,
    token: Paseto,
) -> StatusCode {
    auth.revoke(&token).await.unwrap();
    StatusCode::NO_CONTENT
}

#[tokio::test]
async fn a_revoked_token_is_refused_even_when_cached() {
    let (secret, issuer) = keys();
    let auth = PasetoAuth::new(verifier(&secret, Duration::from_secs(60)))
        .revocations(Revocations::new(MemoryStore::new()));
    let app = Router::new()
        .route("/me", axum::routing::get(me))
        .route("/logout", post(logout))
        .with_state(auth.clone());
    let token = issuer.issue(&json!({"sub": "alice"})).unwrap();
    for _ in 0..3 {
        let response = send(&app, bearer("GET", "/me", &token)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert!(stats(auth.verifier()).0 >= 1, "served from the cache");
    let response = send(&app, bearer("POST", "/logout", &token)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = send(&app, bearer("GET", "/me", &token)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
