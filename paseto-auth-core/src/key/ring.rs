//! Key rings: many keys, each optionally bound to an issuer, one of them primary.

use super::{KeyId, LocalKey, PublicKey, SecretKey};
use crate::error::{Error, Result, TokenError, untrusted};
use crate::version::{Header, Purpose};
use time::OffsetDateTime;

/// What a key ring needs to know about its keys.
pub(crate) trait RingKey {
    /// The token header (version and purpose) this key handles.
    fn header(&self) -> Header;
    /// The PASERK id a token footer names this key by (`lid` for local, `pid` for public keys).
    fn kid(&self) -> &KeyId;
}

impl RingKey for LocalKey {
    fn header(&self) -> Header {
        Header::new(self.version(), Purpose::Local)
    }
    fn kid(&self) -> &KeyId {
        self.id()
    }
}

impl RingKey for PublicKey {
    fn header(&self) -> Header {
        Header::new(self.version(), Purpose::Public)
    }
    fn kid(&self) -> &KeyId {
        self.id()
    }
}

impl RingKey for SecretKey {
    fn header(&self) -> Header {
        Header::new(self.version(), Purpose::Public)
    }
    /// The *public* id: verifiers hold the public key, so that is what the footer names.
    fn kid(&self) -> &KeyId {
        self.public_key().id()
    }
}

/// A key that can check tokens: a local key (decrypts) or a public key (verifies signatures).
#[derive(Debug, Clone)]
pub enum VerificationKey {
    /// Opens `local` tokens.
    Local(LocalKey),
    /// Verifies `public` tokens.
    Public(PublicKey),
}

impl RingKey for VerificationKey {
    fn header(&self) -> Header {
        match self {
            VerificationKey::Local(k) => k.header(),
            VerificationKey::Public(k) => k.header(),
        }
    }
    fn kid(&self) -> &KeyId {
        match self {
            VerificationKey::Local(k) => k.kid(),
            VerificationKey::Public(k) => k.kid(),
        }
    }
}

impl From<LocalKey> for VerificationKey {
    fn from(key: LocalKey) -> Self {
        VerificationKey::Local(key)
    }
}

impl From<PublicKey> for VerificationKey {
    fn from(key: PublicKey) -> Self {
        VerificationKey::Public(key)
    }
}

/// A key that can make tokens: a local key (encrypts) or a secret key (signs).
#[derive(Debug, Clone)]
pub enum SigningKey {
    /// Seals `local` tokens.
    Local(LocalKey),
    /// Signs `public` tokens.
    Secret(SecretKey),
}

impl RingKey for SigningKey {
    fn header(&self) -> Header {
        match self {
            SigningKey::Local(k) => k.header(),
            SigningKey::Secret(k) => k.header(),
        }
    }
    fn kid(&self) -> &KeyId {
        match self {
            SigningKey::Local(k) => k.kid(),
            SigningKey::Secret(k) => k.kid(),
        }
    }
}

impl From<LocalKey> for SigningKey {
    fn from(key: LocalKey) -> Self {
        SigningKey::Local(key)
    }
}

impl From<SecretKey> for SigningKey {
    fn from(key: SecretKey) -> Self {
        SigningKey::Secret(key)
    }
}

/// One key of a ring, the issuer it is bound to, if any, and when it is in force.
#[derive(Debug, Clone)]
pub struct RingEntry<K> {
    /// The key.
    pub key: K,
    /// The only `iss` a token checked by this key may claim (for verification keys), or the
    /// `iss` written into tokens made with it (for signing keys).
    pub issuer: Option<String>,
    /// Before this time the key checks no token (a verifier refuses with
    /// [`TokenError::KeyOutsideValidity`]); `None`: no lower bound. Set for keys from a published
    /// key set ([`crate::keyset`]).
    pub not_before: Option<OffsetDateTime>,
    /// After this time the key checks no token, even one found in the verified-token cache;
    /// `None`: no upper bound.
    pub not_after: Option<OffsetDateTime>,
}

impl<K> RingEntry<K> {
    /// An entry bound to `issuer` (if any), in force at all times.
    pub fn new(key: K, issuer: Option<String>) -> Self {
        RingEntry {
            key,
            issuer,
            not_before: None,
            not_after: None,
        }
    }

    /// Whether the key may accept a token that claims `iss`: it is bound to that issuer, or to
    /// none.
    pub(crate) fn speaks_for(&self, iss: Option<&str>) -> bool {
        self.issuer
            .as_deref()
            .is_none_or(|bound| iss == Some(bound))
    }

    /// Whether the key is in force at `now` (within its not-before and not-after, both
    /// inclusive).
    pub fn in_force_at(&self, now: OffsetDateTime) -> bool {
        self.not_before.is_none_or(|start| start <= now)
            && self.not_after.is_none_or(|end| now <= end)
    }
}

/// A set of keys with a primary one: the issuer signs with the primary key, verifiers try the
/// key the footer `kid` names, or else every key of the token's version and purpose.
///
/// ```
/// use paseto_auth_core::key::{KeyRing, SecretKey, VerificationKey};
/// use paseto_auth_core::Version;
/// let old = SecretKey::generate(Version::V4)?;
/// let new = SecretKey::generate(Version::V4)?;
/// let ring: KeyRing<VerificationKey> = KeyRing::new()
///     .with_bound_key(old.public_key().clone(), "https://issuer.example")
///     .with_bound_key(new.public_key().clone(), "https://issuer.example");
/// assert_eq!(ring.len(), 2);
/// # Ok::<(), paseto_auth_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct KeyRing<K> {
    entries: Vec<RingEntry<K>>,
    primary: usize,
}

impl<K> Default for KeyRing<K> {
    fn default() -> Self {
        KeyRing {
            entries: Vec::new(),
            primary: 0,
        }
    }
}

// The bound is the crate's own: every key type a ring holds is one of the crate's.
#[allow(private_bounds)]
impl<K: RingKey> KeyRing<K> {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key bound to no issuer. The first key added is the primary one.
    #[must_use]
    pub fn with_key(mut self, key: impl Into<K>) -> Self {
        self.push(key.into(), None);
        self
    }

    /// Adds a key bound to `issuer`.
    #[must_use]
    pub fn with_bound_key(mut self, key: impl Into<K>, issuer: impl Into<String>) -> Self {
        self.push(key.into(), Some(issuer.into()));
        self
    }

    /// Adds a key, bound to `issuer` when given.
    pub fn push(&mut self, key: K, issuer: Option<String>) {
        self.entries.push(RingEntry::new(key, issuer));
    }

    /// Adds an entry (a key with its issuer and validity).
    pub fn push_entry(&mut self, entry: RingEntry<K>) {
        self.entries.push(entry);
    }

    /// Makes the key with this id the primary one.
    pub fn set_primary(&mut self, id: &KeyId) -> Result<()> {
        let index = self
            .entries
            .iter()
            .position(|entry| entry.key.kid() == id)
            .ok_or_else(|| Error::Token(TokenError::UnknownKeyId(id.to_string())))?;
        self.primary = index;
        Ok(())
    }

    /// The primary key, if the ring is not empty.
    pub fn primary(&self) -> Option<&RingEntry<K>> {
        self.entries.get(self.primary)
    }

    /// Every key, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = &RingEntry<K>> {
        self.entries.iter()
    }

    /// How many keys the ring holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the ring is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys that may check a token with `header` whose footer names `kid`.
    ///
    /// A PASERK id selects exactly one key, and an id the ring does not hold (or one of another
    /// version or purpose) fails closed with [`TokenError::UnknownKeyId`]. Any other `kid` (or
    /// none) leaves every key of the token's version and purpose as a candidate.
    pub fn candidates(&self, header: Header, kid: Option<&str>) -> Result<Vec<&RingEntry<K>>> {
        let of_header = || {
            self.entries
                .iter()
                .filter(move |e| e.key.header() == header)
        };
        if of_header().next().is_none() {
            return Err(Error::Token(TokenError::NoKey(header)));
        }
        let found: Vec<_> = match kid.filter(|kid| KeyId::is_paserk_id(kid)) {
            Some(kid) => of_header()
                .filter(|e| e.key.kid().as_str() == kid)
                .collect(),
            None => of_header().collect(),
        };
        if found.is_empty() {
            return Err(Error::Token(TokenError::UnknownKeyId(untrusted(
                kid.unwrap_or_default(),
            ))));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Version;

    fn ring_of_two() -> (KeyRing<VerificationKey>, SecretKey, SecretKey) {
        let a = SecretKey::generate(Version::V4).unwrap();
        let b = SecretKey::generate(Version::V4).unwrap();
        let ring = KeyRing::new()
            .with_bound_key(a.public_key().clone(), "https://a.example")
            .with_key(b.public_key().clone());
        (ring, a, b)
    }

    #[test]
    fn a_paserk_kid_selects_exactly_its_key() {
        let (ring, a, _) = ring_of_two();
        let header = Header::new(Version::V4, Purpose::Public);
        let found = ring
            .candidates(header, Some(a.public_key().id().as_str()))
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].issuer.as_deref(), Some("https://a.example"));
    }

    #[test]
    fn an_unknown_paserk_kid_fails_closed() {
        let (ring, _, _) = ring_of_two();
        let stranger = SecretKey::generate(Version::V4).unwrap();
        let header = Header::new(Version::V4, Purpose::Public);
        let err = ring
            .candidates(header, Some(stranger.public_key().id().as_str()))
            .unwrap_err();
        assert!(matches!(err, Error::Token(TokenError::UnknownKeyId(_))));
    }

    #[test]
    fn without_kid_only_keys_of_the_header_are_candidates() {
        let (ring, _, _) = ring_of_two();
        assert_eq!(
            ring.candidates(Header::new(Version::V4, Purpose::Public), None)
                .unwrap()
                .len(),
            2
        );
        let err = ring
            .candidates(Header::new(Version::V3, Purpose::Public), None)
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Token(TokenError::NoKey(h)) if h == Header::new(Version::V3, Purpose::Public)
        ));
        let err = ring
            .candidates(Header::new(Version::V4, Purpose::Local), Some("custom-kid"))
            .unwrap_err();
        assert!(matches!(err, Error::Token(TokenError::NoKey(_))));
    }
}
