//! The comma-separated options of an attribute macro, parsed one at a time: a mistake in one
//! option is recorded and parsing resumes at the next comma, so every mistake is reported at once.

use proc_macro2::{TokenStream, TokenTree};
use syn::Token;
use syn::parse::{ParseStream, Parser};

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
