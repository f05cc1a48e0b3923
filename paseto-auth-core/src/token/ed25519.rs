//! Verifying `v4.public` and `v2.public` tokens with the key's fast Ed25519 form
//! ([`Ed25519Key`]): the signed message is PASETO's pre-authentication encoding of the header,
//! payload, footer and (v4) implicit assertion; the signature is the body's last 64 bytes.

use super::pae::pae;
use crate::error::{Error, Result, TokenError};
use crate::key::Ed25519Key;

/// Length of an Ed25519 signature.
const SIGNATURE_LEN: usize = 64;

/// Verifies the signed message of a public token (`payload || signature`, as decoded from its
/// body) under `header` (`"v4.public."`, `"v2.public."`), its footer and, for v4, its implicit
/// assertion; returns the payload.
pub(crate) fn open(
    key: &Ed25519Key,
    header: &str,
    signed: &[u8],
    footer: &[u8],
    implicit: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let split = signed
        .len()
        .checked_sub(SIGNATURE_LEN)
        .ok_or(Error::Token(TokenError::InvalidSignature))?;
    let (payload, signature) = signed.split_at(split);
    let signature: &[u8; SIGNATURE_LEN] = signature
        .try_into()
        .map_err(|_| Error::Token(TokenError::InvalidSignature))?;
    let mut pieces: [&[u8]; 4] = [header.as_bytes(), payload, footer, &[]];
    let count = match implicit {
        Some(implicit) => {
            pieces[3] = implicit;
            4
        }
        None => 3,
    };
    if !key.verifies(&pae(&pieces[..count]), signature) {
        return Err(Error::Token(TokenError::InvalidSignature));
    }
    Ok(payload.to_vec())
}
