//! Logging refusals within a budget: a flood of bad tokens or cookies must not become a flood of
//! log lines (one `warn` per garbage cookie filled disks at wire speed).
//!
//! Each kind of refusal ([`Refusal`]) may write [`DEFAULT_PER_INTERVAL`] lines at `warn` per
//! [`DEFAULT_INTERVAL`]; past that, refusals are only counted, and the first refusal of the next
//! interval also writes how many were left out ("suppressed 12345 invalid session cookies in the
//! last 10 s"). The detail of every refusal stays available at `debug`, for development. Change
//! the budget with [`limit_refusal_logs`].
//!
//! What a line holds is bounded too: the error's message, whose attacker-supplied parts are
//! escaped and cut (see [`Error`](crate::Error)), never a token or a cookie's value.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How many refusals of one kind are logged at `warn` per interval by default.
pub const DEFAULT_PER_INTERVAL: u32 = 10;

/// The interval of the budget, by default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);

/// What was refused: each kind has its own budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A bearer (or query, or cookie) token a guard refused.
    Token,
    /// A session cookie that did not open.
    SessionCookie,
    /// A login session or remember-me cookie that did not open, or was revoked.
    LoginCookie,
    /// A refresh token the refresh endpoint refused.
    RefreshToken,
    /// A revocation store that failed (each request during an outage would log otherwise).
    StoreFailure,
    /// A request refused by a CSRF check.
    Csrf,
}

impl Refusal {
    const ALL: [Refusal; 6] = [
        Refusal::Token,
        Refusal::SessionCookie,
        Refusal::LoginCookie,
        Refusal::RefreshToken,
        Refusal::StoreFailure,
        Refusal::Csrf,
    ];

    /// How the summary line names what was left out.
    pub fn describe(self) -> &'static str {
        match self {
            Refusal::Token => "invalid tokens",
            Refusal::SessionCookie => "invalid session cookies",
            Refusal::LoginCookie => "invalid login cookies",
            Refusal::RefreshToken => "refused refresh tokens",
            Refusal::StoreFailure => "token store failures",
            Refusal::Csrf => "requests refused by CSRF checks",
        }
    }

    fn index(self) -> usize {
        Refusal::ALL
            .iter()
            .position(|kind| *kind == self)
            .unwrap_or(0)
    }
}

/// One kind's budget in the current interval.
struct Window {
    /// When the interval began, in milliseconds since the first refusal logged.
    start_ms: AtomicU64,
    logged: AtomicU32,
    suppressed: AtomicU64,
}

impl Window {
    const fn new() -> Self {
        Window {
            start_ms: AtomicU64::new(0),
            logged: AtomicU32::new(0),
            suppressed: AtomicU64::new(0),
        }
    }
}

/// One window per kind of refusal, in the order of `Refusal::ALL` (sized by it, so a new kind
/// cannot be left without one).
static WINDOWS: [Window; Refusal::ALL.len()] = [const { Window::new() }; Refusal::ALL.len()];
static PER_INTERVAL: AtomicU32 = AtomicU32::new(DEFAULT_PER_INTERVAL);
static INTERVAL_MS: AtomicU64 = AtomicU64::new(DEFAULT_INTERVAL.as_millis() as u64);

/// Sets how many refusals of each kind are logged at `warn` per `interval` (0 logs none there;
/// the `debug` lines are not counted). Process-wide, like the `tracing` subscriber it feeds.
pub fn limit_refusal_logs(per_interval: u32, interval: Duration) {
    PER_INTERVAL.store(per_interval, Ordering::Relaxed);
    let millis = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
    INTERVAL_MS.store(millis.max(1), Ordering::Relaxed);
}

fn now_ms() -> u64 {
    static BASE: OnceLock<Instant> = OnceLock::new();
    let elapsed = BASE.get_or_init(Instant::now).elapsed();
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}

/// What the budget allows for one refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Budget {
    /// Log it at `warn`; `suppressed` refusals of its kind were left out in the interval before.
    Log { suppressed: u64 },
    /// Count it, and log it at `debug` only.
    Quiet,
}

/// Spends the budget of `kind` for one refusal.
#[doc(hidden)]
pub fn spend(kind: Refusal) -> Budget {
    let window = &WINDOWS[kind.index()];
    let now = now_ms();
    let start = window.start_ms.load(Ordering::Relaxed);
    let mut suppressed = 0;
    if now.saturating_sub(start) >= INTERVAL_MS.load(Ordering::Relaxed)
        && window
            .start_ms
            .compare_exchange(start, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
    {
        // This refusal opens a new interval: it reports what the last one left out.
        window.logged.store(0, Ordering::Relaxed);
        suppressed = window.suppressed.swap(0, Ordering::Relaxed);
    }
    if window.logged.fetch_add(1, Ordering::Relaxed) < PER_INTERVAL.load(Ordering::Relaxed) {
        Budget::Log { suppressed }
    } else {
        window.suppressed.fetch_add(1, Ordering::Relaxed);
        Budget::Quiet
    }
}

/// The interval of the budget now.
#[doc(hidden)]
pub fn interval() -> Duration {
    Duration::from_millis(INTERVAL_MS.load(Ordering::Relaxed))
}

/// Logs one refusal of `kind` within its budget: at `$level` (`WARN`, or `ERROR` for store
/// failures) with its fields and message while the budget lasts, at `debug` once it is spent.
/// The message comes before the fields:
/// `refusal!(Level::WARN, Refusal::Token, "token refused", kind = %err.kind(), error = %err)`.
/// (Exported for the other paseto-auth crates, not public API.)
#[doc(hidden)]
#[macro_export]
macro_rules! refusal {
    ($level:expr, $kind:expr, $message:literal, $($fields:tt)*) => {{
        let kind: $crate::logs::Refusal = $kind;
        match $crate::logs::spend(kind) {
            $crate::logs::Budget::Log { suppressed } => {
                if suppressed > 0 {
                    tracing::event!(
                        $level,
                        suppressed,
                        "suppressed {suppressed} {} in the last {:?}",
                        kind.describe(),
                        $crate::logs::interval()
                    );
                }
                tracing::event!($level, $($fields)*, $message);
            }
            $crate::logs::Budget::Quiet => tracing::debug!($($fields)*, $message),
        }
    }};
}
#[doc(hidden)]
pub use crate::refusal;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_logs_its_budget_then_counts_and_reports_in_the_next_interval() {
        // The only test that touches the process-wide budget (the integration tests check it
        // through a subscriber, in their own process).
        limit_refusal_logs(3, Duration::from_millis(200));
        let kind = Refusal::RefreshToken;
        let first: Vec<Budget> = (0..10).map(|_| spend(kind)).collect();
        let logged = first
            .iter()
            .filter(|b| matches!(b, Budget::Log { .. }))
            .count();
        assert_eq!(logged, 3);
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(spend(kind), Budget::Log { suppressed: 7 });
        // Another kind has its own budget.
        assert!(matches!(spend(Refusal::StoreFailure), Budget::Log { .. }));
        limit_refusal_logs(DEFAULT_PER_INTERVAL, DEFAULT_INTERVAL);
    }
}
