//! Keys, an issuer and a verifier for tests, with the runtime crate alone (no axum): the root
//! integration tests use it through `support`, and `paseto-auth/tests/derive.rs` (run without
//! default features) includes this file directly.

use paseto_auth::key::SecretKey;
use paseto_auth::{Issuer, Verifier, Version};

/// The issuer name the test tokens carry.
pub(crate) const ISS: &str = "https://issuer.example";

/// A key of one version, an issuer signing with it as [`ISS`], and a verifier trusting it for
/// [`ISS`] that accepts every version (v2 included).
pub(crate) struct Setup {
    pub(crate) secret: SecretKey,
    pub(crate) issuer: Issuer,
    pub(crate) verifier: Verifier,
}

/// A fresh [`Setup`] for `version`.
pub(crate) fn setup(version: Version) -> Setup {
    let secret = SecretKey::generate(version).unwrap();
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(secret.clone())
        .build()
        .unwrap();
    let verifier = Verifier::builder()
        .public_key(secret.public_key().clone(), ISS)
        .versions([Version::V4, Version::V3, Version::V2])
        .build()
        .unwrap();
    Setup {
        secret,
        issuer,
        verifier,
    }
}

/// A fresh v4 key, an issuer signing with it as [`ISS`], and a verifier trusting it for [`ISS`]
/// (v4 and v3, the default versions).
pub(crate) fn v4_issuer_and_verifier() -> (SecretKey, Issuer, Verifier) {
    let Setup { secret, issuer, .. } = setup(Version::V4);
    let verifier = Verifier::builder()
        .public_key(secret.public_key().clone(), ISS)
        .build()
        .unwrap();
    (secret, issuer, verifier)
}

/// The time `offset` from now, as RFC 3339 text (for forging token and cookie times).
pub(crate) fn rfc3339(offset: time::Duration) -> String {
    (time::OffsetDateTime::now_utc() + offset)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}
