//! The verified-token cache: a bearer token seen again skips its signature check.
//!
//! A service sees the same access token on many requests, and the signature check is most of
//! what verifying one costs. The cache keeps, by the token's exact text, what verification
//! found out independently of the route and of the time — that the token is authentic, under
//! which key, with which claims — and nothing else:
//!
//! - every check that depends on the time or the route runs again on every hit: `exp`, `nbf`
//!   and `iat` against the clock, the verifier's and the route's requirements, the route's
//!   version and purpose, and (in `PasetoAuth`) the revocation store;
//! - an entry leaves after a maximum age (5 minutes by default), and is never used past `exp`;
//! - it belongs to one verifier, and to one generation of its keys: a key ring swapped at run
//!   time ([`Verifier::replace_keys`](crate::Verifier::replace_keys), a fetched key set) empties
//!   it, an entry records its ring's generation and its key's not-after, and an entry of another
//!   generation, or past its key's not-after, is never answered;
//! - only access tokens are cached (never a refresh token, never a refusal), and only from their
//!   second verification on: a token seen once is only remembered by its hash (8 bytes in a
//!   fixed table), so a stream of tokens each seen once — a client that never reuses one, or a
//!   flood — costs a hash per token, not an entry;
//! - it is bounded in entries and in bytes, and evicts with quick_cache's S3-FIFO policy, chosen
//!   by measurement against moka and a `HashMap` behind an `RwLock` (the README's "Performance"
//!   has the figures).
//!
//! Hits and misses are counted ([`Verifier::cache_stats`](crate::Verifier::cache_stats)) and
//! each is a `trace` event (`hit`, `total`) for a subscriber that wants them.
//!
//! **Timing.** A hit answers faster than a miss, so an observer can tell whether a token they
//! send was already cached. That reveals nothing they can use to forge one: only tokens that
//! verified are ever inserted, so a hit needs the exact text of a valid token, which is the
//! credential itself. The lookup hashes the token with a randomly seeded hasher, so an attacker
//! cannot aim guesses at the bucket of a cached token to time the byte comparison either.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use quick_cache::Weighter;
use quick_cache::sync::Cache;
use time::OffsetDateTime;

/// How many tokens a verifier's cache holds by default (`PASETO_VERIFY_CACHE_SIZE`).
pub const DEFAULT_CACHE_SIZE: usize = 10_000;

/// How long a token stays cached at most, by default.
pub const DEFAULT_CACHE_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// What an entry is assumed to take beside its token's text: the claims, the key id, the map.
const ENTRY_OVERHEAD: u64 = 1024;

/// A token's verification (`V`: the verifier's verified token), as the cache keeps it: shared
/// with the requests that use it, never copied.
pub(crate) struct Verified<V> {
    pub(crate) token: Arc<V>,
    cached_at: Instant,
    /// The generation of the key ring that verified it.
    generation: u64,
    /// The not-after of the key that verified it.
    key_not_after: Option<OffsetDateTime>,
}

/// An entry weighs its token's length and an allowance for the rest, so the cache holds at
/// most about `size` entries of ordinary tokens and never more than `size` KiB.
#[derive(Clone)]
struct Bytes;

impl<V> Weighter<Box<str>, Arc<Verified<V>>> for Bytes {
    fn weight(&self, key: &Box<str>, _: &Arc<Verified<V>>) -> u64 {
        key.len() as u64 + ENTRY_OVERHEAD
    }
}

/// The cache of one verifier, of its verified tokens `V` (kept generic so that this module needs
/// nothing of the verifier's).
pub(crate) struct VerifyCache<V> {
    entries: Cache<Box<str>, Arc<Verified<V>>, Bytes>,
    /// The hashes of tokens verified once: the doorkeeper a token passes into `entries` the
    /// second time it is verified. A slot holds one hash; a collision forgets the older one.
    seen_once: Box<[AtomicU64]>,
    hasher: RandomState,
    max_age: Duration,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How a verifier's cache has done: for metrics and tuning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Tokens found in the cache (their signature was not checked again).
    pub hits: u64,
    /// Tokens verified in full (and then cached).
    pub misses: u64,
    /// Tokens held now.
    pub entries: usize,
}

impl<V> VerifyCache<V> {
    /// A cache of about `size` tokens, each kept at most `max_age`.
    pub(crate) fn new(size: usize, max_age: Duration) -> Self {
        let bytes = (size as u64).saturating_mul(ENTRY_OVERHEAD + 512);
        let slots = size.saturating_mul(2).next_power_of_two();
        VerifyCache {
            entries: Cache::with_weighter(size, bytes, Bytes),
            seen_once: (0..slots).map(|_| AtomicU64::new(0)).collect(),
            hasher: RandomState::new(),
            max_age,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The verification of `token`, if it is cached, not too old, made under the key ring of
    /// `generation`, and its key is still in force at `now`.
    pub(crate) fn get(
        &self,
        token: &str,
        generation: u64,
        now: OffsetDateTime,
    ) -> Option<Arc<Verified<V>>> {
        let found = self.entries.get(token).filter(|entry| {
            entry.cached_at.elapsed() < self.max_age
                && entry.generation == generation
                && entry.key_not_after.is_none_or(|end| now <= end)
        });
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        let total = counter.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::trace!(hit = found.is_some(), total, "verified-token cache");
        crate::metrics::cache(found.is_some());
        found
    }

    /// Whether `token`, just verified in full, is worth keeping: the second time it is seen
    /// (the first time only its hash is noted).
    pub(crate) fn admits(&self, token: &str) -> bool {
        // Never 0, the empty slot's value.
        let hash = self.hasher.hash_one(token) | 1;
        let slot = &self.seen_once[hash as usize & (self.seen_once.len() - 1)];
        slot.swap(hash, Ordering::Relaxed) == hash
    }

    /// Keeps the verification of `token`, made under the key ring of `generation` with a key in
    /// force until `key_not_after`.
    pub(crate) fn insert(
        &self,
        token: &str,
        verified: Arc<V>,
        generation: u64,
        key_not_after: Option<OffsetDateTime>,
    ) {
        let entry = Verified {
            token: verified,
            cached_at: Instant::now(),
            generation,
            key_not_after,
        };
        self.entries.insert(token.into(), Arc::new(entry));
    }

    /// Forgets every entry (the key ring was replaced).
    pub(crate) fn clear(&self) {
        self.entries.clear();
    }

    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.entries.len(),
        }
    }
}

impl<V> std::fmt::Debug for VerifyCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyCache")
            .field("max_age", &self.max_age)
            .field("stats", &self.stats())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::kind::TokenKind;
    use crate::{Issuer, PairOptions, Requirements, Verifier, Version, key::SecretKey};

    #[test]
    fn refresh_tokens_never_touch_the_cache() {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let issuer = Issuer::builder()
            .key(secret.clone())
            .use_iss(false)
            .build()
            .unwrap();
        let verifier = Verifier::builder()
            .unbound_public_key(secret.public_key().clone())
            .build()
            .unwrap();
        let pair = issuer.issue_pair(&json!({}), PairOptions::new()).unwrap();
        for _ in 0..3 {
            verifier
                .verify_kind(
                    &pair.refresh_token,
                    &Requirements::new(),
                    TokenKind::Refresh,
                )
                .unwrap();
        }
        let stats = verifier.cache_stats().unwrap();
        assert_eq!((stats.hits, stats.misses, stats.entries), (0, 0, 0));
    }
}
