// Without `optional` the guard refuses a request without a token: the `None` branch never runs.
use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

#[paseto_required(aud = "api")]
async fn handler(token: Option<Paseto<Claims>>) -> String {
    match token {
        Some(token) => token.claims.user,
        None => "anonymous".to_owned(),
    }
}

fn main() {}
