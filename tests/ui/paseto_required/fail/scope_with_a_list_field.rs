// `scope = ..` grants only a `scope` string, which a `Vec<String>` field cannot read.
use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    scope: Vec<String>,
}

#[paseto_required(scope = "read:orders")]
async fn orders(token: Paseto<Claims>) -> String {
    token.claims.scope.join(" ")
}

fn main() {}
