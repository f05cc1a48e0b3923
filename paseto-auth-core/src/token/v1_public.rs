//! v1.public (feature `v1`, deprecated, for migration only): RSASSA-PSS over RSA-2048 with
//! SHA-384, MGF1-SHA384 and a 48-byte salt, over `PAE(h, m, f)` (no implicit assertion).
//!
//! Signing is a private-key operation of the `rsa` crate: see the timing advisory
//! (RUSTSEC-2023-0071) in `key::k1` and `paseto_auth::docs::layout`. Verifying uses the public key only.

use sha2::Sha384;

use super::pae::pae;
use crate::error::{Cause, Error, TokenError};
use crate::key::{RsaPublic, RsaSecret, SIGNATURE_LEN};

/// The header `h`, the first PAE piece.
const HEADER: &[u8] = b"v1.public.";

/// Signs `message` (with `footer`); returns the body `m || s`.
pub(crate) fn sign(key: &RsaSecret, message: &[u8], footer: &[u8]) -> Result<Vec<u8>, Error> {
    // `pss_sign` salts with SHA-384's output size (48 bytes), blinds the private-key operation
    // and draws both from the OS random generator.
    let signature = key
        .key()
        .pss_sign::<Sha384>(&pae(&[HEADER, message, footer]))
        .map_err(|e| Error::Crypto(Cause::new(e)))?;
    if signature.len() != SIGNATURE_LEN {
        return Err(Error::Crypto(Cause::msg(
            "an RSA-2048 signature is 256 bytes",
        )));
    }
    let mut body = Vec::with_capacity(message.len().saturating_add(SIGNATURE_LEN));
    body.extend_from_slice(message);
    body.extend_from_slice(&signature);
    Ok(body)
}

/// Verifies the body `m || s` (with `footer`) and returns `m`. A body shorter than a signature
/// is [`TokenError::Malformed`]; a signature that does not verify is
/// [`TokenError::InvalidSignature`].
pub(crate) fn verify<'a>(
    key: &RsaPublic,
    body: &'a [u8],
    footer: &[u8],
) -> Result<&'a [u8], Error> {
    let split = body.len().checked_sub(SIGNATURE_LEN).ok_or_else(|| {
        Error::Token(TokenError::Malformed(format!(
            "v1.public body is {} bytes, shorter than its {SIGNATURE_LEN}-byte signature",
            body.len()
        )))
    })?;
    let (message, signature) = body.split_at(split);
    // The salt length is SHA-384's output size, 48 bytes, and checked.
    key.key()
        .pss_verify::<Sha384>(&pae(&[HEADER, message, footer]), signature)
        .map_err(|_| Error::Token(TokenError::InvalidSignature))?;
    Ok(message)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking
mod tests {
    use super::*;
    use crate::key::SecretKey;
    use crate::version::Version;

    #[test]
    fn sign_then_verify_and_every_tampered_byte_is_refused() {
        let secret = SecretKey::generate(Version::V1).unwrap();
        let (sk, pk) = (secret.v1().unwrap(), secret.public_key().v1().unwrap());
        let body = sign(sk, b"{\"a\":1}", b"f").unwrap();
        assert_eq!(body.len(), 7 + SIGNATURE_LEN);
        assert_eq!(verify(pk, &body, b"f").unwrap(), b"{\"a\":1}");
        // PSS is randomized: two signatures differ, both verify.
        let again = sign(sk, b"{\"a\":1}", b"f").unwrap();
        assert_ne!(body, again);
        assert_eq!(verify(pk, &again, b"f").unwrap(), b"{\"a\":1}");
        assert!(matches!(
            verify(pk, &body, b"g"),
            Err(Error::Token(TokenError::InvalidSignature))
        ));
        // Every 17th byte, payload and signature alike (each check costs an RSA operation).
        for index in (0..body.len()).step_by(17) {
            let mut tampered = body.clone();
            tampered[index] ^= 0x01;
            assert!(
                matches!(
                    verify(pk, &tampered, b"f"),
                    Err(Error::Token(TokenError::InvalidSignature))
                ),
                "byte {index}"
            );
        }
        let other = SecretKey::generate(Version::V1).unwrap();
        assert!(matches!(
            verify(other.public_key().v1().unwrap(), &body, b"f"),
            Err(Error::Token(TokenError::InvalidSignature))
        ));
        for len in [0, 1, SIGNATURE_LEN - 1] {
            assert!(matches!(
                verify(pk, &body[..len], b"f"),
                Err(Error::Token(TokenError::Malformed(_)))
            ));
        }
    }
}
