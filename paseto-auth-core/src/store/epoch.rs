//! A shared store's *epoch*: the time since which it holds every revocation it acknowledged. A
//! store that can lose its data (a Redis restarted without persistence, a database restored from
//! a backup) keeps a marker, written once and never expiring; a missing marker, or one an
//! instance sees move forward, means revocations before it may be gone, and every token issued
//! before it is refused ([`RevokedBy::StoreReset`]) until it expires, rather than un-revoked.
//!
//! [`EpochWatch`] is the part every such store shares: the epoch as this instance last read it,
//! the one warning per reset, and which tokens a reset covers.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use time::OffsetDateTime;

use super::{RevokedBy, TokenRef};

/// How long after a store reset tokens without `iat` are refused, by default: one hour, the
/// default lifetime of an issued token (`PASETO_EXP`).
pub const DEFAULT_RESET_WINDOW: Duration = Duration::from_secs(3600);

/// The epoch is not known yet (no check has read it).
const UNKNOWN: i64 = i64::MIN;

/// A store's epoch as this instance knows it (see the [module](self)).
#[derive(Debug)]
pub struct EpochWatch {
    /// The store's name in the warning ("Redis", "PostgreSQL").
    store: &'static str,
    epoch: AtomicI64,
    reset_window: Duration,
}

impl EpochWatch {
    /// No epoch read yet, for the store named `store`; tokens without `iat` are refused for
    /// `reset_window` after a reset.
    pub fn new(store: &'static str, reset_window: Duration) -> Self {
        EpochWatch {
            store,
            epoch: AtomicI64::new(UNKNOWN),
            reset_window,
        }
    }

    /// The latest epoch this instance read (unix seconds), if any.
    pub fn current(&self) -> Option<i64> {
        match self.epoch.load(Ordering::Acquire) {
            UNKNOWN => None,
            epoch => Some(epoch),
        }
    }

    /// How long after a reset tokens without `iat` are refused.
    pub fn reset_window(&self) -> Duration {
        self.reset_window
    }

    /// Remembers `epoch`, read from the store (`written`: this instance just wrote it, the
    /// marker being missing). A marker this call wrote, or a later one than this instance saw,
    /// is a reset: one warning and one count (`paseto_auth_store_resets_total`) per instance and
    /// reset. Epochs only move forward: an answer read before a reset, arriving after a newer
    /// one, is not a second reset.
    pub fn note(&self, epoch: i64, written: bool) {
        let seen = self.epoch.fetch_max(epoch, Ordering::AcqRel);
        if seen >= epoch {
            return;
        }
        if written || seen != UNKNOWN {
            crate::metrics::store_reset();
            let at = OffsetDateTime::from_unix_timestamp(epoch)
                .map(|at| at.to_string())
                .unwrap_or_default();
            tracing::warn!(
                epoch = %at,
                "the {} store has no record of its revocations before {at} (it is new, or it \
                 lost its data: a restart without persistence, a flush or a restore, a failover \
                 to an empty or lagging replica): tokens issued before then are refused until \
                 they expire, and their users log in again",
                self.store
            );
        }
    }

    /// Whether `token` may have been issued before the epoch `epoch` (unix seconds), as far as
    /// can be told at `now`: one issued in the epoch's own second may (times are whole seconds,
    /// and the loss came before its discovery), and one without an issue time may, for the
    /// reset window.
    pub fn predates(&self, epoch: i64, token: &TokenRef<'_>, now: OffsetDateTime) -> bool {
        match token.issued_at {
            Some(iat) => iat.unix_timestamp() <= epoch,
            None => {
                let window = i64::try_from(self.reset_window.as_secs()).unwrap_or(i64::MAX);
                now.unix_timestamp() < epoch.saturating_add(window)
            }
        }
    }

    /// [`RevokedBy::StoreReset`] when `token` predates the latest epoch read (none read: no).
    pub fn refuses(&self, token: &TokenRef<'_>, now: OffsetDateTime) -> Option<RevokedBy> {
        let epoch = self.current()?;
        self.predates(epoch, token, now)
            .then_some(RevokedBy::StoreReset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(unix: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(unix).unwrap()
    }

    #[test]
    fn a_reset_covers_tokens_of_its_second_and_before_and_iat_less_ones_for_the_window() {
        let watch = EpochWatch::new("test", Duration::from_secs(60));
        let issued = |iat| TokenRef {
            issued_at: iat,
            ..TokenRef::default()
        };
        assert_eq!(
            watch.refuses(&issued(Some(at(5))), at(10)),
            None,
            "no epoch"
        );
        watch.note(1_000, true);
        assert_eq!(watch.current(), Some(1_000));
        let refused = Some(RevokedBy::StoreReset);
        assert_eq!(watch.refuses(&issued(Some(at(1_000))), at(1_001)), refused);
        assert_eq!(watch.refuses(&issued(Some(at(1_001))), at(1_001)), None);
        assert_eq!(watch.refuses(&issued(None), at(1_059)), refused);
        assert_eq!(watch.refuses(&issued(None), at(1_060)), None);
        // An older answer arriving late does not move the epoch back.
        watch.note(900, false);
        assert_eq!(watch.current(), Some(1_000));
    }
}
