//! Metrics, through the [`metrics`](https://docs.rs/metrics) facade (the ecosystem's standard:
//! install any recorder — Prometheus, StatsD, … — and these appear; without one they cost an
//! atomic load). Every name and label is here, and no label ever carries token or user data:
//! only the fixed words below and [`ErrorKind`] names.
//!
//! | name | type | labels |
//! |---|---|---|
//! | `paseto_auth_verifications_total` | counter | `outcome` (`ok`, `refused`), `error` (an [`ErrorKind`] name, or `none`) |
//! | `paseto_auth_verify_cache_total` | counter | `result` (`hit`, `miss`) |
//! | `paseto_auth_guard_refusals_total` | counter | `status` (`401`, `403`, `503`) |
//! | `paseto_auth_cookies_total` | counter | `cookie` (`session`, `login`, `remember`), `outcome` (`valid`, `invalid`, `revoked`) |
//! | `paseto_auth_store_calls_total` | counter | `op` (`check`, `revoke`, `rotate`), `outcome` (`ok`, `error`, `timeout`) |
//! | `paseto_auth_store_call_seconds` | histogram | `op` |
//! | `paseto_auth_store_resets_total` | counter | none: a store found to have lost its revocations (once per instance and reset) |
//! | `paseto_auth_mirror_entries` | gauge | none: the revocations a local mirror holds |
//! | `paseto_auth_mirror_last_heard_seconds` | gauge | none: when the store last answered the mirror's feed (unix time; its age is `time() - this`) |
//! | `paseto_auth_mirror_fallbacks_total` | counter | none: checks sent to the store because the mirror was stale or full |
//! | `paseto_auth_keyset_fetches_total` | counter | `outcome` (`updated`, `unchanged`, `failed`) |
//! | `paseto_auth_keyset_unknown_keys_total` | counter | `fetch` (`triggered`, `rate_limited`) |

use std::time::Duration;

use crate::error::ErrorKind;

/// A verification's outcome (cache hits included).
#[doc(hidden)]
pub fn verification(outcome: Result<(), ErrorKind>) {
    let (outcome, error) = match outcome {
        Ok(()) => ("ok", "none"),
        Err(kind) => ("refused", kind.as_str()),
    };
    ::metrics::counter!("paseto_auth_verifications_total", "outcome" => outcome, "error" => error)
        .increment(1);
}

/// A lookup in the verified-token cache.
#[doc(hidden)]
pub fn cache(hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    ::metrics::counter!("paseto_auth_verify_cache_total", "result" => result).increment(1);
}

/// A request a guard or extractor refused, by the status it answered.
#[doc(hidden)]
pub fn guard_refusal(status: u16) {
    let status = match status {
        403 => "403",
        503 => "503",
        _ => "401",
    };
    ::metrics::counter!("paseto_auth_guard_refusals_total", "status" => status).increment(1);
}

/// Which cookie an outcome is about.
#[derive(Debug, Clone, Copy)]
#[doc(hidden)]
pub enum CookieKind {
    Session,
    Login,
    Remember,
}

/// What a request's cookie turned out to be.
#[derive(Debug, Clone, Copy)]
#[doc(hidden)]
pub enum CookieOutcome {
    Valid,
    Invalid,
    Revoked,
}

/// A cookie read.
#[doc(hidden)]
pub fn cookie(kind: CookieKind, outcome: CookieOutcome) {
    let cookie = match kind {
        CookieKind::Session => "session",
        CookieKind::Login => "login",
        CookieKind::Remember => "remember",
    };
    let outcome = match outcome {
        CookieOutcome::Valid => "valid",
        CookieOutcome::Invalid => "invalid",
        CookieOutcome::Revoked => "revoked",
    };
    ::metrics::counter!("paseto_auth_cookies_total", "cookie" => cookie, "outcome" => outcome)
        .increment(1);
}

/// A call to the revocation store: its operation, outcome and time.
#[doc(hidden)]
pub fn store_call(op: &'static str, outcome: &'static str, elapsed: Duration) {
    ::metrics::counter!("paseto_auth_store_calls_total", "op" => op, "outcome" => outcome)
        .increment(1);
    ::metrics::histogram!("paseto_auth_store_call_seconds", "op" => op).record(elapsed);
}

/// A store found to have lost its revocations (its epoch marker was missing or changed).
#[doc(hidden)]
pub fn store_reset() {
    ::metrics::counter!("paseto_auth_store_resets_total").increment(1);
}

/// How many revocations the local mirror holds.
#[doc(hidden)]
pub fn mirror_entries(entries: usize) {
    ::metrics::gauge!("paseto_auth_mirror_entries").set(entries as f64);
}

/// The store answered the mirror's feed now.
#[doc(hidden)]
pub fn mirror_heard() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    ::metrics::gauge!("paseto_auth_mirror_last_heard_seconds").set(now.as_secs_f64());
}

/// A check sent to the store because the mirror could not answer.
#[doc(hidden)]
pub fn mirror_fallback() {
    ::metrics::counter!("paseto_auth_mirror_fallbacks_total").increment(1);
}

/// A fetch of a key set, by outcome (`updated`, `unchanged`, `failed`).
#[doc(hidden)]
pub fn keyset_fetch(outcome: &'static str) {
    ::metrics::counter!("paseto_auth_keyset_fetches_total", "outcome" => outcome).increment(1);
}

/// A token naming a key the fetched key set lacks: whether it caused a fetch.
#[doc(hidden)]
pub fn keyset_unknown_key(triggered: bool) {
    let fetch = if triggered {
        "triggered"
    } else {
        "rate_limited"
    };
    ::metrics::counter!("paseto_auth_keyset_unknown_keys_total", "fetch" => fetch).increment(1);
}
