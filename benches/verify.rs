//! Verification cost: our `Verifier` and `#[paseto_required]` handler, each beside a hand-written
//! equivalent that calls pasetors directly, on the same token in the same run.
//!
//! `cargo bench --bench verify`

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;

use axum::body::Body;
use axum::http::{Request, StatusCode, header::AUTHORIZATION};
use criterion::{Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

use common::verify::{
    Claims, fixture, guarded_router, memory_revocations, pasetors_verify, redis_revocations,
    routers,
};

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

fn through_axum(c: &mut Criterion) {
    let f = fixture();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let (ours, reference) = routers(&f);
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
    match runtime.block_on(redis_revocations()) {
        Some(redis) => routers.push(("redis_store", guarded_router(&f, Some(redis)))),
        None => eprintln!("PASETO_REDIS_URL is not set: the Redis store is not measured"),
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
