//! `pem`: PEM keys as operators have them — PKCS#8 Ed25519 and P-384 private keys, SEC1
//! `EC PRIVATE KEY`, SPKI public keys — through `SecretKey::from_pem`, `PublicKey::from_pem` and
//! [`Key::parse`], for each version an Ed25519 or P-384 key may be asked for.
//!
//! What must hold: a key read from PEM is of the version its curve allows (P-384: v3; Ed25519: v4,
//! or v2 when asked), agrees with [`Key::parse`], round-trips through its PASERK, and — a secret
//! key — signs what its own public key verifies; a refusal is `invalid_key` and shows none of the
//! PEM's base64 lines.

use paseto_auth::Version;
use paseto_auth::key::{Key, PublicKey, SecretKey, SigningKey, VerificationKey};
use paseto_auth::token::UntrustedToken;

/// Runs one input: a byte that picks the version asked for (none, v2, v3, v4), then the PEM text.
pub fn run(data: &[u8]) {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let asked = match pick % 4 {
        0 => None,
        1 => Some(Version::V2),
        2 => Some(Version::V3),
        _ => Some(Version::V4),
    };
    let secret = SecretKey::from_pem(text, asked);
    let public = PublicKey::from_pem(text, asked);
    for err in [secret.as_ref().err(), public.as_ref().err()]
        .into_iter()
        .flatten()
    {
        assert_eq!(crate::kind(err), "invalid_key", "{err}");
        let message = err.to_string();
        for line in text.lines().filter(|line| !line.starts_with("-----")) {
            crate::assert_not_shown(&message, line, "PEM");
        }
    }
    let parsed = Key::parse(text, asked);
    if let Ok(secret) = &secret {
        check_version(secret.version(), asked);
        let again = SecretKey::from_paserk(&secret.to_paserk()).expect("its PASERK reads");
        assert_eq!(again.secret_id(), secret.secret_id());
        let token = paseto_auth::token::seal(&SigningKey::Secret(secret.clone()), b"{}", b"", b"")
            .expect("a PEM key signs");
        let verifier = VerificationKey::Public(secret.public_key().clone());
        UntrustedToken::parse(&token, usize::MAX)
            .and_then(|token| token.open(&verifier, b""))
            .expect("what it signs, its public key verifies");
        if text.trim().starts_with("-----BEGIN") && !text.contains("PUBLIC KEY-----") {
            match &parsed {
                Ok(Key::Secret(key)) => assert_eq!(key.secret_id(), secret.secret_id()),
                other => panic!("Key::parse disagrees: {other:?}"),
            }
        }
    }
    if let Ok(public) = &public {
        check_version(public.version(), asked);
        let again = PublicKey::from_paserk(&public.to_paserk()).expect("its PASERK reads");
        assert_eq!(&again, public);
        if text.trim().starts_with("-----BEGIN") && text.contains("PUBLIC KEY-----") {
            match &parsed {
                Ok(Key::Public(key)) => assert_eq!(key, public),
                other => panic!("Key::parse disagrees: {other:?}"),
            }
        }
    }
}

/// A key of the version its curve allows: v3 is P-384's, v2 only when asked for.
fn check_version(version: Version, asked: Option<Version>) {
    match asked {
        Some(asked) => assert_eq!(version, asked),
        None => assert!(matches!(version, Version::V4 | Version::V3)),
    }
}
