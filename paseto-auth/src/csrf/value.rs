//! The random value a CSRF check compares, and the comparison.

use std::fmt;

use subtle::ConstantTimeEq;

use crate::{Error, Result};

/// Bytes of randomness in a value: 256 bits.
const VALUE_BYTES: usize = 32;

/// A random CSRF value: 32 bytes from the operating system, in base64url without padding
/// (43 characters, safe in a cookie, a header and an HTML attribute as it is).
#[derive(Clone, PartialEq, Eq)]
pub struct CsrfValue(String);

impl CsrfValue {
    /// A new random value.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; VALUE_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|err| Error::Setup(format!("no randomness for a CSRF value: {err}")))?;
        Ok(CsrfValue(crate::key::b64_encode(&bytes)))
    }

    /// A value read back from a cookie: `None` unless it has the shape [`generate`](Self::generate)
    /// gives (so attacker text never becomes a value).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let shaped = text.len() == 43
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        shaped.then(|| CsrfValue(text.to_owned()))
    }

    /// The value, as sent in cookies, headers and forms.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Not secret in the way a key is, but a log line is no place for it either.
impl fmt::Debug for CsrfValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CsrfValue(..)")
    }
}

/// Whether `sent` and `expected` are the same, in time independent of where they differ.
pub(crate) fn same(sent: &[u8], expected: &[u8]) -> bool {
    sent.len() == expected.len() && bool::from(sent.ct_eq(expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_random_and_only_their_own_shape_parses() {
        let (a, b) = (
            CsrfValue::generate().unwrap(),
            CsrfValue::generate().unwrap(),
        );
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(CsrfValue::parse(a.as_str()), Some(a.clone()));
        for bad in [
            "",
            "short",
            &format!("{}=", &a.as_str()[..42]),
            &format!("{}x", a.as_str()),
        ] {
            assert_eq!(CsrfValue::parse(bad), None, "{bad:?}");
        }
        assert_eq!(format!("{a:?}"), "CsrfValue(..)");
    }

    #[test]
    fn comparison_needs_every_byte() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"ab", b"abc"));
        assert!(!same(b"", b"abc"));
    }
}
