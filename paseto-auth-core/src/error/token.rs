//! [`TokenError`]: the token itself is wrong, before any claim is read.

use super::kind::ErrorKind;
use crate::version::{Header, Purpose, Version};

/// The token is refused before its claims are looked at: its size, format, version, purpose,
/// footer, the choice of a key, its signature or tag, or the shape of its payload. Over HTTP,
/// every one is 401 `invalid_token`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token is longer than the verifier's size limit; nothing else was looked at.
    #[error("token is {len} bytes, over the {limit}-byte limit")]
    TokenTooLarge {
        /// Length of the presented token.
        len: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The token is not `version.purpose.payload[.footer]` in base64url.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// The version is not one this crate implements (v1, v5, garbage).
    #[error("unsupported PASETO version {0:?}")]
    UnsupportedVersion(String),
    /// The version is implemented but not in this verifier's allow-list.
    #[error("{0} tokens are not allowed here")]
    VersionNotAllowed(Version),
    /// The purpose is not the one this verifier (or route) accepts (checked before any
    /// cryptography, so `invalid_token`, not `insufficient_scope`).
    #[error("{0} tokens are not accepted here")]
    PurposeNotAllowed(Purpose),
    /// The footer is over a limit (length, depth, key count) or its `kid` is malformed.
    #[error("invalid footer: {0}")]
    InvalidFooter(String),
    /// The footer names a key id the key ring does not hold.
    #[error("no key with id \"{0}\"")]
    UnknownKeyId(String),
    /// The key the footer names is not in force now: before its not-before or after its
    /// not-after (keys of a published key set, see [`crate::keyset`]).
    #[error("key \"{0}\" is not in force now (outside its not-before/not-after)")]
    KeyOutsideValidity(String),
    /// No key of the token's version and purpose is configured; or, for a `public` token that
    /// names no key (see [`VerifierBuilder::max_key_trials`](crate::VerifierBuilder::max_key_trials)),
    /// none bound to the issuer it claims, nor to no issuer.
    #[error("no {0} key is configured")]
    NoKey(Header),
    /// The token's footer names no key (no PASERK `kid`), and the verifier holds more keys of its
    /// version and purpose (for a `public` token: bound to the issuer it claims, or to none) than
    /// it tries without one (see
    /// [`VerifierBuilder::max_key_trials`](crate::VerifierBuilder::max_key_trials)).
    #[error("the token names no key (footer kid) and {0} keys could verify it: a kid is required")]
    KeyIdRequired(usize),
    /// The signature or authentication tag does not verify under any candidate key.
    #[error("signature or authentication tag is invalid")]
    InvalidSignature,
    /// The decrypted or signed payload is not a JSON object.
    #[error("payload is not a JSON object: {0}")]
    InvalidPayload(String),
    /// The payload holds the same key twice (a parser-differential attack).
    #[error("duplicate claim {0:?}")]
    DuplicateClaim(String),
}

impl TokenError {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            TokenError::TokenTooLarge { .. } => ErrorKind::TOKEN_TOO_LARGE,
            TokenError::Malformed(_) => ErrorKind::MALFORMED,
            TokenError::UnsupportedVersion(_) => ErrorKind::UNSUPPORTED_VERSION,
            TokenError::VersionNotAllowed(_) => ErrorKind::VERSION_NOT_ALLOWED,
            TokenError::PurposeNotAllowed(_) => ErrorKind::PURPOSE_NOT_ALLOWED,
            TokenError::InvalidFooter(_) => ErrorKind::INVALID_FOOTER,
            TokenError::UnknownKeyId(_) => ErrorKind::UNKNOWN_KEY_ID,
            TokenError::KeyOutsideValidity(_) => ErrorKind::KEY_OUTSIDE_VALIDITY,
            TokenError::NoKey(_) => ErrorKind::NO_KEY,
            TokenError::KeyIdRequired(_) => ErrorKind::KEY_ID_REQUIRED,
            TokenError::InvalidSignature => ErrorKind::INVALID_SIGNATURE,
            TokenError::InvalidPayload(_) => ErrorKind::INVALID_PAYLOAD,
            TokenError::DuplicateClaim(_) => ErrorKind::DUPLICATE_CLAIM,
        }
    }
}
