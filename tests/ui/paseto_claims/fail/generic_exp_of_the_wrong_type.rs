use paseto_auth::{paseto_required, Paseto, PasetoClaims};
use serde::de::DeserializeOwned;
use serde::Deserialize;

// A generic `exp` is checked where the type is known: `Claims<u64>` is not claims.
#[derive(Deserialize, PasetoClaims)]
#[serde(bound = "E: DeserializeOwned")]
struct Claims<E: DeserializeOwned + Send + 'static> {
    user: String,
    exp: E,
}

#[paseto_required]
async fn handler(token: Paseto<Claims<u64>>) -> String {
    token.claims.user
}

fn main() {}
