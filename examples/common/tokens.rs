//! What the token examples (`issuer_and_verifier`, `token_api`) share: their state (an issuer
//! and the `PasetoAuth` the guards verify with), and their keys from flask-paseto-extended's
//! settings or, when none are set, generated for the run.

use axum::extract::FromRef;
use paseto_auth::config::PasetoConfig;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::SecretKey;
use paseto_auth::{Issuer, Verifier, Version};

/// The issuer name of generated keys (and of `PASETO_ISS` when unset).
const DEFAULT_ISSUER: &str = "https://issuer.example";

/// What the handlers need: an issuer for `/login` and the verifier state for the guards.
#[derive(Clone)]
pub struct AppState {
    /// Issues tokens.
    pub issuer: Issuer,
    /// Verifies them.
    pub auth: PasetoAuth,
}

impl FromRef<AppState> for PasetoAuth {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

/// The issuer and verifier of `PASETO_ISS`, `PASETO_PRIVATE_KEYS` and `PASETO_PUBLIC_KEYS` (see
/// [`issuer_and_verifier`]).
pub fn issuer_and_verifier_from_env() -> paseto_auth::Result<(Issuer, Verifier)> {
    issuer_and_verifier(&PasetoConfig::from_env()?)
}

/// The issuer and verifier of `config`: with private keys, the configured ones (the verifier
/// trusts the public halves of the private keys for `PASETO_ISS`, and each public key for its
/// `iss`). Without private keys, the issuer signs with a v4 key generated for this run, and the
/// verifier trusts it beside the configured public keys, so that a verifier-only configuration
/// (`PASETO_PUBLIC_KEYS` alone) verifies other services' tokens as configured.
pub fn issuer_and_verifier(config: &PasetoConfig) -> paseto_auth::Result<(Issuer, Verifier)> {
    if config.has_private_keys() {
        return Ok((config.issuer()?, config.verifier()?));
    }
    let issuer_name = config.iss.as_deref().unwrap_or(DEFAULT_ISSUER);
    let key = SecretKey::generate(Version::V4)?;
    println!("No PASETO_PRIVATE_KEYS configured: generated a v4 key pair for this run's /login.");
    println!("public key (PASERK): {}", key.public_key().to_paserk());
    let issuer = Issuer::builder()
        .issuer(issuer_name)
        .key(key.clone())
        .build()?;
    // Verifier-only mode: the verifier is the configuration's, so `PASETO_AUDIENCE` (with
    // `PASETO_SKEW`, `PASETO_ALLOWED_VERSIONS` and the other verifier settings) applies here as it
    // does with PASETO_PRIVATE_KEYS: every token, this run's own included, must name that audience.
    // With no key configured at all, the verifier is the library's default one.
    let verifier = if config.public_keys.is_empty() {
        Verifier::builder()
    } else {
        println!("Verifying with PASETO_PUBLIC_KEYS, and this run's key for its own tokens.");
        config.verifier_builder()?
    };
    let verifier = verifier
        .public_key(key.public_key().clone(), issuer_name)
        .build()?;
    Ok((issuer, verifier))
}

#[cfg(test)]
mod tests {
    use super::*;
    use paseto_auth::{ErrorKind, TokenOptions};

    #[test]
    fn a_verifier_only_configuration_verifies_with_its_public_keys() {
        let elsewhere = SecretKey::generate(Version::V4).unwrap();
        let config = PasetoConfig::from_json(&format!(
            r#"{{"PASETO_PUBLIC_KEYS": [{{"iss": "https://other.example", "paserk": "{}"}}]}}"#,
            elsewhere.public_key().to_paserk()
        ))
        .unwrap();
        let (issuer, verifier) = issuer_and_verifier(&config).unwrap();
        let other = Issuer::builder()
            .issuer("https://other.example")
            .key(elsewhere)
            .build()
            .unwrap();
        let theirs = other.issue(&serde_json::json!({"user": "a"})).unwrap();
        let verified = verifier.verify::<serde_json::Value>(&theirs).unwrap();
        assert_eq!(verified.claims["user"], "a");
        let ours = issuer
            .issue_with(&serde_json::json!({"user": "b"}), TokenOptions::new())
            .unwrap();
        assert_eq!(
            verifier.verify::<serde_json::Value>(&ours).unwrap().claims["user"],
            "b"
        );
    }

    #[test]
    fn paseto_audience_applies_in_verifier_only_mode() {
        let elsewhere = SecretKey::generate(Version::V4).unwrap();
        let config = PasetoConfig::from_json(&format!(
            r#"{{"PASETO_AUDIENCE": "api",
                "PASETO_PUBLIC_KEYS": [{{"iss": "https://other.example", "paserk": "{}"}}]}}"#,
            elsewhere.public_key().to_paserk()
        ))
        .unwrap();
        let (issuer, verifier) = issuer_and_verifier(&config).unwrap();
        let claims = serde_json::json!({});
        let without = issuer.issue_with(&claims, TokenOptions::new()).unwrap();
        let err = verifier.verify::<serde_json::Value>(&without).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AUDIENCE_NOT_ACCEPTED);
        let with = issuer
            .issue_with(&claims, TokenOptions::new().audience("api"))
            .unwrap();
        assert!(verifier.verify::<serde_json::Value>(&with).is_ok());
    }

    #[test]
    fn without_keys_the_run_s_own_key_is_the_only_one_trusted() {
        let (issuer, verifier) = issuer_and_verifier(&PasetoConfig::default()).unwrap();
        let ours = issuer.issue(&serde_json::json!({})).unwrap();
        assert!(verifier.verify::<serde_json::Value>(&ours).is_ok());
        let stranger = Issuer::builder()
            .issuer(DEFAULT_ISSUER)
            .key(SecretKey::generate(Version::V4).unwrap())
            .build()
            .unwrap();
        let forged = stranger.issue(&serde_json::json!({})).unwrap();
        let err = verifier.verify::<serde_json::Value>(&forged).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UNKNOWN_KEY_ID);
    }
}
