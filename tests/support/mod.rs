//! Shared by the integration tests: a real browser ([`browser`]), HTTP instances of a fleet ([`fleet`]), keys with their issuer and
//! verifier ([`keys`]),
//! request/response helpers ([`http`]), log capture ([`logs`]), a shared Redis ([`redis`]) and
//! PostgreSQL, shared or a test's own ([`postgres`]),
//! Sentinel and a cluster ([`topologies`]), a proxy a test can cut ([`proxy`]) and a failing
//! store ([`store`]).

// Each test binary compiles this module on its own and uses only some of it; the rest would
// warn as dead code in that binary.
#![allow(dead_code, unused_imports)]

pub(crate) mod answer;
pub(crate) mod browser;
pub(crate) mod fleet;
pub(crate) mod http;
pub(crate) mod keys;
pub(crate) mod logs;
pub(crate) mod postgres;
pub(crate) mod proxy;
pub(crate) mod redis;
pub(crate) mod store;
pub(crate) mod topologies;

pub(crate) use keys::{ISS, Setup, rfc3339, setup, v4_issuer_and_verifier};
