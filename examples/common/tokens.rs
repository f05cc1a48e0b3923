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

/// The issuer and verifier of `PASETO_ISS`, `PASETO_PRIVATE_KEYS` and `PASETO_PUBLIC_KEYS` (the
/// verifier trusts the public halves of the private keys for `PASETO_ISS`, and each public key for
/// its `iss`), or a generated v4 key pair when no private key is set.
pub fn issuer_and_verifier_from_env() -> paseto_auth::Result<(Issuer, Verifier)> {
    let config = PasetoConfig::from_env()?;
    if config.has_private_keys() {
        return Ok((config.issuer()?, config.verifier()?));
    }
    generated(config.iss.as_deref().unwrap_or(DEFAULT_ISSUER))
}

/// A fresh v4 key pair for this run; prints the public key so other services can verify our
/// tokens.
fn generated(issuer_name: &str) -> paseto_auth::Result<(Issuer, Verifier)> {
    let key = SecretKey::generate(Version::V4)?;
    println!("No PASETO_PRIVATE_KEYS configured: generated a v4 key pair for this run.");
    println!("public key (PASERK): {}", key.public_key().to_paserk());
    let issuer = Issuer::builder()
        .issuer(issuer_name)
        .key(key.clone())
        .build()?;
    let verifier = Verifier::builder()
        .public_key(key.public_key().clone(), issuer_name)
        .build()?;
    Ok((issuer, verifier))
}
