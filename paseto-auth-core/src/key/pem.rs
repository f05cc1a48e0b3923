//! PEM keys as users have them: PKCS#8 / SEC1 private keys and SPKI public keys.
//!
//! A PEM key names its algorithm but not a PASETO version: P-384 is always v3, Ed25519 is v4
//! unless the caller asks for v2, and RSA (feature `v1`) is always v1.

use p384::elliptic_curve::sec1::ToSec1Point;
use p384::pkcs8::{DecodePrivateKey, DecodePublicKey};
use zeroize::Zeroizing;

use super::{PublicKey, SecretKey};
use crate::error::{Error, KeyError, Result};
use crate::version::Version;

/// Which version an Ed25519 PEM key is for (v4 unless v2 was asked for).
fn ed25519_version(requested: Option<Version>) -> Result<Version> {
    match requested {
        None | Some(Version::V4) => Ok(Version::V4),
        Some(Version::V2) => Ok(Version::V2),
        Some(Version::V3) => Err(Error::Key(KeyError::InvalidKey(
            "an Ed25519 key cannot be used for v3 (v3 uses P-384)".into(),
        ))),
        #[cfg(feature = "v1")]
        Some(Version::V1) => Err(Error::Key(KeyError::InvalidKey(
            "an Ed25519 key cannot be used for v1 (v1 uses RSA)".into(),
        ))),
    }
}

/// Checks that a P-384 key was not asked to serve another version.
fn p384_version(requested: Option<Version>) -> Result<Version> {
    match requested {
        None | Some(Version::V3) => Ok(Version::V3),
        Some(other) => Err(Error::Key(KeyError::InvalidKey(format!(
            "a P-384 key can only be used for v3, not {other}"
        )))),
    }
}

/// Checks that an RSA key was not asked to serve another version.
#[cfg(feature = "v1")]
fn rsa_version(requested: Option<Version>) -> Result<()> {
    match requested {
        None | Some(Version::V1) => Ok(()),
        Some(other) => Err(Error::Key(KeyError::InvalidKey(format!(
            "an RSA key can only be used for v1, not {other}"
        )))),
    }
}

/// Parses a PEM private key into a signing key.
pub(super) fn secret_from_pem(pem: &str, version: Option<Version>) -> Result<SecretKey> {
    #[cfg(feature = "v1")]
    if let Some(key) = super::k1::RsaSecret::from_pem(pem) {
        rsa_version(version)?;
        return SecretKey::from_rsa(key?);
    }
    if let Ok(pair) = ed25519_compact::KeyPair::from_pem(pem) {
        let bytes = Zeroizing::new(*pair.sk);
        return SecretKey::from_bytes(ed25519_version(version)?, bytes.as_slice());
    }
    let p384_key = p384::SecretKey::from_pkcs8_pem(pem)
        .ok()
        .or_else(|| p384::SecretKey::from_sec1_pem(pem).ok());
    match p384_key {
        Some(key) => {
            let bytes = Zeroizing::new(key.to_bytes());
            SecretKey::from_bytes(p384_version(version)?, bytes.as_slice())
        }
        None => Err(Error::Key(KeyError::InvalidKey(
            "not a PEM Ed25519 or P-384 private key (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`)"
                .into(),
        ))),
    }
}

/// Parses a PEM SPKI public key into a verification key.
pub(super) fn public_from_pem(pem: &str, version: Option<Version>) -> Result<PublicKey> {
    #[cfg(feature = "v1")]
    if let Some(key) = super::k1::RsaPublic::from_pem(pem) {
        rsa_version(version)?;
        return Ok(PublicKey::from_rsa(key?));
    }
    if let Ok(key) = ed25519_compact::PublicKey::from_pem(pem) {
        return PublicKey::from_bytes(ed25519_version(version)?, key.as_slice());
    }
    match p384::PublicKey::from_public_key_pem(pem) {
        Ok(key) => {
            let compressed = key.to_sec1_point(true);
            PublicKey::from_bytes(p384_version(version)?, compressed.as_bytes())
        }
        Err(_) => Err(Error::Key(KeyError::InvalidKey(
            "not a PEM Ed25519 or P-384 public key (SPKI `PUBLIC KEY`)".into(),
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The key pair from flask-paseto-extended's README (its PASETO_PRIVATE_KEYS / PUBLIC_KEYS).
    const FLASK_SECRET: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEILTL+0PfTOIQcn2VPkpxMwf6Gbt9n4UEFDjZ4RuUKjd0\n-----END PRIVATE KEY-----";
    const FLASK_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAHrnbu7wEfAP9cGBOAHHwmH4Wsot1ciXBHwBBXQ4gsaI=\n-----END PUBLIC KEY-----";

    #[test]
    fn flask_readme_keys_load_as_a_matching_v4_pair() {
        let secret = SecretKey::from_pem(FLASK_SECRET, None).unwrap();
        let public = PublicKey::from_pem(FLASK_PUBLIC, None).unwrap();
        assert_eq!(secret.version(), Version::V4);
        assert_eq!(secret.public_key(), &public);
        let v2 = PublicKey::from_pem(FLASK_PUBLIC, Some(Version::V2)).unwrap();
        assert_eq!(v2.version(), Version::V2);
    }

    #[test]
    fn curve_and_version_must_agree() {
        let err = SecretKey::from_pem(FLASK_SECRET, Some(Version::V3)).unwrap_err();
        assert!(matches!(err, Error::Key(KeyError::InvalidKey(_))));
        let err = PublicKey::from_pem(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            None,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Key(KeyError::InvalidKey(_))));
    }
}
