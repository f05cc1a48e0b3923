//! Validate: the function `#[paseto_required]` is on. The checks every guard makes (`async`, no
//! `self`, given twice, axum's argument limit) are in [`crate::handler_fn`]; here, the `Paseto`
//! arguments.

use syn::{FnArg, GenericArgument, ItemFn, PathArguments, Type};

use super::attr::Options;
use crate::errors::Errors;
use crate::handler_fn::{self, Guard};

/// A handler's `Paseto<C>` or `Option<Paseto<C>>` argument.
pub(super) struct PasetoArg<'a> {
    /// The whole argument type.
    pub(super) ty: &'a Type,
    /// `Option<Paseto<..>>`.
    pub(super) in_option: bool,
    /// `C`; `None` for a bare `Paseto` (its default, untyped claims).
    pub(super) claims: Option<&'a Type>,
}

/// What the expansion needs to know about the handler.
pub(super) struct Handler<'a> {
    pub(super) function: &'a ItemFn,
    pub(super) paseto: Option<PasetoArg<'a>>,
}

/// The first type argument of `X<T, ..>`.
fn first_type_arg(args: &PathArguments) -> Option<&Type> {
    match args {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    }
}

/// The last path segment of `ty`, through invisible groups and parentheses.
fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

/// `Paseto<C>` or `Option<Paseto<C>>` (matched by the last path segment, `Paseto`).
fn paseto_arg(ty: &Type) -> Option<PasetoArg<'_>> {
    let last = last_segment(ty)?;
    if last.ident == "Paseto" {
        return Some(PasetoArg {
            ty,
            in_option: false,
            claims: first_type_arg(&last.arguments),
        });
    }
    if last.ident == "Option" {
        let inner = last_segment(first_type_arg(&last.arguments)?)?;
        if inner.ident == "Paseto" {
            return Some(PasetoArg {
                ty,
                in_option: true,
                claims: first_type_arg(&inner.arguments),
            });
        }
    }
    None
}

impl<'a> Handler<'a> {
    /// Checks the function, recording every mistake: first what every guard checks
    /// ([`handler_fn::check`]), then the `Paseto` arguments.
    pub(super) fn check(function: &'a ItemFn, options: &Options, errors: &mut Errors) -> Self {
        handler_fn::check(function, Guard::PasetoRequired, errors);
        let mut paseto: Option<PasetoArg<'a>> = None;
        for arg in &function.sig.inputs {
            let FnArg::Typed(arg) = arg else {
                continue;
            };
            let Some(found) = paseto_arg(&arg.ty) else {
                continue;
            };
            if paseto.is_some() {
                errors.spanned(
                    &arg.ty,
                    "a handler takes at most one `Paseto<..>` argument: the guard verifies one token per request",
                );
            } else {
                paseto = Some(found);
            }
        }
        if let (Some(arg), Some(_)) = (&paseto, &options.optional)
            && !arg.in_option
        {
            errors.spanned(
                arg.ty,
                "with `optional`, take `Option<Paseto<..>>`: a `Paseto<..>` argument still rejects requests without a token",
            );
        }
        Handler { function, paseto }
    }
}
