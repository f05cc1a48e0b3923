//! The comma-separated options of an attribute macro, parsed one at a time: a mistake in one
//! option is recorded and parsing resumes at the next comma, so every mistake is reported at once.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, ExprLit, Lit, LitBool, LitStr, Token};

use crate::errors::Errors;

/// Calls `option` once per comma-separated option of `args` (a trailing comma is allowed),
/// recording its error, and a missing comma's, in `errors`.
pub(crate) fn parse_each(
    args: TokenStream,
    errors: &mut Errors,
    mut option: impl FnMut(ParseStream<'_>, &mut Errors) -> syn::Result<()>,
) {
    let parser = |input: ParseStream<'_>| -> syn::Result<()> {
        while !input.is_empty() {
            if let Err(err) = option(input, errors) {
                errors.push(err);
                skip_to_comma(input)?;
            }
            if input.is_empty() {
                break;
            }
            if let Err(err) = input.parse::<Token![,]>() {
                errors.push(err);
                skip_to_comma(input)?;
                if input.is_empty() {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
        }
        Ok(())
    };
    let result = parser.parse2(args);
    errors.ok(result);
}

/// Skips the rest of the current option: every token up to the next top-level comma.
fn skip_to_comma(input: ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

/// The tokens up to the next top-level comma, without consuming them (for an error covering a
/// value that should not be there).
pub(crate) fn rest_of_option(input: ParseStream<'_>) -> TokenStream {
    let fork = input.fork();
    let mut tokens = TokenStream::new();
    while !fork.is_empty() && !fork.peek(Token![,]) {
        match fork.parse::<TokenTree>() {
            Ok(tree) => tokens.extend([tree]),
            Err(_) => break,
        }
    }
    tokens
}

/// Stores an option's value; a second occurrence is an error at its key.
pub(crate) fn set<K: quote::ToTokens, T>(
    slot: &mut Option<(K, T)>,
    key: K,
    value: T,
    name: &str,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new_spanned(
            key,
            format!("option `{name}` is given twice"),
        ));
    }
    *slot = Some((key, value));
    Ok(())
}

/// A string literal, or `None` when `expr` is something else.
pub(crate) fn as_lit_str(expr: &Expr) -> Option<&LitStr> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit),
            attrs,
        }) if attrs.is_empty() => Some(lit),
        Expr::Group(group) => as_lit_str(&group.expr),
        _ => None,
    }
}

/// One non-empty string literal.
pub(crate) fn string(input: ParseStream<'_>, key: &str, example: &str) -> syn::Result<LitStr> {
    let expr: Expr = input.parse()?;
    let Some(lit) = as_lit_str(&expr) else {
        return Err(syn::Error::new_spanned(
            &expr,
            format!("`{key}` takes a string literal, e.g. {key} = \"{example}\""),
        ));
    };
    non_empty(lit, key)?;
    Ok(lit.clone())
}

pub(crate) fn non_empty(lit: &LitStr, key: &str) -> syn::Result<()> {
    if lit.value().is_empty() {
        return Err(syn::Error::new(
            lit.span(),
            format!("`{key}` must not be empty"),
        ));
    }
    Ok(())
}

/// `key = "value"`: the keyword `K`, named `name` in messages, and its non-empty string literal
/// (`example` shows one in the message for anything else).
pub(crate) fn keyed_string<K: syn::parse::Parse>(
    input: ParseStream<'_>,
    name: &str,
    example: &str,
) -> syn::Result<(K, LitStr)> {
    let key: K = input.parse()?;
    input.parse::<Token![=]>()?;
    Ok((key, string(input, name, example)?))
}

/// A flag's value: `true` when given bare (`secure`), or the literal of `secure = false`.
pub(crate) fn flag(input: ParseStream<'_>, key: &str) -> syn::Result<bool> {
    if !input.peek(Token![=]) {
        return Ok(true);
    }
    input.parse::<Token![=]>()?;
    let expr: Expr = input.parse()?;
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(LitBool { value, .. }),
            ..
        }) => Ok(*value),
        _ => Err(syn::Error::new_spanned(
            &expr,
            format!("`{key}` takes true or false (or write `{key}` alone for true)"),
        )),
    }
}
