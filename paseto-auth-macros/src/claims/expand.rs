//! Expand: the `PasetoClaims` impl (its claims, names and aliases, which
//! `#[paseto_required(claims(..))]` checks names against) and the time-claim checks.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse_quote_spanned;
use syn::spanned::Spanned;

use super::ast::Input;

/// Registered claims whose fields must be times.
const TIME_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];

pub(super) fn expand(input: &Input<'_>) -> TokenStream {
    let original = input.original;
    let ident = &original.ident;
    let (impl_generics, ty_generics, _) = original.generics.split_for_impl();
    let claims = if input.fields_are_claims {
        &input.claims[..]
    } else {
        &[]
    };

    let fields = claims.iter().map(|claim| {
        let (name, aliases, required) = (&claim.name, &claim.aliases, claim.required);
        quote!(::paseto_auth::__private::ClaimField {
            name: #name,
            aliases: &[#(#aliases),*],
            required: #required,
        })
    });
    let known = input.claims_known;

    // `exp`, `nbf` and `iat` must be times. Each check is spanned at the field's type, so a wrong
    // type is reported there with `TimeClaim`'s message. A generic struct's field type may name
    // its parameters, which a `const` cannot see: there the check is a bound of the impl (a
    // concrete wrong type is still an error at the field; `Claims<u64>` for `exp: T` is not
    // `PasetoClaims`).
    let time_types = claims
        .iter()
        .filter(|claim| TIME_CLAIMS.contains(&claim.name.as_str()))
        .map(|claim| claim.ty);
    let mut generics = original.generics.clone();
    let mut time_checks = TokenStream::new();
    if original.generics.params.is_empty() {
        for ty in time_types {
            time_checks.extend(quote_spanned! {ty.span()=>
                const _: () = ::paseto_auth::__private::assert_time_claim::<#ty>();
            });
        }
    } else {
        let predicates = &mut generics.make_where_clause().predicates;
        for ty in time_types {
            predicates
                .push(parse_quote_spanned!(ty.span()=> #ty: ::paseto_auth::__private::TimeClaim));
        }
        // What the trait requires of `Self`, as a bound rather than a demand: `Claims<T>` is
        // `PasetoClaims` for every `T` serde can read it with, without the user spelling out
        // `T: DeserializeOwned + Send + 'static`.
        predicates.push(syn::parse_quote!(
            #ident #ty_generics: ::paseto_auth::__private::DeserializeOwned
                + ::core::marker::Send + 'static
        ));
    }
    let (_, _, claims_where_clause) = generics.split_for_impl();

    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::paseto_auth::PasetoClaims for #ident #ty_generics #claims_where_clause {
                const CLAIMS: &'static [::paseto_auth::__private::ClaimField] = &[#(#fields),*];
                const CLAIMS_KNOWN: bool = #known;
            }
            #time_checks
        };
    }
}
