//! What a real PostgreSQL does to revocations in a fleet: a revocation reaches the other
//! instances' mirrors through `LISTEN`/`NOTIFY`, and one cut off while it was sent catches up
//! after; a server stopped (or killed) mid-load answers 503 while down when failing closed and
//! is used again without an instance restart, never accepting a revoked token; an exhausted
//! pool waits a bounded time, then fails; migrations run once; ended rows are purged; a store
//! that lost acknowledged writes declares a new epoch. (The rules every store keeps are in
//! tests/store_conformance.rs, which runs on PostgreSQL too.)

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use paseto_auth::store::{PostgresStore, Revocations, RevokedBy, StoreError, TokenRef, TokenStore};
use paseto_auth::{Error, ErrorKind};
use time::OffsetDateTime;

use support::postgres::{OwnPostgres, builder, client, shared_url, unique_schema, with_history};
use support::proxy::Proxy;

fn token(id: &'static str) -> TokenRef<'static> {
    TokenRef {
        token_id: Some(id),
        issued_at: Some(OffsetDateTime::now_utc()),
        ..TokenRef::default()
    }
}

fn in_an_hour() -> OffsetDateTime {
    OffsetDateTime::now_utc() + time::Duration::hours(1)
}

/// Polls `check` until it gives `want`, for `within` at most; what it gave last.
async fn until<T: PartialEq + std::fmt::Debug>(
    within: Duration,
    want: T,
    mut check: impl AsyncFnMut() -> T,
) -> T {
    let deadline = Instant::now() + within;
    loop {
        let got = check().await;
        if got == want || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// What the mirror of `store` says of `token`, if it may answer.
fn mirror_says(store: &PostgresStore, token: &TokenRef<'_>) -> Option<Option<RevokedBy>> {
    store
        .mirror()
        .expect("a mirror")
        .check(token, Instant::now(), OffsetDateTime::now_utc())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_reaches_another_instances_mirror_through_notify() {
    let Some(url) = shared_url() else { return };
    let schema = unique_schema();
    let a = with_history(&url, &schema, true).await;
    let b = builder(&schema, true).connect(&url).await.unwrap();
    assert_eq!(mirror_says(&b, &token("t1")), Some(None));
    a.revoke_token("t1", in_an_hour()).await.unwrap();
    // Well within a heartbeat (a third of a second here): the notification woke B's feed.
    let seen = until(
        Duration::from_millis(300),
        Some(Some(RevokedBy::TokenId)),
        async || mirror_says(&b, &token("t1")),
    )
    .await;
    assert_eq!(seen, Some(Some(RevokedBy::TokenId)));
    assert_eq!(
        b.check(token("t1")).await.unwrap(),
        Some(RevokedBy::TokenId)
    );
    // Every kind, and a subject's time, reach it as written.
    let before = OffsetDateTime::now_utc();
    a.revoke_subject("alice", before).await.unwrap();
    a.revoke_key("k4.pid.x").await.unwrap();
    a.revoke_family("fam-1", in_an_hour()).await.unwrap();
    let alice_before = TokenRef {
        subject: Some("alice"),
        issued_at: Some(before - time::Duration::seconds(5)),
        ..TokenRef::default()
    };
    let seen = until(
        Duration::from_secs(1),
        Some(Some(RevokedBy::Subject)),
        async || mirror_says(&b, &alice_before),
    )
    .await;
    assert_eq!(seen, Some(Some(RevokedBy::Subject)));
    let alice_after = TokenRef {
        issued_at: Some(before + time::Duration::seconds(5)),
        ..alice_before
    };
    assert_eq!(mirror_says(&b, &alice_after), Some(None));
    let key = TokenRef {
        key_id: Some("k4.pid.x"),
        ..token("other")
    };
    let family = TokenRef {
        family: Some("fam-1"),
        ..token("other")
    };
    for (token, by) in [(key, RevokedBy::Key), (family, RevokedBy::Family)] {
        let seen = until(Duration::from_secs(1), Some(Some(by)), async || {
            mirror_says(&b, &token)
        })
        .await;
        assert_eq!(seen, Some(Some(by)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_cut_off_while_a_revocation_is_sent_catches_up_and_fails_closed_meanwhile() {
    let Some(url) = shared_url() else { return };
    let target: SocketAddr = (Ipv4Addr::LOCALHOST, port_of(&url)).into();
    let proxy = Proxy::start(target).await;
    let schema = unique_schema();
    let a = with_history(&url, &schema, true).await;
    let b = builder(&schema, true)
        .connect(&format!(
            "postgres://postgres@127.0.0.1:{}/postgres",
            proxy.port
        ))
        .await
        .unwrap();
    let b_revocations = Revocations::new(b.clone()).timeout(Duration::from_millis(200));
    assert!(b_revocations.check(token("t2")).await.is_ok());

    proxy.cut();
    // Sent while B hears nothing: its notification never reaches B.
    a.revoke_token("t2", in_an_hour()).await.unwrap();
    // B's copy is trusted for the staleness bound (1 s) after its last answer, never after:
    // then the check asks the database, cut off too, and fails closed.
    let failed = until(Duration::from_secs(3), true, async || {
        b_revocations.check(token("t2")).await.is_err()
    })
    .await;
    assert!(failed, "B refuses once its copy is stale");
    let err = b_revocations.check(token("t2")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::STORE_UNAVAILABLE, "{err}");

    proxy.mend();
    // Caught up from the feed numbers, not the lost notification: B's own copy says revoked.
    let seen = until(
        Duration::from_secs(10),
        Some(Some(RevokedBy::TokenId)),
        async || mirror_says(&b, &token("t2")),
    )
    .await;
    assert_eq!(seen, Some(Some(RevokedBy::TokenId)));
    let err = b_revocations.check(token("t2")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::REVOKED, "{err}");
}

fn port_of(url: &str) -> u16 {
    let after_host = url.rsplit_once(':').unwrap().1;
    after_host.split('/').next().unwrap().parse().unwrap()
}

/// The outcomes of checks made in a loop while the server goes down and comes back.
#[derive(Default)]
struct Tally {
    accepted_revoked: AtomicUsize,
    refused_503: AtomicUsize,
    accepted_fresh: AtomicUsize,
}

async fn stopped_and_restarted_mid_load(mirror: bool, crash: bool) {
    let Some(mut server) = tokio::task::spawn_blocking(OwnPostgres::start)
        .await
        .unwrap()
    else {
        return;
    };
    let schema = unique_schema();
    let store = with_history(&server.url(), &schema, mirror).await;
    let revocations = Revocations::new(store).timeout(Duration::from_millis(100));
    revocations
        .revoke_token("revoked", in_an_hour())
        .await
        .unwrap();

    let tally = Arc::new(Tally::default());
    let running = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let load = {
        let (tally, running, revocations) = (tally.clone(), running.clone(), revocations.clone());
        tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                for (id, accepted) in [
                    ("revoked", &tally.accepted_revoked),
                    ("fresh", &tally.accepted_fresh),
                ] {
                    match revocations.check(token(id)).await {
                        Ok(()) => {
                            accepted.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(err) if err.kind() == ErrorKind::STORE_UNAVAILABLE => {
                            tally.refused_503.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(err) => assert_eq!(err.kind(), ErrorKind::REVOKED, "{err}"),
                    }
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let server = tokio::task::spawn_blocking(move || {
        if crash {
            server.kill();
        } else {
            server.stop();
        }
        server
    })
    .await
    .unwrap();
    // Down for longer than the mirror's staleness bound (1 s).
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let while_down = tally.refused_503.load(Ordering::Relaxed);
    assert!(while_down > 0, "failing closed, the checks answered 503");
    // A revocation cannot be acknowledged while the server is down.
    let err = revocations
        .revoke_token("during", in_an_hour())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Unavailable(_) | StoreError::Timeout(_)),
        "{err:?}"
    );
    let mut server = server;
    let server = tokio::task::spawn_blocking(move || {
        server.start_again();
        server
    })
    .await
    .unwrap();
    // The same instance recovers: no restart, the pool and the feed reconnect.
    let recovered = until(Duration::from_secs(10), true, async || {
        revocations.check(token("fresh")).await.is_ok()
    })
    .await;
    assert!(recovered, "the instance answers again after the restart");
    let err = revocations.check(token("revoked")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::REVOKED, "{err}");
    running.store(false, Ordering::Relaxed);
    load.await.unwrap();
    assert_eq!(
        tally.accepted_revoked.load(Ordering::Relaxed),
        0,
        "no revoked token accepted, before, during or after"
    );
    assert!(tally.accepted_fresh.load(Ordering::Relaxed) > 0);
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_and_restarted_mid_load_fails_closed_and_recovers() {
    stopped_and_restarted_mid_load(false, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_mirror_postgres_killed_and_restarted_mid_load_fails_closed_and_recovers() {
    stopped_and_restarted_mid_load(true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exhausted_pool_waits_a_bounded_time_then_fails() {
    let Some(url) = shared_url() else { return };
    let schema = unique_schema();
    let store = {
        let made = with_history(&url, &schema, false).await;
        drop(made);
        builder(&schema, false)
            .pool_size(2)
            .pool_timeout(Duration::from_millis(100))
            .connect(&url)
            .await
            .unwrap()
    };
    // An operator's session holds the table: every check blocks on it, holding its connection.
    let mut operator = client(&url).await;
    let lock = operator.transaction().await.unwrap();
    lock.batch_execute(&format!(
        "LOCK TABLE {schema}.revocations IN ACCESS EXCLUSIVE MODE"
    ))
    .await
    .unwrap();
    let store = Arc::new(store);
    let blocked: Vec<_> = (0..2)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.check(token("x")).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The pool is empty: a third call waits the pool timeout, not the caller's, and fails.
    let started = Instant::now();
    let revocations = Revocations::shared(store.clone()).timeout(Duration::from_secs(5));
    let err = revocations.check(token("y")).await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::STORE_UNAVAILABLE, "{err}");
    assert!(
        err.to_string().contains("no PostgreSQL connection in time"),
        "{err}"
    );
    assert!(waited < Duration::from_secs(2), "bounded: {waited:?}");
    lock.rollback().await.unwrap();
    for check in blocked {
        assert_eq!(check.await.unwrap().unwrap(), None);
    }
    assert_eq!(store.check(token("y")).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_once_when_instances_start_together_and_a_missing_schema_is_named() {
    let Some(url) = shared_url() else { return };
    let schema = unique_schema();
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let (url, schema) = (url.clone(), schema.clone());
            tokio::spawn(async move { builder(&schema, false).connect(&url).await })
        })
        .collect();
    for start in starts {
        start.await.unwrap().unwrap();
    }
    let operator = client(&url).await;
    let versions = operator
        .query(&format!("SELECT version FROM {schema}.schema_version"), &[])
        .await
        .unwrap();
    let versions: Vec<i32> = versions.iter().map(|row| row.get(0)).collect();
    assert_eq!(versions, [1]);

    // Without migrations, an empty schema is a start-up error that says what to do.
    let err = builder(&unique_schema(), false)
        .migrate(false)
        .connect(&url)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("is at version 0, this crate needs 1"),
        "{err}"
    );
    // A schema newer than the crate is refused: an old instance does not write to it.
    operator
        .execute(
            &format!("INSERT INTO {schema}.schema_version (version) VALUES (2)"),
            &[],
        )
        .await
        .unwrap();
    let err = builder(&schema, false).connect(&url).await.unwrap_err();
    assert!(matches!(err, Error::Setup(_)), "{err:?}");
    assert!(
        err.to_string().contains("newer than this crate's 1"),
        "{err}"
    );
}

#[tokio::test]
async fn ended_rows_are_purged_and_rows_in_force_are_kept() {
    let Some(url) = shared_url() else { return };
    let schema = unique_schema();
    let store = with_history(&url, &schema, false).await;
    let past = OffsetDateTime::now_utc() - time::Duration::minutes(1);
    for i in 0..5 {
        store
            .revoke_token(&format!("ended-{i}"), past)
            .await
            .unwrap();
    }
    store.revoke_token("in-force", in_an_hour()).await.unwrap();
    store.revoke_key("k4.pid.forever").await.unwrap();
    assert_eq!(store.purge_ended().await.unwrap(), 5);
    assert_eq!(store.purge_ended().await.unwrap(), 0);
    let operator = client(&url).await;
    let left: i64 = operator
        .query_one(&format!("SELECT count(*) FROM {schema}.revocations"), &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 2);
    assert_eq!(
        store.check(token("in-force")).await.unwrap(),
        Some(RevokedBy::TokenId)
    );
    // What a revocation costs: one row of 32 bytes of id (no token id in clear) and four small
    // columns.
    let (rows, bytes): (i64, i64) = {
        let row = operator
            .query_one(
                &format!(
                    "SELECT count(*), sum(pg_column_size(r.*))::bigint FROM {schema}.revocations r"
                ),
                &[],
            )
            .await
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(rows, 2);
    assert!(bytes / rows < 100, "{} bytes a row", bytes / rows);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_lost_acknowledged_writes_is_a_new_epoch_on_instances_that_read_them() {
    let Some(url) = shared_url() else { return };
    let schema = unique_schema();
    let a = with_history(&url, &schema, true).await;
    let b = builder(&schema, true).connect(&url).await.unwrap();
    a.revoke_token("t3", in_an_hour()).await.unwrap();
    let seen = until(
        Duration::from_secs(1),
        Some(Some(RevokedBy::TokenId)),
        async || mirror_says(&b, &token("t3")),
    )
    .await;
    assert_eq!(seen, Some(Some(RevokedBy::TokenId)));
    // A restore from before that write: the row and its feed number are gone.
    let operator = client(&url).await;
    operator
        .batch_execute(&format!(
            "DELETE FROM {schema}.revocations; UPDATE {schema}.feed_position SET seq = 0"
        ))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let issued_before = TokenRef {
        issued_at: Some(OffsetDateTime::now_utc() - time::Duration::seconds(30)),
        ..token("other")
    };
    // B had read the lost write: it declares a new epoch, refusing every older token.
    let refused = until(
        Duration::from_secs(2),
        Some(RevokedBy::StoreReset),
        async || b.check_at_source(issued_before).await.unwrap(),
    )
    .await;
    assert_eq!(refused, Some(RevokedBy::StoreReset));
    assert_eq!(
        a.check_at_source(issued_before).await.unwrap(),
        Some(RevokedBy::StoreReset),
        "the epoch is the store's: every instance sees it"
    );
    // An emptied epoch table is a reset too, seen by the next check.
    operator
        .batch_execute(&format!("DELETE FROM {schema}.epoch"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let just_before = TokenRef {
        issued_at: Some(OffsetDateTime::now_utc() - time::Duration::seconds(1)),
        ..token("other")
    };
    assert_eq!(
        a.check_at_source(just_before).await.unwrap(),
        Some(RevokedBy::StoreReset)
    );
}
