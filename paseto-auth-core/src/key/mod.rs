//! Keys typed by purpose and tagged with their version: PASERK, PEM, generation, ids and key rings.
//!
//! A [`LocalKey`] only ever encrypts `local` tokens, a [`SecretKey`] only signs and a [`PublicKey`]
//! only verifies `public` tokens, each of the one version it was made for. Keys come from PASERK
//! strings, PEM, the generator, or (for cookie keys) [`LocalKey::derive_from_secret`] — never from
//! arbitrary bytes. Keys kept encrypted — wrapped with another key or a password, or sealed to a
//! public key — are PASERK too: see [`protected`].

mod any;
mod asymmetric;
mod ed25519;
mod id;
#[cfg(feature = "v1")]
mod k1;
mod k3_local;
mod local;
mod pem;
pub mod protected;
mod ring;
#[cfg(test)]
mod vectors;

pub use any::Key;
pub use asymmetric::{PublicKey, SecretKey};
pub(crate) use ed25519::Ed25519Key;
pub use id::KeyId;
#[cfg(feature = "v1")]
pub(crate) use k1::{RsaPublic, RsaSecret, SIGNATURE_LEN};
pub use local::{LocalKey, MIN_SECRET_LEN};
pub(crate) use ring::RingKey;
pub use ring::{KeyRing, RingEntry, SigningKey, VerificationKey};

/// Refuses key material (or a secret to derive keys from) that is one byte repeated, all-zero
/// included: such a key is public knowledge (the official vectors use the all-zero one), so a
/// token sealed with it protects nothing. `what` names the material in the error.
pub(crate) fn refuse_repeated_byte(bytes: &[u8], what: &str) -> crate::Result<()> {
    match bytes.split_first() {
        Some((first, rest)) if rest.iter().all(|b| b == first) => {
            Err(crate::Error::Key(crate::error::KeyError::InvalidKey(
                format!("{what} made of one repeated byte is not a secret"),
            )))
        }
        _ => Ok(()),
    }
}

/// Encodes bytes as unpadded base64url, the encoding of PASETO and PASERK.
#[doc(hidden)]
pub fn b64_encode(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes unpadded base64url; non-canonical encodings are refused.
pub(crate) fn b64_decode(text: &str) -> Option<Vec<u8>> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(text).ok()
}
