//! `verify_local`: `v4.local`, `v3.local` and `v2.local` tokens through the [`Verifier`], with
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
use paseto_auth::{Purpose, Requirements, Verifier};
use serde_json::Value;

use crate::keys;
use crate::verify_public::ISSUER;

struct Fixture {
    lenient: Verifier,
    strict: Verifier,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut lenient = Verifier::builder()
            .versions(keys::VERSIONS)
            .skip_time_checks(true)
            .allow_no_expiration(true)
            .cache_size(0);
        let mut strict = Verifier::builder().versions(keys::VERSIONS).cache_size(0);
        for version in keys::VERSIONS {
            lenient = lenient.local_key(keys::local(version), None);
            strict = strict.local_key(keys::local(version), Some(ISSUER.to_owned()));
        }
        Fixture {
            lenient: lenient.build().expect("a verifier"),
            strict: strict.build().expect("a verifier"),
        }
    })
}

/// Runs one input: a token.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fixture = fixture();
    let route = Requirements::new();
    let lenient = fixture.lenient.verify_untyped(text, &route);
    if let Ok(strict) = fixture.strict.verify_untyped(text, &route) {
        let lenient = lenient
            .as_ref()
            .expect("what the strict verifier accepts, the lenient one accepts");
        assert_eq!(strict.claims, lenient.claims);
        assert_eq!(strict.registered.iss.as_deref(), Some(ISSUER));
    }
    let Ok(verified) = lenient else {
        return;
    };
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
