// `scope = ..` needs a `scope` claim and `claim(..)` a claim of that name in the claims type.
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    #[serde(rename = "userRole")]
    user_role: String,
}

#[paseto_required(scope = "read:orders", claim(user_role = "admin"))]
async fn handler(token: Paseto<Claims>) -> String {
    token.claims.user_role
}

fn main() {}
