//! The `n || c || t` body of the local codecs (v1, v3 and v4 `local`): split with its lengths
//! checked, and the tag compared in constant time before anything is decrypted; and the two
//! primitives v1 and v3 `local` share (AES-256-CTR, HMAC-SHA384 over PAE).

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha384;
use subtle::ConstantTimeEq;

use super::pae::pae;
use crate::error::{Cause, Error, Result, TokenError};

/// The info (v1, v3: HKDF) or message prefix (v4: keyed BLAKE2b) the encryption key is derived
/// with.
pub(super) const ENCRYPTION_KEY_INFO: &[u8] = b"paseto-encryption-key";
/// The same for the authentication key.
pub(super) const AUTH_KEY_INFO: &[u8] = b"paseto-auth-key-for-aead";

/// The length of an HMAC-SHA384 tag.
pub(super) const HMAC_SHA384_LEN: usize = 48;

/// Splits `body` into its nonce, ciphertext and tag; a body shorter than nonce and tag is
/// [`TokenError::Malformed`], naming `header` (e.g. `"v3.local"`).
pub(super) fn split<'a, const NONCE: usize, const TAG: usize>(
    header: &str,
    body: &'a [u8],
) -> Result<(&'a [u8; NONCE], &'a [u8], &'a [u8; TAG])> {
    let too_short = || {
        Error::Token(TokenError::Malformed(format!(
            "{header} body is {} bytes, shorter than its nonce and tag ({} bytes)",
            body.len(),
            NONCE + TAG
        )))
    };
    let (nonce, rest) = body.split_first_chunk::<NONCE>().ok_or_else(too_short)?;
    let (ciphertext, tag) = rest.split_last_chunk::<TAG>().ok_or_else(too_short)?;
    Ok((nonce, ciphertext, tag))
}

/// `Ok` when `tag` is `expected`, compared in constant time; otherwise
/// [`TokenError::InvalidSignature`].
pub(super) fn check_tag(expected: &[u8], tag: &[u8]) -> Result<()> {
    if bool::from(expected.ct_eq(tag)) {
        Ok(())
    } else {
        Err(Error::Token(TokenError::InvalidSignature))
    }
}

/// Builds `n || c || t` for `header` (e.g. `"v3.local"`): `message` is encrypted in place by
/// `encrypt` (only the ciphertext region of the output, never a second plaintext copy), then
/// `tag` computes the tag over that ciphertext.
pub(super) fn seal_in_place<const TAG: usize>(
    header: &str,
    nonce: &[u8],
    message: &[u8],
    encrypt: impl FnOnce(&mut [u8]) -> Result<()>,
    tag: impl FnOnce(&[u8]) -> Result<[u8; TAG]>,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(message.len().saturating_add(nonce.len() + TAG));
    out.extend_from_slice(nonce);
    out.extend_from_slice(message);
    let short = || Error::Crypto(Cause::msg(format!("{header} output buffer too short")));
    encrypt(out.get_mut(nonce.len()..).ok_or_else(short)?)?;
    let tag = tag(out.get(nonce.len()..).ok_or_else(short)?)?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// AES-256-CTR (big-endian 128-bit counter) over `buf` in place, with `key` and `iv`.
pub(super) fn aes256_ctr(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<()> {
    let mut cipher = ctr::Ctr128BE::<Aes256>::new_from_slices(key, iv)
        .map_err(|_| Error::Crypto(Cause::msg("AES-256-CTR key or nonce has the wrong length")))?;
    cipher
        .try_apply_keystream(buf)
        .map_err(|_| Error::Crypto(Cause::msg("AES-256-CTR keystream exhausted")))
}

/// `HMAC-SHA384(key, PAE(pieces))`: the tag of v1 and v3 `local`.
pub(super) fn hmac_sha384_pae(key: &[u8], pieces: &[&[u8]]) -> Result<[u8; HMAC_SHA384_LEN]> {
    let mut mac = Hmac::<Sha384>::new_from_slice(key)
        .map_err(|_| Error::Crypto(Cause::msg("HMAC-SHA384 key rejected")))?;
    mac.update(&pae(pieces));
    Ok(mac.finalize().into_bytes().into())
}
