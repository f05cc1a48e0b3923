//! A login manager with remember-me: Flask-Login's flow, with both cookies encrypted PASETOs.
//!
//! ```text
//! cargo run --example login_manager
//! # Every form carries a CSRF value, bound to the `csrf` cookie the first page sets.
//! curl -s -c jar http://127.0.0.1:3000/login > /dev/null
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)
//! curl -i -b jar -c jar -d "email=foo@example.com&password=mysecret&remember=on&csrf_token=$CSRF" http://127.0.0.1:3000/login
//! curl -i -b jar http://127.0.0.1:3000/protected        # 200 Logged in as: foo@example.com
//! curl -i -b jar http://127.0.0.1:3000/protected/fresh  # 200: the login is fresh
//! # Drop the login session cookie: the remember-me cookie restores the user, not freshly.
//! grep -v login_session jar > remembered
//! curl -i -b remembered http://127.0.0.1:3000/protected        # 200
//! curl -i -b remembered http://127.0.0.1:3000/protected/fresh  # 401 fresh login required
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)  # the login rotated the CSRF value
//! curl -i -b jar -c jar -d "csrf_token=$CSRF" http://127.0.0.1:3000/logout  # deletes both cookies, revokes their tokens
//! curl -i -b jar -d "csrf_token=wrong" http://127.0.0.1:3000/logout  # 403 csrf_token_invalid
//! curl -i http://127.0.0.1:3000/protected                # 401 (a browser is sent to /login?next=…)
//! ```
//!
//! `PASETO_AUTH_ADDR` sets the address (default `127.0.0.1:3000`). `PASETO_SESSION_KEY` and
//! `REMEMBER_COOKIE_PASETO_KEY` are the keys of the login session and remember-me cookies, as
//! PASERKs `k4.local.…` (the `local` field of `paseto-auth keygen v4.local`; several,
//! comma-separated, to rotate: the first seals). Without them keys are generated, and logins end
//! when the server stops. Flask-Login's `REMEMBER_COOKIE_*` settings (name, duration, domain,
//! path, secure, httponly, samesite, refresh each request) are read from the environment.
//! `PASETO_REDIS_URL` keeps revocations (logouts) in Redis, shared by every instance; otherwise
//! they are kept in this process's memory.

// tests/login.rs includes this file as a module and uses `app` and `Users` only.
#![cfg_attr(test, allow(dead_code))]

use paseto_auth_examples::pages::{
    LoginForm, Next, escape, login_keys_from_env, next_page, remember_cookie_from_env,
};
use paseto_auth_examples::{serve, store};

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use paseto_auth::csrf::{CsrfLayer, CsrfToken};
use paseto_auth::login::{
    AuthUser, CookieSettings, CurrentUser, LOGIN_SESSION_COOKIE, LoginError, LoginKeys,
    LoginManager, LoginManagerLayer, LoginSession, UserLoader,
};
use paseto_auth::login_required;
use paseto_auth::store::Revocations;
use serde::Deserialize;

/// A user of the demo.
#[derive(Debug, Clone)]
pub(crate) struct User {
    id: u64,
    pub(crate) email: String,
    /// Demo only: a real application stores a password hash (argon2) and verifies against it.
    password: String,
    /// Changes with the password. It is the auth hash, so a password change ends every login
    /// of the user made before it.
    security_stamp: String,
}

impl AuthUser for User {
    type Id = u64;

    fn id(&self) -> u64 {
        self.id
    }

    fn auth_hash(&self) -> Option<&[u8]> {
        Some(self.security_stamp.as_bytes())
    }
}

/// The user store: in memory, shared by every request.
#[derive(Debug, Clone)]
pub(crate) struct Users {
    by_id: Arc<RwLock<HashMap<u64, User>>>,
}

impl Users {
    /// The demo's one user, `foo@example.com` / `mysecret`.
    pub(crate) fn demo() -> Self {
        let user = User {
            id: 1,
            email: "foo@example.com".into(),
            password: "mysecret".into(),
            security_stamp: "1".into(),
        };
        Users {
            by_id: Arc::new(RwLock::new(HashMap::from([(user.id, user)]))),
        }
    }

    /// The user with this email and password.
    fn check_password(&self, email: &str, password: &str) -> Option<User> {
        let users = self.by_id.read().unwrap_or_else(PoisonError::into_inner);
        users
            .values()
            .find(|user| user.email == email && user.password == password)
            .cloned()
    }

    /// Changes a user's password, and with it the security stamp; returns the updated user.
    pub(crate) fn set_password(&self, id: u64, password: &str) -> Option<User> {
        let mut users = self.by_id.write().unwrap_or_else(PoisonError::into_inner);
        let user = users.get_mut(&id)?;
        user.password = password.into();
        let stamp: u64 = user.security_stamp.parse().unwrap_or(0);
        user.security_stamp = (stamp + 1).to_string();
        Some(user.clone())
    }
}

impl UserLoader for Users {
    type User = User;
    type Error = Infallible;

    async fn load_user(&self, id: &u64) -> Result<Option<User>, Infallible> {
        let users = self.by_id.read().unwrap_or_else(PoisonError::into_inner);
        Ok(users.get(id).cloned())
    }
}

/// The example's routes, with the login manager layer and these remember-me cookie settings.
///
/// The login session cookie is not `Secure`, so that it works over plain http (curl,
/// http://127.0.0.1); keep the default (on) when serving over https.
pub(crate) fn app(
    users: Users,
    keys: LoginKeys,
    remember_cookie: CookieSettings,
    revocations: Revocations,
) -> Result<Router, paseto_auth::Error> {
    let manager = LoginManager::new(users.clone(), keys)
        .login_url("/login")
        .session_cookie(LOGIN_SESSION_COOKIE.secure(false))
        .remember_cookie(remember_cookie)
        .revocations(revocations);
    Ok(Router::new()
        .route("/", get(|| async { Redirect::to("/protected") }))
        .route("/login", get(login_form).post(login))
        .route("/protected", get(protected))
        .route("/protected/fresh", get(fresh).post(change_password))
        .route("/logout", post(logout))
        .route("/logout/everywhere", post(logout_everywhere))
        .with_state(users)
        .layer(LoginManagerLayer::new(manager)?)
        // Outermost: a forged post is refused before anything else runs. Not `secure`, for plain
        // http, so its cookie is `csrf` (a start-up warning says so); keep the default (on, the
        // `__Host-csrf` cookie no subdomain can plant) when serving over https.
        .layer(CsrfLayer::new().secure(false)))
}

async fn login_form(csrf: CsrfToken, Query(query): Query<Next>) -> Html<String> {
    let next = next_page(query.next.as_deref(), "/protected");
    let next = escape(next);
    Html(format!(
        r#"<!doctype html>
<form method="post" action="/login">
  <input type="text" name="email" placeholder="email">
  <input type="password" name="password" placeholder="password">
  <label><input type="checkbox" name="remember" value="on"> Remember me</label>
  <input type="hidden" name="next" value="{next}">
  {csrf}
  <input type="submit" value="Log in">
</form>
"#,
        csrf = csrf.form_field()
    ))
}

async fn login(
    session: LoginSession<User>,
    State(users): State<Users>,
    Form(form): Form<LoginForm>,
) -> Result<Response, LoginError> {
    let Some(user) = users.check_password(&form.email, &form.password) else {
        return Ok((StatusCode::UNAUTHORIZED, "Bad login").into_response());
    };
    session.login(&user, form.remember())?;
    Ok(Redirect::to(form.next_page("/protected")).into_response())
}

#[login_required]
async fn protected(user: CurrentUser<User>, csrf: CsrfToken) -> Html<String> {
    page(&format!("Logged in as: {}", user.email), &csrf)
}

#[login_required(fresh)]
async fn fresh(user: CurrentUser<User>, csrf: CsrfToken) -> Html<String> {
    page(&format!("Fresh login as: {}", user.email), &csrf)
}

/// A page saying `text`, with a logout button (a form that posts, with its CSRF value).
fn page(text: &str, csrf: &CsrfToken) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<p id="who">{text}</p>
<form method="post" action="/logout">{csrf}<input type="submit" id="logout" value="Log out"></form>
"#,
        text = escape(text),
        csrf = csrf.form_field()
    ))
}

/// The form `POST /protected/fresh` takes.
#[derive(Deserialize)]
struct PasswordForm {
    password: String,
}

/// Changing the password needs a fresh login. It changes the user's auth hash, which logs the
/// user out everywhere else; this browser gets a new login (not remembered).
#[login_required(fresh)]
async fn change_password(
    user: CurrentUser<User>,
    session: LoginSession<User>,
    State(users): State<Users>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, LoginError> {
    let Some(updated) = users.set_password(user.id, &form.password) else {
        return Ok((StatusCode::NOT_FOUND, "No such user").into_response());
    };
    session.login(&updated, false)?;
    Ok("Password changed".into_response())
}

/// Logs out this browser: its cookies are deleted, and the tokens they hold revoked, so copies
/// of them stop working too.
async fn logout(session: LoginSession<User>) -> Result<&'static str, LoginError> {
    session.logout().await?;
    Ok("Logged out")
}

/// Logs the user out on every device: every login session and remember-me cookie of theirs.
#[login_required]
async fn logout_everywhere(session: LoginSession<User>) -> Result<&'static str, LoginError> {
    session.logout_everywhere().await?;
    Ok("Logged out everywhere")
}

/// The app from the environment's keys, `REMEMBER_COOKIE_*` settings and `PASETO_REDIS_URL`
/// (revocations in Redis; otherwise in this process's memory).
async fn app_from_env() -> Result<Router, paseto_auth::Error> {
    let revocations = store::revocations_from_env().await?;
    app(
        Users::demo(),
        login_keys_from_env()?,
        remember_cookie_from_env()?,
        revocations,
    )
}

#[tokio::main]
async fn main() {
    serve::init_logging();
    serve::serve(
        app_from_env().await,
        "log in at /login as foo@example.com / mysecret; log out with POST /logout",
    )
    .await;
}
