//! What the login session cookie holds, the digest of a user's auth hash, and random ids.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The purpose login session cookies are bound to.
pub(crate) const LOGIN_PURPOSE: &str = "login";

/// The purpose remember-me cookies are bound to.
pub(crate) const REMEMBER_PURPOSE: &str = "remember";

/// The data of the login session cookie (inside the `dat` of a session envelope with `pur`,
/// `cky`, `iat` and `exp`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginState {
    /// The user id, as text.
    pub(crate) uid: String,
    /// Whether the login came from [`LoginSession::login`](super::LoginSession::login) rather
    /// than from a remember-me cookie.
    pub(crate) fresh: bool,
    /// A random id of this login session cookie, new at every login (so a cookie from before a
    /// login never equals one after it).
    pub(crate) sid: String,
    /// The login's family: a random id made at login and kept by every cookie that follows from
    /// it (re-sealed session cookies, the remember-me cookie, sessions it restores), so that a
    /// logout can revoke them all. Cookies sealed before families existed have none: their
    /// family is their `sid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fam: Option<String>,
    /// The digest of the user's auth hash when they logged in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hsh: Option<AuthDigest>,
}

impl LoginState {
    /// The login's family (see [`fam`](Self::fam)).
    pub(crate) fn family(&self) -> &str {
        self.fam.as_deref().unwrap_or(&self.sid)
    }
}

/// A SHA-256 digest of a user's auth hash (domain-separated), as it is sealed into cookies: the
/// cookies are encrypted, and still do not carry the hash itself.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct AuthDigest(String);

impl AuthDigest {
    /// The digest of `auth_hash`.
    pub(crate) fn of(auth_hash: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"paseto-auth:auth-hash:");
        hasher.update(auth_hash);
        AuthDigest(Base64UrlUnpadded::encode_string(&hasher.finalize()))
    }

    /// Whether a cookie's digest matches the loaded user's (both absent also matches), compared
    /// in constant time.
    pub(crate) fn matches(sealed: Option<&AuthDigest>, current: Option<&AuthDigest>) -> bool {
        match (sealed, current) {
            (None, None) => true,
            (Some(sealed), Some(current)) => {
                bool::from(sealed.0.as_bytes().ct_eq(current.0.as_bytes()))
            }
            _ => false,
        }
    }
}

impl std::fmt::Debug for AuthDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthDigest(..)")
    }
}
