//! Validate: the function `#[paseto_required]` is on.

use syn::{FnArg, GenericArgument, ItemFn, PathArguments, Type};

use super::attr::Options;
use crate::errors::Errors;

/// axum implements `Handler` for functions of at most this many arguments; the guard is one.
const AXUM_MAX_ARGS: usize = 16;

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
    /// Checks the function, recording every mistake.
    pub(super) fn check(function: &'a ItemFn, options: &Options, errors: &mut Errors) -> Self {
        let sig = &function.sig;
        if sig.asyncness.is_none() {
            errors.at(
                sig.fn_token.span,
                "`#[paseto_required]` goes on an async handler: add `async`",
            );
        }
        for attr in &function.attrs {
            let path = attr.path();
            if path
                .segments
                .last()
                .is_some_and(|s| s.ident == "paseto_required")
            {
                errors.spanned(
                    attr,
                    "`#[paseto_required]` is given twice on this handler; merge the options into one",
                );
            }
        }
        let mut paseto: Option<PasetoArg<'a>> = None;
        for arg in &sig.inputs {
            match arg {
                FnArg::Receiver(receiver) => errors.spanned(
                    receiver,
                    "`#[paseto_required]` goes on a free function: an axum handler takes no `self`",
                ),
                FnArg::Typed(arg) => {
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
        if let Some(extra) = sig.inputs.iter().nth(AXUM_MAX_ARGS - 1) {
            errors.spanned(
                extra,
                format!(
                    "a guarded handler takes at most {} arguments: the guard is one more, and axum handlers take at most {AXUM_MAX_ARGS}",
                    AXUM_MAX_ARGS - 1
                ),
            );
        }
        Handler { function, paseto }
    }
}
