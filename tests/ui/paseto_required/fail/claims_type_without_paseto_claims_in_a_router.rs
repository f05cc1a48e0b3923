// The missing derive, in a handler mounted in a router as a user would: the error is at the
// claims type, with `PasetoClaims`' own message.
use axum::Router;
use axum::routing::get;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{Paseto, paseto_required};
use serde::Deserialize;

#[derive(Deserialize)]
struct NotClaims {
    user: String,
}

#[paseto_required]
async fn handler(token: Paseto<NotClaims>) -> String {
    token.claims.user
}

fn main() {
    let _app: Router<PasetoAuth> = Router::new().route("/", get(handler));
}
