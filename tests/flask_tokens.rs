//! Tokens made by flask-paseto-extended itself (`tests/fixtures/fpe/`), verified as an FPE user
//! configures a verifier: `PASETO_PUBLIC_KEYS` with two issuers, one key each. FPE writes no
//! footer `kid` by default, so the verifier picks the key by the token's (untrusted) `iss`, and
//! still tries one key at most.

mod support;

use axum::Router;
use axum::routing::get;
use paseto_auth::config::PasetoConfig;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{ErrorKind, Paseto, Verifier};
use serde_json::Value;

use support::answer::{get_bearer, invalid, ok};

const FIXTURE: &str = include_str!("fixtures/fpe/tokens.json");

/// The fixture's tokens by name, and a verifier configured from its settings.
fn fpe() -> (Value, Verifier) {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let config = PasetoConfig::from_value(&fixture["settings"]).unwrap();
    (fixture["tokens"].clone(), config.verifier().unwrap())
}

fn token<'a>(tokens: &'a Value, name: &str) -> &'a str {
    tokens[name].as_str().unwrap()
}

#[test]
fn both_issuers_default_fpe_tokens_verify_with_two_trusted_keys() {
    let (tokens, verifier) = fpe();
    for (name, iss, sub) in [
        ("users", "https://users.example", "alice"),
        ("admins", "https://admin.example", "root"),
    ] {
        let verified = verifier
            .verify::<Value>(token(&tokens, name))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(verified.registered.iss.as_deref(), Some(iss));
        assert_eq!(verified.registered.sub.as_deref(), Some(sub));
        assert_eq!(verified.registered.iat, None, "FPE writes no iat");
        assert!(verified.footer.kid().is_none(), "FPE writes no kid");
    }
}

#[test]
fn a_key_does_not_speak_for_another_issuer_nor_for_a_stranger() {
    let (tokens, verifier) = fpe();
    // The users' key, claiming the admins' issuer: tried against the admins' key only.
    let err = verifier
        .verify::<Value>(token(&tokens, "users_key_claiming_admins"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::INVALID_SIGNATURE, "{err}");
    // Claiming an issuer no key is trusted for: no key to try.
    let err = verifier
        .verify::<Value>(token(&tokens, "users_key_claiming_a_stranger"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NO_KEY, "{err}");
}

async fn subject(token: Paseto<Value>) -> String {
    token.registered.sub.unwrap_or_default()
}

#[tokio::test]
async fn a_route_answers_both_issuers_fpe_tokens() {
    let (tokens, verifier) = fpe();
    let app = Router::new()
        .route("/me", get(subject))
        .with_state(PasetoAuth::new(verifier).detailed_errors(true));
    let get = |name: &str| get_bearer(&app, "/me", Some(token(&tokens, name)));
    assert_eq!(get("users").await, ok("alice"));
    assert_eq!(get("admins").await, ok("root"));
    assert_eq!(
        get("users_key_claiming_admins").await,
        invalid("invalid_signature")
    );
    assert_eq!(
        get("users_key_claiming_a_stranger").await,
        invalid("no_key")
    );
}
