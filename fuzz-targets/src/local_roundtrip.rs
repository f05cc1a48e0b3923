//! `local_roundtrip`: the local codecs (`v4.local` and `v3.local` with RustCrypto, `v2.local`
//! with pasetors) on any payload, footer and implicit assertion.
//!
//! What must hold: `decrypt(encrypt(x)) = x` — a sealed token parses, carries the footer given,
//! and opens with its key and implicit assertion to the payload given (a payload that is not
//! UTF-8 may be refused on opening, never changed); the same token with one bit of its body
//! changed, with another implicit assertion (v3, v4), or under another key of its version opens
//! to nothing; an empty payload and an implicit assertion on v2 are refused when sealing.

use std::sync::OnceLock;

use paseto_auth::Version;
use paseto_auth::key::{LocalKey, SigningKey, VerificationKey};
use paseto_auth::token::UntrustedToken;

use crate::keys;

/// A second key of each version: what a token must not open under.
fn stranger(version: Version) -> &'static LocalKey {
    static STRANGERS: OnceLock<Vec<LocalKey>> = OnceLock::new();
    let strangers = STRANGERS.get_or_init(|| {
        keys::VERSIONS
            .iter()
            .map(|&version| {
                LocalKey::derive_from_secret(
                    version,
                    b"a fuzz target's stranger key, 32+ bytes",
                    "fuzz",
                )
                .expect("a derived key")
            })
            .collect()
    });
    let index = keys::VERSIONS
        .iter()
        .position(|&v| v == version)
        .unwrap_or(0);
    &strangers[index]
}

/// Runs one input: a byte that picks the version and the bit to flip, then the payload, the
/// footer and the implicit assertion, NUL-separated.
pub fn run(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let [payload, footer, implicit] = crate::fields::<3>(rest);
    let version = keys::VERSIONS[usize::from(pick % 3)];
    let key = keys::local(version);
    let sealed =
        paseto_auth::token::seal(&SigningKey::Local(key.clone()), payload, footer, implicit);
    let token = match sealed {
        Ok(token) => token,
        Err(err) => {
            let why = crate::kind(&err);
            assert!(
                payload.is_empty() || (version == Version::V2 && !implicit.is_empty()),
                "sealing {version}.local refused ({why}: {err})"
            );
            return;
        }
    };
    assert!(!payload.is_empty(), "an empty payload was sealed");
    assert!(
        version.has_implicit_assertion() || implicit.is_empty(),
        "an implicit assertion was sealed into a v2 token"
    );
    let parsed = UntrustedToken::parse(&token, usize::MAX).expect("a sealed token parses");
    assert_eq!(parsed.header().version, version);
    assert_eq!(parsed.untrusted_footer(), footer);
    assert!(parsed.untrusted_public_payload().is_none());
    let opening_key = VerificationKey::Local(key);
    match parsed.open(&opening_key, implicit) {
        Ok(opened) => assert_eq!(&*opened, payload, "decrypt(encrypt(x)) = x"),
        Err(err) => assert!(
            std::str::from_utf8(payload).is_err(),
            "a sealed UTF-8 payload did not open: {err}"
        ),
    }
    // Another implicit assertion (where it is bound), another key, one bit changed: nothing.
    if version.has_implicit_assertion() {
        let mut other = implicit.to_vec();
        other.push(b'!');
        assert!(parsed.open(&opening_key, &other).is_err());
    }
    let stranger = VerificationKey::Local(stranger(version).clone());
    assert!(parsed.open(&stranger, implicit).is_err());
    let mut bits = token.clone().into_bytes();
    let prefix = parsed.header().prefix().len();
    let body_len = token[prefix..].split('.').next().unwrap_or_default().len();
    let at = prefix + usize::from(pick / 3) % body_len;
    bits[at] = if bits[at] == b'A' { b'B' } else { b'A' };
    if let Ok(changed) = String::from_utf8(bits) {
        let opened = UntrustedToken::parse(&changed, usize::MAX)
            .and_then(|token| token.open(&opening_key, implicit));
        assert!(opened.is_err(), "a changed token opened: {changed}");
    }
}
