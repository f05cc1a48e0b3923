//! Verification cost: our `Verifier` and `#[paseto_required]` handler, each beside a hand-written
//! equivalent that calls pasetors directly, in the same run: with a different token on every
//! call (the signature checked each time) and with the same token repeated (the verifier's cache),
//! and an unguarded handler as the ceiling.
//!
//! `cargo bench --bench verify`

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode, header::AUTHORIZATION};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

use common::verify::{
    Claims, fixture, guarded_router, memory_revocations, pasetors_verify, postgres_revocations,
    redis_revocations, routers, unguarded_router,
};

fn in_process(c: &mut Criterion) {
    let f = fixture();
    let mut group = c.benchmark_group("verify_in_process");
    group.bench_function("paseto_auth::Verifier", |b| {
        b.iter(|| {
            f.uncached
                .verify::<Claims>(black_box(&f.token))
                .expect("valid")
        })
    });
    group.bench_function("paseto_auth::Verifier_cached", |b| {
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

fn through_axum(c: &mut Criterion) {
    let f = fixture();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let (ours, reference) = routers(&f);
    let unguarded = unguarded_router();
    let request = |token: &str| {
        Request::get("/")
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request")
    };
    let mut group = c.benchmark_group("handler_end_to_end");
    let cases = [
        ("paseto_required_unique", &ours, true),
        ("pasetors_by_hand_unique", &reference, true),
        ("paseto_required_repeated", &ours, false),
        ("pasetors_by_hand_repeated", &reference, false),
        ("unguarded", &unguarded, false),
    ];
    let issued = AtomicUsize::new(1);
    for (name, router, distinct) in cases {
        let send = |token: &str| {
            let response = runtime
                .block_on(router.clone().oneshot(request(token)))
                .expect("infallible");
            assert_eq!(response.status(), StatusCode::OK);
        };
        group.bench_function(name, |b| {
            if distinct {
                // A token never seen before on every request, made outside the timing (numbered
                // across every call of this closure, so no number comes twice).
                b.iter_batched(
                    || f.unique_token(issued.fetch_add(1, Ordering::Relaxed)),
                    |token| send(&token),
                    BatchSize::SmallInput,
                )
            } else {
                b.iter(|| send(&f.token))
            }
        });
    }
    group.finish();
}

/// The guarded handler without a store, with the memory store, and with Redis (when
/// `PASETO_REDIS_URL` is set), in one run: what a revocation check costs.
fn revocation(c: &mut Criterion) {
    let f = fixture();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut routers = vec![
        ("no_store", guarded_router(&f, None)),
        (
            "memory_store",
            guarded_router(&f, Some(runtime.block_on(memory_revocations()))),
        ),
    ];
    for (name, mirror) in [("redis_mirror", true), ("redis_direct", false)] {
        match runtime.block_on(redis_revocations(mirror)) {
            Some(redis) => routers.push((name, guarded_router(&f, Some(redis)))),
            None => eprintln!("PASETO_REDIS_URL is not set: the Redis store is not measured"),
        }
    }
    for (name, mirror) in [("postgres_mirror", true), ("postgres_direct", false)] {
        match runtime.block_on(postgres_revocations(mirror)) {
            Some(postgres) => routers.push((name, guarded_router(&f, Some(postgres)))),
            None => {
                eprintln!("PASETO_POSTGRES_URL is not set: the PostgreSQL store is not measured")
            }
        }
    }
    let request = || {
        Request::get("/")
            .header(AUTHORIZATION, format!("Bearer {}", f.token))
            .body(Body::empty())
            .expect("request")
    };
    let mut group = c.benchmark_group("revocation_check");
    for (name, router) in &routers {
        group.bench_function(*name, |b| {
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
    targets = in_process, through_axum, revocation
}
criterion_main!(benches);
