#![doc = include_str!("../docs/guide.md")]
//!
//! # Where things are
//!
//! At the root: the token lifecycle — [`Issuer`], [`Verifier`], [`Requirements`], [`TokenPair`],
//! [`Version`], the claims traits and types ([`PasetoClaims`], [`RegisteredClaims`]), [`Error`]
//! and its domains ([`TokenError`], [`ClaimError`], [`KeyError`], [`CsrfError`]), the
//! [`Paseto`] extractor and the four macros. Each item has one path.
//!
//! Modules, for the families of their own: from the core (the `paseto-auth-core` crate,
//! re-exported), [`key`] (typed keys, PASERK, PEM, key rings), [`token`] (the codecs),
//! [`settings`] (one reader for every setting), [`config`] (flask-paseto-extended's settings),
//! [`logs`] (the refusal-log budget), [`store`] (revocations shared across instances; Redis with
//! the `redis` feature), [`keyset`] (published and fetched key sets, rotation) and [`refresh`]
//! (the refresh-token rule and endpoint). With the `axum` feature (default): [`extract`]
//! (`PasetoAuth`, token sources, `PasetoLayer`), [`cookie`] (tokens in cookies: what sessions
//! and logins are built on), [`session`], [`login`] and [`csrf`].

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
    CSRF_CLAIM, CacheStats, Cause, ClaimError, ClaimField, CsrfError, DEFAULT_ACCESS_LIFETIME,
    DEFAULT_CACHE_MAX_AGE, DEFAULT_CACHE_SIZE, DEFAULT_LIFETIME, DEFAULT_LOGIN_MAX_AGE,
    DEFAULT_MAX_KEY_TRIALS, DEFAULT_REFRESH_LIFETIME, DEFAULT_REFRESH_REUSE_GRACE, Error,
    ErrorKind, Header, HeaderParseError, Issuer, IssuerBuilder, KeyError, PairLifetimes,
    PairOptions, PasetoClaims, Purpose, RegisteredClaims, Requirements, Result, Timestamp,
    TokenError, TokenOptions, TokenPair, VerifiedToken, Verifier, VerifierBuilder, Version, config,
    key, logs, settings, token,
};
#[doc(hidden)]
pub use paseto_auth_core::{claims, metrics, truncated, untrusted};

pub mod keyset;
pub mod refresh;
pub mod store;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::paseto_ext::Paseto;

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
mod guard_layer;
#[cfg(feature = "axum")]
mod http;
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

/// The long-form documentation, a page per topic (the README links each).
pub mod docs {
    #[doc = include_str!("../docs/tokens.md")]
    pub mod tokens {}
    #[doc = include_str!("../docs/sessions.md")]
    pub mod sessions {}
    #[doc = include_str!("../docs/revocation.md")]
    pub mod revocation {}
    #[doc = include_str!("../docs/web_apps.md")]
    pub mod web_apps {}
    #[doc = include_str!("../docs/security.md")]
    pub mod security {}
    #[doc = include_str!("../docs/configuration.md")]
    pub mod configuration {}
    #[doc = include_str!("../docs/key_sets.md")]
    pub mod key_sets {}
    #[doc = include_str!("../docs/performance.md")]
    pub mod performance {}
    #[doc = include_str!("../docs/cli.md")]
    pub mod cli {}
    #[doc = include_str!("../docs/layout.md")]
    pub mod layout {}
}

#[doc(hidden)]
pub mod __private;

pub use paseto_auth_macros::PasetoClaims;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use paseto_auth_macros::{login_required, paseto_required, paseto_session};

// The crate's README (its page on crates.io) compiles as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
