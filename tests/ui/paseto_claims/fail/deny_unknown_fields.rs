// Every token's payload holds registered claims (`exp`, `iat`, `jti`, ..) that are not fields.
use paseto_auth::PasetoClaims;
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Claims {
    user_id: String,
}

fn main() {}
