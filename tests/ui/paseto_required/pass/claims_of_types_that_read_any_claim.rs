// A struct with a flattened field reads claims its fields do not name, and `serde_json::Value`
// reads any: `claims(..)` names are not checked against them at compile time (the guard checks
// them at run time).
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize, PasetoClaims)]
struct Open {
    user: String,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[paseto_required(claims(user, tenant))]
async fn flattened(token: Paseto<Open>) -> String {
    format!("{} {}", token.claims.user, token.claims.rest.len())
}

#[paseto_required(claims(tenant))]
async fn untyped(token: Paseto<Value>) -> String {
    token.claims["tenant"].to_string()
}

fn main() {
    let _ = (flattened, untyped);
}
