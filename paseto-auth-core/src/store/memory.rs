//! The embedded store: revocations in this process's memory, for a service of one instance.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use sha2::{Digest, Sha256};

use super::{
    RevokedBy, Rotated, Rotation, StoreError, StoreFuture, TokenRef, TokenStore, subject_covers,
};

/// How many unexpired revocations a [`MemoryStore`] holds by default.
pub const DEFAULT_MEMORY_CAPACITY: usize = 100_000;

/// How long a subject revocation is kept by default: 400 days, the longest a browser keeps a
/// cookie, and longer than any token this crate issues by default lives.
pub const DEFAULT_SUBJECT_RETENTION: Duration = Duration::from_secs(400 * 24 * 60 * 60);

/// Ids up to this long are kept as they are; longer ones by their hash, so that no entry costs
/// more memory than this (a token id can be kilobytes).
const MAX_KEPT_ID_LEN: usize = 64;

/// How often a full store looks for expired entries to make room: at most once a second, so a
/// flood of revocations into a full store costs each one a lookup, not a scan of the store.
const PURGE_INTERVAL_SECS: i64 = 1;

/// Revocations in this process's memory: the default store of one instance (use `RedisStore`
/// when there are several). Bounded: entries expire with their tokens and are purged as new ones
/// come, without a background thread; when it is full of unexpired revocations, revoking fails
/// ([`StoreError::Full`]) rather than forget one. Checks take a read lock, so they do not wait
/// on each other, and look ids up as they are, without hashing or copying them.
///
/// Sizing (measured by `benches/store_memory.rs`; `paseto_auth::docs::performance` gives the figures):
/// a revocation or a refresh family's generation costs under a hundred bytes with ids as the
/// issuer writes them, so the default capacity of 100 000 is some 10 MB; a refresh's answer,
/// kept for the reuse grace only, costs about 1.4 KB while it lasts. Only revocations take room
/// (a logout, a revoked token, a refresh family's generation and its last answer), and each
/// leaves when its token (or the grace) expires: size it for the revocations of one token
/// lifetime. Revoking is something a caller does once
/// logged in, so a full store is also a sign that revocations are being flooded; rate-limit
/// the logout and refresh routes.
#[derive(Debug)]
pub struct MemoryStore {
    entries: RwLock<Entries>,
    capacity: usize,
    subject_retention: Duration,
}

/// Revoked ids of one kind → (a unix time, when the entry expires as unix seconds; `i64::MAX`
/// for never). For subjects the time is the revocation's `before`.
type Revoked = HashMap<Box<str>, (i64, i64)>;

#[derive(Debug, Default)]
struct Entries {
    tokens: Revoked,
    families: Revoked,
    subjects: Revoked,
    keys: Revoked,
    /// Refresh families → their current generation.
    generations: Revoked,
    /// Refresh families → the answer of their last rotation, kept for retries within the grace.
    answers: Answers,
    /// When expired entries were last purged (unix seconds).
    purged_at: i64,
}

/// Refresh families → the answer of their last rotation, with the order they expire in: an
/// answer lives seconds, and each rotation drops the expired ones from the front, so they never
/// pile up waiting for the store to fill.
///
/// Beside them, each family's last generation whose use was retried (kept as long as the
/// family's generation): a retry of the next generation too is taken for a reuse.
#[derive(Debug, Default)]
struct Answers {
    by_family: HashMap<Box<str>, Answer>,
    expiry: VecDeque<(Instant, Box<str>)>,
    retried: Revoked,
}

impl Answers {
    fn len(&self) -> usize {
        self.by_family.len() + self.retried.len()
    }

    /// Drops the answers expired at `now`.
    fn drop_expired(&mut self, now: Instant) {
        while let Some((until, _)) = self.expiry.front()
            && *until <= now
        {
            if let Some((_, family)) = self.expiry.pop_front()
                && self
                    .by_family
                    .get(&family)
                    .is_some_and(|answer| answer.until <= now)
            {
                self.by_family.remove(&family);
            }
        }
    }

    /// The answer for a retry of the use of generation `used` of `family` at `now`.
    fn for_retry(&self, family: &str, used: i64, now: Instant) -> Option<&Answer> {
        self.by_family
            .get(family)
            .filter(|answer| answer.used == used && answer.until > now)
    }

    fn insert(&mut self, family: Box<str>, answer: Answer) {
        self.expiry.push_back((answer.until, family.clone()));
        self.by_family.insert(family, answer);
    }

    fn remove(&mut self, family: &str) {
        self.by_family.remove(family);
    }
}

/// The answer of a family's last rotation: for the retry of the use of generation `used`,
/// until `until`.
#[derive(Debug)]
struct Answer {
    used: i64,
    sealed: Box<[u8]>,
    until: Instant,
}

impl Entries {
    fn len(&self) -> usize {
        self.tokens.len()
            + self.families.len()
            + self.subjects.len()
            + self.keys.len()
            + self.generations.len()
            + self.answers.len()
    }

    /// Drops expired entries, unless that was done less than [`PURGE_INTERVAL_SECS`] ago.
    fn purge(&mut self, now: i64) {
        if now - self.purged_at < PURGE_INTERVAL_SECS {
            return;
        }
        self.purged_at = now;
        for map in [
            &mut self.tokens,
            &mut self.families,
            &mut self.subjects,
            &mut self.keys,
            &mut self.generations,
        ] {
            map.retain(|_, (_, expires)| *expires > now);
        }
        self.answers.drop_expired(Instant::now());
        self.answers
            .retried
            .retain(|_, (_, expires)| *expires > now);
    }
}

/// How an id is kept: as it is, or (when long) by its hash, written `#` and 64 hex digits: 65
/// characters, longer than any id kept as it is, so no id can pose as another's hash.
fn kept(id: &str) -> Cow<'_, str> {
    if id.len() <= MAX_KEPT_ID_LEN {
        Cow::Borrowed(id)
    } else {
        let mut name = String::with_capacity(65);
        name.push('#');
        for byte in Sha256::digest(id.as_bytes()) {
            let _ = write!(name, "{byte:02x}");
        }
        Cow::Owned(name)
    }
}

/// The time of `id`'s entry in `map`, if it is live at `now` (unix seconds).
fn live(map: &Revoked, id: &str, now: i64) -> Option<i64> {
    map.get(kept(id).as_ref())
        .filter(|(_, expires)| *expires > now)
        .map(|(value, _)| *value)
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

/// Which map a kind of revocation lives in.
#[derive(Clone, Copy)]
enum Kind {
    Token,
    Family,
    Subject,
    Key,
    Generation,
}

impl Kind {
    fn map(self, entries: &mut Entries) -> &mut Revoked {
        match self {
            Kind::Token => &mut entries.tokens,
            Kind::Family => &mut entries.families,
            Kind::Subject => &mut entries.subjects,
            Kind::Key => &mut entries.keys,
            Kind::Generation => &mut entries.generations,
        }
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
        self.read(Entries::len)
    }

    /// Whether no revocation is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read<T>(&self, f: impl FnOnce(&Entries) -> T) -> T {
        f(&self.entries.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Records `id` of `kind` → `(value, expires)`. A later revocation of the same thing only
    /// ever widens it.
    fn insert(&self, kind: Kind, id: &str, value: i64, expires: i64) -> Result<(), StoreError> {
        self.upsert(kind, id, |live, _| {
            let widened = match live {
                Some((old_value, old_expires)) => (old_value.max(value), old_expires.max(expires)),
                None => (value, expires),
            };
            (Some(widened), ())
        })
    }

    /// Writes `id`'s entry of `kind` as `update` makes it from the live one (`None` when there
    /// is none, or it has expired; it returns `None` to write nothing), purging expired entries
    /// when the store is full, and returns what `update` says. `update` may also change the
    /// refresh answers (a rotation's generation and answer move together). One write lock: no
    /// other call sees or writes in between.
    fn upsert<T>(
        &self,
        kind: Kind,
        id: &str,
        update: impl FnOnce(Option<(i64, i64)>, &mut Answers) -> (Option<(i64, i64)>, T),
    ) -> Result<T, StoreError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let id = kept(id);
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        let map = kind.map(&mut entries);
        let present = map.get(id.as_ref()).copied();
        let live = present.filter(|(_, expires)| *expires > now);
        if present.is_none() && entries.len() >= self.capacity {
            entries.purge(now);
            if entries.len() >= self.capacity {
                return Err(StoreError::Full(entries.len()));
            }
        }
        let (new, answer) = update(live, &mut entries.answers);
        if let Some(new) = new {
            kind.map(&mut entries)
                .insert(id.into_owned().into_boxed_str(), new);
        }
        Ok(answer)
    }

    /// [`TokenStore::rotate`].
    fn rotate_now(&self, rotation: Rotation<'_>) -> Result<Rotated, StoreError> {
        let until = rotation.until.unix_timestamp();
        let used = i64::try_from(rotation.generation).unwrap_or(i64::MAX);
        // The answers are kept under the name the generations are.
        let family = kept(rotation.family).into_owned().into_boxed_str();
        let now = Instant::now();
        self.upsert(Kind::Generation, rotation.family, |live, answers| {
            answers.drop_expired(now);
            let (current, expires) = live.unwrap_or((0, until));
            if current == used {
                if rotation.grace.is_zero() {
                    answers.remove(&family);
                } else {
                    let answer = Answer {
                        used,
                        sealed: rotation.answer.into(),
                        until: now.checked_add(rotation.grace).unwrap_or(now),
                    };
                    answers.insert(family, answer);
                }
                let rotated = (used.saturating_add(1), expires.max(until));
                return (Some(rotated), Rotated::Rotated);
            }
            let Some(answer) = answers
                .for_retry(&family, used, now)
                .filter(|_| current == used.saturating_add(1))
            else {
                return (None, Rotated::Reused);
            };
            let sealed = answer.sealed.to_vec();
            // The use before was retried too: two copies in step (see `Rotation`).
            let previous = answers
                .retried
                .get(&family)
                .map(|(generation, _)| *generation);
            if previous == Some(used.saturating_sub(1)) {
                return (None, Rotated::Reused);
            }
            answers.retried.insert(family, (used, expires));
            (None, Rotated::Retried(sealed))
        })
    }
}

impl TokenStore for MemoryStore {
    fn revoke_token<'a>(
        &'a self,
        token_id: &'a str,
        expires_at: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let result = self.insert(Kind::Token, token_id, 0, expires_at.unix_timestamp());
        Box::pin(async move { result })
    }

    fn revoke_family<'a>(&'a self, family: &'a str, until: OffsetDateTime) -> StoreFuture<'a, ()> {
        let result = self.insert(Kind::Family, family, 0, until.unix_timestamp());
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
            Kind::Subject,
            subject,
            before,
            before.saturating_add(retention),
        );
        Box::pin(async move { result })
    }

    fn revoke_key<'a>(&'a self, key_id: &'a str) -> StoreFuture<'a, ()> {
        let result = self.insert(Kind::Key, key_id, 0, i64::MAX);
        Box::pin(async move { result })
    }

    fn rotate<'a>(&'a self, rotation: Rotation<'a>) -> StoreFuture<'a, Rotated> {
        let result = self.rotate_now(rotation);
        Box::pin(async move { result })
    }

    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let revoked = self.read(|entries| {
            let by_id = |jti: &str| live(&entries.tokens, jti, now).is_some();
            let by_family = |fam: &str| live(&entries.families, fam, now).is_some();
            let by_subject = |sub: &str| {
                live(&entries.subjects, sub, now)
                    .is_some_and(|before| subject_covers(before, token.issued_at))
            };
            let by_key = |kid: &str| live(&entries.keys, kid, now).is_some();
            if token.token_id.is_some_and(by_id) {
                Some(RevokedBy::TokenId)
            } else if token.family.is_some_and(by_family) {
                Some(RevokedBy::Family)
            } else if token.subject.is_some_and(by_subject) {
                Some(RevokedBy::Subject)
            } else if token.key_id.is_some_and(by_key) {
                Some(RevokedBy::Key)
            } else {
                None
            }
        });
        Box::pin(async move { Ok(revoked) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_id_is_kept_by_a_name_no_short_id_can_have() {
        let long = "x".repeat(MAX_KEPT_ID_LEN + 1);
        let name = kept(&long);
        assert_eq!(name.len(), MAX_KEPT_ID_LEN + 1);
        assert!(name.starts_with('#'));
        assert_eq!(kept("short"), "short");
        // Revoked by its long id, the token is; a token whose id is that name is not.
        let store = MemoryStore::new();
        let far = i64::MAX;
        store.insert(Kind::Token, &long, 0, far).unwrap();
        let now = OffsetDateTime::now_utc().unix_timestamp();
        store.read(|entries| {
            assert!(live(&entries.tokens, &long, now).is_some());
            assert!(live(&entries.tokens, &name, now).is_none());
        });
    }
}
