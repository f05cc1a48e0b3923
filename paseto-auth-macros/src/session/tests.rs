use quote::quote;

use super::expand;
use crate::errors::messages as errors;

#[test]
fn every_mistake_is_reported_at_once_and_the_item_kept() {
    let item = quote!(
        #[derive(Default, Serialize, Deserialize)]
        struct Cart {
            items: Vec<u32>,
        }
    );
    let out = expand(
        quote!(
            cookie = "a b",
            max_age = "5 minutes",
            colour = "red",
            path = "shop",
            domain = "exa mple.com",
            secure = false,
            rolling = "yes",
            same_site = "none",
            cookie = "cart",
            cookie = "again",
        ),
        item.clone(),
    )
    .to_string();
    assert_eq!(
        errors(&out),
        [
            crate::cookie_name::INVALID,
            "invalid duration \"5 minutes\": it contains a space; write <number><unit> pairs such as \"30s\", \"15m\" or \"1h30m\" (units: s, m, h, d)",
            "unknown option `colour`; expected one of: cookie, max_age, rolling, path, domain, secure, http_only, same_site",
            "`path` must start with `/` and contain no `;`",
            "`domain` must be a host name",
            "`rolling` takes true or false (or write `rolling` alone for true)",
            "option `cookie` is given twice",
            "`same_site = \"none\"` needs `secure` (browsers drop such cookies)",
        ]
    );
    assert!(out.starts_with(&item.to_string()), "{out}");
}

#[test]
fn the_item_must_be_a_plain_struct_or_enum() {
    let out = expand(
        quote!(),
        quote!(
            fn f() {}
        ),
    )
    .to_string();
    assert_eq!(
        errors(&out),
        ["`#[paseto_session]` goes on a struct or an enum"]
    );
    let out = expand(
        quote!(max_age = "1d"),
        quote!(
            struct S<T>(T);
        ),
    )
    .to_string();
    assert_eq!(errors(&out), ["a session type cannot be generic"]);
}

#[test]
fn correct_options_expand_to_rust_items() {
    let out = expand(
        quote!(
            cookie = "cart",
            max_age = "14d",
            rolling,
            path = "/shop",
            domain = "example.com",
            secure,
            http_only = false,
            same_site = "strict"
        ),
        quote!(
            #[derive(Default)]
            struct Cart;
        ),
    )
    .to_string();
    assert!(errors(&out).is_empty(), "{out}");
    syn::parse_str::<syn::File>(&out).unwrap_or_else(|err| panic!("{err}: {out}"));
}
