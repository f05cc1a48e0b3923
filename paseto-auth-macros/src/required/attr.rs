//! Parse: the options of `#[paseto_required(...)]`.
//!
//! Keyword grammar in the axum-macros style (`custom_keyword!` + `lookahead1`); each value is
//! kept with its key, so "given twice" points at the second key. A mistake in one option is
//! recorded and parsing resumes at the next comma ([`parse_each`]), so every mistake is reported
//! at once.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Lit, LitStr, Path, Token, Type};

use crate::cookie_name::{INVALID, is_cookie_name};
use crate::duration::parse_seconds;
use crate::errors::Errors;
use crate::options::{as_lit_str, keyed_string, non_empty, parse_each, set};

pub(super) mod kw {
    syn::custom_keyword!(iss);
    syn::custom_keyword!(aud);
    syn::custom_keyword!(sub);
    syn::custom_keyword!(claims);
    syn::custom_keyword!(version);
    syn::custom_keyword!(purpose);
    syn::custom_keyword!(leeway);
    syn::custom_keyword!(from);
    syn::custom_keyword!(optional);
    syn::custom_keyword!(fresh);
    syn::custom_keyword!(header);
    syn::custom_keyword!(cookie);
    syn::custom_keyword!(query);
    syn::custom_keyword!(state);
    syn::custom_keyword!(scope);
    syn::custom_keyword!(claim);
    syn::custom_keyword!(check);
}

const OPTIONS: &str = "iss, aud, sub, claims, scope, claim, check, version, purpose, leeway, from, optional, fresh, state";

/// A PASETO version, as the runtime's `Version` variant.
#[derive(Clone, Copy)]
pub(super) enum Version {
    V2,
    V3,
    V4,
}

/// A PASETO purpose, as the runtime's `Purpose` variant.
#[derive(Clone, Copy)]
pub(super) enum Purpose {
    Local,
    Public,
}

/// Where the route reads its token (`from = ...`).
pub(super) enum Source {
    Header,
    Cookie(LitStr),
    Query(LitStr),
}

/// A name in `claims(...)`.
pub(super) struct ClaimName {
    pub(super) name: String,
    pub(super) span: Span,
}

/// One `name = value` of `claim(..)`.
pub(super) struct ClaimValue {
    pub(super) name: ClaimName,
    /// A string, integer, float or boolean literal.
    pub(super) value: Lit,
}

/// The options as given; absent ones are `None`.
#[derive(Default)]
pub(super) struct Options {
    pub(super) iss: Option<(kw::iss, Vec<LitStr>)>,
    pub(super) aud: Option<(kw::aud, Vec<LitStr>)>,
    pub(super) sub: Option<(kw::sub, LitStr)>,
    pub(super) claims: Option<(kw::claims, Vec<ClaimName>)>,
    /// Scopes the token's `scope` claim must grant.
    pub(super) scope: Option<(kw::scope, LitStr)>,
    /// Claims that must have a value.
    pub(super) claim_values: Option<(kw::claim, Vec<ClaimValue>)>,
    /// The route's own check of the typed claims.
    pub(super) check: Option<(kw::check, Path)>,
    pub(super) version: Option<(kw::version, Version)>,
    pub(super) purpose: Option<(kw::purpose, Purpose)>,
    pub(super) leeway: Option<(kw::leeway, u64)>,
    pub(super) from: Option<(kw::from, Source)>,
    pub(super) optional: Option<kw::optional>,
    /// Only fresh tokens (issued from credentials, not from a refresh).
    pub(super) fresh: Option<kw::fresh>,
    /// The router's state type, checked to provide `PasetoAuth`.
    pub(super) state: Option<(kw::state, Type)>,
}

/// Parses the attribute's arguments, recording every mistake in `errors`.
pub(super) fn parse(args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    parse_each(args, errors, |input, errors| {
        option(input, &mut options, errors)
    });
    options
}

/// One `key = value`, `key(...)` or `flag`.
fn option(input: ParseStream<'_>, options: &mut Options, errors: &mut Errors) -> syn::Result<()> {
    let lookahead = input.lookahead1();
    if lookahead.peek(kw::iss) {
        let key: kw::iss = input.parse()?;
        input.parse::<Token![=]>()?;
        let values = strings(input, "iss", "https://issuer.example")?;
        set(&mut options.iss, key, values, "iss")
    } else if lookahead.peek(kw::aud) {
        let key: kw::aud = input.parse()?;
        input.parse::<Token![=]>()?;
        let values = strings(input, "aud", "api")?;
        set(&mut options.aud, key, values, "aud")
    } else if lookahead.peek(kw::sub) {
        let (key, value) = keyed_string::<kw::sub>(input, "sub", "alice")?;
        set(&mut options.sub, key, value, "sub")
    } else if lookahead.peek(kw::claims) {
        let key: kw::claims = input.parse()?;
        let names = claim_names(input, key.span, errors)?;
        set(&mut options.claims, key, names, "claims")
    } else if lookahead.peek(kw::scope) {
        let (key, lit) = keyed_string::<kw::scope>(input, "scope", "read:orders")?;
        check_scopes(&lit)?;
        set(&mut options.scope, key, lit, "scope")
    } else if lookahead.peek(kw::claim) {
        let key: kw::claim = input.parse()?;
        let values = claim_values(input, key.span, errors)?;
        set(&mut options.claim_values, key, values, "claim")
    } else if lookahead.peek(kw::check) {
        let key: kw::check = input.parse()?;
        input.parse::<Token![=]>()?;
        let expr: Expr = input.parse()?;
        let Expr::Path(path) = expr else {
            return Err(syn::Error::new_spanned(
                expr,
                "`check` takes the path of a function, e.g. check = orders::can_read (a closure or call is not a path)",
            ));
        };
        set(&mut options.check, key, path.path, "check")
    } else if lookahead.peek(kw::version) {
        let (key, lit) = keyed_string::<kw::version>(input, "version", "v4")?;
        let version = match lit.value().as_str() {
            "v4" => Version::V4,
            "v3" => Version::V3,
            "v2" => Version::V2,
            _ => {
                return Err(syn::Error::new(
                    lit.span(),
                    "unknown version; expected \"v4\", \"v3\" or \"v2\"",
                ));
            }
        };
        set(&mut options.version, key, version, "version")
    } else if lookahead.peek(kw::purpose) {
        let (key, lit) = keyed_string::<kw::purpose>(input, "purpose", "public")?;
        let purpose = match lit.value().as_str() {
            "public" => Purpose::Public,
            "local" => Purpose::Local,
            _ => {
                return Err(syn::Error::new(
                    lit.span(),
                    "unknown purpose; expected \"public\" or \"local\"",
                ));
            }
        };
        set(&mut options.purpose, key, purpose, "purpose")
    } else if lookahead.peek(kw::leeway) {
        let (key, lit) = keyed_string::<kw::leeway>(input, "leeway", "30s")?;
        let seconds = parse_seconds(&lit.value()).map_err(|m| syn::Error::new(lit.span(), m))?;
        set(&mut options.leeway, key, seconds, "leeway")
    } else if lookahead.peek(kw::from) {
        let key: kw::from = input.parse()?;
        input.parse::<Token![=]>()?;
        let source = source(input)?;
        set(&mut options.from, key, source, "from")
    } else if lookahead.peek(kw::optional) {
        let key: kw::optional = input.parse()?;
        bare_flag(input, &mut options.optional, key, key.span, "optional")
    } else if lookahead.peek(kw::fresh) {
        let key: kw::fresh = input.parse()?;
        bare_flag(input, &mut options.fresh, key, key.span, "fresh")
    } else if lookahead.peek(kw::state) {
        let key: kw::state = input.parse()?;
        input.parse::<Token![=]>()?;
        let state: Type = input.parse()?;
        set(&mut options.state, key, state, "state")
    } else if input.peek(Ident::peek_any) {
        let key = input.call(Ident::parse_any)?;
        Err(syn::Error::new(
            key.span(),
            format!("unknown option `{key}`; expected one of: {OPTIONS}"),
        ))
    } else {
        Err(lookahead.error())
    }
}

/// A flag written alone (`optional`, `fresh`): records `key` in `slot`, refusing a value or a
/// second mention.
fn bare_flag<K>(
    input: ParseStream<'_>,
    slot: &mut Option<K>,
    key: K,
    span: Span,
    name: &str,
) -> syn::Result<()> {
    if input.peek(Token![=]) || input.peek(syn::token::Paren) {
        return Err(input.error(format!(
            "`{name}` is a flag and takes no value: write `{name}`"
        )));
    }
    if slot.is_some() {
        return Err(syn::Error::new(
            span,
            format!("option `{name}` is given twice"),
        ));
    }
    *slot = Some(key);
    Ok(())
}

/// `"x"` or `["x", "y"]`: non-empty string literals, each once.
fn strings(input: ParseStream<'_>, key: &str, example: &str) -> syn::Result<Vec<LitStr>> {
    let expr: Expr = input.parse()?;
    if let Some(lit) = as_lit_str(&expr) {
        non_empty(lit, key)?;
        return Ok(vec![lit.clone()]);
    }
    let Expr::Array(array) = &expr else {
        return Err(syn::Error::new_spanned(
            &expr,
            format!(
                "`{key}` takes a string literal or a list of them, e.g. {key} = \"{example}\" or {key} = [\"{example}\", ..]"
            ),
        ));
    };
    if array.elems.is_empty() {
        return Err(syn::Error::new_spanned(
            array,
            format!("`{key}` needs at least one value"),
        ));
    }
    let mut errors: Option<syn::Error> = None;
    let mut push = |err: syn::Error| match &mut errors {
        Some(all) => all.combine(err),
        None => errors = Some(err),
    };
    let mut values: Vec<LitStr> = Vec::new();
    for elem in &array.elems {
        match as_lit_str(elem) {
            None => push(syn::Error::new_spanned(
                elem,
                format!("`{key}` takes string literals, e.g. \"{example}\""),
            )),
            Some(lit) => {
                if let Err(err) = non_empty(lit, key) {
                    push(err);
                } else if values.iter().any(|v| v.value() == lit.value()) {
                    push(syn::Error::new(
                        lit.span(),
                        format!("{:?} is listed twice", lit.value()),
                    ));
                } else {
                    values.push(lit.clone());
                }
            }
        }
    }
    match errors {
        Some(err) => Err(err),
        None => Ok(values),
    }
}

/// `claims(a, b, "x-y")`: identifiers or string literals, each once.
fn claim_names(
    input: ParseStream<'_>,
    key: Span,
    errors: &mut Errors,
) -> syn::Result<Vec<ClaimName>> {
    if !input.peek(syn::token::Paren) {
        return Err(input
            .error("`claims` lists claim names in parentheses, e.g. claims(roles, \"x-tenant\")"));
    }
    let content;
    syn::parenthesized!(content in input);
    let items = Punctuated::<ClaimName, Token![,]>::parse_terminated(&content)?;
    if items.is_empty() {
        return Err(syn::Error::new(
            key,
            "`claims()` lists no claim; name at least one, or leave the option out",
        ));
    }
    let mut names: Vec<ClaimName> = Vec::new();
    for item in items {
        if item.name.is_empty() {
            errors.at(item.span, "a claim name must not be empty");
        } else if names.iter().any(|n| n.name == item.name) {
            errors.at(item.span, format!("claim `{}` is listed twice", item.name));
        } else {
            names.push(item);
        }
    }
    Ok(names)
}

/// Scopes as RFC 6749 §3.3 writes them: printable ASCII but `"` and `\\`, separated by spaces.
fn check_scopes(lit: &LitStr) -> syn::Result<()> {
    let value = lit.value();
    let allowed = |c: char| c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\');
    if value.trim().is_empty() || !value.chars().all(allowed) {
        return Err(syn::Error::new(
            lit.span(),
            "`scope` takes OAuth scopes separated by spaces, e.g. scope = \"read:orders write:orders\" (printable ASCII but `\"` and `\\`)",
        ));
    }
    Ok(())
}

/// `claim(role = "admin", level = 3)`: claim names, each once, with a literal value.
fn claim_values(
    input: ParseStream<'_>,
    key: Span,
    errors: &mut Errors,
) -> syn::Result<Vec<ClaimValue>> {
    if !input.peek(syn::token::Paren) {
        return Err(input.error(
            "`claim` lists claims and their required values in parentheses, e.g. claim(role = \"admin\")",
        ));
    }
    let content;
    syn::parenthesized!(content in input);
    let items =
        Punctuated::<ClaimValue, Token![,]>::parse_terminated(&content).inspect_err(|_| {
            // The rest of the list was not read: consume it, or syn adds an "unexpected token".
            let _ = content.parse::<TokenStream>();
        })?;
    if items.is_empty() {
        return Err(syn::Error::new(
            key,
            "`claim()` names no claim; write claim(role = \"admin\"), or leave the option out",
        ));
    }
    let mut values: Vec<ClaimValue> = Vec::new();
    for item in items {
        if item.name.name.is_empty() {
            errors.at(item.name.span, "a claim name must not be empty");
        } else if values.iter().any(|v| v.name.name == item.name.name) {
            errors.at(
                item.name.span,
                format!("claim `{}` is given twice", item.name.name),
            );
        } else {
            values.push(item);
        }
    }
    Ok(values)
}

impl syn::parse::Parse for ClaimValue {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: ClaimName = input.parse()?;
        if !input.peek(Token![=]) {
            return Err(syn::Error::new(
                name.span,
                format!(
                    "claim `{}` needs its required value: {} = \"..\"",
                    name.name, name.name
                ),
            ));
        }
        input.parse::<Token![=]>()?;
        let value: Lit = input.parse().map_err(|err| {
            syn::Error::new(
                err.span(),
                "a required claim value is a literal: a string, a number or true/false",
            )
        })?;
        match value {
            Lit::Str(_) | Lit::Int(_) | Lit::Float(_) | Lit::Bool(_) => {
                Ok(ClaimValue { name, value })
            }
            other => Err(syn::Error::new_spanned(
                other,
                "a required claim value is a string, a number or true/false",
            )),
        }
    }
}

impl syn::parse::Parse for ClaimName {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            return Ok(ClaimName {
                name: lit.value(),
                span: lit.span(),
            });
        }
        if input.peek(Ident::peek_any) {
            let ident = input.call(Ident::parse_any)?;
            return Ok(ClaimName {
                name: ident.unraw().to_string(),
                span: ident.span(),
            });
        }
        Err(input.error("expected a claim name: an identifier or a string literal"))
    }
}

/// `header`, `cookie("name")` or `query("name")`.
fn source(input: ParseStream<'_>) -> syn::Result<Source> {
    let lookahead = input.lookahead1();
    if lookahead.peek(kw::header) {
        input.parse::<kw::header>()?;
        Ok(Source::Header)
    } else if lookahead.peek(kw::cookie) {
        let kind: kw::cookie = input.parse()?;
        let name = source_name(input, kind.span, "cookie")?;
        if !is_cookie_name(&name.value()) {
            return Err(syn::Error::new(name.span(), INVALID));
        }
        Ok(Source::Cookie(name))
    } else if lookahead.peek(kw::query) {
        let kind: kw::query = input.parse()?;
        let name = source_name(input, kind.span, "query")?;
        if name.value().is_empty() {
            return Err(syn::Error::new(
                name.span(),
                "the query parameter name must not be empty",
            ));
        }
        Ok(Source::Query(name))
    } else {
        Err(input.error("`from` is one of: header, cookie(\"name\"), query(\"name\")"))
    }
}

/// The `("name")` after `cookie` or `query`.
fn source_name(input: ParseStream<'_>, kind_span: Span, kind: &str) -> syn::Result<LitStr> {
    let hint = format!("expected a name in parentheses: {kind}(\"name\")");
    if !input.peek(syn::token::Paren) {
        return Err(syn::Error::new(kind_span, hint));
    }
    let content;
    let parens = syn::parenthesized!(content in input);
    if content.is_empty() {
        return Err(syn::Error::new(parens.span.join(), hint));
    }
    let expr: Expr = content.parse()?;
    let lit = as_lit_str(&expr).ok_or_else(|| syn::Error::new_spanned(&expr, &hint))?;
    if !content.is_empty() {
        return Err(content.error(hint));
    }
    Ok(lit.clone())
}
