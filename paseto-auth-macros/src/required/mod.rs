//! `#[paseto_required(...)]`: parse the options ([`attr`]), check the handler ([`handler`]),
//! then insert the guard ([`expand`], with the claim checks of [`value_checks`]). On any mistake
//! the handler is emitted unchanged beside the errors (tokio-macros' way), so the rest of the
//! crate still resolves it.

mod attr;
mod expand;
mod handler;
mod value_checks;

use proc_macro2::TokenStream;
use quote::quote;

use crate::errors::Errors;
use crate::handler_fn::{self, Guard};

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = attr::parse(args, &mut errors);
    let Some(function) = handler_fn::parse(item.clone(), Guard::PasetoRequired, &mut errors) else {
        return quote!(#item #errors);
    };
    let handler = handler::Handler::check(&function, &options, &mut errors);
    if errors.is_empty() {
        expand::expand(&options, &handler)
    } else {
        quote!(#item #errors)
    }
}

#[cfg(test)]
mod tests;
