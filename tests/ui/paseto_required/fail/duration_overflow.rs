use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

#[paseto_required(leeway = "99999999999999999d")]
async fn handler(token: Paseto<Claims>) -> String {
    token.claims.user
}

fn main() {}
