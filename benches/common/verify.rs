//! The verification path and its reference: a token (or many distinct ones), our
//! `#[paseto_required]` handler, a hand-written handler that calls pasetors directly, and an
//! unguarded handler (the ceiling). Shared by `benches/verify.rs` and `benches/load_server.rs`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::SecretKey;
use paseto_auth::store::{MemoryStore, PostgresStore, RedisStore, Revocations};
use paseto_auth::{Issuer, Paseto, PasetoClaims, Verifier, paseto_required};
use pasetors::Public;
use pasetors::claims::ClaimsValidationRules;
use pasetors::keys::AsymmetricPublicKey;
use pasetors::token::UntrustedToken;
use pasetors::version4::V4;
use serde::{Deserialize, Serialize};

pub(crate) const ISS: &str = "https://issuer.example";

#[derive(Serialize, Deserialize, PasetoClaims)]
pub(crate) struct Claims {
    pub(crate) user: String,
    pub(crate) roles: Vec<String>,
}

pub(crate) struct Fixture {
    pub(crate) token: String,
    /// The verifier as configured by default: with its token cache.
    pub(crate) verifier: Verifier,
    /// The same keys without a cache: what checking a token costs.
    pub(crate) uncached: Verifier,
    pub(crate) pasetors_key: AsymmetricPublicKey<V4>,
    issuer: Issuer,
}

/// The benchmarks' signing key, the same in every run, so that instruction counts of separate runs
/// (`benches/callgrind.sh`) verify the same signature work. It protects nothing.
const BENCH_KEY: &str = "k4.secret.0acmDnQBXobe1UC_V4icKnGaocQ95viZYjXd8ZDii9AM_KRUNNV1Bw9lkaVylLzGbcxcgdueWXL6TL3xLCGjug";

pub(crate) fn fixture() -> Fixture {
    let key = SecretKey::from_paserk(BENCH_KEY).expect("key");
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(key.clone())
        .build()
        .expect("issuer");
    let claims = Claims {
        user: "alice".into(),
        roles: vec!["admin".into()],
    };
    let token = issue(&issuer, &claims, 0);
    let verifier = |cache_size| {
        Verifier::builder()
            .public_key(key.public_key().clone(), ISS)
            .cache_size(cache_size)
            .build()
            .expect("verifier")
    };
    let pasetors_key =
        AsymmetricPublicKey::<V4>::try_from(key.public_key().to_paserk().as_str()).expect("key");
    Fixture {
        token,
        verifier: verifier(paseto_auth::DEFAULT_CACHE_SIZE),
        uncached: verifier(0),
        pasetors_key,
        issuer,
    }
}

/// The benchmark token numbered `n` (its `jti`): every number gives a distinct token of the same
/// size. pasetors validation requires `nbf`, so it carries one (both sides then check exp, nbf,
/// iat).
fn issue(issuer: &Issuer, claims: &Claims, n: usize) -> String {
    let options = paseto_auth::TokenOptions::new()
        .not_before(time::OffsetDateTime::now_utc())
        .token_id(format!("bench-token-id-{n:07}"));
    issuer.issue_with(claims, options).expect("token")
}

impl Fixture {
    /// `n` distinct valid tokens, for the unique-token mode: more than the cache holds, a run
    /// that cycles through them misses the cache (as a stream of new tokens would).
    pub(crate) fn unique_tokens(&self, n: usize) -> Vec<String> {
        (1..=n).map(|i| self.unique_token(i)).collect()
    }

    /// The distinct valid token numbered `n` (from 1).
    pub(crate) fn unique_token(&self, n: usize) -> String {
        let claims = Claims {
            user: "alice".into(),
            roles: vec!["admin".into()],
        };
        issue(&self.issuer, &claims, n)
    }
}

/// The hand-written reference: pasetors' own verify + claim validation, then serde.
pub(crate) fn pasetors_verify(key: &AsymmetricPublicKey<V4>, token: &str) -> Option<Claims> {
    let untrusted = UntrustedToken::<Public, V4>::try_from(token).ok()?;
    let mut rules = ClaimsValidationRules::new();
    rules.validate_issuer_with(ISS);
    let trusted = pasetors::public::verify(key, &untrusted, &rules, None, None).ok()?;
    serde_json::from_str(trusted.payload()).ok()
}

#[paseto_required(iss = "https://issuer.example", claims(roles))]
pub(crate) async fn guarded(token: Paseto<Claims>) -> Json<String> {
    Json(token.claims.user)
}

pub(crate) async fn by_hand(
    State(key): State<AsymmetricPublicKey<V4>>,
    headers: HeaderMap,
) -> Response {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token.and_then(|t| pasetors_verify(&key, t)) {
        Some(claims) => Json(claims.user).into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// Our guarded handler at `/`, checking every token against `revocations` when given.
pub(crate) fn guarded_router(f: &Fixture, revocations: Option<Revocations>) -> Router {
    let auth = PasetoAuth::new(f.verifier.clone());
    let auth = match revocations {
        Some(revocations) => auth.revocations(revocations),
        None => auth,
    };
    Router::new().route("/", get(guarded)).with_state(auth)
}

/// Revocations in Redis at `PASETO_REDIS_URL` (with one revoked token, so the check finds a
/// populated store), or `None` when it is unset; with the instance's mirror (`mirror`), or
/// asking Redis at each check.
pub(crate) async fn redis_revocations(mirror: bool) -> Option<Revocations> {
    let url = std::env::var("PASETO_REDIS_URL").ok()?;
    // A store in service since before the bench's tokens: without a marker, connecting would
    // write one now and refuse every token issued in this second (a store that looks wiped).
    let client = redis::Client::open(url.as_str()).expect("PASETO_REDIS_URL is a URL");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("PASETO_REDIS_URL reachable");
    let _: Option<String> = redis::cmd("SET")
        .arg("paseto-auth-bench:epoch")
        .arg(0)
        .arg("NX")
        .query_async(&mut connection)
        .await
        .expect("redis");
    let settings = paseto_auth::store::mirror::MirrorSettings {
        enabled: mirror,
        ..Default::default()
    };
    let store = RedisStore::builder()
        .prefix("paseto-auth-bench:")
        .mirror(settings)
        .connect(&url)
        .await
        .expect("PASETO_REDIS_URL reachable");
    let revocations = Revocations::new(store);
    let until = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    revocations
        .revoke_token("another", until)
        .await
        .expect("redis");
    Some(revocations)
}

/// Revocations in PostgreSQL at `PASETO_POSTGRES_URL` (schema `paseto_auth_bench`, with one
/// revoked token), or `None` when it is unset; with the instance's mirror (`mirror`), or asking
/// the database at each check.
pub(crate) async fn postgres_revocations(mirror: bool) -> Option<Revocations> {
    let url = std::env::var("PASETO_POSTGRES_URL").ok()?;
    let settings = paseto_auth::store::mirror::MirrorSettings {
        enabled: mirror,
        ..Default::default()
    };
    let connect = || {
        PostgresStore::builder()
            .schema("paseto_auth_bench")
            .mirror(settings)
            .connect(&url)
    };
    // A store in service since before the bench's tokens: the first connection makes the tables
    // (and an epoch of now, which would refuse every token issued before it); set it to 0.
    drop(connect().await.expect("PASETO_POSTGRES_URL reachable"));
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("PASETO_POSTGRES_URL reachable");
    tokio::spawn(connection);
    client
        .execute("UPDATE paseto_auth_bench.epoch SET epoch = 0", &[])
        .await
        .expect("postgres");
    let store = connect().await.expect("PASETO_POSTGRES_URL reachable");
    let revocations = Revocations::new(store);
    let until = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    revocations
        .revoke_token("another", until)
        .await
        .expect("postgres");
    Some(revocations)
}

/// Revocations in memory, with one revoked token.
pub(crate) async fn memory_revocations() -> Revocations {
    let revocations = Revocations::new(MemoryStore::new());
    let until = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    revocations
        .revoke_token("another", until)
        .await
        .expect("memory");
    revocations
}

/// An unguarded handler at `/`: what axum costs alone, the ceiling of a guarded one.
pub(crate) fn unguarded_router() -> Router {
    Router::new().route("/", get(|| async { Json("alice".to_owned()) }))
}

/// Our guarded handler at `/`, and the reference at `/`, each with its state.
pub(crate) fn routers(f: &Fixture) -> (Router, Router) {
    let ours = guarded_router(f, None);
    let reference = Router::new()
        .route("/", get(by_hand))
        .with_state(f.pasetors_key.clone());
    (ours, reference)
}
