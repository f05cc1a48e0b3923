//! PASERK `k3.local` and `k3.lid` (pasetors has no v3.local), and `k1.local` / `k1.lid`
//! (feature `v1`), which have the same format: the raw 32-byte key, and a SHA-384 id.

use base64ct::{Base64UrlUnpadded, Encoding};
use zeroize::Zeroizing;

use crate::error::{Error, KeyError};

/// The PASERK header of a serialized v3 local key.
const LOCAL_HEADER: &str = "k3.local.";
/// The PASERK header of a v3 local key's ID.
const LID_HEADER: &str = "k3.lid.";

/// The headers of a raw 32-byte local key and of its id, per version: `k3`, or `k1`.
#[derive(Clone, Copy)]
pub(crate) struct Headers {
    local: &'static str,
    lid: &'static str,
}

/// `k3.local.` and `k3.lid.`.
pub(crate) const K3: Headers = Headers {
    local: LOCAL_HEADER,
    lid: LID_HEADER,
};

/// `k1.local.` and `k1.lid.`.
#[cfg(feature = "v1")]
pub(crate) const K1: Headers = Headers {
    local: "k1.local.",
    lid: "k1.lid.",
};

/// Serializes a v3 local key: `"k3.local." + base64url-nopad(key)`. The result is secret.
pub(crate) fn to_paserk(key: &[u8; 32]) -> String {
    to_paserk_of(K3, key)
}

/// Serializes a raw local key under `headers` (`k3.local.` or `k1.local.`). The result is secret.
pub(crate) fn to_paserk_of(headers: Headers, key: &[u8; 32]) -> String {
    // The header and 43 base64url characters for 32 bytes.
    let mut out = String::with_capacity(headers.local.len() + 43);
    out.push_str(headers.local);
    out.push_str(&Zeroizing::new(Base64UrlUnpadded::encode_string(key)));
    out
}

/// Parses a `k3.local.` PASERK into the 32-byte key.
///
/// A wrong prefix, bad base64url or a length other than 32 bytes is [`KeyError::InvalidKey`];
/// the message never contains the key material.
pub(crate) fn from_paserk(s: &str) -> Result<Zeroizing<[u8; 32]>, Error> {
    from_paserk_of(K3, s)
}

/// Parses a raw local key's PASERK under `headers` (see [`from_paserk`]).
pub(crate) fn from_paserk_of(headers: Headers, s: &str) -> Result<Zeroizing<[u8; 32]>, Error> {
    let name = headers.local.trim_end_matches('.');
    let encoded = s.strip_prefix(headers.local).ok_or_else(|| {
        Error::Key(KeyError::InvalidKey(format!(
            "a {name} key must be a PASERK starting with {:?}",
            headers.local
        )))
    })?;
    let mut key = Zeroizing::new([0u8; 32]);
    let decoded_len = Base64UrlUnpadded::decode(encoded, key.as_mut_slice())
        .map_err(|_| {
            Error::Key(KeyError::InvalidKey(format!(
                "{name} PASERK is not unpadded base64url of a 32-byte key"
            )))
        })?
        .len();
    if decoded_len != key.len() {
        return Err(Error::Key(KeyError::InvalidKey(format!(
            "{name} PASERK holds {decoded_len} bytes, expected 32"
        ))));
    }
    Ok(key)
}

/// The PASERK ID of a v3 local key: `"k3.lid." + base64url-nopad(SHA-384("k3.lid." || to_paserk(key))[..33])`.
pub(crate) fn lid(key: &[u8; 32]) -> String {
    lid_of(K3, key)
}

/// The PASERK ID of a raw local key under `headers` (see [`lid`]).
pub(crate) fn lid_of(headers: Headers, key: &[u8; 32]) -> String {
    let paserk = Zeroizing::new(to_paserk_of(headers, key));
    super::id::sha384_id(headers.lid, &paserk)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests fail by panicking
mod tests {
    use super::*;
    use serde_json::Value;

    /// Turns a vector's hex key into a 32-byte key; wrong-length keys are rejected here.
    fn key_from_hex(hex_str: &str) -> Result<[u8; 32], String> {
        let bytes = hex::decode(hex_str).map_err(|e| e.to_string())?;
        <[u8; 32]>::try_from(bytes.as_slice())
            .map_err(|_| format!("key is {} bytes, expected 32", bytes.len()))
    }

    fn load(file: &str) -> Vec<Value> {
        let path = format!("{}/test-vectors/paserk/{file}", env!("CARGO_MANIFEST_DIR"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        doc["tests"].as_array().unwrap().clone()
    }

    #[test]
    fn official_k3_local_vectors() {
        let (mut ran, mut failing) = (0usize, 0usize);
        for test in load("k3.local.json") {
            let name = test["name"].as_str().unwrap();
            let key = test["key"].as_str();
            let paserk = test["paserk"].as_str();
            ran += 1;
            if test["expect-fail"].as_bool().unwrap() {
                failing += 1;
                // The key (if any) must not serialize, and the PASERK (if any) must not parse.
                if let Some(key) = key {
                    assert!(key_from_hex(key).is_err(), "{name}: key accepted");
                }
                if let Some(paserk) = paserk {
                    let err = from_paserk(paserk).unwrap_err();
                    assert!(
                        matches!(err, Error::Key(KeyError::InvalidKey(_))),
                        "{name}: {err:?}"
                    );
                    // The message must not echo the secret part of the PASERK.
                    let secret = paserk.split('.').nth(2).unwrap();
                    assert!(!err.to_string().contains(secret), "{name}: {err}");
                }
                assert!(
                    key.is_some() || paserk.is_some(),
                    "{name}: nothing to check"
                );
                continue;
            }
            let key = key_from_hex(key.unwrap()).unwrap();
            let paserk = paserk.unwrap();
            assert_eq!(to_paserk(&key), paserk, "{name}: serialize");
            assert_eq!(*from_paserk(paserk).unwrap(), key, "{name}: parse");
        }
        crate::test_report!("k3.local official vectors: ran {ran} ({failing} expect-fail)");
        assert_eq!((ran, failing), (5, 2));
    }

    #[test]
    fn official_k3_lid_vectors() {
        let (mut ran, mut failing) = (0usize, 0usize);
        for test in load("k3.lid.json") {
            let name = test["name"].as_str().unwrap();
            let key = test["key"].as_str().unwrap();
            ran += 1;
            if test["expect-fail"].as_bool().unwrap() {
                failing += 1;
                assert!(key_from_hex(key).is_err(), "{name}: key accepted");
                assert!(test["paserk"].is_null(), "{name}: has an expected ID");
                continue;
            }
            let key = key_from_hex(key).unwrap();
            assert_eq!(lid(&key), test["paserk"].as_str().unwrap(), "{name}");
        }
        crate::test_report!("k3.lid official vectors: ran {ran} ({failing} expect-fail)");
        assert_eq!((ran, failing), (4, 1));
    }

    #[test]
    fn from_paserk_rejects_other_types_and_lengths() {
        let key = [7u8; 32];
        let good = to_paserk(&key);
        assert_eq!(*from_paserk(&good).unwrap(), key);
        let body = good.strip_prefix(LOCAL_HEADER).unwrap();
        for bad in [
            format!("k4.local.{body}"),
            format!("k3.public.{body}"),
            format!("k3.local.{body}="),
            format!("k3.local.{body}AA"),
            format!("k3.local.{}", &body[..40]),
            format!("k3.local.{}+", &body[..42]),
            "k3.local.".to_string(),
            body.to_string(),
            lid(&key),
        ] {
            assert!(
                matches!(from_paserk(&bad), Err(Error::Key(KeyError::InvalidKey(_)))),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn lid_is_distinct_per_key_and_not_the_key() {
        let a = lid(&[1u8; 32]);
        let b = lid(&[2u8; 32]);
        assert_ne!(a, b);
        assert!(a.starts_with(LID_HEADER));
        assert_eq!(a.len(), LID_HEADER.len() + 44);
        assert!(!a.contains(to_paserk(&[1u8; 32]).strip_prefix(LOCAL_HEADER).unwrap()));
    }
}
