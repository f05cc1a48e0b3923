//! `#[paseto_session(...)]`: a struct becomes a typed session stored in an encrypted cookie.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Ident, Item, LitBool, LitStr, Token};

use crate::cookie_name::{INVALID, is_cookie_name};
use crate::duration::parse_seconds;

const OPTIONS: &str = "cookie, max_age, rolling, path, domain, secure, http_only, same_site";

/// A value: a string, a boolean, or nothing (a bare flag means `true`).
enum Value {
    Str(LitStr),
    Bool(LitBool),
    Flag(Span),
}

impl Value {
    fn string(&self, key: &Ident) -> syn::Result<LitStr> {
        match self {
            Value::Str(lit) => Ok(lit.clone()),
            Value::Bool(b) => Err(syn::Error::new(b.span, format!("`{key}` takes a string"))),
            Value::Flag(span) => Err(syn::Error::new(
                *span,
                format!("`{key}` takes a value: {key} = \"...\""),
            )),
        }
    }

    fn boolean(&self, key: &Ident) -> syn::Result<bool> {
        match self {
            Value::Bool(b) => Ok(b.value),
            Value::Flag(_) => Ok(true),
            Value::Str(lit) => Err(syn::Error::new(
                lit.span(),
                format!("`{key}` takes true or false"),
            )),
        }
    }
}

/// The options as given, each key at most once.
struct Options(Vec<(Ident, Value)>);

impl Parse for Options {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut options: Vec<(Ident, Value)> = Vec::new();
        while !input.is_empty() {
            let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            if !OPTIONS.split(", ").any(|o| key == o) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`; expected one of: {OPTIONS}"),
                ));
            }
            if options.iter().any(|(k, _)| k == &key) {
                return Err(syn::Error::new(
                    key.span(),
                    format!("option `{key}` is given twice"),
                ));
            }
            let value = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                if input.peek(LitBool) {
                    Value::Bool(input.parse()?)
                } else {
                    Value::Str(input.parse()?)
                }
            } else {
                Value::Flag(key.span())
            };
            options.push((key, value));
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(Options(options))
    }
}

/// `SessionSpec::new(..).max_age(..)...` for the options.
fn spec(options: &Options) -> syn::Result<TokenStream> {
    let mut cookie = LitStr::new("session", Span::call_site());
    let mut calls = TokenStream::new();
    let mut secure = true;
    let mut same_site_none = None;
    for (key, value) in &options.0 {
        match key.to_string().as_str() {
            "cookie" => {
                cookie = value.string(key)?;
                if !is_cookie_name(&cookie.value()) {
                    return Err(syn::Error::new(cookie.span(), INVALID));
                }
            }
            "max_age" => {
                let lit = value.string(key)?;
                let seconds =
                    parse_seconds(&lit.value()).map_err(|m| syn::Error::new(lit.span(), m))?;
                if seconds == 0 {
                    return Err(syn::Error::new(
                        lit.span(),
                        "`max_age` must be at least one second",
                    ));
                }
                calls.extend(
                    quote!(.max_age(::paseto_auth::__private::Duration::from_secs(#seconds))),
                );
            }
            "rolling" | "secure" | "http_only" => {
                let on = value.boolean(key)?;
                if key == "secure" {
                    secure = on;
                }
                calls.extend(quote!(.#key(#on)));
            }
            "path" => {
                let lit = value.string(key)?;
                if !lit.value().starts_with('/') || lit.value().contains(';') {
                    return Err(syn::Error::new(
                        lit.span(),
                        "`path` must start with `/` and contain no `;`",
                    ));
                }
                calls.extend(quote!(.path(#lit)));
            }
            "domain" => {
                let lit = value.string(key)?;
                let ok = !lit.value().is_empty()
                    && lit
                        .value()
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
                if !ok {
                    return Err(syn::Error::new(lit.span(), "`domain` must be a host name"));
                }
                calls.extend(quote!(.domain(#lit)));
            }
            _ => {
                let lit = value.string(key)?;
                let variant = match lit.value().to_ascii_lowercase().as_str() {
                    "strict" => quote!(Strict),
                    "lax" => quote!(Lax),
                    "none" => {
                        same_site_none = Some(lit.span());
                        quote!(None)
                    }
                    _ => {
                        return Err(syn::Error::new(
                            lit.span(),
                            "`same_site` is \"strict\", \"lax\" or \"none\"",
                        ));
                    }
                };
                calls.extend(quote!(.same_site(::paseto_auth::__private::SameSite::#variant)));
            }
        }
    }
    if let (Some(span), false) = (same_site_none, secure) {
        return Err(syn::Error::new(
            span,
            "`same_site = \"none\"` needs `secure` (browsers drop such cookies)",
        ));
    }
    Ok(quote!(::paseto_auth::__private::SessionSpec::new(#cookie) #calls))
}

/// Entry point: the item unchanged plus the `SessionData` impl, or the item plus the error.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let result = syn::parse2::<Item>(item.clone()).and_then(|parsed| {
        let (ident, generics) = match &parsed {
            Item::Struct(s) => (&s.ident, &s.generics),
            Item::Enum(e) => (&e.ident, &e.generics),
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "`#[paseto_session]` goes on a struct or an enum",
                ));
            }
        };
        if !generics.params.is_empty() {
            return Err(syn::Error::new_spanned(
                generics,
                "a session type cannot be generic",
            ));
        }
        let spec = spec(&Options::parse.parse2(attr)?)?;
        let span = ident.span();
        Ok(quote_spanned! {span=>
            #parsed
            // The impl is spanned at the type's name, so a missing `Default`, `Serialize` or
            // `Deserialize` (supertraits of `SessionData`) is reported there, once each.
            #[automatically_derived]
            impl ::paseto_auth::__private::SessionData for #ident {
                const SPEC: ::paseto_auth::__private::SessionSpec = #spec;
            }
            // Every rule of `SessionSpec::check` (also those the options above do not check one
            // by one, such as the `__Host-` prefix rules), at compile time.
            // (The spec itself, not `<T as SessionData>::SPEC`: a missing supertrait is then
            // reported once, above.)
            const _: () = if let ::core::result::Result::Err(problem) = #spec.check() {
                ::core::panic!("{}", problem)
            };
        })
    });
    match result {
        Ok(tokens) => tokens,
        Err(err) => {
            let error = err.to_compile_error();
            quote!(#item #error)
        }
    }
}
