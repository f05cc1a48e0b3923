//! Names of the hidden markers `#[derive(PasetoClaims)]` defines on a claims type and
//! `#[paseto_required(claims(...))]` refers to, so that a claim the type lacks is a compile error.

use proc_macro2::{Ident, Span};

/// Defined (as `()`) by the derive on every type whose claims it knows, so the attribute checks
/// `claims(...)` only against such types (not `serde_json::Value`, not a `transparent` struct).
pub(crate) const DERIVED: &str = "__paseto_claims_derived";

/// `__paseto_claim_<claim>`, with every character other than an ASCII letter or digit written
/// as `_x<hex code point>_`. No character is kept as `_`, so the mapping is one-to-one:
/// `user_id` and `user-id` get different markers.
pub(crate) fn claim_marker(claim: &str, span: Span) -> Ident {
    let mut name = String::from("__paseto_claim_");
    for ch in claim.chars() {
        if ch.is_ascii_alphanumeric() {
            name.push(ch);
        } else {
            name.push_str(&format!("_x{:X}_", u32::from(ch)));
        }
    }
    Ident::new(&name, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(claim: &str) -> String {
        claim_marker(claim, Span::call_site()).to_string()
    }

    #[test]
    fn markers() {
        assert_eq!(marker("roles"), "__paseto_claim_roles");
        assert_eq!(marker("user-id"), "__paseto_claim_user_x2D_id");
        assert_eq!(marker("user_id"), "__paseto_claim_user_x5F_id");
        assert_eq!(marker("é"), "__paseto_claim__xE9_");
        assert_eq!(marker(""), "__paseto_claim_");
        assert_ne!(marker("a_x2D_b"), marker("a-b"));
        assert_ne!(marker("s_derived"), DERIVED);
    }

    #[test]
    fn every_claim_name_gives_an_identifier() {
        for claim in [
            "", " ", "a b", "ü", "🦀", "x-y.z", "1st", "type", "self", "_",
        ] {
            // `Ident::new` rejects anything that is not an identifier; this would panic then.
            let ident = marker(claim);
            assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{ident}");
        }
    }
}
