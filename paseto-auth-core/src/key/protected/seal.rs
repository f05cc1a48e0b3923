//! `kN.seal`: a local key encrypted to a public key, opened with its secret key (PASERK's PKE,
//! `operations/PKE.md`). Whoever holds only the public key can seal; only the secret key's
//! holder can unseal.
//!
//! - k2/k4: the Ed25519 keys are taken to their X25519 equivalents (`xpk` from the public key's
//!   point, `xsk` from the secret key's hashed seed). A random ephemeral X25519 key pair
//!   (`esk`, `epk`) gives `xk = X25519(esk, xpk)`; `Ek = BLAKE2b-256(0x01 ‖ h ‖ xk ‖ epk ‖ xpk)`,
//!   `Ak = BLAKE2b-256(0x02 ‖ h ‖ xk ‖ epk ‖ xpk)`, `n = BLAKE2b-192(epk ‖ xpk)`,
//!   `edk = XChaCha20(Ek, n, pdk)`, `t = BLAKE2b-256(key = Ak, h ‖ epk ‖ edk)`.
//! - k3: a random ephemeral P-384 key pair gives `xk = ECDH(esk, pk)` (the shared point's x);
//!   `Ek ‖ n = SHA-384(0x01 ‖ h ‖ xk ‖ epk ‖ pk)`, `Ak = SHA-384(0x02 ‖ h ‖ xk ‖ epk ‖ pk)`,
//!   `edk = AES-256-CTR(Ek, n, pdk)`, `t = HMAC-SHA384(Ak, h ‖ epk ‖ edk)`; public keys are
//!   compressed points (49 bytes).
//!
//! The data is `t ‖ epk ‖ edk`, and `h` is `kN.seal.`.

use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::montgomery::MontgomeryPoint;
use p384::elliptic_curve::sec1::ToSec1Point;
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

use super::nist;
use super::primitives::{
    aes256ctr, blake2b_24, blake2b_32, blake2b_mac_32, hmac_sha384, random, sha384, tags_match,
    xchacha20,
};
use super::{Held, Protection, RawKey, format, parse, same_version};
use crate::error::{Error, KeyError, Result};
use crate::key::{LocalKey, PublicKey, SecretKey};
use crate::version::Version;

/// Length of a local key, the sealed data key.
const KEY_LEN: usize = 32;

/// Lengths of the tag and the ephemeral public key in `version`.
fn layout(version: Version) -> (usize, usize) {
    match version {
        nist!() => (48, 49),
        Version::V2 | Version::V4 => (32, 32),
    }
}

/// The header `h`, e.g. `k4.seal.`.
fn header(version: Version) -> String {
    format!("{}.seal.", version.paserk_prefix())
}

/// The X25519 public key of an Ed25519 public key; `None` for bytes that are not a point, or a
/// point of small order (which would make the shared secret public).
fn x25519_public(ed25519: &[u8]) -> Option<MontgomeryPoint> {
    let bytes: [u8; 32] = ed25519.try_into().ok()?;
    let point = CompressedEdwardsY(bytes).decompress()?;
    if point.is_small_order() {
        return None;
    }
    Some(point.to_montgomery())
}

/// The X25519 secret scalar of an Ed25519 secret key (seed ‖ public key): the first half of
/// SHA-512 of the seed (X25519 clamps it), as libsodium's `crypto_sign_ed25519_sk_to_curve25519`.
fn x25519_secret(ed25519: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let seed = ed25519.get(..32).ok_or_else(|| {
        Error::Key(KeyError::InvalidKey(
            "an Ed25519 secret key is 64 bytes".into(),
        ))
    })?;
    let digest = Zeroizing::new(Sha512::digest(seed));
    let mut scalar = Zeroizing::new([0u8; 32]);
    scalar.copy_from_slice(&digest[..32]);
    Ok(scalar)
}

/// The keys of k2/k4 sealing: `Ek`, `Ak` and the nonce, from the shared secret and both keys.
fn x25519_keys(
    h: &str,
    xk: &[u8; 32],
    epk: &[u8],
    xpk: &[u8; 32],
) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>, [u8; 24]) {
    let ek = blake2b_32(&[&[0x01], h.as_bytes(), xk, epk, xpk]);
    let ak = blake2b_32(&[&[0x02], h.as_bytes(), xk, epk, xpk]);
    let nonce = blake2b_24(&[epk, xpk]);
    (ek, ak, nonce)
}

/// The keys of k3 sealing: `Ek ‖ n` and `Ak`.
fn p384_keys(
    h: &str,
    xk: &[u8],
    epk: &[u8],
    pk: &[u8],
) -> (Zeroizing<[u8; 48]>, Zeroizing<[u8; 48]>) {
    let ek = sha384(&[&[0x01], h.as_bytes(), xk, epk, pk]);
    let ak = sha384(&[&[0x02], h.as_bytes(), xk, epk, pk]);
    (ek, ak)
}

/// The error for a shared secret that is all zeros: the ephemeral key was of small order.
fn small_order() -> Error {
    Error::Key(KeyError::InvalidKey(
        "the sealed key's ephemeral public key is of small order".into(),
    ))
}

/// Seals the raw local key `pdk` to the raw public key `pk` of `version`; gives the PASERK.
pub(super) fn seal(version: Version, pk: &[u8], pdk: &[u8]) -> Result<String> {
    if pdk.len() != KEY_LEN {
        return Err(Error::Key(KeyError::InvalidKey(
            "a local key to seal is 32 bytes".into(),
        )));
    }
    let h = header(version);
    let mut data = Vec::new();
    match version {
        Version::V2 | Version::V4 => {
            let xpk = x25519_public(pk).ok_or_else(|| {
                Error::Key(KeyError::InvalidKey(
                    "the public key to seal to is not a usable Ed25519 key".into(),
                ))
            })?;
            let esk = Zeroizing::new(random::<32>()?);
            let epk = MontgomeryPoint::mul_base_clamped(*esk);
            let xk = Zeroizing::new(xpk.mul_clamped(*esk).to_bytes());
            if *xk == [0u8; 32] {
                return Err(small_order());
            }
            let (ek, ak, nonce) = x25519_keys(&h, &xk, epk.as_bytes(), xpk.as_bytes());
            let mut edk = Zeroizing::new(pdk.to_vec());
            xchacha20(ek.as_slice(), &nonce, &mut edk)?;
            let tag = blake2b_mac_32(ak.as_slice(), &[h.as_bytes(), epk.as_bytes(), &edk])?;
            data.extend_from_slice(tag.as_slice());
            data.extend_from_slice(epk.as_bytes());
            data.extend_from_slice(&edk);
        }
        nist!() => {
            let recipient = p384::PublicKey::from_sec1_bytes(pk).map_err(|_| {
                Error::Key(KeyError::InvalidKey(
                    "the public key to seal to is not a P-384 point".into(),
                ))
            })?;
            let esk = random_p384()?;
            let epk = esk.public_key().to_sec1_point(true);
            let shared = p384::ecdh::diffie_hellman(esk.to_nonzero_scalar(), recipient.as_affine());
            let (ek, ak) = p384_keys(&h, shared.raw_secret_bytes(), epk.as_bytes(), pk);
            let (key, nonce) = ek.split_at(32);
            let mut edk = Zeroizing::new(pdk.to_vec());
            aes256ctr(key, nonce, &mut edk)?;
            let tag = hmac_sha384(ak.as_slice(), &[h.as_bytes(), epk.as_bytes(), &edk])?;
            data.extend_from_slice(tag.as_slice());
            data.extend_from_slice(epk.as_bytes());
            data.extend_from_slice(&edk);
        }
    }
    Ok(format(&h, &data))
}

/// A random P-384 secret key (a scalar below the group order: redrawn in the vanishing case of
/// one that is not).
fn random_p384() -> Result<p384::SecretKey> {
    for _ in 0..16 {
        let bytes = Zeroizing::new(random::<48>()?);
        if let Ok(key) = p384::SecretKey::from_slice(bytes.as_slice()) {
            return Ok(key);
        }
    }
    Err(Error::Key(KeyError::InvalidKey(
        "no P-384 scalar from the random source".into(),
    )))
}

/// Unseals a `kN.seal.…` PASERK of `version` with the raw secret key `sk` (and its public key
/// `pk`); the tag is checked (in constant time) before anything is decrypted.
pub(super) fn unseal(paserk: &str, version: Version, sk: &[u8], pk: &[u8]) -> Result<RawKey> {
    let parsed = parse(paserk, Protection::Sealed, &[Held::Local], Some(version))?;
    let (tag_len, epk_len) = layout(version);
    parsed.require_len(tag_len + epk_len + KEY_LEN)?;
    let (tag, rest) = parsed.data.split_at(tag_len);
    let (epk, edk) = rest.split_at(epk_len);
    let h = &parsed.header;
    let wrong = Error::Key(KeyError::UnwrapFailed("it was sealed to another key"));
    let mut pdk = Zeroizing::new(edk.to_vec());
    match version {
        Version::V2 | Version::V4 => {
            let xpk = x25519_public(pk).ok_or_else(|| {
                Error::Key(KeyError::InvalidKey(
                    "the secret key is not a usable Ed25519 key".into(),
                ))
            })?;
            let xsk = x25519_secret(sk)?;
            let epk_point = MontgomeryPoint(epk.try_into().map_err(|_| {
                Error::Key(KeyError::InvalidKey("an X25519 key is 32 bytes".into()))
            })?);
            let xk = Zeroizing::new(epk_point.mul_clamped(*xsk).to_bytes());
            if *xk == [0u8; 32] {
                return Err(small_order());
            }
            let (ek, ak, nonce) = x25519_keys(h, &xk, epk, xpk.as_bytes());
            let expected = blake2b_mac_32(ak.as_slice(), &[h.as_bytes(), epk, edk])?;
            if !tags_match(expected.as_slice(), tag) {
                return Err(wrong);
            }
            xchacha20(ek.as_slice(), &nonce, &mut pdk)?;
        }
        nist!() => {
            let secret = p384::SecretKey::from_slice(sk).map_err(|_| {
                Error::Key(KeyError::InvalidKey(
                    "the secret key is not a P-384 scalar".into(),
                ))
            })?;
            let ephemeral = p384::PublicKey::from_sec1_bytes(epk).map_err(|_| {
                Error::Key(KeyError::InvalidKey(
                    "the sealed key's ephemeral public key is not a P-384 point".into(),
                ))
            })?;
            let shared =
                p384::ecdh::diffie_hellman(secret.to_nonzero_scalar(), ephemeral.as_affine());
            let (ek, ak) = p384_keys(h, shared.raw_secret_bytes(), epk, pk);
            let expected = hmac_sha384(ak.as_slice(), &[h.as_bytes(), epk, edk])?;
            if !tags_match(expected.as_slice(), tag) {
                return Err(wrong);
            }
            let (key, nonce) = ek.split_at(32);
            aes256ctr(key, nonce, &mut pdk)?;
        }
    }
    Ok(pdk)
}

impl LocalKey {
    /// This key sealed to `recipient` (a public key of the same version), as a `kN.seal.…`
    /// PASERK: only the holder of the matching secret key can open it, with
    /// [`LocalKey::from_sealed_paserk`]. Every seal uses a fresh ephemeral key.
    pub fn to_sealed_paserk(&self, recipient: &PublicKey) -> Result<String> {
        same_version(self.version(), recipient.version(), "public key")?;
        seal(
            self.version(),
            super::public_bytes(recipient)?,
            super::local_bytes(self)?,
        )
    }

    /// Opens a `kN.seal.…` PASERK with `secret_key` (of the PASERK's version). A PASERK sealed
    /// to another key, or altered, is [`KeyError::UnwrapFailed`]; another type, another version or
    /// malformed data is [`KeyError::InvalidKey`].
    pub fn from_sealed_paserk(paserk: &str, secret_key: &SecretKey) -> Result<LocalKey> {
        let version = secret_key.version();
        let bytes = unseal(
            paserk,
            version,
            super::secret_bytes(secret_key)?,
            super::public_bytes(secret_key.public_key())?,
        )?;
        LocalKey::from_bytes(version, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn every_version_round_trips_and_only_the_recipient_unseals() {
        for version in Version::ALL {
            let key = LocalKey::generate(version).unwrap();
            let recipient = SecretKey::generate(version).unwrap();
            let sealed = key.to_sealed_paserk(recipient.public_key()).unwrap();
            assert!(sealed.starts_with(&format!("{}.seal.", version.paserk_prefix())));
            let opened = LocalKey::from_sealed_paserk(&sealed, &recipient).unwrap();
            assert_eq!(opened.to_paserk(), key.to_paserk());
            assert_ne!(
                key.to_sealed_paserk(recipient.public_key()).unwrap(),
                sealed
            );

            let stranger = SecretKey::generate(version).unwrap();
            let err = LocalKey::from_sealed_paserk(&sealed, &stranger).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UNWRAP_FAILED);
            assert_eq!(
                err.to_string(),
                "the key cannot be unwrapped: it was sealed to another key, or the PASERK was altered"
            );
        }
    }

    #[test]
    fn versions_never_mix() {
        let key = LocalKey::generate(Version::V4).unwrap();
        let v3 = SecretKey::generate(Version::V3).unwrap();
        let err = key.to_sealed_paserk(v3.public_key()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: a k4 key is protected with a k4 public key, not a k3 one"
        );
        let v2 = SecretKey::generate(Version::V2).unwrap();
        let v4 = SecretKey::generate(Version::V4).unwrap();
        let sealed = key.to_sealed_paserk(v4.public_key()).unwrap();
        let err = LocalKey::from_sealed_paserk(&sealed, &v2).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: expected a k2 seal PASERK, got a k4 one"
        );
    }

    #[test]
    fn hostile_paserks_are_typed_errors() {
        for version in Version::ALL {
            let key = LocalKey::generate(version).unwrap();
            let recipient = SecretKey::generate(version).unwrap();
            let sealed = key.to_sealed_paserk(recipient.public_key()).unwrap();
            let prefix = header(version);
            let data = sealed.strip_prefix(&prefix).unwrap();
            let (tag_len, epk_len) = layout(version);
            let expected_len = tag_len + epk_len + KEY_LEN;
            let truncated = format!("{prefix}{}", &data[..data.len() - 4]);
            let err = LocalKey::from_sealed_paserk(&truncated, &recipient).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid key: the data of a {prefix}… PASERK is {expected_len} bytes, got {}",
                    expected_len - 3
                )
            );
            // An ephemeral key that is not a point (k3), or of small order (k2/k4: the identity
            // and a point of order 8 give an all-zero shared secret).
            let mut bytes = crate::key::b64_decode(data).unwrap();
            let epk = &mut bytes[tag_len..tag_len + epk_len];
            epk.fill(0);
            let forged = format!("{prefix}{}", crate::key::b64_encode(&bytes));
            let err = LocalKey::from_sealed_paserk(&forged, &recipient).unwrap_err();
            let expected = match version {
                Version::V3 => {
                    "invalid key: the sealed key's ephemeral public key is not a P-384 point"
                }
                _ => "invalid key: the sealed key's ephemeral public key is of small order",
            };
            assert_eq!(err.to_string(), expected, "{version}");
            for at in (0..data.len()).step_by(5) {
                let mut altered = data.as_bytes().to_vec();
                altered[at] = if altered[at] == b'Q' { b'R' } else { b'Q' };
                let altered = format!("{prefix}{}", String::from_utf8(altered).unwrap());
                let err = LocalKey::from_sealed_paserk(&altered, &recipient).unwrap_err();
                assert!(
                    matches!(
                        err.kind(),
                        ErrorKind::UNWRAP_FAILED | ErrorKind::INVALID_KEY
                    ),
                    "{version} {at}: {err}"
                );
                assert!(!format!("{err:?}").contains(&*key.to_paserk()));
            }
            let err = LocalKey::from_sealed_paserk(
                &format!("{}.local.{data}", version.paserk_prefix()),
                &recipient,
            )
            .unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid key: expected a {}.seal PASERK",
                    version.paserk_prefix()
                )
            );
        }
    }

    #[test]
    fn sealing_to_a_small_order_key_is_refused() {
        // The Ed25519 identity point: a public key pasetors parses, which X25519 would turn
        // into a shared secret anyone knows.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let public = PublicKey::from_bytes(Version::V4, &identity).unwrap();
        let key = LocalKey::generate(Version::V4).unwrap();
        let err = key.to_sealed_paserk(&public).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: the public key to seal to is not a usable Ed25519 key"
        );
    }
}
