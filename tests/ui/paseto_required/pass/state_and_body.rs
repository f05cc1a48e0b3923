// The guard needs `PasetoAuth: FromRef<S>`; it comes first, before the body extractor.
use axum::extract::{FromRef, State};
use axum::routing::post;
use axum::{Json, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Clone)]
struct AppState {
    auth: PasetoAuth,
    greeting: &'static str,
}

impl FromRef<AppState> for PasetoAuth {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

#[derive(Deserialize)]
struct Order {
    item: u32,
}

#[paseto_required(claims(user), from = header)]
pub(crate) async fn order(
    State(state): State<AppState>,
    token: Paseto<Claims>,
    Json(order): Json<Order>,
) -> String {
    format!("{} {} {}", state.greeting, token.claims.user, order.item)
}

fn main() {
    let _: Router<AppState> = Router::new().route("/order", post(order));
}
