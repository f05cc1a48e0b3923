//! Cookie sessions: a login form whose session lives in an encrypted PASETO (`v4.local`) cookie.
//!
//! ```text
//! cargo run --example cookie_session
//! # Forms carry a CSRF value, bound to the `csrf` cookie the login page sets.
//! curl -s -c jar http://127.0.0.1:3000/login > /dev/null
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)
//! curl -i -b jar -c jar -d "email=foo@example.com&password=mysecret&csrf_token=$CSRF" http://127.0.0.1:3000/login
//! curl -i -b jar http://127.0.0.1:3000/protected     # 200 Logged in as: foo@example.com
//! cp jar copied                                      # a copy of the session cookie
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)        # the login rotated the CSRF value
//! curl -i -b jar -c jar -d "csrf_token=$CSRF" http://127.0.0.1:3000/logout  # deletes the cookie
//! curl -i -b jar http://127.0.0.1:3000/protected     # 401
//! curl -i -b copied http://127.0.0.1:3000/protected  # 200: a cookie session cannot be revoked
//! ```
//!
//! A cookie session, like Flask's, is not revocable: see `logout`. The `login_manager` example's
//! logins are (its logout revokes copies of the cookies too).
//!
//! `PASETO_AUTH_ADDR` sets the address (default `127.0.0.1:3000`); `PASETO_SESSION_KEY` the
//! session key as a PASERK `k4.local.…` (the `local` field of `paseto-auth keygen v4.local`).
//! Without it a key is generated, and sessions end when the server stops.

// tests/session.rs includes this file as a module and uses `app` only.
#![cfg_attr(test, allow(dead_code))]

use paseto_auth_examples::serve;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use paseto_auth::cookie::CookieKeys;
use paseto_auth::csrf::{CsrfLayer, CsrfToken};
use paseto_auth::session::{Session, SessionLayer};
use paseto_auth::{Version, paseto_session};
use serde::{Deserialize, Serialize};

/// The demo's only user.
const EMAIL: &str = "foo@example.com";
const PASSWORD: &str = "mysecret";

/// What the session holds: the logged-in user, if any.
///
/// `secure = false` so the cookie also works over plain http (curl, http://127.0.0.1); keep the
/// default (on) when serving over https.
#[paseto_session(cookie = "session", secure = false)]
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Auth {
    /// The user's email.
    pub(crate) user: Option<String>,
}

/// The form `POST /login` takes.
#[derive(Deserialize)]
pub(crate) struct Login {
    email: String,
    password: String,
}

/// The example's routes, with the session layer.
pub(crate) fn app(keys: CookieKeys) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/login") }))
        .route("/login", get(login_form).post(login))
        .route("/protected", get(protected))
        .route("/logout", post(logout))
        .layer(SessionLayer::new(keys))
        // Not `secure`, for plain http, so its cookie is `csrf` (a start-up warning says so);
        // keep the default (on, the `__Host-csrf` cookie) when serving over https.
        .layer(CsrfLayer::new().secure(false))
}

async fn login_form(csrf: CsrfToken) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<form method="post" action="/login">
  <input type="text" name="email" placeholder="email">
  <input type="password" name="password" placeholder="password">
  {csrf}
  <input type="submit" value="Log in">
</form>
"#,
        csrf = csrf.form_field()
    ))
}

async fn login(mut session: Session<Auth>, Form(form): Form<Login>) -> Response {
    if form.email != EMAIL || form.password != PASSWORD {
        return (StatusCode::UNAUTHORIZED, "Bad login").into_response();
    }
    session.user = Some(form.email);
    // A new token (fresh iat/exp) after login, against session fixation; it also rotates the
    // forms' CSRF value.
    session.renew();
    // Seal now, to answer a session that cannot be stored (too large) ourselves.
    if let Err(err) = session.save() {
        return err.into_response();
    }
    Redirect::to("/protected").into_response()
}

async fn protected(session: Session<Auth>, csrf: CsrfToken) -> Response {
    let Some(user) = &session.user else {
        return (StatusCode::UNAUTHORIZED, "Unauthorized").into_response();
    };
    // The address is the user's own text: escaped before it goes into the page.
    let user = user
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Html(format!(
        r#"<!doctype html>
<p id="who">Logged in as: {user}</p>
<form method="post" action="/logout">{csrf}<input type="submit" id="logout" value="Log out"></form>
"#,
        csrf = csrf.form_field()
    ))
    .into_response()
}

/// Logs out this browser: deletes its session cookie (and rotates the form CSRF value).
///
/// It does not revoke the session: a cookie session, like Flask's, is the data itself, sealed
/// in the cookie, and the server keeps no list of sessions to strike one from. A copy of the
/// cookie taken before the logout keeps working until the `exp` sealed in it (one day for this
/// browser-session cookie; shorten it with `max_age`); only rotating `PASETO_SESSION_KEY` ends
/// every session at once. Logins that a logout must end everywhere, copies included, belong to
/// the login manager with a revocation store (the `login_manager` example).
async fn logout(mut session: Session<Auth>) -> &'static str {
    session.clear();
    "Logged out"
}

/// The session key from `PASETO_SESSION_KEY`, or a new one (with a warning).
fn session_keys() -> Result<CookieKeys, paseto_auth::Error> {
    match CookieKeys::from_env("PASETO_SESSION_KEY")? {
        Some(keys) => Ok(keys),
        None => {
            eprintln!(
                "warning: PASETO_SESSION_KEY is not set; using a generated key, so sessions end \
                 when the server restarts (set it to a k4.local PASERK: the `local` \
                 field of `paseto-auth keygen v4.local`)"
            );
            CookieKeys::generate(Version::V4)
        }
    }
}

#[tokio::main]
async fn main() {
    serve::init_logging();
    let hint = format!("try /login as {EMAIL} / {PASSWORD}; log out with POST /logout");
    serve::serve(session_keys().map(app), &hint).await;
}
