//! `settings`: an operator's settings (flask-paseto-extended's names) through
//! [`PasetoConfig::from_json`], then the issuer and verifier built from them.
//!
//! What must hold: settings are read or refused as a `config` error (or the error of the key
//! they hold), never a panic; no error — nor the settings' `Debug` — shows a key, a password or a
//! wrapping key; a verifier is built only with at least one key. Password-protected keys are not
//! unlocked here (their Argon2id costs are bounded by the default limits, which a fuzzer must not
//! spend seconds on per input): `paserk_protected` fuzzes that with small limits.

use paseto_auth::config::PasetoConfig;
use paseto_auth::key::protected::Protection;
use serde_json::Value;

/// Runs one input: the settings' JSON text.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A secret that is also written elsewhere (as the issuer's name, say) may be shown there.
    let secrets: Vec<String> = secrets(text)
        .into_iter()
        .filter(|secret| text.matches(secret.as_str()).count() == 1)
        .collect();
    let check = |message: &str| {
        for secret in &secrets {
            crate::assert_not_shown(message, secret, "secret setting");
        }
    };
    let mut config = match PasetoConfig::from_json(text) {
        Ok(config) => config,
        Err(err) => {
            assert_eq!(crate::kind(&err), "config", "{err}");
            check(&err.to_string());
            return;
        }
    };
    check(&format!("{config:?}"));
    let protected_by_password = [
        &config.private_keys,
        &config.public_keys,
        &config.local_keys,
    ]
    .into_iter()
    .flatten()
    .filter_map(|entry| entry.paserk.as_deref())
    .any(|paserk| Protection::of(paserk) == Some(Protection::Password));
    if protected_by_password {
        config.key_password = None;
    }
    match config.issuer() {
        Ok(issuer) => {
            assert!(!config.private_keys.is_empty());
            check(&format!("{issuer:?}"));
        }
        Err(err) => check(&err.to_string()),
    }
    match config.verifier() {
        Ok(verifier) => {
            assert!(
                !verifier.keys().is_empty(),
                "a verifier without keys was built"
            );
            check(&format!("{verifier:?}"));
        }
        Err(err) => check(&err.to_string()),
    }
}

/// Every text of the settings that is secret: key texts (`paserk`, `key`), the password, the
/// wrapping key — and the base64 lines of PEM keys.
fn secrets(text: &str) -> Vec<String> {
    let Ok(Value::Object(settings)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in &settings {
        match (name.as_str(), value) {
            ("PASETO_KEY_PASSWORD" | "PASETO_WRAPPING_KEY", Value::String(secret)) => {
                out.push(secret.clone());
            }
            (_, Value::Array(entries)) => {
                for entry in entries {
                    for field in ["paserk", "key"] {
                        if let Some(key) = entry.get(field).and_then(Value::as_str) {
                            out.extend(key_secrets(key));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The secret parts of a key text: a PASERK's data (its last segment), a PEM's base64 lines;
/// public keys and ids are not secret.
fn key_secrets(key: &str) -> Vec<String> {
    let key = key.trim();
    if key.starts_with("-----BEGIN") {
        if key.contains("PUBLIC KEY-----") {
            return Vec::new();
        }
        return key
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .map(str::to_owned)
            .collect();
    }
    match key.split('.').collect::<Vec<_>>()[..] {
        [_, "public" | "pid" | "lid" | "sid", ..] => Vec::new(),
        [.., data] => vec![data.to_owned()],
        [] => Vec::new(),
    }
}
