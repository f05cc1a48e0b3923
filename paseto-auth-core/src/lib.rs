//! PASETO without HTTP: the core of [`paseto-auth`](https://docs.rs/paseto-auth).
//!
//! Typed keys and PASERK ([`key`]), the v1–v4 codecs ([`token`]), [`claims`] and
//! [`Requirements`], an [`Issuer`] and a [`Verifier`] with its cache, revocations shared across
//! instances ([`store`]) and the refresh-token rule ([`refresh`]), key-set documents and their
//! rotation ([`keyset`]), one reader for every setting ([`settings`]) and flask-paseto-extended's
//! settings ([`config`]). No web framework, no HTTP client: a service that only verifies tokens, a
//! CLI or another framework's integration depends on this crate alone; an axum application adds
//! `paseto-auth`, which re-exports it.
//!
//! ```
//! use paseto_auth_core::{Issuer, Requirements, TokenOptions, Verifier, Version, key::SecretKey};
//!
//! let key = SecretKey::generate(Version::V4)?;
//! let issuer = Issuer::builder().issuer("https://issuer.example").key(key.clone()).build()?;
//! let verifier = Verifier::builder()
//!     .public_key(key.public_key().clone(), "https://issuer.example")
//!     .build()?;
//! let token = issuer.issue_with(&serde_json::json!({"role": "admin"}), TokenOptions::new())?;
//! let verified = verifier.verify_untyped(&token, &Requirements::new())?;
//! assert_eq!(verified.claims["role"], "admin");
//! # Ok::<(), paseto_auth_core::Error>(())
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code must not panic on any input; tests may unwrap.
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// Prints a line that `cargo test` shows even for passing tests (the official-vector counts).
#[cfg(test)]
macro_rules! test_report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
#[cfg(test)]
pub(crate) use test_report;

// Its public items are at the root; the rest serves the derive and this crate's siblings.
#[doc(hidden)]
pub mod claims;
pub mod config;
mod error;
mod issuer;
pub mod key;
pub mod keyset;
#[doc(hidden)]
pub mod kind;
pub mod logs;
// Metric names are documented in the reference; the functions are for this crate's siblings.
#[doc(hidden)]
pub mod metrics;
mod pair;
pub mod refresh;
mod requirements;
pub mod settings;
pub mod store;
pub mod token;
mod untrusted;
mod verifier;
mod verify_cache;
mod version;

// One path to each item: the token lifecycle (errors, issuing, pairs, requirements, verifying,
// versions) lives at the root; a module is public where it holds a family of its own.
pub use claims::{CSRF_CLAIM, ClaimField, PasetoClaims, RegisteredClaims, Timestamp};
pub use error::{Cause, ClaimError, CsrfError, Error, ErrorKind, KeyError, Result, TokenError};
pub use issuer::{
    DEFAULT_ACCESS_LIFETIME, DEFAULT_LIFETIME, DEFAULT_LOGIN_MAX_AGE, DEFAULT_REFRESH_LIFETIME,
    DEFAULT_REFRESH_REUSE_GRACE, Issuer, IssuerBuilder, PairLifetimes, TokenOptions,
};
pub use pair::{PairOptions, TokenPair};
pub use requirements::Requirements;
#[doc(hidden)]
pub use untrusted::{truncated, untrusted};
pub use verifier::{DEFAULT_MAX_KEY_TRIALS, VerifiedToken, Verifier, VerifierBuilder};
pub use verify_cache::{CacheStats, DEFAULT_CACHE_MAX_AGE, DEFAULT_CACHE_SIZE};
pub use version::{Header, HeaderParseError, Purpose, Version};

// The crate's README (its page on crates.io) compiles as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
