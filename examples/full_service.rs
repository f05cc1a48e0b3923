//! A complete service to copy: a JSON API for programs and HTML pages for people, on the same two
//! accounts (`user@example.com` / `user-password`, role `user`; `admin@example.com` /
//! `admin-password`, role `admin`) and one `Revocations`, shared by the guards, the refresh endpoint
//! and the login manager (in memory, or in Redis when `PASETO_REDIS_URL` is set).
//!
//! - API: `POST /auth/login` (`{"email", "password"}`) answers a token pair, `POST /auth/refresh`
//!   renews it, `POST /auth/logout` ends the login; `GET /api/me` and `GET /api/admin` (role
//!   `admin`) are behind one `PasetoLayer`; `GET /openapi.json` documents every `/auth` and `/api`
//!   route. Pages: `GET`/`POST /login` (the login manager, with remember-me), `GET /notes` for a
//!   logged-in user, `POST /notes` (a form with its CSRF value), `POST /logout`.
//!
//! ```text
//! cargo run --example full_service
//! curl -s http://127.0.0.1:3000/openapi.json | jq '.paths | keys'                    # 200
//! PAIR=$(curl -s -H 'content-type: application/json' \
//!     -d '{"email":"admin@example.com","password":"admin-password"}' http://127.0.0.1:3000/auth/login)  # 200
//! TOKEN=$(echo "$PAIR" | jq -r .access_token); REFRESH=$(echo "$PAIR" | jq -r .refresh_token)
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/me             # 200
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/admin          # 200
//! curl -i -H 'content-type: application/json' -d "{\"refresh_token\":\"$REFRESH\"}" \
//!     http://127.0.0.1:3000/auth/refresh                                             # 200, a new pair
//! curl -i -X POST -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/auth/logout  # 204
//! curl -i -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/me             # 401
//! USER=$(curl -s -H 'content-type: application/json' -d '{"email":"user@example.com","password":"user-password"}' \
//!     http://127.0.0.1:3000/auth/login | jq -r .access_token)                        # 200
//! curl -i -H "authorization: Bearer $USER" http://127.0.0.1:3000/api/admin           # 403
//! curl -s -c jar http://127.0.0.1:3000/login > /dev/null                             # 200, sets the csrf cookie
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)
//! curl -i -b jar -c jar -d "email=user@example.com&password=user-password&remember=on&csrf_token=$CSRF" \
//!     http://127.0.0.1:3000/login                                                    # 303 to /notes
//! CSRF=$(awk '$6 == "csrf" { print $7 }' jar)  # the login rotated it
//! curl -i -b jar -c jar -d "text=Buy+milk&csrf_token=$CSRF" http://127.0.0.1:3000/notes  # 303
//! curl -i -b jar http://127.0.0.1:3000/notes                                         # 200, lists "Buy milk"
//! curl -i -b jar -d "text=Forged" http://127.0.0.1:3000/notes                        # 403, no CSRF value
//! curl -i -b jar -c jar -d "csrf_token=$CSRF" http://127.0.0.1:3000/logout           # 303 to /login
//! curl -i -b jar http://127.0.0.1:3000/notes                                         # 401 (a browser: 303 to /login)
//! ```
//!
//! Settings, read by the library, which refuses at start-up a value it cannot parse, naming it:
//! `PASETO_AUTH_ADDR`; the API's keys (`PASETO_ISS`, `PASETO_PRIVATE_KEYS`, `PASETO_PUBLIC_KEYS`,
//! generated when none is set; `PASETO_AUDIENCE`, required of every token, in verifier-only mode
//! too, must be unset or `api`, this service's audience); the pages' (`PASETO_SESSION_KEY`,
//! `REMEMBER_COOKIE_PASETO_KEY`, `REMEMBER_COOKIE_*`); `PASETO_REDIS_URL` (`--features redis`),
//! `PASETO_STORE_FAIL_OPEN`, `PASETO_STORE_TIMEOUT_MS`. The cookies are not `Secure`, for plain
//! http: keep the defaults (`Secure`, the `__Host-csrf` cookie) when serving over https.

// tests/full_service.rs includes this file as a module and calls `app` and `login_layer`.
#![cfg_attr(test, allow(dead_code))]

use paseto_auth_examples::pages::{
    LoginForm, Next, escape, login_keys_from_env, next_page, remember_cookie_from_env,
};
use paseto_auth_examples::{serve, store, tokens};

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::ready;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{FromRef, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, post_service};
use axum::{Form, Json, Router};
use paseto_auth::csrf::{CsrfLayer, CsrfToken};
use paseto_auth::extract::{AuthError, PasetoAuth, PasetoLayer};
use paseto_auth::login::{
    AuthUser, CookieSettings, CurrentUser, LOGIN_SESSION_COOKIE, LoginError, LoginKeys,
    LoginManager, LoginManagerLayer, LoginSession, UserLoader,
};
use paseto_auth::refresh::{RefreshEndpoint, RefreshTokens, pair_response};
use paseto_auth::store::Revocations;
use paseto_auth::{Issuer, PairOptions, Paseto, PasetoClaims, Requirements};
use paseto_auth::{login_required, paseto_required};
use paseto_auth_openapi::{PasetoSecurity, RefreshOperation, schema};
use serde::{Deserialize, Serialize};
use utoipa::{Modify, OpenApi, ToSchema};

/// An account: the same for the API and the pages. A real service keeps a password hash (argon2)
/// in a database, and returns it as `AuthUser::auth_hash`, so a password change logs out everywhere.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) id: u64,
    pub(crate) email: &'static str,
    password: &'static str,
    pub(crate) role: &'static str,
}

/// The demo's accounts.
#[rustfmt::skip]
pub(crate) const USERS: [User; 2] = [
    User { id: 1, email: "user@example.com", password: "user-password", role: "user" },
    User { id: 2, email: "admin@example.com", password: "admin-password", role: "admin" },
];

fn check_password(email: &str, password: &str) -> Option<User> {
    USERS
        .into_iter()
        .find(|user| user.email == email && user.password == password)
}

impl AuthUser for User {
    type Id = u64;

    fn id(&self) -> u64 {
        self.id
    }
}

/// The login manager's user store.
#[derive(Debug, Clone)]
pub(crate) struct Users;

impl UserLoader for Users {
    type User = User;
    type Error = Infallible;

    async fn load_user(&self, id: &u64) -> Result<Option<User>, Infallible> {
        Ok(USERS.into_iter().find(|user| user.id == *id))
    }
}

/// The custom claims of the API's tokens.
#[derive(Debug, Serialize, Deserialize, PasetoClaims, ToSchema)]
pub(crate) struct ApiClaims {
    /// The account's email.
    pub(crate) email: String,
    /// `user` or `admin`.
    pub(crate) role: String,
}

/// What the handlers share.
#[derive(Clone)]
pub(crate) struct AppState {
    issuer: Issuer,
    auth: PasetoAuth,
    refresh: RefreshEndpoint,
    /// Each user's notes, by user id.
    notes: Arc<Mutex<HashMap<u64, Vec<String>>>>,
}

impl FromRef<AppState> for PasetoAuth {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

/// The login manager of the pages, its revocations those of the API.
pub(crate) fn login_layer(
    keys: LoginKeys,
    remember_cookie: CookieSettings,
    revocations: Revocations,
) -> paseto_auth::Result<LoginManagerLayer<User>> {
    let manager = LoginManager::new(Users, keys)
        .login_url("/login")
        .session_cookie(LOGIN_SESSION_COOKIE.secure(false))
        .remember_cookie(remember_cookie)
        .revocations(revocations);
    LoginManagerLayer::new(manager)
}

/// The whole service: tokens from `issuer`, verified by `auth`, revoked in `revocations` (which
/// the login layer was given too).
pub(crate) fn app(
    issuer: Issuer,
    auth: PasetoAuth,
    revocations: Revocations,
    login_manager: LoginManagerLayer<User>,
) -> paseto_auth::Result<Router> {
    let refresh = RefreshEndpoint::new(RefreshTokens::new(issuer.clone(), revocations.clone())?);
    let auth = auth.revocations(revocations);
    // Every /api route needs an access token for this API; the handlers take it from the layer.
    let api_guard = PasetoLayer::required(auth.clone(), Requirements::new().audience("api"));
    let spec = Json(openapi(&api_guard));
    let api = Router::new()
        .route("/me", get(me))
        .route("/admin", get(admin))
        .route_layer(api_guard);
    // Not `secure`, for plain http: its cookie is `csrf` (a start-up warning says so).
    let pages = Router::new()
        .route("/login", get(login_form).post(login_submit))
        .route("/notes", get(notes).post(add_note))
        .route("/logout", post(logout_page))
        .layer(login_manager)
        .layer(CsrfLayer::new().secure(false));
    let state = AppState {
        issuer,
        auth,
        refresh: refresh.clone(),
        notes: Arc::default(),
    };
    Ok(Router::new()
        .route("/auth/login", post(login))
        .route("/auth/refresh", post_service(refresh))
        .route("/auth/logout", post(logout))
        .route("/openapi.json", get(move || ready(spec.clone())))
        .nest("/api", api)
        .merge(pages)
        .with_state(state))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "full_service", version = "1.0.0"),
    paths(login, logout, me, admin)
)]
struct ApiDoc;

/// The API's document: the handlers' own, the guards' security (the layer's for `/api`, and
/// each `#[paseto_required]` handler's), and the refresh endpoint's operation.
fn openapi(api_guard: &PasetoLayer) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    PasetoSecurity::new()
        .layer("/api", api_guard)
        .revocation_store()
        .modify(&mut doc);
    RefreshOperation::new("/auth/refresh").modify(&mut doc);
    doc
}

/// The API login's body.
#[derive(Deserialize, ToSchema)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

/// Logs in with a password: a token pair, its access token for this API (audience `api`).
#[utoipa::path(post, path = "/auth/login", request_body = Credentials, responses(
    (status = 200, description = "A new token pair", body = schema::TokenPair),
    (status = 400, description = "Wrong email or password (`invalid_grant`)", body = schema::OAuthError),
))]
async fn login(State(state): State<AppState>, Json(form): Json<Credentials>) -> Response {
    let Some(user) = check_password(&form.email, &form.password) else {
        // RFC 6749's answer to wrong credentials at a token endpoint.
        let body = Json(serde_json::json!({ "error": "invalid_grant" }));
        return (StatusCode::BAD_REQUEST, body).into_response();
    };
    let claims = ApiClaims {
        email: user.email.into(),
        role: user.role.into(),
    };
    let options = PairOptions::new()
        .subject(user.id.to_string())
        .audience("api");
    match state.issuer.issue_pair(&claims, options) {
        Ok(pair) => pair_response(pair),
        Err(err) => {
            tracing::error!("could not issue a pair: {err}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Ends this login on every instance that shares the store: the access token, its refresh token
/// and every pair refreshed from them. A 503 may have been recorded: retrying is safe.
#[utoipa::path(post, path = "/auth/logout", responses((status = 204, description = "Logged out")))]
#[paseto_required(aud = "api", claims(fam))]
async fn logout(State(state): State<AppState>, token: Paseto) -> Response {
    match state.refresh.end_family(&token).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => {
            tracing::error!("logout may not be recorded: {err}");
            AuthError::Token(err).into_response()
        }
    }
}

/// The token's account, from its typed claims.
#[utoipa::path(get, path = "/api/me", responses((status = 200, description = "The account", body = ApiClaims)))]
async fn me(token: Paseto<ApiClaims>) -> Json<ApiClaims> {
    Json(token.claims)
}

/// For administrators: the `/api` layer's check, then this handler's (both apply).
#[utoipa::path(get, path = "/api/admin", responses((status = 200, description = "A greeting", body = String)))]
#[paseto_required(claim(role = "admin"))]
async fn admin(token: Paseto<ApiClaims>) -> String {
    format!("Hello, administrator {}", token.claims.email)
}

async fn login_form(csrf: CsrfToken, Query(query): Query<Next>) -> Html<String> {
    let next = next_page(query.next.as_deref(), "/notes");
    Html(format!(
        r#"<!doctype html>
<form method="post" action="/login">
  <input type="email" name="email"> <input type="password" name="password">
  <label><input type="checkbox" name="remember" value="on"> Remember me</label>
  <input type="hidden" name="next" value="{next}">{csrf}
  <input type="submit" value="Log in">
</form>
"#,
        next = escape(next),
        csrf = csrf.form_field()
    ))
}

async fn login_submit(
    session: LoginSession<User>,
    Form(form): Form<LoginForm>,
) -> Result<Response, LoginError> {
    let Some(user) = check_password(&form.email, &form.password) else {
        return Ok((StatusCode::UNAUTHORIZED, Html("Wrong email or password")).into_response());
    };
    session.login(&user, form.remember())?;
    Ok(Redirect::to(form.next_page("/notes")).into_response())
}

#[login_required]
async fn notes(
    user: CurrentUser<User>,
    csrf: CsrfToken,
    State(state): State<AppState>,
) -> Html<String> {
    let notes = state.notes.lock().unwrap_or_else(PoisonError::into_inner);
    let items: String = notes
        .get(&user.id)
        .into_iter()
        .flatten()
        .map(|note| format!("\n  <li>{}</li>", escape(note)))
        .collect();
    Html(format!(
        r#"<!doctype html>
<p id="who">{email} ({role})</p>
<ul>{items}
</ul>
<form method="post" action="/notes"><input name="text">{csrf}<input type="submit" value="Add"></form>
<form method="post" action="/logout">{csrf}<input type="submit" value="Log out"></form>
"#,
        email = escape(user.email),
        role = user.role,
        csrf = csrf.form_field()
    ))
}

/// The form `POST /notes` takes (its CSRF value is the `CsrfLayer`'s to check).
#[derive(Deserialize)]
struct NoteForm {
    text: String,
}

#[login_required]
async fn add_note(
    user: CurrentUser<User>,
    State(state): State<AppState>,
    Form(form): Form<NoteForm>,
) -> Redirect {
    let mut notes = state.notes.lock().unwrap_or_else(PoisonError::into_inner);
    notes.entry(user.id).or_default().push(form.text);
    Redirect::to("/notes")
}

/// Deletes this browser's login cookies and revokes the tokens they hold, copies included.
async fn logout_page(session: LoginSession<User>) -> Result<Redirect, LoginError> {
    session.logout().await?;
    Ok(Redirect::to("/login"))
}

/// The service from the environment (see the settings above).
async fn app_from_env() -> paseto_auth::Result<Router> {
    let (issuer, verifier) = tokens::issuer_and_verifier_from_env()?;
    let revocations = store::revocations_from_env().await?;
    let login_manager = login_layer(
        login_keys_from_env()?,
        remember_cookie_from_env()?,
        revocations.clone(),
    )?;
    app(
        issuer,
        PasetoAuth::new(verifier),
        revocations,
        login_manager,
    )
}

#[tokio::main]
async fn main() {
    serve::init_logging();
    serve::serve(
        app_from_env().await,
        "API: POST /auth/login, /auth/refresh, /auth/logout, GET /api/me, /api/admin, \
         /openapi.json; pages: /login, /notes (user@example.com / user-password)",
    )
    .await;
}
