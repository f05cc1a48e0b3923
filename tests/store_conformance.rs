//! What every `TokenStore` must do, run on each store the tests have (the embedded memory
//! store, and Redis where there is one): revocations only widen, and a refresh family's
//! generation moves once per use, with the answer of its last use kept for a retry within the
//! grace and for nothing else.

mod support;

use std::sync::Arc;
use std::time::Duration;

use paseto_auth::store::{RevokedBy, Rotated, Rotation, TokenRef};
use time::OffsetDateTime;

use paseto_auth::store::TokenStore;
use support::store::stores;
use support::topologies::{OwnCluster, OwnSentinel};

mod rules {
    use super::*;

    pub(super) fn rotation<'a>(
        family: &'a str,
        generation: u64,
        answer: &'a [u8],
        grace: u64,
    ) -> Rotation<'a> {
        Rotation {
            family,
            generation,
            until: OffsetDateTime::now_utc() + time::Duration::days(14),
            answer,
            grace: Duration::from_millis(grace),
        }
    }

    pub(super) async fn a_use_rotates_once_and_a_retry_within_the_grace_gets_its_answer(
        name: &str,
        store: Arc<dyn TokenStore>,
    ) {
        let rotate =
            |generation, answer, grace| store.rotate(rotation("f", generation, answer, grace));
        assert_eq!(
            rotate(0, b"first", 10_000).await.unwrap(),
            Rotated::Rotated,
            "{name}"
        );
        // The same use again: the answer of the first, nothing changed.
        for _ in 0..3 {
            assert_eq!(
                rotate(0, b"second", 10_000).await.unwrap(),
                Rotated::Retried(b"first".to_vec()),
                "{name}"
            );
        }
        // The next generations rotate; each answer replaces the one before.
        assert_eq!(
            rotate(1, b"second", 10_000).await.unwrap(),
            Rotated::Rotated,
            "{name}"
        );
        assert_eq!(
            rotate(2, b"third", 10_000).await.unwrap(),
            Rotated::Rotated,
            "{name}"
        );
        assert_eq!(
            rotate(2, b"x", 10_000).await.unwrap(),
            Rotated::Retried(b"third".to_vec()),
            "{name}"
        );
        // A use two generations old is a replay, grace or not; so is one from the future.
        assert_eq!(
            rotate(0, b"x", 10_000).await.unwrap(),
            Rotated::Reused,
            "{name}"
        );
        assert_eq!(
            rotate(7, b"x", 10_000).await.unwrap(),
            Rotated::Reused,
            "{name}"
        );
        assert_eq!(
            rotate(3, b"", 10_000).await.unwrap(),
            Rotated::Rotated,
            "{name}"
        );
    }

    pub(super) async fn retries_of_two_generations_in_a_row_are_a_reuse(
        name: &str,
        store: Arc<dyn TokenStore>,
    ) {
        // Two copies of one refresh token, each refreshed within the grace of the other at every
        // generation (a thief in step with the user): answered once, caught at the next one.
        let rotate =
            |generation, answer| store.rotate(rotation("step", generation, answer, 10_000));
        assert_eq!(rotate(0, b"a").await.unwrap(), Rotated::Rotated, "{name}");
        assert_eq!(
            rotate(0, b"a").await.unwrap(),
            Rotated::Retried(b"a".to_vec()),
            "{name}"
        );
        assert_eq!(rotate(1, b"b").await.unwrap(), Rotated::Rotated, "{name}");
        assert_eq!(rotate(1, b"b").await.unwrap(), Rotated::Reused, "{name}");
    }

    pub(super) async fn after_the_grace_or_without_one_a_second_use_is_a_replay(
        name: &str,
        store: Arc<dyn TokenStore>,
    ) {
        assert_eq!(
            store.rotate(rotation("short", 0, b"a", 300)).await.unwrap(),
            Rotated::Rotated,
            "{name}"
        );
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(
            store.rotate(rotation("short", 0, b"a", 300)).await.unwrap(),
            Rotated::Reused,
            "{name}"
        );
        assert_eq!(
            store.rotate(rotation("none", 0, b"a", 0)).await.unwrap(),
            Rotated::Rotated,
            "{name}"
        );
        assert_eq!(
            store.rotate(rotation("none", 0, b"a", 0)).await.unwrap(),
            Rotated::Reused,
            "{name}"
        );
    }

    pub(super) async fn of_concurrent_uses_one_rotates_and_the_others_get_its_answer(
        name: &str,
        store: Arc<dyn TokenStore>,
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        let barrier = Arc::new(tokio::sync::Barrier::new(16));
        let tasks: Vec<_> = (0..16u8)
            .map(|i| {
                let (store, barrier) = (store.clone(), barrier.clone());
                runtime.spawn(async move {
                    barrier.wait().await;
                    store.rotate(rotation("raced", 0, &[i], 10_000)).await
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap().unwrap());
        }
        runtime.shutdown_background();
        let rotated = outcomes.iter().filter(|o| **o == Rotated::Rotated).count();
        assert_eq!(rotated, 1, "{name}: {outcomes:?}");
        let answers: Vec<_> = outcomes
            .iter()
            .filter_map(|outcome| match outcome {
                Rotated::Retried(answer) => Some(answer.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(answers.len(), 15, "{name}: {outcomes:?}");
        assert!(answers.windows(2).all(|pair| pair[0] == pair[1]), "{name}");
    }

    pub(super) async fn revocations_only_widen_and_stay_apart(
        name: &str,
        store: Arc<dyn TokenStore>,
    ) {
        let soon = OffsetDateTime::now_utc() + time::Duration::hours(1);
        let later = soon + time::Duration::days(1);
        store.revoke_token("t", later).await.unwrap();
        store.revoke_token("t", soon).await.unwrap();
        store.revoke_family("f", later).await.unwrap();
        store.revoke_key("k4.pid.x").await.unwrap();
        let ref_of = |token_id, family, key_id| TokenRef {
            token_id,
            family,
            key_id,
            issued_at: Some(OffsetDateTime::now_utc()),
            ..TokenRef::default()
        };
        let check = |token| store.check(token);
        assert_eq!(
            check(ref_of(Some("t"), None, None)).await.unwrap(),
            Some(RevokedBy::TokenId),
            "{name}"
        );
        assert_eq!(
            check(ref_of(None, Some("f"), None)).await.unwrap(),
            Some(RevokedBy::Family),
            "{name}"
        );
        assert_eq!(
            check(ref_of(None, None, Some("k4.pid.x"))).await.unwrap(),
            Some(RevokedBy::Key),
            "{name}"
        );
        // Ids of one kind are not ids of another.
        assert_eq!(
            check(ref_of(Some("f"), Some("t"), Some("t")))
                .await
                .unwrap(),
            None,
            "{name}"
        );
    }

    pub(super) async fn a_subject_revocation_covers_tokens_without_an_issue_time(
        name: &str,
        store: Arc<dyn TokenStore>,
    ) {
        // Nothing shows a token without `iat` was issued after the revocation: it is covered.
        let now = OffsetDateTime::now_utc();
        store.revoke_subject("alice", now).await.unwrap();
        let of = |subject, issued_at| TokenRef {
            subject: Some(subject),
            issued_at,
            ..TokenRef::default()
        };
        assert_eq!(
            store.check(of("alice", None)).await.unwrap(),
            Some(RevokedBy::Subject),
            "{name}"
        );
        assert_eq!(
            store
                .check(of("alice", Some(now - time::Duration::minutes(1))))
                .await
                .unwrap(),
            Some(RevokedBy::Subject),
            "{name}"
        );
        let later = now + time::Duration::seconds(2);
        assert_eq!(
            store.check(of("alice", Some(later))).await.unwrap(),
            None,
            "{name}"
        );
        assert_eq!(store.check(of("bob", None)).await.unwrap(), None, "{name}");
    }
}

/// A test per rule on the stores every run has (memory, and the shared Redis with and without a
/// mirror), and one that runs every rule on Sentinel and on a cluster, each started once.
macro_rules! every_rule {
    ($($rule:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $rule() {
                for (name, store) in stores().await {
                    rules::$rule(name, store).await;
                }
            }
        )*

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn every_rule_on_sentinel_and_on_a_cluster() {
            let started = tokio::task::spawn_blocking(|| (OwnSentinel::start(), OwnCluster::start()));
            let (Some(sentinel), Some(cluster)) = started.await.unwrap() else {
                return;
            };
            let stores: [(&str, Arc<dyn TokenStore>); 4] = [
                ("sentinel", Arc::new(sentinel.store(true).await)),
                ("sentinel without mirror", Arc::new(sentinel.store(false).await)),
                ("cluster", Arc::new(cluster.store(true).await)),
                ("cluster without mirror", Arc::new(cluster.store(false).await)),
            ];
            for (name, store) in stores {
                $( rules::$rule(name, store.clone()).await; )*
            }
        }
    };
}

every_rule!(
    a_use_rotates_once_and_a_retry_within_the_grace_gets_its_answer,
    retries_of_two_generations_in_a_row_are_a_reuse,
    after_the_grace_or_without_one_a_second_use_is_a_replay,
    of_concurrent_uses_one_rotates_and_the_others_get_its_answer,
    revocations_only_widen_and_stay_apart,
    a_subject_revocation_covers_tokens_without_an_issue_time,
);
