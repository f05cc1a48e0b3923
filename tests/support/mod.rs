//! Shared by the root integration tests: a key pair with its issuer and verifier, and
//! request/response helpers ([`http`]).

// Each test binary compiles this module on its own and uses only some of it; the rest would
// warn as dead code in that binary.
#![allow(dead_code)]

pub(crate) mod http;
pub(crate) mod logs;

use paseto_auth::key::SecretKey;
use paseto_auth::{Issuer, Verifier, Version};

/// The issuer name the test tokens carry.
pub(crate) const ISS: &str = "https://issuer.example";

/// A fresh v4 key, an issuer signing with it as [`ISS`], and a verifier trusting it for [`ISS`].
pub(crate) fn v4_issuer_and_verifier() -> (SecretKey, Issuer, Verifier) {
    let key = SecretKey::generate(Version::V4).unwrap();
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(key.clone())
        .build()
        .unwrap();
    let verifier = Verifier::builder()
        .public_key(key.public_key().clone(), ISS)
        .build()
        .unwrap();
    (key, issuer, verifier)
}

/// The time `offset` from now, as RFC 3339 text (for forging token and cookie times).
pub(crate) fn rfc3339(offset: time::Duration) -> String {
    (time::OffsetDateTime::now_utc() + offset)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}
