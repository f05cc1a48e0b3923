use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
    exp: u64,
}

fn main() {}
