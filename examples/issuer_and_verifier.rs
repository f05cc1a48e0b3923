//! An API that issues PASETO tokens at `/login` and guards `/protected/me` with
//! `#[paseto_required]` — flask-paseto-extended's `issuer_and_verifier` example, in axum.
//!
//! ```text
//! cargo run --example issuer_and_verifier
//! curl -i -c jar -d 'email=foo@example.com&password=mysecret' http://127.0.0.1:3000/login
//! curl -i -b jar http://127.0.0.1:3000/protected/me
//! ```
//!
//! Keys come from `PASETO_ISS`, `PASETO_PRIVATE_KEYS` and `PASETO_PUBLIC_KEYS` (flask-paseto-extended's
//! names and JSON shapes); without them a fresh v4 key pair is generated and its public key printed.

// The examples' shared last step; the integration tests that include this file do not call it.
#[allow(dead_code)]
#[path = "common/serve.rs"]
mod serve;
#[path = "common/tokens.rs"]
mod tokens;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use paseto_auth::extract::{PasetoAuth, TokenSource};
use paseto_auth::{Issuer, Paseto, PasetoClaims, Verifier, paseto_required};
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
/// cookie first, then from `Authorization: Bearer`.
pub(crate) fn state(issuer: Issuer, verifier: Verifier) -> AppState {
    let source = TokenSource::any_of([TokenSource::cookie(TOKEN_COOKIE), TokenSource::Header]);
    AppState {
        issuer,
        auth: PasetoAuth::new(verifier).token_source(source),
    }
}

/// The state from the environment (see [`issuer_and_verifier_from_env`]).
fn state_from_env() -> paseto_auth::Result<AppState> {
    let (issuer, verifier) = issuer_and_verifier_from_env()?;
    Ok(state(issuer, verifier))
}

/// The application's routes.
pub(crate) fn app(state: AppState) -> Router {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/protected/me", get(protected_me))
        .route("/logout", get(logout))
        .with_state(state)
}

async fn login_form() -> Html<&'static str> {
    Html(
        r#"<form method="post" action="/login">
  <input name="email" type="email" placeholder="email">
  <input name="password" type="password" placeholder="password">
  <button>Log in</button>
</form>"#,
    )
}

/// The login form's fields.
#[derive(Deserialize)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<Credentials>,
) -> Response {
    // A demo user; a real application checks a password hash.
    if form.email != "foo@example.com" || form.password != "mysecret" {
        return (StatusCode::UNAUTHORIZED, "Invalid email or password").into_response();
    }
    let claims = UserClaims {
        user: User { email: form.email },
    };
    match state.issuer.issue(&claims) {
        Ok(token) => {
            let cookie = Cookie::build((TOKEN_COOKIE, token))
                .http_only(true)
                .same_site(SameSite::Lax)
                .path("/");
            (jar.add(cookie), Redirect::to("/protected/me")).into_response()
        }
        Err(err) => {
            // The cause is for the operator's log, not for the client.
            tracing::error!("could not issue a token: {err}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The guard verifies the token (cookie or Bearer) and that it has a `user` claim before any
/// other extractor runs; `claims(user)` is checked against `UserClaims` at compile time.
#[paseto_required(claims(user))]
async fn protected_me(token: Paseto<UserClaims>) -> Json<User> {
    Json(token.claims.user)
}

async fn logout(jar: CookieJar) -> (CookieJar, &'static str) {
    // Always send the removal, whether or not this request carried the cookie.
    let mut removal = Cookie::build((TOKEN_COOKIE, ""))
        .path("/")
        .http_only(true)
        .build();
    removal.make_removal();
    (jar.add(removal), "Logged out")
}

#[allow(dead_code)] // the integration tests include this file for `app` and do not call `main`
#[tokio::main]
async fn main() {
    let app = state_from_env().map(app);
    serve::serve(app, "GET /login, GET /protected/me, GET /logout").await;
}
