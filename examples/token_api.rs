//! A token API with refresh tokens, whose logouts hold across instances: `POST /login` issues
//! a token pair (a fresh access token and a refresh token), `POST /token/refresh` renews it (once
//! per refresh token: a replayed one ends the whole login, though a retry within seconds gets the
//! same pair again), `GET /protected/me` needs an access
//! token, `GET /protected/fresh` a fresh one, `POST /logout` ends the login (its access and
//! refresh tokens) and `POST /logout/everywhere` every token of its user — in the memory store,
//! or in Redis, shared by every instance.
//!
//! ```text
//! cargo run --example token_api
//! PAIR=$(curl -s -d '{"email":"foo@example.com","password":"mysecret"}' \
//!     -H 'content-type: application/json' http://127.0.0.1:3000/login)
//! TOKEN=$(echo "$PAIR" | jq -r .access_token); REFRESH=$(echo "$PAIR" | jq -r .refresh_token)
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/protected/me   # 200
//! curl -i -H 'content-type: application/json' -d "{\"refresh_token\":\"$REFRESH\"}" \
//!     http://127.0.0.1:3000/token/refresh                                        # 200, a new pair
//! curl -i -X POST -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/logout  # 204
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/protected/me   # 401
//! ```
//!
//! Settings: `PASETO_AUTH_ADDR` (default `127.0.0.1:3000`); `PASETO_ISS`, `PASETO_PRIVATE_KEYS`,
//! `PASETO_PUBLIC_KEYS` as in `issuer_and_verifier` (a key pair is generated when none is set;
//! give two instances the same keys to let them verify each other's tokens);
//! Redis (otherwise the memory store of this process) is one server, Sentinel or a cluster, by
//! settings alone (`--features redis`):
//!
//! ```text
//! PASETO_REDIS_URL=redis://127.0.0.1:6379 cargo run --example token_api --features redis
//! PASETO_REDIS_SENTINELS=10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379 \
//!     PASETO_REDIS_SENTINEL_MASTER=mymaster cargo run --example token_api --features redis
//! PASETO_REDIS_CLUSTER=redis://10.0.0.1:7000,redis://10.0.0.2:7000,redis://10.0.0.3:7000 \
//!     cargo run --example token_api --features redis
//! ```
//!
//! with `PASETO_REDIS_REQUIRE_PERSISTENCE`, `PASETO_REDIS_RESET_WINDOW`,
//! `PASETO_REDIS_WAIT_REPLICAS` (1 under Sentinel); or PostgreSQL (`--features postgres`; the
//! tables are made at start-up, in the schema `paseto_auth`):
//!
//! ```text
//! PASETO_POSTGRES_URL=postgres://paseto:secret@127.0.0.1:5432/app \
//!     cargo run --example token_api --features postgres
//! ```
//!
//! with `PASETO_POSTGRES_SCHEMA`, `PASETO_POSTGRES_POOL_SIZE`, `PASETO_POSTGRES_MIGRATE`,
//! `PASETO_POSTGRES_RESET_WINDOW`; for either, `PASETO_REVOCATION_MIRROR` (each instance
//! answers checks from its own copy, fed by the store; `false` asks the store at every request)
//! and `PASETO_REVOCATION_MAX_STALENESS` (3 seconds);
//! `PASETO_STORE_FAIL_OPEN=true` accepts tokens when the store is down (by default they are
//! refused with 503), `PASETO_STORE_TIMEOUT_MS` bounds each store call (100);
//! `PASETO_REFRESH_REUSE_GRACE` is the seconds a retried refresh gets the same pair (10). Every
//! setting is read by the library, which refuses a value it cannot parse at start-up, naming it.

use paseto_auth_examples::{serve, store, tokens};

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, post_service};
use axum::{Json, Router};
use paseto_auth::extract::{AuthError, PasetoAuth};
use paseto_auth::refresh::{RefreshEndpoint, RefreshTokens, pair_response};
use paseto_auth::store::Revocations;
use paseto_auth::{Issuer, PairOptions, Paseto, PasetoClaims, Verifier, paseto_required};
use serde::{Deserialize, Serialize};
use tokens::{AppState, issuer_and_verifier_from_env};

/// The custom claims of the API's tokens.
#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
pub(crate) struct ApiClaims {
    /// Whose token it is.
    pub(crate) email: String,
}

/// What the handlers need: the token examples' issuer and guard state, and the refresh endpoint.
#[derive(Clone)]
pub(crate) struct ApiState {
    tokens: AppState,
    refresh: RefreshEndpoint,
}

impl FromRef<ApiState> for PasetoAuth {
    fn from_ref(state: &ApiState) -> Self {
        state.tokens.auth.clone()
    }
}

/// The state of this example: its issuer, a verifier with `revocations`, and refreshes recorded
/// in the same revocations (so a family a replay revokes is refused by the guards too).
pub(crate) fn state(
    issuer: Issuer,
    verifier: Verifier,
    revocations: Revocations,
) -> paseto_auth::Result<ApiState> {
    Ok(ApiState {
        refresh: RefreshEndpoint::new(RefreshTokens::new(issuer.clone(), revocations.clone())?),
        tokens: AppState {
            issuer,
            auth: PasetoAuth::new(verifier).revocations(revocations),
        },
    })
}

/// The state from the environment: keys as in `issuer_and_verifier` (generated when none is
/// set), the store from `PASETO_REDIS_URL` and its policy from `PASETO_STORE_FAIL_OPEN` and
/// `PASETO_STORE_TIMEOUT_MS`.
async fn state_from_env() -> paseto_auth::Result<ApiState> {
    let (issuer, verifier) = issuer_and_verifier_from_env()?;
    let revocations = store::revocations_from_env().await?;
    state(issuer, verifier, revocations)
}

/// The application's routes.
pub(crate) fn app(state: ApiState) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/token/refresh", post_service(state.refresh.clone()))
        .route("/protected/me", get(me))
        .route("/protected/fresh", get(fresh))
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

/// Answers a login with a token pair, as OAuth's token endpoint writes it: a fresh access token
/// (15 minutes) and a refresh token (14 days).
async fn login(State(state): State<ApiState>, Json(form): Json<Credentials>) -> Response {
    // A demo user; a real application checks a password hash.
    if form.email != "foo@example.com" || form.password != "mysecret" {
        return (StatusCode::UNAUTHORIZED, "Invalid email or password").into_response();
    }
    let options = PairOptions::new().subject(&form.email);
    match state
        .tokens
        .issuer
        .issue_pair(&ApiClaims { email: form.email }, options)
    {
        Ok(pair) => pair_response(pair),
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

/// A sensitive action: only an access token issued from the password just given, not one from a
/// refresh (401 `insufficient_user_authentication` tells the client to log in again).
#[paseto_required(fresh, claims(email))]
async fn fresh(token: Paseto<ApiClaims>) -> String {
    format!("{} confirmed their password recently", token.claims.email)
}

/// Ends this login on every instance that shares the store: its family (this access token, its
/// refresh token and every pair refreshed from it). A 503 (the store did not answer in time)
/// means the logout may or may not have been recorded: the client retries it, which is safe, since
/// a revocation recorded twice is recorded once.
#[paseto_required(claims(fam))]
async fn logout(State(state): State<ApiState>, token: Paseto) -> Response {
    revoked(state.refresh.end_family(&token).await)
}

/// Revokes every token of this token's subject issued until now, on every instance.
#[paseto_required(claims(sub))]
async fn logout_everywhere(State(state): State<ApiState>, token: Paseto<ApiClaims>) -> Response {
    let subject = token.registered.sub.unwrap_or_default();
    revoked(state.tokens.auth.revoke_subject(&subject).await)
}

/// 204; or, when the store failed, the guard's own answer to a store failure (503, `Retry-After:
/// 1`, `{"error":"temporarily_unavailable"}`), so a client handles both alike.
fn revoked(result: paseto_auth::Result<()>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => {
            tracing::error!("revocation may not be recorded: {err}");
            AuthError::Token(err).into_response()
        }
    }
}

#[allow(dead_code)] // the integration tests include this file for `app` and do not call `main`
#[tokio::main]
async fn main() {
    serve::init_logging();
    let app = state_from_env().await.map(app);
    serve::serve(
        app,
        "POST /login, POST /token/refresh, GET /protected/me, GET /protected/fresh, POST /logout, \
         POST /logout/everywhere",
    )
    .await;
}
