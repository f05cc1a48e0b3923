//! PASETO authentication for axum: typed keys, an issuer, a verifier, extractors, cookie
//! sessions and a login manager, with macros that check their use at compile time.
//!
//! ```
//! use paseto_auth::{Issuer, Verifier, key::SecretKey, Version};
//!
//! let key = SecretKey::generate(Version::V4)?;
//! let issuer = Issuer::builder().issuer("https://issuer.example").key(key.clone()).build()?;
//! let verifier = Verifier::builder()
//!     .public_key(key.public_key().clone(), "https://issuer.example")
//!     .build()?;
//!
//! let token = issuer.issue(&serde_json::json!({"user": {"email": "foo@example.com"}}))?;
//! let verified = verifier.verify::<serde_json::Value>(&token)?;
//! assert_eq!(verified.claims["user"]["email"], "foo@example.com");
//! # Ok::<(), paseto_auth::Error>(())
//! ```
//!
//! # Where things are
//!
//! The core, without features: [`key`] (typed keys, PASERK, PEM, key rings), [`token`] (the
//! codecs), [`claims`], [`requirements`], [`issuer`], [`verifier`], [`config`]
//! (flask-paseto-extended's settings), [`store`] (revocations shared across instances: memory,
//! or Redis with the `redis` feature), [`keyset`] (published and fetched key sets, rotation;
//! fetching with the `keyset-fetch` feature), [`error`] and [`version`]. With the `axum` feature
//! (default): [`extract`] (`PasetoAuth`, `Paseto<C>` and `#[paseto_required]`), [`cookie`] (tokens
//! in cookies, their keys and attributes: what sessions and logins are built on), [`session`]
//! (`Session<T>` and `#[paseto_session]`) and [`login`] (`CurrentUser<U>`, `LoginSession<U>` and
//! `#[login_required]`).
//!
//! The crate root re-exports what every application names — the issuer and verifier with their
//! builders and options, the verified token, the claims types, [`Requirements`], the error types,
//! [`Version`], [`Purpose`] and [`Header`] — and the four macros. Everything else is used through
//! its module.

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

pub mod claims;
pub mod config;
pub mod error;
pub mod issuer;
pub mod key;
pub mod keyset;
mod kind;
pub mod logs;
pub mod metrics;
pub mod pair;
pub mod refresh;
pub mod requirements;
pub mod store;
pub mod token;
pub mod verifier;
pub mod verify_cache;
pub mod version;

pub use claims::{PasetoClaims, RegisteredClaims, Timestamp};
pub use error::{Cause, Error, ErrorKind, Result};
pub use issuer::{Issuer, IssuerBuilder, TokenOptions};
pub use pair::{PairOptions, TokenPair};
pub use requirements::Requirements;
pub use verifier::{Paseto, Verifier, VerifierBuilder};
pub use version::{Header, Purpose, Version};

#[cfg(feature = "axum")]
pub mod cookie;
#[cfg(feature = "axum")]
pub mod csrf;
#[cfg(feature = "axum")]
pub mod extract;
#[cfg(feature = "axum")]
pub mod guard_layer;
#[cfg(feature = "axum")]
pub mod login;
#[cfg(feature = "axum")]
mod reply;
#[cfg(feature = "axum")]
pub mod session;

#[doc(hidden)]
pub mod __private;

pub use paseto_auth_macros::PasetoClaims;
#[cfg(feature = "axum")]
pub use paseto_auth_macros::{login_required, paseto_required, paseto_session};
