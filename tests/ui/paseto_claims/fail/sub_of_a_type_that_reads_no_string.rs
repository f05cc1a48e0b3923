// `sub`, `iss` and `jti` are strings in every token: a number never reads one.
use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    sub: u64,
    #[serde(rename = "jti")]
    token_id: Option<u128>,
}

fn main() {}
