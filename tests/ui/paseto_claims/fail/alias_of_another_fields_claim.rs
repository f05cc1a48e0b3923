// An alias equal to another field's claim name: serde fills only one of the two fields.
use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_id: String,
    #[serde(alias = "userId")]
    legacy_id: Option<String>,
}

fn main() {}
