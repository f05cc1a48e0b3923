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

use common::verify::{Claims, fixture, pasetors_verify, routers};

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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = in_process, through_axum
}
criterion_main!(benches);
