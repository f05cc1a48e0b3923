//! The two kinds of API token, kept apart: access tokens, which guards accept, and refresh tokens,
//! which only a refresh accepts. A refresh token is sealed with its own implicit assertion
//! (v3/v4: an access token's signature does not verify as a refresh token's, nor the reverse)
//! and carries `"pur": "refresh"`, which every access-token verifier refuses (v2, which has no
//! implicit assertion, is kept apart by that claim alone; v3/v4 by both).

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::claims::PURPOSE_CLAIM;
use crate::error::{ClaimError, Error, Result};
use crate::version::Version;

/// The `pur` of refresh tokens.
pub(crate) const REFRESH_PURPOSE: &str = "refresh";

/// What a refresh token's implicit assertion starts with, before the issuer's own. The NUL ends
/// it, so no assertion an application chooses for its access tokens can be read as one.
const REFRESH_ASSERTION: &[u8] = b"paseto-auth:refresh\0";

/// Which kind of token is issued or verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TokenKind {
    /// A token a guard accepts: no `pur`, the application's implicit assertion.
    #[default]
    Access,
    /// A refresh token: `"pur": "refresh"`, its own implicit assertion.
    Refresh,
}

impl TokenKind {
    /// The implicit assertion a token of this kind and `version` is sealed with, given the
    /// application's (v1 and v2 have none: there the `pur` claim alone tells the kinds apart).
    #[doc(hidden)]
    pub fn implicit_assertion(self, version: Version, application: &[u8]) -> Cow<'_, [u8]> {
        match (self, version) {
            (TokenKind::Refresh, version) if version.has_implicit_assertion() => {
                Cow::Owned([REFRESH_ASSERTION, application].concat())
            }
            (TokenKind::Access | TokenKind::Refresh, _) => Cow::Borrowed(application),
        }
    }

    /// The `pur` the issuer writes.
    #[doc(hidden)]
    pub fn purpose(self) -> Option<&'static str> {
        match self {
            TokenKind::Access => None,
            TokenKind::Refresh => Some(REFRESH_PURPOSE),
        }
    }

    /// Refuses a verified payload whose `pur` is not this kind's: any `pur` in an access token (a
    /// refresh token, or a cookie sealed with a key that is also an API key), anything but
    /// `"refresh"` in a refresh token.
    #[doc(hidden)]
    pub fn check_purpose(self, claims: &Map<String, Value>) -> Result<()> {
        let found = claims.get(PURPOSE_CLAIM);
        let reason = match (self, found) {
            (TokenKind::Access, None) => return Ok(()),
            (TokenKind::Refresh, Some(Value::String(pur))) if pur == REFRESH_PURPOSE => {
                return Ok(());
            }
            (TokenKind::Access, Some(Value::String(pur))) if pur == REFRESH_PURPOSE => {
                "a refresh token is not an access token"
            }
            (TokenKind::Access, Some(_)) => "a paseto-auth cookie token is not an access token",
            (TokenKind::Refresh, _) => "not a refresh token",
        };
        Err(Error::Claims(ClaimError::InvalidClaim {
            claim: PURPOSE_CLAIM.into(),
            reason: reason.into(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!(),
        }
    }

    #[test]
    fn each_kind_accepts_only_its_own_purpose() {
        let none = claims(json!({}));
        let refresh = claims(json!({"pur": "refresh"}));
        let cookie = claims(json!({"pur": "login"}));
        let odd = claims(json!({"pur": ["refresh"]}));
        assert!(TokenKind::Access.check_purpose(&none).is_ok());
        assert!(TokenKind::Refresh.check_purpose(&refresh).is_ok());
        for (kind, payload) in [
            (TokenKind::Access, &refresh),
            (TokenKind::Access, &cookie),
            (TokenKind::Access, &odd),
            (TokenKind::Refresh, &none),
            (TokenKind::Refresh, &cookie),
            (TokenKind::Refresh, &odd),
        ] {
            let err = kind.check_purpose(payload).unwrap_err();
            assert_eq!(
                err.kind(),
                crate::ErrorKind::INVALID_CLAIM,
                "{kind:?} {payload:?}"
            );
        }
    }

    #[test]
    fn the_refresh_assertion_extends_the_applications_unambiguously() {
        for version in [Version::V3, Version::V4] {
            assert_eq!(
                &*TokenKind::Access.implicit_assertion(version, b"app"),
                b"app"
            );
            let refresh = TokenKind::Refresh.implicit_assertion(version, b"app");
            assert_eq!(&*refresh, b"paseto-auth:refresh\0app");
            assert_ne!(&*TokenKind::Refresh.implicit_assertion(version, b""), b"");
        }
        // v2 has no implicit assertion to bind with.
        assert_eq!(
            &*TokenKind::Refresh.implicit_assertion(Version::V2, b""),
            b""
        );
    }
}
