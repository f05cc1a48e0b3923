//! [`ErrorKind`]: what went wrong, without the details, and its stable name.

/// The kind of an [`Error`], for matching without the details: a small `Copy` value, compared
/// with the constants below (`err.kind() == ErrorKind::EXPIRED`, or as patterns in a `match`).
///
/// [`ErrorKind::as_str`] gives its stable snake_case name (`"expired"`), which HTTP bodies with
/// detailed errors, metrics labels and logs carry; each domain error ([`TokenError`],
/// [`ClaimError`], [`KeyError`], [`CsrfError`], and the variants of [`Error`]) has its own
/// kinds. Its `Debug` is the kind's name in Rust (`Expired`), its `Display` the stable name.
///
/// [`Error`]: super::Error
/// [`TokenError`]: super::TokenError
/// [`ClaimError`]: super::ClaimError
/// [`KeyError`]: super::KeyError
/// [`CsrfError`]: super::CsrfError
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorKind(Name);

// The kinds, one per error variant. Private, so that adding one is not a breaking change and the
// public API is the constants (an enum of every kind would have over forty variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Name {
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
    NotFresh,
    ClaimsType,
    CsrfTokenInvalid,
    CrossSiteRequest,
    InvalidKey,
    UnwrapFailed,
    PasswordCost,
    Revoked,
    RefreshTokenReused,
    StoreUnavailable,
    KeySet,
    Config,
    Crypto,
    Setup,
}

impl ErrorKind {
    /// `token_too_large`: [`TokenError::TokenTooLarge`](super::TokenError::TokenTooLarge).
    pub const TOKEN_TOO_LARGE: ErrorKind = ErrorKind(Name::TokenTooLarge);
    /// `malformed`: [`TokenError::Malformed`](super::TokenError::Malformed).
    pub const MALFORMED: ErrorKind = ErrorKind(Name::Malformed);
    /// `unsupported_version`:
    /// [`TokenError::UnsupportedVersion`](super::TokenError::UnsupportedVersion).
    pub const UNSUPPORTED_VERSION: ErrorKind = ErrorKind(Name::UnsupportedVersion);
    /// `version_not_allowed`:
    /// [`TokenError::VersionNotAllowed`](super::TokenError::VersionNotAllowed).
    pub const VERSION_NOT_ALLOWED: ErrorKind = ErrorKind(Name::VersionNotAllowed);
    /// `purpose_not_allowed`:
    /// [`TokenError::PurposeNotAllowed`](super::TokenError::PurposeNotAllowed).
    pub const PURPOSE_NOT_ALLOWED: ErrorKind = ErrorKind(Name::PurposeNotAllowed);
    /// `invalid_footer`: [`TokenError::InvalidFooter`](super::TokenError::InvalidFooter).
    pub const INVALID_FOOTER: ErrorKind = ErrorKind(Name::InvalidFooter);
    /// `unknown_key_id`: [`TokenError::UnknownKeyId`](super::TokenError::UnknownKeyId).
    pub const UNKNOWN_KEY_ID: ErrorKind = ErrorKind(Name::UnknownKeyId);
    /// `key_outside_validity`:
    /// [`TokenError::KeyOutsideValidity`](super::TokenError::KeyOutsideValidity).
    pub const KEY_OUTSIDE_VALIDITY: ErrorKind = ErrorKind(Name::KeyOutsideValidity);
    /// `no_key`: [`TokenError::NoKey`](super::TokenError::NoKey).
    pub const NO_KEY: ErrorKind = ErrorKind(Name::NoKey);
    /// `key_id_required`: [`TokenError::KeyIdRequired`](super::TokenError::KeyIdRequired).
    pub const KEY_ID_REQUIRED: ErrorKind = ErrorKind(Name::KeyIdRequired);
    /// `invalid_signature`: [`TokenError::InvalidSignature`](super::TokenError::InvalidSignature).
    pub const INVALID_SIGNATURE: ErrorKind = ErrorKind(Name::InvalidSignature);
    /// `invalid_payload`: [`TokenError::InvalidPayload`](super::TokenError::InvalidPayload).
    pub const INVALID_PAYLOAD: ErrorKind = ErrorKind(Name::InvalidPayload);
    /// `duplicate_claim`: [`TokenError::DuplicateClaim`](super::TokenError::DuplicateClaim).
    pub const DUPLICATE_CLAIM: ErrorKind = ErrorKind(Name::DuplicateClaim);
    /// `expired`: [`ClaimError::Expired`](super::ClaimError::Expired).
    pub const EXPIRED: ErrorKind = ErrorKind(Name::Expired);
    /// `not_yet_valid`: [`ClaimError::NotYetValid`](super::ClaimError::NotYetValid).
    pub const NOT_YET_VALID: ErrorKind = ErrorKind(Name::NotYetValid);
    /// `issued_in_future`: [`ClaimError::IssuedInFuture`](super::ClaimError::IssuedInFuture).
    pub const ISSUED_IN_FUTURE: ErrorKind = ErrorKind(Name::IssuedInFuture);
    /// `missing_expiration`:
    /// [`ClaimError::MissingExpiration`](super::ClaimError::MissingExpiration).
    pub const MISSING_EXPIRATION: ErrorKind = ErrorKind(Name::MissingExpiration);
    /// `invalid_claim`: [`ClaimError::InvalidClaim`](super::ClaimError::InvalidClaim).
    pub const INVALID_CLAIM: ErrorKind = ErrorKind(Name::InvalidClaim);
    /// `issuer_mismatch`: [`ClaimError::IssuerMismatch`](super::ClaimError::IssuerMismatch).
    pub const ISSUER_MISMATCH: ErrorKind = ErrorKind(Name::IssuerMismatch);
    /// `issuer_not_accepted`:
    /// [`ClaimError::IssuerNotAccepted`](super::ClaimError::IssuerNotAccepted).
    pub const ISSUER_NOT_ACCEPTED: ErrorKind = ErrorKind(Name::IssuerNotAccepted);
    /// `audience_not_accepted`:
    /// [`ClaimError::AudienceNotAccepted`](super::ClaimError::AudienceNotAccepted).
    pub const AUDIENCE_NOT_ACCEPTED: ErrorKind = ErrorKind(Name::AudienceNotAccepted);
    /// `subject_not_accepted`:
    /// [`ClaimError::SubjectNotAccepted`](super::ClaimError::SubjectNotAccepted).
    pub const SUBJECT_NOT_ACCEPTED: ErrorKind = ErrorKind(Name::SubjectNotAccepted);
    /// `token_id_not_accepted`:
    /// [`ClaimError::TokenIdNotAccepted`](super::ClaimError::TokenIdNotAccepted).
    pub const TOKEN_ID_NOT_ACCEPTED: ErrorKind = ErrorKind(Name::TokenIdNotAccepted);
    /// `missing_claim`: [`ClaimError::MissingClaim`](super::ClaimError::MissingClaim).
    pub const MISSING_CLAIM: ErrorKind = ErrorKind(Name::MissingClaim);
    /// `scope_not_granted`: [`ClaimError::ScopeNotGranted`](super::ClaimError::ScopeNotGranted).
    pub const SCOPE_NOT_GRANTED: ErrorKind = ErrorKind(Name::ScopeNotGranted);
    /// `claim_not_accepted`: [`ClaimError::ClaimNotAccepted`](super::ClaimError::ClaimNotAccepted).
    pub const CLAIM_NOT_ACCEPTED: ErrorKind = ErrorKind(Name::ClaimNotAccepted);
    /// `check_failed`: [`ClaimError::CheckFailed`](super::ClaimError::CheckFailed).
    pub const CHECK_FAILED: ErrorKind = ErrorKind(Name::CheckFailed);
    /// `not_fresh`: [`ClaimError::NotFresh`](super::ClaimError::NotFresh).
    pub const NOT_FRESH: ErrorKind = ErrorKind(Name::NotFresh);
    /// `claims_type`: [`ClaimError::ClaimsType`](super::ClaimError::ClaimsType).
    pub const CLAIMS_TYPE: ErrorKind = ErrorKind(Name::ClaimsType);
    /// `csrf_token_invalid`: [`CsrfError::CsrfTokenInvalid`](super::CsrfError::CsrfTokenInvalid).
    pub const CSRF_TOKEN_INVALID: ErrorKind = ErrorKind(Name::CsrfTokenInvalid);
    /// `cross_site_request`: [`CsrfError::CrossSiteRequest`](super::CsrfError::CrossSiteRequest).
    pub const CROSS_SITE_REQUEST: ErrorKind = ErrorKind(Name::CrossSiteRequest);
    /// `invalid_key`: [`KeyError::InvalidKey`](super::KeyError::InvalidKey).
    pub const INVALID_KEY: ErrorKind = ErrorKind(Name::InvalidKey);
    /// `unwrap_failed`: [`KeyError::UnwrapFailed`](super::KeyError::UnwrapFailed).
    pub const UNWRAP_FAILED: ErrorKind = ErrorKind(Name::UnwrapFailed);
    /// `password_cost`: [`KeyError::PasswordCost`](super::KeyError::PasswordCost).
    pub const PASSWORD_COST: ErrorKind = ErrorKind(Name::PasswordCost);
    /// `revoked`: [`Error::Revoked`](super::Error::Revoked).
    pub const REVOKED: ErrorKind = ErrorKind(Name::Revoked);
    /// `refresh_token_reused`: [`Error::RefreshTokenReused`](super::Error::RefreshTokenReused).
    pub const REFRESH_TOKEN_REUSED: ErrorKind = ErrorKind(Name::RefreshTokenReused);
    /// `store_unavailable`: [`Error::StoreUnavailable`](super::Error::StoreUnavailable).
    pub const STORE_UNAVAILABLE: ErrorKind = ErrorKind(Name::StoreUnavailable);
    /// `key_set`: [`Error::KeySet`](super::Error::KeySet).
    pub const KEY_SET: ErrorKind = ErrorKind(Name::KeySet);
    /// `config`: [`Error::Config`](super::Error::Config).
    pub const CONFIG: ErrorKind = ErrorKind(Name::Config);
    /// `crypto`: [`Error::Crypto`](super::Error::Crypto).
    pub const CRYPTO: ErrorKind = ErrorKind(Name::Crypto);
    /// `setup`: [`Error::Setup`](super::Error::Setup).
    pub const SETUP: ErrorKind = ErrorKind(Name::Setup);

    /// A stable snake_case name, e.g. `"expired"`, used by the CLI and in logs.
    pub fn as_str(self) -> &'static str {
        use Name as K;
        match self.0 {
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
            K::NotFresh => "not_fresh",
            K::ClaimsType => "claims_type",
            K::CsrfTokenInvalid => "csrf_token_invalid",
            K::CrossSiteRequest => "cross_site_request",
            K::InvalidKey => "invalid_key",
            K::UnwrapFailed => "unwrap_failed",
            K::PasswordCost => "password_cost",
            K::Revoked => "revoked",
            K::RefreshTokenReused => "refresh_token_reused",
            K::StoreUnavailable => "store_unavailable",
            K::KeySet => "key_set",
            K::Config => "config",
            K::Crypto => "crypto",
            K::Setup => "setup",
        }
    }

    /// True for a refused CSRF check (HTTP 403 with the kind as its error code, no challenge:
    /// the credentials are fine, the request's provenance is not).
    pub fn is_csrf(self) -> bool {
        matches!(self.0, Name::CsrfTokenInvalid | Name::CrossSiteRequest)
    }

    /// True when the token is authentic but does not meet a requirement (RFC 6750
    /// `insufficient_scope`, HTTP 403) rather than being invalid (`invalid_token`, HTTP 401).
    ///
    /// Only checks made after the signature or tag verified are here: a token of a version or
    /// purpose the route does not take is refused before any cryptography, so nothing shows it
    /// is authentic, and it is `invalid_token`.
    pub fn is_insufficient_scope(self) -> bool {
        use Name as K;
        matches!(
            self.0,
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

    /// True when the answer is 503 (the token could not be checked, not found wanting).
    pub fn is_unavailable(self) -> bool {
        self.0 == Name::StoreUnavailable
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ErrorKind; 41] = [
        ErrorKind::TOKEN_TOO_LARGE,
        ErrorKind::MALFORMED,
        ErrorKind::UNSUPPORTED_VERSION,
        ErrorKind::VERSION_NOT_ALLOWED,
        ErrorKind::PURPOSE_NOT_ALLOWED,
        ErrorKind::INVALID_FOOTER,
        ErrorKind::UNKNOWN_KEY_ID,
        ErrorKind::KEY_OUTSIDE_VALIDITY,
        ErrorKind::NO_KEY,
        ErrorKind::KEY_ID_REQUIRED,
        ErrorKind::INVALID_SIGNATURE,
        ErrorKind::INVALID_PAYLOAD,
        ErrorKind::DUPLICATE_CLAIM,
        ErrorKind::EXPIRED,
        ErrorKind::NOT_YET_VALID,
        ErrorKind::ISSUED_IN_FUTURE,
        ErrorKind::MISSING_EXPIRATION,
        ErrorKind::INVALID_CLAIM,
        ErrorKind::ISSUER_MISMATCH,
        ErrorKind::ISSUER_NOT_ACCEPTED,
        ErrorKind::AUDIENCE_NOT_ACCEPTED,
        ErrorKind::SUBJECT_NOT_ACCEPTED,
        ErrorKind::TOKEN_ID_NOT_ACCEPTED,
        ErrorKind::MISSING_CLAIM,
        ErrorKind::SCOPE_NOT_GRANTED,
        ErrorKind::CLAIM_NOT_ACCEPTED,
        ErrorKind::CHECK_FAILED,
        ErrorKind::NOT_FRESH,
        ErrorKind::CLAIMS_TYPE,
        ErrorKind::INVALID_KEY,
        ErrorKind::UNWRAP_FAILED,
        ErrorKind::PASSWORD_COST,
        ErrorKind::CSRF_TOKEN_INVALID,
        ErrorKind::CROSS_SITE_REQUEST,
        ErrorKind::REVOKED,
        ErrorKind::REFRESH_TOKEN_REUSED,
        ErrorKind::STORE_UNAVAILABLE,
        ErrorKind::KEY_SET,
        ErrorKind::CONFIG,
        ErrorKind::CRYPTO,
        ErrorKind::SETUP,
    ];

    #[test]
    fn every_kind_has_its_own_stable_snake_case_name() {
        let mut names: Vec<&str> = ALL.iter().map(|kind| kind.as_str()).collect();
        for (kind, name) in ALL.iter().zip(&names) {
            assert_eq!(kind.to_string(), *name);
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
            // `Debug` is the kind's Rust name: `Expired` for `expired`.
            let debug = format!("{kind:?}");
            assert_eq!(debug.to_lowercase(), name.replace('_', ""), "{debug}");
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "two kinds share a name");
    }

    #[test]
    fn the_constants_are_patterns() {
        let answer = |kind| match kind {
            ErrorKind::EXPIRED | ErrorKind::NOT_YET_VALID => "time",
            ErrorKind::STORE_UNAVAILABLE => "later",
            _ => "other",
        };
        assert_eq!(answer(ErrorKind::EXPIRED), "time");
        assert_eq!(answer(ErrorKind::STORE_UNAVAILABLE), "later");
        assert_eq!(answer(ErrorKind::MALFORMED), "other");
    }

    #[test]
    fn the_http_classes_do_not_overlap() {
        for kind in ALL {
            let classes = [
                kind.is_csrf(),
                kind.is_insufficient_scope(),
                kind.is_unavailable(),
            ];
            assert!(classes.iter().filter(|c| **c).count() <= 1, "{kind}");
        }
        assert_eq!(ALL.iter().filter(|k| k.is_csrf()).count(), 2);
        assert_eq!(ALL.iter().filter(|k| k.is_insufficient_scope()).count(), 8);
        assert_eq!(ALL.iter().filter(|k| k.is_unavailable()).count(), 1);
    }
}
