use proc_macro2::TokenStream;
use quote::quote;

use super::expand;
use crate::errors::messages as errors;

fn run(args: TokenStream, item: TokenStream) -> String {
    expand(args, item).to_string()
}

fn handler() -> TokenStream {
    quote!(
        async fn me(token: Paseto<Claims>) -> String {
            token.claims.user
        }
    )
}

/// The expansion is Rust items, with no error.
fn assert_expands(out: &str) {
    assert!(errors(out).is_empty(), "{out}");
    syn::parse_str::<syn::File>(out).unwrap_or_else(|err| panic!("{err}: {out}"));
}

#[test]
fn every_option_is_accepted() {
    // What each option makes the guard do is shown at run time, in the workspace's
    // tests/macros_pass.rs and tests/hardening.rs; here, that the grammar takes them all.
    let out = run(
        quote!(
            iss = ["https://a.example", "https://b.example"],
            aud = "api",
            sub = "alice",
            claims(roles, "x-tenant", exp, r#type),
            version = "v3",
            purpose = "local",
            leeway = "1h30m",
            from = cookie("paseto"),
            optional,
            state = AppState,
        ),
        quote!(
            async fn me(token: Option<Paseto<Claims>>) {}
        ),
    );
    assert_expands(&out);
    for handler in [
        quote!(
            async fn h() {}
        ),
        quote!(
            async fn h(token: Paseto) {}
        ),
        quote!(
            async fn h<C: PasetoClaims>(token: Paseto<C>) {}
        ),
        quote!(
            pub async fn h(Json(body): Json<Body>, token: Paseto<Claims>) {}
        ),
    ] {
        assert_expands(&run(quote!(claims(roles)), handler));
    }
}

#[test]
fn every_option_mistake_is_reported_and_the_handler_kept() {
    let out = run(
        quote!(
            issuer = "x",
            iss = ISSUER,
            aud = "",
            aud = [],
            sub = ["a"],
            claims(a, a, ""),
            version = "v5",
            purpose = "secret",
            leeway = "5 minutes",
            from = cookie("my cookie"),
            optional = true,
            fresh(yes),
            iss = "a" aud = "b",
            "x"
        ),
        handler(),
    );
    assert_eq!(
        errors(&out),
        [
            "unknown option `issuer`; expected one of: iss, aud, sub, claims, scope, claim, check, version, purpose, leeway, from, optional, fresh, state",
            "`iss` takes a string literal or a list of them, e.g. iss = \"https://issuer.example\" or iss = [\"https://issuer.example\", ..]",
            "`aud` must not be empty",
            "`aud` needs at least one value",
            "`sub` takes a string literal, e.g. sub = \"alice\"",
            "claim `a` is listed twice",
            "a claim name must not be empty",
            "unknown version; expected \"v4\", \"v3\" or \"v2\"",
            "unknown purpose; expected \"public\" or \"local\"",
            "invalid duration \"5 minutes\": it contains a space; write <number><unit> pairs such as \"30s\", \"15m\" or \"1h30m\" (units: s, m, h, d)",
            crate::cookie_name::INVALID,
            "`optional` is a flag and takes no value: write `optional`",
            "`fresh` is a flag and takes no value: write `fresh`",
            "expected `,`",
            "expected one of: `iss`, `aud`, `sub`, `claims`, `scope`, `claim`, `check`, `version`, `purpose`, `leeway`, `from`, `optional`, `fresh`, `state`",
        ]
    );
    // The handler, unchanged.
    assert!(out.starts_with(&handler().to_string()), "{out}");
}

#[test]
fn duplicates_are_reported_at_the_second_key() {
    let out = run(
        quote!(
            iss = "a",
            optional,
            fresh,
            iss = "b",
            optional,
            fresh,
            claims(x),
            claims(y)
        ),
        quote!(
            async fn h(token: Option<Paseto<Claims>>) {}
        ),
    );
    assert_eq!(
        errors(&out),
        [
            "option `iss` is given twice",
            "option `optional` is given twice",
            "option `fresh` is given twice",
            "option `claims` is given twice",
        ]
    );
}

#[test]
fn handler_mistakes() {
    let out = run(
        quote!(optional),
        quote!(
            #[paseto_required]
            fn h(&self, a: Paseto<C>, b: Option<Paseto<C>>) {}
        ),
    );
    assert_eq!(
        errors(&out),
        [
            "`#[paseto_required]` goes on an async handler: add `async`",
            "`#[paseto_required]` is given twice on this handler; merge the options into one",
            "`#[paseto_required]` goes on a free function: an axum handler takes no `self`",
            "a handler takes at most one `Paseto<..>` argument: the guard verifies one token per request",
            "with `optional`, take `Option<Paseto<..>>`: a `Paseto<..>` argument still rejects requests without a token",
        ]
    );
}

#[test]
fn not_a_function() {
    let out = run(
        quote!(),
        quote!(
            struct S;
        ),
    );
    assert_eq!(
        errors(&out),
        ["`#[paseto_required]` goes on an async handler function"]
    );
    assert!(out.starts_with("struct S ;"), "{out}");
}

#[test]
fn sources() {
    for (args, source) in [
        (quote!(from = header), "TokenSource :: Header"),
        (quote!(from = query("t")), "TokenSource :: query (\"t\")"),
    ] {
        let out = run(args, handler());
        assert!(out.contains(source), "{out}");
    }
    for (args, message) in [
        (
            quote!(from = body),
            "`from` is one of: header, cookie(\"name\"), query(\"name\")",
        ),
        (
            quote!(from = cookie),
            "expected a name in parentheses: cookie(\"name\")",
        ),
        (
            quote!(from = cookie()),
            "expected a name in parentheses: cookie(\"name\")",
        ),
        (
            quote!(from = cookie(NAME)),
            "expected a name in parentheses: cookie(\"name\")",
        ),
        (
            quote!(from = query("")),
            "the query parameter name must not be empty",
        ),
    ] {
        assert_eq!(errors(&run(args, handler())), [message]);
    }
}

#[test]
fn an_option_argument_goes_with_optional() {
    let handler = || {
        quote!(
            async fn h(token: Option<Paseto<Claims>>) {}
        )
    };
    assert_eq!(
        errors(&run(quote!(aud = "api"), handler())),
        [
            "this `Option` is never `None`: without `optional`, a request without a token is refused (401) before the handler runs; add `optional` to `#[paseto_required(..)]` to let it in, or take `Paseto<..>`"
        ]
    );
    assert_expands(&run(quote!(aud = "api", optional), handler()));
}
