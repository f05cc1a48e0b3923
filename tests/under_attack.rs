//! Operating under attack: the work a forged token can cause does not grow with the key ring
//! (a token that names no key is tried against one key at most by default), and the metrics
//! count a known sequence of requests exactly, with labels that carry no token or user data.

mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::COOKIE;
use axum::routing::get;
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use paseto_auth::TokenError;
use paseto_auth::cookie::CookieKeys;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::{LocalKey, SecretKey, SigningKey};
use paseto_auth::session::{Session, SessionLayer};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::token::seal;
use paseto_auth::{
    Error, ErrorKind, Issuer, Paseto, TokenOptions, Verifier, Version, paseto_required,
    paseto_session,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use support::ISS;
use support::http::{bearer, send};

// ---- the kid rule ----

/// A verifier trusting `n` v4 keys for [`ISS`] (and an issuer of the first, writing no `kid`
/// unless `kid` says so).
fn ring_of(n: usize, trials: Option<usize>, kid: bool) -> (Issuer, Verifier) {
    let keys: Vec<SecretKey> = (0..n)
        .map(|_| SecretKey::generate(Version::V4).unwrap())
        .collect();
    let mut builder = Verifier::builder().cache_size(0);
    for key in &keys {
        builder = builder.public_key(key.public_key().clone(), ISS);
    }
    if let Some(trials) = trials {
        builder = builder.max_key_trials(trials);
    }
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(keys[0].clone())
        .use_kid(kid)
        .build()
        .unwrap();
    (issuer, builder.build().unwrap())
}

#[test]
fn a_token_that_names_no_key_is_tried_against_one_key_at_most() {
    for n in [1, 3, 10] {
        let (issuer, verifier) = ring_of(n, None, false);
        let kidless = issuer.issue(&json!({})).unwrap();
        let result = verifier.verify::<Value>(&kidless);
        if n == 1 {
            assert!(result.is_ok(), "one key: tried");
        } else {
            // Refused before any signature check, whatever the signature.
            assert_eq!(
                result.unwrap_err().kind(),
                ErrorKind::KEY_ID_REQUIRED,
                "{n} keys"
            );
        }
        // A token naming its key verifies whatever the ring's size.
        let (issuer, verifier) = ring_of(n, None, true);
        assert!(
            verifier
                .verify::<Value>(&issuer.issue(&json!({})).unwrap())
                .is_ok(),
            "{n}"
        );
    }
    // Allowing trials: up to the setting, never beyond it.
    let (issuer, verifier) = ring_of(3, Some(3), false);
    assert!(
        verifier
            .verify::<Value>(&issuer.issue(&json!({})).unwrap())
            .is_ok()
    );
    let (issuer, verifier) = ring_of(10, Some(3), false);
    let err = verifier
        .verify::<Value>(&issuer.issue(&json!({})).unwrap())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::KEY_ID_REQUIRED);
    // A footer kid that is not a PASERK id names no key either.
    let (issuer, verifier) = ring_of(3, None, false);
    let custom = issuer
        .issue_with(
            &json!({}),
            TokenOptions::new().footer_field("kid", "my-key-2024"),
        )
        .unwrap();
    let err = verifier.verify::<Value>(&custom).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::KEY_ID_REQUIRED);
}

/// Two issuers with one key each, writing no `kid` (flask-paseto-extended's default): a kid-less
/// `public` token is tried only against the keys bound to the issuer its payload claims (or to
/// none), at most `max_key_trials` of them; what claims no trusted issuer is refused before any
/// cryptography.
#[test]
fn a_kidless_public_token_is_tried_only_against_the_keys_of_the_issuer_it_claims() {
    const A: &str = "https://a.example";
    const B: &str = "https://b.example";
    let key = || SecretKey::generate(Version::V4).unwrap();
    let (a, b, unbound, stranger) = (key(), key(), key(), key());
    let kidless = |key: &SecretKey, iss: &str| {
        Issuer::builder()
            .issuer(iss)
            .key(key.clone())
            .use_kid(false)
            .build()
            .unwrap()
            .issue(&json!({}))
            .unwrap()
    };
    let two_issuers = Verifier::builder()
        .cache_size(0)
        .public_key(a.public_key().clone(), A)
        .public_key(b.public_key().clone(), B)
        .build()
        .unwrap();
    let refused =
        |verifier: &Verifier, token: &str| verifier.verify::<Value>(token).unwrap_err().kind();

    for (secret, iss) in [(&a, A), (&b, B)] {
        let verified = two_issuers.verify::<Value>(&kidless(secret, iss)).unwrap();
        assert_eq!(verified.registered.iss.as_deref(), Some(iss));
    }
    // A forgery claiming A is checked against A's key alone; one of B's key claiming A too.
    assert_eq!(
        refused(&two_issuers, &kidless(&stranger, A)),
        ErrorKind::INVALID_SIGNATURE
    );
    assert_eq!(
        refused(&two_issuers, &kidless(&b, A)),
        ErrorKind::INVALID_SIGNATURE
    );
    // No trusted issuer claimed: no key to try, no signature checked.
    assert_eq!(
        refused(&two_issuers, &kidless(&a, "https://c.example")),
        ErrorKind::NO_KEY
    );
    let raw =
        |payload: &[u8]| seal(&SigningKey::from(stranger.clone()), payload, b"", b"").unwrap();
    for payload in [
        &br#"{"exp":"2100-01-01T00:00:00Z"}"#[..],
        br#"{"iss":"https://a.example","iss":"https://b.example"}"#,
        br#"{"iss":["https://a.example"]}"#,
        br#"["https://a.example"]"#,
        b"\xff\xfe not json",
        &[b'['; 4000],
        "{\"a\":".repeat(1000).as_bytes(),
    ] {
        assert_eq!(
            refused(&two_issuers, &raw(payload)),
            ErrorKind::NO_KEY,
            "{payload:?}"
        );
    }

    // A key bound to no issuer may speak for any: it stays a candidate, and counts.
    let with_unbound = Verifier::builder()
        .cache_size(0)
        .public_key(a.public_key().clone(), A)
        .public_key(b.public_key().clone(), B)
        .unbound_public_key(unbound.public_key().clone());
    let one_trial = with_unbound.build().unwrap();
    assert_eq!(
        refused(&one_trial, &kidless(&a, A)),
        ErrorKind::KEY_ID_REQUIRED
    );
    assert!(
        one_trial
            .verify::<Value>(&kidless(&unbound, "https://c.example"))
            .is_ok()
    );
    let with_unbound = Verifier::builder()
        .cache_size(0)
        .public_key(a.public_key().clone(), A)
        .public_key(b.public_key().clone(), B)
        .unbound_public_key(unbound.public_key().clone())
        .max_key_trials(2)
        .build()
        .unwrap();
    assert!(with_unbound.verify::<Value>(&kidless(&a, A)).is_ok());
    assert!(with_unbound.verify::<Value>(&kidless(&unbound, A)).is_ok());

    // Several keys of one issuer (a rotation): still at most `max_key_trials` of them.
    let (a2, a3) = (key(), key());
    let rotating = Verifier::builder()
        .cache_size(0)
        .public_key(a.public_key().clone(), A)
        .public_key(a2.public_key().clone(), A)
        .public_key(a3.public_key().clone(), A)
        .public_key(b.public_key().clone(), B)
        .max_key_trials(2)
        .build()
        .unwrap();
    let err = rotating.verify::<Value>(&kidless(&a, A)).unwrap_err();
    assert!(
        matches!(err, Error::Token(TokenError::KeyIdRequired(3))),
        "{err}"
    );
    assert!(rotating.verify::<Value>(&kidless(&b, B)).is_ok());
}

/// A `local` token's payload is encrypted: nothing is read before decryption, so the kid rule is
/// unchanged for it, whatever the keys' issuers.
#[test]
fn a_kidless_local_token_is_still_refused_with_more_keys_than_trials() {
    let key = || LocalKey::generate(Version::V4).unwrap();
    let (a, b) = (key(), key());
    let verifier = Verifier::builder()
        .local_key(a.clone(), Some("https://a.example".into()))
        .local_key(b, Some("https://b.example".into()))
        .build()
        .unwrap();
    let token = Issuer::builder()
        .issuer("https://a.example")
        .key(a)
        .use_kid(false)
        .build()
        .unwrap()
        .issue(&json!({}))
        .unwrap();
    let err = verifier.verify::<Value>(&token).unwrap_err();
    assert!(
        matches!(err, Error::Token(TokenError::KeyIdRequired(2))),
        "{err}"
    );
}

// ---- metrics ----

#[paseto_required(aud = "api")]
async fn api(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

#[paseto_session(cookie = "cart")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: u32,
}

async fn cart(cart: Session<Cart>) -> String {
    cart.items.to_string()
}

/// What a recorder holds (taken once: taking it resets the counters).
type Recorded = Vec<(
    metrics_util::CompositeKey,
    Option<metrics::Unit>,
    Option<metrics::SharedString>,
    DebugValue,
)>;

/// The sum of the counter `name` over the entries whose labels include every one of `labels`.
fn counter(recorded: &Recorded, name: &str, labels: &[(&str, &str)]) -> u64 {
    recorded
        .iter()
        .filter(|(key, ..)| key.key().name() == name)
        .filter(|(key, ..)| {
            labels.iter().all(|(label, value)| {
                key.key()
                    .labels()
                    .any(|l| l.key() == *label && l.value() == *value)
            })
        })
        .map(|(.., value)| match value {
            DebugValue::Counter(n) => *n,
            _ => 0,
        })
        .sum()
}

/// Every label value the recorder saw: fixed words and numbers, never a token or a subject.
fn label_values(recorded: &Recorded) -> Vec<String> {
    recorded
        .iter()
        .flat_map(|(key, ..)| {
            key.key()
                .labels()
                .map(|l| l.value().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_metrics_count_a_known_sequence_of_requests() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let secret = SecretKey::generate(Version::V4).unwrap();
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(secret.clone())
        .build()
        .unwrap();
    let verifier = Verifier::builder()
        .public_key(secret.public_key().clone(), ISS)
        .build()
        .unwrap();
    let auth = PasetoAuth::new(verifier).revocations(Revocations::new(MemoryStore::new()));
    let app = Router::new()
        .route("/api", get(api))
        .with_state(auth)
        .merge(
            Router::new()
                .route("/cart", get(cart))
                .layer(SessionLayer::new(
                    CookieKeys::generate(Version::V4).unwrap(),
                )),
        );
    let good = issuer
        .issue_with(
            &json!({}),
            TokenOptions::new().audience("api").subject("alice"),
        )
        .unwrap();
    let other_audience = issuer
        .issue_with(&json!({}), TokenOptions::new().audience("web"))
        .unwrap();
    metrics::with_local_recorder(&recorder, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let status = |request| {
                let app = app.clone();
                async move { send(&app, request).await.status() }
            };
            for _ in 0..3 {
                assert_eq!(status(bearer("GET", "/api", &good)).await, StatusCode::OK);
            }
            for garbage in ["v4.public.AAAA", "nonsense"] {
                assert_eq!(
                    status(bearer("GET", "/api", garbage)).await,
                    StatusCode::UNAUTHORIZED
                );
            }
            let anonymous = Request::get("/api").body(Body::empty()).unwrap();
            assert_eq!(status(anonymous).await, StatusCode::UNAUTHORIZED);
            let forbidden = bearer("GET", "/api", &other_audience);
            assert_eq!(status(forbidden).await, StatusCode::FORBIDDEN);
            let tampered = Request::get("/cart")
                .header(COOKIE, "cart=v4.local.tampered")
                .body(Body::empty())
                .unwrap();
            assert_eq!(status(tampered).await, StatusCode::OK);
            tokio::time::sleep(Duration::from_millis(1)).await;
        });
    });
    let recorded: Recorded = snapshotter.snapshot().into_vec();
    let verifications =
        |labels: &[(&str, &str)]| counter(&recorded, "paseto_auth_verifications_total", labels);
    assert_eq!(verifications(&[("outcome", "ok")]), 3);
    assert_eq!(
        verifications(&[("outcome", "refused"), ("error", "malformed")]),
        2
    );
    assert_eq!(
        verifications(&[("outcome", "refused"), ("error", "audience_not_accepted")]),
        1
    );
    let cache = |result| {
        counter(
            &recorded,
            "paseto_auth_verify_cache_total",
            &[("result", result)],
        )
    };
    // The good token: two misses (noted, then admitted) and a hit; the other audience's: a miss.
    assert_eq!((cache("hit"), cache("miss")), (1, 5));
    let refusals = |status| {
        counter(
            &recorded,
            "paseto_auth_guard_refusals_total",
            &[("status", status)],
        )
    };
    assert_eq!(
        (refusals("401"), refusals("403"), refusals("503")),
        (3, 1, 0)
    );
    assert_eq!(
        counter(
            &recorded,
            "paseto_auth_store_calls_total",
            &[("op", "check"), ("outcome", "ok")]
        ),
        3
    );
    assert_eq!(
        counter(
            &recorded,
            "paseto_auth_cookies_total",
            &[("cookie", "session"), ("outcome", "invalid")]
        ),
        1
    );
    for value in label_values(&recorded) {
        assert!(
            value.len() < 32
                && value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "a label value that is not a fixed word: {value}"
        );
    }
}
