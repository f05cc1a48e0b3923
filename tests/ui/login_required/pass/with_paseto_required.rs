// `#[login_required]` composes with `#[paseto_required]`, in either order: each inserts its guard.
use std::convert::Infallible;

use axum::{Json, Router, routing::post};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::login::{
    AuthUser, CurrentUser, LoginKeys, LoginManager, LoginManagerLayer, UserLoader,
};
use paseto_auth::{Paseto, PasetoClaims, Version, login_required, paseto_required};
use serde::Deserialize;

#[derive(Clone)]
struct User {
    id: u32,
}

impl AuthUser for User {
    type Id = u32;
    fn id(&self) -> u32 {
        self.id
    }
}

struct Users;

impl UserLoader for Users {
    type User = User;
    type Error = Infallible;
    async fn load_user(&self, id: &u32) -> Result<Option<User>, Infallible> {
        Ok(Some(User { id: *id }))
    }
}

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    scope: String,
}

#[derive(Deserialize)]
struct Order {
    item: u32,
}

#[login_required(fresh)]
#[paseto_required(aud = "api", claims(scope))]
async fn login_outer(
    user: CurrentUser<User>,
    token: Paseto<Claims>,
    Json(order): Json<Order>,
) -> String {
    format!("{} {} {}", user.id, token.claims.scope, order.item)
}

#[paseto_required(aud = "api")]
#[login_required]
async fn paseto_outer(user: CurrentUser<User>, token: Paseto<Claims>) -> String {
    format!("{} {}", user.id, token.claims.scope)
}

fn main() -> Result<(), paseto_auth::Error> {
    let manager = LoginManager::new(Users, LoginKeys::generate(Version::V4)?);
    let _: Router<PasetoAuth> = Router::new()
        .route("/a", post(login_outer))
        .route("/b", post(paseto_outer))
        .layer(LoginManagerLayer::new(manager)?);
    Ok(())
}
