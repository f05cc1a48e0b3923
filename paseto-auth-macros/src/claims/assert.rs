//! Expand: assertions on field types that only the compiler can make (it sees through type
//! aliases), each reported at the user's tokens with the message of a `__private` trait:
//!
//! - a field read from `exp`, `nbf` or `iat` is a time (`TimeClaim`);
//! - a field with `#[paseto(optional)]` and no serde default reads a missing claim, i.e. is an
//!   `Option` (`OptionalClaim`): otherwise serde refuses every token without the claim.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Generics, Type, parse_quote_spanned};

use super::ast::Claim;

/// Registered claims whose fields must be times.
const TIME_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];

/// `ty` must implement the `__private` trait `bound`, which the `const fn` `check` asserts;
/// the error is reported at `span`.
struct Assertion<'a> {
    ty: &'a Type,
    span: Span,
    bound: &'static str,
    check: &'static str,
}

fn assertions<'a>(claims: &'a [Claim<'a>]) -> Vec<Assertion<'a>> {
    let times = claims
        .iter()
        .filter(|claim| TIME_CLAIMS.contains(&claim.name.as_str()))
        .map(|claim| Assertion {
            ty: claim.ty,
            span: claim.ty.span(),
            bound: "TimeClaim",
            check: "assert_time_claim",
        });
    let optionals = claims.iter().filter_map(|claim| {
        Some(Assertion {
            ty: claim.ty,
            span: claim.optional_without_default?,
            bound: "OptionalClaim",
            check: "assert_optional_claim",
        })
    });
    times.chain(optionals).collect()
}

/// The assertions for `claims`. A struct without generic parameters gets a `const` check per
/// field, each spanned at the user's tokens. A generic struct's field types may name its
/// parameters, which a `const` cannot see: there each check becomes a bound of the impl, pushed
/// onto `generics` (a concrete wrong type is still an error at the field; `Claims<u64>` for
/// `exp: T` is simply not `PasetoClaims`).
pub(super) fn expand(claims: &[Claim<'_>], generics: &mut Generics) -> TokenStream {
    let assertions = assertions(claims);
    if generics.params.is_empty() {
        return assertions
            .iter()
            .map(|assertion| {
                let ty = assertion.ty;
                let check = syn::Ident::new(assertion.check, assertion.span);
                quote_spanned! {assertion.span=>
                    const _: () = ::paseto_auth::__private::#check::<#ty>();
                }
            })
            .collect();
    }
    let predicates = &mut generics.make_where_clause().predicates;
    for assertion in assertions {
        let ty = assertion.ty;
        let bound = syn::Ident::new(assertion.bound, assertion.span);
        predicates
            .push(parse_quote_spanned!(assertion.span=> #ty: ::paseto_auth::__private::#bound));
    }
    quote!()
}
