// `claims(..)` is checked against `PasetoClaims::CLAIMS`, so a hand-written impl is checked too.
use paseto_auth::ClaimField;
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::Deserialize;

#[derive(Deserialize)]
struct Scoped {
    scope: String,
}

impl PasetoClaims for Scoped {
    const CLAIMS: &'static [ClaimField] = &[ClaimField::required("scope")];
}

#[paseto_required(claims(scope, tenant))]
async fn handler(token: Paseto<Scoped>) -> String {
    token.claims.scope
}

fn main() {}
