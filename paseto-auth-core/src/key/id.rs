//! PASERK key ids (`k4.lid.…`, `k4.pid.…`, `k4.sid.…`): what a token footer's `kid` names.

use std::fmt;

/// A PASERK id such as `k4.pid.…` (public key), `k4.lid.…` (local key) or `k4.sid.…` (secret key).
///
/// Ids are computed from the key, so they identify it without revealing it. A verifier matches the
/// footer `kid` against the `lid`/`pid` of the keys it holds.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(String);

impl KeyId {
    pub(crate) fn new(id: String) -> Self {
        KeyId(id)
    }

    /// Reads a PASERK id from text (`kN.lid|pid|sid.` and its base64url digest); anything else
    /// is [`KeyError::InvalidKey`](crate::error::KeyError::InvalidKey). The id is not checked
    /// against a key: it is a name to look keys up by.
    pub fn parse(text: &str) -> crate::Result<Self> {
        let digest = text.splitn(3, '.').nth(2).unwrap_or_default();
        if !Self::is_paserk_id(text)
            || digest.is_empty()
            || digest.len() > 64
            || !digest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(crate::Error::Key(crate::error::KeyError::InvalidKey(
                "expected a PASERK id (kN.lid.…, kN.pid.… or kN.sid.…)".into(),
            )));
        }
        Ok(KeyId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` looks like a PASERK id (`kN.lid|pid|sid.…`) rather than some other `kid`.
    pub fn is_paserk_id(text: &str) -> bool {
        let mut parts = text.splitn(3, '.');
        matches!(
            (parts.next(), parts.next(), parts.next()),
            (
                Some("k1" | "k2" | "k3" | "k4"),
                Some("lid" | "pid" | "sid"),
                Some(_)
            )
        )
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.0)
    }
}

impl AsRef<str> for KeyId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// `header` + base64url(SHA-384(`header` ‖ `paserk`)[..33]): the PASERK id of a key for the
/// versions whose ids pasetors does not compute (k3.lid, and k1 with the `v1` feature).
pub(crate) fn sha384_id(header: &str, paserk: &str) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use sha2::{Digest, Sha384};
    /// A PASERK id keeps this many bytes of the digest.
    const ID_LEN: usize = 33;
    let digest = Sha384::new()
        .chain_update(header)
        .chain_update(paserk.as_bytes())
        .finalize();
    let id = digest
        .split_first_chunk::<ID_LEN>()
        .map_or(&[][..], |(id, _)| id);
    format!("{header}{}", Base64UrlUnpadded::encode_string(id))
}

/// Formats a pasetors PASERK value (key or id) as a `String`.
pub(crate) fn format_paserk(value: &impl pasetors::paserk::FormatAsPaserk) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail; an error would only come from base64 length overflow.
    if value.fmt(&mut out).is_err() {
        out.clear();
    }
    out
}
