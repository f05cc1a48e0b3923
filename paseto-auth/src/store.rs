//! Revocations shared across instances: the core's [`paseto_auth_core::store`] (the
//! [`TokenStore`] trait, [`MemoryStore`], [`Revocations`]), and, with the `redis` feature, the
//! Redis store of the `paseto-auth-redis` crate (`RedisStore`, documented there:
//! <https://docs.rs/paseto-auth-redis>).

#[doc(inline)]
pub use paseto_auth_core::store::*;

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
#[doc(inline)]
pub use paseto_auth_redis::{
    DEFAULT_REDIS_PREFIX, DEFAULT_RESET_WINDOW, DEFAULT_WAIT_TIMEOUT, Persistence, RedisStore,
    RedisStoreBuilder, Topology,
};
