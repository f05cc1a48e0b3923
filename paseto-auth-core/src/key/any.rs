//! A key of any purpose, parsed from text: what config files and the CLI hand us.

use super::{LocalKey, PublicKey, SecretKey};
use crate::error::{Error, KeyError, Result};
use crate::version::{Purpose, Version};

/// A key whose purpose is known only once it is parsed (from PASERK or PEM text).
#[derive(Debug, Clone)]
pub enum Key {
    /// A symmetric key for `local` tokens.
    Local(LocalKey),
    /// A signing key for `public` tokens.
    Secret(SecretKey),
    /// A verification key for `public` tokens.
    Public(PublicKey),
}

impl Key {
    /// Parses a PASERK (`kN.local|secret|public.…`) or a PEM key.
    ///
    /// PEM carries no PASETO version: P-384 means v3, Ed25519 means v4 unless `pem_version` is
    /// `Some(Version::V2)`. For PASERK `pem_version` must be `None` or agree with the key.
    pub fn parse(text: &str, pem_version: Option<Version>) -> Result<Self> {
        let text = text.trim();
        let key = if text.starts_with("-----BEGIN") {
            if text.contains("PUBLIC KEY-----") {
                Key::Public(PublicKey::from_pem(text, pem_version)?)
            } else {
                Key::Secret(SecretKey::from_pem(text, pem_version)?)
            }
        } else {
            match text.split('.').nth(1) {
                Some("local") => Key::Local(LocalKey::from_paserk(text)?),
                Some("secret") => Key::Secret(SecretKey::from_paserk(text)?),
                Some("public") => Key::Public(PublicKey::from_paserk(text)?),
                _ => {
                    let message = match super::protected::Protection::of(text) {
                        Some(protection) => format!(
                            "this PASERK is a protected key: unlock it with its {} first \
                             (paseto_auth::key::protected, or `paseto-auth unwrap`/`unseal`)",
                            protection.unlocked_by()
                        ),
                        None => "expected a PASERK (kN.local/secret/public.…) or a PEM key".into(),
                    };
                    return Err(Error::Key(KeyError::InvalidKey(message)));
                }
            }
        };
        match pem_version {
            Some(version) if version != key.version() => Err(Error::Key(KeyError::InvalidKey(
                format!("the key is for {}, not {version}", key.version()),
            ))),
            _ => Ok(key),
        }
    }

    /// The version the key is for.
    pub fn version(&self) -> Version {
        match self {
            Key::Local(k) => k.version(),
            Key::Secret(k) => k.version(),
            Key::Public(k) => k.version(),
        }
    }

    /// The purpose of the tokens the key handles.
    pub fn purpose(&self) -> Purpose {
        match self {
            Key::Local(_) => Purpose::Local,
            Key::Secret(_) | Key::Public(_) => Purpose::Public,
        }
    }

    /// A short description such as `"k4.secret"`, for messages.
    pub fn describe(&self) -> String {
        let kind = match self {
            Key::Local(_) => "local",
            Key::Secret(_) => "secret",
            Key::Public(_) => "public",
        };
        format!("{}.{kind}", self.version().paserk_prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protected_paserk_is_not_a_key_until_unlocked() {
        let key = LocalKey::generate(Version::V4).unwrap();
        let wrapping = LocalKey::generate(Version::V4).unwrap();
        let wrapped = key.to_wrapped_paserk(&wrapping).unwrap();
        let err = Key::parse(&wrapped, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: this PASERK is a protected key: unlock it with its wrapping key first \
             (paseto_auth::key::protected, or `paseto-auth unwrap`/`unseal`)"
        );
        let err = Key::parse("k4.bogus.AAAA", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: expected a PASERK (kN.local/secret/public.…) or a PEM key"
        );
    }
}
