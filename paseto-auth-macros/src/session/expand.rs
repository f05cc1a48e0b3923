//! Expand: the `SessionData` impl with the spec the options describe, a compile-time check of
//! every rule of `SessionSpec::check` (those the options do not check one by one too, such as the
//! `__Host-` prefix rules), and the marker of [`one_type_per_cookie`].

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Ident, LitStr};

use super::attr::{Options, SameSite};
use super::one_type_per_cookie;

/// The cookie of a session type without `cookie = ".."`.
const DEFAULT_COOKIE: &str = "session";

/// `SessionSpec::new(..).max_age(..)...` for the options.
fn spec(options: &Options) -> TokenStream {
    let default_cookie = LitStr::new(DEFAULT_COOKIE, Span::call_site());
    let cookie = options
        .cookie
        .as_ref()
        .map_or(&default_cookie, |(_, name)| name);
    let mut calls = TokenStream::new();
    if let Some((_, seconds)) = options.max_age {
        calls.extend(quote!(.max_age(::paseto_auth::__private::Duration::from_secs(#seconds))));
    }
    if let Some((_, on)) = options.rolling {
        calls.extend(quote!(.rolling(#on)));
    }
    if let Some((_, path)) = &options.path {
        calls.extend(quote!(.path(#path)));
    }
    if let Some((_, domain)) = &options.domain {
        calls.extend(quote!(.domain(#domain)));
    }
    if let Some((_, on)) = options.secure {
        calls.extend(quote!(.secure(#on)));
    }
    if let Some((_, on)) = options.http_only {
        calls.extend(quote!(.http_only(#on)));
    }
    if let Some((_, (same_site, _))) = options.same_site {
        let variant = match same_site {
            SameSite::Strict => quote!(Strict),
            SameSite::Lax => quote!(Lax),
            SameSite::None => quote!(None),
        };
        calls.extend(quote!(.same_site(::paseto_auth::__private::SameSite::#variant)));
    }
    quote!(::paseto_auth::__private::SessionSpec::new(#cookie) #calls)
}

pub(super) fn expand(item: &TokenStream, ident: &Ident, options: &Options) -> TokenStream {
    let spec = spec(options);
    let span = ident.span();
    let one_type = match &options.cookie {
        Some((_, name)) => one_type_per_cookie::marker(&name.value(), name.span()),
        None => one_type_per_cookie::marker(DEFAULT_COOKIE, span),
    };
    quote_spanned! {span=>
        #one_type
        #item
        // The impl is spanned at the type's name, so a missing `Default`, `Serialize` or
        // `Deserialize` (supertraits of `SessionData`) is reported there, once each.
        #[automatically_derived]
        impl ::paseto_auth::__private::SessionData for #ident {
            const SPEC: ::paseto_auth::__private::SessionSpec = #spec;
        }
        // Every rule of `SessionSpec::check`, at compile time. (The spec itself, not
        // `<T as SessionData>::SPEC`: a missing supertrait is then reported once, above.)
        const _: () = if let ::core::result::Result::Err(problem) = #spec.check() {
            ::core::panic!("{}", problem)
        };
    }
}
