//! A token API whose logouts hold across instances: `POST /login` issues a bearer token,
//! `GET /protected/me` needs one, `POST /logout` revokes it and `POST /logout/everywhere` every
//! token of its user — in the memory store, or in Redis, shared by every instance.
//!
//! ```text
//! cargo run --example token_api
//! TOKEN=$(curl -s -d '{"email":"foo@example.com","password":"mysecret"}' \
//!     -H 'content-type: application/json' http://127.0.0.1:3000/login | jq -r .access_token)
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/protected/me   # 200
//! curl -i -X POST -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/logout  # 204
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/protected/me   # 401
//! ```
//!
//! Settings: `PASETO_AUTH_ADDR` (default `127.0.0.1:3000`); `PASETO_ISS`, `PASETO_PRIVATE_KEYS`,
//! `PASETO_PUBLIC_KEYS` as in `issuer_and_verifier` (a key pair is generated when none is set;
//! give two instances the same keys to let them verify each other's tokens);
//! `PASETO_REDIS_URL` selects Redis (otherwise the memory store of this process);
//! `PASETO_STORE_FAIL_OPEN=1` accepts tokens when the store is down (by default they are refused
//! with 503).

// The examples' shared last step; the integration tests that include this file do not call it.
#[allow(dead_code)]
#[path = "common/serve.rs"]
mod serve;
#[path = "common/tokens.rs"]
mod tokens;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::store::{MemoryStore, RedisStore, Revocations};
use paseto_auth::{Issuer, Paseto, PasetoClaims, TokenOptions, Verifier, paseto_required};
use serde::{Deserialize, Serialize};
pub(crate) use tokens::AppState;
use tokens::issuer_and_verifier_from_env;

/// The custom claims of the API's tokens.
#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
pub(crate) struct ApiClaims {
    /// Whose token it is.
    pub(crate) email: String,
}

/// The state of this example: its issuer, and a verifier with `revocations`.
pub(crate) fn state(issuer: Issuer, verifier: Verifier, revocations: Revocations) -> AppState {
    AppState {
        issuer,
        auth: PasetoAuth::new(verifier).revocations(revocations),
    }
}

/// The state from the environment: keys as in `issuer_and_verifier` (generated when none is
/// set), the store from `PASETO_REDIS_URL` and the failure policy from `PASETO_STORE_FAIL_OPEN`.
async fn state_from_env() -> paseto_auth::Result<AppState> {
    let (issuer, verifier) = issuer_and_verifier_from_env()?;
    let revocations = match RedisStore::from_env().await? {
        Some(redis) => {
            println!("revocations in Redis (PASETO_REDIS_URL)");
            Revocations::new(redis)
        }
        None => {
            println!("revocations in this process's memory (set PASETO_REDIS_URL to share them)");
            Revocations::new(MemoryStore::new())
        }
    };
    let fail_open = std::env::var("PASETO_STORE_FAIL_OPEN").is_ok_and(|v| v == "1");
    Ok(state(issuer, verifier, revocations.fail_open(fail_open)))
}

/// The application's routes.
pub(crate) fn app(state: AppState) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/protected/me", get(me))
        .route("/logout", post(logout))
        .route("/logout/everywhere", post(logout_everywhere))
        .with_state(state)
}

/// The login request's body.
#[derive(Deserialize)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

/// The login answer: the token, as OAuth's token endpoint writes it.
#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
}

async fn login(State(state): State<AppState>, Json(form): Json<Credentials>) -> Response {
    // A demo user; a real application checks a password hash.
    if form.email != "foo@example.com" || form.password != "mysecret" {
        return (StatusCode::UNAUTHORIZED, "Invalid email or password").into_response();
    }
    let lifetime = std::time::Duration::from_secs(3600);
    let options = TokenOptions::new().subject(&form.email).lifetime(lifetime);
    match state
        .issuer
        .issue_with(&ApiClaims { email: form.email }, options)
    {
        Ok(token) => Json(TokenResponse {
            access_token: token,
            token_type: "Bearer",
            expires_in: lifetime.as_secs(),
        })
        .into_response(),
        Err(err) => {
            tracing::error!("could not issue a token: {err}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Who the token speaks for.
#[derive(Serialize)]
struct Me {
    email: String,
}

#[paseto_required(claims(email))]
async fn me(token: Paseto<ApiClaims>) -> Json<Me> {
    Json(Me {
        email: token.claims.email,
    })
}

/// Revokes this token, on every instance that shares the store.
#[paseto_required]
async fn logout(State(state): State<AppState>, token: Paseto<ApiClaims>) -> StatusCode {
    revoked(state.auth.revoke(&token).await)
}

/// Revokes every token of this token's subject issued until now, on every instance.
#[paseto_required(claims(sub))]
async fn logout_everywhere(State(state): State<AppState>, token: Paseto<ApiClaims>) -> StatusCode {
    let subject = token.registered.sub.unwrap_or_default();
    revoked(state.auth.revoke_subject(&subject).await)
}

/// 204, or 503 when the store could not record it.
fn revoked(result: paseto_auth::Result<()>) -> StatusCode {
    match result {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(err) => {
            tracing::error!("revocation not recorded: {err}");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

#[allow(dead_code)] // the integration tests include this file for `app` and do not call `main`
#[tokio::main]
async fn main() {
    let app = state_from_env().await.map(app);
    serve::serve(
        app,
        "POST /login, GET /protected/me, POST /logout, POST /logout/everywhere",
    )
    .await;
}
