//! The names of a store's keys. Revocations, their index, their feed and the epoch marker share a
//! hash slot (a check reads them in one `MGET`, and a revocation is written to its entry, the
//! index and the feed by one script); each refresh family's three keys share one of their own,
//! so that rotations spread over a cluster. On one server or under Sentinel the names are plain
//! (`paseto-auth:jti:…`); on a cluster the shared part is a hash tag (`{paseto-auth:}jti:…`,
//! `paseto-auth:gen:{…}`).

use base64ct::{Base64UrlUnpadded, Encoding};
use paseto_auth_core::store::mirror::{EntryId, EntryKind, digest, entry_id};

/// The key names of one store.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    /// Where revocation keys start: the prefix, in braces on a cluster.
    revocations: String,
    /// Where refresh keys start: the prefix.
    refresh: String,
    /// Whether a family's hash is a hash tag (a cluster).
    tagged: bool,
}

impl Keys {
    /// The names under `prefix`, tagged for a cluster when `cluster`.
    pub(crate) fn new(prefix: &str, cluster: bool) -> Keys {
        Keys {
            revocations: if cluster {
                format!("{{{prefix}}}")
            } else {
                prefix.to_owned()
            },
            refresh: prefix.to_owned(),
            tagged: cluster,
        }
    }

    /// A revocation entry's key, and the name the index and the feed give it (`jti:<hash>`).
    pub(crate) fn revocation(&self, kind: EntryKind, value: &str) -> (String, String) {
        let name = entry_name(kind, &entry_id(kind, value));
        (format!("{}{name}", self.revocations), name)
    }

    /// The key of the entry named `name` (as the index lists it).
    pub(crate) fn named(&self, name: &str) -> String {
        format!("{}{name}", self.revocations)
    }

    /// The epoch marker.
    pub(crate) fn epoch(&self) -> String {
        format!("{}epoch", self.revocations)
    }

    /// The sorted set of every revocation entry's name, scored by its expiry: what a mirror
    /// loads at start-up.
    pub(crate) fn index(&self) -> String {
        format!("{}index", self.revocations)
    }

    /// The stream every revocation is appended to: what keeps mirrors current.
    pub(crate) fn feed(&self) -> String {
        format!("{}feed", self.revocations)
    }

    /// A refresh family's `kind` key (`gen`, `ans` or `rty`): on a cluster, the three share the
    /// family's hash as their tag; elsewhere each has its own hash, as before clusters.
    pub(crate) fn refresh(&self, kind: &str, family: &str) -> String {
        if self.tagged {
            let tag = Base64UrlUnpadded::encode_string(&digest("refresh", family));
            format!("{}{kind}:{{{tag}}}", self.refresh)
        } else {
            let hash = Base64UrlUnpadded::encode_string(&digest(kind, family));
            format!("{}{kind}:{hash}", self.refresh)
        }
    }
}

/// `kind:<base64url of id>`.
pub(crate) fn entry_name(kind: EntryKind, id: &EntryId) -> String {
    format!("{}:{}", kind.as_str(), Base64UrlUnpadded::encode_string(id))
}

/// The kind and id an entry name holds; `None` for a name this crate did not write.
pub(crate) fn parse_entry_name(name: &str) -> Option<(EntryKind, EntryId)> {
    let (kind, digest) = name.split_once(':')?;
    let mut id = EntryId::default();
    let decoded = Base64UrlUnpadded::decode(digest, &mut id).ok()?;
    (decoded.len() == id.len()).then_some(())?;
    Some((EntryKind::from_name(kind)?, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_share_a_slot_on_a_cluster_and_stay_plain_elsewhere() {
        let plain = Keys::new("p:", false);
        let (key, name) = plain.revocation(EntryKind::TokenId, "t1");
        assert_eq!(key, format!("p:{name}"));
        assert!(name.starts_with("jti:") && name.len() == 4 + 43, "{name}");
        assert_eq!(plain.epoch(), "p:epoch");
        let cluster = Keys::new("p:", true);
        assert_eq!(
            cluster.revocation(EntryKind::TokenId, "t1").0,
            format!("{{p:}}{name}")
        );
        assert_eq!(cluster.feed(), "{p:}feed");
        let generation = cluster.refresh("gen", "f");
        assert!(
            generation.starts_with("p:gen:{") && generation.ends_with('}'),
            "{generation}"
        );
        assert_eq!(
            parse_entry_name(&name),
            Some((EntryKind::TokenId, entry_id(EntryKind::TokenId, "t1")))
        );
        for bad in ["jti", "xyz:AAAA", "jti:AAAA", "jti:*", ""] {
            assert_eq!(parse_entry_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_are_the_ones_earlier_versions_wrote() {
        // A store upgraded in place keeps its revocations: the name of the token id "t1" is
        // what the store wrote before mirrors (SHA-256 of "paseto-auth:jti:t1").
        let (key, _) = Keys::new("paseto-auth:", false).revocation(EntryKind::TokenId, "t1");
        assert_eq!(
            key,
            "paseto-auth:jti:T6O2kawRHgFZGPJtc3fj3squ9Ta-2cWMuU_T5EYGTBo"
        );
    }
}
