//! v1 for migration (feature `v1`): an issuer signs v1.public and encrypts v1.local with a v1
//! key, a verifier accepts v1 only when it is listed explicitly, keys come from PASERK and PEM.
//! Run with `cargo test -p paseto-auth-core --features v1` (CI does).
#![cfg(feature = "v1")]

use paseto_auth_core::key::{Key, LocalKey, PublicKey, SecretKey};
use paseto_auth_core::{Error, Issuer, Purpose, Requirements, Verifier, Version};
use paseto_auth_core::{KeyError, TokenError};
use serde_json::{Value, json};

const ISS: &str = "https://legacy.example";

fn issuer(key: impl Into<paseto_auth_core::key::SigningKey>) -> Issuer {
    Issuer::builder().issuer(ISS).key(key).build().unwrap()
}

#[test]
fn a_verifier_accepts_v1_only_when_it_is_listed() {
    let secret = SecretKey::generate(Version::V1).unwrap();
    let token = issuer(secret.clone())
        .issue(&json!({"user": "alice"}))
        .unwrap();
    assert!(token.starts_with("v1.public."));

    // A v1 key is refused by a verifier that does not allow v1 (the default allows v4, v3).
    let err = Verifier::builder()
        .public_key(secret.public_key().clone(), ISS)
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "key {} is for v1, which is not an allowed version (allow it \
             explicitly)",
            secret.public_key().id()
        )
    );
    // A verifier of the default versions refuses a valid v1 token before any cryptography.
    let v4 = SecretKey::generate(Version::V4).unwrap();
    let default = Verifier::builder()
        .public_key(v4.public_key().clone(), ISS)
        .build()
        .unwrap();
    assert!(matches!(
        default.verify::<Value>(&token),
        Err(Error::Token(TokenError::VersionNotAllowed(Version::V1)))
    ));
    // So does one allowing every version of Version::ALL: v1 is never among them.
    let all = Verifier::builder()
        .versions(Version::ALL)
        .public_key(v4.public_key().clone(), ISS)
        .build()
        .unwrap();
    assert!(matches!(
        all.verify::<Value>(&token),
        Err(Error::Token(TokenError::VersionNotAllowed(Version::V1)))
    ));

    // Listed explicitly, beside v4: the v1 token verifies, the v4 one too.
    let migrating = Verifier::builder()
        .versions([Version::V4, Version::V1])
        .public_key(secret.public_key().clone(), ISS)
        .public_key(v4.public_key().clone(), ISS)
        .build()
        .unwrap();
    let verified = migrating.verify::<Value>(&token).unwrap();
    assert_eq!(verified.claims["user"], "alice");
    assert_eq!(verified.version(), Version::V1);
    assert_eq!(verified.purpose(), Purpose::Public);
    assert_eq!(&verified.key_id, secret.public_key().id());
    assert!(verified.key_id.as_str().starts_with("k1.pid."));
    let v4_token = issuer(v4).issue(&json!({})).unwrap();
    assert!(migrating.verify::<Value>(&v4_token).is_ok());

    // A route asking for v4 refuses the v1 token; one asking for v1 refuses the v4 token.
    let v4_only = Requirements::new().version(Version::V4);
    assert!(matches!(
        migrating.verify_with::<Value>(&token, &v4_only),
        Err(Error::Token(TokenError::VersionNotAllowed(Version::V1)))
    ));
    let v1_only = Requirements::new().version(Version::V1);
    assert!(migrating.verify_with::<Value>(&token, &v1_only).is_ok());
    assert!(matches!(
        migrating.verify_with::<Value>(&v4_token, &v1_only),
        Err(Error::Token(TokenError::VersionNotAllowed(Version::V4)))
    ));
}

#[test]
fn v1_local_tokens_are_issued_and_verified() {
    let key = LocalKey::generate(Version::V1).unwrap();
    assert!(key.id().as_str().starts_with("k1.lid."));
    let token = issuer(key.clone()).issue(&json!({"n": 1})).unwrap();
    assert!(token.starts_with("v1.local."));
    let verifier = Verifier::builder()
        .versions([Version::V1])
        .local_key(key.clone(), Some(ISS.into()))
        .build()
        .unwrap();
    let verified = verifier.verify::<Value>(&token).unwrap();
    assert_eq!(verified.claims["n"], 1);
    assert_eq!(verified.registered.iss.as_deref(), Some(ISS));
    // Another v1 key does not open it.
    let other = Verifier::builder()
        .versions([Version::V1])
        .local_key(LocalKey::generate(Version::V1).unwrap(), None)
        .build()
        .unwrap();
    assert!(matches!(
        other.verify::<Value>(&token),
        Err(Error::Token(TokenError::UnknownKeyId(_)))
    ));
    // v1 binds no implicit assertion: an issuer with one refuses to make a v1 token.
    let err = Issuer::builder()
        .issuer(ISS)
        .key(key)
        .implicit_assertion(b"bound".to_vec())
        .build()
        .unwrap()
        .issue(&json!({}))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "malformed token: v1 tokens carry no implicit assertion"
    );
}

#[test]
fn v1_keys_round_trip_through_paserk_and_pem_without_showing_secrets() {
    let secret = SecretKey::generate(Version::V1).unwrap();
    let paserk = secret.to_paserk();
    assert!(paserk.starts_with("k1.secret.MII"));
    let parsed = Key::parse(&paserk, None).unwrap();
    assert_eq!(parsed.describe(), "k1.secret");
    let Key::Secret(again) = parsed else {
        panic!("not a secret key")
    };
    assert_eq!(again.public_key(), secret.public_key());
    assert!(secret.secret_id().as_str().starts_with("k1.sid."));
    let public = PublicKey::from_paserk(&secret.public_key().to_paserk()).unwrap();
    assert_eq!(&public, secret.public_key());

    // Debug shows the version and the public id, never the key.
    let body = paserk.strip_prefix("k1.secret.").unwrap();
    let debug = format!("{secret:?}");
    assert!(
        debug.contains("REDACTED") && debug.contains("V1"),
        "{debug}"
    );
    assert!(!debug.contains(&body[..40]), "{debug}");

    // The official vectors' PEM key pair (PKCS#1 private key, SPKI public key) is a v1 pair.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/test-vectors/paseto/v1.json"
    ))
    .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let vector = doc["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "1-S-1")
        .unwrap();
    let secret_pem = vector["secret-key"].as_str().unwrap();
    let public_pem = vector["public-key"].as_str().unwrap();
    let Key::Secret(from_pem) = Key::parse(secret_pem, None).unwrap() else {
        panic!("not a secret key")
    };
    let Key::Public(public_from_pem) = Key::parse(public_pem, Some(Version::V1)).unwrap() else {
        panic!("not a public key")
    };
    assert_eq!(from_pem.public_key(), &public_from_pem);
    assert_eq!(
        public_from_pem.id().as_str(),
        "k1.pid.oxQIZk0yciX7cLRZ3C0Psdoj-RUqmVHrlnIYGNma6xy8"
    );
    let err = Key::parse(public_pem, Some(Version::V3)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid key: an RSA key can only be used for v1, not v3"
    );
    // The vector's token verifies with that key through a verifier allowing v1 (its `exp` is
    // in 2019, so times are not checked here).
    let verifier = Verifier::builder()
        .versions([Version::V1])
        .unbound_public_key(public_from_pem)
        .skip_time_checks(true)
        .build()
        .unwrap();
    let verified = verifier
        .verify::<Value>(vector["token"].as_str().unwrap())
        .unwrap();
    assert_eq!(verified.claims["data"], "this is a signed message");
}

#[test]
fn protected_k1_keys_are_refused_with_a_reason() {
    use paseto_auth_core::key::protected::{PwCost, PwLimits, unwrap_with_password};
    let key = LocalKey::generate(Version::V1).unwrap();
    let err = key
        .to_password_paserk(b"password", &PwCost::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Key(KeyError::InvalidKey(ref m)) if m.starts_with("protected k1 keys")
        ),
        "{err}"
    );
    let wrapping = LocalKey::generate(Version::V1).unwrap();
    let err = key.to_wrapped_paserk(&wrapping).unwrap_err();
    assert!(
        matches!(err, Error::Key(KeyError::InvalidKey(ref m)) if m.starts_with("protected k1 keys"))
    );
    let err =
        unwrap_with_password("k1.local-pw.AAAA", b"password", &PwLimits::default()).unwrap_err();
    assert!(
        matches!(err, Error::Key(KeyError::InvalidKey(ref m)) if m.starts_with("protected k1 keys"))
    );
}
