//! `#[derive(PasetoClaims)]` with the runtime crate alone: CI also runs this file with
//! `--no-default-features`, so the derive does not depend on the axum glue. Generic claims
//! structs need no hand-written serde bounds.

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
