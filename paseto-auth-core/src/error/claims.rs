//! [`ClaimError`]: an authentic token whose claims are refused.

use super::cause::Cause;
use super::kind::ErrorKind;

/// The token verified, and its claims are refused: its times, its issuer binding, a requirement
/// of the verifier or the route, its freshness, or the claims type. Over HTTP, a failed
/// requirement is 403 `insufficient_scope` ([`ErrorKind::is_insufficient_scope`]), a token that
/// is not fresh 401 `insufficient_user_authentication`, everything else 401 `invalid_token`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimError {
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
    /// The route needs a fresh token (`#[paseto_required(fresh)]`): one issued from credentials
    /// just given, not from a refresh (HTTP 401 `insufficient_user_authentication`, RFC 9470).
    #[error("token is not fresh")]
    NotFresh,
    /// The payload is valid but does not deserialize into the claims type (the deserializer's
    /// error is the [`Cause`]).
    #[error("claims do not match the expected type: {0}")]
    ClaimsType(#[source] Cause),
}

impl ClaimError {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ClaimError::Expired => ErrorKind::EXPIRED,
            ClaimError::NotYetValid => ErrorKind::NOT_YET_VALID,
            ClaimError::IssuedInFuture => ErrorKind::ISSUED_IN_FUTURE,
            ClaimError::MissingExpiration => ErrorKind::MISSING_EXPIRATION,
            ClaimError::InvalidClaim { .. } => ErrorKind::INVALID_CLAIM,
            ClaimError::IssuerMismatch { .. } => ErrorKind::ISSUER_MISMATCH,
            ClaimError::IssuerNotAccepted(_) => ErrorKind::ISSUER_NOT_ACCEPTED,
            ClaimError::AudienceNotAccepted => ErrorKind::AUDIENCE_NOT_ACCEPTED,
            ClaimError::SubjectNotAccepted => ErrorKind::SUBJECT_NOT_ACCEPTED,
            ClaimError::TokenIdNotAccepted => ErrorKind::TOKEN_ID_NOT_ACCEPTED,
            ClaimError::MissingClaim(_) => ErrorKind::MISSING_CLAIM,
            ClaimError::ScopeNotGranted(_) => ErrorKind::SCOPE_NOT_GRANTED,
            ClaimError::ClaimNotAccepted(_) => ErrorKind::CLAIM_NOT_ACCEPTED,
            ClaimError::CheckFailed => ErrorKind::CHECK_FAILED,
            ClaimError::NotFresh => ErrorKind::NOT_FRESH,
            ClaimError::ClaimsType(_) => ErrorKind::CLAIMS_TYPE,
        }
    }
}
