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

/// `n` arguments `a0: X, a1: X, ..`.
fn args(n: usize) -> Vec<TokenStream> {
    (0..n)
        .map(|i| {
            let name = quote::format_ident!("a{i}");
            quote!(#name: X)
        })
        .collect()
}

#[test]
fn pairs_the_guard_with_the_first_argument() {
    let out = run(quote!(), handler());
    let expected = quote!(
        async fn profile(
            (__login_guard, user): (
                ::paseto_auth::__private::LoginGuard<false>,
                CurrentUser<User>,
            ),
        ) -> String {
            user.email.clone()
        }
    );
    // (rustfmt puts a trailing comma after the last argument of `expected`.)
    assert!(
        out.starts_with(&expected.to_string().replace(" ,)", ")")),
        "{out}"
    );
}

#[test]
fn a_handler_without_arguments_gets_the_guard_as_its_one() {
    let out = run(
        quote!(),
        quote!(
            async fn h() {}
        ),
    );
    assert!(
        out.starts_with(
            "async fn h (__login_guard : :: paseto_auth :: __private :: LoginGuard < false >)"
        ),
        "{out}"
    );
}

#[test]
fn the_user_types_are_checked_in_a_function_with_the_handler_generics() {
    let out = run(
        quote!(),
        quote!(
            async fn h<U: Clone>(a: CurrentUser<User>, b: Option<login::CurrentUser<U>>, c: Uri)
            where
                U: AuthUser,
            {
            }
        ),
    );
    assert!(errors(&out).is_empty(), "{out}");
    let checks = quote!(
        const _: () = {
            const fn __login_assert_auth_user<
                __U: ?::core::marker::Sized + ::paseto_auth::login::AuthUser,
            >() {
            }
            #[allow(dead_code)]
            fn __login_user_types<U: Clone>()
            where
                U: AuthUser,
            {
                __login_assert_auth_user::<User>();
                __login_assert_auth_user::<U>();
            }
        };
    );
    assert!(out.ends_with(&checks.to_string()), "{out}");
}

#[test]
fn no_check_without_a_current_user() {
    let out = run(
        quote!(fresh),
        quote!(
            async fn h(uri: Uri, Form(f): Form<F>) {}
        ),
    );
    assert!(!out.contains("__login_assert_auth_user"), "{out}");
}

#[test]
fn fresh_sets_the_const() {
    for args in [quote!(fresh), quote!(fresh,)] {
        let out = run(args, handler());
        assert!(errors(&out).is_empty(), "{out}");
        assert!(
            out.starts_with(
                "async fn profile ((__login_guard , user) : (:: paseto_auth :: __private :: LoginGuard < true > , CurrentUser < User >))"
            ),
            "{out}"
        );
    }
}

#[test]
fn the_guard_comes_before_a_body_extractor_and_keeps_the_rest() {
    let out = run(
        quote!(fresh),
        quote!(
            /// Docs.
            #[allow(unused)]
            pub(crate) async fn change<S: Clone>(
                State(state): State<S>,
                Form(form): Form<NewPassword>,
            ) -> Redirect
            where
                S: Send,
            {
                todo!()
            }
        ),
    );
    let expected = quote!(
        /// Docs.
        #[allow(unused)]
        pub(crate) async fn change<S: Clone>(
            (__login_guard, State(state)): (::paseto_auth::__private::LoginGuard<true>, State<S>),
            Form(form): Form<NewPassword>,
        ) -> Redirect
        where
            S: Send,
        {
            todo!()
        }
    );
    assert_eq!(out, expected.to_string());
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

#[test]
fn a_guarded_handler_keeps_its_number_of_arguments() {
    // axum takes handlers of up to 16 arguments; the guard adds none to a handler that has some.
    let sixteen = args(16);
    let out = run(quote!(), quote!(async fn h(#(#sixteen),*) {}));
    assert!(errors(&out).is_empty(), "{out}");
    let function: ItemFn = syn::parse_str(&out).unwrap();
    assert_eq!(function.sig.inputs.len(), 16);
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
fn composes_with_paseto_required_in_either_order() {
    let login_outer = expand_guards(quote!(
        #[login_required(fresh)]
        #[paseto_required(aud = "api")]
        async fn h(token: Paseto<Claims>, Json(body): Json<Body>) {}
    ));
    assert!(errors(&login_outer).is_empty(), "{login_outer}");
    // The guard of the attribute nearer the `fn` is paired first, so it runs first.
    assert!(
        login_outer.contains(
            "async fn h ((__paseto_guard , (__login_guard , token)) : \
             (:: paseto_auth :: __private :: Guard < __paseto_required_h > , \
             (:: paseto_auth :: __private :: LoginGuard < true > , Paseto < Claims >)) , \
             Json (body) : Json < Body >)"
        ),
        "{login_outer}"
    );

    let paseto_outer = expand_guards(quote!(
        #[paseto_required(aud = "api")]
        #[login_required]
        async fn h(token: Paseto<Claims>) {}
    ));
    assert!(errors(&paseto_outer).is_empty(), "{paseto_outer}");
    assert!(
        paseto_outer.contains(
            "async fn h ((__login_guard , (__paseto_guard , token)) : \
             (:: paseto_auth :: __private :: LoginGuard < false > , \
             (:: paseto_auth :: __private :: Guard < __paseto_required_h > , Paseto < Claims >)))"
        ),
        "{paseto_outer}"
    );
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
fn with_both_guards_a_handler_takes_16_arguments_and_its_claims_are_still_checked() {
    let sixteen = args(16);
    for item in [
        quote!(#[login_required] #[paseto_required] async fn h(#(#sixteen),*) {}),
        quote!(#[paseto_required] #[login_required] async fn h(#(#sixteen),*) {}),
    ] {
        let out = expand_guards(item);
        assert!(errors(&out).is_empty(), "{out}");
    }
    // The inner guard finds `Paseto<Claims>` inside the outer guard's pair.
    let out = expand_guards(quote!(
        #[paseto_required(claims(roles))]
        #[login_required]
        async fn h(token: Paseto<Claims>) {}
    ));
    assert!(out.contains("assert_claims_type :: < Claims >"), "{out}");
    assert!(out.contains("__paseto_claim_roles"), "{out}");
}
