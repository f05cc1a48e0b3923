//! Where the examples keep revocations: Redis when `PASETO_REDIS_URL` is set (shared by every
//! instance; the examples built with `--features redis`), else this process's memory; the policy
//! (`PASETO_STORE_FAIL_OPEN`, `PASETO_STORE_TIMEOUT_MS`) read by the library, which refuses a
//! value it cannot parse.

use paseto_auth::store::{MemoryStore, Revocations};

/// The revocations the environment asks for.
pub async fn revocations_from_env() -> paseto_auth::Result<Revocations> {
    match redis_from_env().await? {
        Some(revocations) => Ok(revocations),
        None => {
            tracing::info!(
                "revocations in this process's memory (set PASETO_REDIS_URL to share them)"
            );
            Revocations::from_env(MemoryStore::new())
        }
    }
}

#[cfg(feature = "redis")]
async fn redis_from_env() -> paseto_auth::Result<Option<Revocations>> {
    let Some(redis) = paseto_auth::store::RedisStore::from_env().await? else {
        return Ok(None);
    };
    tracing::info!("revocations in Redis (PASETO_REDIS_URL)");
    Revocations::from_env(redis).map(Some)
}

/// Without the Redis client, a Redis asked for is a start-up error, not a silent memory store.
#[cfg(not(feature = "redis"))]
async fn redis_from_env() -> paseto_auth::Result<Option<Revocations>> {
    const SETTING: &str = "PASETO_REDIS_URL";
    match std::env::var_os(SETTING) {
        None => Ok(None),
        Some(_) => Err(paseto_auth::Error::config(
            SETTING,
            "this build has no Redis client: run the example with `--features redis`",
        )),
    }
}
