//! Key pairs for `public` tokens: secret keys sign, public keys verify.

use std::fmt;
use std::sync::Arc;

use pasetors::keys::{AsymmetricKeyPair, AsymmetricPublicKey, AsymmetricSecretKey, Generate};
use pasetors::paserk::Id;
use pasetors::version2::V2;
use pasetors::version3::V3;
use pasetors::version4::V4;
use zeroize::Zeroizing;

use super::ed25519::Ed25519Key;
use super::id::{KeyId, format_paserk};
use crate::error::{Cause, Error, KeyError, Result};
use crate::version::Version;

#[derive(Clone)]
enum SecretInner {
    #[cfg(feature = "v1")]
    V1(Box<super::k1::RsaSecret>),
    V2(AsymmetricSecretKey<V2>),
    V3(AsymmetricSecretKey<V3>),
    V4(AsymmetricSecretKey<V4>),
}

#[derive(Clone, PartialEq)]
enum PublicInner {
    #[cfg(feature = "v1")]
    V1(Box<super::k1::RsaPublic>),
    V2(AsymmetricPublicKey<V2>),
    V3(AsymmetricPublicKey<V3>),
    V4(AsymmetricPublicKey<V4>),
}

/// A signing key for `public` tokens of one version (Ed25519 for v2/v4, P-384 for v3; RSA-2048
/// for v1, with the `v1` feature: see the timing advisory in `paseto_auth::docs::layout` before signing with one).
///
/// It carries its [`PublicKey`]. `Debug` never shows the secret, which pasetors zeroizes on drop.
///
/// ```
/// use paseto_auth_core::{key::SecretKey, Version};
/// let secret = SecretKey::generate(Version::V4)?;
/// assert!(secret.public_key().id().as_str().starts_with("k4.pid."));
/// assert!(secret.to_paserk().starts_with("k4.secret."));
/// # Ok::<(), paseto_auth_core::Error>(())
/// ```
#[derive(Clone)]
pub struct SecretKey {
    inner: SecretInner,
    public: PublicKey,
}

/// A verification key for `public` tokens of one version.
#[derive(Clone, PartialEq)]
pub struct PublicKey {
    inner: PublicInner,
    id: KeyId,
    /// An Ed25519 key (v2, v4) in the form that verifies fastest (see `key::ed25519`); `None`
    /// for P-384 keys, and for keys outside the prime-order subgroup (left to pasetors).
    ed25519: Option<Arc<Ed25519Key>>,
}

/// Refuses an Ed25519 secret key whose seed is one repeated byte (all zeros included) before
/// pasetors sees it: such a seed is public knowledge, and ed25519-compact panics on the all-zero
/// one (it would take the process down).
fn refuse_weak_seed(version: Version, bytes: &[u8]) -> Result<()> {
    let ed25519 = matches!(version, Version::V2 | Version::V4);
    match bytes.get(..32) {
        Some(seed) if ed25519 => super::refuse_repeated_byte(seed, "an Ed25519 seed"),
        _ => Ok(()),
    }
}

fn invalid(what: &str) -> impl Fn(pasetors::errors::Error) -> Error + '_ {
    move |_| Error::Key(KeyError::InvalidKey(format!("not a valid {what}")))
}

impl SecretKey {
    fn from_inner(inner: SecretInner) -> Result<Self> {
        let public = match &inner {
            #[cfg(feature = "v1")]
            SecretInner::V1(sk) => PublicInner::V1(Box::new(sk.public()?)),
            SecretInner::V2(sk) => PublicInner::V2(
                AsymmetricPublicKey::try_from(sk).map_err(invalid("v2 secret key"))?,
            ),
            SecretInner::V3(sk) => PublicInner::V3(
                AsymmetricPublicKey::try_from(sk).map_err(invalid("v3 secret key"))?,
            ),
            SecretInner::V4(sk) => PublicInner::V4(
                AsymmetricPublicKey::try_from(sk).map_err(invalid("v4 secret key"))?,
            ),
        };
        Ok(SecretKey {
            inner,
            public: PublicKey::from_inner(public),
        })
    }

    /// A fresh random key pair for `version` (for v1 an RSA-2048 key, which takes a moment).
    pub fn generate(version: Version) -> Result<Self> {
        let failed = |_| Error::Crypto(Cause::msg("key generation failed"));
        let inner = match version {
            #[cfg(feature = "v1")]
            Version::V1 => SecretInner::V1(Box::new(super::k1::RsaSecret::generate()?)),
            Version::V2 => {
                SecretInner::V2(AsymmetricKeyPair::<V2>::generate().map_err(failed)?.secret)
            }
            Version::V3 => {
                SecretInner::V3(AsymmetricKeyPair::<V3>::generate().map_err(failed)?.secret)
            }
            Version::V4 => {
                SecretInner::V4(AsymmetricKeyPair::<V4>::generate().map_err(failed)?.secret)
            }
        };
        Self::from_inner(inner)
    }

    /// Parses a PASERK `k2.secret.…`, `k3.secret.…` or `k4.secret.…` (`k1.secret.…`, PKCS#1
    /// DER, with the `v1` feature).
    pub fn from_paserk(paserk: &str) -> Result<Self> {
        let paserk = paserk.trim();
        if let Some(version) = paserk
            .split('.')
            .next()
            .and_then(Version::from_paserk_prefix)
        {
            let body = paserk.rsplit('.').next().and_then(super::b64_decode);
            refuse_weak_seed(version, body.as_deref().unwrap_or_default())?;
        }
        let inner = match paserk.split('.').next() {
            #[cfg(feature = "v1")]
            Some("k1") => SecretInner::V1(Box::new(super::k1::RsaSecret::from_paserk(paserk)?)),
            Some("k2") => SecretInner::V2(paserk.try_into().map_err(invalid("k2.secret PASERK"))?),
            Some("k3") => SecretInner::V3(paserk.try_into().map_err(invalid("k3.secret PASERK"))?),
            Some("k4") => SecretInner::V4(paserk.try_into().map_err(invalid("k4.secret PASERK"))?),
            _ => {
                return Err(Error::Key(KeyError::InvalidKey(
                    "expected a k2/k3/k4 .secret PASERK".into(),
                )));
            }
        };
        Self::from_inner(inner)
    }

    /// Parses a PEM private key: PKCS#8 Ed25519 (v4, or v2 when `version` says so) or P-384
    /// (PKCS#8 or SEC1 `EC PRIVATE KEY`, always v3); with the `v1` feature also RSA-2048
    /// (PKCS#1 `RSA PRIVATE KEY` or PKCS#8, always v1).
    pub fn from_pem(pem: &str, version: Option<Version>) -> Result<Self> {
        super::pem::secret_from_pem(pem, version)
    }

    /// Raw PASETO secret-key bytes (Ed25519: seed ‖ public key, 64 bytes; P-384: 48-byte scalar;
    /// RSA: PKCS#1 DER).
    pub(crate) fn from_bytes(version: Version, bytes: &[u8]) -> Result<Self> {
        refuse_weak_seed(version, bytes)?;
        let inner = match version {
            #[cfg(feature = "v1")]
            Version::V1 => SecretInner::V1(Box::new(super::k1::RsaSecret::from_pkcs1_der(bytes)?)),
            Version::V2 => {
                SecretInner::V2(AsymmetricSecretKey::from(bytes).map_err(invalid("v2 secret key"))?)
            }
            Version::V3 => {
                SecretInner::V3(AsymmetricSecretKey::from(bytes).map_err(invalid("v3 secret key"))?)
            }
            Version::V4 => {
                SecretInner::V4(AsymmetricSecretKey::from(bytes).map_err(invalid("v4 secret key"))?)
            }
        };
        Self::from_inner(inner)
    }

    /// The version this key signs for.
    pub fn version(&self) -> Version {
        self.public.version()
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The PASERK secret id (`kN.sid.…`). A token footer names the *public* id instead
    /// ([`PublicKey::id`]), which is what verifiers hold.
    pub fn secret_id(&self) -> KeyId {
        KeyId::new(match &self.inner {
            #[cfg(feature = "v1")]
            SecretInner::V1(sk) => sk.sid(),
            SecretInner::V2(sk) => format_paserk(&Id::from(sk)),
            SecretInner::V3(sk) => format_paserk(&Id::from(sk)),
            SecretInner::V4(sk) => format_paserk(&Id::from(sk)),
        })
    }

    /// The key as PASERK (`kN.secret.…`). This is secret material.
    pub fn to_paserk(&self) -> Zeroizing<String> {
        Zeroizing::new(match &self.inner {
            #[cfg(feature = "v1")]
            SecretInner::V1(sk) => return sk.to_paserk(),
            SecretInner::V2(sk) => format_paserk(sk),
            SecretInner::V3(sk) => format_paserk(sk),
            SecretInner::V4(sk) => format_paserk(sk),
        })
    }

    /// A v1 key from an RSA key read elsewhere (PEM).
    #[cfg(feature = "v1")]
    pub(super) fn from_rsa(key: super::k1::RsaSecret) -> Result<Self> {
        Self::from_inner(SecretInner::V1(Box::new(key)))
    }

    #[cfg(feature = "v1")]
    pub(crate) fn v1(&self) -> Option<&super::k1::RsaSecret> {
        match &self.inner {
            SecretInner::V1(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn v2(&self) -> Option<&AsymmetricSecretKey<V2>> {
        match &self.inner {
            SecretInner::V2(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn v3(&self) -> Option<&AsymmetricSecretKey<V3>> {
        match &self.inner {
            SecretInner::V3(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn v4(&self) -> Option<&AsymmetricSecretKey<V4>> {
        match &self.inner {
            SecretInner::V4(k) => Some(k),
            _ => None,
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("version", &self.version())
            .field("public_id", self.public.id())
            .field("key", &"REDACTED")
            .finish()
    }
}

impl PublicKey {
    fn from_inner(inner: PublicInner) -> Self {
        let id = match &inner {
            #[cfg(feature = "v1")]
            PublicInner::V1(pk) => pk.pid(),
            PublicInner::V2(pk) => format_paserk(&Id::from(pk)),
            PublicInner::V3(pk) => format_paserk(&Id::from(pk)),
            PublicInner::V4(pk) => format_paserk(&Id::from(pk)),
        };
        let ed25519 = match &inner {
            PublicInner::V2(pk) => Ed25519Key::from_bytes(pk.as_bytes()).map(Arc::new),
            PublicInner::V4(pk) => Ed25519Key::from_bytes(pk.as_bytes()).map(Arc::new),
            PublicInner::V3(_) => None,
            #[cfg(feature = "v1")]
            PublicInner::V1(_) => None,
        };
        PublicKey {
            inner,
            id: KeyId::new(id),
            ed25519,
        }
    }

    /// Parses a PASERK `k2.public.…`, `k3.public.…` or `k4.public.…` (`k1.public.…`, SPKI
    /// DER, with the `v1` feature).
    pub fn from_paserk(paserk: &str) -> Result<Self> {
        let paserk = paserk.trim();
        let inner = match paserk.split('.').next() {
            #[cfg(feature = "v1")]
            Some("k1") => PublicInner::V1(Box::new(super::k1::RsaPublic::from_paserk(paserk)?)),
            Some("k2") => PublicInner::V2(paserk.try_into().map_err(invalid("k2.public PASERK"))?),
            Some("k3") => PublicInner::V3(paserk.try_into().map_err(invalid("k3.public PASERK"))?),
            Some("k4") => PublicInner::V4(paserk.try_into().map_err(invalid("k4.public PASERK"))?),
            _ => {
                return Err(Error::Key(KeyError::InvalidKey(
                    "expected a k2/k3/k4 .public PASERK".into(),
                )));
            }
        };
        Ok(Self::from_inner(inner))
    }

    /// Parses a PEM SPKI public key: Ed25519 (v4, or v2 when `version` says so) or P-384 (v3).
    pub fn from_pem(pem: &str, version: Option<Version>) -> Result<Self> {
        super::pem::public_from_pem(pem, version)
    }

    /// Raw PASETO public-key bytes (Ed25519: 32 bytes; P-384: 49-byte compressed point; RSA:
    /// SPKI DER).
    pub(crate) fn from_bytes(version: Version, bytes: &[u8]) -> Result<Self> {
        let inner = match version {
            #[cfg(feature = "v1")]
            Version::V1 => PublicInner::V1(Box::new(super::k1::RsaPublic::from_spki_der(bytes)?)),
            Version::V2 => {
                PublicInner::V2(AsymmetricPublicKey::from(bytes).map_err(invalid("v2 public key"))?)
            }
            Version::V3 => {
                PublicInner::V3(AsymmetricPublicKey::from(bytes).map_err(invalid("v3 public key"))?)
            }
            Version::V4 => {
                PublicInner::V4(AsymmetricPublicKey::from(bytes).map_err(invalid("v4 public key"))?)
            }
        };
        Ok(Self::from_inner(inner))
    }

    /// The version this key verifies.
    pub fn version(&self) -> Version {
        match self.inner {
            #[cfg(feature = "v1")]
            PublicInner::V1(_) => Version::V1,
            PublicInner::V2(_) => Version::V2,
            PublicInner::V3(_) => Version::V3,
            PublicInner::V4(_) => Version::V4,
        }
    }

    /// The PASERK id (`kN.pid.…`) that a token footer's `kid` names.
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The key as PASERK (`kN.public.…`).
    pub fn to_paserk(&self) -> String {
        match &self.inner {
            #[cfg(feature = "v1")]
            PublicInner::V1(pk) => pk.to_paserk(),
            PublicInner::V2(pk) => format_paserk(pk),
            PublicInner::V3(pk) => format_paserk(pk),
            PublicInner::V4(pk) => format_paserk(pk),
        }
    }

    /// A v1 key from an RSA key read elsewhere (PEM).
    #[cfg(feature = "v1")]
    pub(super) fn from_rsa(key: super::k1::RsaPublic) -> Self {
        Self::from_inner(PublicInner::V1(Box::new(key)))
    }

    #[cfg(feature = "v1")]
    pub(crate) fn v1(&self) -> Option<&super::k1::RsaPublic> {
        match &self.inner {
            PublicInner::V1(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn v2(&self) -> Option<&AsymmetricPublicKey<V2>> {
        match &self.inner {
            PublicInner::V2(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn v3(&self) -> Option<&AsymmetricPublicKey<V3>> {
        match &self.inner {
            PublicInner::V3(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn v4(&self) -> Option<&AsymmetricPublicKey<V4>> {
        match &self.inner {
            PublicInner::V4(k) => Some(k),
            _ => None,
        }
    }

    /// The key in its fastest verifying form (v2, v4), when it has one.
    pub(crate) fn ed25519(&self) -> Option<&Ed25519Key> {
        self.ed25519.as_deref()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("version", &self.version())
            .field("id", &self.id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_secret() {
        let sk = SecretKey::generate(Version::V4).unwrap();
        let paserk = sk.to_paserk();
        let body = paserk.rsplit('.').next().unwrap();
        let debug = format!("{sk:?}");
        assert!(debug.contains("REDACTED"));
        assert!(!debug.contains(&body[..20]));
    }

    #[test]
    fn paserk_round_trips_for_every_version() {
        for version in Version::ALL {
            let sk = SecretKey::generate(version).unwrap();
            let again = SecretKey::from_paserk(&sk.to_paserk()).unwrap();
            assert_eq!(again.public_key(), sk.public_key());
            let pk = PublicKey::from_paserk(&sk.public_key().to_paserk()).unwrap();
            assert_eq!(pk.version(), version);
            assert_eq!(pk.id(), sk.public_key().id());
        }
    }

    #[test]
    fn a_seed_of_one_repeated_byte_is_refused_not_a_panic() {
        let mut bytes = [0u8; 64];
        bytes[32..].copy_from_slice(
            &hex::decode("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29")
                .unwrap(),
        );
        for version in [Version::V2, Version::V4] {
            let err = SecretKey::from_bytes(version, &bytes).unwrap_err();
            assert!(matches!(
                err,
                Error::Key(KeyError::InvalidKey(m)) if m.contains("one repeated byte")
            ));
            let paserk = format!(
                "{}.secret.{}",
                version.paserk_prefix(),
                super::super::b64_encode(&bytes)
            );
            assert!(matches!(
                SecretKey::from_paserk(&paserk),
                Err(Error::Key(KeyError::InvalidKey(_)))
            ));
        }
    }

    #[test]
    fn a_public_paserk_is_not_a_secret_key() {
        let sk = SecretKey::generate(Version::V4).unwrap();
        let err = SecretKey::from_paserk(&sk.public_key().to_paserk()).unwrap_err();
        assert!(matches!(err, Error::Key(KeyError::InvalidKey(_))));
    }
}
