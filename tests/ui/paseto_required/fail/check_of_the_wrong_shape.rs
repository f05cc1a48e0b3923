// A check is `fn(&C) -> bool` or `async fn(&C, &T) -> Result<(), E>`; anything else is refused
// at its path, and so is an async check without the router's state type.
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    age: u32,
}

fn returns_a_number(claims: &Claims) -> u32 {
    claims.age
}

#[paseto_required(check = returns_a_number)]
async fn numbers(token: Paseto<Claims>) -> String {
    token.claims.age.to_string()
}

async fn reads_state(claims: &Claims, limit: &u32) -> Result<(), ()> {
    if claims.age < *limit { Ok(()) } else { Err(()) }
}

#[paseto_required(check = reads_state)]
async fn stateful(token: Paseto<Claims>) -> String {
    token.claims.age.to_string()
}

fn main() {}
