//! Where the examples keep revocations: Redis when `PASETO_REDIS_URL` is set (shared by every
//! instance), else this process's memory; the policy (`PASETO_STORE_FAIL_OPEN`,
//! `PASETO_STORE_TIMEOUT_MS`) read by the library, which refuses a value it cannot parse.

use paseto_auth::store::{MemoryStore, RedisStore, Revocations};

/// The revocations the environment asks for.
pub(crate) async fn revocations_from_env() -> paseto_auth::Result<Revocations> {
    match RedisStore::from_env().await? {
        Some(redis) => {
            tracing::info!("revocations in Redis (PASETO_REDIS_URL)");
            Revocations::from_env(redis)
        }
        None => {
            tracing::info!(
                "revocations in this process's memory (set PASETO_REDIS_URL to share them)"
            );
            Revocations::from_env(MemoryStore::new())
        }
    }
}
