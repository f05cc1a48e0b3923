//! Opening `v4.local` tokens with RustCrypto's BLAKE2b and XChaCha20, from the body this crate
//! decodes itself: pasetors decodes the token again with a constant-time base64 codec, and its
//! (orion's) BLAKE2b and ChaCha20 are slower, which made the session read path trail a
//! hand-written pasetors decrypt. Sealing stays with pasetors.
//!
//! The algorithm (PASETO v4.local, decryption): the body is `n || c || t` (a 32-byte nonce,
//! the ciphertext, a 32-byte tag); `Ak = BLAKE2b-32(key = k, "paseto-auth-key-for-aead" || n)`;
//! the tag must equal `BLAKE2b-32(key = Ak, PAE(h, n, c, f, i))` (compared in constant time)
//! before anything is decrypted; then `Ek || n2 = BLAKE2b-56(key = k, "paseto-encryption-key"
//! || n)` and `p = XChaCha20(Ek, n2, c)`. The official vectors and a differential test against
//! pasetors hold it to the specification.

use blake2::Blake2bMac;
use blake2::digest::consts::{U32, U56};
use blake2::digest::{KeyInit, Mac};
use chacha20::XChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher};
use zeroize::Zeroizing;

use super::pae::pae;
use crate::error::{Cause, Error, Result};

/// Length of the nonce and of the tag.
pub(crate) const NONCE_LEN: usize = 32;
pub(crate) const TAG_LEN: usize = 32;

const HEADER: &[u8] = b"v4.local.";

/// Keyed BLAKE2b of the concatenated `parts`, `$len` bytes long (32 or 56: the two lengths
/// v4.local uses, each its own type).
macro_rules! keyed {
    ($len:ty, $key:expr, $parts:expr) => {{
        let mut mac = <Blake2bMac<$len> as KeyInit>::new_from_slice($key)
            .map_err(|_| Error::Crypto(Cause::msg("BLAKE2b key length")))?;
        for part in $parts {
            Mac::update(&mut mac, part);
        }
        Zeroizing::new(mac.finalize().into_bytes().to_vec())
    }};
}

/// Decrypts the body of a `v4.local` token with `key`, after checking its tag over the header,
/// nonce, ciphertext, footer and implicit assertion.
pub(crate) fn open(
    key: &[u8],
    body: &[u8],
    footer: &[u8],
    implicit: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let (nonce, ciphertext, tag) = super::sealed::split::<NONCE_LEN, TAG_LEN>("v4.local", body)?;
    let auth_key = keyed!(U32, key, [super::sealed::AUTH_KEY_INFO, nonce.as_slice()]);
    let authenticated = pae(&[HEADER, nonce.as_slice(), ciphertext, footer, implicit]);
    let expected = keyed!(U32, &auth_key, [authenticated.as_slice()]);
    super::sealed::check_tag(&expected, tag)?;
    let derived = keyed!(
        U56,
        key,
        [super::sealed::ENCRYPTION_KEY_INFO, nonce.as_slice()]
    );
    let (encryption_key, nonce2) = derived.split_at(32);
    let mut plaintext = Zeroizing::new(ciphertext.to_vec());
    let mut cipher = XChaCha20::new_from_slices(encryption_key, nonce2)
        .map_err(|_| Error::Crypto(Cause::msg("XChaCha20 key or nonce length")))?;
    cipher.apply_keystream(&mut plaintext);
    Ok(plaintext)
}
