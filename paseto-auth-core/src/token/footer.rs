//! Footers: raw bytes first (the official vectors have non-JSON footers), JSON when they parse,
//! with the spec's length, depth and key-count limits applied before any JSON parsing.

use serde_json::{Map, Value};

use crate::claims::{ObjectError, parse_object};
use crate::error::{Error, Result, TokenError};

/// Limits applied to a footer before it is parsed as JSON (PASETO "footer JSON safety").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FooterLimits {
    /// Maximum footer length in bytes.
    pub max_len: usize,
    /// Maximum nesting depth of JSON objects and arrays.
    pub max_depth: usize,
    /// Maximum number of object keys, at all depths.
    pub max_keys: usize,
}

impl Default for FooterLimits {
    fn default() -> Self {
        FooterLimits {
            max_len: 1024,
            max_depth: 2,
            max_keys: 16,
        }
    }
}

/// A token footer: authenticated with the token, but readable before verification.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Footer {
    raw: Vec<u8>,
    json: Option<Map<String, Value>>,
}

impl Footer {
    /// Checks `raw` against `limits` and parses it as a JSON object when it looks like one.
    ///
    /// A footer that does not start with `{` is kept as opaque bytes. One that does must be a
    /// JSON object within the limits, with no key repeated (which `kid` would a parser pick?),
    /// or this fails with [`TokenError::InvalidFooter`].
    pub fn parse(raw: &[u8], limits: &FooterLimits) -> Result<Self> {
        if raw.len() > limits.max_len {
            return Err(Error::Token(TokenError::InvalidFooter(format!(
                "{} bytes, over the {}-byte limit",
                raw.len(),
                limits.max_len
            ))));
        }
        let json = if raw.first() == Some(&b'{') {
            let shape = scan_json_shape(raw);
            if shape.max_depth > limits.max_depth {
                return Err(Error::Token(TokenError::InvalidFooter(format!(
                    "nested {} deep, over the limit of {}",
                    shape.max_depth, limits.max_depth
                ))));
            }
            if shape.keys > limits.max_keys {
                return Err(Error::Token(TokenError::InvalidFooter(format!(
                    "{} keys, over the limit of {}",
                    shape.keys, limits.max_keys
                ))));
            }
            let map = parse_object(raw).map_err(|err| {
                Error::Token(TokenError::InvalidFooter(match err {
                    ObjectError::Duplicate(key) => format!("the key \"{key}\" is repeated"),
                    ObjectError::Invalid(message) => format!("not a JSON object: {message}"),
                }))
            })?;
            Some(map)
        } else {
            None
        };
        Ok(Footer {
            raw: raw.to_vec(),
            json,
        })
    }

    /// Builds a footer from JSON fields (for issuing).
    pub fn from_json(map: Map<String, Value>) -> Self {
        let raw = if map.is_empty() {
            Vec::new()
        } else {
            Value::Object(map.clone()).to_string().into_bytes()
        };
        Footer {
            raw,
            json: Some(map),
        }
    }

    /// The footer's bytes as they are in the token.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// Whether the token has no footer.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The footer as a JSON object, when it is one.
    pub fn json(&self) -> Option<&Map<String, Value>> {
        self.json.as_ref()
    }

    /// The `kid` field of a JSON footer, when it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.json.as_ref()?.get("kid")?.as_str()
    }
}

/// Depth and key count of a JSON text, found by a lexical scan (strings and escapes aware).
struct JsonShape {
    max_depth: usize,
    keys: usize,
}

fn scan_json_shape(raw: &[u8]) -> JsonShape {
    let (mut depth, mut max_depth, mut keys) = (0usize, 0usize, 0usize);
    let (mut in_string, mut escaped, mut string_just_closed) = (false, false, false);
    for &byte in raw {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    in_string = false;
                    string_just_closed = true;
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b':' if string_just_closed => keys += 1,
            _ => {}
        }
        if !byte.is_ascii_whitespace() && byte != b'"' {
            string_just_closed = false;
        }
    }
    JsonShape { max_depth, keys }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_footers_are_kept_as_bytes() {
        let footer = Footer::parse(
            b"arbitrary-string-that-isn't-json",
            &FooterLimits::default(),
        )
        .unwrap();
        assert!(footer.json().is_none());
        assert_eq!(footer.kid(), None);
    }

    #[test]
    fn kid_is_read_from_a_json_footer() {
        let footer = Footer::parse(
            br#"{"kid":"k4.pid.abc","x":"{:}"}"#,
            &FooterLimits::default(),
        )
        .unwrap();
        assert_eq!(footer.kid(), Some("k4.pid.abc"));
    }

    #[test]
    fn limits_are_enforced_before_parsing() {
        let limits = FooterLimits {
            max_len: 64,
            max_depth: 2,
            max_keys: 3,
        };
        let long = vec![b'x'; 65];
        assert!(matches!(
            Footer::parse(&long, &limits),
            Err(Error::Token(TokenError::InvalidFooter(m))) if m.contains("bytes")
        ));
        let deep = br#"{"a":{"b":{"c":1}}}"#;
        assert!(matches!(
            Footer::parse(deep, &limits),
            Err(Error::Token(TokenError::InvalidFooter(m))) if m.contains("deep")
        ));
        let many = br#"{"a":1,"b":2,"c":3,"d":4}"#;
        assert!(matches!(
            Footer::parse(many, &limits),
            Err(Error::Token(TokenError::InvalidFooter(m))) if m.contains("keys")
        ));
        let broken = br#"{"a":"#;
        assert!(matches!(
            Footer::parse(broken, &limits),
            Err(Error::Token(TokenError::InvalidFooter(m))) if m.contains("JSON")
        ));
    }
}
