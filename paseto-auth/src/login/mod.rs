//! A login manager for axum (Flask-Login's), with the remember-me cookie as an encrypted PASETO.
//!
//! The application implements [`AuthUser`] for its user type and [`UserLoader`] for the store
//! that finds users by id. A [`LoginManagerLayer`] around the router then gives handlers:
//!
//! - [`CurrentUser<U>`]: the logged-in user (the request is refused when nobody is logged in),
//!   and `Option<CurrentUser<U>>` (`None` when nobody is);
//! - [`LoginSession<U>`]: [`login(&user, remember)`](LoginSession::login) after checking a
//!   password, and [`logout()`](LoginSession::logout);
//! - `#[login_required]` and `#[login_required(fresh)]` on handlers (see
//!   [`login_required`](crate::login_required)).
//!
//! ```
//! use std::convert::Infallible;
//! use axum::{Router, routing::get};
//! use paseto_auth::login::{
//!     AuthUser, CurrentUser, LoginKeys, LoginManager, LoginManagerLayer, UserLoader,
//! };
//! use paseto_auth::login_required;
//! use paseto_auth::Version;
//!
//! #[derive(Clone)]
//! struct User {
//!     id: u64,
//!     email: String,
//!     password_hash: String,
//! }
//!
//! impl AuthUser for User {
//!     type Id = u64;
//!     fn id(&self) -> u64 {
//!         self.id
//!     }
//!     // Changing the password ends every session and remember-me cookie of the user.
//!     fn auth_hash(&self) -> Option<&[u8]> {
//!         Some(self.password_hash.as_bytes())
//!     }
//! }
//!
//! #[derive(Clone)]
//! struct Users(Vec<User>);
//!
//! impl UserLoader for Users {
//!     type User = User;
//!     type Error = Infallible;
//!     async fn load_user(&self, id: &u64) -> Result<Option<User>, Infallible> {
//!         Ok(self.0.iter().find(|user| user.id == *id).cloned())
//!     }
//! }
//!
//! #[login_required]
//! async fn protected(user: CurrentUser<User>) -> String {
//!     format!("Logged in as: {}", user.email)
//! }
//!
//! let manager = LoginManager::new(Users(Vec::new()), LoginKeys::generate(Version::V4)?)
//!     .login_url("/login");
//! let app: Router = Router::new()
//!     .route("/protected", get(protected))
//!     .layer(LoginManagerLayer::new(manager)?);
//! # let _ = app;
//! # Ok::<(), paseto_auth::Error>(())
//! ```
//!
//! # The cookies
//!
//! The login state lives in the *login session* cookie (default name `login_session`, a
//! browser-session cookie): a `local` token sealed with the session keys, holding the user id,
//! whether the login is fresh, a random session id and a digest of the user's auth hash. The
//! *remember-me* cookie (default `remember_token`, 365 days, set by `login(&user, true)`) is a
//! `local` token sealed with the remember keys, with `sub` (the user id), `iat`, `exp`, `jti` (a
//! random id) and the auth-hash digest. Each is bound to its purpose and cookie name (implicit
//! assertion, and claims checked after decryption), so neither is accepted in the other's place,
//! even when both use the same key.
//!
//! For each request that asks who is logged in (the first `CurrentUser`, `LoginSession` query or
//! `#[login_required]` guard; the answer is kept for the rest of the request, so the user is
//! loaded at most once):
//!
//! 1. a valid login session cookie names the user, who is loaded; the login is fresh if it came
//!    from [`LoginSession::login`];
//! 2. otherwise a valid remember-me cookie names the user, who is loaded and *restored*: the
//!    login is not fresh, and a new login session cookie is sent;
//! 3. otherwise nobody is logged in.
//!
//! A tampered, expired, garbage, wrong-key or wrong-purpose cookie counts as absent, is deleted
//! (`Set-Cookie` with `Max-Age=0`) and logged with `tracing::warn!`; it never causes an error
//! response. A user who no longer exists, or whose [`AuthUser::auth_hash`] changed since the
//! cookie was sealed, is logged out: both cookies are deleted.
//!
//! A token is also refused when it is older than its cookie's *current* lifetime (as session
//! cookies are), so shortening the remember-me duration shortens the tokens already issued. With `refresh_each_request`, a
//! remember-me token is re-issued only if it would log the user in (same user, same auth hash).
//!
//! Tokens live in cookies. Without a revocation store a copied cookie works until its `exp`
//! ([`LoginSession::logout`] then deletes this browser's cookies only): keep the remember-me
//! duration as short as users accept, and change a user's auth hash (or rotate the keys) to end
//! their logins everywhere. With one ([`LoginManager::revocations`]), a logout revokes the
//! login's family — every copy of its cookies — on every instance that shares the store, and
//! [`LoginSession::logout_everywhere`] every login of the user. Where sibling subdomains are not trusted, name the
//! cookies with the `__Host-` prefix (see [`CookieSettings`]).

mod context;
mod extract;
mod guard;
mod keys;
mod manager;
mod refusal;
mod remember;
mod settings;
mod state;
#[cfg(test)]
mod tests;
mod user;

pub use context::LoginError;
pub use extract::{CurrentUser, LoginSession};
pub use guard::{LoginCheck, LoginRequiredLayer};
pub use keys::LoginKeys;
pub use manager::{LoginManager, LoginManagerLayer, LoginManagerService};
pub use refusal::{LoginRejection, RedirectPolicy, Refusal, safe_next};
pub use settings::{CookieSettings, DEFAULT_REMEMBER_DURATION};
pub use user::{AuthUser, LoaderFailure, UserLoader};

pub(crate) use guard::check_login;
