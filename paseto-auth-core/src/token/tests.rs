//! The official PASETO vectors (v2, v3, v4, expect-fail ones included) and codec properties.

use crate::error::TokenError;
use serde_json::Value;

use super::*;
use crate::key::{PublicKey, SecretKey};

fn load(file: &str) -> Vec<Value> {
    let path = format!("{}/test-vectors/paseto/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    json["tests"].as_array().unwrap().clone()
}

fn text<'a>(test: &'a Value, field: &str) -> &'a str {
    test[field].as_str().unwrap_or("")
}

fn hex(test: &Value, field: &str) -> Vec<u8> {
    ::hex::decode(text(test, field)).unwrap_or_default()
}

/// The vector's verification key: local when it has `key`, public otherwise.
fn verification_key(version: Version, test: &Value) -> Result<VerificationKey> {
    if test["key"].is_string() {
        LocalKey::from_bytes(version, &hex(test, "key")).map(VerificationKey::Local)
    } else {
        PublicKey::from_bytes(version, &hex(test, "public-key")).map(VerificationKey::Public)
    }
}

/// Decodes a vector's token as a verifier would: parse, then open with the vector's key.
fn decode(version: Version, test: &Value) -> Result<(Vec<u8>, Vec<u8>)> {
    let key = verification_key(version, test)?;
    let token = UntrustedToken::parse(text(test, "token"), DEFAULT_MAX_TOKEN_LEN)?;
    if token.header().version != version {
        return Err(Error::Token(TokenError::NoKey(token.header())));
    }
    let implicit = if version == Version::V2 {
        ""
    } else {
        text(test, "implicit-assertion")
    };
    let payload = token.open(&key, implicit.as_bytes())?;
    Ok((payload.to_vec(), token.untrusted_footer().to_vec()))
}

/// Runs every vector of one file and returns how many ran.
fn run_file(file: &str, version: Version) -> usize {
    let tests = load(file);
    for test in &tests {
        let name = text(test, "name");
        let result = decode(version, test);
        if test["expect-fail"].as_bool().unwrap() {
            assert!(result.is_err(), "{name}: expected failure, got {result:?}");
            continue;
        }
        let (payload, footer) = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(payload, text(test, "payload").as_bytes(), "{name}: payload");
        assert_eq!(footer, text(test, "footer").as_bytes(), "{name}: footer");
        // Ed25519 is deterministic, so signing must reproduce the vector's token exactly.
        if test["secret-key"].is_string() && version != Version::V3 {
            let secret = SecretKey::from_bytes(version, &hex(test, "secret-key")).unwrap();
            let implicit = if version == Version::V2 {
                ""
            } else {
                text(test, "implicit-assertion")
            };
            let token = seal(&secret.into(), &payload, &footer, implicit.as_bytes()).unwrap();
            assert_eq!(token, text(test, "token"), "{name}: signing");
        }
    }
    crate::test_report!("{file}: {} official vectors passed", tests.len());
    tests.len()
}

#[test]
fn official_paseto_vectors_pass() {
    let ran = run_file("v2.json", Version::V2)
        + run_file("v3.json", Version::V3)
        + run_file("v4.json", Version::V4);
    crate::test_report!("PASETO vectors: {ran} passed (v2 15, v3 17, v4 17)");
    assert_eq!(ran, 49);
}

fn round_trip_keys() -> Vec<(SigningKey, VerificationKey)> {
    let mut pairs = Vec::new();
    for version in Version::ALL {
        let local = LocalKey::generate(version).unwrap();
        pairs.push((local.clone().into(), local.into()));
        let secret = SecretKey::generate(version).unwrap();
        pairs.push((secret.clone().into(), secret.public_key().clone().into()));
    }
    pairs
}

#[test]
fn all_six_kinds_round_trip_and_refuse_every_tampered_byte() {
    for (signing, verifying) in round_trip_keys() {
        let implicit: &[u8] = if signing.header().version == Version::V2 {
            b""
        } else {
            b"bound"
        };
        let token = seal(&signing, br#"{"a":1}"#, br#"{"kid":"x"}"#, implicit).unwrap();
        let parsed = UntrustedToken::parse(&token, DEFAULT_MAX_TOKEN_LEN).unwrap();
        assert_eq!(&*parsed.open(&verifying, implicit).unwrap(), br#"{"a":1}"#);
        let header_len = parsed.header().prefix().len();
        for index in header_len..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[index] = if bytes[index] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).unwrap();
            let result = UntrustedToken::parse(&tampered, DEFAULT_MAX_TOKEN_LEN)
                .and_then(|t| t.open(&verifying, implicit));
            assert!(
                result.is_err(),
                "{}: byte {index} tampered but accepted",
                parsed.header()
            );
        }
    }
}

use crate::key::RingKey;

#[test]
fn a_key_never_opens_another_version_or_purpose() {
    let pairs = round_trip_keys();
    for (signing, _) in &pairs {
        let token = seal(signing, b"{}", b"", b"").unwrap();
        let parsed = UntrustedToken::parse(&token, DEFAULT_MAX_TOKEN_LEN).unwrap();
        for (_, other) in &pairs {
            if other.header() == signing.header() {
                continue;
            }
            let err = parsed.open(other, b"").unwrap_err();
            assert!(
                matches!(err, Error::Token(TokenError::NoKey(h)) if h == signing.header()),
                "{err:?}"
            );
        }
    }
}

#[test]
fn another_key_of_the_same_kind_is_refused() {
    for (signing, _) in round_trip_keys() {
        let token = seal(&signing, b"{}", b"", b"").unwrap();
        let (_, stranger) = round_trip_keys()
            .into_iter()
            .find(|(s, _)| s.header() == signing.header())
            .unwrap();
        let err = UntrustedToken::parse(&token, DEFAULT_MAX_TOKEN_LEN)
            .unwrap()
            .open(&stranger, b"")
            .unwrap_err();
        assert!(
            matches!(err, Error::Token(TokenError::InvalidSignature)),
            "{err:?}"
        );
    }
}

#[test]
fn oversized_and_garbage_tokens_are_refused_before_crypto() {
    let big = format!("v4.public.{}", "A".repeat(DEFAULT_MAX_TOKEN_LEN));
    assert!(matches!(
        UntrustedToken::parse(&big, DEFAULT_MAX_TOKEN_LEN),
        Err(Error::Token(TokenError::TokenTooLarge { .. }))
    ));
    for garbage in [
        "",
        "v4",
        "v4.public",
        "v4.public.",
        "v1.local.AAAA",
        "v4.secret.AAAA",
        "v4.public.!!!!",
        "v4.local.AAAA.BB.CC",
        "\u{0}\u{ff}",
        "v3.local.AAAA",
    ] {
        let err = UntrustedToken::parse(garbage, DEFAULT_MAX_TOKEN_LEN).err();
        assert!(
            matches!(
                err,
                Some(
                    Error::Token(TokenError::Malformed(_))
                        | Error::Token(TokenError::UnsupportedVersion(_))
                )
            ),
            "{garbage:?}: {err:?}"
        );
    }
}

#[test]
fn v2_refuses_implicit_assertions_it_cannot_bind() {
    let key = LocalKey::generate(Version::V2).unwrap();
    assert!(matches!(
        seal(&key.into(), b"{}", b"", b"bound"),
        Err(Error::Token(TokenError::Malformed(_)))
    ));
}

/// A token of each kind with a footer, and the key that opens it.
fn tokens_with_footers() -> Vec<(String, VerificationKey)> {
    round_trip_keys()
        .into_iter()
        .map(|(signing, verifying)| {
            // A 7-byte footer: 10 base64url characters, the last with spare bits.
            let token = seal(&signing, br#"{"a":1}"#, b"footer7", b"").unwrap();
            (token, verifying)
        })
        .collect()
}

#[test]
fn only_the_canonical_header_is_read() {
    for (token, key) in tokens_with_footers() {
        assert!(UntrustedToken::parse(&token, DEFAULT_MAX_TOKEN_LEN).is_ok());
        let (version, rest) = token.split_once('.').unwrap();
        let (purpose, body) = rest.split_once('.').unwrap();
        let digit = &version[1..];
        for spelling in [
            format!("{digit}.{purpose}.{body}"),
            format!("V{digit}.{purpose}.{body}"),
            format!("{version}.{}.{body}", purpose.to_uppercase()),
            format!(" {token}"),
        ] {
            let err = UntrustedToken::parse(&spelling, DEFAULT_MAX_TOKEN_LEN)
                .and_then(|t| t.open(&key, b""))
                .unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Token(TokenError::Malformed(_))
                        | Error::Token(TokenError::UnsupportedVersion(_))
                ),
                "{spelling}: {err:?}"
            );
        }
    }
}

#[test]
fn an_empty_footer_segment_is_not_another_spelling() {
    for (signing, verifying) in round_trip_keys() {
        let token = seal(&signing, br#"{"a":1}"#, b"", b"").unwrap();
        assert!(!token.ends_with('.'));
        let trailing = format!("{token}.");
        let err = UntrustedToken::parse(&trailing, DEFAULT_MAX_TOKEN_LEN)
            .and_then(|t| t.open(&verifying, b""))
            .unwrap_err();
        assert!(
            matches!(err, Error::Token(TokenError::Malformed(ref m)) if m.contains("empty footer")),
            "{trailing}: {err:?}"
        );
    }
    for (token, key) in tokens_with_footers() {
        for spelling in [format!("{token}."), format!("{token}.AAAA")] {
            let result = UntrustedToken::parse(&spelling, DEFAULT_MAX_TOKEN_LEN)
                .and_then(|t| t.open(&key, b""));
            assert!(
                matches!(result, Err(Error::Token(TokenError::Malformed(_)))),
                "{spelling}"
            );
        }
    }
}

#[test]
fn non_canonical_base64_is_not_another_spelling() {
    // The last character of an unpadded base64url segment has spare low bits; setting them
    // spells the same bytes differently. Only the canonical spelling (spare bits zero) is read.
    let mut respelled = 0;
    for (token, key) in tokens_with_footers() {
        let (head, footer) = token.rsplit_once('.').unwrap();
        for (segment_start, segment) in [(0, head), (head.len() + 1, footer)] {
            let last = segment.len() - 1;
            let mut bytes = token.clone().into_bytes();
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let value = alphabet
                .iter()
                .position(|c| *c == bytes[segment_start + last])
                .unwrap();
            let spare = match (segment.rsplit('.').next().unwrap().len()) % 4 {
                2 => 0b1111,
                3 => 0b11,
                _ => continue,
            };
            assert_eq!(
                value & spare,
                0,
                "{token}: the canonical spelling has zero spare bits"
            );
            bytes[segment_start + last] = alphabet[value | spare];
            let spelling = String::from_utf8(bytes).unwrap();
            let result = UntrustedToken::parse(&spelling, DEFAULT_MAX_TOKEN_LEN)
                .and_then(|t| t.open(&key, b""));
            assert!(result.is_err(), "{spelling} was accepted");
            respelled += 1;
        }
    }
    assert!(respelled >= 6, "only {respelled} segments had spare bits");
}

/// The official v1 vectors: v1.local decrypts, and encrypts to the vector's token from its
/// random bytes (`nonce`); v1.public verifies, and the vector's secret key signs tokens that
/// verify (RSASSA-PSS is randomized: no signature repeats). The expect-fail ones give typed
/// errors. v1 ignores implicit assertions: the vectors' are left out, and one given is refused.
#[cfg(feature = "v1")]
#[test]
fn official_v1_vectors_pass() {
    let (mut local, mut public, mut failing) = (0, 0, 0);
    for test in &load("v1.json") {
        let name = text(test, "name");
        let token = text(test, "token");
        let footer = text(test, "footer").as_bytes();
        let key: VerificationKey = if test["key"].is_string() {
            LocalKey::from_bytes(Version::V1, &hex(test, "key"))
                .unwrap()
                .into()
        } else {
            PublicKey::from_pem(text(test, "public-key"), None)
                .unwrap()
                .into()
        };
        assert_eq!(key.header().version, Version::V1, "{name}");
        let parsed = UntrustedToken::parse(token, DEFAULT_MAX_TOKEN_LEN).unwrap();
        let opened = if parsed.header().version == Version::V1 {
            parsed.open(&key, b"")
        } else {
            Err(Error::Token(TokenError::NoKey(parsed.header())))
        };
        if test["expect-fail"].as_bool().unwrap() {
            failing += 1;
            let err = opened.unwrap_err();
            let expected = match name {
                // A v1.local token given a v1 public key.
                "1-F-1" => Header::new(Version::V1, Purpose::Local),
                // A v2.local token given a v1 local key.
                "1-F-2" => Header::new(Version::V2, Purpose::Local),
                other => panic!("unexpected expect-fail vector {other}"),
            };
            assert!(
                matches!(err, Error::Token(TokenError::NoKey(header)) if header == expected),
                "{name}: {err:?}"
            );
            continue;
        }
        let payload = opened.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            &*payload,
            text(test, "payload").as_bytes(),
            "{name}: payload"
        );
        assert_eq!(parsed.untrusted_footer(), footer, "{name}: footer");
        let refused = parsed.open(&key, b"discarded-anyway").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "malformed token: v1 tokens carry no implicit assertion",
            "{name}"
        );
        if let VerificationKey::Local(local_key) = &key {
            local += 1;
            let random: [u8; 32] = hex(test, "nonce").try_into().unwrap();
            let body =
                v1_local::seal_with_random(local_key.v1().unwrap(), &random, &payload, footer)
                    .unwrap();
            let sealed = assemble(Header::new(Version::V1, Purpose::Local), &body, footer);
            assert_eq!(sealed, token, "{name}: encryption");
        } else {
            public += 1;
            let secret = SecretKey::from_pem(text(test, "secret-key"), None).unwrap();
            assert_eq!(secret.version(), Version::V1);
            let signed = seal(&secret.into(), &payload, footer, b"").unwrap();
            assert_ne!(signed, token, "{name}: PSS signatures are randomized");
            let again = UntrustedToken::parse(&signed, DEFAULT_MAX_TOKEN_LEN).unwrap();
            assert_eq!(
                &*again.open(&key, b"").unwrap(),
                &*payload,
                "{name}: signing"
            );
        }
    }
    crate::test_report!(
        "v1.json: {local} v1.local and {public} v1.public vectors passed, {failing} expect-fail \
         refused"
    );
    assert_eq!((local, public, failing), (9, 3, 2));
}

/// Hostile v1 input: truncated tokens, a body one byte short of a signature, keys of the
/// wrong size or shape; each a typed error, none a panic.
#[cfg(feature = "v1")]
#[test]
fn hostile_v1_input_gives_typed_errors() {
    let local = LocalKey::generate(Version::V1).unwrap();
    let secret = SecretKey::generate(Version::V1).unwrap();
    let cases = [
        (
            SigningKey::from(local.clone()),
            VerificationKey::from(local.clone()),
        ),
        (
            SigningKey::from(secret.clone()),
            VerificationKey::from(secret.public_key().clone()),
        ),
    ];
    for (signing, verifying) in cases {
        let token = seal(&signing, br#"{"a":1}"#, b"", b"").unwrap();
        let header = signing.header();
        let prefix = header.prefix().len();
        // Every truncation: the header alone, then the body cut short one character at a time.
        for len in prefix..token.len() {
            let cut = &token[..len];
            match UntrustedToken::parse(cut, DEFAULT_MAX_TOKEN_LEN)
                .and_then(|t| t.open(&verifying, b""))
            {
                Err(
                    Error::Token(TokenError::Malformed(_))
                    | Error::Token(TokenError::InvalidSignature),
                ) => {}
                other => panic!("{header} cut to {len}: {other:?}"),
            }
        }
        // A v1 key never opens a token of another version, nor the reverse.
        let v4 = LocalKey::generate(Version::V4).unwrap();
        let v4_token = seal(&v4.clone().into(), b"{}", b"", b"").unwrap();
        let err = UntrustedToken::parse(&v4_token, DEFAULT_MAX_TOKEN_LEN)
            .unwrap()
            .open(&verifying, b"")
            .unwrap_err();
        assert!(matches!(err, Error::Token(TokenError::NoKey(_))), "{err:?}");
        let err = UntrustedToken::parse(&token, DEFAULT_MAX_TOKEN_LEN)
            .unwrap()
            .open(&v4.into(), b"")
            .unwrap_err();
        assert!(
            matches!(err, Error::Token(TokenError::NoKey(h)) if h == header),
            "{err:?}"
        );
    }
    // Keys of the wrong size.
    for len in [0, 16, 31, 33, 64] {
        let err = LocalKey::from_bytes(Version::V1, &vec![7u8; len]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid key: a local key is 32 bytes",
            "{len}"
        );
    }
    let short = format!("k1.local.{}", crate::key::b64_encode(&[1, 2, 3]));
    let err = LocalKey::from_paserk(&short).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid key: k1.local PASERK holds 3 bytes, expected 32"
    );
    for garbage in ["k1.secret.AAAA", "k1.secret.", "k1.secret.!!!!"] {
        let err = SecretKey::from_paserk(garbage).unwrap_err();
        assert_eq!(err.to_string(), "invalid key: not a valid k1.secret PASERK");
    }
    let err = PublicKey::from_paserk("k1.public.MIIB").unwrap_err();
    assert_eq!(err.to_string(), "invalid key: not a valid k1.public PASERK");
    // An RSA PEM key asked to serve another version.
    let pem_secret = load("v1.json")
        .iter()
        .find_map(|t| t["secret-key"].as_str().map(str::to_owned))
        .unwrap();
    let err = SecretKey::from_pem(&pem_secret, Some(Version::V4)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid key: an RSA key can only be used for v1, not v4"
    );
}
