//! PASETO versions and purposes, and the `vN.purpose.` header that names them.

use std::fmt;
use std::str::FromStr;

use crate::untrusted::{truncated, untrusted};

/// A PASETO protocol version this crate implements.
///
/// v4 and v3 are current; v2 is deprecated and must be allowed explicitly by a verifier. v1
/// (feature `v1`, off by default) is deprecated by the PASETO authors and here for migrating
/// from it only: a verifier accepts it only when it is listed explicitly, like v2.
///
/// The enum is `#[non_exhaustive]`: a variant exists only with its feature, and features are
/// unified across a build, so a `match` elsewhere must not rely on the list being closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Version {
    /// `v1` (deprecated; feature `v1`, for migration only): AES-256-CTR + HMAC-SHA384 and
    /// RSASSA-PSS over RSA-2048 with SHA-384.
    #[cfg(feature = "v1")]
    #[cfg_attr(docsrs, doc(cfg(feature = "v1")))]
    V1,
    /// `v2` (deprecated): XChaCha20-Poly1305 and Ed25519.
    V2,
    /// `v3`: AES-256-CTR + HMAC-SHA384 and ECDSA P-384.
    V3,
    /// `v4`: XChaCha20 + BLAKE2b and Ed25519.
    V4,
}

impl Version {
    /// Every version this crate supports out of the box, newest first.
    ///
    /// `Version::V1` is never among them, even with the `v1` feature: it is for migration
    /// only, and a dependency turning the feature on must not widen what `ALL` means elsewhere.
    pub const ALL: [Version; 3] = [Version::V4, Version::V3, Version::V2];

    /// The token prefix, e.g. `"v4"`.
    pub fn as_str(self) -> &'static str {
        match self {
            #[cfg(feature = "v1")]
            Version::V1 => "v1",
            Version::V2 => "v2",
            Version::V3 => "v3",
            Version::V4 => "v4",
        }
    }

    /// The PASERK prefix, e.g. `"k4"`.
    pub fn paserk_prefix(self) -> &'static str {
        match self {
            #[cfg(feature = "v1")]
            Version::V1 => "k1",
            Version::V2 => "k2",
            Version::V3 => "k3",
            Version::V4 => "k4",
        }
    }

    /// Parses a PASERK prefix (`"k2"`, `"k3"`, `"k4"`; `"k1"` with the `v1` feature).
    pub fn from_paserk_prefix(prefix: &str) -> Option<Version> {
        match prefix {
            #[cfg(feature = "v1")]
            "k1" => Some(Version::V1),
            "k2" => Some(Version::V2),
            "k3" => Some(Version::V3),
            "k4" => Some(Version::V4),
            _ => None,
        }
    }

    /// Whether tokens of this version bind an implicit assertion (v3, v4). v1 and v2 have none,
    /// so a non-empty one is refused with them rather than silently ignored.
    pub fn has_implicit_assertion(self) -> bool {
        match self {
            #[cfg(feature = "v1")]
            Version::V1 => false,
            Version::V2 => false,
            Version::V3 | Version::V4 => true,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Version {
    type Err = HeaderParseError;

    /// Accepts `v2`, `v3`, `v4` (and the bare digits `2`, `3`, `4` used by Flask configs); with
    /// the `v1` feature also `v1` (`1`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            #[cfg(feature = "v1")]
            "v1" | "1" => Ok(Version::V1),
            "v2" | "2" => Ok(Version::V2),
            "v3" | "3" => Ok(Version::V3),
            "v4" | "4" => Ok(Version::V4),
            other => Err(HeaderParseError::UnsupportedVersion(truncated(other))),
        }
    }
}

/// What a token is for: `local` tokens are encrypted with a shared key, `public` ones are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    /// Symmetric authenticated encryption.
    Local,
    /// Asymmetric signature.
    Public,
}

impl Purpose {
    /// The header segment, `"local"` or `"public"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Local => "local",
            Purpose::Public => "public",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = HeaderParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "local" => Ok(Purpose::Local),
            "public" => Ok(Purpose::Public),
            other => Err(HeaderParseError::Malformed(format!(
                "unknown purpose \"{}\"",
                untrusted(other)
            ))),
        }
    }
}

/// The version and purpose of a token: its `vN.purpose.` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// The protocol version.
    pub version: Version,
    /// The purpose.
    pub purpose: Purpose,
}

impl Header {
    /// Builds a header.
    pub const fn new(version: Version, purpose: Purpose) -> Self {
        Header { version, purpose }
    }

    /// The header as it starts a token, e.g. `"v4.public."`.
    pub fn prefix(self) -> &'static str {
        match (self.version, self.purpose) {
            #[cfg(feature = "v1")]
            (Version::V1, Purpose::Local) => "v1.local.",
            #[cfg(feature = "v1")]
            (Version::V1, Purpose::Public) => "v1.public.",
            (Version::V2, Purpose::Local) => "v2.local.",
            (Version::V2, Purpose::Public) => "v2.public.",
            (Version::V3, Purpose::Local) => "v3.local.",
            (Version::V3, Purpose::Public) => "v3.public.",
            (Version::V4, Purpose::Local) => "v4.local.",
            (Version::V4, Purpose::Public) => "v4.public.",
        }
    }
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.version, self.purpose)
    }
}

impl FromStr for Header {
    type Err = HeaderParseError;

    /// Parses `"v4.public"` (also accepts a trailing dot).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.strip_suffix('.').unwrap_or(s);
        let (version, purpose) = s
            .split_once('.')
            .ok_or_else(|| HeaderParseError::Malformed("expected VERSION.PURPOSE".into()))?;
        Ok(Header::new(version.parse()?, purpose.parse()?))
    }
}

/// Why a [`Version`], [`Purpose`] or [`Header`] did not parse. The text is escaped and cut; as
/// an [`Error`](crate::Error) it is the token error of the same name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderParseError {
    /// Not a version this crate implements (`v5`, or `v1` without its feature).
    #[error("unsupported PASETO version {0:?}")]
    UnsupportedVersion(String),
    /// Not `local` or `public`, or not `VERSION.PURPOSE`.
    #[error("malformed token: {0}")]
    Malformed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_through_text() {
        for version in Version::ALL {
            for purpose in [Purpose::Local, Purpose::Public] {
                let header = Header::new(version, purpose);
                assert_eq!(header.prefix().parse::<Header>().unwrap(), header);
                assert_eq!(header.to_string().parse::<Header>().unwrap(), header);
            }
        }
    }

    #[cfg(feature = "v1")]
    #[test]
    fn v1_round_trips_through_text_with_its_feature() {
        for purpose in [Purpose::Local, Purpose::Public] {
            let header = Header::new(Version::V1, purpose);
            assert_eq!(header.prefix().parse::<Header>().unwrap(), header);
            assert_eq!(header.to_string().parse::<Header>().unwrap(), header);
        }
        assert_eq!("1".parse::<Version>().unwrap(), Version::V1);
        assert_eq!(Version::from_paserk_prefix("k1"), Some(Version::V1));
        assert!(!Version::V1.has_implicit_assertion());
        assert!(!Version::ALL.contains(&Version::V1));
    }

    #[test]
    fn unknown_versions_are_typed_errors() {
        #[cfg(not(feature = "v1"))]
        assert!(
            matches!("v1".parse::<Version>(), Err(HeaderParseError::UnsupportedVersion(v)) if v == "v1")
        );
        #[cfg(not(feature = "v1"))]
        assert_eq!(Version::from_paserk_prefix("k1"), None);
        assert!(
            matches!("v5".parse::<Version>(), Err(HeaderParseError::UnsupportedVersion(v)) if v == "v5")
        );
        assert!(matches!(
            "v4.secret".parse::<Header>(),
            Err(HeaderParseError::Malformed(_))
        ));
    }

    #[test]
    fn parse_errors_are_the_token_errors_of_the_same_name() {
        use crate::{Error, ErrorKind, TokenError};
        let version = Error::from("v5".parse::<Version>().unwrap_err());
        assert_eq!(version.kind(), ErrorKind::UNSUPPORTED_VERSION);
        assert_eq!(version.to_string(), "unsupported PASETO version \"v5\"");
        let purpose = Error::from("v4.secret".parse::<Header>().unwrap_err());
        assert!(matches!(purpose, Error::Token(TokenError::Malformed(_))));
        assert_eq!(
            purpose.to_string(),
            "malformed token: unknown purpose \"secret\""
        );
        let header = Error::from("v4".parse::<Header>().unwrap_err());
        assert_eq!(
            header.to_string(),
            "malformed token: expected VERSION.PURPOSE"
        );
        // Shown alone, a parse error reads as it does inside an `Error`.
        assert_eq!(
            "v5".parse::<Version>().unwrap_err().to_string(),
            version.to_string()
        );
    }
}
