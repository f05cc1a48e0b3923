//! The key-set settings, by name (`PASETO_KEYSET_*`).

use std::time::Duration;

use crate::error::{Error, Result};
use crate::settings::{Namespace, Settings};

use super::document::DEFAULT_MAX_BYTES;
use super::{DEFAULT_MAX_AGE, DEFAULT_PATH};

/// How often a fetched key set is fetched again by default (`PASETO_KEYSET_REFRESH`).
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(300);

/// The least time between two fetches a token naming an unknown key may cause, by default
/// (`PASETO_KEYSET_MIN_FETCH_GAP`).
pub const DEFAULT_MIN_FETCH_GAP: Duration = Duration::from_secs(10);

/// How long the last good key set is kept while fetches fail, by default
/// (`PASETO_KEYSET_MAX_STALENESS`): one day.
pub const DEFAULT_MAX_STALENESS: Duration = Duration::from_secs(24 * 3600);

/// How long one fetch may take in all by default (`PASETO_KEYSET_TIMEOUT`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The key-set settings. [`KeySetSettings::from_env`] reads them; each has a builder method of
/// the same meaning on the fetched source and the publisher.
///
/// | setting | meaning | default |
/// |---|---|---|
/// | `PASETO_KEYSET_URL` | the key-set document a verifier fetches (`https://…`) | none |
/// | `PASETO_KEYSET_ISS` | the issuers (comma-separated) whose keys that URL may publish | none |
/// | `PASETO_KEYSET_REFRESH` | seconds between fetches | 300 |
/// | `PASETO_KEYSET_MIN_FETCH_GAP` | least seconds between fetches caused by unknown key ids | 10 |
/// | `PASETO_KEYSET_MAX_STALENESS` | seconds the last good key set is kept while fetches fail | 86400 |
/// | `PASETO_KEYSET_TIMEOUT` | seconds one fetch may take (connection, headers and body) | 10 |
/// | `PASETO_KEYSET_MAX_BYTES` | largest document read | 65536 |
/// | `PASETO_KEYSET_ALLOW_HTTP` | allow a plain `http://` URL (tests, a sidecar on localhost) | false |
/// | `PASETO_KEYSET_PATH` | where an issuer publishes its key set | `/.well-known/paserk.json` |
/// | `PASETO_KEYSET_MAX_AGE` | `Cache-Control: max-age` of the published document, seconds | 300 |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySetSettings {
    /// `PASETO_KEYSET_URL`.
    pub url: Option<String>,
    /// `PASETO_KEYSET_ISS`.
    pub issuers: Vec<String>,
    /// `PASETO_KEYSET_REFRESH`.
    pub refresh: Duration,
    /// `PASETO_KEYSET_MIN_FETCH_GAP`.
    pub min_fetch_gap: Duration,
    /// `PASETO_KEYSET_MAX_STALENESS`.
    pub max_staleness: Duration,
    /// `PASETO_KEYSET_TIMEOUT`.
    pub timeout: Duration,
    /// `PASETO_KEYSET_MAX_BYTES`.
    pub max_bytes: usize,
    /// `PASETO_KEYSET_ALLOW_HTTP`.
    pub allow_http: bool,
    /// `PASETO_KEYSET_PATH`.
    pub path: String,
    /// `PASETO_KEYSET_MAX_AGE`.
    pub max_age: Duration,
}

impl Default for KeySetSettings {
    fn default() -> Self {
        KeySetSettings {
            url: None,
            issuers: Vec::new(),
            refresh: DEFAULT_REFRESH,
            min_fetch_gap: DEFAULT_MIN_FETCH_GAP,
            max_staleness: DEFAULT_MAX_STALENESS,
            timeout: DEFAULT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
            allow_http: false,
            path: DEFAULT_PATH.to_owned(),
            max_age: DEFAULT_MAX_AGE,
        }
    }
}

impl KeySetSettings {
    /// The names the key-set settings own in a file of settings: `PASETO_KEYSET_*` (see
    /// [`crate::settings`]).
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_KEYSET_"],
        except: &[],
        names: &[
            "PASETO_KEYSET_URL",
            "PASETO_KEYSET_ISS",
            "PASETO_KEYSET_REFRESH",
            "PASETO_KEYSET_MIN_FETCH_GAP",
            "PASETO_KEYSET_MAX_STALENESS",
            "PASETO_KEYSET_TIMEOUT",
            "PASETO_KEYSET_MAX_BYTES",
            "PASETO_KEYSET_ALLOW_HTTP",
            "PASETO_KEYSET_PATH",
            "PASETO_KEYSET_MAX_AGE",
        ],
    };

    /// The settings from the environment, over the defaults. A bad value is an error naming its
    /// setting.
    pub fn from_env() -> Result<Self> {
        Self::from_settings(&Settings::env())
    }

    /// The settings from `settings`, over the defaults, as [`from_env`](Self::from_env) reads
    /// them; an unknown `PASETO_KEYSET_*` name is an error.
    pub fn from_settings(source: &Settings) -> Result<Self> {
        source.check_names(&Self::NAMESPACE)?;
        let mut settings = KeySetSettings {
            url: source
                .text("PASETO_KEYSET_URL")?
                .map(|url| url.trim().to_owned()),
            ..KeySetSettings::default()
        };
        if let Some(issuers) = source.list("PASETO_KEYSET_ISS")? {
            settings.issuers = issuers;
        }
        if let Some(refresh) = source.seconds("PASETO_KEYSET_REFRESH")? {
            settings.refresh = refresh;
        }
        if let Some(gap) = source.seconds("PASETO_KEYSET_MIN_FETCH_GAP")? {
            settings.min_fetch_gap = gap;
        }
        if let Some(staleness) = source.seconds("PASETO_KEYSET_MAX_STALENESS")? {
            settings.max_staleness = staleness;
        }
        if let Some(timeout) = source.seconds("PASETO_KEYSET_TIMEOUT")? {
            settings.timeout = timeout;
        }
        if let Some(bytes) = source.text("PASETO_KEYSET_MAX_BYTES")? {
            settings.max_bytes = bytes.trim().parse().map_err(|_| {
                Error::config("PASETO_KEYSET_MAX_BYTES", "expected a number of bytes")
            })?;
        }
        if let Some(allow) = source.bool("PASETO_KEYSET_ALLOW_HTTP")? {
            settings.allow_http = allow;
        }
        if let Some(path) = source.text("PASETO_KEYSET_PATH")? {
            if !path.starts_with('/') {
                return Err(Error::config(
                    "PASETO_KEYSET_PATH",
                    "must start with / (e.g. /.well-known/paserk.json)",
                ));
            }
            settings.path = path;
        }
        if let Some(max_age) = source.seconds("PASETO_KEYSET_MAX_AGE")? {
            settings.max_age = max_age;
        }
        settings.check()?;
        Ok(settings)
    }

    /// Refuses settings that contradict each other, naming the setting at fault.
    pub fn check(&self) -> Result<()> {
        if self.refresh.is_zero() {
            return Err(Error::config(
                "PASETO_KEYSET_REFRESH",
                "must be at least 1 second",
            ));
        }
        if self.timeout.is_zero() {
            return Err(Error::config(
                "PASETO_KEYSET_TIMEOUT",
                "must be at least 1 second",
            ));
        }
        if self.max_bytes == 0 {
            return Err(Error::config(
                "PASETO_KEYSET_MAX_BYTES",
                "must be at least 1",
            ));
        }
        if self.max_staleness < self.refresh {
            return Err(Error::config(
                "PASETO_KEYSET_MAX_STALENESS",
                "must be at least PASETO_KEYSET_REFRESH (the last good key set would be \
                 dropped before the next fetch)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> Settings {
        Settings::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn settings_are_read_and_a_bad_one_is_named() {
        let settings = KeySetSettings::from_settings(&lookup(&[
            (
                "PASETO_KEYSET_URL",
                "https://issuer.example/.well-known/paserk.json",
            ),
            (
                "PASETO_KEYSET_ISS",
                "https://issuer.example, https://b.example",
            ),
            ("PASETO_KEYSET_REFRESH", "60"),
            ("PASETO_KEYSET_MIN_FETCH_GAP", "5"),
            ("PASETO_KEYSET_ALLOW_HTTP", "no"),
        ]))
        .unwrap();
        assert_eq!(
            settings.issuers,
            ["https://issuer.example", "https://b.example"]
        );
        assert_eq!(settings.refresh, Duration::from_secs(60));
        assert_eq!(settings.min_fetch_gap, Duration::from_secs(5));
        assert!(!settings.allow_http);

        let err = KeySetSettings::from_settings(&lookup(&[("PASETO_KEYSET_REFRESH", "soon")]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid setting PASETO_KEYSET_REFRESH: expected whole seconds, got \"soon\"; see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#paseto_keyset_refresh"
        );
        let err = KeySetSettings::from_settings(&lookup(&[
            ("PASETO_KEYSET_REFRESH", "600"),
            ("PASETO_KEYSET_MAX_STALENESS", "60"),
        ]))
        .unwrap_err();
        assert!(
            matches!(err, Error::Config { setting, .. } if setting == "PASETO_KEYSET_MAX_STALENESS")
        );
        let err = KeySetSettings::from_settings(&lookup(&[("PASETO_KEYSET_ALLOW_HTTP", "maybe")]))
            .unwrap_err();
        assert!(
            matches!(err, Error::Config { setting, .. } if setting == "PASETO_KEYSET_ALLOW_HTTP")
        );
    }
}
