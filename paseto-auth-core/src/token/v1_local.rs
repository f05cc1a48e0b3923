//! v1.local (feature `v1`, deprecated, for migration only): AES-256-CTR + HMAC-SHA384, keys
//! split with HKDF-SHA384 (PASETO spec, version 1).
//!
//! Unlike v3.local, the nonce is not random itself: `n = HMAC-SHA384(key = b, m)[..32]` for 32
//! random bytes `b` (a misuse-resistant nonce), and HKDF is salted with `n[..16]` while the CTR
//! nonce is `n[16..]`. There is no implicit assertion. Like `v3_local`, this works on the raw
//! body `n || c || t`; the token string is assembled elsewhere.

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha384;
use zeroize::Zeroizing;

use super::sealed::{AUTH_KEY_INFO, ENCRYPTION_KEY_INFO};
use crate::error::{Cause, Error};

/// Length of the nonce `n` that starts every v1.local body.
pub(crate) const NONCE_LEN: usize = 32;
/// Length of the HMAC-SHA384 tag `t` that ends every v1.local body.
pub(crate) const TAG_LEN: usize = 48;

/// The header `h`, bound into the tag as the first PAE piece.
const HEADER: &[u8] = b"v1.local.";
/// The HKDF salt is the first half of the nonce; the CTR nonce the second.
const SALT_LEN: usize = 16;

/// HMAC-SHA384: the nonce, the tag, and (inside HKDF) the key split.
type HmacSha384 = Hmac<Sha384>;

/// Encrypts with 32 fresh random bytes (getrandom) for the nonce; returns `n || c || t`.
pub(crate) fn seal(key: &[u8; 32], message: &[u8], footer: &[u8]) -> Result<Vec<u8>, Error> {
    let mut random = Zeroizing::new([0u8; 32]);
    getrandom::fill(random.as_mut_slice()).map_err(|e| Error::Crypto(Cause::new(e)))?;
    seal_with_random(key, &random, message, footer)
}

/// Same with the given random bytes `b` (the official vectors' `nonce`), from which the nonce
/// is `HMAC-SHA384(key = b, message)[..32]`.
pub(crate) fn seal_with_random(
    key: &[u8; 32],
    random: &[u8; 32],
    message: &[u8],
    footer: &[u8],
) -> Result<Vec<u8>, Error> {
    let nonce = nonce(random, message)?;
    let keys = SplitKeys::derive(key, &nonce)?;
    super::sealed::seal_in_place(
        "v1.local",
        &nonce,
        message,
        |buf| keys.apply_keystream(&nonce, buf),
        |ciphertext| keys.tag(&nonce, ciphertext, footer),
    )
}

/// Verifies the tag in constant time (subtle) BEFORE decrypting, then decrypts `n || c || t`.
/// Too short a body is [`TokenError::Malformed`]; a tag that does not match is
/// [`TokenError::InvalidSignature`].
pub(crate) fn open(
    key: &[u8; 32],
    body: &[u8],
    footer: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (nonce, ciphertext, tag) = super::sealed::split::<NONCE_LEN, TAG_LEN>("v1.local", body)?;
    let keys = SplitKeys::derive(key, nonce)?;
    super::sealed::check_tag(&keys.tag(nonce, ciphertext, footer)?, tag)?;
    let mut plaintext = Zeroizing::new(ciphertext.to_vec());
    keys.apply_keystream(nonce, plaintext.as_mut_slice())?;
    Ok(plaintext)
}

/// `n = HMAC-SHA384(key = random, message)[..32]` (the spec's `GetNonce`).
fn nonce(random: &[u8; 32], message: &[u8]) -> Result<[u8; NONCE_LEN], Error> {
    let mut mac = HmacSha384::new_from_slice(random)
        .map_err(|_| Error::Crypto(Cause::msg("HMAC-SHA384 key rejected")))?;
    mac.update(message);
    let full = mac.finalize().into_bytes();
    full.split_first_chunk::<NONCE_LEN>()
        .map(|(nonce, _)| *nonce)
        .ok_or_else(|| Error::Crypto(Cause::msg("HMAC-SHA384 output too short")))
}

/// The keys HKDF derives from the shared key, salted with the nonce; zeroized on drop.
struct SplitKeys {
    /// `Ek = HKDF-SHA384(len 32, ikm = key, info = "paseto-encryption-key", salt = n[..16])`.
    encryption: Zeroizing<[u8; 32]>,
    /// `Ak = HKDF-SHA384(len 32, ikm = key, info = "paseto-auth-key-for-aead", salt = n[..16])`.
    auth: Zeroizing<[u8; 32]>,
}

impl SplitKeys {
    fn derive(key: &[u8; 32], nonce: &[u8; NONCE_LEN]) -> Result<Self, Error> {
        let (salt, _) = nonce
            .split_first_chunk::<SALT_LEN>()
            .ok_or_else(|| Error::Crypto(Cause::msg("v1.local nonce too short")))?;
        let hkdf = Hkdf::<Sha384>::new(Some(salt), key);
        let failed = |_| Error::Crypto(Cause::msg("HKDF-SHA384 expand failed"));
        let mut encryption = Zeroizing::new([0u8; 32]);
        hkdf.expand(ENCRYPTION_KEY_INFO, encryption.as_mut_slice())
            .map_err(failed)?;
        let mut auth = Zeroizing::new([0u8; 32]);
        hkdf.expand(AUTH_KEY_INFO, auth.as_mut_slice())
            .map_err(failed)?;
        Ok(SplitKeys { encryption, auth })
    }

    /// XORs `buf` with the AES-256-CTR keystream under `Ek`, counter block `n[16..]`.
    fn apply_keystream(&self, nonce: &[u8; NONCE_LEN], buf: &mut [u8]) -> Result<(), Error> {
        let (_, counter) = nonce
            .split_last_chunk::<SALT_LEN>()
            .ok_or_else(|| Error::Crypto(Cause::msg("v1.local nonce too short")))?;
        super::sealed::aes256_ctr(self.encryption.as_slice(), counter, buf)
    }

    /// `t = HMAC-SHA384(Ak, PAE(h, n, c, f))`.
    fn tag(
        &self,
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
        footer: &[u8],
    ) -> Result<[u8; TAG_LEN], Error> {
        super::sealed::hmac_sha384_pae(self.auth.as_slice(), &[HEADER, nonce, ciphertext, footer])
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking
mod tests {
    use super::*;
    use crate::error::TokenError;

    const KEY: [u8; 32] = [0x42; 32];

    #[test]
    fn round_trip_with_random_nonce() {
        let message = b"{\"sub\":\"alice\"}";
        let a = seal(&KEY, message, b"footer").unwrap();
        let b = seal(&KEY, message, b"footer").unwrap();
        assert_eq!(a.len(), NONCE_LEN + message.len() + TAG_LEN);
        assert_ne!(a, b, "two seals must use different nonces");
        for body in [&a, &b] {
            assert_eq!(open(&KEY, body, b"footer").unwrap().as_slice(), message);
        }
    }

    #[test]
    fn the_nonce_depends_on_the_message_and_the_random_bytes() {
        let random = [7u8; 32];
        let a = seal_with_random(&KEY, &random, b"one", b"").unwrap();
        let b = seal_with_random(&KEY, &random, b"two", b"").unwrap();
        let again = seal_with_random(&KEY, &random, b"one", b"").unwrap();
        assert_eq!(
            a, again,
            "deterministic for the same random bytes and message"
        );
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
    }

    #[test]
    fn tampered_byte_anywhere_in_body_is_invalid_signature() {
        let body = seal(&KEY, b"attack at dawn", b"f").unwrap();
        for index in 0..body.len() {
            let mut tampered = body.clone();
            tampered[index] ^= 0x01;
            assert!(
                matches!(
                    open(&KEY, &tampered, b"f"),
                    Err(Error::Token(TokenError::InvalidSignature))
                ),
                "byte {index} flipped was accepted"
            );
        }
        let mut other = KEY;
        other[0] ^= 1;
        assert!(matches!(
            open(&other, &body, b"f"),
            Err(Error::Token(TokenError::InvalidSignature))
        ));
        assert!(matches!(
            open(&KEY, &body, b"g"),
            Err(Error::Token(TokenError::InvalidSignature))
        ));
    }

    #[test]
    fn body_shorter_than_nonce_and_tag_is_malformed() {
        let body = seal(&KEY, b"", b"").unwrap();
        for len in 0..NONCE_LEN + TAG_LEN {
            assert!(
                matches!(
                    open(&KEY, &body[..len], b""),
                    Err(Error::Token(TokenError::Malformed(_)))
                ),
                "length {len}"
            );
        }
    }
}
