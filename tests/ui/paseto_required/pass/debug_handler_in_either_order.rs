// `#[axum::debug_handler]` works above or below `#[paseto_required]` (and `#[login_required]`):
// above, it checks the handler as written; below, it also checks the inserted guard.
use axum::Router;
use axum::routing::get;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::login::{AuthUser, CurrentUser};
use paseto_auth::{Paseto, login_required, paseto_required};
use serde_json::Value;

struct User;

impl AuthUser for User {
    type Id = u32;
    fn id(&self) -> u32 {
        1
    }
}

#[axum::debug_handler(state = PasetoAuth)]
#[paseto_required(aud = "api")]
async fn debug_outside(token: Paseto<Value>) -> String {
    token.claims.to_string()
}

#[paseto_required(aud = "api", optional)]
#[axum::debug_handler(state = PasetoAuth)]
async fn debug_inside(token: Option<Paseto<Value>>) -> String {
    format!("{}", token.is_some())
}

#[axum::debug_handler(state = PasetoAuth)]
#[login_required]
async fn login_debug_outside(user: CurrentUser<User>) -> String {
    user.id().to_string()
}

#[login_required(fresh)]
#[axum::debug_handler(state = PasetoAuth)]
async fn login_debug_inside(user: CurrentUser<User>) -> String {
    user.id().to_string()
}

fn app(auth: PasetoAuth) -> Router {
    Router::new()
        .route("/outside", get(debug_outside))
        .route("/inside", get(debug_inside))
        .route("/login/outside", get(login_debug_outside))
        .route("/login/inside", get(login_debug_inside))
        .with_state(auth)
}

fn main() {
    let _ = app;
}
