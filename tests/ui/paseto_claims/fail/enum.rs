use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
enum Claims {
    User { name: String },
}

fn main() {}
