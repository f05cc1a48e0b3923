//! The official PASERK vectors for k2/k3/k4 `local-wrap.pie`, `secret-wrap.pie`, `local-pw`,
//! `secret-pw` and `seal` (`test-vectors/paserk/`, upstream and unmodified).
//!
//! Each valid vector is unwrapped to its exact key bytes. Where the PASERK is deterministic
//! given what it carries (PIE's nonce; PBKW's salt, costs and nonce) it is also rebuilt from
//! the key, byte for byte; a sealed key's ephemeral secret is not in the vector, so seals are
//! checked by unsealing and by a round trip to the vector's public key. Every `expect-fail`
//! vector fails with the error kind its comment describes.
//!
//! The vectors protect keys of one repeated byte (all zeros, all `ff`), which this crate's
//! typed keys refuse (see `key::refuse_repeated_byte`): the protocol layer is checked on raw
//! bytes, and the typed API is checked to give the same key, or that policy's refusal.

use serde_json::Value;

use super::pw::{self, PwLimits};
use super::{Held, seal, wrap};
use crate::ErrorKind;
use crate::error::{Error, KeyError};
use crate::key::{LocalKey, SecretKey};
use crate::version::Version;

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/test-vectors/paserk/{file}", env!("CARGO_MANIFEST_DIR"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json["tests"].as_array().unwrap().clone()
}

fn hex(test: &Value, field: &str) -> Vec<u8> {
    ::hex::decode(test[field].as_str().unwrap()).unwrap()
}

fn str_field<'a>(test: &'a Value, field: &str) -> &'a str {
    test[field].as_str().unwrap()
}

/// `expect-fail` vectors whose alteration (of the last character) sets the unused low bits of
/// the base64url text: the strict decoder refuses them before their tag is looked at.
const NON_CANONICAL_BASE64: [&str; 6] = [
    "k2.secret-wrap.pie-fail-1",
    "k3.secret-wrap.pie-fail-1",
    "k4.secret-wrap.pie-fail-1",
    "k2.secret-pw-fail-2",
    "k3.secret-pw-fail-2",
    "k4.secret-pw-fail-2",
];

/// The error kind an `expect-fail` vector must give, from its comment.
fn expected_failure(test: &Value) -> ErrorKind {
    let comment = str_field(test, "comment");
    if NON_CANONICAL_BASE64.contains(&str_field(test, "name")) || comment.contains("wrong version")
    {
        ErrorKind::INVALID_KEY
    } else if comment.contains("authentication tag") || comment.contains("Incorrect password") {
        ErrorKind::UNWRAP_FAILED
    } else {
        panic!("unexpected comment {comment:?}")
    }
}

/// Whether the typed result agrees with the raw key: the same key, or (for a raw key of one
/// repeated byte) the crate's refusal of it.
fn assert_typed(
    name: &str,
    typed: crate::Result<String>,
    raw: &[u8],
    version: Version,
    held: Held,
) {
    let expected = match held {
        Held::Local => LocalKey::from_bytes(version, raw).map(|k| k.to_paserk().to_string()),
        Held::Secret => SecretKey::from_bytes(version, raw).map(|k| k.to_paserk().to_string()),
    };
    match (typed, expected) {
        (Ok(typed), Ok(expected)) => assert_eq!(typed, expected, "{name}"),
        (
            Err(Error::Key(KeyError::InvalidKey(typed))),
            Err(Error::Key(KeyError::InvalidKey(expected))),
        ) => {
            assert!(typed.contains("one repeated byte"), "{name}: {typed}");
            assert_eq!(typed, expected, "{name}");
        }
        (typed, expected) => panic!("{name}: typed {typed:?}, raw {expected:?}"),
    }
}

/// Checks an unwrap against the vector `test`: an `expect-fail` vector is refused with its kind
/// (counted in `failing`; `None`); any other unwraps to its version, kind of key and bytes,
/// returned.
fn outcome<K: std::ops::Deref<Target = Vec<u8>>>(
    test: &Value,
    result: crate::Result<(Version, Held, K)>,
    expected: (Version, Held),
    failing: &mut usize,
) -> Option<K> {
    let name = str_field(test, "name");
    if test["expect-fail"].as_bool().unwrap() {
        *failing += 1;
        let err = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(err.kind(), expected_failure(test), "{name}: {err}");
        return None;
    }
    let (got_version, got_held, ptk) = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!((got_version, got_held), expected, "{name}");
    assert_eq!(*ptk, hex(test, "unwrapped"), "{name}: unwrap");
    Some(ptk)
}

/// Counts of (vectors run, of which expect-fail).
type Ran = (usize, usize);

fn run_wrap(version: Version, held: Held) -> Ran {
    let kind = match held {
        Held::Local => "local",
        Held::Secret => "secret",
    };
    let (mut ran, mut failing) = (0, 0);
    for test in load(&format!("{}.{kind}-wrap.pie.json", version.paserk_prefix())) {
        let name = str_field(&test, "name");
        let paserk = str_field(&test, "paserk");
        let wrapping_key = hex(&test, "wrapping-key");
        let result = wrap::unwrap(paserk, &[held], version, &wrapping_key);
        ran += 1;
        let Some(ptk) = outcome(&test, result, (version, held), &mut failing) else {
            continue;
        };
        // Rebuilt from the key and the vector's nonce, byte for byte.
        let data = crate::key::b64_decode(paserk.rsplit('.').next().unwrap()).unwrap();
        let tag_len = if version == Version::V3 { 48 } else { 32 };
        let nonce: [u8; 32] = data[tag_len..tag_len + 32].try_into().unwrap();
        let rebuilt = wrap::wrap_with_nonce(version, held, &wrapping_key, &ptk, &nonce).unwrap();
        assert_eq!(rebuilt, paserk, "{name}: wrap");
        // The typed API, where the wrapping key is one it accepts.
        if let Ok(wrapping) = LocalKey::from_bytes(version, &wrapping_key) {
            let typed = match held {
                Held::Local => LocalKey::from_wrapped_paserk(paserk, &wrapping)
                    .map(|k| k.to_paserk().to_string()),
                Held::Secret => SecretKey::from_wrapped_paserk(paserk, &wrapping)
                    .map(|k| k.to_paserk().to_string()),
            };
            assert_typed(name, typed, &ptk, version, held);
        }
    }
    (ran, failing)
}

#[test]
fn official_local_wrap_pie_vectors() {
    let mut total = (0, 0);
    for version in [Version::V2, Version::V3, Version::V4] {
        let (ran, failing) = run_wrap(version, Held::Local);
        assert_eq!((ran, failing), (4, 2), "{version}");
        total = (total.0 + ran, total.1 + failing);
    }
    crate::test_report!(
        "local-wrap.pie official vectors: ran {} ({} expect-fail)",
        total.0,
        total.1
    );
}

#[test]
fn official_secret_wrap_pie_vectors() {
    let mut total = (0, 0);
    for version in [Version::V2, Version::V3, Version::V4] {
        let (ran, failing) = run_wrap(version, Held::Secret);
        assert_eq!((ran, failing), (4, 2), "{version}");
        total = (total.0 + ran, total.1 + failing);
    }
    crate::test_report!(
        "secret-wrap.pie official vectors: ran {} ({} expect-fail)",
        total.0,
        total.1
    );
}

/// A vector's password. The vectors' files list it in hex (all but the `*-pw-3` ones), but they
/// were made with that hex text itself as the password, so the text is the password.
fn password(test: &Value) -> Vec<u8> {
    str_field(test, "password").as_bytes().to_vec()
}

fn run_pw(version: Version, held: Held) -> Ran {
    let kind = match held {
        Held::Local => "local",
        Held::Secret => "secret",
    };
    let limits = PwLimits::default();
    let (mut ran, mut failing) = (0, 0);
    for test in load(&format!("{}.{kind}-pw.json", version.paserk_prefix())) {
        let name = str_field(&test, "name");
        let paserk = str_field(&test, "paserk");
        let password = password(&test);
        let result = pw::unwrap(paserk, &[held], Some(version), &password, &limits);
        ran += 1;
        let Some(ptk) = outcome(&test, result, (version, held), &mut failing) else {
            continue;
        };
        // The costs the vector states are the ones it carries.
        let data = crate::key::b64_decode(paserk.rsplit('.').next().unwrap()).unwrap();
        let options = &test["options"];
        match version {
            Version::V3 => assert_eq!(
                u64::from(u32::from_be_bytes(data[32..36].try_into().unwrap())),
                options["iterations"].as_u64().unwrap(),
                "{name}"
            ),
            _ => {
                assert_eq!(
                    u64::from_be_bytes(data[16..24].try_into().unwrap()),
                    options["memlimit"].as_u64().unwrap(),
                    "{name}"
                );
                assert_eq!(
                    u64::from(u32::from_be_bytes(data[24..28].try_into().unwrap())),
                    options["opslimit"].as_u64().unwrap(),
                    "{name}"
                );
            }
        }
        // Rebuilt from the key, password, salt, costs and nonce, byte for byte.
        let rebuilt = pw::wrap_for_vectors(version, held, &password, &ptk, &data).unwrap();
        assert_eq!(rebuilt, paserk, "{name}: wrap");
        // The typed API on the cheapest vector of each file (Argon2 at 64 MiB).
        if name.ends_with("pw-1") {
            let typed = match held {
                Held::Local => LocalKey::from_password_paserk(paserk, &password, &limits)
                    .map(|k| k.to_paserk().to_string()),
                Held::Secret => SecretKey::from_password_paserk(paserk, &password, &limits)
                    .map(|k| k.to_paserk().to_string()),
            };
            assert_typed(name, typed, &ptk, version, held);
            // Limits below the vector's costs refuse it before hashing.
            let tight = PwLimits {
                max_memory_kib: 1024,
                max_pbkdf2_iterations: 999,
                ..limits
            };
            let err = pw::unwrap(paserk, &[held], Some(version), &password, &tight).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PASSWORD_COST, "{name}");
        }
    }
    (ran, failing)
}

#[test]
fn official_k2_pw_vectors() {
    assert_eq!(run_pw(Version::V2, Held::Local), (6, 3));
    assert_eq!(run_pw(Version::V2, Held::Secret), (6, 3));
    crate::test_report!("k2 local-pw/secret-pw official vectors: ran 12 (6 expect-fail)");
}

#[test]
fn official_k3_pw_vectors() {
    assert_eq!(run_pw(Version::V3, Held::Local), (6, 3));
    assert_eq!(run_pw(Version::V3, Held::Secret), (6, 3));
    crate::test_report!("k3 local-pw/secret-pw official vectors: ran 12 (6 expect-fail)");
}

#[test]
fn official_k4_pw_vectors() {
    assert_eq!(run_pw(Version::V4, Held::Local), (6, 3));
    assert_eq!(run_pw(Version::V4, Held::Secret), (6, 3));
    crate::test_report!("k4 local-pw/secret-pw official vectors: ran 12 (6 expect-fail)");
}

/// A vector's sealing key pair as raw bytes: hex for k2/k4, PEM for k3 (compressed point).
/// Keys of another form (the wrong-version vector's) give empty bytes: that vector fails on its
/// version before any key is used.
fn sealing_keys(version: Version, test: &Value) -> (Vec<u8>, Vec<u8>) {
    use p384::elliptic_curve::sec1::ToSec1Point;
    use p384::pkcs8::DecodePublicKey;
    let secret = str_field(test, "sealing-secret-key");
    let public = str_field(test, "sealing-public-key");
    match version {
        Version::V3 => match (
            p384::SecretKey::from_sec1_pem(secret),
            p384::PublicKey::from_public_key_pem(public),
        ) {
            (Ok(sk), Ok(pk)) => (
                sk.to_bytes().to_vec(),
                pk.to_sec1_point(true).as_bytes().to_vec(),
            ),
            _ => (Vec::new(), Vec::new()),
        },
        _ => (
            ::hex::decode(secret).unwrap_or_default(),
            ::hex::decode(public).unwrap_or_default(),
        ),
    }
}

#[test]
fn official_seal_vectors() {
    let (mut ran, mut failing) = (0, 0);
    for version in [Version::V2, Version::V3, Version::V4] {
        for test in load(&format!("{}.seal.json", version.paserk_prefix())) {
            let name = str_field(&test, "name");
            let paserk = str_field(&test, "paserk");
            let (sk, pk) = sealing_keys(version, &test);
            let result = seal::unseal(paserk, version, &sk, &pk);
            ran += 1;
            if test["expect-fail"].as_bool().unwrap() {
                failing += 1;
                let err = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
                assert_eq!(err.kind(), expected_failure(&test), "{name}: {err}");
                continue;
            }
            let pdk = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(*pdk, hex(&test, "unsealed"), "{name}: unseal");
            // Sealed again to the vector's public key, it unseals with its secret key.
            let resealed = seal::seal(version, &pk, &pdk).unwrap();
            assert_ne!(resealed, paserk, "{name}: a fresh ephemeral key");
            assert_eq!(
                *seal::unseal(&resealed, version, &sk, &pk).unwrap(),
                *pdk,
                "{name}: round trip"
            );
            // The typed API: the vector's secret key, as the crate loads it.
            let secret = match version {
                Version::V3 => SecretKey::from_pem(str_field(&test, "sealing-secret-key"), None),
                _ => SecretKey::from_bytes(version, &sk),
            }
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            let typed =
                LocalKey::from_sealed_paserk(paserk, &secret).map(|k| k.to_paserk().to_string());
            assert_typed(name, typed, &pdk, version, Held::Local);
        }
    }
    crate::test_report!("seal official vectors: ran {ran} ({failing} expect-fail)");
    assert_eq!((ran, failing), (12, 6));
}
