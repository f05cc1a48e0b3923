//! Validate: the function `#[paseto_required]` is on. The checks every guard makes (`async`, no
//! `self`, given twice, axum's argument limit) are in [`crate::handler_fn`]; here, the `Paseto`
//! arguments.

use syn::ItemFn;

use super::attr::Options;
use crate::errors::Errors;
use crate::handler_fn::{self, ExtractorArg, Guard, extractor_arg};

/// A handler's `Paseto<C>` or `Option<Paseto<C>>` argument; its `type_arg` is `C`, `None` for a
/// bare `Paseto` (its default, untyped claims).
pub(super) type PasetoArg<'a> = ExtractorArg<'a>;

/// What the expansion needs to know about the handler.
pub(super) struct Handler<'a> {
    pub(super) function: &'a ItemFn,
    pub(super) paseto: Option<PasetoArg<'a>>,
}

impl<'a> Handler<'a> {
    /// Checks the function, recording every mistake: first what every guard checks
    /// ([`handler_fn::check`]), then the `Paseto` arguments.
    pub(super) fn check(function: &'a ItemFn, options: &Options, errors: &mut Errors) -> Self {
        handler_fn::check(function, Guard::PasetoRequired, errors);
        let mut paseto: Option<PasetoArg<'a>> = None;
        for (_, ty) in handler_fn::user_args(function) {
            let Some(found) = extractor_arg(ty, "Paseto") else {
                continue;
            };
            if paseto.is_some() {
                errors.spanned(
                    ty,
                    "a handler takes at most one `Paseto<..>` argument: the guard verifies one token per request",
                );
            } else {
                paseto = Some(found);
            }
        }
        if let Some(arg) = &paseto {
            check_optional(arg, options, errors);
        }
        if let Some((_, check)) = &options.check {
            if paseto.is_none() {
                errors.spanned(
                    check,
                    "`check` needs a `Paseto<C>` argument: the check takes its claims `C`, e.g. `token: Paseto<Claims>`",
                );
            } else if !function.sig.generics.params.is_empty() {
                errors.spanned(
                    check,
                    "`check` is not supported on a generic handler: its claims type must be known where the check is type-checked",
                );
            }
        }
        Handler { function, paseto }
    }
}

/// `optional` and `Option<Paseto<..>>` go together: either one alone misleads. Without
/// `optional` the guard refuses a request without a token (401) before the handler runs, so an
/// `Option` would never be `None`; with it, a `Paseto<..>` argument would refuse that request
/// anyway. Option does not imply `optional`: letting anonymous requests in stays written in the
/// attribute, where a reader of the route looks for it.
fn check_optional(arg: &PasetoArg<'_>, options: &Options, errors: &mut Errors) {
    match (&options.optional, arg.in_option) {
        (Some(_), false) => errors.spanned(
            arg.ty,
            "with `optional`, take `Option<Paseto<..>>`: a `Paseto<..>` argument still rejects requests without a token",
        ),
        (None, true) => errors.spanned(
            arg.ty,
            "this `Option` is never `None`: without `optional`, a request without a token is refused (401) before the handler runs; add `optional` to `#[paseto_required(..)]` to let it in, or take `Paseto<..>`",
        ),
        _ => {}
    }
}
