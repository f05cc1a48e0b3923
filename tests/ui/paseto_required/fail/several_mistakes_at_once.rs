use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

// Every mistake is reported, each at its tokens, in one compilation.
#[paseto_required(iss = "", version = "v5", leeway = "30", expires = "1h")]
fn handler(a: Paseto<Claims>, b: Option<Paseto<Claims>>) -> String {
    a.claims.user + &b.map(|b| b.claims.user).unwrap_or_default()
}

fn main() {}
