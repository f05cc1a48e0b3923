//! The handler a guard attribute goes on (`#[paseto_required]`, `#[login_required]`): the checks
//! they share, the guard each puts before the handler's extractors, and how they find extractor
//! arguments (`Paseto<C>`, `CurrentUser<U>`).
//!
//! The guard is paired with the first argument — `token: Paseto<C>` becomes
//! `(__paseto_guard, token): (Guard<..>, Paseto<C>)`, an extractor tuple that axum extracts in
//! order — so it runs before every other extractor and the handler keeps its number of arguments.
//! That keeps axum's limit of 16 arguments for guarded handlers, and lets
//! `#[axum::debug_handler]` go above the guard attribute as well as below it (above, it calls the
//! handler with as many arguments as it was written with). A handler without arguments gets the
//! guard as its one argument.
//!
//! Both macros may guard the same handler, in either order. The outer one expands first and
//! leaves the inner attribute on the function, so the checks on the function itself (`async`, no
//! `self`) are made by the last guard to expand: each mistake is then reported once, not once per
//! guard.

use proc_macro2::TokenStream;
use syn::{Attribute, FnArg, GenericArgument, ItemFn, Pat, PathArguments, Type};

use crate::errors::Errors;

/// An attribute macro that guards a handler with an extractor that runs before its own ones.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Guard {
    /// `#[paseto_required]`: `__paseto_guard: Guard<route>`.
    PasetoRequired,
    /// `#[login_required]`: `__login_guard: LoginGuard<FRESH>`.
    LoginRequired,
}

impl Guard {
    const ALL: [Guard; 2] = [Guard::PasetoRequired, Guard::LoginRequired];

    /// The attribute's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Guard::PasetoRequired => "paseto_required",
            Guard::LoginRequired => "login_required",
        }
    }

    /// The name of the argument it inserts.
    fn arg(self) -> &'static str {
        match self {
            Guard::PasetoRequired => "__paseto_guard",
            Guard::LoginRequired => "__login_guard",
        }
    }

    /// Whether `attr` is this guard's attribute (matched by its last path segment, so
    /// `#[paseto_auth::login_required]` counts).
    fn is(self, attr: &Attribute) -> bool {
        attr.path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == self.name())
    }

    /// Whether `pat` is this guard's binding.
    fn binds(self, pat: &Pat) -> bool {
        matches!(pat, Pat::Ident(pat) if pat.ident == self.arg())
    }
}

/// Parses the item the attribute is on; `None`, with the error recorded, when it is not a function.
pub(crate) fn parse(item: TokenStream, guard: Guard, errors: &mut Errors) -> Option<ItemFn> {
    match syn::parse2(item) {
        Ok(function) => Some(function),
        Err(err) => {
            errors.at(
                err.span(),
                format!("`#[{}]` goes on an async handler function", guard.name()),
            );
            None
        }
    }
}

/// Checks the function `guard` is on, recording every mistake: the attribute given twice; and,
/// unless another guard attribute is still to expand (see the module docs), a function that is
/// not `async` and a `self` receiver.
pub(crate) fn check(function: &ItemFn, guard: Guard, errors: &mut Errors) {
    let name = guard.name();
    let sig = &function.sig;
    let another_to_expand = Guard::ALL
        .into_iter()
        .filter(|other| *other != guard)
        .any(|other| function.attrs.iter().any(|attr| other.is(attr)));
    if !another_to_expand && sig.asyncness.is_none() {
        errors.at(
            sig.fn_token.span,
            format!("`#[{name}]` goes on an async handler: add `async`"),
        );
    }
    for attr in function.attrs.iter().filter(|attr| guard.is(attr)) {
        errors.spanned(
            attr,
            format!("`#[{name}]` is given twice on this handler; merge the options into one"),
        );
    }
    if another_to_expand {
        return;
    }
    for arg in &sig.inputs {
        if let FnArg::Receiver(receiver) = arg {
            errors.spanned(
                receiver,
                format!("`#[{name}]` goes on a free function: an axum handler takes no `self`"),
            );
        }
    }
}

/// Puts `guard`'s extractor, of type `ty`, before every other one: paired with the first argument
/// in a tuple (which axum extracts left to right, the body last), or on its own first when there
/// is no argument or the first one is conditional (`#[cfg]`).
///
/// After a `self` receiver, if there is one: the function then still parses, so the guard that
/// expands last can report the receiver (see [`check`]).
pub(crate) fn insert_guard(function: &mut ItemFn, guard: Guard, ty: Type) {
    let name = syn::Ident::new(guard.arg(), proc_macro2::Span::call_site());
    let first = match function.sig.inputs.first() {
        Some(FnArg::Receiver(_)) => 1,
        _ => 0,
    };
    match function.sig.inputs.iter_mut().nth(first) {
        // A `#[cfg]` on the argument would remove the guard with it, where the configuration
        // leaves the argument out: the guard then goes first on its own.
        Some(FnArg::Typed(arg)) if !arg.attrs.iter().any(is_cfg) => {
            let (pat, arg_ty) = (&arg.pat, &arg.ty);
            let paired_pat: Pat = syn::parse_quote!((#name, #pat));
            let paired_ty: Type = syn::parse_quote!((#ty, #arg_ty));
            *arg.pat = paired_pat;
            *arg.ty = paired_ty;
        }
        _ => function
            .sig
            .inputs
            .insert(first, syn::parse_quote!(#name: #ty)),
    }
}

/// Whether `attr` is `#[cfg(..)]` or `#[cfg_attr(..)]` (which may expand to a `cfg`).
fn is_cfg(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr")
}

/// The handler's arguments as the user wrote them, `(pattern, type)`: a first argument paired with
/// a guard (by [`insert_guard`], when another guard attribute expanded first) is looked into.
pub(crate) fn user_args(function: &ItemFn) -> impl Iterator<Item = (&Pat, &Type)> {
    function.sig.inputs.iter().filter_map(|arg| match arg {
        FnArg::Typed(arg) => unpaired(&arg.pat, &arg.ty),
        FnArg::Receiver(_) => None,
    })
}

/// The user's argument in `pat: ty`, under any guard pairs; `None` for a guard alone.
fn unpaired<'a>(pat: &'a Pat, ty: &'a Type) -> Option<(&'a Pat, &'a Type)> {
    if Guard::ALL.into_iter().any(|guard| guard.binds(pat)) {
        return None;
    }
    if let (Pat::Tuple(pats), Type::Tuple(types)) = (pat, ty)
        && let ([guard_pat, user_pat], [_, user_ty]) = (
            pats.elems.iter().collect::<Vec<_>>().as_slice(),
            types.elems.iter().collect::<Vec<_>>().as_slice(),
        )
        && Guard::ALL.into_iter().any(|guard| guard.binds(guard_pat))
    {
        return unpaired(user_pat, user_ty);
    }
    Some((pat, ty))
}

/// A handler's argument of an extractor type `X<T, ..>` or `Option<X<T, ..>>`.
pub(crate) struct ExtractorArg<'a> {
    /// The whole argument type.
    pub(crate) ty: &'a Type,
    /// `Option<X<..>>`.
    pub(crate) in_option: bool,
    /// `T`; `None` when `X` has no type argument.
    pub(crate) type_arg: Option<&'a Type>,
}

/// `ty` as an argument of extractor `name`: `name<T>` or `Option<name<T>>`, matched by the last
/// path segment (the user may import or qualify the type as they like).
pub(crate) fn extractor_arg<'a>(ty: &'a Type, name: &str) -> Option<ExtractorArg<'a>> {
    let last = last_segment(ty)?;
    if last.ident == name {
        return Some(ExtractorArg {
            ty,
            in_option: false,
            type_arg: first_type_arg(&last.arguments),
        });
    }
    if last.ident == "Option" {
        let inner = last_segment(first_type_arg(&last.arguments)?)?;
        if inner.ident == name {
            return Some(ExtractorArg {
                ty,
                in_option: true,
                type_arg: first_type_arg(&inner.arguments),
            });
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};
    use syn::ItemFn;

    use super::*;

    fn function(tokens: proc_macro2::TokenStream) -> ItemFn {
        syn::parse2(tokens).unwrap()
    }

    /// The user's arguments as `pattern: type` text, through any guard pairs.
    fn user_arg_texts(function: &ItemFn) -> Vec<String> {
        user_args(function)
            .map(|(pat, ty)| format!("{}: {}", pat.to_token_stream(), ty.to_token_stream()))
            .collect()
    }

    /// The first argument's pattern and type, as text.
    fn first(function: &ItemFn) -> String {
        function
            .sig
            .inputs
            .first()
            .unwrap()
            .to_token_stream()
            .to_string()
    }

    #[test]
    fn a_guard_is_paired_with_the_first_argument_and_the_arity_kept() {
        let mut f = function(quote!(
            async fn h(Json(body): Json<Body>, token: Paseto<C>) {}
        ));
        let before = user_arg_texts(&f);
        insert_guard(&mut f, Guard::PasetoRequired, syn::parse_quote!(G));
        assert_eq!(f.sig.inputs.len(), 2);
        assert_eq!(
            first(&f),
            "(__paseto_guard , Json (body)) : (G , Json < Body >)"
        );
        assert_eq!(user_arg_texts(&f), before);
        // A second guard pairs with the pair: it runs first.
        insert_guard(&mut f, Guard::LoginRequired, syn::parse_quote!(L));
        assert_eq!(
            first(&f),
            "(__login_guard , (__paseto_guard , Json (body))) : (L , (G , Json < Body >))"
        );
        assert_eq!(user_arg_texts(&f), before);
    }

    #[test]
    fn a_handler_without_arguments_gets_the_guard_alone() {
        let mut f = function(quote!(
            async fn h() {}
        ));
        insert_guard(&mut f, Guard::LoginRequired, syn::parse_quote!(L));
        assert_eq!(first(&f), "__login_guard : L");
        assert!(user_arg_texts(&f).is_empty());
        insert_guard(&mut f, Guard::PasetoRequired, syn::parse_quote!(G));
        assert_eq!(first(&f), "(__paseto_guard , __login_guard) : (G , L)");
        assert!(user_arg_texts(&f).is_empty());
    }

    #[test]
    fn a_conditional_first_argument_is_not_paired_with_the_guard() {
        // Paired, a `#[cfg]` that leaves the argument out would leave the guard out with it.
        for attr in [
            quote!(#[cfg(feature = "metrics")]),
            quote!(#[cfg_attr(test, cfg(any()))]),
        ] {
            let mut f = function(quote!(async fn h(#attr m: Metrics, body: String) {}));
            insert_guard(&mut f, Guard::PasetoRequired, syn::parse_quote!(G));
            assert_eq!(f.sig.inputs.len(), 3);
            assert_eq!(first(&f), "__paseto_guard : G");
        }
    }

    #[test]
    fn a_user_tuple_argument_is_not_taken_for_a_guard_pair() {
        let f = function(quote!(
            async fn h((a, b): (A, B)) {}
        ));
        assert_eq!(user_arg_texts(&f), ["(a , b): (A , B)"]);
    }
}
