//! `#[paseto_required(...)]`: parse the options, check the handler, then insert the guard.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, Ident, ItemFn, LitStr, PathArguments, Token, Type};

use crate::cookie_name::is_cookie_name;
use crate::duration::parse_seconds;
use crate::mangle::claim_marker;

const OPTIONS: &str = "iss, aud, sub, claims, version, purpose, leeway, from, optional";
const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// Where the route reads its token.
enum Source {
    Header,
    Cookie(LitStr),
    Query(LitStr),
}

/// The parsed options; each keeps the span of its key for "given twice" errors.
#[derive(Default)]
struct Options {
    iss: Option<(Span, Vec<LitStr>)>,
    aud: Option<(Span, Vec<LitStr>)>,
    sub: Option<(Span, LitStr)>,
    claims: Option<(Span, Vec<LitStr>)>,
    version: Option<(Span, TokenStream)>,
    purpose: Option<(Span, TokenStream)>,
    leeway: Option<(Span, u64)>,
    from: Option<(Span, Source)>,
    optional: Option<Span>,
}

fn set<T>(slot: &mut Option<(Span, T)>, key: &Ident, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(
            key.span(),
            format!("option `{key}` is given twice"),
        ));
    }
    *slot = Some((key.span(), value));
    Ok(())
}

/// A non-empty string literal.
fn non_empty(input: ParseStream<'_>, what: &str) -> syn::Result<LitStr> {
    let lit: LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{what}` takes a string literal, e.g. {what} = \"...\""),
        )
    })?;
    if lit.value().is_empty() {
        return Err(syn::Error::new(
            lit.span(),
            format!("`{what}` must not be empty"),
        ));
    }
    Ok(lit)
}

/// `"x"` or `["x", "y"]`.
fn one_or_list(input: ParseStream<'_>, what: &str) -> syn::Result<Vec<LitStr>> {
    if input.peek(syn::token::Bracket) {
        let content;
        syn::bracketed!(content in input);
        let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
        let items: Vec<LitStr> = items.into_iter().collect();
        if items.is_empty() {
            return Err(syn::Error::new(
                input.span(),
                format!("`{what}` needs at least one value"),
            ));
        }
        if let Some(empty) = items.iter().find(|l| l.value().is_empty()) {
            return Err(syn::Error::new(
                empty.span(),
                format!("`{what}` must not be empty"),
            ));
        }
        Ok(items)
    } else {
        Ok(vec![non_empty(input, what)?])
    }
}

fn parse_source(input: ParseStream<'_>) -> syn::Result<Source> {
    let kind: Ident = input.parse()?;
    let name = |input: ParseStream<'_>| -> syn::Result<LitStr> {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<LitStr>()
    };
    match kind.to_string().as_str() {
        "header" => Ok(Source::Header),
        "cookie" => {
            let lit = name(input)?;
            if !is_cookie_name(&lit.value()) {
                return Err(syn::Error::new(
                    lit.span(),
                    "invalid cookie name: use letters, digits and `-_.!#$%&'*+^`|~`",
                ));
            }
            Ok(Source::Cookie(lit))
        }
        "query" => {
            let lit = name(input)?;
            if lit.value().is_empty() {
                return Err(syn::Error::new(
                    lit.span(),
                    "the query parameter name must not be empty",
                ));
            }
            Ok(Source::Query(lit))
        }
        _ => Err(syn::Error::new(
            kind.span(),
            "`from` is one of: header, cookie(\"name\"), query(\"name\")",
        )),
    }
}

impl Parse for Options {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut options = Options::default();
        while !input.is_empty() {
            let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            match key.to_string().as_str() {
                "optional" => {
                    if options.optional.is_some() {
                        return Err(syn::Error::new(
                            key.span(),
                            "option `optional` is given twice",
                        ));
                    }
                    options.optional = Some(key.span());
                }
                "claims" => {
                    let content;
                    syn::parenthesized!(content in input);
                    let names = Punctuated::<ClaimName, Token![,]>::parse_terminated(&content)?;
                    set(
                        &mut options.claims,
                        &key,
                        names.into_iter().map(|n| n.0).collect(),
                    )?;
                }
                other => {
                    if !["iss", "aud", "sub", "version", "purpose", "leeway", "from"]
                        .contains(&other)
                    {
                        return Err(syn::Error::new(
                            key.span(),
                            format!("unknown option `{other}`; expected one of: {OPTIONS}"),
                        ));
                    }
                    input.parse::<Token![=]>()?;
                    match other {
                        "iss" => set(&mut options.iss, &key, one_or_list(input, "iss")?)?,
                        "aud" => set(&mut options.aud, &key, one_or_list(input, "aud")?)?,
                        "sub" => set(&mut options.sub, &key, non_empty(input, "sub")?)?,
                        "version" => {
                            let lit = non_empty(input, "version")?;
                            let version = match lit.value().as_str() {
                                "v2" => quote!(V2),
                                "v3" => quote!(V3),
                                "v4" => quote!(V4),
                                _ => {
                                    return Err(syn::Error::new(
                                        lit.span(),
                                        "unknown version; expected \"v4\", \"v3\" or \"v2\"",
                                    ));
                                }
                            };
                            set(&mut options.version, &key, version)?;
                        }
                        "purpose" => {
                            let lit = non_empty(input, "purpose")?;
                            let purpose = match lit.value().as_str() {
                                "public" => quote!(Public),
                                "local" => quote!(Local),
                                _ => {
                                    return Err(syn::Error::new(
                                        lit.span(),
                                        "unknown purpose; expected \"public\" or \"local\"",
                                    ));
                                }
                            };
                            set(&mut options.purpose, &key, purpose)?;
                        }
                        "leeway" => {
                            let lit = non_empty(input, "leeway")?;
                            let seconds = parse_seconds(&lit.value())
                                .map_err(|m| syn::Error::new(lit.span(), m))?;
                            set(&mut options.leeway, &key, seconds)?;
                        }
                        _ => set(&mut options.from, &key, parse_source(input)?)?,
                    }
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(options)
    }
}

/// A claim name in `claims(...)`: an identifier or a string literal.
struct ClaimName(LitStr);

impl Parse for ClaimName {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            if lit.value().is_empty() {
                return Err(syn::Error::new(
                    lit.span(),
                    "a claim name must not be empty",
                ));
            }
            return Ok(ClaimName(lit));
        }
        let ident: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        Ok(ClaimName(LitStr::new(&ident.to_string(), ident.span())))
    }
}

/// The first type argument of `X<T, ..>`.
fn first_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// The claims type `C` of a `Paseto<C>` or `Option<Paseto<C>>` argument.
fn paseto_claims_type(ty: &Type) -> Option<Option<&Type>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident == "Paseto" {
        return Some(first_arg(&last.arguments));
    }
    if last.ident == "Option" {
        return paseto_claims_type(first_arg(&last.arguments)?);
    }
    None
}

/// The generated code: the route type, its settings, and the handler with the guard first.
fn generate(options: Options, mut function: ItemFn) -> syn::Result<TokenStream> {
    if function.sig.asyncness.is_none() {
        return Err(syn::Error::new(
            function.sig.fn_token.span,
            "`#[paseto_required]` goes on an async handler: add `async`",
        ));
    }
    let mut claims_type = None;
    for arg in &function.sig.inputs {
        let FnArg::Typed(arg) = arg else {
            return Err(syn::Error::new(
                arg.span(),
                "`#[paseto_required]` goes on a free function, not a method",
            ));
        };
        if let Some(ty) = paseto_claims_type(&arg.ty) {
            if claims_type.is_some() {
                return Err(syn::Error::new(
                    arg.ty.span(),
                    "a handler takes at most one `Paseto<..>` argument",
                ));
            }
            claims_type = Some(ty);
        }
    }
    let route = format_ident!("__paseto_required_{}", function.sig.ident);
    let vis = &function.vis;
    let mut requirements = quote!(::paseto_auth::__private::Requirements::new());
    for lit in options.iss.iter().flat_map(|(_, l)| l) {
        requirements.extend(quote!(.issuer(#lit)));
    }
    for lit in options.aud.iter().flat_map(|(_, l)| l) {
        requirements.extend(quote!(.audience(#lit)));
    }
    if let Some((_, lit)) = &options.sub {
        requirements.extend(quote!(.subject(#lit)));
    }
    let claim_names = options.claims.map(|(_, names)| names).unwrap_or_default();
    for lit in &claim_names {
        requirements.extend(quote!(.claim(#lit)));
    }
    if let Some((_, v)) = &options.version {
        requirements.extend(quote!(.version(::paseto_auth::__private::Version::#v)));
    }
    if let Some((_, p)) = &options.purpose {
        requirements.extend(quote!(.purpose(::paseto_auth::__private::Purpose::#p)));
    }
    if let Some((_, seconds)) = options.leeway {
        requirements
            .extend(quote!(.leeway(::paseto_auth::__private::Duration::from_secs(#seconds))));
    }
    let source = match options.from.map(|(_, s)| s) {
        None => quote!(::paseto_auth::__private::TokenSource::VerifierDefault),
        Some(Source::Header) => quote!(::paseto_auth::__private::TokenSource::Header),
        Some(Source::Cookie(name)) => quote!(::paseto_auth::__private::TokenSource::cookie(#name)),
        Some(Source::Query(name)) => quote!(::paseto_auth::__private::TokenSource::query(#name)),
    };
    let optional = options.optional.is_some();
    let mut checks = Vec::new();
    if let Some(Some(ty)) = claims_type {
        checks.push(quote_spanned!(ty.span()=> const _: () = ::paseto_auth::__private::assert_claims_type::<#ty>();));
        for lit in claim_names
            .iter()
            .filter(|l| !REGISTERED.contains(&l.value().as_str()))
        {
            let marker = claim_marker(&lit.value(), lit.span());
            checks.push(quote_spanned!(lit.span()=> const _: () = <#ty>::#marker;));
        }
    }
    let guard: FnArg = syn::parse_quote!(__paseto_guard: ::paseto_auth::__private::Guard<#route>);
    function.sig.inputs.insert(0, guard);
    Ok(quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #route;
        impl ::paseto_auth::__private::RouteSpec for #route {
            fn route() -> &'static ::paseto_auth::__private::Route {
                static ROUTE: ::paseto_auth::__private::LazyLock<::paseto_auth::__private::Route> =
                    ::paseto_auth::__private::LazyLock::new(|| ::paseto_auth::__private::Route {
                        requirements: #requirements,
                        source: #source,
                        optional: #optional,
                    });
                &ROUTE
            }
        }
        #(#checks)*
        #function
    })
}

/// Entry point: on any error the user's function is emitted unchanged beside the error.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(err) => return with_error(item, err),
    };
    match Options::parse
        .parse2(attr)
        .and_then(|options| generate(options, function))
    {
        Ok(tokens) => tokens,
        Err(err) => with_error(item, err),
    }
}

fn with_error(item: TokenStream, err: syn::Error) -> TokenStream {
    let error = err.to_compile_error();
    quote!(#item #error)
}
