//! On invalid input: the errors, plus an impl with no claims and no markers, so that uses of the
//! type (`Paseto<Claims>`, `claims(..)` checks) do not cascade into more errors (thiserror's
//! `fallback.rs`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::errors::Errors;

pub(super) fn expand(input: &DeriveInput, errors: &Errors) -> TokenStream {
    if let syn::Data::Union(_) = input.data {
        // serde cannot deserialize a union, so it can never be claims: an impl would only add
        // a "not `Deserialize`" error.
        return errors.to_compile_errors();
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::paseto_auth::PasetoClaims for #ident #ty_generics #where_clause {
                const CLAIMS: &'static [::paseto_auth::__private::ClaimField] = &[];
                // Not known, so `claims(..)` checks add no errors to the derive's own.
                const CLAIMS_KNOWN: bool = false;
            }
        };
    }
}
