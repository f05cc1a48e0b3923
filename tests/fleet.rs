//! A fleet: two instances of the `token_api` example, each a real HTTP server on loopback with
//! its own Redis connection, sharing one real `redis-server` — and what the server does to them:
//! a logout on one is refused by the other, one refresh token raced on both gives one pair, and
//! with the server frozen (`SIGSTOP`), killed, and restarted empty, no revoked token is accepted
//! and no answer is a 5xx other than 503 — with each instance answering from its mirror of the
//! revocations (a 503 only once the mirror is older than its staleness bound), and without. A probe asks both instances with revoked tokens all
//! along, to catch a single acceptance.

#[path = "../examples/token_api.rs"]
#[allow(dead_code)]
mod example;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use paseto_auth::store::mirror::MirrorSettings;
use paseto_auth::store::{RedisStore, Revocations};
use tokio::sync::Mutex;

use support::fleet::Instance;
use support::redis::OwnRedis;
use support::setup;

/// Starts an instance of the example on `redis`, with the same keys as every other, with a
/// mirror trusted for [`STALENESS`] or without one.
async fn instance(keys: &support::Setup, redis: &OwnRedis, mirror: bool) -> Instance {
    // A store in service since before the test: its marker is old.
    support::redis::set_epoch_zero(&redis.url(), "paseto-auth:").await;
    let mirror = MirrorSettings {
        enabled: mirror,
        max_staleness: STALENESS,
    };
    let store = RedisStore::builder()
        .mirror(mirror)
        .connect(&redis.url())
        .await
        .unwrap();
    let revocations = Revocations::new(store).timeout(Duration::from_millis(200));
    let state = example::state(keys.issuer.clone(), keys.verifier.clone(), revocations).unwrap();
    Instance::serve(example::app(state)).await
}

/// Every status any request got, to check that none was a 5xx but 503.
#[derive(Default)]
struct Seen(Mutex<Vec<StatusCode>>);

impl Seen {
    async fn note(&self, status: StatusCode) -> StatusCode {
        self.0.lock().await.push(status);
        status
    }

    async fn assert_no_5xx_but_503(&self) {
        let seen = self.0.lock().await;
        let bad: Vec<_> = seen
            .iter()
            .filter(|s| s.is_server_error() && **s != StatusCode::SERVICE_UNAVAILABLE)
            .collect();
        assert!(bad.is_empty(), "5xx other than 503: {bad:?}");
    }
}

/// Asks both instances with `revoked` tokens until told to stop; counts acceptances.
fn probe(
    fleet: [Instance; 2],
    revoked: Arc<Mutex<Vec<String>>>,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
) -> (tokio::task::JoinHandle<()>, Arc<AtomicUsize>) {
    let accepted = Arc::new(AtomicUsize::new(0));
    let counted = accepted.clone();
    let task = tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            let tokens = revoked.lock().await.clone();
            for token in &tokens {
                for instance in &fleet {
                    let status = seen.note(instance.me(token).await).await;
                    if status == StatusCode::OK {
                        counted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    (task, accepted)
}

/// Waits until `instance` answers `token` with `expected` (the store is back), for at most ten
/// seconds.
async fn until_answers(instance: &Instance, token: &str, expected: StatusCode, seen: &Seen) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if seen.note(instance.me(token).await).await == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {expected} from {}",
            instance.origin
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How long the instances' mirrors trust themselves without hearing from Redis.
const STALENESS: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_with_mirrors_through_a_freeze_a_kill_and_an_empty_restart() {
    two_instances_on_one_redis(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_asking_redis_at_each_request_through_the_same() {
    two_instances_on_one_redis(false).await;
}

/// Until the Redis of the `fleet` is found unreachable: at once without mirrors, after the
/// staleness bound with them (meanwhile each mirror answers: `live` is accepted and `revoked`
/// refused); then 503s, each within the store's timeout.
async fn until_unavailable(
    fleet: [&Instance; 2],
    live: &str,
    revoked: &str,
    mirror: bool,
    seen: &Seen,
) {
    if mirror {
        for instance in fleet {
            assert_eq!(seen.note(instance.me(live).await).await, StatusCode::OK);
            assert_eq!(
                seen.note(instance.me(revoked).await).await,
                StatusCode::UNAUTHORIZED
            );
        }
        for instance in fleet {
            until_answers(instance, live, StatusCode::SERVICE_UNAVAILABLE, seen).await;
        }
    }
    for instance in fleet {
        for token in [live, revoked] {
            let started = Instant::now();
            assert_eq!(
                seen.note(instance.me(token).await).await,
                StatusCode::SERVICE_UNAVAILABLE
            );
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{:?}",
                started.elapsed()
            );
        }
    }
}

async fn two_instances_on_one_redis(mirror: bool) {
    let Some(mut redis) = OwnRedis::start() else {
        return;
    };
    let keys = setup(paseto_auth::Version::V4);
    let (a, b) = (
        instance(&keys, &redis, mirror).await,
        instance(&keys, &redis, mirror).await,
    );
    let seen = Arc::new(Seen::default());

    // A logout on one instance is refused by the other (with mirrors, once the revocation has
    // reached it: milliseconds; benches/fleet.rs measures it).
    let (first, _) = a.login().await;
    assert_eq!(seen.note(b.me(&first).await).await, StatusCode::OK);
    assert_eq!(
        seen.note(a.logout(&first).await).await,
        StatusCode::NO_CONTENT
    );
    until_answers(&b, &first, StatusCode::UNAUTHORIZED, &seen).await;
    let revoked = Arc::new(Mutex::new(vec![first]));
    let stop = Arc::new(AtomicBool::new(false));
    let (prober, accepted) = probe(
        [a.clone(), b.clone()],
        revoked.clone(),
        seen.clone(),
        stop.clone(),
    );

    // One refresh token raced on both instances: one pair, the same in every answer, and the
    // login goes on.
    let (_, refresh_token) = b.login().await;
    let attempts: Vec<_> = (0..16)
        .map(|i| {
            let (instance, token) = (
                if i % 2 == 0 { a.clone() } else { b.clone() },
                refresh_token.clone(),
            );
            tokio::spawn(async move { instance.refresh(&token).await })
        })
        .collect();
    let mut pairs = Vec::new();
    for attempt in attempts {
        let (status, pair) = attempt.await.unwrap();
        assert_eq!(seen.note(status).await, StatusCode::OK, "{pair}");
        pairs.push(pair);
    }
    assert!(
        pairs.windows(2).all(|two| two[0] == two[1]),
        "more than one pair"
    );
    let renewed = pairs[0]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(seen.note(a.me(&renewed).await).await, StatusCode::OK);

    // Frozen (SIGSTOP): every answer that needs the store is a 503 within the timeout (with
    // mirrors, once they are older than the staleness bound), never a revoked token's 200;
    // thawed, the instances recover without a restart.
    let (live, _) = a.login().await;
    let (logged_out, _) = b.login().await;
    assert_eq!(
        seen.note(b.logout(&logged_out).await).await,
        StatusCode::NO_CONTENT
    );
    until_answers(&a, &logged_out, StatusCode::UNAUTHORIZED, &seen).await;
    revoked.lock().await.push(logged_out.clone());
    redis.freeze();
    until_unavailable([&a, &b], &live, &logged_out, mirror, &seen).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.thaw();
    for instance in [&a, &b] {
        until_answers(instance, &live, StatusCode::OK, &seen).await;
        assert_eq!(
            seen.note(instance.me(&logged_out).await).await,
            StatusCode::UNAUTHORIZED
        );
    }

    // Killed: 503s while it is down. Restarted empty (no persistence): every revoked token is
    // still refused, and so are the tokens issued before the restart (their users log in again);
    // new logins work across the fleet, and so do their logouts.
    // (The mirrors' feeds reconnect after a thaw within a heartbeat or two; until then the
    // instances ask Redis, and a stop would find them stale already.)
    tokio::time::sleep(STALENESS).await;
    redis.stop();
    until_unavailable([&a, &b], &live, &logged_out, mirror, &seen).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis.resume();
    for instance in [&a, &b] {
        until_answers(instance, &live, StatusCode::UNAUTHORIZED, &seen).await;
        for token in revoked.lock().await.iter() {
            assert_eq!(
                seen.note(instance.me(token).await).await,
                StatusCode::UNAUTHORIZED
            );
        }
    }
    tokio::time::sleep(Duration::from_millis(1100)).await; // a login in a later second than the reset
    let (after, _) = a.login().await;
    assert_eq!(seen.note(b.me(&after).await).await, StatusCode::OK);
    assert_eq!(
        seen.note(b.logout(&after).await).await,
        StatusCode::NO_CONTENT
    );
    until_answers(&a, &after, StatusCode::UNAUTHORIZED, &seen).await;

    stop.store(true, Ordering::Relaxed);
    prober.await.unwrap();
    assert_eq!(
        accepted.load(Ordering::Relaxed),
        0,
        "a revoked token was accepted"
    );
    seen.assert_no_5xx_but_503().await;
}
