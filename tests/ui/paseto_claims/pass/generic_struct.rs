use paseto_auth::{PasetoClaims, Timestamp};
use serde::de::DeserializeOwned;
use serde::Deserialize;

// The impl carries the struct's bounds, which must make it `DeserializeOwned + Send + 'static`
// (serde's `bound` keeps serde from adding a second, ambiguous `T: Deserialize<'de>`). A generic
// time claim becomes a bound of the impl: `Claims<_, u64>` would not be `PasetoClaims`.
#[derive(Deserialize, PasetoClaims)]
#[serde(bound = "T: DeserializeOwned, E: DeserializeOwned")]
struct Claims<T: DeserializeOwned + Send + 'static, E = Timestamp>
where
    E: DeserializeOwned + Send + 'static,
{
    data: T,
    exp: E,
}

fn claims<C: PasetoClaims>() -> Vec<(&'static str, bool)> {
    C::CLAIMS.iter().map(|c| (c.name, c.required)).collect()
}

fn main() {
    assert_eq!(claims::<Claims<u32>>(), [("data", true), ("exp", true)]);
    assert_eq!(claims::<Claims<String, Option<Timestamp>>>(), [("data", true), ("exp", true)]);
    let _ = |c: Claims<u8>| (c.data, c.exp);
}
