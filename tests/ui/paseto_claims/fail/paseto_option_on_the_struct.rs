use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
#[paseto(optional)]
struct Claims {
    user: String,
}

fn main() {}
