//! `claims`: claims JSON as the verifier reads it. Each input is a payload, signed here with the
//! v4 key and verified, so the fuzzer reaches the claims parser without forging signatures.
//!
//! What must hold: the verifier accepts a payload only when it is one JSON object with no key
//! repeated at any level (checked against an oracle written apart), with the registered claims of
//! their types — `iss` the key's issuer, `exp` an RFC 3339 time to come, `nbf` and `iat` not to
//! come, `aud` a string or strings, no `pur` (a cookie's or refresh token's) — and then its claims
//! are that object; a route's audience and scope are granted only when the payload grants them;
//! typed claims deserialize or fail as `claims_type`, never panic, and serialize back (as a
//! handler answering `Json(token.claims)` does) to the same claims, times to the second.

use std::sync::OnceLock;

use paseto_auth::key::SigningKey;
use paseto_auth::{PasetoClaims, Requirements, Timestamp, Verifier, Version};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::keys;
use crate::verifiers::ISSUER;

/// Typed claims of every shape the derive handles: required, optional, defaulted, nested.
#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
pub struct Typed {
    /// A required string.
    pub role: String,
    /// An optional number.
    pub level: Option<u32>,
    /// A defaulted list.
    #[serde(default)]
    pub groups: Vec<String>,
    /// An optional nested object.
    pub profile: Option<Profile>,
    /// An optional time (RFC 3339).
    pub seen: Option<Timestamp>,
}

/// A nested claim object.
#[derive(Debug, Serialize, Deserialize)]
pub struct Profile {
    /// A name.
    pub name: String,
}

fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        Verifier::builder()
            .public_key(keys::public(Version::V4), ISSUER)
            .cache_size(0)
            .build()
            .expect("a verifier")
    })
}

/// Runs one input: the payload.
pub fn run(payload: &[u8]) {
    let key = SigningKey::Secret(keys::secret(Version::V4));
    let Ok(token) = paseto_auth::token::seal(&key, payload, b"", b"") else {
        assert!(payload.is_empty(), "a payload was not signed");
        return;
    };
    let verifier = verifier();
    let before = OffsetDateTime::now_utc();
    let verified = verifier.verify_untyped(&token, &Requirements::new());
    let after = OffsetDateTime::now_utc();
    let shape = crate::json::shape(payload);
    let verified = match verified {
        Ok(verified) => verified,
        Err(err) => {
            let why = crate::kind(&err);
            let object = shape.is_some_and(|shape| shape.object && !shape.duplicate);
            if !object {
                assert!(
                    matches!(
                        why,
                        "invalid_payload" | "duplicate_claim" | "token_too_large"
                    ),
                    "a payload that is not an object of unique keys refused as {why}: {err}"
                );
            }
            return;
        }
    };
    let shape = shape.expect("a verified payload is JSON");
    assert!(shape.object && !shape.duplicate, "{shape:?}");
    let expected: Value = serde_json::from_slice(payload).expect("JSON");
    assert_eq!(Value::Object(verified.claims.clone()), expected);
    let claims = &verified.claims;
    let time = |name: &str| {
        claims.get(name).map(|value| {
            let text = value.as_str().expect("a time claim is a string");
            OffsetDateTime::parse(text, &Rfc3339).expect("an RFC 3339 time")
        })
    };
    assert_eq!(claims.get("iss").and_then(Value::as_str), Some(ISSUER));
    assert!(time("exp").expect("exp is required") > before);
    assert!(time("nbf").is_none_or(|nbf| nbf <= after));
    assert!(time("iat").is_none_or(|iat| iat <= after));
    assert!(!claims.contains_key("pur"), "a token with `pur` passed");
    let audiences: Vec<&str> = match claims.get("aud") {
        None => Vec::new(),
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().expect("aud holds strings"))
            .collect(),
        Some(other) => panic!("aud {other} passed"),
    };
    assert_eq!(verified.registered.aud, audiences);
    for name in ["sub", "jti"] {
        let value = claims
            .get(name)
            .map(|v| v.as_str().expect("a string claim"));
        let registered = match name {
            "sub" => verified.registered.sub.as_deref(),
            _ => verified.registered.jti.as_deref(),
        };
        assert_eq!(registered, value);
    }
    // A route's requirements, granted only by the payload.
    let route = Requirements::new().audience("api").scope("read");
    if verifier.verify_untyped(&token, &route).is_ok() {
        assert!(audiences.contains(&"api"));
        let scope = claims.get("scope").and_then(Value::as_str).unwrap_or("");
        assert!(scope.split_ascii_whitespace().any(|s| s == "read"));
    }
    // Typed claims: deserialized, or refused as a claims error.
    let typed = match verified.to_typed::<Typed>() {
        Ok(typed) => typed.claims,
        Err(err) => {
            assert_eq!(crate::kind(&err), "claims_type", "{err}");
            return;
        }
    };
    assert!(claims.get("role").is_some_and(Value::is_string));
    let written = serde_json::to_value(&typed).expect("typed claims serialize");
    let back: Typed = serde_json::from_value(written).expect("and deserialize back");
    let second = |t: &Option<Timestamp>| t.map(|t| t.0.replace_nanosecond(0).expect("zero"));
    assert_eq!(second(&back.seen), second(&typed.seen));
    assert_eq!(back.role, typed.role);
}
