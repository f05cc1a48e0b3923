//! `#[login_required]` and `#[login_required(fresh)]`: parse the options, check the handler
//! ([`handler_fn::check`]), then pair `LoginGuard<FRESH>` with its first argument, plus a check
//! that the user type of each `CurrentUser<U>` argument implements `AuthUser`. On any mistake the
//! handler is emitted unchanged beside the errors, so the rest of the crate still resolves it.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::spanned::Spanned;
use syn::{Ident, ItemFn, Token, Type};

use crate::errors::Errors;
use crate::handler_fn::{self, Guard, extractor_arg};
use crate::options::{parse_each, rest_of_option};

mod kw {
    syn::custom_keyword!(fresh);
}

/// The options as given.
#[derive(Default)]
struct Options {
    /// Only a fresh login (one made in this browser session with credentials, not restored from
    /// the remember-me cookie) gets through.
    fresh: Option<kw::fresh>,
}

/// Parses the attribute's arguments, recording every mistake in `errors`.
fn parse(args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    parse_each(args, errors, |input, _| option(input, &mut options));
    options
}

/// One option: the bare flag `fresh`.
fn option(input: ParseStream<'_>, options: &mut Options) -> syn::Result<()> {
    if input.peek(kw::fresh) {
        let key: kw::fresh = input.parse()?;
        if input.peek(Token![=]) || input.peek(syn::token::Paren) {
            return Err(syn::Error::new_spanned(
                rest_of_option(input),
                "`fresh` takes no value: write `#[login_required(fresh)]`",
            ));
        }
        if options.fresh.is_some() {
            return Err(syn::Error::new(key.span, "option `fresh` is given twice"));
        }
        options.fresh = Some(key);
        Ok(())
    } else if input.peek(Ident::peek_any) {
        let key = input.call(Ident::parse_any)?;
        Err(syn::Error::new(
            key.span(),
            format!("unknown option `{key}`; the only option is `fresh`"),
        ))
    } else {
        let message = "expected `fresh`, the only option of `#[login_required]`";
        let rest = rest_of_option(input);
        if rest.is_empty() {
            Err(input.error(message))
        } else {
            Err(syn::Error::new_spanned(rest, message))
        }
    }
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = parse(args, &mut errors);
    let Some(mut function) = handler_fn::parse(item.clone(), Guard::LoginRequired, &mut errors)
    else {
        return quote!(#item #errors);
    };
    handler_fn::check(&function, Guard::LoginRequired, &mut errors);
    if !errors.is_empty() {
        return quote!(#item #errors);
    }
    let checks = user_type_checks(&function);
    let fresh = options.fresh.is_some();
    handler_fn::insert_guard(
        &mut function,
        Guard::LoginRequired,
        syn::parse_quote!(::paseto_auth::__private::LoginGuard<#fresh>),
    );
    quote!(#function #checks)
}

/// For each `CurrentUser<U>` or `Option<CurrentUser<U>>` argument, a check that `U` implements
/// `AuthUser`, spanned at `U`: the error is then `AuthUser`'s own message under the type, not
/// axum's "`Handler` is not implemented" at the route. The checks are in a function with the
/// handler's generics, so `U` may be one of them.
fn user_type_checks(function: &ItemFn) -> TokenStream {
    let users: Vec<&Type> = handler_fn::user_args(function)
        .filter_map(|(_, ty)| extractor_arg(ty, "CurrentUser")?.type_arg)
        .collect();
    if users.is_empty() {
        return TokenStream::new();
    }
    let checks = users.iter().map(|user| {
        quote_spanned! {user.span()=>
            __login_assert_auth_user::<#user>();
        }
    });
    let (impl_generics, _, where_clause) = function.sig.generics.split_for_impl();
    quote! {
        const _: () = {
            const fn __login_assert_auth_user<
                __U: ?::core::marker::Sized + ::paseto_auth::login::AuthUser,
            >() {
            }
            #[allow(dead_code)]
            fn __login_user_types #impl_generics () #where_clause {
                #(#checks)*
            }
        };
    }
}

#[cfg(test)]
mod tests;
