use paseto_auth::{PasetoClaims, Timestamp};
use serde::Deserialize;

#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_name: String,
    nickname: Option<String>,
    #[paseto(optional)]
    #[serde(default)]
    roles: Vec<String>,
    #[paseto(skip)]
    #[serde(skip)]
    cache: u8,
    nbf: Option<Timestamp>,
}

fn main() {
    let names: Vec<_> = Claims::CLAIMS.iter().map(|c| (c.name, c.required)).collect();
    assert_eq!(names, [("userName", true), ("nickname", false), ("roles", false), ("nbf", false)]);
}
