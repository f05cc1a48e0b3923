//! `footer`: a token's footer as [`Footer::parse`] reads it, under the spec's "footer JSON
//! safety" limits (length, depth, keys), before any key is picked by its `kid`.
//!
//! What must hold, against an oracle written apart ([`crate::json`]): a footer over the length
//! limit is refused; a footer that does not start with `{` is kept as opaque bytes; one that does
//! is accepted exactly when it is one JSON object within the depth and key limits with no key
//! repeated at any level, and then its fields are the object's; every refusal is an
//! `invalid_footer`.

use paseto_auth::token::{Footer, FooterLimits};
use serde_json::Value;

/// Runs one input: its first byte picks the limits, the rest is the footer.
pub fn run(data: &[u8]) {
    let Some((&pick, raw)) = data.split_first() else {
        return;
    };
    let limits = match pick % 3 {
        0 => FooterLimits::default(),
        1 => FooterLimits {
            max_len: 64,
            max_depth: 1,
            max_keys: 2,
        },
        _ => FooterLimits {
            max_len: 4096,
            max_depth: 8,
            max_keys: 64,
        },
    };
    let parsed = Footer::parse(raw, &limits);
    if let Err(err) = &parsed {
        assert_eq!(crate::kind(err), "invalid_footer", "{err}");
    }
    if raw.len() > limits.max_len {
        assert!(parsed.is_err(), "a footer over the length limit was read");
        return;
    }
    if raw.first() != Some(&b'{') {
        let footer = parsed.expect("a footer that is not JSON is kept as bytes");
        assert!(footer.json().is_none());
        assert_eq!(footer.as_bytes(), raw);
        return;
    }
    let shape = crate::json::shape(raw);
    let admissible = shape.is_some_and(|shape| {
        shape.object
            && !shape.duplicate
            && shape.depth <= limits.max_depth
            && shape.keys <= limits.max_keys
    });
    match parsed {
        Ok(footer) => {
            assert!(
                admissible,
                "a footer outside the limits was read: {shape:?}"
            );
            let expected: Value = serde_json::from_slice(raw).expect("the oracle read it");
            let read = footer.json().expect("a JSON footer is read as JSON");
            assert_eq!(&Value::Object(read.clone()), &expected);
            assert_eq!(footer.as_bytes(), raw);
            assert_eq!(footer.kid(), expected.get("kid").and_then(Value::as_str));
        }
        Err(err) => assert!(
            !admissible,
            "a footer within the limits was refused ({err}): {shape:?}"
        ),
    }
}
