//! Settings with flask-paseto-extended's names, read from the environment, a JSON file, or any
//! [`Settings`] source ([`PasetoConfig::from_settings`]).
//!
//! | setting | meaning | default |
//! |---|---|---|
//! | `PASETO_ISS` | issuer name written into tokens | none |
//! | `PASETO_PRIVATE_KEYS` | JSON list of signing keys: `{"paserk": "k4.secret.…"}` or `{"version": 4, "key": "<PEM>"}`; the first is primary | none |
//! | `PASETO_PUBLIC_KEYS` | JSON list of verification keys, each with the `iss` it is bound to: `{"iss": "…", "paserk": "k4.public.…"}` or `{"iss": "…", "version": 4, "key": "<PEM>"}` | none |
//! | `PASETO_LOCAL_KEYS` | JSON list of local keys for `local` tokens: `{"paserk": "k4.local.…"}` (optional `iss`) | none |
//! | `PASETO_EXP` | token lifetime in seconds | 3600 |
//! | `PASETO_ACCESS_EXP`, `PASETO_REFRESH_EXP` | lifetimes of a token pair's access and refresh tokens, seconds | 900, 1209600 (14 days) |
//! | `PASETO_LOGIN_MAX_AGE` | the longest a login lasts through refreshes, seconds | 2592000 (30 days) |
//! | `PASETO_REFRESH_REUSE_GRACE` | seconds after a refresh in which the same refresh token gets the same pair again (a retry), rather than ending its login as a replay; 0 turns it off | 10 |
//! | `PASETO_USE_ISS`, `PASETO_USE_IAT`, `PASETO_USE_KID`, `PASETO_USE_JTI` | write `iss` / `iat` / footer `kid` / a random `jti` | true |
//! | `PASETO_SKEW` | leeway on `exp`/`nbf`/`iat`, seconds | 0 |
//! | `PASETO_AUDIENCE` | audience every verified token must name | none |
//! | `PASETO_ALLOWED_VERSIONS` | versions a verifier accepts, e.g. `v4,v3,v2` | `v4,v3` |
//! | `PASETO_ALLOW_NO_EXP` | accept tokens without `exp` | false |
//! | `PASETO_MAX_KEY_TRIALS` | keys a token without a footer `kid` is tried against (more keys of its version and purpose: a `public` token is tried against those bound to the issuer it claims or to none, and refused when they are still more; see [`VerifierBuilder::max_key_trials`]) | 1 |
//! | `PASETO_VERIFY_CACHE_SIZE` | verified access tokens a verifier keeps (0: none; see [`VerifierBuilder::cache_size`](crate::VerifierBuilder::cache_size)) | 10000 |
//! | `PASETO_KEY_PASSWORD` | the password that unlocks password-protected keys (`kN.local-pw.…`, `kN.secret-pw.…`) in the key lists | none |
//! | `PASETO_WRAPPING_KEY` | the local key (`kN.local.…` PASERK) that unwraps wrapped keys (`kN.local-wrap.pie.…`, `kN.secret-wrap.pie.…`) in the key lists | none |
//!
//! A key list entry's `paserk` may be a protected PASERK (see [`crate::key::protected`]): it is
//! unlocked with `PASETO_KEY_PASSWORD` or `PASETO_WRAPPING_KEY` when the issuer or verifier is
//! built, with the default [`PwLimits`] on what a password-protected key may cost. A protected
//! key without its setting, a wrong password or wrapping key, and a malformed setting are errors
//! naming the setting; no error shows a key, a password or a wrapping key.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::Requirements;
use crate::Version;
use crate::key::protected::{self, Protection, PwLimits};
use crate::key::{Key, LocalKey};
use crate::settings::{Namespace, SecretText, Settings, json_kind, shown_name};
use crate::{
    DEFAULT_ACCESS_LIFETIME, DEFAULT_LOGIN_MAX_AGE, DEFAULT_REFRESH_LIFETIME, Issuer, IssuerBuilder,
};
use crate::{Error, KeyError, Result, untrusted};
use crate::{Verifier, VerifierBuilder};

/// The `iss` of a key entry that trusts the key for tokens of any issuer (an explicit opt-in:
/// a public key without `iss` is a start-up error).
pub const ANY_ISSUER: &str = "*";

/// One key of a key list setting.
///
/// Its fields are read by name (`paserk`, `key`, `version`, `iss`); a mistake is an error naming
/// the setting, the entry's index and what is wrong — never the key text.
#[derive(Clone, Default)]
pub struct KeyEntry {
    /// A PASERK string.
    pub paserk: Option<String>,
    /// The PASETO version of a PEM `key` (`2`, `3`, `4` or `"v4"`).
    pub version: Option<Value>,
    /// A PEM key.
    pub key: Option<String>,
    /// The issuer the key is bound to; [`ANY_ISSUER`] (`"*"`) for any issuer.
    pub iss: Option<String>,
}

impl fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyEntry")
            .field("paserk", &self.paserk.as_ref().map(|_| "REDACTED"))
            .field("version", &self.version.as_ref().map(|_| ".."))
            .field("key", &self.key.as_ref().map(|_| "REDACTED"))
            .field("iss", &self.iss)
            .finish()
    }
}

impl KeyEntry {
    /// Reads the entry at `index` of key list `setting`.
    fn from_value(setting: &str, index: usize, value: &Value) -> Result<Self> {
        let at = |message: String| Error::config(setting, format!("entry {index}: {message}"));
        let Value::Object(fields) = value else {
            return Err(at(format!(
                "expected an object such as {{\"paserk\": \"k4.…\"}} or {{\"version\": 4, \"key\": \"-----BEGIN …\"}}, found {}",
                json_kind(value)
            )));
        };
        let mut entry = KeyEntry::default();
        for (name, value) in fields {
            let text = || match value {
                Value::String(text) => Ok(Some(text.clone())),
                other => Err(at(format!(
                    "`{name}` must be a string, not {}",
                    json_kind(other)
                ))),
            };
            match name.as_str() {
                "paserk" => entry.paserk = text()?,
                "key" => entry.key = text()?,
                "iss" => entry.iss = text()?,
                "version" => entry.version = Some(value.clone()),
                other => {
                    return Err(at(format!(
                        "unknown field {}; expected paserk, key, version or iss",
                        shown_name(other)
                    )));
                }
            }
        }
        Ok(entry)
    }

    /// Parses the entry, unlocking a protected PASERK with `unlock`; `setting` and `index` name
    /// it in errors.
    fn parse(&self, setting: &str, index: usize, unlock: &Unlock<'_>) -> Result<Key> {
        let at = |message: String| Error::config(setting, format!("entry {index}: {message}"));
        let version = match &self.version {
            None => None,
            Some(Value::Number(n)) => Some(n.to_string().parse::<Version>()),
            Some(Value::String(s)) => Some(s.parse::<Version>()),
            Some(_) => None,
        };
        let version = match (version, &self.version) {
            (Some(Ok(version)), _) => Some(version),
            (None, None) => None,
            // Never echo the value: a key pasted into the wrong field would be printed.
            _ => {
                return Err(at(
                    "`version` must be 2, 3 or 4 (or \"v2\", \"v3\", \"v4\")".into(),
                ));
            }
        };
        let text = match (&self.paserk, &self.key) {
            (Some(paserk), None) => paserk,
            (None, Some(pem)) => pem,
            (Some(_), Some(_)) => return Err(at("give either `paserk` or `key`, not both".into())),
            (None, None) => return Err(at("needs `paserk` or `key` (PEM)".into())),
        };
        let Some(protection) = Protection::of(text) else {
            return Key::parse(text, version).map_err(|e| at(e.to_string()));
        };
        let key = unlock.unlock(text, protection, setting, index)?;
        match version {
            Some(version) if version != key.version() => Err(at(format!(
                "the key is for {}, not {version}",
                key.version()
            ))),
            _ => Ok(key),
        }
    }

    /// The issuer this entry binds its key to: `Some(iss)`, or `None` for [`ANY_ISSUER`].
    fn issuer(&self) -> Option<String> {
        self.iss.clone().filter(|iss| iss != ANY_ISSUER)
    }
}

/// Reads a key list setting: a JSON list of key entries.
fn key_entries(setting: &str, value: &Value) -> Result<Vec<KeyEntry>> {
    let Value::Array(items) = value else {
        return Err(Error::config(
            setting,
            format!(
                "expected a list of keys such as [{{\"paserk\": \"k4.…\"}}], found {}",
                json_kind(value)
            ),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| KeyEntry::from_value(setting, index, item))
        .collect()
}

/// What unlocks the protected keys of the key lists: `PASETO_KEY_PASSWORD` and
/// `PASETO_WRAPPING_KEY`.
struct Unlock<'a> {
    password: Option<&'a SecretText>,
    wrapping_key: Option<&'a SecretText>,
}

impl Unlock<'_> {
    /// Unlocks `text`, entry `index` of `setting`, which is protected by `protection`. Errors
    /// name `PASETO_KEY_PASSWORD` or `PASETO_WRAPPING_KEY` when the fault is theirs (missing,
    /// malformed, wrong), the entry's setting when it is the entry's.
    fn unlock(
        &self,
        text: &str,
        protection: Protection,
        setting: &str,
        index: usize,
    ) -> Result<Key> {
        const PASSWORD: &str = "PASETO_KEY_PASSWORD";
        const WRAPPING_KEY: &str = "PASETO_WRAPPING_KEY";
        let entry = format!("{setting} entry {index}");
        let at = |e: Error| Error::config(setting, format!("entry {index}: {e}"));
        match protection {
            Protection::Password => {
                let password = self.password.ok_or_else(|| {
                    Error::config(
                        PASSWORD,
                        format!("is not set, and {entry} is password-protected (kN.local-pw / kN.secret-pw): set it to the key's password"),
                    )
                })?;
                protected::unwrap_with_password(
                    text,
                    password.expose().as_bytes(),
                    &PwLimits::default(),
                )
                .map_err(|e| match e {
                    Error::Key(KeyError::UnwrapFailed(_)) => Error::config(
                        PASSWORD,
                        format!(
                            "does not unlock {entry} (a wrong password, or the key was altered)"
                        ),
                    ),
                    other => at(other),
                })
            }
            Protection::Wrapped => {
                let wrapping_key = self.wrapping_key.ok_or_else(|| {
                    Error::config(
                        WRAPPING_KEY,
                        format!("is not set, and {entry} is wrapped (kN.local-wrap.pie / kN.secret-wrap.pie): set it to the wrapping key's PASERK (kN.local.…)"),
                    )
                })?;
                let wrapping_key = LocalKey::from_paserk(wrapping_key.expose())
                    .map_err(|e| Error::config(WRAPPING_KEY, e))?;
                let version = text.split('.').next().unwrap_or_default();
                if version != wrapping_key.version().paserk_prefix() {
                    return Err(Error::config(
                        WRAPPING_KEY,
                        format!(
                            "is a {} key, and {entry} is wrapped for {}: a key is unwrapped with a wrapping key of its version",
                            wrapping_key.version().paserk_prefix(),
                            untrusted(version)
                        ),
                    ));
                }
                protected::unwrap_with_key(text, &wrapping_key).map_err(|e| match e {
                    Error::Key(KeyError::UnwrapFailed(_)) => Error::config(
                        WRAPPING_KEY,
                        format!(
                            "does not unwrap {entry} (another wrapping key, or the key was altered)"
                        ),
                    ),
                    other => at(other),
                })
            }
            Protection::Sealed => Err(Error::config(
                setting,
                format!(
                    "entry {index} is a sealed key (kN.seal), which settings do not unseal: open it with `paseto-auth unseal` and store it wrapped (local-wrap.pie or local-pw)"
                ),
            )),
        }
    }
}

/// All settings, by flask-paseto-extended's names (see the module docs). Read them with
/// [`from_env`](Self::from_env), [`from_file`](Self::from_file),
/// [`from_json`](Self::from_json), or [`from_settings`](Self::from_settings) from a source
/// shared with other components; it also deserializes from a JSON object of the same shape.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)] // each field is documented by the module's table under its setting name
pub struct PasetoConfig {
    pub iss: Option<String>,
    pub private_keys: Vec<KeyEntry>,
    pub public_keys: Vec<KeyEntry>,
    pub local_keys: Vec<KeyEntry>,
    pub exp: Option<u64>,
    pub access_exp: Option<u64>,
    pub refresh_exp: Option<u64>,
    pub login_max_age: Option<u64>,
    pub refresh_reuse_grace: Option<u64>,
    pub use_iss: Option<bool>,
    pub use_iat: Option<bool>,
    pub use_kid: Option<bool>,
    pub use_jti: Option<bool>,
    pub skew: Option<u64>,
    pub audience: Option<String>,
    pub allowed_versions: Option<String>,
    pub allow_no_exp: Option<bool>,
    pub verify_cache_size: Option<u64>,
    pub max_key_trials: Option<u64>,
    pub key_password: Option<SecretText>,
    pub wrapping_key: Option<SecretText>,
}

/// Every setting name [`PasetoConfig`] reads.
pub const SETTINGS: [&str; 21] = [
    "PASETO_ISS",
    "PASETO_PRIVATE_KEYS",
    "PASETO_PUBLIC_KEYS",
    "PASETO_LOCAL_KEYS",
    "PASETO_EXP",
    "PASETO_ACCESS_EXP",
    "PASETO_REFRESH_EXP",
    "PASETO_LOGIN_MAX_AGE",
    "PASETO_REFRESH_REUSE_GRACE",
    "PASETO_USE_ISS",
    "PASETO_USE_IAT",
    "PASETO_USE_KID",
    "PASETO_USE_JTI",
    "PASETO_SKEW",
    "PASETO_AUDIENCE",
    "PASETO_ALLOWED_VERSIONS",
    "PASETO_ALLOW_NO_EXP",
    "PASETO_VERIFY_CACHE_SIZE",
    "PASETO_MAX_KEY_TRIALS",
    "PASETO_KEY_PASSWORD",
    "PASETO_WRAPPING_KEY",
];

impl PasetoConfig {
    /// The names `PasetoConfig` owns in a file of settings (see [`crate::settings`]): every
    /// `PASETO_*` name but those of the key sets (`PASETO_KEYSET_*`), the store
    /// (`PASETO_STORE_*`, `PASETO_REDIS_*`, `PASETO_REVOCATION_*`), CSRF (`PASETO_CSRF_*`,
    /// `PASETO_COOKIE_CSRF_PROTECT`) and the cookie keys (`PASETO_SESSION_KEY`).
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_"],
        except: &[
            "PASETO_KEYSET_",
            "PASETO_STORE_",
            "PASETO_REDIS_",
            "PASETO_POSTGRES_",
            "PASETO_REVOCATION_",
            "PASETO_CSRF_",
            "PASETO_COOKIE_CSRF_",
            "PASETO_SESSION_KEY",
        ],
        names: &SETTINGS,
    };

    /// Every name, when a file holds `PasetoConfig`'s settings alone
    /// ([`from_file`](Self::from_file), [`from_json`](Self::from_json),
    /// [`from_value`](Self::from_value)).
    const ALONE: Namespace = Namespace {
        prefixes: &[""],
        except: &[],
        names: &SETTINGS,
    };

    /// Reads every setting from environment variables of the same name. Key lists are JSON.
    pub fn from_env() -> Result<Self> {
        Self::from_settings(&Settings::env())
    }

    /// Reads its settings from `settings`, which may hold other components' too; a name of its
    /// [`NAMESPACE`](Self::NAMESPACE) that it does not read is an error, to catch typos.
    pub fn from_settings(settings: &Settings) -> Result<Self> {
        settings.check_names(&Self::NAMESPACE)?;
        Self::read(settings)
    }

    /// Reads settings from a JSON file: `{"PASETO_ISS": "...", "PASETO_PRIVATE_KEYS": [...]}`.
    /// Errors name the setting (or the file, for one that is not JSON), never a key; a name that
    /// is not one of these settings is an error (to hold other settings too, read the file with
    /// [`Settings::from_file`] and use [`from_settings`](Self::from_settings)).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        Self::alone(&Settings::from_file(path)?)
    }

    /// Parses settings from JSON text: an object whose keys are setting names (unknown names
    /// are errors, to catch typos).
    pub fn from_json(text: &str) -> Result<Self> {
        Self::alone(&Settings::from_json(text)?)
    }

    /// Reads settings from a JSON object whose keys are setting names (unknown names are
    /// errors, to catch typos).
    pub fn from_value(value: &Value) -> Result<Self> {
        Self::alone(&Settings::from_value(value)?)
    }

    /// Reads a source that holds these settings and no other.
    fn alone(settings: &Settings) -> Result<Self> {
        settings.check_names(&Self::ALONE)?;
        Self::read(settings)
    }

    fn read(settings: &Settings) -> Result<Self> {
        let keys = |name: &str| -> Result<Vec<KeyEntry>> {
            match settings.json(name)? {
                Some(list) => key_entries(name, &list),
                None => Ok(Vec::new()),
            }
        };
        let seconds = |name: &str| -> Result<Option<u64>> {
            Ok(settings.seconds(name)?.map(|duration| duration.as_secs()))
        };
        Ok(PasetoConfig {
            iss: settings.text("PASETO_ISS")?,
            private_keys: keys("PASETO_PRIVATE_KEYS")?,
            public_keys: keys("PASETO_PUBLIC_KEYS")?,
            local_keys: keys("PASETO_LOCAL_KEYS")?,
            exp: seconds("PASETO_EXP")?,
            access_exp: seconds("PASETO_ACCESS_EXP")?,
            refresh_exp: seconds("PASETO_REFRESH_EXP")?,
            login_max_age: seconds("PASETO_LOGIN_MAX_AGE")?,
            refresh_reuse_grace: seconds("PASETO_REFRESH_REUSE_GRACE")?,
            use_iss: settings.bool("PASETO_USE_ISS")?,
            use_iat: settings.bool("PASETO_USE_IAT")?,
            use_kid: settings.bool("PASETO_USE_KID")?,
            use_jti: settings.bool("PASETO_USE_JTI")?,
            skew: seconds("PASETO_SKEW")?,
            audience: settings.text("PASETO_AUDIENCE")?,
            allowed_versions: settings.text("PASETO_ALLOWED_VERSIONS")?,
            allow_no_exp: settings.bool("PASETO_ALLOW_NO_EXP")?,
            verify_cache_size: settings.whole("PASETO_VERIFY_CACHE_SIZE", "a number of tokens")?,
            max_key_trials: settings.whole("PASETO_MAX_KEY_TRIALS", "a number of keys")?,
            key_password: settings.secret("PASETO_KEY_PASSWORD")?,
            wrapping_key: settings.secret("PASETO_WRAPPING_KEY")?,
        })
    }

    /// What unlocks protected keys: `PASETO_KEY_PASSWORD` and `PASETO_WRAPPING_KEY`.
    fn unlock(&self) -> Unlock<'_> {
        Unlock {
            password: self.key_password.as_ref(),
            wrapping_key: self.wrapping_key.as_ref(),
        }
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
            .use_kid(self.use_kid.unwrap_or(true))
            .use_jti(self.use_jti.unwrap_or(true));
        if let Some(iss) = self.issuer_name()? {
            builder = builder.issuer(iss);
        }
        if self.exp == Some(0) {
            return Err(Error::config("PASETO_EXP", "must be at least 1 second"));
        }
        let access = self
            .access_exp
            .map_or(DEFAULT_ACCESS_LIFETIME, Duration::from_secs);
        let refresh = self
            .refresh_exp
            .map_or(DEFAULT_REFRESH_LIFETIME, Duration::from_secs);
        if access.is_zero() {
            return Err(Error::config(
                "PASETO_ACCESS_EXP",
                "must be at least 1 second",
            ));
        }
        if refresh <= access {
            return Err(Error::config(
                "PASETO_REFRESH_EXP",
                "must be longer than PASETO_ACCESS_EXP",
            ));
        }
        let login = self
            .login_max_age
            .map_or(DEFAULT_LOGIN_MAX_AGE, Duration::from_secs);
        if login <= access {
            return Err(Error::config(
                "PASETO_LOGIN_MAX_AGE",
                "must be longer than PASETO_ACCESS_EXP",
            ));
        }
        builder = builder.pair_lifetimes(access, refresh).max_login_age(login);
        if let Some(grace) = self.refresh_reuse_grace.map(Duration::from_secs) {
            if grace >= access {
                return Err(Error::config(
                    "PASETO_REFRESH_REUSE_GRACE",
                    "must be shorter than PASETO_ACCESS_EXP",
                ));
            }
            builder = builder.refresh_reuse_grace(grace);
        }
        for key in self.signing_keys()? {
            builder = builder.key(key);
        }
        Ok(builder)
    }

    /// `PASETO_ISS`, which must not be empty when set.
    fn issuer_name(&self) -> Result<Option<String>> {
        match &self.iss {
            Some(iss) if iss.is_empty() => Err(Error::config("PASETO_ISS", "must not be empty")),
            other => Ok(other.clone()),
        }
    }

    /// The secret keys of `PASETO_PRIVATE_KEYS`.
    fn signing_keys(&self) -> Result<Vec<crate::key::SecretKey>> {
        const SETTING: &str = "PASETO_PRIVATE_KEYS";
        let mut keys = Vec::with_capacity(self.private_keys.len());
        for (index, entry) in self.private_keys.iter().enumerate() {
            match entry.parse(SETTING, index, &self.unlock())? {
                Key::Secret(key) => keys.push(key),
                other => {
                    return Err(Error::config(
                        SETTING,
                        format!(
                            "entry {index} is a {} key; a secret (signing) key is expected",
                            other.describe()
                        ),
                    ));
                }
            }
        }
        Ok(keys)
    }

    /// The issuer; fails naming the setting when keys are missing or of the wrong kind.
    pub fn issuer(&self) -> Result<Issuer> {
        if self.private_keys.is_empty() {
            return Err(Error::config(
                "PASETO_PRIVATE_KEYS",
                "an issuer needs at least one key",
            ));
        }
        self.issuer_builder()?.build().map_err(|err| match err {
            Error::Setup(message) => Error::config("PASETO_PRIVATE_KEYS", message),
            other => other,
        })
    }

    /// A verifier builder from `PASETO_PUBLIC_KEYS`, `PASETO_LOCAL_KEYS`, `PASETO_SKEW`,
    /// `PASETO_AUDIENCE`, `PASETO_ALLOWED_VERSIONS` and `PASETO_ALLOW_NO_EXP`, trusting also the
    /// public halves of `PASETO_PRIVATE_KEYS` for `PASETO_ISS` (a service verifies its own
    /// tokens without repeating its keys).
    ///
    /// Every public key must name the issuer it speaks for (`"iss": "https://…"`), or
    /// [`ANY_ISSUER`] (`"iss": "*"`) to trust it for any issuer; a key without `iss` is an
    /// error, since it would silently accept tokens claiming any issuer.
    pub fn verifier_builder(&self) -> Result<VerifierBuilder> {
        let mut builder = Verifier::builder()
            .leeway(Duration::from_secs(self.skew.unwrap_or(0)))
            .allow_no_expiration(self.allow_no_exp.unwrap_or(false))
            .versions(self.versions()?);
        if let Some(trials) = self.max_key_trials {
            let trials = usize::try_from(trials)
                .ok()
                .filter(|trials| *trials > 0)
                .ok_or_else(|| Error::config("PASETO_MAX_KEY_TRIALS", "must be at least 1"))?;
            builder = builder.max_key_trials(trials);
        }
        if let Some(size) = self.verify_cache_size {
            let size = usize::try_from(size)
                .map_err(|_| Error::config("PASETO_VERIFY_CACHE_SIZE", "is too large"))?;
            builder = builder.cache_size(size);
        }
        if let Some(aud) = &self.audience {
            builder = builder.requirements(Requirements::new().audience(aud.clone()));
        }
        let mut listed = Vec::new();
        for (index, entry) in self.public_keys.iter().enumerate() {
            const SETTING: &str = "PASETO_PUBLIC_KEYS";
            let key = match entry.parse(SETTING, index, &self.unlock())? {
                Key::Public(key) => key,
                other => {
                    return Err(Error::config(
                        SETTING,
                        format!(
                            "entry {index} is a {} key; a public key is expected",
                            other.describe()
                        ),
                    ));
                }
            };
            if entry.iss.is_none() {
                return Err(Error::config(
                    SETTING,
                    format!(
                        "entry {index} has no \"iss\": name the issuer whose tokens this key may \
                         verify (\"iss\": \"https://issuer.example\"), or write \"iss\": \"{ANY_ISSUER}\" \
                         to trust it for any issuer"
                    ),
                ));
            }
            listed.push(key.id().clone());
            builder = match entry.issuer() {
                Some(iss) => builder.public_key(key, iss),
                None => builder.unbound_public_key(key),
            };
        }
        if let (Some(iss), true) = (self.issuer_name()?, self.use_iss.unwrap_or(true)) {
            for key in self.signing_keys()? {
                let public = key.public_key();
                if !listed.contains(public.id()) {
                    builder = builder.public_key(public.clone(), iss.clone());
                }
            }
        }
        for (index, entry) in self.local_keys.iter().enumerate() {
            match entry.parse("PASETO_LOCAL_KEYS", index, &self.unlock())? {
                Key::Local(key) => builder = builder.local_key(key, entry.issuer()),
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
        let builder = self.verifier_builder()?;
        if !builder.has_keys() {
            let fix = if self.private_keys.is_empty() {
                "list the keys to trust in PASETO_PUBLIC_KEYS (or PASETO_LOCAL_KEYS)"
            } else {
                "set PASETO_ISS, so the public halves of PASETO_PRIVATE_KEYS are trusted for it, \
                 or list the keys to trust in PASETO_PUBLIC_KEYS"
            };
            return Err(Error::config(
                "PASETO_PUBLIC_KEYS",
                format!("a verifier needs at least one key: {fix}"),
            ));
        }
        builder.build().map_err(|err| match err {
            Error::Setup(message) => Error::config("PASETO_ALLOWED_VERSIONS", message),
            other => other,
        })
    }

    fn versions(&self) -> Result<Vec<Version>> {
        match &self.allowed_versions {
            None => Ok(vec![Version::V4, Version::V3]),
            Some(list) => list
                .split(',')
                .map(|v| v.trim().parse::<Version>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Error::config("PASETO_ALLOWED_VERSIONS", e)),
        }
    }
}

/// Deserializes from a JSON object of settings, with [`PasetoConfig::from_value`]'s errors
/// (which never show key text).
impl<'de> Deserialize<'de> for PasetoConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        PasetoConfig::from_value(&value).map_err(serde::de::Error::custom)
    }
}

/// Deserializes one key entry, with the same errors as in a key list setting (entry 0).
impl<'de> Deserialize<'de> for KeyEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        KeyEntry::from_value("key entry", 0, &value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::SecretKey;

    fn config(json: serde_json::Value) -> Result<PasetoConfig> {
        PasetoConfig::from_json(&json.to_string())
    }

    /// A token with the claim `"a": 1`, from `cfg`'s issuer.
    fn issue_claim_a(cfg: &PasetoConfig) -> String {
        cfg.issuer()
            .unwrap()
            .issue(&serde_json::json!({"a": 1}))
            .unwrap()
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
        let token = issue_claim_a(&cfg);
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

    /// Key texts of every kind the settings hold (PASERK of local, secret and public keys of each
    /// version, PEM of each curve), each with fragments of its secret part that no error may show.
    fn every_key_text() -> Vec<(String, Vec<String>)> {
        let mut keys = Vec::new();
        for version in Version::ALL {
            let secret = SecretKey::generate(version).unwrap();
            let local = crate::key::LocalKey::generate(version).unwrap();
            for paserk in [
                secret.to_paserk().to_string(),
                secret.public_key().to_paserk(),
                local.to_paserk().to_string(),
            ] {
                let body = paserk.rsplit('.').next().unwrap().to_owned();
                keys.push((paserk, fragments(&body)));
            }
        }
        for pem in [
            include_str!("../tests/keys/ed25519.pem"),
            include_str!("../tests/keys/ed25519.pub.pem"),
            include_str!("../tests/keys/p384.pem"),
            include_str!("../tests/keys/p384.pub.pem"),
        ] {
            let body: Vec<String> = pem
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .flat_map(fragments)
                .collect();
            keys.push((pem.to_owned(), body));
        }
        keys
    }

    /// Ten-character windows at the start, middle and end of `body`.
    fn fragments(body: &str) -> Vec<String> {
        let n = body.len();
        [0, n / 2 - 5, n - 10]
            .into_iter()
            .map(|at| body[at..at + 10].to_owned())
            .collect()
    }

    /// Ways to get a key list wrong, each with the key text in it.
    fn malformed_lists(key: &str) -> Vec<serde_json::Value> {
        use serde_json::json;
        let mut damaged = key.trim_end().to_owned();
        damaged.pop();
        damaged.push('!');
        vec![
            json!([key]),
            json!(key),
            json!({"paserk": key}),
            json!([{"paserk": [key]}]),
            json!([{"key": {"pem": key}}]),
            json!([{"paserk": key, "key": key}]),
            json!([{"pasrek": key}]),
            json!([{ key: 1 }]),
            json!([{"paserk": damaged}]),
            json!([{"key": damaged}]),
            json!([{"paserk": key, "version": key}]),
            json!([{"version": 4, "paserk": key, "iss": 7}]),
        ]
    }

    /// Asserts that `err` (its message and its `Debug`) shows none of `fragments`.
    fn assert_no_key_text(err: &Error, fragments: &[String], case: &str) {
        let shown = format!("{err} {err:?}");
        for fragment in fragments {
            assert!(
                !shown.contains(fragment.as_str()),
                "{case}: the error shows key text: {shown}"
            );
        }
        assert!(matches!(err, Error::Config { .. }), "{case}: {err:?}");
    }

    #[test]
    fn malformed_key_settings_never_show_key_text() {
        let mut checked = 0;
        for (key, fragments) in every_key_text() {
            for list in malformed_lists(&key) {
                for setting in [
                    "PASETO_PRIVATE_KEYS",
                    "PASETO_PUBLIC_KEYS",
                    "PASETO_LOCAL_KEYS",
                ] {
                    let case = format!("{setting} = {list}");
                    // As a file or JSON text, as an environment variable, and as JSON that does
                    // not even parse (cut short inside the key).
                    let json = serde_json::json!({ setting: list.clone() }).to_string();
                    let cut = &json[..json.len() - 12];
                    let results = [
                        PasetoConfig::from_json(&json),
                        PasetoConfig::from_settings(&Settings::from_pairs([(
                            setting,
                            list.to_string(),
                        )])),
                        PasetoConfig::from_json(cut),
                    ];
                    for result in results {
                        // A list that parses is checked when the issuer or verifier is built.
                        let errors = match result {
                            Err(err) => vec![err],
                            Ok(config) => [config.issuer().err(), config.verifier().err()]
                                .into_iter()
                                .flatten()
                                .collect(),
                        };
                        assert!(!errors.is_empty(), "{case}: accepted");
                        for err in &errors {
                            assert_no_key_text(err, &fragments, &case);
                        }
                        checked += 1;
                    }
                }
            }
        }
        let unknown_setting =
            PasetoConfig::from_json(&format!("{{\"{}\": 1}}", "k4.secret.AAAAAAAAAAAAAAAAAAAA"))
                .unwrap_err();
        assert!(!unknown_setting.to_string().contains("AAAAAAAAAA"));
        assert_eq!(checked, 13 * 12 * 3 * 3);
    }

    #[test]
    fn a_key_list_error_names_setting_entry_and_mistake() {
        let err = config(serde_json::json!({
            "PASETO_PUBLIC_KEYS": [{"iss": "x", "paserk": "k4.public.x"}, "k4.public.y"],
        }))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid setting PASETO_PUBLIC_KEYS: entry 1: expected an object such as \
             {\"paserk\": \"k4.…\"} or {\"version\": 4, \"key\": \"-----BEGIN …\"}, found a string; see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#paseto_public_keys"
        );
        let err = PasetoConfig::from_json("{\"PASETO_PRIVATE_KEYS\": [{\"paserk\": \"k4.sec")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid setting config: it ends too early (line 1, column 43); see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#how-settings-are-read"
        );
    }

    #[test]
    fn the_verifier_trusts_the_issuers_own_keys_for_its_name() {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let cfg = config(serde_json::json!({
            "PASETO_ISS": "https://issuer.example",
            "PASETO_PRIVATE_KEYS": [{"paserk": secret.to_paserk().as_str()}],
        }))
        .unwrap();
        let token = issue_claim_a(&cfg);
        let verifier = cfg.verifier().unwrap();
        assert_eq!(
            verifier.verify::<serde_json::Value>(&token).unwrap().claims["a"],
            1
        );
        // Bound to PASETO_ISS: the same key claiming another issuer is refused.
        let impostor = Issuer::builder()
            .issuer("https://other.example")
            .key(secret.clone())
            .build()
            .unwrap()
            .issue(&serde_json::json!({"a": 1}))
            .unwrap();
        let err = verifier.verify::<serde_json::Value>(&impostor).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::ISSUER_MISMATCH);
        // Without PASETO_ISS there is no issuer to bind them to: the error says what to set.
        let nameless = config(serde_json::json!({
            "PASETO_PRIVATE_KEYS": [{"paserk": secret.to_paserk().as_str()}],
        }))
        .unwrap();
        let err = nameless.verifier().unwrap_err();
        assert_eq!(
            setting_of(nameless.verifier().unwrap_err()),
            "PASETO_PUBLIC_KEYS"
        );
        assert!(err.to_string().contains("set PASETO_ISS"), "{err}");
    }

    #[test]
    fn a_public_key_without_iss_is_refused_and_star_trusts_any_issuer() {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let public = secret.public_key().to_paserk();
        let unbound =
            config(serde_json::json!({"PASETO_PUBLIC_KEYS": [{"paserk": public}]})).unwrap();
        let err = unbound.verifier().unwrap_err();
        assert_eq!(
            setting_of(unbound.verifier().unwrap_err()),
            "PASETO_PUBLIC_KEYS"
        );
        assert!(
            err.to_string().contains("entry 0 has no \"iss\"") && err.to_string().contains("\"*\""),
            "{err}"
        );
        let any =
            config(serde_json::json!({"PASETO_PUBLIC_KEYS": [{"paserk": public, "iss": "*"}]}))
                .unwrap()
                .verifier()
                .unwrap();
        for iss in ["https://a.example", "https://b.example"] {
            let token = Issuer::builder()
                .issuer(iss)
                .key(secret.clone())
                .build()
                .unwrap()
                .issue(&serde_json::json!({}))
                .unwrap();
            let verified = any.verify::<serde_json::Value>(&token).unwrap();
            assert_eq!(verified.registered.iss.as_deref(), Some(iss));
        }
    }

    #[test]
    fn a_shared_file_refuses_typos_of_its_names_only() {
        let shared = Settings::from_json(
            r#"{"PASETO_ISS": "https://issuer.example", "PASETO_KEYSET_REFRESH": 60,
                "PASETO_CSRF_METHODS": "POST", "REMEMBER_COOKIE_NAME": "r", "APP_PORT": 8080}"#,
        )
        .unwrap();
        let config = PasetoConfig::from_settings(&shared).unwrap();
        assert_eq!(config.iss.as_deref(), Some("https://issuer.example"));
        let typo = Settings::from_json(r#"{"PASETO_IS": "x", "PASETO_KEYSET_URL": "y"}"#).unwrap();
        assert_eq!(
            PasetoConfig::from_settings(&typo).unwrap_err().to_string(),
            "invalid setting config: unknown setting \"PASETO_IS\"; see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#how-settings-are-read"
        );
        // Alone, a file holds these settings only: any other name is refused.
        assert_eq!(
            PasetoConfig::from_json(r#"{"PASETO_KEYSET_URL": "y"}"#)
                .unwrap_err()
                .to_string(),
            "invalid setting config: unknown setting \"PASETO_KEYSET_URL\"; see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#how-settings-are-read"
        );
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

    /// Costs small enough for quick tests.
    const QUICK: crate::key::protected::PwCost = crate::key::protected::PwCost {
        memory_kib: 64,
        time_cost: 1,
        parallelism: 1,
        pbkdf2_iterations: 1000,
    };

    const PASSWORD: &str = "correct horse battery staple";

    /// The error's setting and message, after checking that neither shows any of `secrets`.
    fn setting_and_message(err: Error, secrets: &[&str]) -> (String, String) {
        let shown = format!("{err} {err:?}");
        for secret in secrets {
            assert!(!shown.contains(secret), "the error shows a secret: {shown}");
        }
        match err {
            Error::Config { setting, message } => (setting, message),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn password_protected_and_wrapped_keys_are_unlocked_by_their_settings() {
        let local = crate::key::LocalKey::generate(Version::V4).unwrap();
        let secret = SecretKey::generate(Version::V3).unwrap();
        let wrapping = crate::key::LocalKey::generate(Version::V3).unwrap();
        let wrapped_secret = secret.to_wrapped_paserk(&wrapping).unwrap();
        let locked_local = local
            .to_password_paserk(PASSWORD.as_bytes(), &QUICK)
            .unwrap();
        let cfg = config(serde_json::json!({
            "PASETO_ISS": "https://issuer.example",
            "PASETO_PRIVATE_KEYS": [{"paserk": wrapped_secret}],
            "PASETO_LOCAL_KEYS": [{"paserk": locked_local}],
            "PASETO_KEY_PASSWORD": PASSWORD,
            "PASETO_WRAPPING_KEY": wrapping.to_paserk().as_str(),
        }))
        .unwrap();
        // The issuer signs with the unwrapped secret key: its public key verifies.
        let token = issue_claim_a(&cfg);
        let verifier = Verifier::builder()
            .public_key(secret.public_key().clone(), "https://issuer.example")
            .build()
            .unwrap();
        assert_eq!(
            verifier.verify::<serde_json::Value>(&token).unwrap().claims["a"],
            1
        );
        // The verifier holds the unlocked local key: a token of that key verifies.
        let local_token = Issuer::builder()
            .key(local.clone())
            .issuer("https://issuer.example")
            .build()
            .unwrap()
            .issue(&serde_json::json!({"b": 2}))
            .unwrap();
        let verifier = cfg.verifier().unwrap();
        assert_eq!(
            verifier
                .verify::<serde_json::Value>(&local_token)
                .unwrap()
                .claims["b"],
            2
        );
        // Through the environment's path (text values) as well.
        let from_env = PasetoConfig::from_settings(&Settings::from_pairs([
            (
                "PASETO_LOCAL_KEYS",
                serde_json::json!([{"paserk": locked_local}]).to_string(),
            ),
            ("PASETO_KEY_PASSWORD", PASSWORD.to_owned()),
        ]))
        .unwrap();
        assert!(from_env.verifier().is_ok());
        // Secrets never show in Debug.
        let debug = format!("{cfg:?} {from_env:?}");
        assert!(!debug.contains(PASSWORD), "{debug}");
        let wrapping_text = wrapping.to_paserk();
        assert!(!debug.contains(wrapping_text.rsplit('.').next().unwrap()));
        assert!(debug.contains("SecretText(REDACTED)"));
    }

    #[test]
    fn a_protected_key_without_its_setting_names_the_setting() {
        let local = crate::key::LocalKey::generate(Version::V4).unwrap();
        let wrapping = crate::key::LocalKey::generate(Version::V4).unwrap();
        let locked = local
            .to_password_paserk(PASSWORD.as_bytes(), &QUICK)
            .unwrap();
        let wrapped = local.to_wrapped_paserk(&wrapping).unwrap();
        let cfg = config(serde_json::json!({"PASETO_LOCAL_KEYS": [{"paserk": locked}]})).unwrap();
        assert_eq!(
            setting_and_message(cfg.verifier().unwrap_err(), &[]),
            (
                "PASETO_KEY_PASSWORD".into(),
                "is not set, and PASETO_LOCAL_KEYS entry 0 is password-protected \
                 (kN.local-pw / kN.secret-pw): set it to the key's password"
                    .into()
            )
        );
        let cfg = config(serde_json::json!({
            "PASETO_LOCAL_KEYS": [{"paserk": local.to_paserk().as_str()}, {"paserk": wrapped}],
            "PASETO_KEY_PASSWORD": PASSWORD,
        }))
        .unwrap();
        assert_eq!(
            setting_and_message(cfg.verifier().unwrap_err(), &[PASSWORD]),
            (
                "PASETO_WRAPPING_KEY".into(),
                "is not set, and PASETO_LOCAL_KEYS entry 1 is wrapped (kN.local-wrap.pie / \
                 kN.secret-wrap.pie): set it to the wrapping key's PASERK (kN.local.…)"
                    .into()
            )
        );
    }

    #[test]
    fn wrong_or_malformed_unlock_settings_name_the_setting_and_show_nothing() {
        let secret = SecretKey::generate(Version::V4).unwrap();
        let wrapping = crate::key::LocalKey::generate(Version::V4).unwrap();
        let wrapping_text = wrapping.to_paserk().to_string();
        let wrapping_body = wrapping_text.rsplit('.').next().unwrap().to_owned();
        let locked = secret
            .to_password_paserk(PASSWORD.as_bytes(), &QUICK)
            .unwrap();
        let wrapped = secret.to_wrapped_paserk(&wrapping).unwrap();
        let entry = |paserk: &str, setting: &str, value: &str| {
            config(serde_json::json!({
                "PASETO_PRIVATE_KEYS": [{"paserk": paserk}],
                setting: value,
            }))
            .unwrap()
            .issuer()
            .unwrap_err()
        };
        let other = crate::key::LocalKey::generate(Version::V4)
            .unwrap()
            .to_paserk()
            .to_string();
        let v3 = crate::key::LocalKey::generate(Version::V3)
            .unwrap()
            .to_paserk()
            .to_string();
        let cases = [
            (
                entry(
                    &locked,
                    "PASETO_KEY_PASSWORD",
                    "Correct horse battery staple",
                ),
                "PASETO_KEY_PASSWORD",
                "does not unlock PASETO_PRIVATE_KEYS entry 0 (a wrong password, or the key was altered)",
            ),
            (
                entry(&wrapped, "PASETO_WRAPPING_KEY", &other),
                "PASETO_WRAPPING_KEY",
                "does not unwrap PASETO_PRIVATE_KEYS entry 0 (another wrapping key, or the key was altered)",
            ),
            (
                entry(&wrapped, "PASETO_WRAPPING_KEY", &v3),
                "PASETO_WRAPPING_KEY",
                "is a k3 key, and PASETO_PRIVATE_KEYS entry 0 is wrapped for k4: a key is unwrapped \
                 with a wrapping key of its version",
            ),
            (
                entry(
                    &wrapped,
                    "PASETO_WRAPPING_KEY",
                    &format!("{}!", &wrapping_text),
                ),
                "PASETO_WRAPPING_KEY",
                "invalid key: not a valid k2/k4 local PASERK",
            ),
            (
                entry(&wrapped, "PASETO_WRAPPING_KEY", &secret.to_paserk()),
                "PASETO_WRAPPING_KEY",
                "invalid key: not a valid k2/k4 local PASERK",
            ),
            (
                entry(
                    &format!("{}A", &wrapped[..wrapped.len() - 4]),
                    "PASETO_WRAPPING_KEY",
                    &wrapping_text,
                ),
                "PASETO_PRIVATE_KEYS",
                "entry 0: invalid key: the data of a k4.secret-wrap.pie.… PASERK is 128 bytes, got 126",
            ),
        ];
        for (err, setting, message) in cases {
            let secret_text = secret.to_paserk().to_string();
            let secret_body = secret_text.rsplit('.').next().unwrap();
            assert_eq!(
                setting_and_message(err, &[PASSWORD, &wrapping_body, &secret_body[..20]]),
                (setting.to_owned(), message.to_owned())
            );
        }
    }

    #[test]
    fn hostile_and_sealed_entries_are_refused_naming_the_entry() {
        // A password-protected key that asks for 4 GiB of memory: refused before hashing.
        let mut data = vec![7u8; 16];
        data.extend_from_slice(&(4u64 << 30).to_be_bytes());
        data.extend_from_slice(&1u32.to_be_bytes());
        data.extend_from_slice(&1u32.to_be_bytes());
        data.extend_from_slice(&[9u8; 24 + 32 + 32]);
        let hostile = format!("k4.local-pw.{}", crate::key::b64_encode(&data));
        let cfg = config(serde_json::json!({
            "PASETO_LOCAL_KEYS": [{"paserk": hostile}],
            "PASETO_KEY_PASSWORD": PASSWORD,
        }))
        .unwrap();
        let started = std::time::Instant::now();
        let err = cfg.verifier().unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        assert_eq!(
            setting_and_message(err, &[PASSWORD]),
            (
                "PASETO_LOCAL_KEYS".into(),
                "entry 0: password hashing cost refused: the PASERK asks for Argon2 memory \
                 4194304 KiB, over the limit of 262144 KiB"
                    .into()
            )
        );
        let recipient = SecretKey::generate(Version::V4).unwrap();
        let sealed = crate::key::LocalKey::generate(Version::V4)
            .unwrap()
            .to_sealed_paserk(recipient.public_key())
            .unwrap();
        let cfg = config(serde_json::json!({"PASETO_LOCAL_KEYS": [{"paserk": sealed}]})).unwrap();
        let (setting, message) = setting_and_message(cfg.verifier().unwrap_err(), &[]);
        assert_eq!(setting, "PASETO_LOCAL_KEYS");
        assert!(
            message.starts_with("entry 0 is a sealed key (kN.seal)"),
            "{message}"
        );
        // A `version` that contradicts the unlocked key.
        let local = crate::key::LocalKey::generate(Version::V4).unwrap();
        let locked = local
            .to_password_paserk(PASSWORD.as_bytes(), &QUICK)
            .unwrap();
        let cfg = config(serde_json::json!({
            "PASETO_LOCAL_KEYS": [{"paserk": locked, "version": 3}],
            "PASETO_KEY_PASSWORD": PASSWORD,
        }))
        .unwrap();
        assert_eq!(
            setting_and_message(cfg.verifier().unwrap_err(), &[PASSWORD]),
            (
                "PASETO_LOCAL_KEYS".into(),
                "entry 0: the key is for v4, not v3".into()
            )
        );
    }
}
