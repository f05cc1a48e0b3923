// `#[login_required]` and `#[login_required(fresh)]` on handlers of a router with the login
// manager layer: with and without other arguments, generic, public, through a path.
use std::convert::Infallible;

use axum::http::Uri;
use axum::{Router, routing::get};
use paseto_auth::Version;
use paseto_auth::login::{
    AuthUser, CurrentUser, LoginKeys, LoginManager, LoginManagerLayer, UserLoader,
};
use paseto_auth::login_required;

#[derive(Clone)]
pub struct User {
    id: u64,
    name: String,
}

impl AuthUser for User {
    type Id = u64;
    fn id(&self) -> u64 {
        self.id
    }
}

#[derive(Clone)]
struct Users(Vec<User>);

impl UserLoader for Users {
    type User = User;
    type Error = Infallible;
    async fn load_user(&self, id: &u64) -> Result<Option<User>, Infallible> {
        Ok(self.0.iter().find(|user| user.id == *id).cloned())
    }
}

#[login_required]
async fn profile(user: CurrentUser<User>) -> String {
    format!("Logged in as: {}", user.name)
}

#[login_required(fresh)]
pub async fn settings(user: CurrentUser<User>, uri: Uri) -> String {
    format!("{} at {uri}, fresh: {}", user.name, user.is_fresh())
}

// The guard alone: the handler does not need the user.
#[login_required]
async fn members_only() -> &'static str {
    "welcome"
}

#[paseto_auth::login_required(fresh)]
async fn generic<U: AuthUser>(user: CurrentUser<U>) -> String {
    user.id().to_string()
}

fn main() -> Result<(), paseto_auth::Error> {
    let manager =
        LoginManager::new(Users(Vec::new()), LoginKeys::generate(Version::V4)?).login_url("/login");
    let _: Router = Router::new()
        .route("/profile", get(profile))
        .route("/settings", get(settings))
        .route("/members", get(members_only))
        .route("/id", get(generic::<User>))
        .layer(LoginManagerLayer::new(manager)?);
    Ok(())
}
