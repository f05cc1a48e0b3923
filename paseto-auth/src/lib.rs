#![doc = include_str!("../docs/guide.md")]
//!
//! # Where things are
//!
//! The core (the `paseto-auth-core` crate, re-exported): [`key`] (typed keys, PASERK, PEM, key
//! rings), [`token`] (the codecs), [`claims`], [`requirements`], [`issuer`], [`verifier`],
//! [`config`] (flask-paseto-extended's settings), [`store`] (revocations shared across
//! instances; Redis with the `redis` feature), [`keyset`] (published and fetched key sets,
//! rotation), [`refresh`] and [`pair`] (token pairs), [`error`] and [`version`]. With the `axum`
//! feature (default):
//! [`extract`] (`PasetoAuth`, `Paseto<C>`, `#[paseto_required]`, `PasetoLayer`), [`cookie`] (tokens
//! in cookies: what sessions and logins are built on), [`session`], [`login`], [`csrf`] and
//! [`guard_layer`]. The crate root re-exports what every application names and the four macros;
//! everything else is used through its module.

#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code must not panic on any input; tests may unwrap.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

// The core, re-exported: `paseto_auth::key`, `paseto_auth::Issuer` and the rest name the same
// items as `paseto_auth_core`'s, so an application needs one dependency.
#[doc(inline)]
pub use paseto_auth_core::{
    Cause, Error, ErrorKind, Header, Issuer, IssuerBuilder, PairOptions, PasetoClaims, Purpose,
    RegisteredClaims, Requirements, Result, Timestamp, TokenOptions, TokenPair, VerifiedToken,
    Verifier, VerifierBuilder, Version, claims, config, error, issuer, key, logs, metrics, pair,
    requirements, token, verifier, verify_cache, version,
};

pub mod keyset;
pub mod refresh;
pub mod store;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::Paseto;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod cookie;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod csrf;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod extract;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod guard_layer;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod login;
#[cfg(feature = "axum")]
mod reply;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod session;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

#[doc = include_str!("../docs/migration.md")]
pub mod migration {}

#[doc = include_str!("../docs/reference.md")]
pub mod reference {}

#[doc(hidden)]
pub mod __private;

pub use paseto_auth_macros::PasetoClaims;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use paseto_auth_macros::{login_required, paseto_required, paseto_session};
