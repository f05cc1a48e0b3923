//! A refresh's answer, kept in the store for a retry of the same refresh: the pair, sealed as a
//! `v4.local` token under a key derived from the refresh token presented, so that the store (or
//! anyone reading it) holds nothing usable, and only a client holding that refresh token — the
//! one that is retrying — can open it.

use crate::error::{Error, Result};
use crate::key::{LocalKey, SigningKey, VerificationKey};
use crate::pair::TokenPair;
use crate::token::{UntrustedToken, seal};
use crate::version::Version;

/// The purpose label of the key derivation: no other key of the crate is derived under it.
const KEY_PURPOSE: &str = "refresh-answer";

/// Far larger than a sealed pair (two tokens and their lifetimes), far smaller than a store
/// could be made to hand back.
const MAX_SEALED_LEN: usize = 64 * 1024;

/// The key of the answers to `refresh_token`. A refresh token is well over the 32 bytes the
/// derivation needs, and its signature is unpredictable without the issuer's key.
fn key(refresh_token: &str) -> Result<LocalKey> {
    LocalKey::derive_from_secret(Version::V4, refresh_token.as_bytes(), KEY_PURPOSE)
}

/// Binds an answer to the use it answers: generation `generation` of `family`.
fn implicit(family: &str, generation: u64) -> Vec<u8> {
    format!("paseto-auth refresh answer {generation} {family}").into_bytes()
}

/// `pair`, sealed for a retry of the use of `refresh_token` (generation `generation` of
/// `family`).
pub(super) fn seal_answer(
    refresh_token: &str,
    family: &str,
    generation: u64,
    pair: &TokenPair,
) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(pair)
        .map_err(|_| Error::Setup("a token pair did not serialize".into()))?;
    let key = SigningKey::Local(key(refresh_token)?);
    seal(&key, &json, b"", &implicit(family, generation)).map(String::into_bytes)
}

/// The pair a store kept for this use of `refresh_token`; `None` when what it kept does not
/// open with it (it was altered, or answers another token).
pub(super) fn open_answer(
    refresh_token: &str,
    family: &str,
    generation: u64,
    sealed: &[u8],
) -> Option<TokenPair> {
    let text = std::str::from_utf8(sealed).ok()?;
    let token = UntrustedToken::parse(text, MAX_SEALED_LEN).ok()?;
    let key = VerificationKey::Local(key(refresh_token).ok()?);
    let payload = token.open(&key, &implicit(family, generation)).ok()?;
    serde_json::from_slice(&payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> TokenPair {
        TokenPair {
            access_token: "v4.public.access".into(),
            token_type: "Bearer".into(),
            expires_in: 900,
            refresh_token: "v4.public.refresh".into(),
            refresh_expires_in: 1_209_600,
        }
    }

    const TOKEN: &str = "v4.public.eyJzdWIiOiJhbGljZSJ9-a-refresh-token-long-enough-to-derive";

    #[test]
    fn an_answer_opens_only_for_its_refresh_token_and_use() {
        let sealed = seal_answer(TOKEN, "fam", 3, &pair()).unwrap();
        assert_eq!(open_answer(TOKEN, "fam", 3, &sealed), Some(pair()));
        let other = format!("{TOKEN}x");
        assert_eq!(open_answer(&other, "fam", 3, &sealed), None);
        assert_eq!(open_answer(TOKEN, "fam", 4, &sealed), None);
        assert_eq!(open_answer(TOKEN, "other", 3, &sealed), None);
        // Nothing of the pair is readable in what the store keeps.
        let kept = String::from_utf8(sealed.clone()).unwrap();
        assert!(kept.starts_with("v4.local."));
        assert!(!kept.contains("access") && !kept.contains("refresh"));
    }

    #[test]
    fn garbage_from_the_store_opens_to_nothing() {
        for garbage in [
            &b""[..],
            b"\xff\xfe",
            b"v4.local.",
            b"v4.local.AAAA",
            &[b'A'; 100_000],
        ] {
            assert_eq!(open_answer(TOKEN, "fam", 3, garbage), None);
        }
        let mut sealed = seal_answer(TOKEN, "fam", 3, &pair()).unwrap();
        let last = sealed.len() - 1;
        sealed[last] = if sealed[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(open_answer(TOKEN, "fam", 3, &sealed), None);
    }
}
