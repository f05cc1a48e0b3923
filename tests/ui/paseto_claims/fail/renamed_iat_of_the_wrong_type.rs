use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
    // Read from the token's `iat`, so it must be a time.
    #[serde(rename = "iat")]
    issued_at: String,
}

fn main() {}
