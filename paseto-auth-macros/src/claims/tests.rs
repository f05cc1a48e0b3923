use quote::quote;
use syn::parse_quote;

use super::derive;
use crate::errors::messages as errors;

fn expand(input: syn::DeriveInput) -> String {
    derive(&input).to_string()
}

#[test]
fn names_and_requiredness() {
    let out = expand(parse_quote! {
        #[serde(rename_all = "camelCase")]
        struct Claims {
            user_id: String,
            nickname: Option<String>,
            #[serde(default)]
            roles: Vec<String>,
            #[serde(rename = "x-tenant")]
            tenant: String,
            #[serde(rename(serialize = "ignored", deserialize = "org"), alias = "organisation")]
            organisation_id: u32,
            #[paseto(optional)]
            level: u8,
            #[paseto(required)]
            note: Option<String>,
            #[paseto(skip)]
            skipped: u8,
            #[serde(skip)]
            cache: u8,
            #[serde(flatten)]
            rest: Extra,
            r#type: String,
        }
    });
    assert!(errors(&out).is_empty(), "{out}");
    let claim = |name: &str, required: bool| {
        quote!(::paseto_auth::__private::ClaimField { name: #name, required: #required })
            .to_string()
    };
    let expected = [
        claim("userId", true),
        claim("nickname", false),
        claim("roles", false),
        claim("x-tenant", true),
        claim("org", true),
        claim("level", false),
        claim("note", true),
        claim("type", true),
    ]
    .join(" , ");
    assert!(out.contains(&format!("& [{expected}]")), "{out}");
    for marker in [
        "__paseto_claims_derived",
        "__paseto_claim_userId",
        "__paseto_claim_x_x2D_tenant",
        "__paseto_claim_org",
        "__paseto_claim_organisation",
        "__paseto_claim_type",
    ] {
        assert!(
            out.contains(&format!("pub const {marker} : () = () ;")),
            "{marker}"
        );
    }
    for absent in ["skipped", "cache", "rest", "organisationId", "ignored"] {
        assert!(!out.contains(&format!("\"{absent}\"")), "{absent}");
    }
}

#[test]
fn container_default_makes_every_claim_optional() {
    let out = expand(parse_quote! {
        #[serde(default)]
        struct Claims { user: String }
    });
    assert!(out.contains("name : \"user\" , required : false"), "{out}");
}

#[test]
fn time_claims_are_checked_at_their_types() {
    let out = expand(parse_quote! {
        struct Claims { exp: Timestamp, #[serde(rename = "nbf")] not_before: Option<Timestamp>, iat2: u64 }
    });
    assert!(
        out.contains("assert_time_claim :: < Timestamp > ()"),
        "{out}"
    );
    assert!(
        out.contains("assert_time_claim :: < Option < Timestamp > > ()"),
        "{out}"
    );
    assert!(!out.contains("assert_time_claim :: < u64 >"), "{out}");
}

#[test]
fn generic_structs_bound_time_claims_in_the_impl() {
    let out = expand(parse_quote! {
        struct Claims<T: Clone> where T: Send { exp: T, data: Vec<T> }
    });
    assert!(errors(&out).is_empty(), "{out}");
    assert!(
        out.contains("impl < T : Clone > :: paseto_auth :: PasetoClaims for Claims < T > where T : Send , T : :: paseto_auth :: __private :: TimeClaim , Claims < T > : :: paseto_auth :: __private :: DeserializeOwned + :: core :: marker :: Send + 'static"),
        "{out}"
    );
    // The markers need no time bound.
    assert!(
        out.contains("impl < T : Clone > Claims < T > where T : Send {"),
        "{out}"
    );
}

#[test]
fn indirect_serde_containers_have_no_known_claims() {
    for input in [
        parse_quote!(
            #[serde(transparent)]
            struct Claims {
                inner: Value,
            }
        ),
        parse_quote!(
            #[serde(from = "Raw")]
            struct Claims {
                user: String,
            }
        ),
        parse_quote!(
            #[serde(try_from = "Raw")]
            struct Claims {
                user: String,
            }
        ),
    ] {
        let out = expand(input);
        assert!(errors(&out).is_empty(), "{out}");
        assert!(
            out.contains(
                "const CLAIMS : & 'static [:: paseto_auth :: __private :: ClaimField] = & [] ;"
            ),
            "{out}"
        );
        assert!(!out.contains("__paseto_claim"), "{out}");
    }
}

#[test]
fn every_mistake_is_reported_beside_a_stub_impl() {
    let out = expand(parse_quote! {
        #[paseto(optional)]
        struct Claims {
            #[paseto(hidden, skip, skip)]
            a: String,
            #[paseto(optional, required)]
            b: String,
            #[paseto(optional = true)]
            c: String,
            #[serde(skip)]
            #[paseto(required)]
            d: String,
            #[serde(rename = "b")]
            e: String,
        }
    });
    assert_eq!(
        errors(&out),
        [
            "`#[paseto(...)]` goes on fields (optional, required, skip), not on the struct",
            "unknown option `hidden`; expected one of: optional, required, skip",
            "`skip` is given twice",
            "a claim cannot be both `optional` and `required`",
            "`optional` takes no value: write `#[paseto(optional)]`",
            "`required` has no effect: serde's `skip`, `skip_deserializing` or `flatten` leaves this field out of the claims",
            "claim `b` is read twice: field `b` already has this name",
        ]
    );
    assert!(out.contains("= & [] ;"), "{out}");
    assert!(!out.contains("__paseto_claim"), "{out}");
}

#[test]
fn not_a_struct_with_named_fields() {
    for (input, message) in [
        (
            parse_quote!(
                enum Claims {
                    A { x: u8 },
                }
            ),
            "`PasetoClaims` cannot be derived for an enum: claims are a struct with named fields",
        ),
        (
            parse_quote!(union Claims { x: u8 }),
            "`PasetoClaims` cannot be derived for a union: claims are a struct with named fields",
        ),
        (
            parse_quote!(
                struct Claims(String);
            ),
            "`PasetoClaims` needs named fields (each field is a claim), not a tuple struct",
        ),
        (
            parse_quote!(
                struct Claims;
            ),
            "`PasetoClaims` needs named fields (each field is a claim), not a unit struct",
        ),
    ] {
        let input: syn::DeriveInput = input;
        let union = matches!(input.data, syn::Data::Union(_));
        let out = expand(input);
        assert_eq!(errors(&out), [message]);
        assert_eq!(
            out.contains("impl :: paseto_auth :: PasetoClaims for Claims"),
            !union,
            "{out}"
        );
    }
}

#[test]
fn malformed_serde_attributes_are_left_to_serde() {
    let out = expand(parse_quote! {
        #[serde(rename_all = "Title Case")]
        struct Claims { user: String }
    });
    assert!(errors(&out).is_empty(), "{out}");
    assert!(!out.contains("__paseto_claim"), "{out}");
}
