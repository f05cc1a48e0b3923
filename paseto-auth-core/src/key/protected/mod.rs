//! Protected PASERK: keys stored encrypted, so that a key file or a setting can be kept where
//! the key itself must not be.
//!
//! | type | protects | with | k2 / k4 | k3 |
//! |---|---|---|---|---|
//! | `kN.local-wrap.pie.…`, `kN.secret-wrap.pie.…` | a [`LocalKey`] or [`SecretKey`] | a wrapping [`LocalKey`] of the same version ([`wrap`](LocalKey::to_wrapped_paserk)) | XChaCha20 + BLAKE2b | AES-256-CTR + HMAC-SHA384 |
//! | `kN.local-pw.…`, `kN.secret-pw.…` | a [`LocalKey`] or [`SecretKey`] | a password ([`pw`](LocalKey::to_password_paserk)) | Argon2id, XChaCha20 + BLAKE2b | PBKDF2-SHA384, AES-256-CTR + HMAC-SHA384 |
//! | `kN.seal.…` | a [`LocalKey`] | a [`PublicKey`] of the same version; opened with its [`SecretKey`] ([`seal`](LocalKey::to_sealed_paserk)) | X25519 (from the Ed25519 keys), XChaCha20 + BLAKE2b | ECDH P-384, AES-256-CTR + HMAC-SHA384 |
//!
//! The algorithms are PASERK's (`operations/Wrap/pie.md`, `PBKW.md`, `PKE.md` of the
//! specification) and are held to the official test vectors. Every tag is checked in constant
//! time before anything is decrypted; a tag that does not verify is [`KeyError::UnwrapFailed`]
//! (wrong wrapping key, password or secret key, or an altered PASERK: the two cannot be told
//! apart). A PASERK that is not of the expected type or version, is truncated or is not
//! base64url is [`KeyError::InvalidKey`]. A password-protected PASERK names its own costs, so
//! unwrapping one first holds them to [`PwLimits`] ([`KeyError::PasswordCost`] before any work is
//! done). No error shows key material, a wrapping key or a password.
//!
//! A key never serves another version: a `k4` key is wrapped with a `k4` wrapping key, sealed to
//! a `k4` public key, and what comes out of a `k3` PASERK is a `k3` key. Unwrapped keys go
//! through the same checks as any other (a key of one repeated byte is refused).
//!
//! ```
//! use paseto_auth_core::key::{LocalKey, protected::{PwCost, PwLimits}};
//! use paseto_auth_core::Version;
//!
//! let key = LocalKey::generate(Version::V4)?;
//! let wrapping = LocalKey::generate(Version::V4)?;
//! let wrapped = key.to_wrapped_paserk(&wrapping)?;
//! assert!(wrapped.starts_with("k4.local-wrap.pie."));
//! assert_eq!(LocalKey::from_wrapped_paserk(&wrapped, &wrapping)?.id(), key.id());
//!
//! // Small costs keep the example quick; the defaults are PwCost::default().
//! let cost = PwCost { memory_kib: 1024, time_cost: 1, ..PwCost::default() };
//! let locked = key.to_password_paserk(b"correct horse battery staple", &cost)?;
//! let again = LocalKey::from_password_paserk(&locked, b"correct horse battery staple", &PwLimits::default())?;
//! assert_eq!(again.id(), key.id());
//! # Ok::<(), paseto_auth_core::Error>(())
//! ```

mod primitives;
mod pw;
mod seal;
#[cfg(test)]
mod vectors;
mod wrap;

use zeroize::Zeroizing;

pub use pw::{PwCost, PwLimits};

use super::{Key, LocalKey, PublicKey, SecretKey};
use crate::error::{Error, KeyError, Result};
use crate::version::Version;

/// The version pattern of the NIST family of algorithms (k3: AES-256-CTR, HMAC-SHA384,
/// PBKDF2-SHA384, P-384). k1 would share most of them, but k1 protected PASERK are not
/// implemented: [`refuse_k1`] refuses them before any algorithm runs, so the pattern only keeps
/// the matches exhaustive with the `v1` feature.
#[cfg(not(feature = "v1"))]
macro_rules! nist {
    () => {
        Version::V3
    };
}
#[cfg(feature = "v1")]
macro_rules! nist {
    () => {
        Version::V3 | Version::V1
    };
}
pub(crate) use nist;

/// Refuses k1 (feature `v1`): protected v1 keys are not implemented (v1 is for migration only;
/// its keys are read as plain PASERK or PEM).
fn refuse_k1(version: Version) -> Result<()> {
    #[cfg(feature = "v1")]
    if version == Version::V1 {
        return Err(Error::Key(KeyError::InvalidKey(
            "protected k1 keys (wrap, password, seal) are not supported: v1 is for migration \
             only; unwrap the key elsewhere and give it as k1.local/k1.secret PASERK or PEM"
                .into(),
        )));
    }
    let _ = version;
    Ok(())
}

/// How a PASERK protects the key it holds, read from its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protection {
    /// `kN.local-wrap.pie.…` or `kN.secret-wrap.pie.…`: wrapped with a local key (PIE).
    Wrapped,
    /// `kN.local-pw.…` or `kN.secret-pw.…`: wrapped with a key derived from a password.
    Password,
    /// `kN.seal.…`: a local key encrypted to a public key.
    Sealed,
}

impl Protection {
    /// The protection of `paserk` when it is a protected PASERK of a version this crate
    /// implements (`k2`, `k3`, `k4`); `None` for anything else (a plain key, PEM, garbage).
    ///
    /// ```
    /// use paseto_auth_core::key::protected::Protection;
    /// assert_eq!(Protection::of("k4.local-pw.AAAA"), Some(Protection::Password));
    /// assert_eq!(Protection::of("k4.local.AAAA"), None);
    /// ```
    pub fn of(paserk: &str) -> Option<Protection> {
        let (version, rest) = paserk.trim().split_once('.')?;
        Version::from_paserk_prefix(version)?;
        Held::ALL.into_iter().find_map(|held| {
            [
                Protection::Wrapped,
                Protection::Password,
                Protection::Sealed,
            ]
            .into_iter()
            .find(|protection| {
                held.type_name(*protection).is_some_and(|name| {
                    rest.strip_prefix(name)
                        .is_some_and(|body| body.starts_with('.'))
                })
            })
        })
    }

    /// What unlocks it, for messages: `"wrapping key"`, `"password"` or `"secret key"`.
    pub fn unlocked_by(self) -> &'static str {
        match self {
            Protection::Wrapped => "wrapping key",
            Protection::Password => "password",
            Protection::Sealed => "secret key",
        }
    }
}

/// The kind of key a protected PASERK holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// A key for `local` tokens.
    Local,
    /// A signing key for `public` tokens.
    Secret,
}

impl Held {
    const ALL: [Held; 2] = [Held::Local, Held::Secret];

    /// The PASERK type of this kind of key under `protection` (`local-wrap.pie`, `secret-pw`…);
    /// `None` for a sealed secret key, which PASERK does not have.
    fn type_name(self, protection: Protection) -> Option<&'static str> {
        Some(match (self, protection) {
            (Held::Local, Protection::Wrapped) => "local-wrap.pie",
            (Held::Secret, Protection::Wrapped) => "secret-wrap.pie",
            (Held::Local, Protection::Password) => "local-pw",
            (Held::Secret, Protection::Password) => "secret-pw",
            (Held::Local, Protection::Sealed) => "seal",
            (Held::Secret, Protection::Sealed) => return None,
        })
    }

    /// The length of the raw key of this kind in `version` (local: 32; secret: the Ed25519
    /// seed and public key, 64, or the P-384 scalar, 48).
    fn key_len(self, version: Version) -> usize {
        match (self, version) {
            (Held::Local, _) => 32,
            (Held::Secret, nist!()) => 48,
            (Held::Secret, Version::V2 | Version::V4) => 64,
        }
    }

    /// The header (`h`, e.g. `"k4.local-pw."`) of a PASERK protecting `ptk`, a raw key of this
    /// kind in `version` under `protection`; a key of the wrong length is refused.
    fn header(self, version: Version, protection: Protection, ptk: &[u8]) -> Result<String> {
        if ptk.len() != self.key_len(version) {
            return Err(Error::Key(KeyError::InvalidKey(format!(
                "a {} key to wrap is {} bytes",
                version.paserk_prefix(),
                self.key_len(version)
            ))));
        }
        Ok(format!(
            "{}.{}.",
            version.paserk_prefix(),
            self.type_name(protection).unwrap_or_default()
        ))
    }
}

/// The longest protected PASERK accepted (the longest real one, k2/k4 `secret-pw`, is about 220
/// characters): longer text is refused before it is decoded.
const MAX_PASERK_LEN: usize = 1024;

/// A protected PASERK taken apart: its version, the kind of key it holds, its header (`h` of the
/// algorithms, e.g. `"k4.local-wrap.pie."`) and its decoded data.
struct Parsed {
    version: Version,
    held: Held,
    header: String,
    data: Vec<u8>,
}

/// Parses `paserk` as a PASERK of `protection`, holding a key of one of `held` kinds, of
/// version `expected` when given. Errors are [`KeyError::InvalidKey`] and never show the data.
fn parse(
    paserk: &str,
    protection: Protection,
    held: &[Held],
    expected: Option<Version>,
) -> Result<Parsed> {
    let paserk = paserk.trim();
    let types = || {
        held.iter()
            .filter_map(|h| h.type_name(protection))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let refused = |what: String| Error::Key(KeyError::InvalidKey(what));
    if paserk.len() > MAX_PASERK_LEN {
        return Err(refused(format!(
            "a {} PASERK is at most {MAX_PASERK_LEN} characters, got {}",
            types(),
            paserk.len()
        )));
    }
    let (prefix, rest) = paserk.split_once('.').unwrap_or((paserk, ""));
    let version = Version::from_paserk_prefix(prefix).ok_or_else(|| {
        refused(format!(
            "expected a k2, k3 or k4 {} PASERK (other versions are not supported)",
            types()
        ))
    })?;
    refuse_k1(version)?;
    if let Some(expected) = expected.filter(|expected| *expected != version) {
        return Err(refused(format!(
            "expected a {} {} PASERK, got a {} one",
            expected.paserk_prefix(),
            types(),
            version.paserk_prefix()
        )));
    }
    let found = held.iter().find_map(|h| {
        let name = h.type_name(protection)?;
        Some((*h, rest.strip_prefix(name)?.strip_prefix('.')?))
    });
    let Some((held, body)) = found else {
        return Err(refused(format!(
            "expected a {}.{} PASERK",
            version.paserk_prefix(),
            types()
        )));
    };
    let data = super::b64_decode(body).ok_or_else(|| {
        refused(format!(
            "the data of a {}.{} PASERK is not unpadded base64url",
            version.paserk_prefix(),
            held.type_name(protection).unwrap_or_default()
        ))
    })?;
    let header = format!(
        "{}.{}.",
        version.paserk_prefix(),
        held.type_name(protection).unwrap_or_default()
    );
    Ok(Parsed {
        version,
        held,
        header,
        data,
    })
}

impl Parsed {
    /// Refuses data whose length is not `expected` (a truncated or padded PASERK).
    fn require_len(&self, expected: usize) -> Result<()> {
        if self.data.len() == expected {
            Ok(())
        } else {
            Err(Error::Key(KeyError::InvalidKey(format!(
                "the data of a {}… PASERK is {expected} bytes, got {}",
                self.header,
                self.data.len()
            ))))
        }
    }
}

/// Builds the text of a protected PASERK from its header and data.
fn format(header: &str, data: &[u8]) -> String {
    let mut out = header.to_owned();
    out.push_str(&super::b64_encode(data));
    out
}

/// The raw bytes of a key of any of the three kinds, whose v3 key gives them with `$v3`; a k1
/// key is refused (PASERK has no protected k1 keys), and a key without the bytes of its own
/// version is an invalid key.
macro_rules! raw_bytes {
    ($key:expr, $kind:literal, $v3:ident) => {{
        let key = $key;
        let bytes = match key.version() {
            #[cfg(feature = "v1")]
            Version::V1 => None,
            Version::V2 => key.v2().map(|k| k.as_bytes()),
            Version::V3 => key.v3().map(|k| k.$v3()),
            Version::V4 => key.v4().map(|k| k.as_bytes()),
        };
        raw_bytes(key.version(), $kind, bytes)
    }};
}

/// The raw bytes of a local key.
fn local_bytes(key: &LocalKey) -> Result<&[u8]> {
    raw_bytes!(key, "local", as_slice)
}

/// The raw bytes of a secret key (Ed25519: seed ‖ public key; P-384: the scalar).
fn secret_bytes(key: &SecretKey) -> Result<&[u8]> {
    raw_bytes!(key, "secret", as_bytes)
}

/// The raw bytes of a public key (Ed25519: 32 bytes; P-384: the compressed point, 49).
fn public_bytes(key: &PublicKey) -> Result<&[u8]> {
    raw_bytes!(key, "public", as_bytes)
}

/// What `raw_bytes!` found, checked.
fn raw_bytes<'a>(version: Version, kind: &str, bytes: Option<&'a [u8]>) -> Result<&'a [u8]> {
    refuse_k1(version)?;
    bytes.ok_or_else(|| {
        Error::Key(KeyError::InvalidKey(format!(
            "the {kind} key does not match its version"
        )))
    })
}

/// The typed key of an unwrapped raw key.
fn key_of(version: Version, held: Held, bytes: &[u8]) -> Result<Key> {
    Ok(match held {
        Held::Local => Key::Local(LocalKey::from_bytes(version, bytes)?),
        Held::Secret => Key::Secret(SecretKey::from_bytes(version, bytes)?),
    })
}

/// The error for a public key given to protect: it needs no protection.
fn public_key_refused() -> Error {
    Error::Key(KeyError::InvalidKey(
        "a public key is not secret: it is published as it is, never wrapped".into(),
    ))
}

/// Refuses to protect a key of one version with a key of another.
fn same_version(key: Version, protector: Version, protector_name: &str) -> Result<()> {
    if key == protector {
        Ok(())
    } else {
        Err(Error::Key(KeyError::InvalidKey(format!(
            "a {} key is protected with a {} {protector_name}, not a {} one",
            key.paserk_prefix(),
            key.paserk_prefix(),
            protector.paserk_prefix()
        ))))
    }
}

/// Unwraps a `kN.local-wrap.pie.…` or `kN.secret-wrap.pie.…` PASERK with `wrapping_key`, which
/// must be of the PASERK's version; gives the local or secret key it holds.
pub fn unwrap_with_key(paserk: &str, wrapping_key: &LocalKey) -> Result<Key> {
    let (version, held, bytes) = wrap::unwrap(
        paserk,
        &Held::ALL,
        wrapping_key.version(),
        local_bytes(wrapping_key)?,
    )?;
    key_of(version, held, &bytes)
}

/// Wraps a local or secret key with `wrapping_key` (a local key of the same version) into a
/// `kN.local-wrap.pie.…` or `kN.secret-wrap.pie.…` PASERK.
pub fn wrap_with_key(key: &Key, wrapping_key: &LocalKey) -> Result<String> {
    match key {
        Key::Local(key) => key.to_wrapped_paserk(wrapping_key),
        Key::Secret(key) => key.to_wrapped_paserk(wrapping_key),
        Key::Public(_) => Err(public_key_refused()),
    }
}

/// Unwraps a `kN.local-pw.…` or `kN.secret-pw.…` PASERK with `password`, after holding its
/// costs to `limits`; gives the local or secret key it holds.
pub fn unwrap_with_password(paserk: &str, password: &[u8], limits: &PwLimits) -> Result<Key> {
    let (version, held, bytes) = pw::unwrap(paserk, &Held::ALL, None, password, limits)?;
    key_of(version, held, &bytes)
}

/// Wraps a local or secret key with `password` into a `kN.local-pw.…` or `kN.secret-pw.…`
/// PASERK, at `cost`.
pub fn wrap_with_password(key: &Key, password: &[u8], cost: &PwCost) -> Result<String> {
    match key {
        Key::Local(key) => key.to_password_paserk(password, cost),
        Key::Secret(key) => key.to_password_paserk(password, cost),
        Key::Public(_) => Err(public_key_refused()),
    }
}

/// A raw key as it comes out of a protected PASERK, zeroized on drop.
type RawKey = Zeroizing<Vec<u8>>;
