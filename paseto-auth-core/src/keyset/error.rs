//! [`KeySetError`]: why a key-set document was refused, or could not be fetched or changed. A
//! leaf, so that [`Error`](crate::Error) can carry it.

use std::time::Duration;

use crate::version::Version;

/// Why a key-set document was refused, or could not be fetched or changed (see
/// [`crate::keyset`]). Text from the document or the server is escaped and cut, and no variant
/// carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeySetError {
    /// The document is longer than the limit (by its `Content-Length`, or as it was read).
    #[error("the document is over the {limit}-byte limit")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server did not send the whole document within the time allowed.
    #[error("the document did not arrive within {0:?}")]
    Timeout(Duration),
    /// The server could not be reached, or the connection failed (the client's message, escaped).
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server answered with another status than 200 (or 304 to a conditional request).
    /// Redirects are not followed.
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// The document is not JSON of the key-set shape (the parser's message, escaped), or too deep.
    #[error("the document is not a key set: {0}")]
    Malformed(String),
    /// The document's `version` is not one this crate reads.
    #[error("unsupported key-set format version {0}")]
    UnsupportedFormat(String),
    /// The document lists more keys than the limit.
    #[error("the document lists {count} keys, over the limit of {limit}")]
    TooManyKeys {
        /// How many it lists.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A key entry is wrong: its `paserk` is not a public key, its `pid` is not that key's, its
    /// times are reversed, its issuer empty (`index` counts from 0).
    #[error("key {index}: {reason}")]
    InvalidKey {
        /// The entry's index.
        index: usize,
        /// What is wrong (never the key text).
        reason: String,
    },
    /// Two entries have the same `pid`.
    #[error("key id {0} is listed twice")]
    DuplicateKey(String),
    /// A key names an issuer this verifier does not trust for the document's URL: the whole
    /// document is refused.
    #[error("key {index} claims issuer \"{issuer}\", which is not trusted for this URL")]
    UntrustedIssuer {
        /// The entry's index.
        index: usize,
        /// The issuer it names (escaped, cut).
        issuer: String,
    },
    /// A key is of a version this verifier does not accept.
    #[error("key {index} is a {version} key, which this verifier does not accept")]
    VersionNotAllowed {
        /// The entry's index.
        index: usize,
        /// Its version.
        version: Version,
    },
    /// The key set has not been fetched successfully for longer than the maximum staleness: its
    /// keys were dropped.
    #[error(
        "the last good key set is older than the maximum staleness ({0:?}); its keys are dropped"
    )]
    Stale(Duration),
    /// A change of the document names a key it does not hold, or a change its status forbids
    /// (activating a retired key, say).
    #[error("{0}")]
    Change(String),
}
