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
