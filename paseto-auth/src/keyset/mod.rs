//! Key sets: an issuer publishes its public keys as a JSON document, verifiers fetch it and
//! follow its rotations without a restart. The document, the rotation schedule and the settings
//! are the core's ([`paseto_auth_core::keyset`], re-exported here); this module adds HTTP:
//!
//! - `KeySetPublisher` (feature `axum`): serves the document at [`DEFAULT_PATH`] with `Cache-Control` and an
//!   `ETag`, replaceable at run time.
//! - `KeySetSource` (feature `keyset-fetch`): a verifier key source reading the document over
//!   HTTPS, refreshed on an interval and, rate-limited, when a token names an unknown `pid`.
//!
//! **What a status means to a verifier.** Every listed key verifies while it is in force
//! (between its not-before and not-after, both optional): `next` keys verify, so a token signed
//! right after the issuer switches passes on verifiers that fetched the document before;
//! `retired` keys verify until their not-after, so tokens signed before the switch live out
//! their lifetime. Only `active` keys sign. A key leaves a verifier when it leaves the document,
//! or at its not-after, whichever comes first (even for tokens in the verified-token cache).

#[cfg(feature = "keyset-fetch")]
mod fetch;
#[cfg(feature = "axum")]
mod publish;

#[doc(inline)]
pub use paseto_auth_core::keyset::*;

#[cfg(feature = "keyset-fetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "keyset-fetch")))]
pub use fetch::{Clock, FetchReport, KeySetSource, KeySetSourceBuilder};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use publish::KeySetPublisher;
