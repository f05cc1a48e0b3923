use syn::parse_quote;

use super::derive;
use crate::errors::messages as errors;

fn expand(input: syn::DeriveInput) -> String {
    derive(&input).to_string()
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
            "claim `b` is read twice: field `b` already has this name, and serde fills only one of the two fields; rename or remove one of them",
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

#[test]
fn an_alias_is_a_name_a_claim_is_read_from() {
    let out = expand(parse_quote! {
        #[serde(rename_all = "camelCase")]
        struct Claims {
            #[serde(alias = "user_id")]
            user_id: String,
            #[serde(alias = "userId")]
            legacy: String,
            #[serde(alias = "uid")]
            old: String,
            uid: String,
            #[serde(alias = "id", alias = "id2")]
            a: String,
            #[serde(alias = "id2")]
            b: String,
        }
    });
    assert_eq!(
        errors(&out),
        [
            "alias `userId` is read twice: field `user_id` already has this name, and serde fills only one of the two fields; remove the alias",
            "claim `uid` is read twice: field `old` already has this alias, and serde fills only one of the two fields; rename or remove one of them",
            "alias `id2` is read twice: field `a` already has this alias, and serde fills only one of the two fields; remove the alias",
        ]
    );
}

#[test]
fn claims_no_token_can_fill() {
    let out = expand(parse_quote! {
        #[serde(deny_unknown_fields)]
        struct Claims {
            sub: u64,
            iss: Option<bool>,
            #[serde(rename = "jti")]
            id: i32,
            aud: f64,
            user: u64,
        }
    });
    assert_eq!(
        errors(&out),
        [
            "`deny_unknown_fields` refuses every token: its payload also holds registered claims (`exp`, `iat`, `jti`, ..) and claims the issuer adds, which are unknown fields here; remove it, and require the claims a route needs with `#[paseto_required(claims(..))]`",
            "claim `sub` is a string in every token, so a field holding a `u64` can never read it; use `String` (and parse it after) or `Option<String>`",
            "claim `iss` is a string in every token, so a field holding a `bool` can never read it; use `String` (and parse it after) or `Option<String>`",
            "claim `jti` is a string in every token, so a field holding a `i32` can never read it; use `String` (and parse it after) or `Option<String>`",
            "claim `aud` is a string or an array of strings in every token, so a field holding a `f64` can never read it; use `String` (and parse it after) or `Option<String>`",
        ]
    );
}

#[test]
fn string_claims_of_string_types_and_indirect_structs_pass() {
    for input in [
        parse_quote! {
            struct Claims { sub: String, iss: Option<String>, jti: Box<str>, aud: Vec<String>, level: u64 }
        },
        parse_quote! {
            #[serde(transparent)]
            struct Claims { sub: u64 }
        },
        parse_quote! {
            #[serde(from = "Raw", deny_unknown_fields)]
            struct Claims { sub: u64 }
        },
    ] {
        let out = expand(input);
        assert!(errors(&out).is_empty(), "{out}");
    }
}

#[test]
fn optional_without_a_serde_default_is_asserted_by_type() {
    let out = expand(parse_quote! {
        struct Claims {
            #[paseto(optional)]
            a: u8,
            #[paseto(optional)]
            #[serde(default)]
            b: u8,
            c: Option<u8>,
        }
    });
    assert!(errors(&out).is_empty(), "{out}");
    assert_eq!(out.matches("assert_optional_claim").count(), 1, "{out}");
    assert!(out.contains("assert_optional_claim :: < u8 >"), "{out}");

    let out = expand(parse_quote! {
        #[serde(default)]
        struct Claims {
            #[paseto(optional)]
            a: u8,
        }
    });
    assert!(!out.contains("assert_optional_claim"), "{out}");

    // Generic: a bound of the impl, as for time claims.
    let out = expand(parse_quote! {
        struct Claims<T> {
            #[paseto(optional)]
            a: T,
        }
    });
    assert!(
        out.contains("T : :: paseto_auth :: __private :: OptionalClaim"),
        "{out}"
    );
}
