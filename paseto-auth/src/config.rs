//! Settings with flask-paseto-extended's names, read from the environment or a JSON file.
//!
//! | setting | meaning | default |
//! |---|---|---|
//! | `PASETO_ISS` | issuer name written into tokens | none |
//! | `PASETO_PRIVATE_KEYS` | JSON list of signing keys: `{"paserk": "k4.secret.…"}` or `{"version": 4, "key": "<PEM>"}`; the first is primary | none |
//! | `PASETO_PUBLIC_KEYS` | JSON list of verification keys, each with the `iss` it is bound to: `{"iss": "…", "paserk": "k4.public.…"}` or `{"iss": "…", "version": 4, "key": "<PEM>"}` | none |
//! | `PASETO_LOCAL_KEYS` | JSON list of local keys for `local` tokens: `{"paserk": "k4.local.…"}` (optional `iss`) | none |
//! | `PASETO_EXP` | token lifetime in seconds | 3600 |
//! | `PASETO_USE_ISS`, `PASETO_USE_IAT`, `PASETO_USE_KID` | write `iss` / `iat` / footer `kid` | true |
//! | `PASETO_SKEW` | leeway on `exp`/`nbf`/`iat`, seconds | 0 |
//! | `PASETO_AUDIENCE` | audience every verified token must name | none |
//! | `PASETO_ALLOWED_VERSIONS` | versions a verifier accepts, e.g. `v4,v3,v2` | `v4,v3` |
//! | `PASETO_ALLOW_NO_EXP` | accept tokens without `exp` | false |

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::issuer::{Issuer, IssuerBuilder};
use crate::key::Key;
use crate::requirements::Requirements;
use crate::verifier::{Verifier, VerifierBuilder};
use crate::version::Version;

/// One key of a key list setting.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// A PASERK string.
    #[serde(default)]
    pub paserk: Option<String>,
    /// The PASETO version of a PEM `key` (`2`, `3`, `4` or `"v4"`).
    #[serde(default)]
    pub version: Option<Value>,
    /// A PEM key.
    #[serde(default)]
    pub key: Option<String>,
    /// The issuer the key is bound to.
    #[serde(default)]
    pub iss: Option<String>,
}

impl fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyEntry")
            .field("paserk", &self.paserk.as_ref().map(|_| "REDACTED"))
            .field("version", &self.version)
            .field("key", &self.key.as_ref().map(|_| "REDACTED"))
            .field("iss", &self.iss)
            .finish()
    }
}

impl KeyEntry {
    /// Parses the entry; `setting` and `index` name it in errors.
    fn parse(&self, setting: &str, index: usize) -> Result<Key> {
        let at = |message: String| Error::config(setting, format!("entry {index}: {message}"));
        let version = match &self.version {
            None => None,
            Some(Value::Number(n)) => Some(
                n.to_string()
                    .parse::<Version>()
                    .map_err(|e| at(e.to_string()))?,
            ),
            Some(Value::String(s)) => Some(s.parse::<Version>().map_err(|e| at(e.to_string()))?),
            Some(other) => return Err(at(format!("version must be 2, 3 or 4, not {other}"))),
        };
        let text = match (&self.paserk, &self.key) {
            (Some(paserk), None) => paserk,
            (None, Some(pem)) => pem,
            (Some(_), Some(_)) => return Err(at("give either `paserk` or `key`, not both".into())),
            (None, None) => return Err(at("needs `paserk` or `key` (PEM)".into())),
        };
        Key::parse(text, version).map_err(|e| at(e.to_string()))
    }
}

/// All settings. Deserializes from a JSON object whose keys are the setting names.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // each field is documented by the module's table under its setting name
pub struct PasetoConfig {
    #[serde(rename = "PASETO_ISS", default)]
    pub iss: Option<String>,
    #[serde(rename = "PASETO_PRIVATE_KEYS", default)]
    pub private_keys: Vec<KeyEntry>,
    #[serde(rename = "PASETO_PUBLIC_KEYS", default)]
    pub public_keys: Vec<KeyEntry>,
    #[serde(rename = "PASETO_LOCAL_KEYS", default)]
    pub local_keys: Vec<KeyEntry>,
    #[serde(rename = "PASETO_EXP", default)]
    pub exp: Option<u64>,
    #[serde(rename = "PASETO_USE_ISS", default)]
    pub use_iss: Option<bool>,
    #[serde(rename = "PASETO_USE_IAT", default)]
    pub use_iat: Option<bool>,
    #[serde(rename = "PASETO_USE_KID", default)]
    pub use_kid: Option<bool>,
    #[serde(rename = "PASETO_SKEW", default)]
    pub skew: Option<u64>,
    #[serde(rename = "PASETO_AUDIENCE", default)]
    pub audience: Option<String>,
    #[serde(rename = "PASETO_ALLOWED_VERSIONS", default)]
    pub allowed_versions: Option<String>,
    #[serde(rename = "PASETO_ALLOW_NO_EXP", default)]
    pub allow_no_exp: Option<bool>,
}

/// Reads one environment variable; absent or empty means unset.
pub(crate) fn env_var(name: &str) -> Result<Option<String>> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::config(name, "is not valid UTF-8")),
    }
}

fn env_keys(name: &str) -> Result<Vec<KeyEntry>> {
    match env_var(name)? {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| Error::config(name, format!("expected a JSON list of keys: {e}"))),
    }
}

fn env_u64(name: &str) -> Result<Option<u64>> {
    env_var(name)?.map(|v| parse_seconds(name, &v)).transpose()
}

fn env_bool(name: &str) -> Result<Option<bool>> {
    env_var(name)?.map(|v| parse_bool(name, &v)).transpose()
}

/// Whole seconds, as setting `name` holds them.
pub(crate) fn parse_seconds(name: &str, value: &str) -> Result<u64> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::config(name, format!("expected whole seconds, got {value:?}")))
}

/// A boolean (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`), as setting `name` holds it.
pub(crate) fn parse_bool(name: &str, value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::config(
            name,
            format!("expected true or false, got {value:?}"),
        )),
    }
}

impl PasetoConfig {
    /// Reads every setting from environment variables of the same name. Key lists are JSON.
    pub fn from_env() -> Result<Self> {
        Ok(PasetoConfig {
            iss: env_var("PASETO_ISS")?,
            private_keys: env_keys("PASETO_PRIVATE_KEYS")?,
            public_keys: env_keys("PASETO_PUBLIC_KEYS")?,
            local_keys: env_keys("PASETO_LOCAL_KEYS")?,
            exp: env_u64("PASETO_EXP")?,
            use_iss: env_bool("PASETO_USE_ISS")?,
            use_iat: env_bool("PASETO_USE_IAT")?,
            use_kid: env_bool("PASETO_USE_KID")?,
            skew: env_u64("PASETO_SKEW")?,
            audience: env_var("PASETO_AUDIENCE")?,
            allowed_versions: env_var("PASETO_ALLOWED_VERSIONS")?,
            allow_no_exp: env_bool("PASETO_ALLOW_NO_EXP")?,
        })
    }

    /// Reads settings from a JSON file: `{"PASETO_ISS": "...", "PASETO_PRIVATE_KEYS": [...]}`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(path.display().to_string(), e))?;
        Self::from_json(&text).map_err(|e| match e {
            Error::Config { message, .. } => Error::config(path.display().to_string(), message),
            other => other,
        })
    }

    /// Parses settings from JSON text (unknown setting names are errors, to catch typos).
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| Error::config("config", e))
    }

    /// Whether any signing key is configured.
    pub fn has_private_keys(&self) -> bool {
        !self.private_keys.is_empty()
    }

    /// An issuer builder from `PASETO_ISS`, `PASETO_PRIVATE_KEYS`, `PASETO_EXP` and `PASETO_USE_*`.
    /// Only secret (signing) keys are accepted in `PASETO_PRIVATE_KEYS`.
    pub fn issuer_builder(&self) -> Result<IssuerBuilder> {
        let mut builder = Issuer::builder()
            .lifetime(Duration::from_secs(self.exp.unwrap_or(3600)))
            .use_iss(self.use_iss.unwrap_or(true))
            .use_iat(self.use_iat.unwrap_or(true))
            .use_kid(self.use_kid.unwrap_or(true));
        if let Some(iss) = &self.iss {
            if iss.is_empty() {
                return Err(Error::config("PASETO_ISS", "must not be empty"));
            }
            builder = builder.issuer(iss.clone());
        }
        if self.exp == Some(0) {
            return Err(Error::config("PASETO_EXP", "must be at least 1 second"));
        }
        for (index, entry) in self.private_keys.iter().enumerate() {
            match entry.parse("PASETO_PRIVATE_KEYS", index)? {
                Key::Secret(key) => builder = builder.key(key),
                other => {
                    return Err(Error::config(
                        "PASETO_PRIVATE_KEYS",
                        format!(
                            "entry {index} is a {} key; a secret (signing) key is expected",
                            other.describe()
                        ),
                    ));
                }
            }
        }
        Ok(builder)
    }

    /// The issuer; fails naming the setting when keys are missing or of the wrong kind.
    pub fn issuer(&self) -> Result<Issuer> {
        self.issuer_builder()?.build()
    }

    /// A verifier builder from `PASETO_PUBLIC_KEYS`, `PASETO_LOCAL_KEYS`, `PASETO_SKEW`,
    /// `PASETO_AUDIENCE`, `PASETO_ALLOWED_VERSIONS` and `PASETO_ALLOW_NO_EXP`.
    pub fn verifier_builder(&self) -> Result<VerifierBuilder> {
        let mut builder = Verifier::builder()
            .leeway(Duration::from_secs(self.skew.unwrap_or(0)))
            .allow_no_expiration(self.allow_no_exp.unwrap_or(false))
            .versions(self.versions()?);
        if let Some(aud) = &self.audience {
            builder = builder.requirements(Requirements::new().audience(aud.clone()));
        }
        for (index, entry) in self.public_keys.iter().enumerate() {
            match (entry.parse("PASETO_PUBLIC_KEYS", index)?, &entry.iss) {
                (Key::Public(key), Some(iss)) => builder = builder.public_key(key, iss.clone()),
                (Key::Public(key), None) => builder = builder.unbound_public_key(key),
                (other, _) => {
                    return Err(Error::config(
                        "PASETO_PUBLIC_KEYS",
                        format!(
                            "entry {index} is a {} key; a public key is expected",
                            other.describe()
                        ),
                    ));
                }
            }
        }
        for (index, entry) in self.local_keys.iter().enumerate() {
            match entry.parse("PASETO_LOCAL_KEYS", index)? {
                Key::Local(key) => builder = builder.local_key(key, entry.iss.clone()),
                other => {
                    return Err(Error::config(
                        "PASETO_LOCAL_KEYS",
                        format!(
                            "entry {index} is a {} key; a local key is expected",
                            other.describe()
                        ),
                    ));
                }
            }
        }
        Ok(builder)
    }

    /// The verifier; fails naming the setting when keys are missing, of the wrong kind, or of a
    /// version that is not allowed.
    pub fn verifier(&self) -> Result<Verifier> {
        self.verifier_builder()?.build()
    }

    fn versions(&self) -> Result<Vec<Version>> {
        match &self.allowed_versions {
            None => Ok(vec![Version::V4, Version::V3]),
            Some(list) => list
                .split(',')
                .map(|v| v.trim().parse::<Version>())
                .collect::<Result<Vec<_>>>()
                .map_err(|e| Error::config("PASETO_ALLOWED_VERSIONS", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::SecretKey;

    fn config(json: serde_json::Value) -> Result<PasetoConfig> {
        PasetoConfig::from_json(&json.to_string())
    }

    fn setting_of(err: Error) -> String {
        match err {
            Error::Config { setting, .. } => setting,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn flask_shaped_config_builds_an_issuer_and_a_verifier() {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let cfg = config(serde_json::json!({
            "PASETO_ISS": "https://issuer.example",
            "PASETO_PRIVATE_KEYS": [{"paserk": secret.to_paserk().as_str()}],
            "PASETO_PUBLIC_KEYS": [{"iss": "https://issuer.example", "paserk": secret.public_key().to_paserk()}],
            "PASETO_EXP": 60,
            "PASETO_SKEW": 5,
        }))
        .unwrap();
        let token = cfg
            .issuer()
            .unwrap()
            .issue(&serde_json::json!({"a": 1}))
            .unwrap();
        let verified = cfg
            .verifier()
            .unwrap()
            .verify::<serde_json::Value>(&token)
            .unwrap();
        assert_eq!(verified.claims["a"], 1);
    }

    #[test]
    fn keys_of_the_wrong_kind_fail_naming_the_setting() {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let public_as_private = config(serde_json::json!({
            "PASETO_PRIVATE_KEYS": [{"paserk": secret.public_key().to_paserk()}],
        }))
        .unwrap();
        assert_eq!(
            setting_of(public_as_private.issuer().unwrap_err()),
            "PASETO_PRIVATE_KEYS"
        );
        let local = crate::key::LocalKey::generate(Version::V4).unwrap();
        let local_as_public = config(serde_json::json!({
            "PASETO_PUBLIC_KEYS": [{"iss": "x", "paserk": local.to_paserk().as_str()}],
        }))
        .unwrap();
        assert_eq!(
            setting_of(local_as_public.verifier().unwrap_err()),
            "PASETO_PUBLIC_KEYS"
        );
        let garbage =
            config(serde_json::json!({"PASETO_PRIVATE_KEYS": [{"paserk": "k4.secret.nope"}]}))
                .unwrap();
        assert_eq!(
            setting_of(garbage.issuer().unwrap_err()),
            "PASETO_PRIVATE_KEYS"
        );
        let bad_versions = config(serde_json::json!({"PASETO_ALLOWED_VERSIONS": "v4,v9"})).unwrap();
        assert_eq!(
            setting_of(bad_versions.verifier().unwrap_err()),
            "PASETO_ALLOWED_VERSIONS"
        );
    }

    #[test]
    fn a_v2_key_needs_v2_allowed_explicitly() {
        let secret = SecretKey::generate(Version::V2).unwrap();
        let keys = serde_json::json!([{"iss": "x", "paserk": secret.public_key().to_paserk()}]);
        let refused = config(serde_json::json!({"PASETO_PUBLIC_KEYS": keys})).unwrap();
        assert!(
            matches!(refused.verifier().unwrap_err(), Error::Config { message, .. } if message.contains("v2"))
        );
        let allowed = config(
            serde_json::json!({"PASETO_PUBLIC_KEYS": keys, "PASETO_ALLOWED_VERSIONS": "v2"}),
        )
        .unwrap();
        assert!(allowed.verifier().is_ok());
    }

    #[test]
    fn typos_and_debug_output() {
        assert!(PasetoConfig::from_json(r#"{"PASETO_IS": "x"}"#).is_err());
        let entry = KeyEntry {
            paserk: Some("k4.local.secret".into()),
            ..KeyEntry::default()
        };
        assert!(!format!("{entry:?}").contains("secret\""));
        assert!(format!("{entry:?}").contains("REDACTED"));
    }
}
