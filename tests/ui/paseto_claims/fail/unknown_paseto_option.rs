use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    #[paseto(hidden)]
    user: String,
}

fn main() {}
