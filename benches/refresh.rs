//! What a refresh costs: `RefreshTokens::refresh` (verify the refresh token, check the store,
//! record its single use, issue the new pair) with the memory store, Redis and PostgreSQL, beside
//! `Issuer::issue_pair` alone (the two signatures every refresh makes) in the same run.
//!
//! `cargo bench --bench refresh` (set `PASETO_REDIS_URL` and `PASETO_POSTGRES_URL` to measure
//! Redis and PostgreSQL too)

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use paseto_auth::key::SecretKey;
use paseto_auth::refresh::RefreshTokens;
use paseto_auth::store::{MemoryStore, PostgresStore, RedisStore, Revocations};
use paseto_auth::{Issuer, PairOptions, TokenPair, Version};
use serde_json::json;

fn issue(issuer: &Issuer) -> TokenPair {
    issuer
        .issue_pair(
            &json!({"role": "admin"}),
            PairOptions::new().subject("alice"),
        )
        .expect("pair")
}

fn refresh(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let issuer = Issuer::builder()
        .issuer("https://issuer.example")
        .key(SecretKey::generate(Version::V4).expect("key"))
        .build()
        .expect("issuer");
    // Every measured refresh records a use: room for all of them.
    let memory = Revocations::new(MemoryStore::new().capacity(10_000_000));
    let mut stores = vec![("refresh_memory", memory)];
    match std::env::var("PASETO_REDIS_URL") {
        Ok(url) => {
            let store = runtime
                .block_on(
                    RedisStore::builder()
                        .prefix("paseto-auth-bench:")
                        .connect(&url),
                )
                .expect("PASETO_REDIS_URL reachable");
            stores.push(("refresh_redis", Revocations::new(store)));
        }
        Err(_) => eprintln!("PASETO_REDIS_URL is not set: refreshes with Redis are not measured"),
    }
    match std::env::var("PASETO_POSTGRES_URL") {
        Ok(url) => {
            let store = runtime
                .block_on(
                    PostgresStore::builder()
                        .schema("paseto_auth_bench")
                        .connect(&url),
                )
                .expect("PASETO_POSTGRES_URL reachable");
            stores.push(("refresh_postgres", Revocations::new(store)));
        }
        Err(_) => {
            eprintln!("PASETO_POSTGRES_URL is not set: refreshes with PostgreSQL are not measured")
        }
    }
    // A store made now refuses the tokens of its first second (it looks wiped): wait it out.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut group = c.benchmark_group("refresh");
    group.bench_function("issue_pair", |b| b.iter(|| issue(&issuer)));
    for (name, revocations) in stores {
        let tokens = RefreshTokens::new(issuer.clone(), revocations).expect("refresh");
        group.bench_function(name, |b| {
            b.iter_batched(
                || issue(&issuer).refresh_token,
                |token| runtime.block_on(tokens.refresh(&token)).expect("refreshed"),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = refresh
}
criterion_main!(benches);
