//! The crate's error: one [`Error`] whose variants are domains ([`TokenError`], [`ClaimError`],
//! [`KeyError`], [`CsrfError`], the store's and the key set's errors, settings, set-up and
//! cryptography), each small enough to match on, and [`ErrorKind`], the stable name of every
//! failure. Errors never carry key material, and text from outside is escaped and cut.

pub(crate) mod cause;
mod claims;
mod csrf;
mod key;
mod kind;
mod token;

pub(crate) use crate::untrusted::{truncated, untrusted};
pub use cause::Cause;
pub use claims::ClaimError;
pub use csrf::CsrfError;
pub use key::KeyError;
pub use kind::ErrorKind;
pub use token::TokenError;

use crate::HeaderParseError;
use crate::keyset::error::KeySetError;
use crate::store::error::{RevokedBy, StoreError};

/// Everything that can go wrong: parsing keys and config, issuing, and verifying tokens.
///
/// Every failure is a value of this type; nothing in the crate panics on bad input. Match on a
/// domain (`Error::Claims(ClaimError::Expired)`), or on [`Error::kind`], a small `Copy` value
/// whose [`ErrorKind::as_str`] is a stable name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token itself is refused: size, format, version, purpose, footer, key choice,
    /// signature, payload.
    #[error(transparent)]
    Token(TokenError),
    /// The token is authentic and its claims are refused: times, issuer binding, requirements,
    /// freshness, claims type.
    #[error(transparent)]
    Claims(ClaimError),
    /// Key material is refused: it does not parse, does not unwrap, or costs too much to unwrap.
    #[error(transparent)]
    Key(KeyError),
    /// An unsafe request with credentials in a cookie is refused for its provenance.
    #[error(transparent)]
    Csrf(CsrfError),
    /// The token is authentic and valid, and revoked (see [`crate::store`]).
    #[error("token is revoked (by {0})")]
    Revoked(RevokedBy),
    /// A refresh token was presented after it had been used: its family is now revoked (see
    /// [`crate::refresh`]).
    #[error("refresh token was used before; its family is revoked")]
    RefreshTokenReused,
    /// The token store could not say whether the token is revoked, and revocation checks fail
    /// closed (HTTP 503).
    #[error("{0}")]
    StoreUnavailable(#[source] StoreError),
    /// A key-set document could not be fetched, read or changed (see [`crate::keyset`]).
    #[error("key set: {0}")]
    KeySet(#[source] KeySetError),
    /// A configuration setting is missing or wrong; `setting` names it (e.g. `PASETO_PRIVATE_KEYS`).
    /// The message ends with where to read about it: the setting's row of the reference page
    /// (`…/paseto_auth/reference/index.html#paseto_private_keys`), or, for a file of settings or
    /// a builder's option, the page's rules for reading settings.
    #[error("invalid setting {setting}: {message}; see {}", reference_url(setting))]
    Config {
        /// The setting's name, as in the environment.
        setting: String,
        /// What is wrong.
        message: String,
    },
    /// An issuer or verifier being built is incomplete or contradicts itself: no key, an empty
    /// issuer name, a key of a version the verifier does not allow. (Read from settings, the same
    /// mistakes are [`Error::Config`] errors naming the setting.)
    #[error("{0}")]
    Setup(String),
    /// Signing, encryption or randomness failed inside the cryptographic library (its error,
    /// when it gave one, is the [`Cause`]).
    #[error("cryptographic operation failed: {0}")]
    Crypto(#[source] Cause),
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Token(err) => err.kind(),
            Error::Claims(err) => err.kind(),
            Error::Key(err) => err.kind(),
            Error::Csrf(err) => err.kind(),
            Error::Revoked(_) => ErrorKind::REVOKED,
            Error::RefreshTokenReused => ErrorKind::REFRESH_TOKEN_REUSED,
            Error::StoreUnavailable(_) => ErrorKind::STORE_UNAVAILABLE,
            Error::KeySet(_) => ErrorKind::KEY_SET,
            Error::Config { .. } => ErrorKind::CONFIG,
            Error::Setup(_) => ErrorKind::SETUP,
            Error::Crypto(_) => ErrorKind::CRYPTO,
        }
    }

    /// Builds a [`Error::Config`] naming `setting`.
    pub fn config(setting: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Error::Config {
            setting: setting.into(),
            message: message.to_string(),
        }
    }
}

impl From<TokenError> for Error {
    fn from(err: TokenError) -> Self {
        Error::Token(err)
    }
}

impl From<ClaimError> for Error {
    fn from(err: ClaimError) -> Self {
        Error::Claims(err)
    }
}

impl From<KeyError> for Error {
    fn from(err: KeyError) -> Self {
        Error::Key(err)
    }
}

impl From<CsrfError> for Error {
    fn from(err: CsrfError) -> Self {
        Error::Csrf(err)
    }
}

/// A version, purpose or header that does not parse is a malformed token's.
impl From<HeaderParseError> for Error {
    fn from(err: HeaderParseError) -> Self {
        Error::Token(match err {
            HeaderParseError::UnsupportedVersion(version) => {
                TokenError::UnsupportedVersion(version)
            }
            HeaderParseError::Malformed(message) => TokenError::Malformed(message),
        })
    }
}

/// The reference page of the settings, as docs.rs publishes it (`paseto_auth::reference`: the
/// page is paseto-auth's, whose users read the settings there; the core has no page of its own).
const REFERENCE_PAGE: &str = "https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html";

/// The anchor of the reference page's rules for reading settings (sources, formats, unknown
/// names), for an error about a file of settings or a builder's option rather than one setting.
const SETTINGS_RULES_ANCHOR: &str = "how-settings-are-read";

/// Where `setting` is documented: its row of the reference page, whose anchor is the name in
/// lower case (`PASETO_EXP`: `#paseto_exp`, the id rustdoc would give a heading of that name);
/// anything that is not a setting name (a file, `config`, a builder's option such as
/// `remember_cookie`) links the rules for reading settings. `tests/docs.rs` checks that every
/// setting the code reads has its anchor on the page.
fn reference_url(setting: &str) -> String {
    let is_name = !setting.is_empty()
        && setting
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    let anchor = if is_name {
        setting.to_ascii_lowercase()
    } else {
        SETTINGS_RULES_ANCHOR.to_owned()
    };
    format!("{REFERENCE_PAGE}#{anchor}")
}

/// Short for `Result<T, paseto_auth_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::time::Duration;

    use super::*;
    use crate::{Header, Purpose, Version};

    #[test]
    fn each_domain_gives_its_kind_through_error() {
        let cases: [(Error, ErrorKind); 11] = [
            (
                TokenError::InvalidSignature.into(),
                ErrorKind::INVALID_SIGNATURE,
            ),
            (ClaimError::Expired.into(), ErrorKind::EXPIRED),
            (
                KeyError::UnwrapFailed("a wrong key").into(),
                ErrorKind::UNWRAP_FAILED,
            ),
            (
                CsrfError::CrossSiteRequest.into(),
                ErrorKind::CROSS_SITE_REQUEST,
            ),
            (Error::Revoked(RevokedBy::Family), ErrorKind::REVOKED),
            (Error::RefreshTokenReused, ErrorKind::REFRESH_TOKEN_REUSED),
            (
                Error::StoreUnavailable(StoreError::Full(3)),
                ErrorKind::STORE_UNAVAILABLE,
            ),
            (Error::KeySet(KeySetError::Status(500)), ErrorKind::KEY_SET),
            (
                Error::config("PASETO_EXP", "not a number"),
                ErrorKind::CONFIG,
            ),
            (Error::Setup("no key".into()), ErrorKind::SETUP),
            (
                Error::Crypto(Cause::msg("no randomness")),
                ErrorKind::CRYPTO,
            ),
        ];
        for (err, kind) in cases {
            assert_eq!(err.kind(), kind, "{err}");
        }
    }

    #[test]
    fn messages_name_the_failure_not_its_domain() {
        let header = Header::new(Version::V4, Purpose::Public);
        let cases: [(Error, &str); 12] = [
            (
                TokenError::TokenTooLarge {
                    len: 9000,
                    limit: 8192,
                }
                .into(),
                "token is 9000 bytes, over the 8192-byte limit",
            ),
            (
                TokenError::NoKey(header).into(),
                "no v4.public key is configured",
            ),
            (
                TokenError::VersionNotAllowed(Version::V2).into(),
                "v2 tokens are not allowed here",
            ),
            (ClaimError::Expired.into(), "token has expired"),
            (
                ClaimError::IssuerMismatch {
                    expected: "https://a.example".into(),
                    found: None,
                }
                .into(),
                "token claims issuer None, but its key belongs to \"https://a.example\"",
            ),
            (
                ClaimError::MissingClaim("roles".into()).into(),
                "missing required claim \"roles\"",
            ),
            (
                KeyError::InvalidKey("bad base64".into()).into(),
                "invalid key: bad base64",
            ),
            (
                CsrfError::CsrfTokenInvalid("no CSRF value was sent").into(),
                "CSRF check failed: no CSRF value was sent",
            ),
            (
                Error::Revoked(RevokedBy::TokenId),
                "token is revoked (by token_id)",
            ),
            (
                Error::StoreUnavailable(StoreError::Timeout(Duration::from_millis(5))),
                "the token store did not answer within 5ms",
            ),
            (
                Error::KeySet(KeySetError::Status(404)),
                "key set: the server answered HTTP 404",
            ),
            (
                Error::config("PASETO_EXP", "not a number"),
                "invalid setting PASETO_EXP: not a number; see \
                 https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#paseto_exp",
            ),
        ];
        for (err, message) in cases {
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn a_config_error_ends_with_the_reference_row_of_its_setting() {
        let page = "https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html";
        let cases = [
            ("REMEMBER_COOKIE_SAMESITE", "#remember_cookie_samesite"),
            ("PASETO_STORE_TIMEOUT_MS", "#paseto_store_timeout_ms"),
            // Not a setting: a file of settings, the name of JSON text, a builder's option.
            ("/etc/app/settings.json", "#how-settings-are-read"),
            ("config", "#how-settings-are-read"),
            ("remember_cookie", "#how-settings-are-read"),
            ("", "#how-settings-are-read"),
        ];
        for (setting, anchor) in cases {
            let message = Error::config(setting, "is wrong").to_string();
            assert_eq!(
                message,
                format!("invalid setting {setting}: is wrong; see {page}{anchor}")
            );
        }
        // The message (the field) is the problem alone: the link is the error's display.
        let Error::Config { message, .. } = Error::config("PASETO_EXP", "not a number") else {
            unreachable!()
        };
        assert_eq!(message, "not a number");
    }

    #[test]
    fn a_domain_adds_no_link_to_the_chain_of_sources() {
        // The domain wrapper is transparent: the source of a claims-type error is its cause, as
        // it was when the variant was `Error`'s own.
        let err = Error::from(ClaimError::ClaimsType(Cause::msg("missing field `user`")));
        let source = err.source().map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("missing field `user`"));
        assert!(Error::from(TokenError::InvalidSignature).source().is_none());
        // Store and key-set errors are sources of their own, as before.
        let store = Error::StoreUnavailable(StoreError::Full(1));
        assert!(store.source().is_some_and(|s| s.is::<StoreError>()));
    }
}
