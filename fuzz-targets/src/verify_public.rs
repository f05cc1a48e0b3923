//! `verify_public`: `v4.public`, `v3.public` and `v2.public` tokens through the [`Verifier`](paseto_auth::Verifier),
//! with the official vectors' keys (so their tokens, and every token signed with those keys, are
//! valid seeds).
//!
//! What must hold: a token that verifies re-encodes to the same text — its header, payload,
//! signature and footer written out again are the token, and signing its payload and footer
//! again with the key gives the token back where signatures are deterministic (Ed25519: v4, v2;
//! ECDSA signatures, v3, are made with a fresh nonce by other signers, so there the token signed
//! again verifies to the same claims instead); the claims are the payload's JSON object, whose
//! keys are unique; a token the strict verifier (times checked, keys bound to an issuer) accepts,
//! the lenient one accepts too, with the same claims.

use std::sync::OnceLock;

use paseto_auth::key::SigningKey;
use paseto_auth::token::{DEFAULT_MAX_TOKEN_LEN, UntrustedToken};
use paseto_auth::{Purpose, Requirements, Version};
use serde_json::Value;

use crate::keys;
use crate::verifiers::Verifiers;

fn fixture() -> &'static Verifiers {
    static FIXTURE: OnceLock<Verifiers> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        Verifiers::new(|builder, version, issuer| match issuer {
            Some(issuer) => builder.public_key(keys::public(version), issuer),
            None => builder.unbound_public_key(keys::public(version)),
        })
    })
}

/// Runs one input: a token.
pub fn run(data: &[u8]) {
    let fixture = fixture();
    let Some((text, verified)) = fixture.verify(data) else {
        return;
    };
    let route = Requirements::new();
    assert_eq!(verified.header.purpose, Purpose::Public);
    let token =
        UntrustedToken::parse(text, DEFAULT_MAX_TOKEN_LEN).expect("a verified token parses");
    let payload = token
        .untrusted_public_payload()
        .expect("a public token's payload");
    let footer = token.untrusted_footer();
    assert_eq!(verified.footer.as_bytes(), footer);
    // The claims are the payload, an object with unique keys.
    let shape = crate::json::shape(payload).expect("a verified payload is JSON");
    assert!(shape.object && !shape.duplicate, "{shape:?}");
    let expected: Value = serde_json::from_slice(payload).expect("JSON");
    assert_eq!(Value::Object(verified.claims.clone()), expected);
    // Written out again, it is the same token.
    let body = crate::b64_decode(text.split('.').nth(2).expect("a body")).expect("canonical");
    let mut written = format!("{}{}", verified.header.prefix(), crate::b64_encode(&body));
    if !footer.is_empty() {
        written.push('.');
        written.push_str(&crate::b64_encode(footer));
    }
    assert_eq!(written, text, "a verified token re-encodes to its own text");
    assert!(body.starts_with(payload));
    // Signed again, it is the same token (Ed25519), or one with the same claims (ECDSA).
    let version = verified.header.version;
    let key = SigningKey::Secret(keys::secret(version));
    let again = paseto_auth::token::seal(&key, payload, footer, b"").expect("signed again");
    if version == Version::V3 {
        let claims = fixture
            .lenient
            .verify_untyped(&again, &route)
            .expect("signed again, it verifies")
            .claims;
        assert_eq!(claims, verified.claims);
    } else {
        assert_eq!(again, text, "a verified token signs again to its own text");
    }
}
