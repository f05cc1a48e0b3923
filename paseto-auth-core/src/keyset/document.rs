//! The key-set document (format version 1): what an issuer publishes and a verifier fetches.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::claims::format_time;
use crate::error::{Error, Result, untrusted};
use crate::key::{KeyId, PublicKey};
use crate::keyset::KeySetError;

/// The format version this crate writes and reads (the document's `"version"`).
pub const FORMAT_VERSION: u64 = 1;

/// The largest document read by default, in bytes (`PASETO_KEYSET_MAX_BYTES`).
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024;

/// The most keys a document may list by default.
pub const DEFAULT_MAX_KEYS: usize = 64;

/// Where a key is in its rotation. Every status verifies (within the key's not-before and
/// not-after); only `active` keys sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    /// Published ahead of use: verifiers learn it before the issuer signs with it, so tokens
    /// signed right after the switch pass everywhere. The issuer does not sign with it.
    Next,
    /// The issuer signs with it.
    Active,
    /// No longer signs; still verifies the tokens it signed until its not-after.
    Retired,
}

impl KeyStatus {
    /// `"next"`, `"active"` or `"retired"`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Next => "next",
            KeyStatus::Active => "active",
            KeyStatus::Retired => "retired",
        }
    }
}

/// One key of a key set: a public key, the issuer it speaks for, its status and validity.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedKey {
    /// The public key (its PASERK and `pid` are what the document carries).
    pub key: PublicKey,
    /// The issuer whose tokens it verifies (a verifier binds the key to it).
    pub iss: String,
    /// Where it is in its rotation.
    pub status: KeyStatus,
    /// Before this time it verifies nothing (`None`: no bound).
    pub not_before: Option<OffsetDateTime>,
    /// After this time it verifies nothing (`None`: no bound).
    pub not_after: Option<OffsetDateTime>,
}

impl PublishedKey {
    /// A key of `iss` with `status`, in force at all times.
    pub fn new(key: PublicKey, iss: impl Into<String>, status: KeyStatus) -> Self {
        PublishedKey {
            key,
            iss: iss.into(),
            status,
            not_before: None,
            not_after: None,
        }
    }

    /// The key's PASERK id (`kN.pid.…`).
    pub fn pid(&self) -> &KeyId {
        self.key.id()
    }
}

/// Limits on a document read from outside, checked before and while it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    /// The longest document, in bytes (default [`DEFAULT_MAX_BYTES`]).
    pub max_bytes: usize,
    /// The most keys (default [`DEFAULT_MAX_KEYS`]).
    pub max_keys: usize,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        DocumentLimits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_keys: DEFAULT_MAX_KEYS,
        }
    }
}

/// A key-set document: the public keys of one or more issuers, with their status and validity.
///
/// ```json
/// {
///   "version": 1,
///   "keys": [
///     {"paserk": "k4.public.…", "pid": "k4.pid.…", "iss": "https://issuer.example",
///      "status": "active", "not_before": "2025-06-01T00:00:00Z", "not_after": null}
///   ]
/// }
/// ```
///
/// In memory every key is a parsed [`PublicKey`], so a document is valid by construction; text
/// from outside goes through [`KeySetDocument::parse`], which refuses anything else with an
/// [`Error::KeySet`].
///
/// ```
/// use paseto_auth_core::keyset::{KeySetDocument, KeyStatus, PublishedKey};
/// use paseto_auth_core::{key::SecretKey, Version};
/// let key = SecretKey::generate(Version::V4)?;
/// let mut document = KeySetDocument::new();
/// document.add(PublishedKey::new(key.public_key().clone(), "https://issuer.example", KeyStatus::Active))?;
/// let text = document.to_json();
/// let read = KeySetDocument::parse(text.as_bytes(), &Default::default())?;
/// assert_eq!(read, document);
/// # Ok::<(), paseto_auth_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeySetDocument {
    keys: Vec<PublishedKey>,
}

/// The document as it is read: the version first (before the keys are looked at).
#[derive(Deserialize)]
struct Head {
    version: Value,
}

#[derive(Deserialize)]
struct Wire {
    keys: Vec<WireKey>,
}

#[derive(Deserialize)]
struct WireKey {
    paserk: String,
    pid: String,
    iss: String,
    status: KeyStatus,
    #[serde(default)]
    not_before: Option<String>,
    #[serde(default)]
    not_after: Option<String>,
}

fn refused(reason: KeySetError) -> Error {
    Error::KeySet(reason)
}

fn malformed(err: &serde_json::Error) -> Error {
    refused(KeySetError::Malformed(untrusted(err)))
}

impl KeySetDocument {
    /// An empty key set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a document from outside, within `limits`: its size, its JSON (serde_json's depth
    /// limit refuses deep nesting), its `version`, the number of keys, each key (a public
    /// PASERK whose `pid` is its id, a non-empty issuer, RFC 3339 times in order) and unique
    /// `pid`s. Unknown fields are ignored, so later minor additions stay readable.
    pub fn parse(bytes: &[u8], limits: &DocumentLimits) -> Result<Self> {
        if bytes.len() > limits.max_bytes {
            return Err(refused(KeySetError::TooLarge {
                limit: limits.max_bytes,
            }));
        }
        let head: Head = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
        if head.version.as_u64() != Some(FORMAT_VERSION) {
            return Err(refused(KeySetError::UnsupportedFormat(untrusted(
                &head.version,
            ))));
        }
        let wire: Wire = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
        if wire.keys.len() > limits.max_keys {
            return Err(refused(KeySetError::TooManyKeys {
                count: wire.keys.len(),
                limit: limits.max_keys,
            }));
        }
        let mut document = KeySetDocument::new();
        for (index, entry) in wire.keys.into_iter().enumerate() {
            let key = entry.read(index)?;
            document.add(key)?;
        }
        Ok(document)
    }

    /// Adds a key; a `pid` already listed is refused ([`KeySetError::DuplicateKey`]), as are an
    /// empty issuer and times out of order.
    pub fn add(&mut self, key: PublishedKey) -> Result<()> {
        let index = self.keys.len();
        check_key(index, &key)?;
        if self.get(key.pid()).is_some() {
            return Err(refused(KeySetError::DuplicateKey(key.pid().to_string())));
        }
        self.keys.push(key);
        Ok(())
    }

    /// The key with this `pid`.
    pub fn get(&self, pid: &KeyId) -> Option<&PublishedKey> {
        self.keys.iter().find(|key| key.pid() == pid)
    }

    pub(crate) fn get_mut(&mut self, pid: &KeyId) -> Option<&mut PublishedKey> {
        self.keys.iter_mut().find(|key| key.pid() == pid)
    }

    pub(crate) fn keys_mut(&mut self) -> impl Iterator<Item = &mut PublishedKey> {
        self.keys.iter_mut()
    }

    pub(crate) fn retain(&mut self, keep: impl FnMut(&PublishedKey) -> bool) {
        self.keys.retain(keep);
    }

    /// Every key, in the document's order.
    pub fn keys(&self) -> &[PublishedKey] {
        &self.keys
    }

    /// How many keys it lists.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether it lists none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The document as JSON (pretty-printed; the format `paseto_auth::docs::key_sets` specifies).
    pub fn to_json(&self) -> String {
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|key| {
                json!({
                    "paserk": key.key.to_paserk(),
                    "pid": key.pid().as_str(),
                    "iss": key.iss,
                    "status": key.status.as_str(),
                    "not_before": key.not_before.map(format_time),
                    "not_after": key.not_after.map(format_time),
                })
            })
            .collect();
        let document = json!({"version": FORMAT_VERSION, "keys": keys});
        serde_json::to_string_pretty(&document).unwrap_or_default()
    }
}

/// What every key of a document must be, whoever made it.
fn check_key(index: usize, key: &PublishedKey) -> Result<()> {
    let invalid = |reason: &str| {
        refused(KeySetError::InvalidKey {
            index,
            reason: reason.into(),
        })
    };
    if key.iss.is_empty() {
        return Err(invalid("`iss` is empty"));
    }
    if let (Some(start), Some(end)) = (key.not_before, key.not_after)
        && end < start
    {
        return Err(invalid("`not_after` is before `not_before`"));
    }
    Ok(())
}

impl WireKey {
    /// The key at `index` of a document from outside. No message shows the PASERK text.
    fn read(self, index: usize) -> Result<PublishedKey> {
        let invalid = |reason: String| refused(KeySetError::InvalidKey { index, reason });
        let kind = self.paserk.split('.').nth(1).unwrap_or_default();
        if kind != "public" {
            return Err(invalid(
                "`paserk` is not a public key (kN.public.…): a key set publishes public keys only"
                    .into(),
            ));
        }
        let key = PublicKey::from_paserk(&self.paserk)
            .map_err(|e| invalid(format!("`paserk` does not parse: {}", untrusted(e))))?;
        if key.id().as_str() != self.pid {
            return Err(invalid("`pid` is not the id of the key in `paserk`".into()));
        }
        let time = |name: &str, text: Option<String>| -> Result<Option<OffsetDateTime>> {
            text.map(|text| {
                OffsetDateTime::parse(&text, &Rfc3339)
                    .map_err(|_| invalid(format!("`{name}` is not an RFC 3339 time")))
            })
            .transpose()
        };
        let key = PublishedKey {
            key,
            iss: self.iss,
            status: self.status,
            not_before: time("not_before", self.not_before)?,
            not_after: time("not_after", self.not_after)?,
        };
        check_key(index, &key)?;
        Ok(key)
    }
}
