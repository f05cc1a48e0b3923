//! Revocations shared across instances: the core's [`paseto_auth_core::store`] (the
//! [`TokenStore`] trait, [`MemoryStore`], [`Revocations`]); with the `redis` feature, the
//! Redis store of the `paseto-auth-redis` crate (`RedisStore`, documented there:
//! <https://docs.rs/paseto-auth-redis>); with the `postgres` feature, the PostgreSQL store of the
//! `paseto-auth-postgres` crate (`PostgresStore`: <https://docs.rs/paseto-auth-postgres>).

#[doc(inline)]
pub use paseto_auth_core::store::*;

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
#[doc(inline)]
pub use paseto_auth_redis::{
    DEFAULT_REDIS_PREFIX, DEFAULT_RESET_WINDOW, DEFAULT_WAIT_TIMEOUT, Persistence, RedisStore,
    RedisStoreBuilder, Topology,
};

#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
#[doc(inline)]
pub use paseto_auth_postgres::{
    DEFAULT_POOL_SIZE, DEFAULT_POSTGRES_SCHEMA, PostgresStore, PostgresStoreBuilder,
};
