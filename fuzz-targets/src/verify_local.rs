//! `verify_local`: `v4.local`, `v3.local` and `v2.local` tokens through the [`Verifier`](paseto_auth::Verifier), with
//! the official vectors' local key.
//!
//! What must hold: a token that verifies decrypts (with the codec alone) to a payload whose JSON
//! object is the claims; that payload sealed again with the token's footer is a new token (a new
//! nonce) that decrypts to the same payload and verifies to the same claims —
//! `decrypt(encrypt(x)) = x`; what the strict verifier (times checked, keys bound to an issuer)
//! accepts, the lenient one accepts.

use std::sync::OnceLock;

use paseto_auth::key::{SigningKey, VerificationKey};
use paseto_auth::token::{DEFAULT_MAX_TOKEN_LEN, UntrustedToken};
use paseto_auth::{Purpose, Requirements};
use serde_json::Value;

use crate::keys;
use crate::verifiers::Verifiers;

fn fixture() -> &'static Verifiers {
    static FIXTURE: OnceLock<Verifiers> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        Verifiers::new(|builder, version, issuer| {
            builder.local_key(keys::local(version), issuer.map(str::to_owned))
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
    assert_eq!(verified.header.purpose, Purpose::Local);
    let version = verified.header.version;
    let key = keys::local(version);
    let token =
        UntrustedToken::parse(text, DEFAULT_MAX_TOKEN_LEN).expect("a verified token parses");
    let footer = token.untrusted_footer().to_vec();
    assert_eq!(verified.footer.as_bytes(), footer);
    let opening_key = VerificationKey::Local(key.clone());
    let payload = token
        .open(&opening_key, b"")
        .expect("a verified token opens")
        .to_vec();
    let expected: Value = serde_json::from_slice(&payload).expect("JSON");
    assert_eq!(Value::Object(verified.claims.clone()), expected);
    // decrypt(encrypt(x)) = x, through the codec and through the verifier.
    let sealed = paseto_auth::token::seal(&SigningKey::Local(key), &payload, &footer, b"")
        .expect("sealed again");
    assert!(sealed.starts_with(verified.header.prefix()));
    let opened = UntrustedToken::parse(&sealed, usize::MAX)
        .and_then(|token| token.open(&opening_key, b""))
        .expect("what was sealed opens");
    assert_eq!(&*opened, payload.as_slice());
    let again = fixture
        .lenient
        .verify_untyped(&sealed, &route)
        .expect("sealed again, it verifies");
    assert_eq!(again.claims, verified.claims);
}
