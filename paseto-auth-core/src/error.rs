//! The one error type of the crate, and its kind for matching and for HTTP mapping.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::version::{Header, Purpose, Version};

/// Everything that can go wrong: parsing keys and config, issuing, and verifying tokens.
///
/// Every failure is a value of this type; nothing in the crate panics on bad input.
/// [`Error::kind`] gives a small `Copy` enum to match on, and [`ErrorKind::as_str`] a stable name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The token is longer than the verifier's size limit; nothing else was looked at.
    #[error("token is {len} bytes, over the {limit}-byte limit")]
    TokenTooLarge {
        /// Length of the presented token.
        len: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The token is not `version.purpose.payload[.footer]` in base64url.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// The version is not one this crate implements (v1, v5, garbage).
    #[error("unsupported PASETO version {0:?}")]
    UnsupportedVersion(String),
    /// The version is implemented but not in this verifier's allow-list.
    #[error("{0} tokens are not allowed here")]
    VersionNotAllowed(Version),
    /// The purpose is not the one this verifier (or route) accepts (checked before any
    /// cryptography, so `invalid_token`, not `insufficient_scope`).
    #[error("{0} tokens are not accepted here")]
    PurposeNotAllowed(Purpose),
    /// The footer is over a limit (length, depth, key count) or its `kid` is malformed.
    #[error("invalid footer: {0}")]
    InvalidFooter(String),
    /// The footer names a key id the key ring does not hold.
    #[error("no key with id \"{0}\"")]
    UnknownKeyId(String),
    /// The key the footer names is not in force now: before its not-before or after its
    /// not-after (keys of a published key set, see [`crate::keyset`]).
    #[error("key \"{0}\" is not in force now (outside its not-before/not-after)")]
    KeyOutsideValidity(String),
    /// No key of the token's version and purpose is configured; or, for a `public` token that
    /// names no key (see [`VerifierBuilder::max_key_trials`](crate::VerifierBuilder::max_key_trials)),
    /// none bound to the issuer it claims, nor to no issuer.
    #[error("no {0} key is configured")]
    NoKey(Header),
    /// The token's footer names no key (no PASERK `kid`), and the verifier holds more keys of its
    /// version and purpose (for a `public` token: bound to the issuer it claims, or to none) than
    /// it tries without one (see
    /// [`VerifierBuilder::max_key_trials`](crate::VerifierBuilder::max_key_trials)).
    #[error("the token names no key (footer kid) and {0} keys could verify it: a kid is required")]
    KeyIdRequired(usize),
    /// The signature or authentication tag does not verify under any candidate key.
    #[error("signature or authentication tag is invalid")]
    InvalidSignature,
    /// The decrypted or signed payload is not a JSON object.
    #[error("payload is not a JSON object: {0}")]
    InvalidPayload(String),
    /// The payload holds the same key twice (a parser-differential attack).
    #[error("duplicate claim {0:?}")]
    DuplicateClaim(String),
    /// `exp` is in the past (beyond the leeway).
    #[error("token has expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("token is not valid yet")]
    NotYetValid,
    /// `iat` is in the future (beyond the leeway).
    #[error("token was issued in the future")]
    IssuedInFuture,
    /// The token has no `exp` and the verifier does not allow non-expiring tokens.
    #[error("token has no exp claim")]
    MissingExpiration,
    /// A registered claim has the wrong type (a time that is not RFC 3339, an `iss` that is not a string).
    #[error("claim {claim:?} is invalid: {reason}")]
    InvalidClaim {
        /// The claim's name.
        claim: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The key that verified the token is bound to another issuer than the token claims.
    #[error("token claims issuer {found:?}, but its key belongs to {expected:?}")]
    IssuerMismatch {
        /// The issuer the key is bound to.
        expected: String,
        /// The issuer in the token, if any.
        found: Option<String>,
    },
    /// A requirement on `iss` failed.
    #[error("issuer {0:?} is not accepted")]
    IssuerNotAccepted(Option<String>),
    /// A requirement on `aud` failed.
    #[error("audience is not accepted")]
    AudienceNotAccepted,
    /// A requirement on `sub` failed.
    #[error("subject is not accepted")]
    SubjectNotAccepted,
    /// A requirement on `jti` failed.
    #[error("token id is not accepted")]
    TokenIdNotAccepted,
    /// A claim the route or verifier requires is absent.
    #[error("missing required claim {0:?}")]
    MissingClaim(String),
    /// The token's `scope` claim (space-separated, OAuth style) lacks a scope the route requires
    /// (named here: the route's setting, not the token's text).
    #[error("scope {0:?} is not granted")]
    ScopeNotGranted(String),
    /// A claim does not have the value the route requires (`claim(role = "admin")`); the claim
    /// is named, its value is not shown.
    #[error("claim {0:?} does not have the required value")]
    ClaimNotAccepted(String),
    /// The route's own check (`#[paseto_required(check = ..)]`) refused the token's claims.
    #[error("the route's check refused the token")]
    CheckFailed,
    /// An unsafe request with credentials in a cookie did not send back the right CSRF value
    /// (see `paseto_auth::csrf`; HTTP 403).
    #[error("CSRF check failed: {0}")]
    CsrfTokenInvalid(&'static str),
    /// An unsafe request with credentials in a cookie came from another site, as the browser
    /// says (`Sec-Fetch-Site`, `Origin`; HTTP 403).
    #[error("cross-site request refused")]
    CrossSiteRequest,
    /// The payload is valid but does not deserialize into the claims type (the deserializer's
    /// error is the [`Cause`]).
    #[error("claims do not match the expected type: {0}")]
    ClaimsType(#[source] Cause),
    /// Key material could not be parsed or has the wrong version or purpose.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// A configuration setting is missing or wrong; `setting` names it (e.g. `PASETO_PRIVATE_KEYS`).
    #[error("invalid setting {setting}: {message}")]
    Config {
        /// The setting's name, as in the environment.
        setting: String,
        /// What is wrong.
        message: String,
    },
    /// The token is authentic and valid, and revoked (see [`crate::store`]).
    #[error("token is revoked (by {0})")]
    Revoked(RevokedBy),
    /// A refresh token was presented after it had been used: its family is now revoked (see
    /// [`crate::refresh`]).
    #[error("refresh token was used before; its family is revoked")]
    RefreshTokenReused,
    /// The route needs a fresh token (`#[paseto_required(fresh)]`): one issued from credentials
    /// just given, not from a refresh (HTTP 401 `insufficient_user_authentication`, RFC 9470).
    #[error("token is not fresh")]
    NotFresh,
    /// The token store could not say whether the token is revoked, and revocation checks fail
    /// closed (HTTP 503).
    #[error("{0}")]
    StoreUnavailable(#[source] StoreError),
    /// Signing, encryption or randomness failed inside the cryptographic library (its error,
    /// when it gave one, is the [`Cause`]).
    #[error("cryptographic operation failed: {0}")]
    Crypto(#[source] Cause),
    /// An issuer or verifier being built is incomplete or contradicts itself: no key, an empty
    /// issuer name, a key of a version the verifier does not allow. (Read from settings, the same
    /// mistakes are [`Error::Config`] errors naming the setting.)
    #[error("{0}")]
    Setup(String),
    /// A protected PASERK (`local-wrap.pie`, `secret-wrap.pie`, `local-pw`, `secret-pw`, `seal`)
    /// did not open: its authentication tag does not verify under the wrapping key, password or
    /// secret key given. The PASERK was protected with another one, or it was altered; the two
    /// cannot be told apart (see [`crate::key::protected`]).
    #[error("the key cannot be unwrapped: {0}, or the PASERK was altered")]
    UnwrapFailed(&'static str),
    /// A password-protected PASERK asks for more work than the limits allow (checked before any
    /// is done), or a wrap was asked for costs the algorithm refuses (see
    /// [`crate::key::protected::PwLimits`]).
    #[error("password hashing cost refused: {0}")]
    PasswordCost(String),
    /// A key-set document could not be fetched, read or changed (see [`crate::keyset`]).
    #[error("key set: {0}")]
    KeySet(#[source] KeySetError),
}

/// The kind of an [`Error`], for matching without the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // each variant mirrors the Error variant of the same name
pub enum ErrorKind {
    TokenTooLarge,
    Malformed,
    UnsupportedVersion,
    VersionNotAllowed,
    PurposeNotAllowed,
    InvalidFooter,
    UnknownKeyId,
    KeyOutsideValidity,
    NoKey,
    KeyIdRequired,
    InvalidSignature,
    InvalidPayload,
    DuplicateClaim,
    Expired,
    NotYetValid,
    IssuedInFuture,
    MissingExpiration,
    InvalidClaim,
    IssuerMismatch,
    IssuerNotAccepted,
    AudienceNotAccepted,
    SubjectNotAccepted,
    TokenIdNotAccepted,
    MissingClaim,
    ScopeNotGranted,
    ClaimNotAccepted,
    CheckFailed,
    CsrfTokenInvalid,
    CrossSiteRequest,
    ClaimsType,
    InvalidKey,
    Config,
    Crypto,
    Setup,
    Revoked,
    RefreshTokenReused,
    NotFresh,
    StoreUnavailable,
    UnwrapFailed,
    PasswordCost,
    KeySet,
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        use ErrorKind as K;
        match self {
            Error::TokenTooLarge { .. } => K::TokenTooLarge,
            Error::Malformed(_) => K::Malformed,
            Error::UnsupportedVersion(_) => K::UnsupportedVersion,
            Error::VersionNotAllowed(_) => K::VersionNotAllowed,
            Error::PurposeNotAllowed(_) => K::PurposeNotAllowed,
            Error::InvalidFooter(_) => K::InvalidFooter,
            Error::UnknownKeyId(_) => K::UnknownKeyId,
            Error::KeyOutsideValidity(_) => K::KeyOutsideValidity,
            Error::NoKey(_) => K::NoKey,
            Error::KeyIdRequired(_) => K::KeyIdRequired,
            Error::InvalidSignature => K::InvalidSignature,
            Error::InvalidPayload(_) => K::InvalidPayload,
            Error::DuplicateClaim(_) => K::DuplicateClaim,
            Error::Expired => K::Expired,
            Error::NotYetValid => K::NotYetValid,
            Error::IssuedInFuture => K::IssuedInFuture,
            Error::MissingExpiration => K::MissingExpiration,
            Error::InvalidClaim { .. } => K::InvalidClaim,
            Error::IssuerMismatch { .. } => K::IssuerMismatch,
            Error::IssuerNotAccepted(_) => K::IssuerNotAccepted,
            Error::AudienceNotAccepted => K::AudienceNotAccepted,
            Error::SubjectNotAccepted => K::SubjectNotAccepted,
            Error::TokenIdNotAccepted => K::TokenIdNotAccepted,
            Error::MissingClaim(_) => K::MissingClaim,
            Error::ScopeNotGranted(_) => K::ScopeNotGranted,
            Error::ClaimNotAccepted(_) => K::ClaimNotAccepted,
            Error::CheckFailed => K::CheckFailed,
            Error::CsrfTokenInvalid(_) => K::CsrfTokenInvalid,
            Error::CrossSiteRequest => K::CrossSiteRequest,
            Error::ClaimsType(_) => K::ClaimsType,
            Error::InvalidKey(_) => K::InvalidKey,
            Error::Config { .. } => K::Config,
            Error::Crypto(_) => K::Crypto,
            Error::Setup(_) => K::Setup,
            Error::Revoked(_) => K::Revoked,
            Error::RefreshTokenReused => K::RefreshTokenReused,
            Error::NotFresh => K::NotFresh,
            Error::StoreUnavailable(_) => K::StoreUnavailable,
            Error::UnwrapFailed(_) => K::UnwrapFailed,
            Error::PasswordCost(_) => K::PasswordCost,
            Error::KeySet(_) => K::KeySet,
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

impl ErrorKind {
    /// A stable snake_case name, e.g. `"expired"`, used by the CLI and in logs.
    pub fn as_str(self) -> &'static str {
        use ErrorKind as K;
        match self {
            K::TokenTooLarge => "token_too_large",
            K::Malformed => "malformed",
            K::UnsupportedVersion => "unsupported_version",
            K::VersionNotAllowed => "version_not_allowed",
            K::PurposeNotAllowed => "purpose_not_allowed",
            K::InvalidFooter => "invalid_footer",
            K::UnknownKeyId => "unknown_key_id",
            K::KeyOutsideValidity => "key_outside_validity",
            K::NoKey => "no_key",
            K::KeyIdRequired => "key_id_required",
            K::InvalidSignature => "invalid_signature",
            K::InvalidPayload => "invalid_payload",
            K::DuplicateClaim => "duplicate_claim",
            K::Expired => "expired",
            K::NotYetValid => "not_yet_valid",
            K::IssuedInFuture => "issued_in_future",
            K::MissingExpiration => "missing_expiration",
            K::InvalidClaim => "invalid_claim",
            K::IssuerMismatch => "issuer_mismatch",
            K::IssuerNotAccepted => "issuer_not_accepted",
            K::AudienceNotAccepted => "audience_not_accepted",
            K::SubjectNotAccepted => "subject_not_accepted",
            K::TokenIdNotAccepted => "token_id_not_accepted",
            K::MissingClaim => "missing_claim",
            K::ScopeNotGranted => "scope_not_granted",
            K::ClaimNotAccepted => "claim_not_accepted",
            K::CheckFailed => "check_failed",
            K::CsrfTokenInvalid => "csrf_token_invalid",
            K::CrossSiteRequest => "cross_site_request",
            K::ClaimsType => "claims_type",
            K::InvalidKey => "invalid_key",
            K::Config => "config",
            K::Crypto => "crypto",
            K::Setup => "setup",
            K::Revoked => "revoked",
            K::RefreshTokenReused => "refresh_token_reused",
            K::NotFresh => "not_fresh",
            K::StoreUnavailable => "store_unavailable",
            K::UnwrapFailed => "unwrap_failed",
            K::PasswordCost => "password_cost",
            K::KeySet => "key_set",
        }
    }

    /// True for a refused CSRF check (HTTP 403 with the kind as its error code, no challenge:
    /// the credentials are fine, the request's provenance is not).
    pub fn is_csrf(self) -> bool {
        matches!(
            self,
            ErrorKind::CsrfTokenInvalid | ErrorKind::CrossSiteRequest
        )
    }

    /// True when the token is authentic but does not meet a requirement (RFC 6750
    /// `insufficient_scope`, HTTP 403) rather than being invalid (`invalid_token`, HTTP 401).
    ///
    /// Only checks made after the signature or tag verified are here: a token of a version or
    /// purpose the route does not take is refused before any cryptography, so nothing shows it
    /// is authentic, and it is `invalid_token`.
    pub fn is_insufficient_scope(self) -> bool {
        use ErrorKind as K;
        matches!(
            self,
            K::IssuerNotAccepted
                | K::AudienceNotAccepted
                | K::SubjectNotAccepted
                | K::TokenIdNotAccepted
                | K::MissingClaim
                | K::ScopeNotGranted
                | K::ClaimNotAccepted
                | K::CheckFailed
        )
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many characters of a text from outside (a token, a cookie, a header) an error keeps.
const MAX_UNTRUSTED_CHARS: usize = 80;

/// Text from outside (a token's `kid`, a claim name, a parser's message quoting the input) as an
/// error may carry it: control characters, quotes and backslashes escaped (`{:?}` style, so a
/// `\n` cannot start a forged log line) and cut to [`MAX_UNTRUSTED_CHARS`] characters, with `…`
/// where it was cut. Every error built from outside text goes through here or [`truncated`].
#[doc(hidden)]
pub fn untrusted(text: impl std::fmt::Display) -> String {
    escape(&truncated(&text.to_string()))
}

/// Outside text cut to [`MAX_UNTRUSTED_CHARS`] characters (for fields shown with `{:?}`, which
/// escapes them).
#[doc(hidden)]
pub fn truncated(text: &str) -> String {
    match text.char_indices().nth(MAX_UNTRUSTED_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

fn escape(text: &str) -> String {
    text.chars().flat_map(char::escape_debug).collect()
}

/// Why a token is revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevokedBy {
    /// Its `jti` is revoked.
    TokenId,
    /// Its family is (a logout ends every copy of a login's cookies).
    Family,
    /// Its subject's tokens issued before a time are (and it is one of them).
    Subject,
    /// The key that verified it is.
    Key,
    /// The store lost its revocations (a restart without persistence, a flush, a failover to
    /// an empty replica) after the token was issued: nothing shows it was not revoked before, so
    /// it is refused until it expires (see [`crate::store`], "A store that forgets").
    StoreReset,
}

impl RevokedBy {
    /// `"token_id"`, `"family"`, `"subject"`, `"key"` or `"store_reset"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RevokedBy::TokenId => "token_id",
            RevokedBy::Family => "family",
            RevokedBy::Subject => "subject",
            RevokedBy::Key => "key",
            RevokedBy::StoreReset => "store_reset",
        }
    }
}

impl fmt::Display for RevokedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a store call failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store cannot be reached or answered with an error (its cause is kept).
    #[error("the token store is unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// The store did not answer within [`Revocations::timeout`](crate::store::Revocations::timeout).
    #[error("the token store did not answer within {0:?}")]
    Timeout(Duration),
    /// The store is full of revocations that have not expired yet: a new one would have to
    /// forget one of them, which would un-revoke a token.
    #[error("the token store is full ({0} unexpired revocations)")]
    Full(usize),
}

/// Why a key-set document was refused, or could not be fetched or changed (see
/// [`crate::keyset`]). Text from the document or the server is escaped and cut, and no variant
/// carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeySetError {
    /// The document is longer than the limit (by its `Content-Length`, or as it was read).
    #[error("the document is over the {limit}-byte limit")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server did not send the whole document within the time allowed.
    #[error("the document did not arrive within {0:?}")]
    Timeout(Duration),
    /// The server could not be reached, or the connection failed (the client's message, escaped).
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server answered with another status than 200 (or 304 to a conditional request).
    /// Redirects are not followed.
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// The document is not JSON of the key-set shape (the parser's message, escaped), or too deep.
    #[error("the document is not a key set: {0}")]
    Malformed(String),
    /// The document's `version` is not one this crate reads.
    #[error("unsupported key-set format version {0}")]
    UnsupportedFormat(String),
    /// The document lists more keys than the limit.
    #[error("the document lists {count} keys, over the limit of {limit}")]
    TooManyKeys {
        /// How many it lists.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A key entry is wrong: its `paserk` is not a public key, its `pid` is not that key's, its
    /// times are reversed, its issuer empty (`index` counts from 0).
    #[error("key {index}: {reason}")]
    InvalidKey {
        /// The entry's index.
        index: usize,
        /// What is wrong (never the key text).
        reason: String,
    },
    /// Two entries have the same `pid`.
    #[error("key id {0} is listed twice")]
    DuplicateKey(String),
    /// A key names an issuer this verifier does not trust for the document's URL: the whole
    /// document is refused.
    #[error("key {index} claims issuer \"{issuer}\", which is not trusted for this URL")]
    UntrustedIssuer {
        /// The entry's index.
        index: usize,
        /// The issuer it names (escaped, cut).
        issuer: String,
    },
    /// A key is of a version this verifier does not accept.
    #[error("key {index} is a {version} key, which this verifier does not accept")]
    VersionNotAllowed {
        /// The entry's index.
        index: usize,
        /// Its version.
        version: Version,
    },
    /// The key set has not been fetched successfully for longer than the maximum staleness: its
    /// keys were dropped.
    #[error(
        "the last good key set is older than the maximum staleness ({0:?}); its keys are dropped"
    )]
    Stale(Duration),
    /// A change of the document names a key it does not hold, or a change its status forbids
    /// (activating a retired key, say).
    #[error("{0}")]
    Change(String),
}

/// The error underneath an [`Error`] (a deserializer's, a cryptographic library's): its
/// [`source`](std::error::Error::source), reachable with [`Cause::get_ref`] to downcast it.
///
/// Its `Display` is the error's message escaped and cut like every other outside text (a
/// deserializer's message quotes the claim it refused), and the chain of sources ends here: the
/// raw error stays behind [`get_ref`](Cause::get_ref), so printing an error with its sources never
/// shows attacker text unescaped.
#[derive(Clone)]
pub struct Cause {
    shown: String,
    // Shared, so that one failure can answer every extractor of a request.
    error: Arc<dyn std::error::Error + Send + Sync>,
}

/// A cause that is a message of this crate's, not another library's error.
#[derive(Debug)]
struct Message(String);

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl Cause {
    /// Keeps `error`, shown escaped and truncated.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Cause {
            shown: untrusted(&error),
            error: Arc::new(error),
        }
    }

    /// A cause that is this crate's own message (trusted text, shown as it is).
    pub fn msg(message: impl Into<String>) -> Self {
        let message = message.into();
        Cause {
            shown: message.clone(),
            error: Arc::new(Message(message)),
        }
    }

    /// The error underneath, for downcasting (`cause.get_ref().downcast_ref::<serde_json::Error>()`).
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.error
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Debug for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Cause").field(&self.shown).finish()
    }
}

impl std::error::Error for Cause {}

impl ErrorKind {
    /// True when the answer is 503 (the token could not be checked, not found wanting).
    pub fn is_unavailable(self) -> bool {
        matches!(self, ErrorKind::StoreUnavailable)
    }
}

/// Short for `Result<T, paseto_auth_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
