//! Key sets: an issuer publishes its public keys as a JSON document, verifiers fetch it and
//! follow its rotations without a restart.
//!
//! - [`KeySetDocument`] (format version 1, specified in `paseto_auth::docs::key_sets` for other languages): for
//!   each key its public PASERK, `pid`, issuer, status ([`KeyStatus`]: `next`, `active`,
//!   `retired`) and not-before / not-after. [`KeySetDocument::parse`] reads one from outside
//!   within [`DocumentLimits`] and refuses anything else with a typed [`KeySetError`].
//! - The rotation schedule: [`KeySetDocument::activate`] (a `next` key becomes active, the
//!   active one retired with a grace period), [`retire`](KeySetDocument::retire),
//!   [`prune`](KeySetDocument::prune); [`signing_ring`](KeySetDocument::signing_ring) for the
//!   issuer ([`Issuer::replace_keys`](crate::Issuer::replace_keys)) and
//!   [`verification_ring`](KeySetDocument::verification_ring) for verifiers
//!   ([`Verifier::replace_keys`](crate::Verifier::replace_keys),
//!   `PasetoAuth::reload`).
//! - [`KeySetSettings`]: the `PASETO_KEYSET_*` settings.
//!
//! Serving the document (`KeySetPublisher`) and fetching it (`KeySetSource`) speak HTTP, and
//! live in `paseto-auth`'s `keyset` module.
//!
//! **What a status means to a verifier.** Every listed key verifies while it is in force
//! (between its not-before and not-after, both optional): `next` keys verify, so a token signed
//! right after the issuer switches passes on verifiers that fetched the document before;
//! `retired` keys verify until their not-after, so tokens signed before the switch live out
//! their lifetime. Only `active` keys sign. A key leaves a verifier when it leaves the document,
//! or at its not-after, whichever comes first (even for tokens in the verified-token cache).

use std::time::Duration;

mod document;
pub(crate) mod error;
mod schedule;
mod settings;

pub use document::{
    DEFAULT_MAX_BYTES, DEFAULT_MAX_KEYS, DocumentLimits, FORMAT_VERSION, KeySetDocument, KeyStatus,
    PublishedKey,
};
pub use error::KeySetError;
pub use settings::{
    DEFAULT_MAX_STALENESS, DEFAULT_MIN_FETCH_GAP, DEFAULT_REFRESH, DEFAULT_TIMEOUT, KeySetSettings,
};

/// Where a key set is published by default (`PASETO_KEYSET_PATH`).
pub const DEFAULT_PATH: &str = "/.well-known/paserk.json";

/// How long clients may cache the published document by default (`Cache-Control: max-age`,
/// `PASETO_KEYSET_MAX_AGE`): five minutes.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(300);
