//! Expand: the `PasetoClaims` impl (its claims, names and aliases, which
//! `#[paseto_required(claims(..))]` checks names against, and the fields' [`shape`]s) and the
//! field-type checks of [`assert`].

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Input;
use super::{assert, shape};

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
        let (name, required) = (&claim.name, claim.required);
        let aliases = claim.aliases.iter().map(syn::LitStr::value);
        quote!(::paseto_auth::__private::ClaimField {
            name: #name,
            aliases: &[#(#aliases),*],
            required: #required,
        })
    });
    let known = input.claims_known;
    let shapes = shape::expand(claims);

    let mut generics = original.generics.clone();
    let type_checks = assert::expand(claims, &mut generics);
    if !original.generics.params.is_empty() {
        // What the trait requires of `Self`, as a bound rather than a demand: `Claims<T>` is
        // `PasetoClaims` for every `T` serde can read it with, without the user spelling out
        // `T: DeserializeOwned + Send + 'static`.
        generics
            .make_where_clause()
            .predicates
            .push(syn::parse_quote!(
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
                #shapes
            }
            #type_checks
        };
    }
}
