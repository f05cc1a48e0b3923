//! `#[paseto_session(...)]`: a struct (or enum) becomes a typed session stored in an encrypted
//! cookie. Parse the options ([`attr`]), check the item, then expand ([`expand`]); every mistake
//! is reported at once, beside the item unchanged.

mod attr;
mod expand;
mod one_type_per_cookie;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Generics, Ident, Item};

use crate::errors::Errors;

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = attr::parse(args, &mut errors);
    let parsed = syn::parse2::<Item>(item.clone());
    let target = match &parsed {
        Ok(parsed) => session_type(parsed, &mut errors),
        Err(err) => {
            errors.at(
                err.span(),
                "`#[paseto_session]` goes on a struct or an enum",
            );
            None
        }
    };
    match target {
        Some(ident) if errors.is_empty() => expand::expand(&item, ident, &options),
        _ => quote!(#item #errors),
    }
}

/// The name of the type the attribute is on; `None`, with the error recorded, when it is not a
/// struct or an enum, or is generic.
fn session_type<'a>(item: &'a Item, errors: &mut Errors) -> Option<&'a Ident> {
    let (ident, generics): (&Ident, &Generics) = match item {
        Item::Struct(s) => (&s.ident, &s.generics),
        Item::Enum(e) => (&e.ident, &e.generics),
        other => {
            errors.spanned(other, "`#[paseto_session]` goes on a struct or an enum");
            return None;
        }
    };
    if !generics.params.is_empty() {
        errors.spanned(generics, "a session type cannot be generic");
        return None;
    }
    Some(ident)
}

#[cfg(test)]
mod tests;
