use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::parse::Parser;
use syn::{Item, ItemFn, Meta};

use super::expand;
use crate::errors::messages as errors;

fn run(args: TokenStream, item: TokenStream) -> String {
    expand(args, item).to_string()
}

fn handler() -> TokenStream {
    quote!(
        async fn profile(user: CurrentUser<User>) -> String {
            user.email.clone()
        }
    )
}

#[test]
fn option_mistakes_are_all_reported_and_the_handler_kept() {
    let out = run(
        quote!(fresh fresh, fresh = true, fresh(yes), stale, "x", fresh, 42),
        handler(),
    );
    assert_eq!(
        errors(&out),
        [
            "expected `,`",
            "`fresh` takes no value: write `#[login_required(fresh)]`",
            "`fresh` takes no value: write `#[login_required(fresh)]`",
            "unknown option `stale`; the only option is `fresh`",
            "expected `fresh`, the only option of `#[login_required]`",
            "option `fresh` is given twice",
            "expected `fresh`, the only option of `#[login_required]`",
        ]
    );
    // The handler, unchanged.
    assert!(out.starts_with(&handler().to_string()), "{out}");
}

#[test]
fn a_lone_comma_is_reported() {
    assert_eq!(
        errors(&run(quote!(,), handler())),
        ["expected `fresh`, the only option of `#[login_required]`"]
    );
}

#[test]
fn handler_mistakes() {
    let out = run(
        quote!(),
        quote!(
            #[login_required(fresh)]
            fn h(&self, user: CurrentUser<User>) {}
        ),
    );
    assert_eq!(
        errors(&out),
        [
            "`#[login_required]` goes on an async handler: add `async`",
            "`#[login_required]` is given twice on this handler; merge the options into one",
            "`#[login_required]` goes on a free function: an axum handler takes no `self`",
        ]
    );
}

#[test]
fn given_twice_through_a_path() {
    let out = run(
        quote!(),
        quote!(
            #[paseto_auth::login_required]
            async fn h() {}
        ),
    );
    assert_eq!(
        errors(&out),
        ["`#[login_required]` is given twice on this handler; merge the options into one"]
    );
}

#[test]
fn not_a_function() {
    for item in [
        quote!(
            struct S;
        ),
        quote!(
            const X: u8 = 1;
        ),
    ] {
        let out = run(quote!(), item.clone());
        assert_eq!(
            errors(&out),
            ["`#[login_required]` goes on an async handler function"]
        );
        assert!(out.starts_with(&item.to_string()), "{out}");
    }
}

#[test]
fn option_and_handler_mistakes_together() {
    let out = run(
        quote!(fresh = 1),
        quote!(
            fn h() {}
        ),
    );
    assert_eq!(
        errors(&out),
        [
            "`fresh` takes no value: write `#[login_required(fresh)]`",
            "`#[login_required]` goes on an async handler: add `async`",
        ]
    );
}

/// Expands the guard attributes on `item` as the compiler does, outermost first, until none is
/// left or one reports errors; returns the last expansion.
fn expand_guards(item: TokenStream) -> String {
    let mut tokens = item;
    loop {
        // Items as `syn::File` would parse them, but a function may have a `self` receiver.
        let parser = |input: syn::parse::ParseStream<'_>| {
            let mut function = None;
            let mut others = Vec::new();
            while !input.is_empty() {
                if input.fork().parse::<ItemFn>().is_ok() {
                    function = Some(input.parse::<ItemFn>()?);
                } else {
                    others.push(input.parse::<Item>()?);
                }
            }
            Ok((function, others))
        };
        let (function, others) = parser.parse2(tokens.clone()).expect("an expansion parses");
        let Some(mut function) = function else {
            return tokens.to_string();
        };
        let Some(index) = function.attrs.iter().position(|attr| {
            attr.path().is_ident("login_required") || attr.path().is_ident("paseto_required")
        }) else {
            return tokens.to_string();
        };
        let attr = function.attrs.remove(index);
        let args = match &attr.meta {
            Meta::List(list) => list.tokens.clone(),
            _ => TokenStream::new(),
        };
        let function = function.to_token_stream();
        let expanded = if attr.path().is_ident("login_required") {
            expand(args, function)
        } else {
            crate::required::expand(args, function)
        };
        tokens = quote!(#(#others)* #expanded);
        if !errors(&tokens.to_string()).is_empty() {
            return tokens.to_string();
        }
    }
}

#[test]
fn with_both_guards_a_mistake_of_the_function_is_reported_once() {
    for item in [
        quote!(
            #[login_required]
            #[paseto_required]
            fn h(&self) {}
        ),
        quote!(
            #[paseto_required]
            #[login_required]
            fn h(&self) {}
        ),
    ] {
        let out = expand_guards(item);
        assert_eq!(errors(&out).len(), 2, "{out}");
        assert!(errors(&out)[0].ends_with("goes on an async handler: add `async`"));
        assert!(
            errors(&out)[1].ends_with("goes on a free function: an axum handler takes no `self`")
        );
    }
}

#[test]
fn with_both_guards_every_correct_handler_expands() {
    for item in [
        quote!(
            #[login_required(fresh)]
            #[paseto_required(aud = "api", claims(roles))]
            async fn h(token: Paseto<Claims>, Json(body): Json<Body>) {}
        ),
        quote!(
            #[paseto_required(claims(roles))]
            #[login_required]
            async fn h(token: Paseto<Claims>) {}
        ),
        quote!(
            #[paseto_required]
            #[login_required]
            async fn h() {}
        ),
    ] {
        let out = expand_guards(item);
        assert!(errors(&out).is_empty(), "{out}");
        syn::parse_str::<syn::File>(&out).unwrap_or_else(|err| panic!("{err}: {out}"));
    }
}
