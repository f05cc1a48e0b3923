//! Where the examples keep revocations: Redis when `PASETO_REDIS_URL`, `PASETO_REDIS_SENTINELS`
//! or `PASETO_REDIS_CLUSTER` is set (the examples built with `--features redis`), PostgreSQL when
//! `PASETO_POSTGRES_URL` is (`--features postgres`) — shared by every instance, each answering
//! from its mirror — else this process's memory; the policy (`PASETO_STORE_FAIL_OPEN`,
//! `PASETO_STORE_TIMEOUT_MS`) read by the library, which refuses a value it cannot parse.

use paseto_auth::store::{MemoryStore, Revocations};

/// The settings that ask for Redis, and for PostgreSQL.
const REDIS_SETTINGS: [&str; 3] = [
    "PASETO_REDIS_URL",
    "PASETO_REDIS_SENTINELS",
    "PASETO_REDIS_CLUSTER",
];
const POSTGRES_SETTINGS: [&str; 1] = ["PASETO_POSTGRES_URL"];

/// The revocations the environment asks for.
pub async fn revocations_from_env() -> paseto_auth::Result<Revocations> {
    if let (Some(redis), Some(postgres)) =
        (set_among(&REDIS_SETTINGS), set_among(&POSTGRES_SETTINGS))
    {
        return Err(paseto_auth::Error::config(
            postgres,
            format!("{redis} is set too: keep revocations in one store"),
        ));
    }
    if let Some(revocations) = redis_from_env().await? {
        return Ok(revocations);
    }
    if let Some(revocations) = postgres_from_env().await? {
        return Ok(revocations);
    }
    tracing::info!(
        "revocations in this process's memory (set PASETO_REDIS_URL, PASETO_REDIS_SENTINELS, \
         PASETO_REDIS_CLUSTER or PASETO_POSTGRES_URL to share them)"
    );
    Revocations::from_env(MemoryStore::new())
}

/// The first of `settings` the environment sets.
fn set_among(settings: &[&'static str]) -> Option<&'static str> {
    settings
        .iter()
        .copied()
        .find(|name| std::env::var_os(name).is_some())
}

/// Without the store's client, a store asked for is a start-up error, not a silent memory store.
#[cfg(not(all(feature = "redis", feature = "postgres")))]
fn not_built(settings: &[&'static str], feature: &str) -> paseto_auth::Result<Option<Revocations>> {
    match set_among(settings) {
        None => Ok(None),
        Some(setting) => Err(paseto_auth::Error::config(
            setting,
            format!(
                "this build has no {feature} client: run the example with `--features {feature}`"
            ),
        )),
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

#[cfg(not(feature = "redis"))]
async fn redis_from_env() -> paseto_auth::Result<Option<Revocations>> {
    not_built(&REDIS_SETTINGS, "redis")
}

#[cfg(feature = "postgres")]
async fn postgres_from_env() -> paseto_auth::Result<Option<Revocations>> {
    let Some(postgres) = paseto_auth::store::PostgresStore::from_env().await? else {
        return Ok(None);
    };
    tracing::info!(
        mirror = postgres.mirror().is_some(),
        "revocations in PostgreSQL"
    );
    Revocations::from_env(postgres).map(Some)
}

#[cfg(not(feature = "postgres"))]
async fn postgres_from_env() -> paseto_auth::Result<Option<Revocations>> {
    not_built(&POSTGRES_SETTINGS, "postgres")
}
