use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    #[paseto(optional, required)]
    user: String,
}

fn main() {}
