use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

const ISSUER: &str = "https://issuer.example";

#[paseto_required(iss = ISSUER)]
async fn handler(token: Paseto<Claims>) -> String { token.claims.user }

fn main() {}
