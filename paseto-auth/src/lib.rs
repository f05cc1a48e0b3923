#![doc = include_str!("../docs/guide.md")]
//!
//! # Where things are
//!
//! The core, without features: [`key`] (typed keys, PASERK, PEM, key rings), [`token`] (the
//! codecs), [`claims`], [`requirements`], [`issuer`], [`verifier`], [`config`]
//! (flask-paseto-extended's settings), [`store`] (revocations shared across instances), [`keyset`] (published and
//! fetched key sets, rotation), [`refresh`]
//! and [`pair`] (token pairs), [`error`] and [`version`]. With the `axum` feature (default):
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
#[cfg(feature = "openapi")]
#[cfg_attr(docsrs, doc(cfg(feature = "openapi")))]
pub mod openapi;
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
