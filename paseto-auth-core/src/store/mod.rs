//! Revocation state, the one place it lives: which tokens, subjects and keys are revoked. A
//! [`TokenStore`] holds it — [`MemoryStore`] in the process (the default for one instance), or
//! `RedisStore` (the `paseto-auth-redis` crate) shared by every instance of a service — and
//! [`Revocations`]
//! asks it, with a timeout and a failure policy, for the guards and the login manager. A shared
//! store may answer checks from a local copy in each instance ([`mirror`]), pushed to it by the
//! store, trusted for a bounded staleness.
//!
//! What can be revoked:
//!
//! - **one token**, by its `jti`, until its `exp` (the entry expires with the token, so the store
//!   stays small);
//! - **a family of tokens**, by the id they share (the `fam` of a login: its session cookie, its
//!   remember-me cookie and every re-sealed copy of them), until the last of them expires;
//! - **every token of a subject issued before a time** ("log out everywhere"): one entry per
//!   subject, checked against each token's `iat`; a token of that subject without `iat` is
//!   revoked too, since nothing shows it is newer. Times are whole seconds, so a token issued in
//!   the very second of the revocation is revoked as well (log in again a second later);
//! - **every token signed by a key**, by its PASERK id (a key compromise), until the key leaves
//!   the configuration.
//!
//! And one more record, for refresh tokens: each family's **current generation**
//! ([`TokenStore::rotate`]), advanced atomically across instances at each refresh, so that a
//! refresh token replayed after its use is seen.
//!
//! Ids and subjects are attacker-influenced text, and a store never lets one reach another entry:
//! the memory store keeps short ones as map keys and long ones by their hash, and Redis names
//! every entry by a hash (SHA-256, base64url: 43 letters, digits, `-` and `_`), so `*`, `\r\n`
//! or a long string is just another hash.

pub mod epoch;
pub(crate) mod error;
mod memory;
pub mod mirror;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::error::Error;
use crate::logs::{Refusal, refusal};
use crate::settings::{Namespace, Settings};
pub use error::{RevokedBy, StoreError};
use tracing::Level;

pub use memory::{DEFAULT_MEMORY_CAPACITY, DEFAULT_SUBJECT_RETENTION, MemoryStore};

/// The future of a [`TokenStore`] call.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A store of revocations, shared by every instance that uses the same one.
///
/// Implement it to keep revocations elsewhere (a database, say): [`MemoryStore`] is this
/// crate's, `RedisStore` is in `paseto-auth-redis`, and `tests/store_conformance.rs` holds every
/// store to the same rules. Every method is one round trip at most.
pub trait TokenStore: Send + Sync + 'static {
    /// Revokes the token whose `jti` is `token_id`, until `expires_at` (its `exp`, after which it
    /// is refused anyway). A later call with an earlier time does not shorten it.
    fn revoke_token<'a>(
        &'a self,
        token_id: &'a str,
        expires_at: OffsetDateTime,
    ) -> StoreFuture<'a, ()>;

    /// Revokes every token of the family `family` until `until` (when the last token of the
    /// family that can exist expires). Like every revocation, it only ever widens: an earlier
    /// `until` than one already recorded changes nothing.
    fn revoke_family<'a>(&'a self, family: &'a str, until: OffsetDateTime) -> StoreFuture<'a, ()>;

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

    /// [`check`](Self::check), asked of the shared store itself where a store answers checks
    /// from a local [`mirror`] (the default: `check`). For decisions that mint tokens from
    /// records only the shared store holds — a refresh, whose generation a store that lost its
    /// data no longer knows: the store's epoch must be read before the rotation, not up to a
    /// heartbeat later.
    fn check_at_source<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        self.check(token)
    }

    /// Uses the refresh token of generation `rotation.generation` of `rotation.family`
    /// ([`Rotation`]): when that is the family's current generation (a family never seen is at
    /// generation 0), it becomes `generation + 1`, kept until `rotation.until` (or later, if
    /// already so), the answer `rotation.answer` is kept for `rotation.grace`, and the result is
    /// [`Rotated::Rotated`]. When the family is already one generation further and the answer of
    /// that rotation is still kept, the call is a retry of it (a timed-out request, a double
    /// click): [`Rotated::Retried`] with that answer, changing nothing. Otherwise the token was
    /// used before: [`Rotated::Reused`], changing nothing. A retry of a generation whose previous
    /// generation was retried too is a reuse as well: a thief whose copy refreshes in step with
    /// the user's (each within the grace of the other) is caught at the second generation, not
    /// answered for ever. Atomic: of any number of concurrent
    /// calls for one family and generation, on any number of instances, exactly one rotates. One
    /// entry per family, however often it is refreshed.
    fn rotate<'a>(&'a self, rotation: Rotation<'a>) -> StoreFuture<'a, Rotated>;
}

/// What a store checks of a verified token.
///
/// ```
/// use paseto_auth_core::store::TokenRef;
///
/// let token = TokenRef { token_id: Some("3f9a…"), subject: Some("alice"), ..TokenRef::default() };
/// # let _ = token;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// The token's `jti`.
    pub token_id: Option<&'a str>,
    /// The family it belongs to (a login's cookies share one).
    pub family: Option<&'a str>,
    /// The token's `sub`.
    pub subject: Option<&'a str>,
    /// The token's `iat`.
    pub issued_at: Option<OffsetDateTime>,
    /// The PASERK id of the key that verified it (`None` for cookies, whose keys are rotated
    /// rather than revoked).
    pub key_id: Option<&'a str>,
}

/// One use of a refresh token, as [`TokenStore::rotate`] records it.
#[derive(Debug, Clone, Copy)]
pub struct Rotation<'a> {
    /// The refresh family.
    pub family: &'a str,
    /// The generation of the refresh token presented.
    pub generation: u64,
    /// How long the family's generation must be kept (its last refresh token's expiry).
    pub until: OffsetDateTime,
    /// What the rotation answered, sealed so that only a holder of the refresh token presented
    /// can open it (see [`crate::refresh`]): given back to a retry of the same use.
    pub answer: &'a [u8],
    /// How long the answer is kept for retries; zero keeps none (every second use is a reuse).
    pub grace: Duration,
}

/// What [`TokenStore::rotate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotated {
    /// The generation presented was the current one: the family moved on.
    Rotated,
    /// The generation presented was rotated within the grace window: the answer that rotation
    /// recorded, for the retry to give again.
    Retried(Vec<u8>),
    /// The generation presented was used before, outside the grace window: a replay.
    Reused,
}

/// Whether a subject revocation at `before` (unix seconds) covers a token issued at `issued_at`.
#[doc(hidden)]
pub fn subject_covers(before: i64, issued_at: Option<OffsetDateTime>) -> bool {
    issued_at.is_none_or(|iat| iat.unix_timestamp() <= before)
}

/// A [`TokenStore`] with the policy of asking it: a timeout, and what a failure means.
///
/// ```
/// use std::time::{Duration, Instant};
/// use paseto_auth_core::store::{MemoryStore, Revocations};
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

    /// The names the revocation policy owns in a file of settings: `PASETO_STORE_*` (see
    /// [`crate::settings`]).
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_STORE_"],
        except: &[],
        names: &["PASETO_STORE_FAIL_OPEN", "PASETO_STORE_TIMEOUT_MS"],
    };

    /// [`Revocations::new`] with the policy the environment sets: `PASETO_STORE_FAIL_OPEN`
    /// (`true`/`false`, `1`/`0`, `yes`/`no`; default false: fail closed) and
    /// `PASETO_STORE_TIMEOUT_MS` (milliseconds, default 100). A value that does not parse is an
    /// [`Error::Config`] naming its setting: a typo never silently changes the policy.
    pub fn from_env(store: impl TokenStore) -> Result<Self, Error> {
        Self::from_settings(store, &Settings::env())
    }

    /// [`from_env`](Self::from_env) with the policy `settings` sets; an unknown
    /// `PASETO_STORE_*` name is an error.
    pub fn from_settings(store: impl TokenStore, settings: &Settings) -> Result<Self, Error> {
        const TIMEOUT: &str = "PASETO_STORE_TIMEOUT_MS";
        settings.check_names(&Self::NAMESPACE)?;
        let mut revocations = Self::new(store);
        if let Some(open) = settings.bool("PASETO_STORE_FAIL_OPEN")? {
            revocations.fail_open = open;
        }
        if let Some(timeout) = settings.millis(TIMEOUT)? {
            if timeout.is_zero() {
                return Err(Error::config(TIMEOUT, "must be at least 1 millisecond"));
            }
            revocations.timeout = timeout;
        }
        Ok(revocations)
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
        match self.call("check", self.store.check(token)).await {
            Ok(None) => Ok(()),
            Ok(Some(by)) => Err(Error::Revoked(by)),
            Err(err) if self.fail_open => {
                refusal!(
                    Level::WARN,
                    Refusal::StoreFailure,
                    "token store failed; failing open: the token is accepted",
                    error = %err
                );
                Ok(())
            }
            Err(err) => {
                refusal!(
                    Level::ERROR,
                    Refusal::StoreFailure,
                    "token store failed; failing closed: the token is refused",
                    error = %err
                );
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
        self.call("revoke", self.store.revoke_token(token_id, expires_at))
            .await
    }

    /// Revokes every token of the family `family` until `until`.
    pub async fn revoke_family(
        &self,
        family: &str,
        until: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.call("revoke", self.store.revoke_family(family, until))
            .await
    }

    /// Revokes every token of `subject` issued before `before`.
    pub async fn revoke_subject(
        &self,
        subject: &str,
        before: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.call("revoke", self.store.revoke_subject(subject, before))
            .await
    }

    /// Revokes every token verified by the key with PASERK id `key_id`.
    pub async fn revoke_key(&self, key_id: &str) -> Result<(), StoreError> {
        self.call("revoke", self.store.revoke_key(key_id)).await
    }

    /// Uses a refresh token ([`TokenStore::rotate`]). A failure is an error whatever the
    /// policy: a use that cannot be recorded cannot be allowed (failing open would let a stolen
    /// refresh token be replayed unseen).
    pub async fn rotate(&self, rotation: Rotation<'_>) -> Result<Rotated, StoreError> {
        self.call("rotate", self.store.rotate(rotation)).await
    }

    /// [`check`](Self::check) at the store's source ([`TokenStore::check_at_source`]), failing
    /// closed whatever the policy: for decisions that mint new tokens (a refresh), which would
    /// outlive a revocation missed while the store was down.
    pub(crate) async fn check_closed(&self, token: TokenRef<'_>) -> Result<(), Error> {
        match self.call("check", self.store.check_at_source(token)).await {
            Ok(None) => Ok(()),
            Ok(Some(by)) => Err(Error::Revoked(by)),
            Err(err) => Err(Error::StoreUnavailable(err)),
        }
    }

    /// Runs one store call (`op`, for the metrics) within the timeout.
    async fn call<T>(&self, op: &'static str, call: StoreFuture<'_, T>) -> Result<T, StoreError> {
        let started = Instant::now();
        let result = self.within_timeout(call).await;
        let outcome = match &result {
            Ok(_) => "ok",
            Err(StoreError::Timeout(_)) => "timeout",
            Err(_) => "error",
        };
        crate::metrics::store_call(op, outcome, started.elapsed());
        result
    }

    async fn within_timeout<T>(&self, mut call: StoreFuture<'_, T>) -> Result<T, StoreError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn from(settings: &[(&str, &str)]) -> Result<Revocations, Error> {
        Revocations::from_settings(
            MemoryStore::new(),
            &Settings::from_pairs(settings.iter().copied()),
        )
    }

    #[test]
    fn the_failure_policy_reads_every_boolean_spelling_and_refuses_the_rest() {
        for (value, open) in [
            ("true", true),
            ("TRUE", true),
            ("1", true),
            ("yes", true),
            ("false", false),
            ("0", false),
            ("No", false),
        ] {
            let revocations = from(&[("PASETO_STORE_FAIL_OPEN", value)]).unwrap();
            assert_eq!(revocations.fail_open, open, "{value}");
        }
        assert!(!from(&[]).unwrap().fail_open, "fails closed by default");
        for typo in ["ture", "enabled", "", "2"] {
            let err = from(&[("PASETO_STORE_FAIL_OPEN", typo)]).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::CONFIG, "{typo}");
            assert!(err.to_string().contains("PASETO_STORE_FAIL_OPEN"), "{err}");
        }
    }

    #[test]
    fn the_timeout_is_whole_positive_milliseconds() {
        let revocations = from(&[("PASETO_STORE_TIMEOUT_MS", "250")]).unwrap();
        assert_eq!(revocations.timeout, Duration::from_millis(250));
        assert_eq!(from(&[]).unwrap().timeout, DEFAULT_STORE_TIMEOUT);
        for bad in ["0", "-1", "0.5", "100ms"] {
            let err = from(&[("PASETO_STORE_TIMEOUT_MS", bad)]).unwrap_err();
            assert!(err.to_string().contains("PASETO_STORE_TIMEOUT_MS"), "{err}");
        }
    }
}
