//! The two verifiers the `verify_*` targets hold each token to: a lenient one (no time checks,
//! keys trusted for any issuer) and a strict one (times checked, keys bound to [`ISSUER`]). What
//! the strict one accepts, the lenient one accepts too, with the same claims.

use paseto_auth::{Requirements, VerifiedToken, Verifier, VerifierBuilder, Version};

use crate::keys;

/// The issuer the strict verifier binds its keys to.
pub const ISSUER: &str = "https://issuer.fuzz";

/// The lenient and the strict verifier of one kind of key.
pub struct Verifiers {
    /// No time checks, keys for any issuer.
    pub lenient: Verifier,
    strict: Verifier,
}

impl Verifiers {
    /// Both verifiers, with the key of each version added by `add` (given `None` for the lenient
    /// verifier, `Some(ISSUER)` for the strict one).
    pub fn new(
        add: impl Fn(VerifierBuilder, Version, Option<&'static str>) -> VerifierBuilder,
    ) -> Self {
        let mut lenient = Verifier::builder()
            .versions(keys::VERSIONS)
            .skip_time_checks(true)
            .allow_no_expiration(true)
            .cache_size(0);
        let mut strict = Verifier::builder().versions(keys::VERSIONS).cache_size(0);
        for version in keys::VERSIONS {
            lenient = add(lenient, version, None);
            strict = add(strict, version, Some(ISSUER));
        }
        Verifiers {
            lenient: lenient.build().expect("a verifier"),
            strict: strict.build().expect("a verifier"),
        }
    }

    /// `data` as a token's text and what the lenient verifier found in it, when it verifies,
    /// once the strict verifier's answer agrees with it.
    pub fn verify<'a>(&self, data: &'a [u8]) -> Option<(&'a str, VerifiedToken)> {
        let text = std::str::from_utf8(data).ok()?;
        let route = Requirements::new();
        let lenient = self.lenient.verify_untyped(text, &route);
        if let Ok(strict) = self.strict.verify_untyped(text, &route) {
            let lenient = lenient
                .as_ref()
                .expect("what the strict verifier accepts, the lenient one accepts");
            assert_eq!(strict.claims, lenient.claims);
            assert_eq!(strict.registered.iss.as_deref(), Some(ISSUER));
        }
        Some((text, lenient.ok()?))
    }
}
