//! Names of the hidden per-claim markers, shared by the derive (which defines them) and the
//! attribute (which refers to them to check `claims(...)` at compile time).

use proc_macro2::{Ident, Span};

/// `__paseto_claim_<name>`, with every character that cannot be in an identifier written as
/// `_xHH_` (its code point in hex), so distinct claim names give distinct markers.
pub(crate) fn claim_marker(claim: &str, span: Span) -> Ident {
    let mut name = String::from("__paseto_claim_");
    for ch in claim.chars() {
        if ch.is_ascii_alphanumeric() {
            name.push(ch);
        } else {
            name.push_str(&format!("_x{:X}_", ch as u32));
        }
    }
    Ident::new(&name, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_identifiers_and_distinct() {
        let a = claim_marker("user-id", Span::call_site()).to_string();
        let b = claim_marker("user_id", Span::call_site()).to_string();
        assert_eq!(a, "__paseto_claim_user_x2D_id");
        assert_ne!(a, b);
    }
}
