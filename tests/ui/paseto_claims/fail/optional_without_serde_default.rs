// `#[paseto(optional)]` does not make serde accept a token without the claim.
use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
    #[paseto(optional)]
    roles: Vec<String>,
}

fn main() {}
