// A check takes the handler's claims type: one written for other claims is refused at its path.
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    age: u32,
}

#[derive(Deserialize, PasetoClaims)]
struct Other {
    name: String,
}

fn is_named(claims: &Other) -> bool {
    !claims.name.is_empty()
}

#[paseto_required(check = is_named)]
async fn handler(token: Paseto<Claims>) -> String {
    token.claims.age.to_string()
}

fn main() {}
