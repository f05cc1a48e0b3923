// Untyped claims (`serde_json::Value`, the default map of a bare `Paseto`) have no fields to
// check `claims(..)` against at compile time: the names are checked when a request comes.
use axum::{routing::get, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{paseto_required, Paseto};

#[paseto_required(claims(roles, "x-tenant"))]
async fn value(token: Paseto<serde_json::Value>) -> String {
    token.claims["roles"].to_string()
}

#[paseto_required(claims(roles))]
async fn map(token: Paseto) -> String {
    format!("{:?}", token.claims.get("roles"))
}

// A `transparent` struct is read as its one field, so its field names are not claims either.
#[derive(serde::Deserialize, paseto_auth::PasetoClaims)]
#[serde(transparent)]
struct Raw {
    inner: serde_json::Value,
}

#[paseto_required(claims(roles))]
async fn transparent(token: Paseto<Raw>) -> String {
    token.claims.inner.to_string()
}

fn main() {
    let _: Router<PasetoAuth> = Router::new()
        .route("/value", get(value))
        .route("/map", get(map))
        .route("/transparent", get(transparent));
}
