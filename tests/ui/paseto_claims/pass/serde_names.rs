// The derive's claim names are the names serde reads: a JSON object with exactly the recorded
// names deserializes (every field is required, so a name serde does not read would leave one
// missing), for every `rename_all` rule and field attribute.
use paseto_auth::PasetoClaims;
use serde::de::DeserializeOwned;
use serde::Deserialize;

macro_rules! rule {
    ($name:ident, $rule:literal) => {
        #[derive(Deserialize, PasetoClaims)]
        #[serde(rename_all = $rule)]
        #[allow(dead_code)]
        struct $name {
            user_id: u8,
            a: u8,
            very_long_name2: u8,
            #[serde(rename = "Kept-As-Is")]
            renamed: u8,
            #[serde(rename(serialize = "out", deserialize = "in"))]
            one_way: u8,
            r#type: u8,
        }
    };
}

rule!(Lower, "lowercase");
rule!(Upper, "UPPERCASE");
rule!(Pascal, "PascalCase");
rule!(Camel, "camelCase");
rule!(Snake, "snake_case");
rule!(ScreamingSnake, "SCREAMING_SNAKE_CASE");
rule!(Kebab, "kebab-case");
rule!(ScreamingKebab, "SCREAMING-KEBAB-CASE");

#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all(serialize = "UPPERCASE", deserialize = "camelCase"))]
#[allow(dead_code)]
struct DeserializeSide {
    user_id: u8,
}

fn reads_its_claims<C: PasetoClaims + DeserializeOwned>() -> Vec<&'static str> {
    let object: serde_json::Map<String, serde_json::Value> = C::CLAIMS
        .iter()
        .map(|claim| (claim.name.to_owned(), serde_json::json!(1)))
        .collect();
    if let Err(err) = serde_json::from_value::<C>(object.into()) {
        panic!("{}: {err}", std::any::type_name::<C>());
    }
    C::CLAIMS.iter().map(|claim| claim.name).collect()
}

fn main() {
    assert_eq!(
        reads_its_claims::<Camel>(),
        ["userId", "a", "veryLongName2", "Kept-As-Is", "in", "type"]
    );
    assert_eq!(
        reads_its_claims::<ScreamingKebab>(),
        ["USER-ID", "A", "VERY-LONG-NAME2", "Kept-As-Is", "in", "TYPE"]
    );
    reads_its_claims::<Lower>();
    reads_its_claims::<Upper>();
    reads_its_claims::<Pascal>();
    reads_its_claims::<Snake>();
    reads_its_claims::<ScreamingSnake>();
    reads_its_claims::<Kebab>();
    assert_eq!(reads_its_claims::<DeserializeSide>(), ["userId"]);
}
