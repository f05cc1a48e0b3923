//! The session layer's cost: a request through a router with `SessionLayer` whose handler reads a
//! `Session<T>`, beside a hand-written handler that finds the same cookie and decrypts it with
//! pasetors directly, in the same run; plus the bare decrypts, and a request that changes the
//! session (so it is sealed again).
//!
//! `cargo bench --bench session`

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::COOKIE;
use axum::http::{Request, StatusCode};
use criterion::{Criterion, criterion_group, criterion_main};
use tower::ServiceExt;

use common::session::{fixture, pasetors_open, routers};

fn in_process(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let f = runtime.block_on(fixture());
    let value = f.cookie.split_once('=').expect("pair").1.to_owned();
    let mut group = c.benchmark_group("session_open");
    group.bench_function("pasetors_by_hand", |b| {
        b.iter(|| pasetors_open(&f.pasetors_key, black_box(&value)).expect("valid"))
    });
    group.finish();
}

fn through_axum(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let f = runtime.block_on(fixture());
    let (ours, reference) = routers(&f);
    let request = |uri: &str| {
        Request::get(uri)
            .header(COOKIE, &f.cookie)
            .body(Body::empty())
            .expect("request")
    };
    let mut group = c.benchmark_group("session_read_end_to_end");
    for (name, router) in [("session_layer", &ours), ("pasetors_by_hand", &reference)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let response = runtime
                    .block_on(router.clone().oneshot(request("/")))
                    .expect("infallible");
                assert_eq!(response.status(), StatusCode::OK);
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("session_change_end_to_end");
    group.bench_function("session_layer_reseal", |b| {
        b.iter(|| {
            let response = runtime
                .block_on(ours.clone().oneshot(request("/change")))
                .expect("infallible");
            assert!(response.headers().contains_key("set-cookie"));
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = in_process, through_axum
}
criterion_main!(benches);
