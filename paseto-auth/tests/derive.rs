//! `#[derive(PasetoClaims)]` with the runtime crate alone: CI also runs this file with
//! `--no-default-features`, so the derive does not depend on the axum glue. Generic claims
//! structs need no hand-written serde bounds.

#[allow(dead_code)]
#[path = "../../tests/support/keys.rs"]
mod support;

use paseto_auth::{PasetoClaims, Timestamp, Version};
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize, PasetoClaims)]
struct Plain {
    user: String,
    nickname: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize, PasetoClaims)]
struct Generic<T> {
    data: T,
    exp: Option<Timestamp>,
}

/// The claims a `PasetoClaims` type declares, as (name, required).
fn claims_of<C: PasetoClaims>() -> Vec<(&'static str, bool)> {
    C::CLAIMS.iter().map(|c| (c.name, c.required)).collect()
}

type MaybeLevel = Option<u8>;

/// Every way serde names a field, and the `#[paseto]` options.
#[allow(dead_code)]
#[derive(Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Named {
    user_id: String,
    nickname: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(rename = "x-tenant")]
    tenant: String,
    #[serde(
        rename(serialize = "ignored", deserialize = "org"),
        alias = "organisation"
    )]
    organisation_id: u32,
    // An `Option` the derive cannot see by its spelling: `optional` says so.
    #[paseto(optional)]
    level: MaybeLevel,
    #[paseto(required)]
    note: Option<String>,
    #[paseto(skip)]
    #[serde(default)]
    skipped: u8,
    #[serde(skip)]
    cache: u8,
    r#type: String,
    exp: Timestamp,
}

#[allow(dead_code)]
#[derive(Deserialize, PasetoClaims)]
#[serde(default)]
struct AllDefaulted {
    user: String,
}

impl Default for AllDefaulted {
    fn default() -> Self {
        AllDefaulted {
            user: "guest".into(),
        }
    }
}

#[allow(dead_code)]
#[derive(Deserialize, PasetoClaims)]
struct Flattened {
    user: String,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

#[allow(dead_code)]
#[derive(Deserialize, PasetoClaims)]
#[serde(transparent)]
struct Transparent {
    inner: serde_json::Value,
}

#[test]
fn the_derive_names_claims_as_serde_reads_them() {
    assert_eq!(
        claims_of::<Named>(),
        [
            ("userId", true),
            ("nickname", false),
            ("roles", false),
            ("x-tenant", true),
            ("org", true),
            ("level", false),
            ("note", true),
            ("type", true),
            ("exp", true),
        ]
    );
    let org = Named::CLAIMS.iter().find(|c| c.name == "org").unwrap();
    assert_eq!(org.aliases, ["organisation"]);
    assert_eq!(claims_of::<AllDefaulted>(), [("user", false)]);
}

#[test]
fn types_that_read_any_claim_say_their_claims_are_not_known() {
    // A flattened field or a transparent struct reads claims the list cannot name.
    assert_eq!(claims_of::<Flattened>(), [("user", true)]);
    assert_eq!(claims_of::<Transparent>(), []);
    let known = [
        Named::CLAIMS_KNOWN,
        Flattened::CLAIMS_KNOWN,
        Transparent::CLAIMS_KNOWN,
        <serde_json::Value as PasetoClaims>::CLAIMS_KNOWN,
    ];
    assert_eq!(known, [true, false, false, false]);
}

#[test]
fn the_derive_lists_the_claims_without_the_axum_feature() {
    assert_eq!(claims_of::<Plain>(), [("user", true), ("nickname", false)]);
    assert_eq!(
        claims_of::<Generic<Vec<u8>>>(),
        [("data", true), ("exp", false)]
    );
}

#[test]
fn a_generic_claims_struct_round_trips_through_issuer_and_verifier() {
    let support::Setup {
        issuer, verifier, ..
    } = support::setup(Version::V4);
    let token = issuer
        .issue(&serde_json::json!({"data": [1, 2, 3]}))
        .unwrap();
    let verified = verifier.verify::<Generic<Vec<u8>>>(&token).unwrap();
    assert_eq!(verified.claims.data, [1, 2, 3]);
    assert!(verified.claims.exp.is_some(), "the issuer adds exp");
}
