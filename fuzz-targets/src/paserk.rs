//! `paserk`: plain PASERK strings of every type — `kN.local`, `kN.secret`, `kN.public` through
//! [`Key::parse`] and each key type's `from_paserk`, and the ids `kN.lid`, `kN.pid`, `kN.sid`
//! through [`KeyId::parse`].
//!
//! What must hold: a PASERK that parses serializes back to itself (one spelling per key), whichever
//! entry point read it, and they agree on what they accept; its id is a PASERK id of its version
//! and kind; a secret key's signature verifies under the public key it carries; a protected PASERK
//! is never read as a plain key; no error shows the key text.

use paseto_auth::Purpose;
use paseto_auth::key::protected::Protection;
use paseto_auth::key::{Key, KeyId, LocalKey, PublicKey, SecretKey, SigningKey, VerificationKey};
use paseto_auth::token::UntrustedToken;

/// Runs one input: the PASERK text.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key_text = text.trim();
    // What must not be shown: the data of a key that is secret (public keys and ids are not).
    let secret_part = match key_text.splitn(3, '.').collect::<Vec<_>>()[..] {
        [_, "public" | "pid" | "lid" | "sid", _] => "",
        [_, _, data] => data,
        _ => "",
    };
    let parsed = Key::parse(text, None);
    let is_pem = key_text.starts_with("-----BEGIN");
    match &parsed {
        Ok(key) if !is_pem => check_key(key, key_text),
        Ok(_) => {}
        Err(err) => {
            assert_eq!(crate::kind(err), "invalid_key", "{err}");
            crate::assert_not_shown(&err.to_string(), secret_part, "key");
        }
    }
    if Protection::of(text).is_some() {
        assert!(
            parsed.is_err(),
            "a protected PASERK was read as a plain key"
        );
    }
    // Each typed entry point accepts what Key::parse reads as its kind, and only that.
    if !is_pem {
        let local = LocalKey::from_paserk(text);
        let secret = SecretKey::from_paserk(text);
        let public = PublicKey::from_paserk(text);
        assert_eq!(local.is_ok(), matches!(parsed, Ok(Key::Local(_))));
        assert_eq!(secret.is_ok(), matches!(parsed, Ok(Key::Secret(_))));
        assert_eq!(public.is_ok(), matches!(parsed, Ok(Key::Public(_))));
        for err in [local.err(), secret.err(), public.err()]
            .into_iter()
            .flatten()
        {
            crate::assert_not_shown(&err.to_string(), secret_part, "key");
        }
    }
    // Ids: read as given, and only PASERK ids.
    match KeyId::parse(text) {
        Ok(id) => {
            assert_eq!(id.as_str(), text);
            assert!(KeyId::is_paserk_id(text));
        }
        Err(err) => assert_eq!(crate::kind(&err), "invalid_key", "{err}"),
    }
}

fn check_key(key: &Key, text: &str) {
    let prefix = key.describe();
    assert!(
        text.starts_with(&format!("{prefix}.")),
        "{prefix} read from another type"
    );
    let (again, id) = match key {
        Key::Local(k) => (k.to_paserk().to_string(), k.id().clone()),
        Key::Secret(k) => (k.to_paserk().to_string(), k.secret_id()),
        Key::Public(k) => (k.to_paserk(), k.id().clone()),
    };
    assert_eq!(again, text, "a PASERK serializes back to itself");
    let id_kind = match key {
        Key::Local(_) => "lid",
        Key::Secret(_) => "sid",
        Key::Public(_) => "pid",
    };
    let expected = format!("{}.{id_kind}.", key.version().paserk_prefix());
    assert!(id.as_str().starts_with(&expected), "{id} for a {prefix}");
    assert_eq!(
        KeyId::parse(id.as_str()).map(|id| id.to_string()).ok(),
        Some(id.to_string())
    );
    // A secret key's signature verifies under the public key it carries.
    if let Key::Secret(secret) = key {
        let token = paseto_auth::token::seal(&SigningKey::Secret(secret.clone()), b"{}", b"", b"")
            .expect("a secret key signs");
        let public = VerificationKey::Public(secret.public_key().clone());
        let opened = UntrustedToken::parse(&token, usize::MAX)
            .and_then(|token| token.open(&public, b""))
            .expect("its signature verifies under its own public key");
        assert_eq!(&*opened, b"{}");
        assert_eq!(key.purpose(), Purpose::Public);
    }
}
