// `scope`, `claim(..)` and both forms of `check`, on typed and untyped claims.
use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    scope: String,
    role: String,
    level: u32,
    beta: bool,
    // An array claim holding the value passes `claim(..)`; an integer literal may equal a float.
    teams: Vec<String>,
    weight: f64,
}

#[derive(Clone)]
struct Limit(u32);

#[derive(Clone, FromRef)]
struct AppState {
    auth: PasetoAuth,
    limit: Limit,
}

fn is_admin(claims: &Claims) -> bool {
    claims.role == "admin"
}

async fn within_limit(claims: &Claims, limit: &Limit) -> Result<(), String> {
    if claims.scope.len() as u32 <= limit.0 { Ok(()) } else { Err("too many scopes".into()) }
}

fn untyped(claims: &paseto_auth::__private::UntypedClaims) -> bool {
    claims.contains_key("role")
}

#[paseto_required(scope = "read:orders", claim(role = "admin", level = 2, beta = true, teams = "ops", weight = 2), check = is_admin)]
async fn typed(token: Paseto<Claims>) -> String {
    token.claims.role
}

#[paseto_required(check = within_limit, state = AppState)]
async fn stateful(token: Paseto<Claims>) -> String {
    token.claims.scope
}

#[paseto_required(check = untyped, claim(role = "admin"))]
async fn bare(token: Paseto) -> String {
    format!("{:?}", token.claims)
}

fn main() {
    let _: Router<AppState> = Router::new()
        .route("/typed", get(typed))
        .route("/stateful", get(stateful))
        .route("/bare", get(bare));
}
