// A `claim(..)` literal no value of the field's type can equal: every token would get 403.
use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
struct Claims {
    level: u32,
    role: String,
    beta: Option<bool>,
    teams: Vec<String>,
}

#[paseto_required(claim(level = "3", role = 7, beta = "yes", teams = 1))]
async fn quoted(token: Paseto<Claims>) -> String {
    token.claims.role
}

#[paseto_required(claim(level = 3.0))]
async fn float(token: Paseto<Claims>) -> String {
    token.claims.role
}

fn main() {}
