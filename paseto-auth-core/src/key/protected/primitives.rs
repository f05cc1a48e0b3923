//! The primitives the three protections share, each a one-line call for the schemes: BLAKE2b
//! (keyed and unkeyed, at the lengths PASERK uses) and XChaCha20 for k2/k4, SHA-384,
//! HMAC-SHA384 and AES-256-CTR for k3, a constant-time tag comparison, and randomness.
//!
//! Every derived key is returned in a [`Zeroizing`] buffer.

use aes::Aes256;
use blake2::digest::consts::{U24, U32, U56};
use blake2::digest::{Digest, KeyInit, Mac};
use blake2::{Blake2b, Blake2bMac};
use chacha20::XChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher};
use hmac::Hmac;
use sha2::Sha384;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Cause, Error, Result};

/// AES-256 in CTR mode with a 128-bit big-endian counter (as PASETO v3 and PASERK k3 use it).
type Aes256Ctr = ctr::Ctr128BE<Aes256>;

/// An error inside a primitive: a length this module chose was refused, which is a bug, never
/// something an input can cause.
fn internal(what: &'static str) -> Error {
    Error::Crypto(Cause::msg(what))
}

/// Keyed BLAKE2b-256 (libsodium's `crypto_generichash` with a key) of the concatenated `parts`.
pub(super) fn blake2b_mac_32(key: &[u8], parts: &[&[u8]]) -> Result<Zeroizing<[u8; 32]>> {
    let mut mac = <Blake2bMac<U32> as KeyInit>::new_from_slice(key)
        .map_err(|_| internal("BLAKE2b key length"))?;
    for part in parts {
        Mac::update(&mut mac, part);
    }
    Ok(Zeroizing::new(mac.finalize().into_bytes().into()))
}

/// Keyed BLAKE2b with a 56-byte output (an XChaCha20 key and nonce at once).
pub(super) fn blake2b_mac_56(key: &[u8], parts: &[&[u8]]) -> Result<Zeroizing<[u8; 56]>> {
    let mut mac = <Blake2bMac<U56> as KeyInit>::new_from_slice(key)
        .map_err(|_| internal("BLAKE2b key length"))?;
    for part in parts {
        Mac::update(&mut mac, part);
    }
    Ok(Zeroizing::new(mac.finalize().into_bytes().into()))
}

/// Unkeyed BLAKE2b-256 of the concatenated `parts`.
pub(super) fn blake2b_32(parts: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut hash = Blake2b::<U32>::new();
    for part in parts {
        Digest::update(&mut hash, part);
    }
    Zeroizing::new(hash.finalize().into())
}

/// Unkeyed BLAKE2b-192 of the concatenated `parts` (an XChaCha20 nonce).
pub(super) fn blake2b_24(parts: &[&[u8]]) -> [u8; 24] {
    let mut hash = Blake2b::<U24>::new();
    for part in parts {
        Digest::update(&mut hash, part);
    }
    hash.finalize().into()
}

/// XORs `buf` with the XChaCha20 keystream of `key` (32 bytes) and `nonce` (24 bytes).
pub(super) fn xchacha20(key: &[u8], nonce: &[u8], buf: &mut [u8]) -> Result<()> {
    let mut cipher = XChaCha20::new_from_slices(key, nonce)
        .map_err(|_| internal("XChaCha20 key or nonce length"))?;
    cipher.apply_keystream(buf);
    Ok(())
}

/// SHA-384 of the concatenated `parts`.
pub(super) fn sha384(parts: &[&[u8]]) -> Zeroizing<[u8; 48]> {
    let mut hash = Sha384::new();
    for part in parts {
        Digest::update(&mut hash, part);
    }
    Zeroizing::new(hash.finalize().into())
}

/// HMAC-SHA384 of the concatenated `parts`.
pub(super) fn hmac_sha384(key: &[u8], parts: &[&[u8]]) -> Result<Zeroizing<[u8; 48]>> {
    let mut mac = <Hmac<Sha384> as KeyInit>::new_from_slice(key)
        .map_err(|_| internal("HMAC-SHA384 key length"))?;
    for part in parts {
        Mac::update(&mut mac, part);
    }
    Ok(Zeroizing::new(mac.finalize().into_bytes().into()))
}

/// XORs `buf` with the AES-256-CTR keystream of `key` (32 bytes) from counter block `iv` (16).
pub(super) fn aes256ctr(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<()> {
    let mut cipher = Aes256Ctr::new_from_slices(key, iv)
        .map_err(|_| internal("AES-256-CTR key or nonce length"))?;
    cipher.apply_keystream(buf);
    Ok(())
}

/// Whether the computed tag equals the one presented, compared in constant time.
pub(super) fn tags_match(computed: &[u8], presented: &[u8]) -> bool {
    bool::from(computed.ct_eq(presented))
}

/// `N` random bytes from the operating system.
pub(super) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Error::Crypto(Cause::new(e)))?;
    Ok(bytes)
}
