use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
    #[serde(skip)]
    #[paseto(required)]
    cache: u32,
}

fn main() {}
