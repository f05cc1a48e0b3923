// `state = AppState` compiles when the state provides `PasetoAuth`.
use axum::extract::{FromRef, State};
use axum::routing::get;
use axum::Router;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{paseto_required, Paseto};
use serde_json::Value;

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

#[paseto_required(state = AppState, aud = "api")]
async fn hello(State(state): State<AppState>, token: Paseto<Value>) -> String {
    format!("{} {}", state.greeting, token.claims)
}

fn app(state: AppState) -> Router {
    Router::new().route("/", get(hello)).with_state(state)
}

fn main() {
    let _ = app;
}
