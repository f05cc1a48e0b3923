// Without `state = AppState`, a router whose state has no `PasetoAuth` is axum's own error at
// the route (the snapshot is what users see; `state = ..` turns it into a readable one at the
// handler, see state_without_paseto_auth.rs).
use axum::Router;
use axum::routing::get;
use paseto_auth::paseto_required;

#[derive(Clone)]
struct AppState {
    greeting: &'static str,
}

#[paseto_required]
async fn hello() -> &'static str {
    "hello"
}

fn main() {
    let _app: Router = Router::new()
        .route("/", get(hello))
        .with_state(AppState { greeting: "hi" });
}
