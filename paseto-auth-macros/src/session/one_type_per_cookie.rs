//! Two session types on one cookie name would overwrite each other's data (writing one drops
//! the other's cookie), so a crate may have only one. A proc macro sees one type at a time; the
//! compiler sees the crate: each session type defines a `#[macro_export]` macro named after its
//! cookie, which goes to the crate root, so a second type on the same cookie defines that name
//! twice, a compile error at the second type's cookie name. The name is the message:
//! `__paseto_session_cookie_cart_has_two_session_types`. Types in different crates are not seen.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};

/// The macro's name for the cookie `name`: letters and digits kept, every other byte written
/// `_xx` (hex), so two names never share one.
fn marker_name(cookie: &str, span: Span) -> syn::Ident {
    let mut encoded = String::with_capacity(cookie.len());
    for byte in cookie.bytes() {
        if byte.is_ascii_alphanumeric() {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("_{byte:02x}"));
        }
    }
    format_ident!(
        "__paseto_session_cookie_{}_has_two_session_types",
        encoded,
        span = span
    )
}

/// The marker macro for the cookie `name`, written at `span` (the cookie option, or the type's
/// name for the default cookie).
pub(super) fn marker(cookie: &str, span: Span) -> TokenStream {
    let name = marker_name(cookie, span);
    quote_spanned! {span=>
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #name {
            () => {};
        }
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::Span;

    use super::marker_name;

    #[test]
    fn names_are_identifiers_and_distinct() {
        let names = [
            "cart",
            "session_id",
            "session-id",
            "session_5fid",
            "__Host-cart",
            "a.b",
        ]
        .map(|cookie| marker_name(cookie, Span::call_site()).to_string());
        assert_eq!(
            names[0],
            "__paseto_session_cookie_cart_has_two_session_types"
        );
        assert_eq!(
            names[1],
            "__paseto_session_cookie_session_5fid_has_two_session_types"
        );
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
