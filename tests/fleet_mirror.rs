//! Instances that answer from their own mirror of the revocations, and what the store does to
//! them: a revocation made on one instance is refused by the others (one server, Sentinel, a
//! cluster); an instance cut off from Redis trusts its mirror for the staleness bound and not a
//! moment longer, then fails closed; one that was cut off catches up on what it missed; a new
//! one loads what came before it; a store that loses its data is noticed by the feed; and a
//! Sentinel failover loses no acknowledged revocation.

mod support;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use paseto_auth::Error;
use paseto_auth::store::mirror::MirrorSettings;
use paseto_auth::store::{RedisStore, Revocations, RevokedBy, TokenRef, TokenStore, Topology};
use time::OffsetDateTime;

use support::proxy::Proxy;
use support::redis::{OwnRedis, set_epoch_zero, shared_url, unique_prefix};
use support::topologies::{OwnCluster, OwnSentinel};

/// A token issued now, with its `jti`.
fn token(jti: &str) -> TokenRef<'_> {
    TokenRef {
        token_id: Some(jti),
        issued_at: Some(OffsetDateTime::now_utc()),
        ..TokenRef::default()
    }
}

fn in_an_hour() -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::hours(1)
}

/// An instance on the server at `url` under `prefix` (with a history), its mirror trusted for
/// `staleness`.
async fn instance(url: &str, prefix: &str, staleness: Duration) -> RedisStore {
    set_epoch_zero(url, prefix).await;
    let mirror = MirrorSettings {
        enabled: true,
        max_staleness: staleness,
    };
    RedisStore::builder()
        .prefix(prefix)
        .mirror(mirror)
        .connect(url)
        .await
        .unwrap()
}

/// Polls `done` until it holds; fails after `limit` (a deadline for something that must happen,
/// not a measurement).
async fn eventually<F: Future<Output = bool>>(
    what: &str,
    limit: Duration,
    mut done: impl FnMut() -> F,
) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A revocation on `a` is refused by `b`, answering from its mirror (no round trip).
async fn b_sees_what_a_revokes(name: &str, a: &RedisStore, b: &RedisStore) {
    let jti = format!("{name}-{}", unique_prefix());
    assert_eq!(b.check(token(&jti)).await.unwrap(), None, "{name}");
    a.revoke_token(&jti, in_an_hour()).await.unwrap();
    let mirror = b.mirror().expect("a mirror");
    eventually(name, Duration::from_secs(5), || async {
        mirror.is_fresh(Instant::now())
            && mirror.check(&token(&jti), Instant::now(), OffsetDateTime::now_utc())
                == Some(Some(RevokedBy::TokenId))
    })
    .await;
    assert_eq!(
        b.check(token(&jti)).await.unwrap(),
        Some(RevokedBy::TokenId),
        "{name}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_on_one_instance_is_refused_by_the_others_on_every_topology() {
    let Some(url) = shared_url() else { return };
    let prefix = unique_prefix();
    let a = instance(&url, &prefix, Duration::from_secs(3)).await;
    let b = instance(&url, &prefix, Duration::from_secs(3)).await;
    b_sees_what_a_revokes("one server", &a, &b).await;

    let started = tokio::task::spawn_blocking(|| (OwnSentinel::start(), OwnCluster::start()));
    let (Some(sentinel), Some(cluster)) = started.await.unwrap() else {
        return;
    };
    let prefix = unique_prefix();
    let a = sentinel.store_under(&prefix, true).await;
    let b = sentinel.store_under(&prefix, true).await;
    b_sees_what_a_revokes("sentinel", &a, &b).await;
    let prefix = unique_prefix();
    let a = cluster.store_under(&prefix, true).await;
    let b = cluster.store_under(&prefix, true).await;
    b_sees_what_a_revokes("cluster", &a, &b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_cut_off_trusts_its_mirror_for_the_staleness_bound_and_then_fails_closed() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let prefix = unique_prefix();
    let staleness = Duration::from_secs(1);
    let a = instance(&redis.url(), &prefix, staleness).await;
    let proxy = Proxy::start(([127, 0, 0, 1], redis.port()).into()).await;
    let b = Arc::new(instance(&proxy.url(), &prefix, staleness).await);
    let checks = Revocations::shared(b.clone()).timeout(Duration::from_millis(100));
    assert!(checks.check(token("stolen")).await.is_ok());

    // B is cut off; A logs the token out, and Redis acknowledges it.
    proxy.cut();
    let cut_at = Instant::now();
    a.revoke_token("stolen", in_an_hour()).await.unwrap();
    // B goes on answering from its mirror, which has not heard of it, until the bound; after
    // it, every check asks Redis (through the cut link: a timeout, refused as 503).
    let mut accepted_late = Vec::new();
    let mut accepted = 0;
    let mut unavailable = 0;
    while cut_at.elapsed() < staleness * 2 {
        let asked = Instant::now();
        match checks.check(token("stolen")).await {
            Ok(()) if asked > cut_at + staleness => accepted_late.push(asked - cut_at),
            Ok(()) => accepted += 1,
            Err(Error::StoreUnavailable(_)) => unavailable += 1,
            Err(other) => panic!("{other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        accepted_late.is_empty(),
        "accepted after the bound: {accepted_late:?}"
    );
    assert!(
        accepted > 0,
        "the mirror answered within the bound (the test cut the link)"
    );
    assert!(
        unavailable > 0,
        "after the bound, the check went to the store"
    );

    // Mended: B reads on from where it stopped, and refuses the token from its mirror.
    proxy.mend();
    let mirror = b.mirror().unwrap();
    eventually("B catches up", Duration::from_secs(5), || async {
        mirror.is_fresh(Instant::now())
    })
    .await;
    assert_eq!(
        mirror.check(&token("stolen"), Instant::now(), OffsetDateTime::now_utc()),
        Some(Some(RevokedBy::TokenId))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_redis_is_trusted_for_the_staleness_bound_then_every_check_fails_closed() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let prefix = unique_prefix();
    let staleness = Duration::from_secs(1);
    let a = Arc::new(instance(&redis.url(), &prefix, staleness).await);
    a.revoke_token("revoked", in_an_hour()).await.unwrap();
    let checks = Revocations::shared(a.clone()).timeout(Duration::from_millis(100));
    redis.freeze();
    let frozen_at = Instant::now();
    let mut after_bound = Vec::new();
    while frozen_at.elapsed() < staleness * 2 {
        let asked = Instant::now();
        let revoked = checks.check(token("revoked")).await;
        let fresh = checks.check(token("fresh")).await;
        assert!(
            matches!(revoked, Err(Error::Revoked(_) | Error::StoreUnavailable(_))),
            "a revoked token is never accepted: {revoked:?}"
        );
        if asked > frozen_at + staleness {
            after_bound.push(fresh);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    redis.thaw();
    assert!(!after_bound.is_empty());
    for fresh in after_bound {
        assert!(
            matches!(fresh, Err(Error::StoreUnavailable(_))),
            "{fresh:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_instance_loads_what_was_revoked_before_it_and_one_cut_off_catches_up() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let prefix = unique_prefix();
    let staleness = Duration::from_secs(3);
    let a = instance(&redis.url(), &prefix, staleness).await;
    for i in 0..50 {
        a.revoke_token(&format!("before-{i}"), in_an_hour())
            .await
            .unwrap();
    }
    a.revoke_subject("mallory", OffsetDateTime::now_utc())
        .await
        .unwrap();
    a.revoke_key("k4.pid.compromised").await.unwrap();
    let proxy = Proxy::start(([127, 0, 0, 1], redis.port()).into()).await;
    let b = instance(&proxy.url(), &prefix, staleness).await;
    let mirror = b.mirror().unwrap();
    assert!(mirror.is_fresh(Instant::now()), "loaded at start-up");
    assert_eq!(mirror.len(), 52);
    let answer =
        |token: TokenRef<'_>| mirror.check(&token, Instant::now(), OffsetDateTime::now_utc());
    assert_eq!(answer(token("before-49")), Some(Some(RevokedBy::TokenId)));
    let mallory = TokenRef {
        subject: Some("mallory"),
        issued_at: Some(OffsetDateTime::now_utc() - time::Duration::minutes(5)),
        ..TokenRef::default()
    };
    assert_eq!(answer(mallory), Some(Some(RevokedBy::Subject)));
    let by_key = TokenRef {
        key_id: Some("k4.pid.compromised"),
        ..TokenRef::default()
    };
    assert_eq!(answer(by_key), Some(Some(RevokedBy::Key)));

    // Revocations made while B is cut off stay in the stream; B reads them when it is back.
    proxy.cut();
    for i in 0..20 {
        a.revoke_token(&format!("while-cut-{i}"), in_an_hour())
            .await
            .unwrap();
    }
    proxy.mend();
    eventually("B reads what it missed", Duration::from_secs(5), || async {
        (0..20).all(|i| {
            let jti = format!("while-cut-{i}");
            answer(token(&jti)) == Some(Some(RevokedBy::TokenId))
        })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_notices_a_store_that_lost_its_data() {
    let Some(redis) = OwnRedis::start() else {
        return;
    };
    let prefix = unique_prefix();
    let a = instance(&redis.url(), &prefix, Duration::from_secs(3)).await;
    let before = token("issued-before-the-loss");
    assert_eq!(a.check(before).await.unwrap(), None);
    support::redis::flush_all(&redis.url()).await;
    // No check reaches Redis (the mirror answers them): the feed sees the marker gone, writes
    // a new one, and tokens issued before it are refused.
    eventually("the reset is seen", Duration::from_secs(5), || async {
        a.check(before).await.unwrap() == Some(RevokedBy::StoreReset)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sentinel_failover_loses_no_acknowledged_revocation_and_instances_recover() {
    let Some(mut sentinel) = tokio::task::spawn_blocking(OwnSentinel::start)
        .await
        .unwrap()
    else {
        return;
    };
    let prefix = unique_prefix();
    let a = Arc::new(sentinel.store_under(&prefix, true).await);
    let b = Arc::new(sentinel.store_under(&prefix, true).await);
    // Acknowledged only once the replica has them (WAIT 1, the default under Sentinel).
    for i in 0..50 {
        a.revoke_token(&format!("acknowledged-{i}"), in_an_hour())
            .await
            .unwrap();
    }
    let old_master = sentinel.master.port;
    sentinel.master.kill();
    eventually(
        "Sentinel promotes the replica",
        Duration::from_secs(30),
        || async {
            sentinel
                .named_master()
                .is_some_and(|port| port != old_master)
        },
    )
    .await;
    // Both instances answer again, asking the new master (a check without the mirror).
    for store in [&a, &b] {
        let direct = Revocations::shared(store.clone()).timeout(Duration::from_millis(200));
        eventually(
            "the instance reaches the new master",
            Duration::from_secs(20),
            || async {
                direct.check(token("fresh")).await.is_ok()
                    && store.mirror().unwrap().is_fresh(Instant::now())
            },
        )
        .await;
    }
    // An instance started after the failover loads every acknowledged revocation from the new
    // master, as does one asking it at each check.
    let late = sentinel.store_under(&prefix, true).await;
    let direct = sentinel.store_under(&prefix, false).await;
    for i in 0..50 {
        let jti = format!("acknowledged-{i}");
        for store in [&late, &direct, &*a, &*b] {
            assert_eq!(
                store.check(token(&jti)).await.unwrap(),
                Some(RevokedBy::TokenId),
                "{jti}"
            );
        }
    }
    // With no replica left, a revocation is not acknowledged (it could be lost by the next
    // failover): the caller answers 503 and the client retries.
    let err = a
        .revoke_token("unreplicated", in_an_hour())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("replicas"), "{err}");
    let topology = sentinel.topology();
    assert!(matches!(topology, Topology::Sentinel { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_rolled_back_to_a_snapshot_is_seen_by_a_running_instance() {
    let Some(mut redis) = OwnRedis::start_with_snapshots() else {
        return;
    };
    let prefix = unique_prefix();
    let a = instance(&redis.url(), &prefix, Duration::from_secs(3)).await;
    a.revoke_token("kept", in_an_hour()).await.unwrap();
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let () = redis::cmd("SAVE")
        .query_async(&mut connection)
        .await
        .unwrap();
    // Revoked after the snapshot, then lost: the server restarts from the snapshot, whose epoch
    // marker says nothing was lost.
    a.revoke_token("lost", in_an_hour()).await.unwrap();
    let issued_before = OffsetDateTime::now_utc();
    let lost = TokenRef {
        token_id: Some("lost"),
        issued_at: Some(issued_before),
        ..TokenRef::default()
    };
    redis.stop();
    redis.resume();
    // A read "lost" from the feed, which Redis no longer holds: it declares a new epoch, so that
    // every instance, a new one too, refuses what was issued before.
    let other = TokenRef {
        token_id: Some("other"),
        issued_at: Some(issued_before),
        ..TokenRef::default()
    };
    eventually("A sees the rollback", Duration::from_secs(10), || async {
        a.check(other).await.ok().flatten() == Some(RevokedBy::StoreReset)
    })
    .await;
    let late = instance_keeping_the_marker(&redis.url(), &prefix).await;
    assert_eq!(late.check(lost).await.unwrap(), Some(RevokedBy::StoreReset));
    assert_eq!(
        late.check(token("kept")).await.unwrap(),
        Some(RevokedBy::TokenId)
    );
}

/// An instance on `url` under `prefix` that keeps the epoch marker it finds.
async fn instance_keeping_the_marker(url: &str, prefix: &str) -> RedisStore {
    RedisStore::builder()
        .prefix(prefix)
        .connect(url)
        .await
        .unwrap()
}
