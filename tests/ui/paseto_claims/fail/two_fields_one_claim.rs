use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_id: String,
    #[serde(rename = "userId")]
    legacy_id: String,
}

fn main() {}
