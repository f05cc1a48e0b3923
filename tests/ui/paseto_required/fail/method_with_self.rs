use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    user: String,
}

struct Api;

impl Api {
    #[paseto_required]
    async fn handler(&self, token: Paseto<Claims>) -> String {
        token.claims.user
    }
}

fn main() {}
