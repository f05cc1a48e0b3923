//! Revocation state, the one place it lives: which tokens, subjects and keys are revoked. A
//! [`TokenStore`] holds it — [`MemoryStore`] in the process (the default for one instance), or
//! `RedisStore` (feature `redis`) shared by every instance of a service — and [`Revocations`]
//! asks it, with a timeout and a failure policy, for the guards and the login manager.
//!
//! What can be revoked:
//!
//! - **one token**, by its `jti`, until its `exp` (the entry expires with the token, so the store
//!   stays small);
//! - **every token of a subject issued before a time** ("log out everywhere"): one entry per
//!   subject, checked against each token's `iat`; a token of that subject without `iat` is
//!   revoked too, since nothing shows it is newer. Times are whole seconds, so a token issued in
//!   the very second of the revocation is revoked as well (log in again a second later);
//! - **every token signed by a key**, by its PASERK id (a key compromise), until the key leaves
//!   the configuration.
//!
//! Ids and subjects are attacker-influenced text: a store never uses them as they are. Each is
//! hashed (SHA-256, base64url) into a fixed-length name of 43 letters, digits, `-` and `_`, so no
//! value can reach another entry (`*`, `\r\n`, a long string: each is just another hash).

mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::error::Error;
pub use crate::error::{RevokedBy, StoreError};

pub use memory::{DEFAULT_MEMORY_CAPACITY, DEFAULT_SUBJECT_RETENTION, MemoryStore};
#[cfg(feature = "redis")]
pub use redis::{DEFAULT_REDIS_PREFIX, RedisStore};

/// The future of a [`TokenStore`] call.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A store of revocations, shared by every instance that uses the same one.
///
/// Implement it to keep revocations elsewhere (a database, say); [`MemoryStore`] and
/// `RedisStore` are the crate's. Every method is one round trip at most.
pub trait TokenStore: Send + Sync + 'static {
    /// Revokes the token whose `jti` is `token_id`, until `expires_at` (its `exp`, after which it
    /// is refused anyway).
    fn revoke_token<'a>(
        &'a self,
        token_id: &'a str,
        expires_at: OffsetDateTime,
    ) -> StoreFuture<'a, ()>;

    /// Revokes every token of `subject` issued before `before` (at or before its second).
    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        before: OffsetDateTime,
    ) -> StoreFuture<'a, ()>;

    /// Revokes every token verified by the key with PASERK id `key_id`.
    fn revoke_key<'a>(&'a self, key_id: &'a str) -> StoreFuture<'a, ()>;

    /// Whether `token` is revoked, and why.
    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>>;
}

/// What a store checks of a verified token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// The token's `jti`.
    pub token_id: Option<&'a str>,
    /// The token's `sub`.
    pub subject: Option<&'a str>,
    /// The token's `iat`.
    pub issued_at: Option<OffsetDateTime>,
    /// The PASERK id of the key that verified it (`None` for cookies, whose keys are rotated
    /// rather than revoked).
    pub key_id: Option<&'a str>,
}

/// What a store keeps about a value: its kind, and the base64url SHA-256 of the value.
pub(crate) fn entry_name(kind: &str, value: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"paseto-auth:")
        .chain_update(kind.as_bytes())
        .chain_update(b":")
        .chain_update(value.as_bytes())
        .finalize();
    let mut name = String::with_capacity(kind.len() + 44);
    name.push_str(kind);
    name.push(':');
    name.push_str(&Base64UrlUnpadded::encode_string(&digest));
    name
}

/// Whether a subject revocation at `before` (unix seconds) covers a token issued at `issued_at`.
pub(crate) fn subject_covers(before: i64, issued_at: Option<OffsetDateTime>) -> bool {
    issued_at.is_none_or(|iat| iat.unix_timestamp() <= before)
}

/// A [`TokenStore`] with the policy of asking it: a timeout, and what a failure means.
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::store::{MemoryStore, Revocations};
///
/// let revocations = Revocations::new(MemoryStore::new())
///     .timeout(Duration::from_millis(50))
///     .fail_open(false); // the default: a failing store refuses tokens (503)
/// # let _ = revocations;
/// ```
#[derive(Clone)]
pub struct Revocations {
    store: Arc<dyn TokenStore>,
    timeout: Duration,
    fail_open: bool,
}

/// The default time a store may take to answer: 100 ms.
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_millis(100);

impl Revocations {
    /// Revocations kept in `store`, with the [`DEFAULT_STORE_TIMEOUT`], failing closed.
    pub fn new(store: impl TokenStore) -> Self {
        Self::shared(Arc::new(store))
    }

    /// The same, for a store already shared.
    pub fn shared(store: Arc<dyn TokenStore>) -> Self {
        Revocations {
            store,
            timeout: DEFAULT_STORE_TIMEOUT,
            fail_open: false,
        }
    }

    /// How long a store call may take before it counts as failed (default 100 ms): a request
    /// never waits longer on a dead store.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// What a failing or slow store means for a token: refused, answered 503 (`false`, the
    /// default: fail closed), or accepted (`true`: fail open, for availability over
    /// revocation). Either way the failure is logged.
    #[must_use]
    pub fn fail_open(mut self, open: bool) -> Self {
        self.fail_open = open;
        self
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// Refuses a revoked token ([`Error::Revoked`]); a store failure is
    /// [`Error::StoreUnavailable`], or nothing when failing open.
    pub async fn check(&self, token: TokenRef<'_>) -> Result<(), Error> {
        match self.call(self.store.check(token)).await {
            Ok(None) => Ok(()),
            Ok(Some(by)) => Err(Error::Revoked(by)),
            Err(err) if self.fail_open => {
                tracing::warn!(error = %err, "token store failed; failing open: the token is accepted");
                Ok(())
            }
            Err(err) => {
                tracing::error!(error = %err, "token store failed; failing closed: the token is refused");
                Err(Error::StoreUnavailable(err))
            }
        }
    }

    /// Revokes the token whose `jti` is `token_id` until `expires_at`.
    pub async fn revoke_token(
        &self,
        token_id: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.call(self.store.revoke_token(token_id, expires_at))
            .await
    }

    /// Revokes every token of `subject` issued before `before`.
    pub async fn revoke_subject(
        &self,
        subject: &str,
        before: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.call(self.store.revoke_subject(subject, before)).await
    }

    /// Revokes every token verified by the key with PASERK id `key_id`.
    pub async fn revoke_key(&self, key_id: &str) -> Result<(), StoreError> {
        self.call(self.store.revoke_key(key_id)).await
    }

    async fn call<T>(&self, mut call: StoreFuture<'_, T>) -> Result<T, StoreError> {
        // A store that answers at once (the memory store always does) needs no timer: arming
        // one costs more than the check.
        let now = std::future::poll_fn(|cx| {
            Poll::Ready(match call.as_mut().poll(cx) {
                Poll::Ready(result) => Some(result),
                Poll::Pending => None,
            })
        })
        .await;
        if let Some(result) = now {
            return result;
        }
        match tokio::time::timeout(self.timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::Timeout(self.timeout)),
        }
    }
}

impl fmt::Debug for Revocations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Revocations")
            .field("timeout", &self.timeout)
            .field("fail_open", &self.fail_open)
            .finish_non_exhaustive()
    }
}
