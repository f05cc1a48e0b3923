//! A local copy of a shared store's revocations, so that a guarded request asks no one: the
//! store pushes each revocation to every instance's [`Mirror`] (Redis: a stream), and a check
//! reads the copy in memory.
//!
//! The copy is only as good as the feed that fills it, so it knows how recently the store
//! answered it: the feed reports each answer with [`Mirror::heard`], giving the time it *sent*
//! the request (everything the store acknowledged before then is in the answer). Past
//! [`Mirror::max_staleness`] without an answer (the store paused, the feed cut off), the copy
//! stops answering ([`Mirror::check`] gives `None`) and the caller asks the store, with its
//! timeout and failure policy: a revoked token is never accepted later than the staleness bound
//! after its revocation was acknowledged.
//!
//! Entries are named by the SHA-256 of their kind and value ([`entry_id`]), as the stores name
//! them, so that the feed never carries a token id or subject, and leave the copy at the expiry
//! they cover. A copy over its capacity stops answering rather than forget a revocation.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{RevokedBy, TokenRef, subject_covers};
use crate::error::Error;
use crate::settings::{Namespace, Settings};

/// What a revocation entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// One token, by its `jti`.
    TokenId,
    /// A family of tokens.
    Family,
    /// A subject's tokens issued up to a time (the entry's value, unix seconds).
    Subject,
    /// Every token a key verified, by the key's PASERK id.
    Key,
}

impl EntryKind {
    /// `"jti"`, `"fam"`, `"sub"` or `"kid"`: the name stores give the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::TokenId => "jti",
            EntryKind::Family => "fam",
            EntryKind::Subject => "sub",
            EntryKind::Key => "kid",
        }
    }

    /// The kind named `name` ([`as_str`](Self::as_str)).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::TokenId, Self::Family, Self::Subject, Self::Key]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl From<EntryKind> for RevokedBy {
    /// Why a token an entry of `kind` covers is revoked.
    fn from(kind: EntryKind) -> Self {
        match kind {
            EntryKind::TokenId => RevokedBy::TokenId,
            EntryKind::Family => RevokedBy::Family,
            EntryKind::Subject => RevokedBy::Subject,
            EntryKind::Key => RevokedBy::Key,
        }
    }
}

/// The name of an entry: SHA-256 of `paseto-auth:`, its kind, `:` and the value it revokes.
pub type EntryId = [u8; 32];

/// The [`EntryId`] of `value` of `kind`.
pub fn entry_id(kind: EntryKind, value: &str) -> EntryId {
    digest(kind.as_str(), value)
}

/// SHA-256 of `paseto-auth:`, `kind`, `:` and `value`: how stores name what they keep (entries,
/// and a refresh family's records, whose kinds are the store's own).
pub fn digest(kind: &str, value: &str) -> EntryId {
    Sha256::new()
        .chain_update(b"paseto-auth:")
        .chain_update(kind.as_bytes())
        .chain_update(b":")
        .chain_update(value.as_bytes())
        .finalize()
        .into()
}

/// One revocation as the store holds it: its value (`1`, or a subject's time) and when it ends
/// (unix seconds; `None`: never).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `1` for a token, family or key; the time before which a subject's tokens are revoked.
    pub value: i64,
    /// When the entry stops mattering (unix seconds), `None` for never.
    pub expires: Option<i64>,
}

impl Entry {
    /// This entry and `other` together: the larger value and the later end (revocations only
    /// widen, whatever order their messages arrive in).
    fn widen(self, other: Entry) -> Entry {
        Entry {
            value: self.value.max(other.value),
            expires: self.expires.zip(other.expires).map(|(a, b)| a.max(b)),
        }
    }

    fn in_force_at(&self, now: i64) -> bool {
        self.expires.is_none_or(|end| end > now)
    }
}

/// The default [`Mirror::max_staleness`]: three seconds. A feed hears from the store three times
/// within the bound ([`Mirror::heartbeat`]), so that one late answer does not send a fleet's
/// every request to the store, while a store that stops answering is asked directly (and,
/// failing closed, answers 503) three seconds later at most — a small part of a token's
/// lifetime (an hour by default), and the time an operator's logout takes to be felt in the
/// worst case.
pub const DEFAULT_MAX_STALENESS: Duration = Duration::from_secs(3);

/// The default [`Mirror::capacity`]: a million entries (about 100 MB).
pub const DEFAULT_MIRROR_CAPACITY: usize = 1_000_000;

/// A local copy of a store's revocations (see the [module](self)).
#[derive(Debug)]
pub struct Mirror {
    entries: RwLock<HashMap<EntryId, Entry>>,
    capacity: usize,
    max_staleness: Duration,
    /// When the feed last sent a request the store answered, in nanoseconds after `origin`
    /// (`0`: never, so the copy is not trusted before its first load).
    heard: AtomicU64,
    origin: Instant,
    overflowed: AtomicBool,
}

/// The settings of a mirror, read by the stores that feed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MirrorSettings {
    /// Whether to keep a mirror (`PASETO_REVOCATION_MIRROR`, default true).
    pub enabled: bool,
    /// [`Mirror::max_staleness`] (`PASETO_REVOCATION_MAX_STALENESS`, whole seconds).
    pub max_staleness: Duration,
}

impl Default for MirrorSettings {
    fn default() -> Self {
        MirrorSettings {
            enabled: true,
            max_staleness: DEFAULT_MAX_STALENESS,
        }
    }
}

impl MirrorSettings {
    /// No mirror: every check asks the store (`PASETO_REVOCATION_MIRROR=false`).
    pub fn off() -> Self {
        MirrorSettings {
            enabled: false,
            ..MirrorSettings::default()
        }
    }

    /// The names a mirror owns in a file of settings: `PASETO_REVOCATION_*`.
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_REVOCATION_"],
        except: &[],
        names: &[
            "PASETO_REVOCATION_MIRROR",
            "PASETO_REVOCATION_MAX_STALENESS",
        ],
    };

    /// The settings `settings` holds: `PASETO_REVOCATION_MIRROR` (`true`/`false`) and
    /// `PASETO_REVOCATION_MAX_STALENESS` (whole seconds, at least 1). A bad value is an
    /// [`Error::Config`] naming its setting.
    pub fn from_settings(settings: &Settings) -> Result<Self, Error> {
        const STALENESS: &str = "PASETO_REVOCATION_MAX_STALENESS";
        settings.check_names(&Self::NAMESPACE)?;
        let mut mirror = MirrorSettings::default();
        if let Some(enabled) = settings.bool("PASETO_REVOCATION_MIRROR")? {
            mirror.enabled = enabled;
        }
        if let Some(staleness) = settings.seconds(STALENESS)? {
            if staleness.is_zero() {
                return Err(Error::config(STALENESS, "must be at least 1 second"));
            }
            mirror.max_staleness = staleness;
        }
        Ok(mirror)
    }
}

impl Mirror {
    /// An empty copy, trusted for `max_staleness` after each answer of the store.
    pub fn new(max_staleness: Duration) -> Self {
        Mirror {
            entries: RwLock::new(HashMap::new()),
            capacity: DEFAULT_MIRROR_CAPACITY,
            max_staleness,
            heard: AtomicU64::new(0),
            origin: Instant::now(),
            overflowed: AtomicBool::new(false),
        }
    }

    /// At most `capacity` entries (default [`DEFAULT_MIRROR_CAPACITY`]); past it the copy stops
    /// answering, and every check asks the store.
    #[must_use]
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity;
        self
    }

    /// How long after the store's last answer the copy is trusted.
    pub fn max_staleness(&self) -> Duration {
        self.max_staleness
    }

    /// How often a feed should hear from the store: a third of the staleness bound, so that
    /// two answers may be late before the copy stops answering.
    pub fn heartbeat(&self) -> Duration {
        self.max_staleness / 3
    }

    /// Records `entry` under `id` (widening what is there).
    pub fn apply(&self, id: EntryId, entry: Entry) {
        let mut entries = self.entries.write().unwrap_or_else(|err| err.into_inner());
        let merged = match entries.get(&id) {
            Some(old) => old.widen(entry),
            None => entry,
        };
        entries.insert(id, merged);
        if entries.len() > self.capacity && !self.overflowed.swap(true, Ordering::Relaxed) {
            tracing::error!(
                capacity = self.capacity,
                "the revocation mirror is full: every check asks the store until entries expire"
            );
        }
        crate::metrics::mirror_entries(entries.len());
    }

    /// The store answered a request the feed sent at `sent`: everything acknowledged before
    /// then is in the copy.
    pub fn heard(&self, sent: Instant) {
        let since = sent.saturating_duration_since(self.origin);
        let nanos = u64::try_from(since.as_nanos()).unwrap_or(u64::MAX).max(1);
        self.heard.fetch_max(nanos, Ordering::AcqRel);
        crate::metrics::mirror_heard();
    }

    /// How long before `at` the store last answered the feed (`None`: never).
    pub fn age(&self, at: Instant) -> Option<Duration> {
        match self.heard.load(Ordering::Acquire) {
            0 => None,
            nanos => {
                let heard = self.origin + Duration::from_nanos(nanos);
                Some(at.saturating_duration_since(heard))
            }
        }
    }

    /// Whether the copy may answer at `at`: loaded, heard from within the staleness bound, and
    /// within its capacity.
    pub fn is_fresh(&self, at: Instant) -> bool {
        !self.overflowed.load(Ordering::Relaxed)
            && self.age(at).is_some_and(|age| age <= self.max_staleness)
    }

    /// Whether `token` is revoked, as the copy knows at `at` (for staleness) and `now` (for
    /// expiry); `None` when the copy may not answer ([`is_fresh`](Self::is_fresh)): ask the
    /// store.
    pub fn check(
        &self,
        token: &TokenRef<'_>,
        at: Instant,
        now: OffsetDateTime,
    ) -> Option<Option<RevokedBy>> {
        if !self.is_fresh(at) {
            crate::metrics::mirror_fallback();
            return None;
        }
        let now = now.unix_timestamp();
        let entries = self.entries.read().unwrap_or_else(|err| err.into_inner());
        let find = |kind, value: Option<&str>| {
            let entry = entries.get(&entry_id(kind, value?))?;
            entry.in_force_at(now).then_some(*entry)
        };
        let by_subject = || {
            find(EntryKind::Subject, token.subject)
                .is_some_and(|entry| subject_covers(entry.value, token.issued_at))
        };
        Some(if find(EntryKind::TokenId, token.token_id).is_some() {
            Some(RevokedBy::TokenId)
        } else if find(EntryKind::Family, token.family).is_some() {
            Some(RevokedBy::Family)
        } else if by_subject() {
            Some(RevokedBy::Subject)
        } else if find(EntryKind::Key, token.key_id).is_some() {
            Some(RevokedBy::Key)
        } else {
            None
        })
    }

    /// Drops the entries that ended before `now` (unix seconds); a copy back within its
    /// capacity answers again.
    pub fn purge(&self, now: i64) {
        let mut entries = self.entries.write().unwrap_or_else(|err| err.into_inner());
        entries.retain(|_, entry| entry.in_force_at(now));
        if entries.len() <= self.capacity {
            self.overflowed.store(false, Ordering::Relaxed);
        }
        crate::metrics::mirror_entries(entries.len());
    }

    /// How many entries the copy holds.
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether the copy holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn at(unix: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix).unwrap()
    }

    fn token<'a>(jti: &'a str, sub: &'a str, iat: i64) -> TokenRef<'a> {
        TokenRef {
            token_id: Some(jti),
            subject: Some(sub),
            issued_at: Some(at(iat)),
            ..TokenRef::default()
        }
    }

    #[test]
    fn the_copy_answers_only_within_the_staleness_bound_after_the_store_last_answered() {
        let mirror = Mirror::new(3 * SECOND);
        let start = Instant::now();
        let alice = token("t1", "alice", 1_000);
        // Never loaded: not trusted.
        assert_eq!(mirror.check(&alice, start, at(1_000)), None);
        mirror.heard(start);
        assert_eq!(mirror.check(&alice, start, at(1_000)), Some(None));
        mirror.apply(
            entry_id(EntryKind::TokenId, "t1"),
            Entry {
                value: 1,
                expires: Some(2_000),
            },
        );
        let revoked = Some(Some(RevokedBy::TokenId));
        assert_eq!(mirror.check(&alice, start + 3 * SECOND, at(1_000)), revoked);
        // One nanosecond past the bound, the store is asked instead.
        let late = start + 3 * SECOND + Duration::from_nanos(1);
        assert_eq!(mirror.check(&alice, late, at(1_000)), None);
        assert!(!mirror.is_fresh(late));
        // An answer to a request sent earlier than the last one moves nothing back.
        mirror.heard(start + 2 * SECOND);
        mirror.heard(start + SECOND);
        assert_eq!(mirror.age(start + 4 * SECOND), Some(2 * SECOND));
        assert_eq!(mirror.check(&alice, late, at(1_000)), revoked);
    }

    #[test]
    fn entries_widen_and_leave_at_their_end() {
        let mirror = Mirror::new(SECOND);
        let now = Instant::now();
        mirror.heard(now);
        let sub = entry_id(EntryKind::Subject, "alice");
        mirror.apply(
            sub,
            Entry {
                value: 1_500,
                expires: Some(5_000),
            },
        );
        // An older message arriving late narrows nothing.
        mirror.apply(
            sub,
            Entry {
                value: 1_200,
                expires: Some(4_000),
            },
        );
        let issued = |iat| token("other", "alice", iat);
        assert_eq!(
            mirror.check(&issued(1_500), now, at(4_500)),
            Some(Some(RevokedBy::Subject))
        );
        assert_eq!(mirror.check(&issued(1_501), now, at(4_500)), Some(None));
        assert_eq!(mirror.check(&issued(1_000), now, at(5_000)), Some(None));
        let key = entry_id(EntryKind::Key, "k4.pid.x");
        mirror.apply(
            key,
            Entry {
                value: 1,
                expires: None,
            },
        );
        mirror.apply(
            key,
            Entry {
                value: 1,
                expires: Some(10),
            },
        );
        mirror.purge(6_000);
        assert_eq!(
            mirror.len(),
            1,
            "the subject's entry ended; the key's never does"
        );
        let by_key = TokenRef {
            key_id: Some("k4.pid.x"),
            ..TokenRef::default()
        };
        assert_eq!(
            mirror.check(&by_key, now, at(1 << 35)),
            Some(Some(RevokedBy::Key))
        );
    }

    #[test]
    fn a_full_copy_stops_answering_until_purged_within_its_capacity() {
        let mirror = Mirror::new(SECOND).capacity(2);
        let now = Instant::now();
        mirror.heard(now);
        for (jti, end) in [("a", 10), ("b", 20), ("c", 30)] {
            let entry = Entry {
                value: 1,
                expires: Some(end),
            };
            mirror.apply(entry_id(EntryKind::TokenId, jti), entry);
        }
        let c = TokenRef {
            token_id: Some("c"),
            ..TokenRef::default()
        };
        assert_eq!(mirror.check(&c, now, at(0)), None);
        mirror.purge(15);
        assert_eq!(
            mirror.check(&c, now, at(15)),
            Some(Some(RevokedBy::TokenId))
        );
    }

    #[test]
    fn the_settings_are_read_and_a_bad_one_is_named() {
        let read = |pairs: &[(&str, &str)]| {
            MirrorSettings::from_settings(&Settings::from_pairs(pairs.iter().copied()))
        };
        assert_eq!(read(&[]).unwrap(), MirrorSettings::default());
        let set = read(&[
            ("PASETO_REVOCATION_MIRROR", "false"),
            ("PASETO_REVOCATION_MAX_STALENESS", "5"),
        ])
        .unwrap();
        assert!(!set.enabled);
        assert_eq!(set.max_staleness, 5 * SECOND);
        for (name, value) in [
            ("PASETO_REVOCATION_MIRROR", "sometimes"),
            ("PASETO_REVOCATION_MAX_STALENESS", "0"),
            ("PASETO_REVOCATION_MAX_STALENESS", "3s"),
        ] {
            let err = read(&[(name, value)]).unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
    }
}
