//! Expand: the route type and its settings, the compile-time claim checks, and the handler with
//! the guard paired with its first argument.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::attr::{Options, Purpose, Source, Version};
use super::handler::Handler;
use super::value_checks::value_checks;
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
    if let Some((_, scope)) = &options.scope {
        calls.extend(quote!(.scope(#scope)));
    }
    for claim in options.claim_values.iter().flat_map(|(_, values)| values) {
        let (name, value) = (&claim.name.name, &claim.value);
        calls.extend(quote!(.claim_value(#name, #value)));
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

/// A claim an option names, to look for in the claims type: its name, where the option names
/// it, and what the option does with it (the end of the message when `C` lacks it).
struct NamedClaim<'a> {
    name: &'a str,
    span: Span,
    why: &'static str,
}

/// The custom claims the options name: `claims(..)`, `claim(..)`, and `scope` for `scope = ..`.
fn named_claims(options: &Options) -> Vec<NamedClaim<'_>> {
    let listed = options.claims.iter().flat_map(|(_, names)| names).map(|claim| NamedClaim {
        name: &claim.name,
        span: claim.span,
        why: "`claims(..)` takes the names in the token: a field's serde name, or a registered claim",
    });
    let valued = options
        .claim_values
        .iter()
        .flat_map(|(_, values)| values)
        .map(|claim| NamedClaim {
            name: &claim.name.name,
            span: claim.name.span,
            why: "`claim(..)` compares a claim in the token: a field's serde name, or a registered claim",
        });
    let scope = options.scope.iter().map(|(key, _)| NamedClaim {
        name: "scope",
        span: key.span,
        why: "`scope = ..` reads the token's `scope` claim: add a `scope: String` field",
    });
    listed
        .chain(valued)
        .chain(scope)
        .filter(|claim| !REGISTERED.contains(&claim.name))
        .collect()
}

/// Compile-time checks on the claims type `C`: it implements `PasetoClaims` (an error at `C`),
/// and it has each custom claim the options name (an error at the name in the attribute): a
/// `const` assertion over `C::CLAIMS` for each name, each in its own `const` so that every
/// missing claim is reported, which a type whose claims are not known (`serde_json::Value`, a
/// struct with a flattened field) passes.
fn claims_checks(claims_ty: &Type, names: &[NamedClaim<'_>]) -> TokenStream {
    let assert_claims_type = quote_spanned! {claims_ty.span()=>
        ::paseto_auth::__private::assert_claims_type::<#claims_ty>();
    };
    let shown = type_text(claims_ty);
    let checks = names.iter().map(|claim| {
        let (name, why) = (claim.name, claim.why);
        let message = format!("`{shown}` has no claim `{name}`; {why}");
        quote_spanned! {claim.span=>
            const _: () = ::core::assert!(::paseto_auth::__private::has_claim::<#claims_ty>(#name), #message);
        }
    });
    quote! {
        const _: () = { #assert_claims_type };
        #(#checks)*
    }
}

/// `RouteCheck` for the route: its claims type (the handler's `Paseto<C>`, untyped claims for a
/// bare `Paseto`) and a call of `check`, whose form the compiler infers. The call is spanned at
/// the path, so a function of the wrong shape is reported there. With `state = S`, for that
/// state only (an `async` check may read it); otherwise for every state (a predicate needs none).
fn route_check(
    route: &syn::Ident,
    check: &syn::Path,
    options: &Options,
    handler: &Handler<'_>,
) -> TokenStream {
    let claims_ty: Type = match handler.paseto.as_ref().and_then(|arg| arg.type_arg) {
        Some(ty) => ty.clone(),
        None => syn::parse_quote!(::paseto_auth::__private::UntypedClaims),
    };
    let (generics, state) = match &options.state {
        Some((_, state)) => (TokenStream::new(), quote!(#state)),
        None => (
            quote!(<__RouterState: ::core::marker::Send + ::core::marker::Sync>),
            quote!(__RouterState),
        ),
    };
    let call = quote_spanned! {check.span()=>
        ::paseto_auth::__private::run_check::<_, #claims_ty, #state, _>(#check, claims, state)
    };
    quote! {
        impl #generics ::paseto_auth::__private::RouteCheck<#state> for #route {
            type Claims = #claims_ty;

            fn check<'a>(
                claims: &'a #claims_ty,
                state: &'a #state,
            ) -> ::paseto_auth::__private::CheckFuture<'a> {
                #call
            }
        }
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
            let values = value_checks(claims_ty, &type_text(claims_ty), options);
            let names = claims_checks(claims_ty, &named_claims(options));
            quote!(#names #values)
        }
        Some(claims_ty) => {
            // The claims type may name the handler's parameters, which a `const` cannot see:
            // check that it implements `PasetoClaims` in a generic function. Claim names and
            // values cannot be checked for a type known only when the handler is instantiated.
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

    let route_check = options
        .check
        .as_ref()
        .map(|(_, check)| route_check(&route, check, options, handler));
    let guard: Type = if route_check.is_some() {
        syn::parse_quote!(::paseto_auth::__private::CheckedGuard<#route>)
    } else {
        syn::parse_quote!(::paseto_auth::__private::Guard<#route>)
    };
    handler_fn::insert_guard(&mut function, Guard::PasetoRequired, guard);
    // The operation id utoipa gives the handler: its name as written (`r#type` included).
    let operation_id = function.sig.ident.to_string();

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
            #route_check
            // Known to the OpenAPI documentation (nothing without the runtime's `openapi` feature).
            ::paseto_auth::__private::register_route!(#operation_id, #route);
        };

        #function
    }
}
