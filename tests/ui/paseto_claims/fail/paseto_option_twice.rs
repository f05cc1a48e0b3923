use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    #[paseto(skip, skip)]
    user: String,
}

fn main() {}
