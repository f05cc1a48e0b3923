//! Expand: the route type and its settings, the compile-time claim checks, and the handler with
//! the guard paired with its first argument.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Type;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::attr::{ClaimName, Options, Purpose, Source, Version};
use super::handler::Handler;
use crate::handler_fn::{self, Guard};

/// Registered claims: checked by the verifier, not fields of a claims type.
const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// `Requirements::new().issuer(..)...` for the options.
fn requirements(options: &Options) -> TokenStream {
    let mut calls = TokenStream::new();
    for lit in options.iss.iter().flat_map(|(_, lits)| lits) {
        calls.extend(quote!(.issuer(#lit)));
    }
    for lit in options.aud.iter().flat_map(|(_, lits)| lits) {
        calls.extend(quote!(.audience(#lit)));
    }
    if let Some((_, lit)) = &options.sub {
        calls.extend(quote!(.subject(#lit)));
    }
    for claim in options.claims.iter().flat_map(|(_, names)| names) {
        let name = &claim.name;
        calls.extend(quote!(.claim(#name)));
    }
    if let Some((_, version)) = options.version {
        let variant = match version {
            Version::V2 => quote!(V2),
            Version::V3 => quote!(V3),
            Version::V4 => quote!(V4),
        };
        calls.extend(quote!(.version(::paseto_auth::__private::Version::#variant)));
    }
    if let Some((_, purpose)) = options.purpose {
        let variant = match purpose {
            Purpose::Local => quote!(Local),
            Purpose::Public => quote!(Public),
        };
        calls.extend(quote!(.purpose(::paseto_auth::__private::Purpose::#variant)));
    }
    if let Some((_, seconds)) = options.leeway {
        calls.extend(quote!(.leeway(::paseto_auth::__private::Duration::from_secs(#seconds))));
    }
    if options.fresh.is_some() {
        calls.extend(quote!(.fresh()));
    }
    quote!(::paseto_auth::__private::Requirements::new() #calls)
}

fn source(options: &Options) -> TokenStream {
    match options.from.as_ref().map(|(_, source)| source) {
        None => quote!(::core::option::Option::None),
        Some(Source::Header) => {
            quote!(::core::option::Option::Some(
                ::paseto_auth::__private::TokenSource::Header
            ))
        }
        Some(Source::Cookie(name)) => quote!(::core::option::Option::Some(
            ::paseto_auth::__private::TokenSource::cookie(#name)
        )),
        Some(Source::Query(name)) => quote!(::core::option::Option::Some(
            ::paseto_auth::__private::TokenSource::query(#name)
        )),
    }
}

/// A type as the user would write it, for messages: `Claims`, `api::Claims<u8>`.
fn type_text(ty: &Type) -> String {
    let text = quote!(#ty).to_string();
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
}

/// Compile-time checks on the claims type `C`: it implements `PasetoClaims` (an error at `C`),
/// and it has each custom claim `claims(..)` names (an error at the name in the attribute): a
/// `const` assertion over `C::CLAIMS`, which a type whose claims are not known
/// (`serde_json::Value`, a struct with a flattened field) passes.
fn claims_checks(claims_ty: &Type, names: &[&ClaimName]) -> TokenStream {
    let assert_claims_type = quote_spanned! {claims_ty.span()=>
        ::paseto_auth::__private::assert_claims_type::<#claims_ty>();
    };
    let shown = type_text(claims_ty);
    let checks = names.iter().map(|claim| {
        let name = &claim.name;
        let message = format!(
            "`{shown}` has no claim `{name}`; `claims(..)` takes the names in the token: a field's serde name, or a registered claim"
        );
        quote_spanned! {claim.span=>
            ::core::assert!(::paseto_auth::__private::has_claim::<#claims_ty>(#name), #message);
        }
    });
    quote! {
        #assert_claims_type
        #(#checks)*
    }
}

pub(super) fn expand(options: &Options, handler: &Handler<'_>) -> TokenStream {
    let mut function = handler.function.clone();
    let route = format_ident!("__paseto_required_{}", function.sig.ident.unraw());
    let vis = &handler.function.vis;
    let requirements = requirements(options);
    let source = source(options);
    let optional = options.optional.is_some();

    let checks = match handler.paseto.as_ref().and_then(|arg| arg.type_arg) {
        None => TokenStream::new(),
        Some(claims_ty) if function.sig.generics.params.is_empty() => {
            let custom: Vec<&ClaimName> = options
                .claims
                .iter()
                .flat_map(|(_, names)| names)
                .filter(|claim| !REGISTERED.contains(&claim.name.as_str()))
                .collect();
            let checks = claims_checks(claims_ty, &custom);
            quote!(const _: () = { #checks };)
        }
        Some(claims_ty) => {
            // The claims type may name the handler's parameters, which a `const` cannot see:
            // check that it implements `PasetoClaims` in a generic function. Claim names cannot
            // be checked for a type known only when the handler is instantiated.
            let (impl_generics, _, where_clause) = function.sig.generics.split_for_impl();
            let assert = quote_spanned! {claims_ty.span()=>
                ::paseto_auth::__private::assert_claims_type::<#claims_ty>();
            };
            quote! {
                #[allow(dead_code)]
                fn __paseto_claims_type #impl_generics () #where_clause {
                    #assert
                }
            }
        }
    };

    let state_check = options.state.as_ref().map(|(_, state)| {
        // In a function with the handler's generics, so the state may name them.
        let (impl_generics, _, where_clause) = function.sig.generics.split_for_impl();
        let assert = quote_spanned! {state.span()=>
            ::paseto_auth::__private::assert_paseto_auth_state::<#state>();
        };
        quote! {
            #[allow(dead_code)]
            fn __paseto_state #impl_generics () #where_clause {
                #assert
            }
        }
    });

    handler_fn::insert_guard(
        &mut function,
        Guard::PasetoRequired,
        syn::parse_quote!(::paseto_auth::__private::Guard<#route>),
    );

    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #route;

        const _: () = {
            impl ::paseto_auth::__private::RouteSpec for #route {
                fn route() -> &'static ::paseto_auth::__private::Route {
                    static __PASETO_ROUTE: ::paseto_auth::__private::LazyLock<::paseto_auth::__private::Route> =
                        ::paseto_auth::__private::LazyLock::new(|| ::paseto_auth::__private::Route {
                            requirements: #requirements,
                            source: #source,
                            optional: #optional,
                        });
                    &__PASETO_ROUTE
                }
            }
            #checks
            #state_check
        };

        #function
    }
}
