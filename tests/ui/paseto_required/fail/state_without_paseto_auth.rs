// `state = AppState` checks at the handler that the router's state provides `PasetoAuth`.
use axum::Router;
use axum::routing::get;
use paseto_auth::paseto_required;

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[paseto_required(state = AppState)]
async fn hello() -> &'static str {
    "hello"
}

fn main() {
    let _app: Router = Router::new()
        .route("/", get(hello))
        .with_state(AppState { greeting: "hi" });
}
