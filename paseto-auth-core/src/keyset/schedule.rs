//! The rotation schedule: a key moves `next → active → retired`, then leaves the document; and
//! the key rings an issuer signs with and a verifier checks with, taken from a document.

use std::time::Duration;

use time::OffsetDateTime;

use super::document::{KeySetDocument, KeyStatus, PublishedKey};
use crate::error::{Error, Result, untrusted};
use crate::issuer::Issuer;
use crate::key::{KeyId, KeyRing, RingEntry, SecretKey, SigningKey, VerificationKey};
use crate::keyset::KeySetError;
use crate::version::Version;

fn change(message: String) -> Error {
    Error::KeySet(KeySetError::Change(message))
}

impl KeySetDocument {
    /// Makes the `next` key `pid` the active key of its issuer, at `now`: the key that was active
    /// for that issuer (same version) becomes `retired`, verifying for `grace` more (its
    /// not-after is `now + grace`, or earlier if it already had one). Give `grace` at least the
    /// longest lifetime of a token signed with the old key.
    ///
    /// The new key's not-before is kept if it has one at or before `now`, and set to `now` if it
    /// has none. Refused: an unknown `pid`, a key that is not `next`, or one whose not-before is
    /// still to come.
    pub fn activate(&mut self, pid: &KeyId, now: OffsetDateTime, grace: Duration) -> Result<()> {
        let Some(key) = self.get_mut(pid) else {
            return Err(change(format!("no key {} in the key set", untrusted(pid))));
        };
        if key.status != KeyStatus::Next {
            return Err(change(format!(
                "key {pid} is {}; only a next key can become active",
                key.status.as_str()
            )));
        }
        if key.not_before.is_some_and(|start| start > now) {
            return Err(change(format!(
                "key {pid} is not in force before its not_before: activate it then"
            )));
        }
        key.status = KeyStatus::Active;
        key.not_before.get_or_insert(now);
        let (iss, version) = (key.iss.clone(), key.key.version());
        let until = now + grace;
        for other in self.keys_mut() {
            if other.pid() != pid
                && other.status == KeyStatus::Active
                && other.iss == iss
                && other.key.version() == version
            {
                other.status = KeyStatus::Retired;
                other.not_after = Some(other.not_after.map_or(until, |end| end.min(until)));
            }
        }
        Ok(())
    }

    /// Retires key `pid` (active or next) at `now`: it verifies for `grace` more.
    pub fn retire(&mut self, pid: &KeyId, now: OffsetDateTime, grace: Duration) -> Result<()> {
        let Some(key) = self.get_mut(pid) else {
            return Err(change(format!("no key {} in the key set", untrusted(pid))));
        };
        if key.status == KeyStatus::Retired {
            return Err(change(format!("key {pid} is already retired")));
        }
        let until = now + grace;
        key.status = KeyStatus::Retired;
        key.not_after = Some(key.not_after.map_or(until, |end| end.min(until)));
        Ok(())
    }

    /// Removes the keys whose not-after has passed at `now` (they verify nothing any more);
    /// returns how many.
    pub fn prune(&mut self, now: OffsetDateTime) -> usize {
        let before = self.len();
        self.retain(|key| key.not_after.is_none_or(|end| now <= end));
        before - self.len()
    }

    /// The document of `issuer`'s secret keys (their public halves), each `active` and bound to
    /// the issuer's name: what an issuer that does not rotate yet publishes. Fails when the
    /// issuer has no name (`PASETO_ISS`) or no secret key (local keys are never published).
    pub fn from_issuer(issuer: &Issuer) -> Result<Self> {
        let name = issuer.name().ok_or_else(|| {
            Error::config(
                "PASETO_ISS",
                "a published key set names its issuer: set one",
            )
        })?;
        let mut document = KeySetDocument::new();
        for entry in issuer.keys().iter() {
            if let SigningKey::Secret(secret) = &entry.key {
                document.add(PublishedKey::new(
                    secret.public_key().clone(),
                    name,
                    KeyStatus::Active,
                ))?;
            }
        }
        if document.is_empty() {
            return Err(Error::Setup(
                "the issuer has no secret key to publish (local keys are never published)".into(),
            ));
        }
        Ok(document)
    }

    /// The ring an issuer signs with: the `active` keys of the document among `secrets` (the
    /// issuer's secret keys; `next` and `retired` ones are never used), the most recently
    /// activated (latest not-before) primary. Fails when none of `secrets` is active here.
    pub fn signing_ring(&self, secrets: &[SecretKey]) -> Result<KeyRing<SigningKey>> {
        let mut active: Vec<(&SecretKey, Option<OffsetDateTime>, &str)> = self
            .keys()
            .iter()
            .filter(|key| key.status == KeyStatus::Active)
            .filter_map(|key| {
                secrets
                    .iter()
                    .find(|secret| secret.public_key().id() == key.pid())
                    .map(|secret| (secret, key.not_before, key.iss.as_str()))
            })
            .collect();
        // Latest not-before first (a key without one was active from the start).
        active.sort_by_key(|a| std::cmp::Reverse(a.1));
        if active.is_empty() {
            return Err(change(
                "no secret key given is active in the key set: activate one first".into(),
            ));
        }
        let mut ring = KeyRing::new();
        for (secret, _, iss) in active {
            ring.push(SigningKey::Secret(secret.clone()), Some(iss.to_owned()));
        }
        Ok(ring)
    }

    /// The ring a verifier checks with: every key (whatever its status) bound to its issuer,
    /// with its not-before and not-after. The whole document is refused when a key names an
    /// issuer `trusted` does not hold ([`KeySetError::UntrustedIssuer`]) or is of a version
    /// `versions` does not hold ([`KeySetError::VersionNotAllowed`]).
    pub fn verification_ring(
        &self,
        trusted: &[String],
        versions: &[Version],
    ) -> Result<KeyRing<VerificationKey>> {
        let mut ring = KeyRing::new();
        for (index, key) in self.keys().iter().enumerate() {
            if !trusted.contains(&key.iss) {
                return Err(Error::KeySet(KeySetError::UntrustedIssuer {
                    index,
                    issuer: untrusted(&key.iss),
                }));
            }
            if !versions.contains(&key.key.version()) {
                return Err(Error::KeySet(KeySetError::VersionNotAllowed {
                    index,
                    version: key.key.version(),
                }));
            }
            ring.push_entry(RingEntry {
                key: VerificationKey::Public(key.key.clone()),
                issuer: Some(key.iss.clone()),
                not_before: key.not_before,
                not_after: key.not_after,
            });
        }
        Ok(ring)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::RingKey;

    const ISS: &str = "https://issuer.example";

    fn key() -> SecretKey {
        SecretKey::generate(Version::V4).unwrap()
    }

    #[test]
    fn a_rotation_moves_next_to_active_and_active_to_retired_then_prunes() {
        let (old, new) = (key(), key());
        let mut document = KeySetDocument::new();
        document
            .add(PublishedKey::new(
                old.public_key().clone(),
                ISS,
                KeyStatus::Active,
            ))
            .unwrap();
        document
            .add(PublishedKey::new(
                new.public_key().clone(),
                ISS,
                KeyStatus::Next,
            ))
            .unwrap();
        let secrets = [old.clone(), new.clone()];
        let ring = document.signing_ring(&secrets).unwrap();
        assert_eq!(ring.len(), 1);
        assert_eq!(ring.primary().unwrap().key.kid(), old.public_key().id());

        let now = OffsetDateTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let grace = Duration::from_secs(3600);
        document
            .activate(new.public_key().id(), now, grace)
            .unwrap();
        let old_entry = document.get(old.public_key().id()).unwrap();
        assert_eq!(old_entry.status, KeyStatus::Retired);
        assert_eq!(old_entry.not_after, Some(now + grace));
        let new_entry = document.get(new.public_key().id()).unwrap();
        assert_eq!(new_entry.status, KeyStatus::Active);
        assert_eq!(new_entry.not_before, Some(now));
        let ring = document.signing_ring(&secrets).unwrap();
        assert_eq!(ring.len(), 1);
        assert_eq!(ring.primary().unwrap().key.kid(), new.public_key().id());

        // A retired key cannot come back; an unknown one is named.
        let err = document
            .activate(old.public_key().id(), now, grace)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "key set: key {} is retired; only a next key can become active",
                old.public_key().id()
            )
        );
        assert_eq!(document.prune(now + grace), 0);
        assert_eq!(document.prune(now + grace + Duration::from_secs(1)), 1);
        assert_eq!(document.len(), 1);
    }

    #[test]
    fn the_verification_ring_binds_each_key_and_refuses_untrusted_issuers_and_versions() {
        let (a, b) = (key(), key());
        let mut document = KeySetDocument::new();
        let mut retired = PublishedKey::new(a.public_key().clone(), ISS, KeyStatus::Retired);
        retired.not_after = Some(OffsetDateTime::UNIX_EPOCH);
        document.add(retired).unwrap();
        document
            .add(PublishedKey::new(
                b.public_key().clone(),
                "https://other.example",
                KeyStatus::Next,
            ))
            .unwrap();
        let both = [ISS.to_owned(), "https://other.example".to_owned()];
        let ring = document.verification_ring(&both, &[Version::V4]).unwrap();
        let entries: Vec<_> = ring.iter().collect();
        assert_eq!(entries[0].issuer.as_deref(), Some(ISS));
        assert_eq!(entries[0].not_after, Some(OffsetDateTime::UNIX_EPOCH));
        assert_eq!(entries[1].issuer.as_deref(), Some("https://other.example"));

        let err = document
            .verification_ring(&both[..1], &[Version::V4])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "key set: key 1 claims issuer \"https://other.example\", which is not trusted for this URL"
        );
        let err = document
            .verification_ring(&both, &[Version::V3])
            .unwrap_err();
        assert!(matches!(
            err,
            Error::KeySet(KeySetError::VersionNotAllowed {
                index: 0,
                version: Version::V4
            })
        ));
    }
}
