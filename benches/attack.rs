//! Operating under attack: what refusing garbage costs beside serving a valid request, in one run.
//!
//! - criterion, through the router: a valid request (a token never seen before), a garbage bearer
//!   token, a garbage session cookie, and a forged token without `kid` (a valid-looking
//!   signature by a stranger's key) against a ring of 1, 3 and 10 v4 keys;
//! - then a 10-second flood of garbage tokens and cookies through the router, counting the log
//!   lines an `info` subscriber writes (the budget: a few per kind per interval).
//!
//! `cargo bench --bench attack` (`ATTACK_SHOW_LOGS=1` also prints the flood's log lines)

#[path = "common/mod.rs"]
mod common;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{Request, StatusCode};
use axum::routing::get;
use criterion::{BatchSize, Criterion};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::SecretKey;
use paseto_auth::{Issuer, Paseto, Verifier, Version, paseto_required};
use tower::ServiceExt;

const ISS: &str = "https://issuer.example";

#[paseto_required]
async fn guarded(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

/// A router guarding `/` with a verifier of `n` v4 keys (bound to [`ISS`]).
fn ring_of(n: usize) -> Router {
    let mut builder = Verifier::builder();
    for _ in 0..n {
        let key = SecretKey::generate(Version::V4).expect("key");
        builder = builder.public_key(key.public_key().clone(), ISS);
    }
    let verifier = builder.build().expect("verifier");
    Router::new()
        .route("/", get(guarded))
        .with_state(PasetoAuth::new(verifier))
}

/// A token without `kid`, signed by a key no ring holds: what a forger sends.
fn forged() -> String {
    let stranger = SecretKey::generate(Version::V4).expect("key");
    Issuer::builder()
        .issuer(ISS)
        .key(stranger)
        .use_kid(false)
        .build()
        .expect("issuer")
        .issue(&serde_json::json!({"sub": "mallory"}))
        .expect("token")
}

fn request(header: (axum::http::HeaderName, String)) -> Request<Body> {
    Request::get("/")
        .header(header.0, header.1)
        .body(Body::empty())
        .expect("request")
}

/// What the attacks are aimed at: the guarded handler (and its fixture, for valid tokens) and the
/// session handler, with a runtime to send through.
struct Targets {
    runtime: tokio::runtime::Runtime,
    verify: common::verify::Fixture,
    valid: Router,
    cookies: Router,
}

fn targets() -> Targets {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let verify = common::verify::fixture();
    let (valid, _) = common::verify::routers(&verify);
    let session = runtime.block_on(common::session::fixture());
    let (cookies, _) = common::session::routers(&session);
    Targets {
        runtime,
        verify,
        valid,
        cookies,
    }
}

fn attack(c: &mut Criterion) {
    let Targets {
        runtime,
        verify,
        valid,
        cookies,
    } = targets();
    let forged = forged();
    let send = |router: &Router, request: Request<Body>, expected: StatusCode| {
        let response = runtime
            .block_on(router.clone().oneshot(request))
            .expect("infallible");
        assert_eq!(response.status(), expected);
    };
    let bearer = |token: &str| (AUTHORIZATION, format!("Bearer {token}"));
    let issued = AtomicUsize::new(1);
    let mut group = c.benchmark_group("attack");
    group.bench_function("valid_token", |b| {
        b.iter_batched(
            || verify.unique_token(issued.fetch_add(1, Ordering::Relaxed)),
            |token| send(&valid, request(bearer(&token)), StatusCode::OK),
            BatchSize::SmallInput,
        )
    });
    let garbage = format!("v4.public.{}", "A".repeat(300));
    group.bench_function("garbage_token", |b| {
        b.iter(|| send(&valid, request(bearer(&garbage)), StatusCode::UNAUTHORIZED))
    });
    let cookie = (COOKIE, format!("session=v4.local.{}", "A".repeat(300)));
    group.bench_function("garbage_cookie", |b| {
        // A fresh default session: the request is served, the cookie ignored.
        b.iter(|| send(&cookies, request(cookie.clone()), StatusCode::OK))
    });
    for n in [1, 3, 10] {
        let ring = ring_of(n);
        group.bench_function(format!("forged_kidless_ring_of_{n}"), |b| {
            b.iter(|| send(&ring, request(bearer(&forged)), StatusCode::UNAUTHORIZED))
        });
    }
    group.finish();
}

/// A writer that counts lines, for the flood's subscriber.
#[derive(Clone)]
struct LineCounter(Arc<AtomicUsize>);

impl Write for LineCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let lines = buf.iter().filter(|b| **b == b'\n').count();
        self.0.fetch_add(lines, Ordering::Relaxed);
        if std::env::var_os("ATTACK_SHOW_LOGS").is_some() {
            let _ = std::io::stderr().write_all(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Ten seconds of garbage tokens and cookies, with an `info` subscriber: how many refusals, and
/// how many log lines they wrote.
fn flood() {
    let lines = Arc::new(AtomicUsize::new(0));
    let writer = LineCounter(lines.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let targets = targets();
    let (runtime, valid, cookies) = (&targets.runtime, &targets.valid, &targets.cookies);
    let started = Instant::now();
    let mut refused = 0usize;
    while started.elapsed() < Duration::from_secs(10) {
        let token = format!("v4.public.{}", "A".repeat(100 + refused % 50));
        let response = runtime
            .block_on(
                valid
                    .clone()
                    .oneshot(request((AUTHORIZATION, format!("Bearer {token}")))),
            )
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let cookie = (COOKIE, format!("session=v4.local.{refused}"));
        let response = runtime
            .block_on(cookies.clone().oneshot(request(cookie)))
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        refused += 2;
    }
    println!(
        "flood: {refused} refusals in 10 s ({:.0}/s), {} log lines at info and above (budget: 10 per kind per 10 s, plus a count)",
        refused as f64 / 10.0,
        lines.load(Ordering::Relaxed)
    );
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    attack(&mut criterion);
    criterion.final_summary();
    flood();
}
