use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_name: String,
}

// The token's claim is `userName`: `claims(..)` takes the names in the token.
#[paseto_required(claims(user_name))]
async fn handler(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

fn main() {}
