//! Verification cost: our `Verifier` and `#[paseto_required]` handler, each beside a hand-written
//! equivalent that calls pasetors directly, on the same token in the same run.
//!
//! `cargo bench --bench verify`

use std::hint::black_box;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use criterion::{Criterion, criterion_group, criterion_main};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::SecretKey;
use paseto_auth::{Issuer, Paseto, PasetoClaims, Verifier, Version, paseto_required};
use pasetors::Public;
use pasetors::claims::ClaimsValidationRules;
use pasetors::keys::AsymmetricPublicKey;
use pasetors::token::UntrustedToken;
use pasetors::version4::V4;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

const ISS: &str = "https://issuer.example";

#[derive(Serialize, Deserialize, PasetoClaims)]
struct Claims {
    user: String,
    roles: Vec<String>,
}

struct Fixture {
    token: String,
    verifier: Verifier,
    pasetors_key: AsymmetricPublicKey<V4>,
}

fn fixture() -> Fixture {
    let key = SecretKey::generate(Version::V4).expect("key");
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(key.clone())
        .build()
        .expect("issuer");
    let claims = Claims {
        user: "alice".into(),
        roles: vec!["admin".into()],
    };
    // pasetors validation requires nbf, so the token carries one (both sides then check exp, nbf, iat).
    let options = paseto_auth::TokenOptions::new().not_before(time::OffsetDateTime::now_utc());
    let token = issuer.issue_with(&claims, options).expect("token");
    let verifier = Verifier::builder()
        .public_key(key.public_key().clone(), ISS)
        .build()
        .expect("verifier");
    let pasetors_key =
        AsymmetricPublicKey::<V4>::try_from(key.public_key().to_paserk().as_str()).expect("key");
    Fixture {
        token,
        verifier,
        pasetors_key,
    }
}

/// The hand-written reference: pasetors' own verify + claim validation, then serde.
fn pasetors_verify(key: &AsymmetricPublicKey<V4>, token: &str) -> Option<Claims> {
    let untrusted = UntrustedToken::<Public, V4>::try_from(token).ok()?;
    let mut rules = ClaimsValidationRules::new();
    rules.validate_issuer_with(ISS);
    let trusted = pasetors::public::verify(key, &untrusted, &rules, None, None).ok()?;
    serde_json::from_str(trusted.payload()).ok()
}

fn in_process(c: &mut Criterion) {
    let f = fixture();
    let mut group = c.benchmark_group("verify_in_process");
    group.bench_function("paseto_auth::Verifier", |b| {
        b.iter(|| {
            f.verifier
                .verify::<Claims>(black_box(&f.token))
                .expect("valid")
        })
    });
    group.bench_function("pasetors_by_hand", |b| {
        b.iter(|| pasetors_verify(&f.pasetors_key, black_box(&f.token)).expect("valid"))
    });
    group.finish();
}

#[paseto_required(iss = "https://issuer.example", claims(roles))]
async fn guarded(token: Paseto<Claims>) -> Json<String> {
    Json(token.claims.user)
}

async fn by_hand(State(key): State<AsymmetricPublicKey<V4>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token.and_then(|t| pasetors_verify(&key, t)) {
        Some(claims) => Json(claims.user).into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

fn through_axum(c: &mut Criterion) {
    let f = fixture();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let ours = Router::new()
        .route("/", get(guarded))
        .with_state(PasetoAuth::new(f.verifier.clone()));
    let reference = Router::new()
        .route("/", get(by_hand))
        .with_state(f.pasetors_key.clone());
    let request = || {
        Request::get("/")
            .header(AUTHORIZATION, format!("Bearer {}", f.token))
            .body(Body::empty())
            .expect("request")
    };
    let mut group = c.benchmark_group("handler_end_to_end");
    for (name, router) in [("paseto_required", &ours), ("pasetors_by_hand", &reference)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let response = runtime
                    .block_on(router.clone().oneshot(request()))
                    .expect("infallible");
                assert_eq!(response.status(), StatusCode::OK);
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = in_process, through_axum
}
criterion_main!(benches);
