//! One reader for every setting: where settings come from, how each kind of value is parsed, and
//! how a mistake is reported.
//!
//! A [`Settings`] is read from the environment ([`Settings::env`]), from a JSON object of
//! settings ([`Settings::from_file`], [`Settings::from_json`], [`Settings::from_value`]), or from
//! a map of texts ([`Settings::from_pairs`], for tests or a secrets manager). Each component takes
//! what it needs from it with `from_settings` (its `from_env` is `from_settings(&Settings::env())`),
//! so one file can hold every setting of an application:
//!
//! ```
//! use paseto_auth_core::config::PasetoConfig;
//! use paseto_auth_core::keyset::KeySetSettings;
//! use paseto_auth_core::settings::Settings;
//! use paseto_auth_core::store::{MemoryStore, Revocations};
//!
//! let settings = Settings::from_json(r#"{
//!     "PASETO_ISS": "https://issuer.example",
//!     "PASETO_EXP": 600,
//!     "PASETO_KEYSET_REFRESH": 60,
//!     "PASETO_STORE_FAIL_OPEN": false,
//!     "PASETO_STORE_TIMEOUT_MS": "250"
//! }"#)?;
//! let config = PasetoConfig::from_settings(&settings)?;
//! let keyset = KeySetSettings::from_settings(&settings)?;
//! let revocations = Revocations::from_settings(MemoryStore::new(), &settings)?;
//! assert_eq!(config.exp, Some(600));
//! assert_eq!(keyset.refresh.as_secs(), 60);
//! # let _ = revocations;
//! # Ok::<(), paseto_auth_core::Error>(())
//! ```
//!
//! The rules every reader keeps:
//! - **Unset.** An environment variable that is absent or blank is unset (deployment tools write
//!   `NAME=` for "not set"); in a JSON object or a map, a name that is present is set, even to
//!   `""` (and `null` is refused).
//! - **Values.** Text as the environment holds it; in JSON, a string, or a number or boolean
//!   (read as its text, so `60` and `"60"` are the same). Booleans are `true`/`false`, `1`/`0`,
//!   `yes`/`no`, `on`/`off` in any case; durations whole seconds (or milliseconds where the name
//!   says `_MS`); lists comma-separated text or, in JSON, a list of strings; key lists JSON (text
//!   in the environment, a JSON list in a file).
//! - **Errors** are [`Error::Config`] naming the setting (the file, for a file that cannot be
//!   read or is not a JSON object). A value is quoted, escaped and cut short, only where it cannot
//!   be a secret; a secret, a key or a key list is never shown.
//! - **Unknown names.** A component owns a [`Namespace`] (names with its prefixes) and refuses a
//!   name in it that it does not read: a typo never silently leaves a default in place. The
//!   environment is never checked, since it holds every program's variables; a name outside every
//!   namespace (an application's own setting) is left alone. [`PasetoConfig`] owns the
//!   `PASETO_*` names the other components do not (see
//!   [`PasetoConfig::NAMESPACE`](crate::config::PasetoConfig::NAMESPACE)).
//!
//! [`PasetoConfig`]: crate::config::PasetoConfig

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::error::{Error, Result, untrusted};

/// Settings by name, from one source (see the module docs).
#[derive(Clone)]
pub struct Settings {
    source: Source,
}

#[derive(Clone)]
enum Source {
    /// The process's environment variables.
    Environment,
    /// Texts by name, as the environment would hold them.
    Texts(BTreeMap<String, String>),
    /// A JSON object of settings; `origin` names it in errors about the object itself.
    Json {
        origin: String,
        values: Map<String, Value>,
    },
}

/// One setting as its source holds it.
enum Raw {
    Text(String),
    Json(Value),
}

/// The name errors about a JSON object of settings give it when it has no file name.
const JSON_ORIGIN: &str = "config";

impl Settings {
    /// The process's environment variables, read when a setting is asked for.
    pub fn env() -> Self {
        Settings {
            source: Source::Environment,
        }
    }

    /// Texts by name, read as environment variables are (key lists are JSON text), except that
    /// a name present is set even when its text is blank.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Settings {
            source: Source::Texts(
                pairs
                    .into_iter()
                    .map(|(name, value)| (name.into(), value.into()))
                    .collect(),
            ),
        }
    }

    /// A JSON file holding an object of settings: `{"PASETO_ISS": "…", "PASETO_EXP": 600}`.
    /// A file that cannot be read, is not JSON or not an object is an error naming the file (the
    /// position of a syntax error, never the text, which may hold keys).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let origin = path.as_ref().display().to_string();
        let text =
            std::fs::read_to_string(path.as_ref()).map_err(|e| Error::config(origin.clone(), e))?;
        Self::json_object(origin.clone(), &parse_json(&origin, &text)?)
    }

    /// JSON text holding an object of settings; errors about the text name it `config`.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::json_object(JSON_ORIGIN.to_owned(), &parse_json(JSON_ORIGIN, text)?)
    }

    /// A JSON object of settings; anything else is an error naming it `config`.
    pub fn from_value(value: &Value) -> Result<Self> {
        Self::json_object(JSON_ORIGIN.to_owned(), value)
    }

    fn json_object(origin: String, value: &Value) -> Result<Self> {
        let Value::Object(values) = value else {
            return Err(Error::config(
                origin,
                format!("expected an object of settings, found {}", json_kind(value)),
            ));
        };
        Ok(Settings {
            source: Source::Json {
                origin,
                values: values.clone(),
            },
        })
    }

    /// Setting `name` as its source holds it; `None` when unset.
    fn raw(&self, name: &str) -> Result<Option<Raw>> {
        match &self.source {
            Source::Environment => match std::env::var(name) {
                Ok(value) if value.trim().is_empty() => Ok(None),
                Ok(value) => Ok(Some(Raw::Text(value))),
                Err(std::env::VarError::NotPresent) => Ok(None),
                Err(std::env::VarError::NotUnicode(_)) => {
                    Err(Error::config(name, "is not valid UTF-8"))
                }
            },
            Source::Texts(texts) => Ok(texts.get(name).cloned().map(Raw::Text)),
            Source::Json { values, .. } => Ok(values.get(name).cloned().map(Raw::Json)),
        }
    }

    /// Setting `name` as text: in JSON, a string, or a number or boolean written out.
    pub fn text(&self, name: &str) -> Result<Option<String>> {
        self.raw(name)?
            .map(|raw| match raw {
                Raw::Text(text) => Ok(text),
                Raw::Json(value) => scalar_text(name, &value),
            })
            .transpose()
    }

    /// Setting `name` as a secret: as [`text`](Self::text), kept in a [`SecretText`].
    pub fn secret(&self, name: &str) -> Result<Option<SecretText>> {
        Ok(self.text(name)?.map(SecretText::new))
    }

    /// Setting `name` as a boolean: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any
    /// case (in JSON, also a boolean).
    pub fn bool(&self, name: &str) -> Result<Option<bool>> {
        self.text(name)?
            .map(|text| match text.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(Error::config(
                    name,
                    format!("expected true or false, got \"{}\"", untrusted(&text)),
                )),
            })
            .transpose()
    }

    /// Setting `name` as a whole number; `what` says what it counts, for the error
    /// (`expected {what}, got "…"`), e.g. `"a number of keys"`.
    pub fn whole(&self, name: &str, what: &str) -> Result<Option<u64>> {
        self.text(name)?
            .map(|text| {
                text.trim().parse().map_err(|_| {
                    Error::config(
                        name,
                        format!("expected {what}, got \"{}\"", untrusted(&text)),
                    )
                })
            })
            .transpose()
    }

    /// Setting `name` as whole seconds.
    pub fn seconds(&self, name: &str) -> Result<Option<Duration>> {
        Ok(self.whole(name, "whole seconds")?.map(Duration::from_secs))
    }

    /// Setting `name` as whole milliseconds.
    pub fn millis(&self, name: &str) -> Result<Option<Duration>> {
        Ok(self
            .whole(name, "whole milliseconds")?
            .map(Duration::from_millis))
    }

    /// Setting `name` as a comma-separated list (in JSON, also a list of strings); items are
    /// trimmed, and empty ones dropped.
    pub fn list(&self, name: &str) -> Result<Option<Vec<String>>> {
        self.items(name, &[','])
    }

    /// Setting `name` as a list separated by commas or spaces (in JSON, also a list of
    /// strings); items are trimmed, and empty ones dropped.
    pub fn words(&self, name: &str) -> Result<Option<Vec<String>>> {
        self.items(name, &[',', ' '])
    }

    fn items(&self, name: &str, separators: &[char]) -> Result<Option<Vec<String>>> {
        let text = match self.raw(name)? {
            None => return Ok(None),
            Some(Raw::Json(Value::Array(items))) => {
                let mut list = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let Value::String(item) = item else {
                        return Err(Error::config(
                            name,
                            format!("item {index} must be a string, not {}", json_kind(item)),
                        ));
                    };
                    list.push(item.trim().to_owned());
                }
                list.retain(|item| !item.is_empty());
                return Ok(Some(list));
            }
            Some(Raw::Json(value)) => scalar_text(name, &value)?,
            Some(Raw::Text(text)) => text,
        };
        Ok(Some(
            text.split(separators)
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect(),
        ))
    }

    /// Setting `name` as JSON: text parsed as JSON (the environment's key lists), or the JSON
    /// value a file holds. A syntax error names its position, never the text.
    pub fn json(&self, name: &str) -> Result<Option<Value>> {
        self.raw(name)?
            .map(|raw| match raw {
                Raw::Text(text) => parse_json(name, &text),
                Raw::Json(value) => Ok(value),
            })
            .transpose()
    }

    /// Refuses a name that `namespace` owns and does not read (a typo), unless the settings are
    /// the environment's. The error names the source (the file, or `config`), and shows the
    /// unknown name only when it cannot be key material.
    pub fn check_names(&self, namespace: &Namespace) -> Result<()> {
        let (origin, names): (&str, Vec<&String>) = match &self.source {
            Source::Environment => return Ok(()),
            Source::Texts(texts) => (JSON_ORIGIN, texts.keys().collect()),
            Source::Json { origin, values } => (origin, values.keys().collect()),
        };
        let unknown =
            |name: &&String| namespace.owns(name) && !namespace.names.contains(&name.as_str());
        match names.into_iter().find(unknown) {
            Some(unknown) => Err(Error::config(
                origin,
                format!("unknown setting {}", shown_name(unknown)),
            )),
            None => Ok(()),
        }
    }
}

/// Never shows a value: the names and the source only.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Environment => f.write_str("Settings(environment)"),
            Source::Texts(texts) => write!(f, "Settings({} texts)", texts.len()),
            Source::Json { origin, values } => {
                write!(f, "Settings({} settings of {origin:?})", values.len())
            }
        }
    }
}

/// The setting names a component owns: every name that starts with one of `prefixes` and not
/// with one of `except` (which other components own). Of those, only `names` are read; any
/// other is refused by [`Settings::check_names`], as a typo.
#[derive(Debug, Clone, Copy)]
pub struct Namespace {
    /// The prefixes of the names owned.
    pub prefixes: &'static [&'static str],
    /// Prefixes within those that other components own.
    pub except: &'static [&'static str],
    /// The names read.
    pub names: &'static [&'static str],
}

impl Namespace {
    /// Whether `name` is in the namespace (read or not).
    pub fn owns(&self, name: &str) -> bool {
        self.names.contains(&name)
            || (self.prefixes.iter().any(|prefix| name.starts_with(prefix))
                && !self.except.iter().any(|prefix| name.starts_with(prefix)))
    }
}

/// A setting that is a secret (`PASETO_KEY_PASSWORD`, `PASETO_WRAPPING_KEY`): zeroized on drop,
/// and `Debug` never shows it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(Zeroizing<String>);

impl SecretText {
    /// Keeps `text`.
    pub fn new(text: impl Into<String>) -> Self {
        SecretText(Zeroizing::new(text.into()))
    }

    /// The text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(REDACTED)")
    }
}

/// What a JSON value is, for messages that must not show the value.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A name from the settings for an error message, unless it could be key material (a PASERK,
/// PEM, or a long token-like string put where a name belongs).
pub(crate) fn shown_name(name: &str) -> String {
    let plain = name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        format!("\"{}\"", untrusted(name))
    } else {
        "(its name is not shown: it may be key material)".into()
    }
}

/// Parses JSON text of setting (or file) `setting`. A syntax error names its position, never
/// the text (which may hold keys).
pub(crate) fn parse_json(setting: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "it ends too early",
            _ => "it is not valid JSON",
        };
        Error::config(
            setting,
            format!("{what} (line {}, column {})", e.line(), e.column()),
        )
    })
}

/// A JSON setting's value as text: a string, or a number or boolean written out.
fn scalar_text(name: &str, value: &Value) -> Result<String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(Error::config(
            name,
            format!(
                "expected a string, number or boolean, not {}",
                json_kind(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: Value) -> Settings {
        Settings::from_value(&value).unwrap()
    }

    fn message(err: Error) -> (String, String) {
        match err {
            Error::Config { setting, message } => (setting, message),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn every_source_gives_the_same_values() {
        let texts = Settings::from_pairs([
            ("B", "Yes"),
            ("S", " 60 "),
            ("M", "250"),
            ("L", "a, b,,c "),
            ("W", "POST DELETE,put"),
            ("K", r#"[{"paserk": "k4.local.x"}]"#),
        ]);
        let object = json(serde_json::json!({
            "B": true,
            "S": 60,
            "M": "250",
            "L": ["a", " b", "", "c"],
            "W": ["POST", "DELETE", "put"],
            "K": [{"paserk": "k4.local.x"}],
        }));
        for settings in [texts, object] {
            assert_eq!(settings.bool("B").unwrap(), Some(true));
            assert_eq!(
                settings.seconds("S").unwrap(),
                Some(Duration::from_secs(60))
            );
            assert_eq!(
                settings.millis("M").unwrap(),
                Some(Duration::from_millis(250))
            );
            assert_eq!(settings.list("L").unwrap().unwrap(), ["a", "b", "c"]);
            assert_eq!(
                settings.words("W").unwrap().unwrap(),
                ["POST", "DELETE", "put"]
            );
            assert_eq!(
                settings.json("K").unwrap().unwrap(),
                serde_json::json!([{"paserk": "k4.local.x"}])
            );
            assert_eq!(settings.text("unset").unwrap(), None);
            assert_eq!(settings.bool("unset").unwrap(), None);
        }
    }

    #[test]
    fn a_blank_text_is_set_outside_the_environment() {
        let settings = Settings::from_pairs([("B", "")]);
        assert_eq!(settings.text("B").unwrap().as_deref(), Some(""));
        let (setting, text) = message(settings.bool("B").unwrap_err());
        assert_eq!(
            (setting.as_str(), text.as_str()),
            ("B", "expected true or false, got \"\"")
        );
    }

    #[test]
    fn errors_name_the_setting_and_quote_only_plain_values() {
        let settings = json(serde_json::json!({
            "B": "maybe",
            "S": "0.5",
            "N": "many",
            "X": null,
            "L": ["a", 7],
            "K": {"paserk": "k4.local.x"},
        }));
        assert_eq!(
            message(settings.bool("B").unwrap_err()),
            ("B".into(), "expected true or false, got \"maybe\"".into())
        );
        assert_eq!(
            message(settings.seconds("S").unwrap_err()),
            ("S".into(), "expected whole seconds, got \"0.5\"".into())
        );
        assert_eq!(
            message(settings.whole("N", "a number of keys").unwrap_err()),
            ("N".into(), "expected a number of keys, got \"many\"".into())
        );
        assert_eq!(
            message(settings.text("X").unwrap_err()),
            (
                "X".into(),
                "expected a string, number or boolean, not null".into()
            )
        );
        assert_eq!(
            message(settings.list("L").unwrap_err()),
            ("L".into(), "item 1 must be a string, not a number".into())
        );
        // Text where JSON belongs: the position, never the text.
        let texts = Settings::from_pairs([("K", "[{\"paserk\": \"k4.local.secretsecret")]);
        let (setting, text) = message(texts.json("K").unwrap_err());
        assert_eq!(setting, "K");
        assert!(!text.contains("secretsecret"), "{text}");
        // Text of a secret is never in Debug.
        let secret = texts.secret("K").unwrap().unwrap();
        assert!(!format!("{secret:?} {texts:?}").contains("secretsecret"));
    }

    #[test]
    fn a_document_that_is_not_an_object_names_its_origin() {
        assert_eq!(
            message(Settings::from_json("[1]").unwrap_err()),
            (
                "config".into(),
                "expected an object of settings, found a list".into()
            )
        );
        assert_eq!(
            message(Settings::from_json("{\"A\": ").unwrap_err()),
            (
                "config".into(),
                "it ends too early (line 1, column 6)".into()
            )
        );
        let (origin, _) = message(Settings::from_file("/nonexistent/settings.json").unwrap_err());
        assert_eq!(origin, "/nonexistent/settings.json");
    }

    const OWN: Namespace = Namespace {
        prefixes: &["APP_"],
        except: &["APP_OTHER_"],
        names: &["APP_ONE", "APP_TWO", "SPECIAL"],
    };

    #[test]
    fn a_namespace_refuses_its_unknown_names_only() {
        assert!(OWN.owns("APP_ONE") && OWN.owns("APP_TYPO") && OWN.owns("SPECIAL"));
        assert!(!OWN.owns("APP_OTHER_X") && !OWN.owns("ELSE"));
        let fine = json(serde_json::json!({"APP_ONE": 1, "APP_OTHER_X": 2, "ELSE": 3}));
        assert!(fine.check_names(&OWN).is_ok());
        let typo = Settings::from_pairs([("APP_ONE", "1"), ("APP_TOW", "2")]);
        assert_eq!(
            message(typo.check_names(&OWN).unwrap_err()),
            ("config".into(), "unknown setting \"APP_TOW\"".into())
        );
        let key =
            json(serde_json::json!({"APP_k4.secret.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": 1}));
        let (_, text) = message(key.check_names(&OWN).unwrap_err());
        assert!(!text.contains("AAAAAAAAAA"), "{text}");
        assert!(Settings::env().check_names(&OWN).is_ok());
    }
}
