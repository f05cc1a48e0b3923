//! v3.local: AES-256-CTR + HMAC-SHA384 with HKDF-SHA384 key splitting (PASETO spec, version 3).
//!
//! This module works on the raw token body `n || c || t` (nonce, ciphertext, tag); assembling
//! the `v3.local.` token string, base64url and header parsing happen elsewhere. The header,
//! footer and implicit assertion are all bound into the tag through PAE.

use hkdf::Hkdf;
use sha2::Sha384;
use zeroize::Zeroizing;

use super::sealed::{AUTH_KEY_INFO, ENCRYPTION_KEY_INFO};
use crate::error::{Cause, Error};

/// Length of the random nonce `n` that starts every v3.local body.
pub(crate) const NONCE_LEN: usize = 32;
/// Length of the HMAC-SHA384 tag `t` that ends every v3.local body.
pub(crate) const TAG_LEN: usize = 48;

/// The header `h`, bound into the tag as the first PAE piece.
const HEADER: &[u8] = b"v3.local.";
/// Length of AES-256's key `Ek`, the first part of the first HKDF output.
const ENCRYPTION_KEY_LEN: usize = 32;
/// Length of each HKDF-SHA384 output (`Ek || n2`, and `Ak`).
const HKDF_OUT_LEN: usize = 48;

/// Encrypts with a fresh random nonce (getrandom 0.4 `getrandom::fill`); returns n || c || t.
pub(crate) fn seal(
    key: &[u8; 32],
    message: &[u8],
    footer: &[u8],
    implicit: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|e| Error::Crypto(Cause::new(e)))?;
    seal_with_nonce(key, &nonce, message, footer, implicit)
}

/// Same with a given nonce (used by the official vectors' tests).
pub(crate) fn seal_with_nonce(
    key: &[u8; 32],
    nonce: &[u8; 32],
    message: &[u8],
    footer: &[u8],
    implicit: &[u8],
) -> Result<Vec<u8>, Error> {
    let keys = SplitKeys::derive(key, nonce)?;
    super::sealed::seal_in_place(
        "v3.local",
        nonce,
        message,
        |buf| keys.apply_keystream(buf),
        |ciphertext| keys.tag(nonce, ciphertext, footer, implicit),
    )
}

/// Verifies the tag in constant time (subtle) BEFORE decrypting, then decrypts. body = n || c || t.
/// Too short a body -> Error::Malformed(..); bad tag -> Error::InvalidSignature.
pub(crate) fn open(
    key: &[u8; 32],
    body: &[u8],
    footer: &[u8],
    implicit: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (nonce, ciphertext, tag) = super::sealed::split::<NONCE_LEN, TAG_LEN>("v3.local", body)?;
    let keys = SplitKeys::derive(key, nonce)?;
    super::sealed::check_tag(&keys.tag(nonce, ciphertext, footer, implicit)?, tag)?;

    let mut plaintext = Zeroizing::new(ciphertext.to_vec());
    keys.apply_keystream(plaintext.as_mut_slice())?;
    Ok(plaintext)
}

/// The keys HKDF derives from the shared key and the nonce; all are zeroized on drop.
struct SplitKeys {
    /// `HKDF(info = "paseto-encryption-key" || n)`: `Ek` (first 32 bytes) `|| n2` (last 16).
    encryption: Zeroizing<[u8; HKDF_OUT_LEN]>,
    /// `Ak = HKDF(info = "paseto-auth-key-for-aead" || n)`.
    auth: Zeroizing<[u8; HKDF_OUT_LEN]>,
}

impl SplitKeys {
    /// Derives `Ek || n2` and `Ak` with HKDF-SHA384 (salt NULL, ikm = the key).
    fn derive(key: &[u8; 32], nonce: &[u8; NONCE_LEN]) -> Result<Self, Error> {
        let hkdf = Hkdf::<Sha384>::new(None, key);
        let mut encryption = Zeroizing::new([0u8; HKDF_OUT_LEN]);
        hkdf.expand_multi_info(&[ENCRYPTION_KEY_INFO, nonce], encryption.as_mut_slice())
            .map_err(|_| Error::Crypto(Cause::msg("HKDF-SHA384 expand failed")))?;
        let mut auth = Zeroizing::new([0u8; HKDF_OUT_LEN]);
        hkdf.expand_multi_info(&[AUTH_KEY_INFO, nonce], auth.as_mut_slice())
            .map_err(|_| Error::Crypto(Cause::msg("HKDF-SHA384 expand failed")))?;
        Ok(SplitKeys { encryption, auth })
    }

    /// XORs `buf` with the AES-256-CTR keystream under `Ek` and initial counter block `n2`.
    fn apply_keystream(&self, buf: &mut [u8]) -> Result<(), Error> {
        let (ek, n2) = self
            .encryption
            .split_first_chunk::<ENCRYPTION_KEY_LEN>()
            .ok_or_else(|| Error::Crypto(Cause::msg("HKDF output too short")))?;
        super::sealed::aes256_ctr(ek, n2, buf)
    }

    /// `t = HMAC-SHA384(Ak, PAE(h, n, c, f, i))`.
    fn tag(
        &self,
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
        footer: &[u8],
        implicit: &[u8],
    ) -> Result<[u8; TAG_LEN], Error> {
        super::sealed::hmac_sha384_pae(
            self.auth.as_slice(),
            &[HEADER, nonce, ciphertext, footer, implicit],
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking
mod tests {
    use super::*;
    use crate::error::TokenError;
    use base64ct::{Base64UrlUnpadded, Encoding};
    use serde_json::Value;

    const KEY: [u8; 32] = [0x42; 32];

    fn hex32(hex_str: &str) -> [u8; 32] {
        hex::decode(hex_str).unwrap().try_into().unwrap()
    }

    /// `"v3.local." + b64(body) + ("." + b64(footer) if footer non-empty)`.
    fn assemble(body: &[u8], footer: &[u8]) -> String {
        let mut token = format!("v3.local.{}", Base64UrlUnpadded::encode_string(body));
        if !footer.is_empty() {
            token.push('.');
            token.push_str(&Base64UrlUnpadded::encode_string(footer));
        }
        token
    }

    /// Parses a token string, then opens it with the token's own footer. A header other
    /// than `v3.local.`, bad base64 (including `=` padding) or a footer that differs from
    /// `expected_footer` is an error, as in the real token layer.
    fn decode_and_open(
        token: &str,
        key: &[u8; 32],
        expected_footer: &[u8],
        implicit: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        let rest = token
            .strip_prefix("v3.local.")
            .ok_or_else(|| Error::Token(TokenError::Malformed("not a v3.local token".into())))?;
        let (body, footer) = match rest.split_once('.') {
            Some((body, footer)) => (body, footer),
            None => (rest, ""),
        };
        let body = Base64UrlUnpadded::decode_vec(body)
            .map_err(|_| Error::Token(TokenError::Malformed("body is not base64url".into())))?;
        let footer = Base64UrlUnpadded::decode_vec(footer)
            .map_err(|_| Error::Token(TokenError::Malformed("footer is not base64url".into())))?;
        if footer != expected_footer {
            return Err(Error::Token(TokenError::InvalidFooter(
                "footer differs from the expected one".into(),
            )));
        }
        open(key, &body, &footer, implicit)
    }

    fn str_field<'a>(test: &'a Value, field: &str) -> &'a str {
        test[field].as_str().unwrap()
    }

    #[test]
    fn official_v3_local_vectors() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/test-vectors/paseto/v3.json"
        ))
        .unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let (mut ran, mut failing) = (0usize, 0usize);
        for test in doc["tests"].as_array().unwrap() {
            // Only tests with a (symmetric) key are v3.local; the others are v3.public.
            let Some(key_hex) = test.get("key").and_then(Value::as_str) else {
                continue;
            };
            let name = str_field(test, "name");
            let key = hex32(key_hex);
            let token = str_field(test, "token");
            let footer = str_field(test, "footer").as_bytes();
            let implicit = str_field(test, "implicit-assertion").as_bytes();
            ran += 1;

            if test["expect-fail"].as_bool().unwrap() {
                failing += 1;
                // 3-F-2/3 are v3.public / v4.local tokens, 3-F-4 changes only the unused
                // trailing bits of the last base64 character (strict decoding must reject it,
                // a lenient one would yield the bytes of 3-E-1), 3-F-5 has `=` padding.
                match decode_and_open(token, &key, footer, implicit) {
                    Ok(_) => panic!("{name}: must fail but opened"),
                    Err(e) => println!("{name}: rejected ({e})"),
                }
                continue;
            }

            let nonce = hex32(str_field(test, "nonce"));
            let payload = str_field(test, "payload").as_bytes();
            let body = seal_with_nonce(&key, &nonce, payload, footer, implicit).unwrap();
            assert_eq!(assemble(&body, footer), token, "{name}: sealed token");
            let opened = decode_and_open(token, &key, footer, implicit).unwrap();
            assert_eq!(opened.as_slice(), payload, "{name}: opened payload");
        }
        crate::test_report!("v3.local official vectors: ran {ran} ({failing} expect-fail)");
        assert_eq!((ran, failing), (13, 4));
    }

    #[test]
    fn round_trip_with_random_nonce() {
        let message = b"{\"sub\":\"alice\"}";
        let a = seal(&KEY, message, b"footer", b"implicit").unwrap();
        let b = seal(&KEY, message, b"footer", b"implicit").unwrap();
        assert_eq!(a.len(), NONCE_LEN + message.len() + TAG_LEN);
        assert_ne!(a, b, "two seals must use different nonces");
        for body in [&a, &b] {
            let opened = open(&KEY, body, b"footer", b"implicit").unwrap();
            assert_eq!(opened.as_slice(), message);
        }
        let empty = seal(&KEY, b"", b"", b"").unwrap();
        assert_eq!(empty.len(), NONCE_LEN + TAG_LEN);
        assert!(open(&KEY, &empty, b"", b"").unwrap().is_empty());
    }

    #[test]
    fn tampered_byte_anywhere_in_body_is_invalid_signature() {
        let body = seal(&KEY, b"attack at dawn", b"f", b"i").unwrap();
        for index in 0..body.len() {
            for flip in [0x01u8, 0x80] {
                let mut tampered = body.clone();
                tampered[index] ^= flip;
                assert!(
                    matches!(
                        open(&KEY, &tampered, b"f", b"i"),
                        Err(Error::Token(TokenError::InvalidSignature))
                    ),
                    "byte {index} flipped with {flip:#04x} was accepted"
                );
            }
        }
    }

    #[test]
    fn wrong_key_is_invalid_signature() {
        let body = seal(&KEY, b"secret", b"", b"").unwrap();
        let mut other = KEY;
        other[31] ^= 1;
        assert!(matches!(
            open(&other, &body, b"", b""),
            Err(Error::Token(TokenError::InvalidSignature))
        ));
    }

    #[test]
    fn different_footer_or_implicit_assertion_is_invalid_signature() {
        let body = seal(&KEY, b"secret", b"footer", b"implicit").unwrap();
        for (footer, implicit) in [
            (&b"footer2"[..], &b"implicit"[..]),
            (b"", b"implicit"),
            (b"footer", b"implicit2"),
            (b"footer", b""),
            // Moving bytes between the two pieces must not verify either (PAE lengths).
            (b"footerimplicit", b""),
        ] {
            assert!(matches!(
                open(&KEY, &body, footer, implicit),
                Err(Error::Token(TokenError::InvalidSignature))
            ));
        }
    }

    #[test]
    fn body_shorter_than_nonce_and_tag_is_malformed() {
        let body = seal(&KEY, b"", b"", b"").unwrap();
        for len in 0..NONCE_LEN + TAG_LEN {
            assert!(
                matches!(
                    open(&KEY, &body[..len], b"", b""),
                    Err(Error::Token(TokenError::Malformed(_)))
                ),
                "length {len}"
            );
        }
    }
}
