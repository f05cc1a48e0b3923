//! What a store answers besides success: why a token is revoked ([`RevokedBy`]) and why a call
//! failed ([`StoreError`]). A leaf, so that [`Error`](crate::Error) can carry both.

use std::fmt;
use std::time::Duration;

use crate::error::cause::Cause;

/// Why a token is revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevokedBy {
    /// Its `jti` is revoked.
    TokenId,
    /// Its family is (a logout ends every copy of a login's cookies).
    Family,
    /// Its subject's tokens issued before a time are (and it is one of them).
    Subject,
    /// The key that verified it is.
    Key,
    /// The store lost its revocations (a restart without persistence, a flush, a failover to
    /// an empty replica) after the token was issued: nothing shows it was not revoked before, so
    /// it is refused until it expires (see [`crate::store`], "A store that forgets").
    StoreReset,
}

impl RevokedBy {
    /// `"token_id"`, `"family"`, `"subject"`, `"key"` or `"store_reset"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RevokedBy::TokenId => "token_id",
            RevokedBy::Family => "family",
            RevokedBy::Subject => "subject",
            RevokedBy::Key => "key",
            RevokedBy::StoreReset => "store_reset",
        }
    }
}

impl fmt::Display for RevokedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a store call failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store cannot be reached or answered with an error (its cause is kept).
    #[error("the token store is unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// The store did not answer within [`Revocations::timeout`](crate::store::Revocations::timeout).
    #[error("the token store did not answer within {0:?}")]
    Timeout(Duration),
    /// The store is full of revocations that have not expired yet: a new one would have to
    /// forget one of them, which would un-revoke a token.
    #[error("the token store is full ({0} unexpired revocations)")]
    Full(usize),
}
