//! Deletes the rows that ended, in the background: revocations past their expiry and refresh
//! families past their last token's. Bounded batches by an index on the expiry, a pause between
//! rounds: never a scan of the table, never on a request's path. Every instance runs it (two
//! deleting at once is harmless; each row goes once).

use std::sync::Arc;
use std::time::Duration;

use paseto_auth_core::store::StoreError;

use crate::Inner;
use crate::statements::PURGE_BATCH;

/// How often the ended rows are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(60);

/// At most this many batches a round, so that a backlog is worked off over rounds rather than
/// holding a connection for long.
const BATCHES_PER_ROUND: usize = 10;

/// The running purge; dropping it stops the task.
pub(crate) struct PurgeTask(tokio::task::JoinHandle<()>);

impl Drop for PurgeTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl PurgeTask {
    pub(crate) fn start(inner: Arc<Inner>) -> PurgeTask {
        PurgeTask(tokio::spawn(async move {
            // The first round a period after start: instances started together spread out.
            let first = tokio::time::Instant::now() + PURGE_EVERY;
            let mut every = tokio::time::interval_at(first, PURGE_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(err) = purge_ended(&inner).await {
                    tracing::debug!(error = %err, "purging ended rows failed: next round");
                }
            }
        }))
    }
}

/// One round: the revocations, then the refresh families that ended; how many rows went.
pub(crate) async fn purge_ended(inner: &Inner) -> Result<u64, StoreError> {
    let revocations = purge(inner, &inner.statements.purge_revocations).await?;
    let families = purge(inner, &inner.statements.purge_families).await?;
    Ok(revocations + families)
}

/// Deletes with `statement` until a batch is not full, or the round's batches are done.
async fn purge(inner: &Inner, statement: &str) -> Result<u64, StoreError> {
    let mut total = 0;
    for _ in 0..BATCHES_PER_ROUND {
        let rows = inner.query(statement, &[], false).await?;
        let deleted: i64 = rows.first().map_or(0, |row| row.get(0));
        total += u64::try_from(deleted).unwrap_or(0);
        if deleted < PURGE_BATCH {
            break;
        }
    }
    Ok(total)
}
