//! v1 key pairs (feature `v1`, for migration only): RSA-2048 with public exponent 65537, as
//! v1.public requires, and their PASERK `k1.secret` / `k1.public` / `k1.sid` / `k1.pid`.
//!
//! - `k1.secret.` is base64url of the PKCS#1 `RSAPrivateKey` DER; `k1.public.` is base64url of
//!   the `SubjectPublicKeyInfo` DER (what a `PUBLIC KEY` PEM holds), as the official vectors have
//!   them. The ids are `k1.sid.` / `k1.pid.` + base64url of the first 33 bytes of
//!   SHA-384(id header ‖ PASERK), as for k3.
//! - Any other modulus size or exponent is refused with [`KeyError::InvalidKey`]: v1 is RSA-2048,
//!   e = 65537, and nothing else (the PASETO v1 specification).
//!
//! # Timing advisory
//!
//! Signing is a private-key operation of the `rsa` crate, the subject of RUSTSEC-2023-0071 (the
//! Marvin attack: a timing side channel that can leak the private key to an attacker who can
//! time many private-key operations). The crate's 0.10 release, used here, replaced the
//! variable-time arithmetic with crypto-bigint's constant-time code and blinds every signature,
//! but the advisory still lists no patched version: treat signing as affected, sign v1 tokens
//! only where no attacker can time it at will, and migrate to v4. Verification uses the public
//! key only and is not affected.

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use super::{b64_decode, b64_encode};
use crate::error::{Cause, Error, KeyError, Result};

/// The modulus size of every v1 key, in bits.
pub(crate) const MODULUS_BITS: u32 = 2048;
/// The length of a v1.public signature: the modulus size in bytes.
pub(crate) const SIGNATURE_LEN: usize = 256;
/// The public exponent of every v1 key, big-endian without leading zeros (65537).
const EXPONENT: [u8; 3] = [0x01, 0x00, 0x01];

const SECRET_HEADER: &str = "k1.secret.";
const PUBLIC_HEADER: &str = "k1.public.";
const SID_HEADER: &str = "k1.sid.";
const PID_HEADER: &str = "k1.pid.";

/// An RSA-2048 private key for v1.public. The `rsa` crate zeroizes it on drop and redacts its
/// `Debug`; this type has no `Debug` of its own (the owning [`super::SecretKey`] redacts).
#[derive(Clone)]
pub(crate) struct RsaSecret {
    key: rsa::PrivateKey,
}

/// An RSA-2048 public key for v1.public, with its SPKI DER (what its PASERK encodes).
#[derive(Clone, PartialEq)]
pub(crate) struct RsaPublic {
    key: rsa::PublicKey,
    spki: Vec<u8>,
}

/// Refuses any key but RSA-2048 with e = 65537.
fn check_shape(key: &impl PublicKeyParts) -> Result<()> {
    let bits = key.n().bit_width();
    if bits != MODULUS_BITS {
        return Err(Error::Key(KeyError::InvalidKey(format!(
            "a v1 key is RSA-{MODULUS_BITS}, not RSA-{bits}"
        ))));
    }
    if *key.e_bytes() != EXPONENT {
        return Err(Error::Key(KeyError::InvalidKey(
            "a v1 key has the public exponent 65537".into(),
        )));
    }
    Ok(())
}

/// `header` + base64url(SHA-384(`header` ‖ `paserk`)[..33]): a PASERK id.
fn id(header: &str, paserk: &str) -> String {
    super::id::sha384_id(header, paserk)
}

impl RsaSecret {
    fn new(key: rsa::PrivateKey) -> Result<Self> {
        check_shape(&key)?;
        // Encoding must work for `to_paserk` and the ids to be total: check it once, here.
        key.to_pkcs1_der().map_err(|_| {
            Error::Key(KeyError::InvalidKey(
                "the RSA key cannot be encoded as PKCS#1".into(),
            ))
        })?;
        Ok(RsaSecret { key })
    }

    /// A fresh RSA-2048 key (the OS random generator; takes a moment).
    pub(crate) fn generate() -> Result<Self> {
        let bits = usize::try_from(MODULUS_BITS).unwrap_or(2048);
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
            .map_err(|e| Error::Crypto(Cause::new(e)))?;
        Self::new(key)
    }

    /// Parses the PKCS#1 DER a `k1.secret` PASERK holds.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self> {
        let key = rsa::PrivateKey::from_pkcs1_der(der)
            .map_err(|_| Error::Key(KeyError::InvalidKey("not a valid k1.secret PASERK".into())))?;
        Self::new(key)
    }

    /// Parses `k1.secret.…`.
    pub(crate) fn from_paserk(paserk: &str) -> Result<Self> {
        let der = paserk
            .strip_prefix(SECRET_HEADER)
            .and_then(b64_decode)
            .map(Zeroizing::new)
            .ok_or_else(|| {
                Error::Key(KeyError::InvalidKey("not a valid k1.secret PASERK".into()))
            })?;
        Self::from_pkcs1_der(&der)
    }

    /// Parses a PEM private key: PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`. `None` when
    /// the text is neither (so other key types can be tried); an RSA key of the wrong shape is an
    /// error.
    pub(crate) fn from_pem(pem: &str) -> Option<Result<Self>> {
        let key = rsa::PrivateKey::from_pkcs1_pem(pem)
            .ok()
            .or_else(|| rsa::PrivateKey::from_pkcs8_pem(pem).ok())?;
        Some(Self::new(key))
    }

    /// The matching public key.
    pub(crate) fn public(&self) -> Result<RsaPublic> {
        RsaPublic::new(self.key.to_public_key())
    }

    /// `k1.secret.` + base64url(PKCS#1 DER). Secret material.
    pub(crate) fn to_paserk(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::from(SECRET_HEADER));
        // Checked to encode in `new`; should it ever fail, the PASERK is left incomplete
        // (and parses as nothing) rather than panicking.
        if let Ok(der) = self.key.to_pkcs1_der() {
            out.push_str(&Zeroizing::new(b64_encode(der.as_bytes())));
        }
        out
    }

    /// `k1.sid.…`.
    pub(crate) fn sid(&self) -> String {
        id(SID_HEADER, &self.to_paserk())
    }

    /// The RSA key, for signing (`token::v1_public`).
    pub(crate) fn key(&self) -> &rsa::PrivateKey {
        &self.key
    }
}

impl RsaPublic {
    fn new(key: rsa::PublicKey) -> Result<Self> {
        check_shape(&key)?;
        let spki = key
            .to_public_key_der()
            .map_err(|_| {
                Error::Key(KeyError::InvalidKey(
                    "the RSA key cannot be encoded as SPKI".into(),
                ))
            })?
            .into_vec();
        Ok(RsaPublic { key, spki })
    }

    /// Parses `k1.public.…`: the SubjectPublicKeyInfo DER of an RSA key.
    pub(crate) fn from_paserk(paserk: &str) -> Result<Self> {
        let der = paserk
            .strip_prefix(PUBLIC_HEADER)
            .and_then(b64_decode)
            .ok_or_else(|| {
                Error::Key(KeyError::InvalidKey("not a valid k1.public PASERK".into()))
            })?;
        Self::from_spki_der(&der)
    }

    /// Parses the SubjectPublicKeyInfo DER of an RSA key (what `k1.public` holds).
    pub(crate) fn from_spki_der(der: &[u8]) -> Result<Self> {
        let key = rsa::PublicKey::from_public_key_der(der)
            .map_err(|_| Error::Key(KeyError::InvalidKey("not a valid k1.public PASERK".into())))?;
        Self::new(key)
    }

    /// Parses a PEM public key: SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`; `None` when the
    /// text is neither.
    pub(crate) fn from_pem(pem: &str) -> Option<Result<Self>> {
        let key = rsa::PublicKey::from_public_key_pem(pem)
            .ok()
            .or_else(|| rsa::PublicKey::from_pkcs1_pem(pem).ok())?;
        Some(Self::new(key))
    }

    /// `k1.public.` + base64url(SPKI DER).
    pub(crate) fn to_paserk(&self) -> String {
        format!("{PUBLIC_HEADER}{}", b64_encode(&self.spki))
    }

    /// `k1.pid.…`.
    pub(crate) fn pid(&self) -> String {
        id(PID_HEADER, &self.to_paserk())
    }

    /// The RSA key, for verifying (`token::v1_public`).
    pub(crate) fn key(&self) -> &rsa::PublicKey {
        &self.key
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking
mod tests {
    use super::*;

    #[test]
    fn only_rsa_2048_with_exponent_65537_is_a_v1_key() {
        let mut rng = getrandom::SysRng;
        let small = rsa::PrivateKey::new(&mut rng, 1024).unwrap();
        let err = RsaSecret::new(small.clone()).err().unwrap();
        assert_eq!(
            err.to_string(),
            "invalid key: a v1 key is RSA-2048, not RSA-1024"
        );
        let err = RsaPublic::new(small.to_public_key()).err().unwrap();
        assert_eq!(
            err.to_string(),
            "invalid key: a v1 key is RSA-2048, not RSA-1024"
        );
        let other_e =
            rsa::PrivateKey::new_with_exp(&mut rng, 2048, rsa::BoxedUint::from(3u32)).unwrap();
        let err = RsaSecret::new(other_e).err().unwrap();
        assert_eq!(
            err.to_string(),
            "invalid key: a v1 key has the public exponent 65537"
        );
    }

    #[test]
    fn paserk_and_ids_round_trip() {
        let secret = RsaSecret::generate().unwrap();
        let public = secret.public().unwrap();
        let again = RsaSecret::from_paserk(&secret.to_paserk()).unwrap();
        assert!(again.public().unwrap() == public);
        assert_eq!(again.sid(), secret.sid());
        let public_again = RsaPublic::from_paserk(&public.to_paserk()).unwrap();
        assert!(public_again == public);
        assert_eq!(public_again.pid(), public.pid());
        assert!(secret.sid().starts_with(SID_HEADER));
        assert_eq!(secret.sid().len(), SID_HEADER.len() + 44);
        assert!(public.pid().starts_with(PID_HEADER));
        assert_eq!(public.pid().len(), PID_HEADER.len() + 44);
    }

    #[test]
    fn malformed_paserk_is_invalid_key() {
        let secret = RsaSecret::generate().unwrap();
        let paserk = secret.to_paserk();
        let body = paserk.strip_prefix(SECRET_HEADER).unwrap();
        for bad in [
            format!("k1.secret.{}", &body[..body.len() / 2]),
            format!("k1.secret.{body}="),
            format!("k4.secret.{body}"),
            "k1.secret.".to_string(),
            secret.public().unwrap().to_paserk(),
        ] {
            let err = RsaSecret::from_paserk(&bad).err().unwrap();
            assert_eq!(err.to_string(), "invalid key: not a valid k1.secret PASERK");
        }
        let public = secret.public().unwrap().to_paserk();
        let body = public.strip_prefix(PUBLIC_HEADER).unwrap();
        for bad in [
            format!("k1.public.{}", &body[..100]),
            "k1.public.AAAA".to_string(),
            paserk.replacen("secret", "public", 1),
        ] {
            let err = RsaPublic::from_paserk(&bad).err().unwrap();
            assert_eq!(err.to_string(), "invalid key: not a valid k1.public PASERK");
            assert!(!err.to_string().contains(&body[..20]));
        }
    }
}
