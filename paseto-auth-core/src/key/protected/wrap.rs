//! `kN.local-wrap.pie` and `kN.secret-wrap.pie`: a key wrapped with a local key (PASERK's PIE,
//! `operations/Wrap/pie.md`).
//!
//! The data is `t ‖ n ‖ c`: a tag, a random 32-byte nonce `n` and the wrapped key `c`.
//! - k2/k4: `Ek ‖ n2 = BLAKE2b-448(key = wk, 0x80 ‖ n)`, `Ak = BLAKE2b-256(key = wk, 0x81 ‖ n)`,
//!   `c = XChaCha20(Ek, n2, ptk)`, `t = BLAKE2b-256(key = Ak, h ‖ n ‖ c)` (32 bytes).
//! - k3: `Ek ‖ n2 = HMAC-SHA384(wk, 0x80 ‖ n)`, `Ak = HMAC-SHA384(wk, 0x81 ‖ n)[..32]`,
//!   `c = AES-256-CTR(Ek, n2, ptk)`, `t = HMAC-SHA384(Ak, h ‖ n ‖ c)` (48 bytes).
//!
//! `h` is the PASERK header, e.g. `k4.local-wrap.pie.`, so a wrapped local key cannot be
//! presented as a wrapped secret key or as another version's.

use zeroize::Zeroizing;

use super::nist;
use super::primitives::{
    aes256ctr, blake2b_mac_32, blake2b_mac_56, hmac_sha384, random, tags_match, xchacha20,
};
use super::{Held, Parsed, Protection, RawKey, format, local_bytes, parse, same_version};
use crate::error::{Error, KeyError, Result};
use crate::key::{LocalKey, SecretKey};
use crate::version::Version;

/// Length of the nonce `n`.
const NONCE_LEN: usize = 32;
/// Length of the authentication key `Ak` (k3 keeps the first 32 bytes of its HMAC; the
/// specification's text leaves the truncation out, the official vectors need it).
const AUTH_KEY_LEN: usize = 32;

/// Length of the tag `t` in `version`.
fn tag_len(version: Version) -> usize {
    match version {
        nist!() => 48,
        Version::V2 | Version::V4 => 32,
    }
}

/// The encryption key and cipher nonce (`Ek ‖ n2`) and the authentication key (`Ak`) of `n`.
struct Keys {
    /// k2/k4: 32 + 24 bytes; k3: 32 + 16 bytes.
    encryption: Zeroizing<Vec<u8>>,
    auth: Zeroizing<Vec<u8>>,
}

impl Keys {
    fn derive(version: Version, wrapping_key: &[u8], nonce: &[u8]) -> Result<Keys> {
        Ok(match version {
            nist!() => Keys {
                encryption: Zeroizing::new(hmac_sha384(wrapping_key, &[&[0x80], nonce])?.to_vec()),
                // The first 32 bytes, as the reference implementation and the vectors have it.
                auth: Zeroizing::new(
                    hmac_sha384(wrapping_key, &[&[0x81], nonce])?[..AUTH_KEY_LEN].to_vec(),
                ),
            },
            Version::V2 | Version::V4 => Keys {
                encryption: Zeroizing::new(
                    blake2b_mac_56(wrapping_key, &[&[0x80], nonce])?.to_vec(),
                ),
                auth: Zeroizing::new(blake2b_mac_32(wrapping_key, &[&[0x81], nonce])?.to_vec()),
            },
        })
    }

    /// `t` over the header, the nonce and the wrapped key.
    fn tag(&self, version: Version, header: &str, nonce: &[u8], wrapped: &[u8]) -> Result<Vec<u8>> {
        let parts: [&[u8]; 3] = [header.as_bytes(), nonce, wrapped];
        Ok(match version {
            nist!() => hmac_sha384(&self.auth, &parts)?.to_vec(),
            Version::V2 | Version::V4 => blake2b_mac_32(&self.auth, &parts)?.to_vec(),
        })
    }

    /// En- or decrypts `buf` in place.
    fn apply(&self, version: Version, buf: &mut [u8]) -> Result<()> {
        let (key, nonce) = self.encryption.split_at(32);
        match version {
            nist!() => aes256ctr(key, nonce, buf),
            Version::V2 | Version::V4 => xchacha20(key, nonce, buf),
        }
    }
}

/// Wraps the raw key `ptk` (of kind `held`, version `version`) with the raw wrapping key `wk`
/// under nonce `nonce`; gives the PASERK text.
pub(super) fn wrap_with_nonce(
    version: Version,
    held: Held,
    wrapping_key: &[u8],
    ptk: &[u8],
    nonce: &[u8; NONCE_LEN],
) -> Result<String> {
    let header = held.header(version, Protection::Wrapped, ptk)?;
    let keys = Keys::derive(version, wrapping_key, nonce)?;
    let mut wrapped = Zeroizing::new(ptk.to_vec());
    keys.apply(version, &mut wrapped)?;
    let tag = keys.tag(version, &header, nonce, &wrapped)?;
    let mut data = Vec::with_capacity(tag.len() + NONCE_LEN + wrapped.len());
    data.extend_from_slice(&tag);
    data.extend_from_slice(nonce);
    data.extend_from_slice(&wrapped);
    Ok(format(&header, &data))
}

/// Wraps with a fresh random nonce.
fn wrap(version: Version, held: Held, wrapping_key: &[u8], ptk: &[u8]) -> Result<String> {
    wrap_with_nonce(version, held, wrapping_key, ptk, &random()?)
}

/// Unwraps a PASERK of one of the kinds `held`, of version `version` (the wrapping key's), with
/// the raw wrapping key; gives the version, the kind and the raw key. The tag is checked (in
/// constant time) before anything is decrypted.
pub(super) fn unwrap(
    paserk: &str,
    held: &[Held],
    version: Version,
    wrapping_key: &[u8],
) -> Result<(Version, Held, RawKey)> {
    let parsed: Parsed = parse(paserk, Protection::Wrapped, held, Some(version))?;
    let tag_len = tag_len(version);
    parsed.require_len(tag_len + NONCE_LEN + parsed.held.key_len(version))?;
    let (tag, rest) = parsed.data.split_at(tag_len);
    let (nonce, wrapped) = rest.split_at(NONCE_LEN);
    let keys = Keys::derive(version, wrapping_key, nonce)?;
    let expected = keys.tag(version, &parsed.header, nonce, wrapped)?;
    if !tags_match(&expected, tag) {
        return Err(Error::Key(KeyError::UnwrapFailed(
            "the wrapping key is wrong",
        )));
    }
    let mut ptk = Zeroizing::new(wrapped.to_vec());
    keys.apply(version, &mut ptk)?;
    Ok((version, parsed.held, ptk))
}

impl LocalKey {
    /// This key wrapped with `wrapping_key` (a local key of the same version, not this one), as
    /// a `kN.local-wrap.pie.…` PASERK. The result may be stored where the key may not; it opens
    /// with [`LocalKey::from_wrapped_paserk`] and the same wrapping key.
    pub fn to_wrapped_paserk(&self, wrapping_key: &LocalKey) -> Result<String> {
        same_version(self.version(), wrapping_key.version(), "wrapping key")?;
        if self.id() == wrapping_key.id() {
            return Err(Error::Key(KeyError::InvalidKey(
                "a key cannot wrap itself".into(),
            )));
        }
        wrap(
            self.version(),
            Held::Local,
            local_bytes(wrapping_key)?,
            super::local_bytes(self)?,
        )
    }

    /// Unwraps a `kN.local-wrap.pie.…` PASERK with `wrapping_key`, which must be of the
    /// PASERK's version. A wrong wrapping key or an altered PASERK is
    /// [`KeyError::UnwrapFailed`]; any other PASERK type, a version other than the wrapping key's,
    /// or malformed data is [`KeyError::InvalidKey`].
    pub fn from_wrapped_paserk(paserk: &str, wrapping_key: &LocalKey) -> Result<LocalKey> {
        let (version, _, bytes) = unwrap(
            paserk,
            &[Held::Local],
            wrapping_key.version(),
            local_bytes(wrapping_key)?,
        )?;
        LocalKey::from_bytes(version, &bytes)
    }
}

impl SecretKey {
    /// This key wrapped with `wrapping_key` (a local key of the same version), as a
    /// `kN.secret-wrap.pie.…` PASERK; it opens with [`SecretKey::from_wrapped_paserk`].
    pub fn to_wrapped_paserk(&self, wrapping_key: &LocalKey) -> Result<String> {
        same_version(self.version(), wrapping_key.version(), "wrapping key")?;
        wrap(
            self.version(),
            Held::Secret,
            local_bytes(wrapping_key)?,
            super::secret_bytes(self)?,
        )
    }

    /// Unwraps a `kN.secret-wrap.pie.…` PASERK with `wrapping_key` (of the PASERK's version),
    /// with the errors of [`LocalKey::from_wrapped_paserk`].
    pub fn from_wrapped_paserk(paserk: &str, wrapping_key: &LocalKey) -> Result<SecretKey> {
        let (version, _, bytes) = unwrap(
            paserk,
            &[Held::Secret],
            wrapping_key.version(),
            local_bytes(wrapping_key)?,
        )?;
        SecretKey::from_bytes(version, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn keys(version: Version) -> (LocalKey, LocalKey, SecretKey) {
        (
            LocalKey::generate(version).unwrap(),
            LocalKey::generate(version).unwrap(),
            SecretKey::generate(version).unwrap(),
        )
    }

    #[test]
    fn every_version_round_trips_and_refuses_other_wrapping_keys() {
        for version in Version::ALL {
            let (key, wrapping, secret) = keys(version);
            let wrapped = key.to_wrapped_paserk(&wrapping).unwrap();
            assert!(wrapped.starts_with(&format!("{}.local-wrap.pie.", version.paserk_prefix())));
            let again = LocalKey::from_wrapped_paserk(&wrapped, &wrapping).unwrap();
            assert_eq!(again.to_paserk(), key.to_paserk());
            // A fresh nonce every time.
            assert_ne!(key.to_wrapped_paserk(&wrapping).unwrap(), wrapped);

            let wrapped_secret = secret.to_wrapped_paserk(&wrapping).unwrap();
            let again = SecretKey::from_wrapped_paserk(&wrapped_secret, &wrapping).unwrap();
            assert_eq!(again.to_paserk(), secret.to_paserk());

            let stranger = LocalKey::generate(version).unwrap();
            for err in [
                LocalKey::from_wrapped_paserk(&wrapped, &stranger).unwrap_err(),
                SecretKey::from_wrapped_paserk(&wrapped_secret, &stranger).unwrap_err(),
            ] {
                assert_eq!(err.kind(), ErrorKind::UNWRAP_FAILED, "{version}");
                assert_eq!(
                    err.to_string(),
                    "the key cannot be unwrapped: the wrapping key is wrong, or the PASERK was altered"
                );
            }
            // A wrapped local key is not a wrapped secret key, and the other way round.
            let err = SecretKey::from_wrapped_paserk(&wrapped, &wrapping).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::INVALID_KEY);
            let err = LocalKey::from_wrapped_paserk(&wrapped_secret, &wrapping).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::INVALID_KEY);
        }
    }

    #[test]
    fn versions_never_mix_and_a_key_does_not_wrap_itself() {
        let (key, _, secret) = keys(Version::V4);
        let v3 = LocalKey::generate(Version::V3).unwrap();
        for err in [
            key.to_wrapped_paserk(&v3).unwrap_err(),
            secret.to_wrapped_paserk(&v3).unwrap_err(),
        ] {
            assert_eq!(
                err.to_string(),
                "invalid key: a k4 key is protected with a k4 wrapping key, not a k3 one"
            );
        }
        let wrapped = key
            .to_wrapped_paserk(&LocalKey::generate(Version::V4).unwrap())
            .unwrap();
        let err = LocalKey::from_wrapped_paserk(&wrapped, &v3).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: expected a k3 local-wrap.pie PASERK, got a k4 one"
        );
        let err = key.to_wrapped_paserk(&key).unwrap_err();
        assert_eq!(err.to_string(), "invalid key: a key cannot wrap itself");
    }

    #[test]
    fn hostile_paserks_are_typed_errors_that_show_nothing() {
        let (key, wrapping, _) = keys(Version::V4);
        let wrapped = key.to_wrapped_paserk(&wrapping).unwrap();
        let data = wrapped.strip_prefix("k4.local-wrap.pie.").unwrap();
        let cases: Vec<(String, &str)> = vec![
            (
                format!("k4.local-wrap.pie.{}", &data[..data.len() - 4]),
                "invalid key: the data of a k4.local-wrap.pie.… PASERK is 96 bytes, got 93",
            ),
            (
                // 94 bytes would end in a character with unused bits set: not canonical.
                format!("k4.local-wrap.pie.{}Q", &data[..data.len() - 4]),
                "invalid key: the data of a k4.local-wrap.pie PASERK is not unpadded base64url",
            ),
            (
                "k4.local-wrap.pie.".into(),
                "invalid key: the data of a k4.local-wrap.pie.… PASERK is 96 bytes, got 0",
            ),
            (
                format!("k4.local-wrap.pie.{data}AAAA"),
                "invalid key: the data of a k4.local-wrap.pie.… PASERK is 96 bytes, got 99",
            ),
            (
                // (Not `data.replace('A', "+")`: about one random PASERK in eight has no `A`.)
                format!("k4.local-wrap.pie.+{}", &data[1..]),
                "invalid key: the data of a k4.local-wrap.pie PASERK is not unpadded base64url",
            ),
            (
                format!("k4.local-wrap.pie.{data}="),
                "invalid key: the data of a k4.local-wrap.pie PASERK is not unpadded base64url",
            ),
            (
                format!("k4.local-wrap.aws.{data}"),
                "invalid key: expected a k4.local-wrap.pie PASERK",
            ),
            (
                format!("k4.local.{data}"),
                "invalid key: expected a k4.local-wrap.pie PASERK",
            ),
            (
                format!("k1.local-wrap.pie.{data}"),
                if cfg!(feature = "v1") {
                    "invalid key: protected k1 keys (wrap, password, seal) are not supported: v1 is \
                     for migration only; unwrap the key elsewhere and give it as k1.local/k1.secret \
                     PASERK or PEM"
                } else {
                    "invalid key: expected a k2, k3 or k4 local-wrap.pie PASERK (other versions are not supported)"
                },
            ),
            (
                format!("v4.local-wrap.pie.{data}"),
                "invalid key: expected a k2, k3 or k4 local-wrap.pie PASERK (other versions are not supported)",
            ),
            (
                String::new(),
                "invalid key: expected a k2, k3 or k4 local-wrap.pie PASERK (other versions are not supported)",
            ),
            (
                format!("k4.local-wrap.pie.{}", "A".repeat(2000)),
                "invalid key: a local-wrap.pie PASERK is at most 1024 characters, got 2018",
            ),
        ];
        for (paserk, expected) in cases {
            let err = LocalKey::from_wrapped_paserk(&paserk, &wrapping).unwrap_err();
            assert_eq!(err.to_string(), expected, "{paserk}");
            assert_eq!(err.kind(), ErrorKind::INVALID_KEY);
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains(&data[..20]), "{shown}");
        }
        // Every single-character change is caught by the tag (or the decoder).
        for at in (0..data.len()).step_by(3) {
            let mut bytes = data.as_bytes().to_vec();
            bytes[at] = if bytes[at] == b'B' { b'C' } else { b'B' };
            let altered = format!("k4.local-wrap.pie.{}", String::from_utf8(bytes).unwrap());
            let err = LocalKey::from_wrapped_paserk(&altered, &wrapping).unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::UNWRAP_FAILED | ErrorKind::INVALID_KEY
                ),
                "{at}: {err}"
            );
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains(&*wrapping.to_paserk()));
            assert!(!shown.contains(&*key.to_paserk()));
        }
    }
}
