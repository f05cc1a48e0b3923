use axum::{routing::get, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{paseto_required, Paseto, PasetoClaims, Timestamp};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
pub struct Claims {
    user: String,
    #[serde(rename = "x-tenant")]
    tenant: String,
    exp: Timestamp,
}

#[paseto_required(
    iss = ["https://a.example", "https://b.example"],
    aud = "api",
    sub = "alice",
    claims(user, "x-tenant", exp),
    version = "v4",
    purpose = "public",
    leeway = "1m30s",
    from = query("token"),
)]
pub async fn handler(token: Paseto<Claims>) -> String {
    format!("{} {} {:?}", token.claims.user, token.claims.tenant, token.claims.exp)
}

#[paseto_required(optional, from = header)]
async fn maybe(token: Option<Paseto<Claims>>) -> &'static str {
    if token.is_some() { "user" } else { "anonymous" }
}

fn main() {
    let _: Router<PasetoAuth> = Router::new().route("/", get(handler)).route("/maybe", get(maybe));
}
