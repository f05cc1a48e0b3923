//! `#[derive(PasetoClaims)]`: parse the struct ([`ast`], with the field options of [`attr`]),
//! check it ([`valid`], [`payload`]), then expand it ([`expand`], with the field-type checks of
//! [`assert`] and the field shapes of [`shape`]), or report every mistake beside a stub impl
//! ([`fallback`]).

mod assert;
mod ast;
mod attr;
mod expand;
mod fallback;
mod payload;
mod shape;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

use crate::errors::Errors;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut errors = Errors::default();
    let parsed = ast::Input::from_syn(input, &mut errors);
    if let Some(parsed) = &parsed {
        parsed.validate(&mut errors);
    }
    match parsed {
        // serde_derive reports its own attributes; claims read through them would be guesses.
        Some(parsed) if errors.is_empty() && !parsed.serde_unreadable => expand::expand(&parsed),
        _ => fallback::expand(input, &errors),
    }
}

#[cfg(test)]
mod tests;
