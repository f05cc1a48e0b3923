//! The official PASERK vectors for k2/k3/k4 `local`, `secret`, `public`, `lid`, `sid`, `pid`.

use serde_json::Value;

use super::{LocalKey, PublicKey, SecretKey};
use crate::error::Result;
use crate::version::Version;

/// Vectors whose key is all zeros: an Ed25519 seed or a local key. Such a key is public
/// knowledge (and ed25519-compact, under pasetors, panics on the zero seed), so we refuse it with
/// `InvalidKey` instead of accepting it as the vectors expect (see `refuse_repeated_byte`).
const ZERO_KEY_VECTORS: [&str; 10] = [
    "k2.secret-1",
    "k2.sid-1",
    "k4.secret-1",
    "k4.sid-1",
    "k2.local-1",
    "k2.lid-1",
    "k3.local-1",
    "k3.lid-1",
    "k4.local-1",
    "k4.lid-1",
];

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/test-vectors/paserk/{file}", env!("CARGO_MANIFEST_DIR"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json["tests"].as_array().unwrap().clone()
}

fn hex_field(test: &Value, field: &str) -> Vec<u8> {
    // PEM keys in wrong-version vectors are not hex: they decode to nothing, which no key accepts.
    test[field]
        .as_str()
        .and_then(|s| ::hex::decode(s).ok())
        .unwrap_or_default()
}

/// Computes the PASERK string a vector expects, from its raw key (or parses its PASERK).
/// `result` is the vector's PASERK, and that PASERK parses back to itself.
fn assert_produces_the_vector(kind: &str, test: &Value, result: Result<String>) {
    let name = test["name"].as_str().unwrap();
    let expected = test["paserk"].as_str().unwrap();
    assert_eq!(
        result.unwrap_or_else(|e| panic!("{name}: {e}")),
        expected,
        "{name}"
    );
    assert_eq!(reparse(kind, expected), expected, "{name}: parse");
}

/// Whether `result` is the refusal of a key made of one repeated byte.
fn refused_as_one_repeated_byte(result: &Result<String>) -> bool {
    matches!(
        result,
        Err(crate::Error::Key(crate::error::KeyError::InvalidKey(m))) if m.contains("one repeated byte")
    )
}

fn produce(kind: &str, version: Version, test: &Value) -> Result<String> {
    let key = hex_field(test, "key");
    let paserk = test["paserk"].as_str();
    Ok(match kind {
        "local" => match paserk {
            Some(p) if test["key"].is_null() => {
                // A PASERK of another version must not be accepted as this version's key.
                let key = LocalKey::from_paserk(p)?;
                if key.version() != version {
                    return Err(crate::Error::Key(crate::error::KeyError::InvalidKey(
                        format!("not a {version} key"),
                    )));
                }
                key.to_paserk().to_string()
            }
            _ => LocalKey::from_bytes(version, &key)?.to_paserk().to_string(),
        },
        "secret" => SecretKey::from_bytes(version, &key)?
            .to_paserk()
            .to_string(),
        "public" => PublicKey::from_bytes(version, &key)?.to_paserk(),
        "lid" => LocalKey::from_bytes(version, &key)?.id().to_string(),
        "sid" => SecretKey::from_bytes(version, &key)?
            .secret_id()
            .to_string(),
        "pid" => PublicKey::from_bytes(version, &key)?.id().to_string(),
        other => panic!("unknown PASERK type {other}"),
    })
}

/// Checks that parsing the expected PASERK gives the same key back.
fn reparse(kind: &str, paserk: &str) -> String {
    match kind {
        "local" => LocalKey::from_paserk(paserk)
            .unwrap()
            .to_paserk()
            .to_string(),
        "secret" => SecretKey::from_paserk(paserk)
            .unwrap()
            .to_paserk()
            .to_string(),
        "public" => PublicKey::from_paserk(paserk).unwrap().to_paserk(),
        _ => paserk.to_owned(),
    }
}

#[test]
fn official_paserk_vectors_pass() {
    let (mut ran, mut refused) = (0, 0);
    for version in [Version::V2, Version::V3, Version::V4] {
        for kind in ["local", "secret", "public", "lid", "sid", "pid"] {
            let file = format!("{}.{kind}.json", version.paserk_prefix());
            for test in load(&file) {
                let name = test["name"].as_str().unwrap();
                let result = produce(kind, version, &test);
                if ZERO_KEY_VECTORS.contains(&name) {
                    // Deliberate deviation: see ZERO_KEY_VECTORS.
                    assert!(refused_as_one_repeated_byte(&result), "{name}");
                    refused += 1;
                } else if test["expect-fail"].as_bool().unwrap() {
                    assert!(result.is_err(), "{name}: expected failure, got {result:?}");
                } else {
                    assert_produces_the_vector(kind, &test, result);
                }
                ran += 1;
            }
        }
    }
    crate::test_report!(
        "PASERK vectors: {ran} run, {} as specified, {refused} all-zero keys refused by policy \
         (k2/k3/k4 local, secret, public, lid, sid, pid)",
        ran - refused
    );
    assert_eq!((ran, refused), (79, 10));
}

/// Computes what a k1 vector expects: from its key (hex for local keys, PEM for RSA keys), or
/// by parsing its PASERK when it gives no key. A PASERK of another version is refused.
#[cfg(feature = "v1")]
fn produce_k1(kind: &str, test: &Value) -> Result<String> {
    let pem = test["key"].as_str().unwrap_or_default();
    let of_v1 = |version: Version| {
        if version == Version::V1 {
            Ok(())
        } else {
            Err(crate::Error::Key(crate::error::KeyError::InvalidKey(
                format!("not a v1 key: {version}"),
            )))
        }
    };
    match (kind, test["paserk"].as_str()) {
        ("local", Some(paserk)) if test["key"].is_null() => {
            let key = LocalKey::from_paserk(paserk)?;
            of_v1(key.version())?;
            Ok(key.to_paserk().to_string())
        }
        ("secret", Some(paserk)) if test["key"].is_null() => {
            let key = SecretKey::from_paserk(paserk)?;
            of_v1(key.version())?;
            Ok(key.to_paserk().to_string())
        }
        ("local", _) => Ok(LocalKey::from_bytes(Version::V1, &hex_field(test, "key"))?
            .to_paserk()
            .to_string()),
        ("lid", _) => Ok(LocalKey::from_bytes(Version::V1, &hex_field(test, "key"))?
            .id()
            .to_string()),
        ("secret", _) => {
            let key = SecretKey::from_pem(pem, Some(Version::V1))?;
            let public = PublicKey::from_pem(test["public-key"].as_str().unwrap(), None)?;
            assert_eq!(key.public_key(), &public, "the vector's key pair");
            Ok(key.to_paserk().to_string())
        }
        ("sid", _) => Ok(SecretKey::from_pem(pem, Some(Version::V1))?
            .secret_id()
            .to_string()),
        ("public", _) => Ok(PublicKey::from_pem(pem, Some(Version::V1))?.to_paserk()),
        ("pid", _) => Ok(PublicKey::from_pem(pem, Some(Version::V1))?
            .id()
            .to_string()),
        (other, _) => panic!("unknown PASERK type {other}"),
    }
}

#[cfg(feature = "v1")]
#[test]
fn official_k1_paserk_vectors_pass() {
    let (mut ran, mut failing, mut refused) = (0, 0, 0);
    for kind in ["local", "secret", "public", "lid", "sid", "pid"] {
        for test in load(&format!("k1.{kind}.json")) {
            let name = test["name"].as_str().unwrap();
            let result = produce_k1(kind, &test);
            ran += 1;
            if ["k1.local-1", "k1.lid-1"].contains(&name) {
                // The all-zero local key: refused by policy, as for k2/k3/k4 (ZERO_KEY_VECTORS).
                assert!(refused_as_one_repeated_byte(&result), "{name}: {result:?}");
                refused += 1;
            } else if test["expect-fail"].as_bool().unwrap() {
                failing += 1;
                let err = result.expect_err(name);
                assert!(
                    matches!(
                        err,
                        crate::Error::Key(crate::error::KeyError::InvalidKey(_))
                    ),
                    "{name}: {err:?}"
                );
            } else {
                assert_produces_the_vector(kind, &test, result);
            }
        }
    }
    crate::test_report!(
        "k1 PASERK vectors: {ran} run, {failing} expect-fail refused, {refused} all-zero keys \
         refused by policy (local, secret, public, lid, sid, pid)"
    );
    assert_eq!((ran, failing, refused), (21, 11, 2));
}
