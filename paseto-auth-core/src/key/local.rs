//! Symmetric keys for `local` tokens.

use std::fmt;

use hkdf::Hkdf;
use pasetors::keys::{Generate, SymmetricKey};
use pasetors::paserk::Id;
use pasetors::version2::V2;
use pasetors::version4::V4;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::id::{KeyId, format_paserk};
use super::k3_local;
use crate::error::{Cause, Error, KeyError, Result};
use crate::version::Version;

/// Minimum length of a secret given to [`LocalKey::derive_from_secret`].
pub const MIN_SECRET_LEN: usize = 32;

/// The version-specific key material (pasetors has no v3.local nor v1, so those keep raw bytes).
#[derive(Clone)]
enum Inner {
    #[cfg(feature = "v1")]
    V1(Zeroizing<[u8; 32]>),
    V2(SymmetricKey<V2>),
    V3(Zeroizing<[u8; 32]>),
    V4(SymmetricKey<V4>),
}

/// A 256-bit key that encrypts and decrypts `local` tokens of one version.
///
/// `Debug` never shows the key and the bytes are zeroized on drop.
///
/// ```
/// use paseto_auth_core::{key::LocalKey, Version};
/// let key = LocalKey::generate(Version::V4)?;
/// let again = LocalKey::from_paserk(&key.to_paserk())?;
/// assert_eq!(key.id(), again.id());
/// assert!(key.id().as_str().starts_with("k4.lid."));
/// # Ok::<(), paseto_auth_core::Error>(())
/// ```
#[derive(Clone)]
pub struct LocalKey {
    inner: Inner,
    id: KeyId,
}

impl LocalKey {
    /// The key, after refusing weak key material (see [`super::refuse_repeated_byte`]).
    fn checked(inner: Inner) -> Result<Self> {
        let bytes: &[u8] = match &inner {
            #[cfg(feature = "v1")]
            Inner::V1(bytes) => bytes.as_slice(),
            Inner::V2(key) => key.as_bytes(),
            Inner::V3(bytes) => bytes.as_slice(),
            Inner::V4(key) => key.as_bytes(),
        };
        super::refuse_repeated_byte(bytes, "a local key")?;
        Ok(Self::from_inner(inner))
    }

    fn from_inner(inner: Inner) -> Self {
        let id = match &inner {
            #[cfg(feature = "v1")]
            Inner::V1(bytes) => k3_local::lid_of(k3_local::K1, bytes),
            Inner::V2(key) => format_paserk(&Id::from(key)),
            Inner::V3(bytes) => k3_local::lid(bytes),
            Inner::V4(key) => format_paserk(&Id::from(key)),
        };
        LocalKey {
            inner,
            id: KeyId::new(id),
        }
    }

    /// A fresh random key for `version`.
    pub fn generate(version: Version) -> Result<Self> {
        let rng_failed = |_| Error::Crypto(Cause::msg("random key generation failed"));
        let random = || -> Result<Zeroizing<[u8; 32]>> {
            let mut bytes = Zeroizing::new([0u8; 32]);
            getrandom::fill(bytes.as_mut_slice())
                .map_err(|_| Error::Crypto(Cause::msg("random key generation failed")))?;
            Ok(bytes)
        };
        let inner = match version {
            #[cfg(feature = "v1")]
            Version::V1 => Inner::V1(random()?),
            Version::V2 => Inner::V2(SymmetricKey::<V2>::generate().map_err(rng_failed)?),
            Version::V3 => Inner::V3(random()?),
            Version::V4 => Inner::V4(SymmetricKey::<V4>::generate().map_err(rng_failed)?),
        };
        Ok(Self::from_inner(inner))
    }

    /// Parses a PASERK `k2.local.…`, `k3.local.…` or `k4.local.…` (`k1.local.…` with the `v1`
    /// feature). A key of one repeated byte (the all-zero key of the official vectors, say) is
    /// refused: it is no secret.
    pub fn from_paserk(paserk: &str) -> Result<Self> {
        let paserk = paserk.trim();
        let invalid = |_| {
            Error::Key(KeyError::InvalidKey(
                "not a valid k2/k4 local PASERK".into(),
            ))
        };
        let inner = match paserk.split('.').next() {
            Some("k2") => Inner::V2(SymmetricKey::<V2>::try_from(paserk).map_err(invalid)?),
            Some("k3") => Inner::V3(k3_local::from_paserk(paserk)?),
            #[cfg(feature = "v1")]
            Some("k1") => Inner::V1(k3_local::from_paserk_of(k3_local::K1, paserk)?),
            Some("k4") => Inner::V4(SymmetricKey::<V4>::try_from(paserk).map_err(invalid)?),
            _ => {
                return Err(Error::Key(KeyError::InvalidKey(
                    "expected a k2/k3/k4 .local PASERK".into(),
                )));
            }
        };
        Self::checked(inner)
    }

    /// Raw key bytes; only for the official test vectors and internal derivation.
    pub(crate) fn from_bytes(version: Version, bytes: &[u8]) -> Result<Self> {
        let wrong_len = || Error::Key(KeyError::InvalidKey("a local key is 32 bytes".into()));
        let raw = || -> Result<Zeroizing<[u8; 32]>> {
            let array: [u8; 32] = bytes.try_into().map_err(|_| wrong_len())?;
            Ok(Zeroizing::new(array))
        };
        let inner = match version {
            #[cfg(feature = "v1")]
            Version::V1 => Inner::V1(raw()?),
            Version::V2 => Inner::V2(SymmetricKey::from(bytes).map_err(|_| wrong_len())?),
            Version::V3 => Inner::V3(raw()?),
            Version::V4 => Inner::V4(SymmetricKey::from(bytes).map_err(|_| wrong_len())?),
        };
        Self::checked(inner)
    }

    /// Derives a key from an application secret (such as Flask's `SECRET_KEY`) for one use.
    ///
    /// The KDF is HKDF-SHA256 with salt `"paseto-auth/v1 derive-from-secret"`, the secret as input
    /// key material and `info = version ‖ ".local." ‖ purpose`, giving 32 bytes. Different
    /// `purpose` labels (e.g. `"session"`, `"remember"`) give unrelated keys, so a cookie of one kind
    /// can never be opened as another. The secret must be at least 32 bytes (any longer secret
    /// works) and not one byte repeated.
    pub fn derive_from_secret(version: Version, secret: &[u8], purpose: &str) -> Result<Self> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::Key(KeyError::InvalidKey(format!(
                "a secret to derive a key from must be at least {MIN_SECRET_LEN} bytes, got {}",
                secret.len()
            ))));
        }
        super::refuse_repeated_byte(secret, "a secret")?;
        let hkdf = Hkdf::<Sha256>::new(Some(b"paseto-auth/v1 derive-from-secret"), secret);
        let mut okm = Zeroizing::new([0u8; 32]);
        let info = format!("{}.local.{purpose}", version.as_str());
        hkdf.expand(info.as_bytes(), okm.as_mut_slice())
            .map_err(|_| Error::Crypto(Cause::msg("HKDF expand failed")))?;
        Self::from_bytes(version, okm.as_slice())
    }

    /// The version this key is for.
    pub fn version(&self) -> Version {
        match self.inner {
            #[cfg(feature = "v1")]
            Inner::V1(_) => Version::V1,
            Inner::V2(_) => Version::V2,
            Inner::V3(_) => Version::V3,
            Inner::V4(_) => Version::V4,
        }
    }

    /// The PASERK id (`kN.lid.…`), safe to publish and to put in a footer.
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The key as PASERK (`kN.local.…`). This is secret material: store it like a password.
    pub fn to_paserk(&self) -> Zeroizing<String> {
        Zeroizing::new(match &self.inner {
            Inner::V2(key) => format_paserk(key),
            Inner::V3(bytes) => k3_local::to_paserk(bytes),
            #[cfg(feature = "v1")]
            Inner::V1(bytes) => k3_local::to_paserk_of(k3_local::K1, bytes),
            Inner::V4(key) => format_paserk(key),
        })
    }

    pub(crate) fn v2(&self) -> Option<&SymmetricKey<V2>> {
        match &self.inner {
            Inner::V2(key) => Some(key),
            _ => None,
        }
    }

    #[cfg(feature = "v1")]
    pub(crate) fn v1(&self) -> Option<&[u8; 32]> {
        match &self.inner {
            Inner::V1(bytes) => Some(bytes),
            _ => None,
        }
    }

    pub(crate) fn v3(&self) -> Option<&[u8; 32]> {
        match &self.inner {
            Inner::V3(bytes) => Some(bytes),
            _ => None,
        }
    }

    pub(crate) fn v4(&self) -> Option<&SymmetricKey<V4>> {
        match &self.inner {
            Inner::V4(key) => Some(key),
            _ => None,
        }
    }
}

impl fmt::Debug for LocalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalKey")
            .field("version", &self.version())
            .field("id", &self.id)
            .field("key", &"REDACTED")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = LocalKey::generate(Version::V4).unwrap();
        let paserk = key.to_paserk();
        let secret_part = paserk.rsplit('.').next().unwrap();
        let debug = format!("{key:?}");
        assert!(debug.contains("REDACTED"));
        assert!(!debug.contains(secret_part));
    }

    #[test]
    fn short_secrets_are_refused_and_purposes_separate_keys() {
        let err = LocalKey::derive_from_secret(Version::V4, &[7; 31], "session").unwrap_err();
        assert!(matches!(err, Error::Key(KeyError::InvalidKey(_))));
        let long = b"a secret of more than thirty-two bytes, any length above works";
        let session = LocalKey::derive_from_secret(Version::V4, long, "session").unwrap();
        let remember = LocalKey::derive_from_secret(Version::V4, long, "remember").unwrap();
        let again = LocalKey::derive_from_secret(Version::V4, long, "session").unwrap();
        assert_ne!(session.id(), remember.id());
        assert_eq!(session.id(), again.id());
    }

    #[test]
    fn keys_and_secrets_of_one_repeated_byte_are_refused() {
        for version in Version::ALL {
            for byte in [0x00, 0x61, 0xff] {
                let bytes = [byte; 32];
                let err = LocalKey::from_bytes(version, &bytes).unwrap_err();
                assert!(matches!(
                    err,
                    Error::Key(KeyError::InvalidKey(ref m)) if m.contains("one repeated byte")
                ));
                let paserk = format!(
                    "{}.local.{}",
                    version.paserk_prefix(),
                    super::super::b64_encode(&bytes)
                );
                let err = LocalKey::from_paserk(&paserk).unwrap_err();
                assert!(
                    matches!(
                        err,
                        Error::Key(KeyError::InvalidKey(ref m)) if m.contains("one repeated byte")
                    ),
                    "{paserk}: {err}"
                );
                let err =
                    LocalKey::derive_from_secret(version, &[byte; 64], "session").unwrap_err();
                assert!(matches!(
                    err,
                    Error::Key(KeyError::InvalidKey(ref m)) if m.contains("one repeated byte")
                ));
            }
        }
        // The official vectors' all-zero keys, as users would paste them.
        for paserk in [
            "k4.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "k3.local.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(LocalKey::from_paserk(paserk).is_err(), "{paserk}");
        }
        let err = LocalKey::derive_from_secret(Version::V4, &[b'a'; 32], "session").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: a secret made of one repeated byte is not a secret"
        );
        // One differing byte is enough to be a key (whether it is a good one is the user's
        // business; generated and derived keys are).
        let mut almost = [0u8; 32];
        almost[31] = 1;
        assert!(LocalKey::from_bytes(Version::V4, &almost).is_ok());
    }

    #[test]
    fn paserk_of_each_version_round_trips() {
        for version in Version::ALL {
            let key = LocalKey::generate(version).unwrap();
            let parsed = LocalKey::from_paserk(&key.to_paserk()).unwrap();
            assert_eq!(parsed.version(), version);
            assert_eq!(parsed.id(), key.id());
        }
    }
}
