use paseto_auth::{paseto_required, Paseto};
use serde::Deserialize;

#[derive(Deserialize)]
struct NotClaims {
    user: String,
}

#[paseto_required]
async fn handler(token: Paseto<NotClaims>) -> String {
    token.claims.user
}

fn main() {}
