//! The embedded store: revocations in this process's memory, for a service of one instance.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use time::OffsetDateTime;

use super::{RevokedBy, StoreError, StoreFuture, TokenRef, TokenStore, entry_name, subject_covers};

/// How many unexpired revocations a [`MemoryStore`] holds by default.
pub const DEFAULT_MEMORY_CAPACITY: usize = 100_000;

/// How long a subject revocation is kept by default: 400 days, the longest a browser keeps a
/// cookie, and longer than any token this crate issues by default lives.
pub const DEFAULT_SUBJECT_RETENTION: Duration = Duration::from_secs(400 * 24 * 60 * 60);

/// Revocations in this process's memory: the default store of one instance (use `RedisStore`
/// when there are several). Bounded: entries expire with their tokens and are purged as new ones
/// come, without a background thread; when it is full of unexpired revocations, revoking fails
/// ([`StoreError::Full`]) rather than forget one. Checks take a read lock, so they do not wait
/// on each other.
#[derive(Debug)]
pub struct MemoryStore {
    entries: RwLock<Entries>,
    capacity: usize,
    subject_retention: Duration,
}

/// Each entry: its name (see [`entry_name`]) → (a unix time, when it expires as unix seconds;
/// `i64::MAX` for never). For subjects the time is the revocation's `before`.
#[derive(Debug, Default)]
struct Entries(HashMap<String, (i64, i64)>);

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// A store of up to [`DEFAULT_MEMORY_CAPACITY`] revocations, keeping subject revocations
    /// [`DEFAULT_SUBJECT_RETENTION`].
    pub fn new() -> Self {
        MemoryStore {
            entries: RwLock::new(Entries::default()),
            capacity: DEFAULT_MEMORY_CAPACITY,
            subject_retention: DEFAULT_SUBJECT_RETENTION,
        }
    }

    /// At most `capacity` unexpired revocations.
    #[must_use]
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// How long a subject revocation is kept: at least as long as the longest-lived token of a
    /// subject (a remember-me cookie, say) that it must end.
    #[must_use]
    pub fn subject_retention(mut self, retention: Duration) -> Self {
        self.subject_retention = retention;
        self
    }

    /// How many revocations are held, expired ones not yet purged included.
    pub fn len(&self) -> usize {
        self.read(|entries| entries.0.len())
    }

    /// Whether no revocation is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read<T>(&self, f: impl FnOnce(&Entries) -> T) -> T {
        f(&self.entries.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Records `name` → `(value, expires)`, purging expired entries when the store is full.
    fn insert(&self, name: String, value: i64, expires: i64) -> Result<(), StoreError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        let map = &mut entries.0;
        if map.len() >= self.capacity && !map.contains_key(&name) {
            map.retain(|_, (_, expires)| *expires > now);
            if map.len() >= self.capacity {
                return Err(StoreError::Full(map.len()));
            }
        }
        let entry = map.entry(name).or_insert((value, expires));
        // A later revocation of the same thing only ever widens it.
        *entry = (entry.0.max(value), entry.1.max(expires));
        Ok(())
    }
}

/// A value that is live at `now` (unix seconds).
fn live(entries: &Entries, name: &str, now: i64) -> Option<i64> {
    entries
        .0
        .get(name)
        .filter(|(_, expires)| *expires > now)
        .map(|(value, _)| *value)
}

impl TokenStore for MemoryStore {
    fn revoke_token<'a>(
        &'a self,
        token_id: &'a str,
        expires_at: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let result = self.insert(entry_name("jti", token_id), 0, expires_at.unix_timestamp());
        Box::pin(async move { result })
    }

    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        before: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let retention = i64::try_from(self.subject_retention.as_secs()).unwrap_or(i64::MAX);
        let before = before.unix_timestamp();
        let result = self.insert(
            entry_name("sub", subject),
            before,
            before.saturating_add(retention),
        );
        Box::pin(async move { result })
    }

    fn revoke_key<'a>(&'a self, key_id: &'a str) -> StoreFuture<'a, ()> {
        let result = self.insert(entry_name("kid", key_id), 0, i64::MAX);
        Box::pin(async move { result })
    }

    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let revoked = self.read(|entries| {
            let by_id = token
                .token_id
                .is_some_and(|jti| live(entries, &entry_name("jti", jti), now).is_some());
            let by_subject = token.subject.is_some_and(|sub| {
                live(entries, &entry_name("sub", sub), now)
                    .is_some_and(|before| subject_covers(before, token.issued_at))
            });
            let by_key = token
                .key_id
                .is_some_and(|kid| live(entries, &entry_name("kid", kid), now).is_some());
            match (by_id, by_subject, by_key) {
                (true, _, _) => Some(RevokedBy::TokenId),
                (_, true, _) => Some(RevokedBy::Subject),
                (_, _, true) => Some(RevokedBy::Key),
                _ => None,
            }
        });
        Box::pin(async move { Ok(revoked) })
    }
}
