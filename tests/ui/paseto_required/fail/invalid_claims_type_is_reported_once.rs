use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::Deserialize;

// One mistake in the claims type: its derive reports it, and the handler using the type and
// checking `claims(user)` does not add more errors.
#[derive(Deserialize, PasetoClaims)]
struct Claims {
    #[paseto(hidden)]
    user: String,
}

#[paseto_required(claims(user))]
async fn handler(token: Paseto<Claims>) -> String {
    token.claims.user
}

fn main() {}
