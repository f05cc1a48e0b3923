//! The verified-token cache: a bearer token seen again skips its signature check. What it keeps
//! and what runs again on a hit is documented where it is set up,
//! [`VerifierBuilder::cache_size`](crate::VerifierBuilder::cache_size).

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
