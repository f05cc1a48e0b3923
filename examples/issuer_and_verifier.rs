//! An API that issues PASETO tokens at `/login` and guards `/protected/me` with
//! `#[paseto_required]` — flask-paseto-extended's `issuer_and_verifier` example, in axum.
//!
//! ```text
//! cargo run --example issuer_and_verifier
//! # Forms carry a CSRF value, bound to the `csrf` cookie the login page sets.
//! curl -s -c jar http://127.0.0.1:3000/login > /dev/null
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)
//! curl -i -b jar -c jar -d "email=foo@example.com&password=mysecret&csrf_token=$CSRF" http://127.0.0.1:3000/login
//! curl -i -b jar http://127.0.0.1:3000/protected/me
//! # The token cookie comes with `csrf_access_token`: unsafe requests send it in X-CSRF-Token.
//! curl -i -b jar -X POST -H "X-CSRF-Token: $(awk '$6 == "csrf_access_token" { print $7 }' jar)" http://127.0.0.1:3000/protected/me
//! curl -i -b jar -X POST http://127.0.0.1:3000/protected/me  # 403 csrf_token_invalid
//! cp jar copied                                               # a copy of the token cookie
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)                 # the login rotated the form's value
//! curl -i -b jar -c jar -d "csrf_token=$CSRF" http://127.0.0.1:3000/logout  # revokes the token
//! curl -i -b copied http://127.0.0.1:3000/protected/me       # 401: the copy is revoked too
//! # The issuer's public keys, for verifiers elsewhere (a key-set document: see `paseto_auth::docs::key_sets`).
//! curl -i http://127.0.0.1:3000/.well-known/paserk.json
//! ```
//!
//! Keys come from `PASETO_ISS`, `PASETO_PRIVATE_KEYS` and `PASETO_PUBLIC_KEYS` (flask-paseto-extended's
//! names and JSON shapes). Without private keys, `/login` signs with a v4 key pair generated for the
//! run (its public key is printed), and the verifier trusts it beside any `PASETO_PUBLIC_KEYS`: a
//! verifier-only configuration verifies other services' tokens with the keys it names.
//! Logouts (revoked tokens) are kept in Redis with `PASETO_REDIS_URL`, shared by every instance;
//! otherwise in this process's memory.

use paseto_auth_examples::{serve, store, tokens};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use axum_extra::extract::CookieJar;
use paseto_auth::cookie::CookieOptions;
use paseto_auth::csrf::{CsrfLayer, CsrfToken, TokenCookie};
use paseto_auth::extract::{AuthError, PasetoAuth, TokenSource};
use paseto_auth::keyset::{DEFAULT_PATH, KeySetDocument, KeySetPublisher};
use paseto_auth::store::Revocations;
use paseto_auth::{Issuer, Paseto, PasetoClaims, TokenOptions, Verifier, paseto_required};
use serde::{Deserialize, Serialize};
pub(crate) use tokens::AppState;
use tokens::issuer_and_verifier_from_env;

/// The cookie that carries the token for browsers.
pub(crate) const TOKEN_COOKIE: &str = "paseto";

/// The user a token speaks for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct User {
    /// The user's email address.
    pub(crate) email: String,
}

/// The custom claims of our tokens.
#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
pub(crate) struct UserClaims {
    /// Who the token is for.
    pub(crate) user: User,
}

/// The state of this example: its issuer, and a verifier that reads tokens from the `paseto`
/// cookie first, then from `Authorization: Bearer`, and refuses those `revocations` holds (a
/// logout's).
pub(crate) fn state(issuer: Issuer, verifier: Verifier, revocations: Revocations) -> AppState {
    let source = TokenSource::any_of([TokenSource::cookie(TOKEN_COOKIE), TokenSource::Header]);
    AppState {
        issuer,
        auth: PasetoAuth::new(verifier)
            .token_source(source)
            .revocations(revocations),
    }
}

/// The state from the environment: keys as [`issuer_and_verifier_from_env`] reads them,
/// revocations in Redis with `PASETO_REDIS_URL`, else in this process's memory.
async fn state_from_env() -> paseto_auth::Result<AppState> {
    let (issuer, verifier) = issuer_and_verifier_from_env()?;
    Ok(state(
        issuer,
        verifier,
        store::revocations_from_env().await?,
    ))
}

/// The application's routes: the forms behind `CsrfLayer` (their own CSRF value), the API
/// checked by the guard (the token's CSRF value, when the token comes from the cookie), and the
/// issuer's key set at `/.well-known/paserk.json` (when the issuer has a name to bind its keys
/// to).
pub(crate) fn app(state: AppState) -> Router {
    let forms = Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        // Not `secure`, for plain http, so its cookie is `csrf` (a start-up warning says so);
        // keep the default (on, the `__Host-csrf` cookie) when serving over https.
        .layer(CsrfLayer::new().secure(false));
    let keyset = match KeySetDocument::from_issuer(&state.issuer) {
        Ok(document) => KeySetPublisher::new(document).router(DEFAULT_PATH),
        Err(err) => {
            println!("not publishing a key set: {err}");
            Router::new()
        }
    };
    Router::new()
        .route("/protected/me", get(protected_me).post(protected_me))
        .merge(forms)
        .merge(keyset)
        .with_state(state)
}

/// The token cookie: HttpOnly, with its CSRF value in the readable `csrf_access_token`.
/// Not `Secure`, so that it works over plain http (curl, http://127.0.0.1); set it over https.
fn token_cookie() -> paseto_auth::Result<TokenCookie> {
    TokenCookie::new(CookieOptions::new(TOKEN_COOKIE).secure(false))
}

async fn login_form(csrf: CsrfToken) -> Html<String> {
    Html(format!(
        r#"<form method="post" action="/login">
  <input name="email" type="email" placeholder="email">
  <input name="password" type="password" placeholder="password">
  {csrf}
  <button>Log in</button>
</form>"#,
        csrf = csrf.form_field()
    ))
}

/// The login form's fields.
#[derive(Deserialize)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    csrf: CsrfToken,
    Form(form): Form<Credentials>,
) -> Response {
    // A demo user; a real application checks a password hash.
    if form.email != "foo@example.com" || form.password != "mysecret" {
        return (StatusCode::UNAUTHORIZED, "Invalid email or password").into_response();
    }
    // The forms' CSRF value from before the login (one an attacker fixed, say) ends here.
    csrf.rotate();
    let claims = UserClaims {
        user: User { email: form.email },
    };
    let issued =
        token_cookie().and_then(|cookie| cookie.issue(&state.issuer, &claims, TokenOptions::new()));
    match issued {
        Ok(cookies) => (cookies, Redirect::to("/protected/me")).into_response(),
        Err(err) => {
            // The cause is for the operator's log, not for the client.
            tracing::error!("could not issue a token: {err}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The guard verifies the token (cookie or Bearer) and that it has a `user` claim before any
/// other extractor runs; `claims(user)` is checked against `UserClaims` at compile time. A POST
/// with the cookie must also send the token's CSRF value in `X-CSRF-Token`.
#[paseto_required(claims(user))]
async fn protected_me(token: Paseto<UserClaims>) -> Json<User> {
    Json(token.claims.user)
}

/// Logs out: revokes the cookie's token (its `jti`, until its `exp`, on every instance that
/// shares the store), so a copy of the cookie, or the same token as a bearer, stops working too;
/// deletes the token and CSRF cookies; rotates the forms' CSRF value. A POST with the form's CSRF
/// value (`CsrfLayer`): a link cannot log anyone out. The token is read here rather than by
/// `#[paseto_required]`, whose CSRF check of a cookie token wants the token's value in a header,
/// which a form cannot send.
async fn logout(State(state): State<AppState>, jar: CookieJar, csrf: CsrfToken) -> Response {
    let removal = match token_cookie().and_then(|cookie| cookie.removal()) {
        Ok(removal) => removal,
        Err(err) => {
            tracing::error!("could not write the cookie removal: {err}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // A token that does not verify (expired, forged, gone) logs nobody in: nothing to revoke.
    let token = jar.get(TOKEN_COOKIE).and_then(|cookie| {
        state
            .auth
            .verifier()
            .verify::<UserClaims>(cookie.value())
            .ok()
    });
    let revoked = match token {
        Some(token) => state.auth.revoke(&token).await,
        None => Ok(()),
    };
    match revoked {
        Ok(()) => {
            csrf.rotate();
            (removal, "Logged out").into_response()
        }
        // Nothing changes in the browser (as the login manager's logout): it is not shown
        // logged out while copies of its token still work. The guard's 503 (`Retry-After: 1`)
        // says the logout may not have happened; sending it again is safe.
        Err(err) => {
            tracing::error!("logout may not be recorded: {err}");
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
        "GET /login, GET /protected/me, POST /logout, GET /.well-known/paserk.json",
    )
    .await;
}
