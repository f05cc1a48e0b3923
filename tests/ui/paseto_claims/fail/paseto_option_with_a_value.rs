use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    #[paseto(optional = true)]
    nickname: String,
}

fn main() {}
