//! Where the examples keep revocations: Redis when `PASETO_REDIS_URL`, `PASETO_REDIS_SENTINELS`
//! or `PASETO_REDIS_CLUSTER` is set (shared by every instance, each answering from its mirror;
//! the examples built with `--features redis`), else this process's memory; the policy
//! (`PASETO_STORE_FAIL_OPEN`, `PASETO_STORE_TIMEOUT_MS`) read by the library, which refuses a
//! value it cannot parse.

use paseto_auth::store::{MemoryStore, Revocations};

/// The revocations the environment asks for.
pub async fn revocations_from_env() -> paseto_auth::Result<Revocations> {
    match redis_from_env().await? {
        Some(revocations) => Ok(revocations),
        None => {
            tracing::info!(
                "revocations in this process's memory (set PASETO_REDIS_URL, or \
                 PASETO_REDIS_SENTINELS or PASETO_REDIS_CLUSTER, to share them)"
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
    tracing::info!(mirror = redis.mirror().is_some(), "revocations in Redis");
    Revocations::from_env(redis).map(Some)
}

/// Without the Redis client, a Redis asked for is a start-up error, not a silent memory store.
#[cfg(not(feature = "redis"))]
async fn redis_from_env() -> paseto_auth::Result<Option<Revocations>> {
    const SETTINGS: [&str; 3] = [
        "PASETO_REDIS_URL",
        "PASETO_REDIS_SENTINELS",
        "PASETO_REDIS_CLUSTER",
    ];
    match SETTINGS
        .into_iter()
        .find(|name| std::env::var_os(name).is_some())
    {
        None => Ok(None),
        Some(setting) => Err(paseto_auth::Error::config(
            setting,
            "this build has no Redis client: run the example with `--features redis`",
        )),
    }
}
