// A handler generic over its claims type: the type is checked to implement `PasetoClaims` when
// it is known, at the route.
use axum::{routing::get, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

#[paseto_required(aud = "api")]
async fn count<C: PasetoClaims>(token: Paseto<C>) -> String {
    format!("{} claims, {:?}", C::CLAIMS.len(), token.version())
}

fn main() {
    let _: Router<PasetoAuth> = Router::new().route("/", get(count::<Claims>));
    let _ = |c: Claims| c.user;
}
