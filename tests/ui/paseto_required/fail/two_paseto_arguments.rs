use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

#[paseto_required]
async fn handler(a: Paseto<Claims>, b: Paseto<Claims>) -> String { a.claims.user + &b.claims.user }

fn main() {}
