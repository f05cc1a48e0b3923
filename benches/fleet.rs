//! What a fleet sees, measured on real servers this bench starts from `redis-server` (two
//! `token_api` instances as HTTP servers on loopback, each with its revocation mirror):
//!
//! 1. **Logout propagation**: a logout answered by instance A, until instance B (its verified-token
//!    cache warm) refuses the token: percentiles over `FLEET_TRIALS` trials (default 300).
//! 2. **Sentinel failover**: a master, a replica and three sentinels; 50 revocations acknowledged
//!    (each `WAIT`ed for by the replica), then the master killed (`SIGKILL`): how long until both
//!    instances answer 200 through the new master (asking Redis: their mirrors would hide the
//!    failover), and how many of the 50 revoked tokens either accepts afterwards, mirror or not.
//! 3. **What `WAIT` costs**: a revocation's latency on that master with `WAIT 1` (the default
//!    under Sentinel) and without, 500 each, alternating.
//! 4. **A frozen Redis** (`SIGSTOP` for twice the staleness bound): revoked tokens accepted
//!    (none may be), and when the instances stop answering from their mirror (503s).
//!
//! `cargo bench -p paseto-auth-workspace --bench fleet` (needs `redis-server`).

#[path = "../examples/token_api.rs"]
#[allow(dead_code)]
mod example;
#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use paseto_auth::store::mirror::MirrorSettings;
use paseto_auth::store::{RedisStore, Revocations, Topology};

use support::fleet::Instance;
use support::redis::{OwnRedis, set_epoch_zero};
use support::topologies::OwnSentinel;

/// The instances' staleness bound.
const STALENESS: Duration = Duration::from_secs(1);

/// An instance of the example on `topology` (its epoch marker set beforehand by the caller).
async fn instance(keys: &support::Setup, topology: Topology, mirror: bool) -> Instance {
    let store = RedisStore::builder()
        .mirror(MirrorSettings {
            enabled: mirror,
            max_staleness: STALENESS,
        })
        .connect_to(topology)
        .await
        .expect("Redis");
    let revocations = Revocations::new(store).timeout(Duration::from_millis(200));
    let state = example::state(keys.issuer.clone(), keys.verifier.clone(), revocations).unwrap();
    Instance::serve(example::app(state)).await
}

/// The value at quantile `q` of sorted `values`.
fn quantile(values: &[Duration], q: f64) -> Duration {
    let index = ((values.len() - 1) as f64 * q).round() as usize;
    values[index]
}

async fn propagation(keys: &support::Setup) {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    set_epoch_zero(&redis.url(), "paseto-auth:").await;
    let topology = Topology::Server(redis.url());
    let a = instance(keys, topology.clone(), true).await;
    let b = instance(keys, topology, true).await;
    let trials: usize = std::env::var("FLEET_TRIALS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    let mut delays = Vec::with_capacity(trials);
    for _ in 0..trials {
        let (token, _) = a.login().await;
        // B's verified-token cache is warm: the token was verified there twice.
        assert_eq!(b.me(&token).await, StatusCode::OK);
        assert_eq!(b.me(&token).await, StatusCode::OK);
        assert_eq!(a.logout(&token).await, StatusCode::NO_CONTENT);
        let acknowledged = Instant::now();
        while b.me(&token).await != StatusCode::UNAUTHORIZED {}
        delays.push(acknowledged.elapsed());
    }
    delays.sort();
    println!(
        "logout on A until B refuses ({trials} trials, B's cache warm): p50 {:?}  p99 {:?}  max {:?}",
        quantile(&delays, 0.5),
        quantile(&delays, 0.99),
        delays[delays.len() - 1]
    );
}

async fn failover(keys: &support::Setup) {
    let Some(mut sentinel) = tokio::task::spawn_blocking(OwnSentinel::start)
        .await
        .unwrap()
    else {
        return;
    };
    let master = format!("redis://127.0.0.1:{}", sentinel.master.port);
    set_epoch_zero(&master, "paseto-auth:").await;
    let mirrored = [
        instance(keys, sentinel.topology(), true).await,
        instance(keys, sentinel.topology(), true).await,
    ];
    let direct = [
        instance(keys, sentinel.topology(), false).await,
        instance(keys, sentinel.topology(), false).await,
    ];
    let mut revoked = Vec::new();
    for _ in 0..50 {
        let (token, _) = mirrored[0].login().await;
        assert_eq!(mirrored[0].logout(&token).await, StatusCode::NO_CONTENT);
        revoked.push(token);
    }
    wait_cost(&sentinel).await;
    let (live, _) = mirrored[1].login().await;
    let killed = Instant::now();
    sentinel.master.kill();
    let mut back = Vec::new();
    for instance in &direct {
        while instance.me(&live).await != StatusCode::OK {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        back.push(killed.elapsed());
    }
    let mut accepted = 0;
    let mut refused_with_503 = 0;
    for instance in mirrored.iter().chain(&direct) {
        for token in &revoked {
            match instance.me(token).await {
                StatusCode::OK => accepted += 1,
                StatusCode::SERVICE_UNAVAILABLE => refused_with_503 += 1,
                _ => {}
            }
        }
    }
    println!(
        "Sentinel failover (SIGKILL of the master): both instances answer 200 through the new \
         master after {:?} and {:?}; of the 50 revocations acknowledged before the kill, {accepted} \
         accepted afterwards ({} checks, {refused_with_503} of them 503)",
        back[0],
        back[1],
        revoked.len() * 4
    );
}

/// A revocation's median and p99 latency with `WAIT 1` and without, on `sentinel`'s master.
async fn wait_cost(sentinel: &OwnSentinel) {
    use paseto_auth::store::TokenStore;
    let store = |replicas| {
        RedisStore::builder()
            .mirror(MirrorSettings::off())
            .wait_for_replicas(replicas, paseto_auth::store::DEFAULT_WAIT_TIMEOUT)
            .connect_to(sentinel.topology())
    };
    let (waiting, not_waiting) = (store(1).await.unwrap(), store(0).await.unwrap());
    let until = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let mut times = [Vec::new(), Vec::new()];
    for i in 0..500 {
        for (n, store) in [&waiting, &not_waiting].into_iter().enumerate() {
            let started = Instant::now();
            store
                .revoke_token(&format!("wait-{n}-{i}"), until)
                .await
                .unwrap();
            times[n].push(started.elapsed());
        }
    }
    for list in &mut times {
        list.sort();
    }
    println!(
        "a revocation on the Sentinel master: with WAIT 1 p50 {:?} p99 {:?}; without p50 {:?} p99 {:?}",
        quantile(&times[0], 0.5),
        quantile(&times[0], 0.99),
        quantile(&times[1], 0.5),
        quantile(&times[1], 0.99)
    );
}

async fn frozen(keys: &support::Setup) {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    set_epoch_zero(&redis.url(), "paseto-auth:").await;
    let topology = Topology::Server(redis.url());
    let a = Arc::new(instance(keys, topology.clone(), true).await);
    let (revoked, _) = a.login().await;
    assert_eq!(a.logout(&revoked).await, StatusCode::NO_CONTENT);
    let (live, _) = a.login().await;
    redis.freeze();
    let frozen = Instant::now();
    let (mut accepted, mut first_503) = (0, None);
    while frozen.elapsed() < STALENESS * 2 {
        if a.me(&revoked).await == StatusCode::OK {
            accepted += 1;
        }
        if first_503.is_none() && a.me(&live).await == StatusCode::SERVICE_UNAVAILABLE {
            first_503 = Some(frozen.elapsed());
        }
    }
    redis.thaw();
    println!(
        "Redis frozen (SIGSTOP) for {:?}, staleness bound {STALENESS:?}: revoked token accepted \
         {accepted} times; the mirror stopped answering (503) after {first_503:?}",
        STALENESS * 2
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let keys = support::setup(paseto_auth::Version::V4);
    propagation(&keys).await;
    failover(&keys).await;
    frozen(&keys).await;
}
