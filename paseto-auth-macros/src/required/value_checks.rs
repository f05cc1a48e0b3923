//! Compile-time checks of the values a route compares claims with, against what the claims
//! type's fields read (`PasetoClaims::SHAPES`, recorded by the derive):
//!
//! - a `claim(name = literal)` whose literal no value of the field's type can equal (a string for
//!   an integer field, `3.0` for an integer field, ..): every token would be refused (403);
//! - `scope = ".."` on a type that reads `scope` as a list: the check grants only a `scope`
//!   string, which such a field cannot read, so every token would be refused.
//!
//! Each is a `const` assertion spanned at the user's tokens. A claim whose field type the derive
//! does not recognise (or a type without the derive) passes.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::{Lit, Type};

use super::attr::{ClaimValue, Options};

/// A kind of value a field reads: `ValueKind`'s variant, and how a message says it.
#[derive(Clone, Copy)]
enum Kind {
    String,
    Integer,
    Float,
    Bool,
}

const KINDS: [Kind; 4] = [Kind::String, Kind::Integer, Kind::Float, Kind::Bool];

impl Kind {
    fn variant(self) -> TokenStream {
        match self {
            Kind::String => quote!(String),
            Kind::Integer => quote!(Integer),
            Kind::Float => quote!(Float),
            Kind::Bool => quote!(Bool),
        }
    }

    fn text(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Float => "a number",
            Kind::Bool => "true or false",
        }
    }

    /// Whether a field reading this kind can hold a value equal to `lit`. An integer literal
    /// may equal a float field's value (`3` in the token reads as `3.0`); a float literal never
    /// equals an integer in the token (`3.0` is not `3` in JSON's comparison here).
    fn can_equal(self, lit: &Lit) -> bool {
        matches!(
            (self, lit),
            (Kind::String, Lit::Str(_))
                | (Kind::Integer, Lit::Int(_))
                | (Kind::Float, Lit::Int(_) | Lit::Float(_))
                | (Kind::Bool, Lit::Bool(_))
        )
    }
}

/// The literal as written, and what it is.
fn describe(lit: &Lit) -> (String, &'static str) {
    let what = match lit {
        Lit::Str(_) => "a string",
        Lit::Int(_) => "an integer",
        Lit::Float(_) => "a float",
        _ => "a boolean",
    };
    (quote!(#lit).to_string(), what)
}

/// What to write instead, for a field of `kind`: the literal rewritten when it says the value
/// (`"3"` → `level = 3`), otherwise the kind of literal to write.
fn suggestion(name: &str, kind: Kind, lit: &Lit) -> String {
    let text = match lit {
        Lit::Str(s) => s.value(),
        Lit::Int(i) => i.base10_digits().to_owned(),
        Lit::Float(f) => f.base10_digits().to_owned(),
        Lit::Bool(b) => b.value.to_string(),
        _ => String::new(),
    };
    let rewritten = match kind {
        Kind::String => Some(format!("{text:?}")),
        Kind::Integer => text
            .parse::<i128>()
            .ok()
            .or_else(|| {
                let float = text.parse::<f64>().ok()?;
                (float.fract() == 0.0 && float.abs() < 1e18).then_some(float as i128)
            })
            .map(|int| int.to_string()),
        Kind::Float => text.parse::<f64>().ok().map(|_| text.clone()),
        Kind::Bool => matches!(text.as_str(), "true" | "false").then(|| text.clone()),
    };
    match (rewritten, kind) {
        (Some(value), _) => format!("`{name} = {value}`"),
        (None, Kind::Bool) => format!("`{name} = true` or `{name} = false`"),
        (None, Kind::Integer) => "an integer, without quotes".to_owned(),
        (None, Kind::Float) => "a number, without quotes".to_owned(),
        // Every literal has a text to quote, so this is not reached.
        (None, Kind::String) => "a string".to_owned(),
    }
}

/// The `const` assertions for one `claim(name = literal)`: one per kind the literal can never
/// equal, so the message names the field's kind (at most one fails).
fn claim_value_checks(claims_ty: &Type, shown: &str, claim: &ClaimValue) -> TokenStream {
    let name = &claim.name.name;
    let lit = &claim.value;
    let (text, what) = describe(lit);
    KINDS
        .into_iter()
        .filter(|kind| !kind.can_equal(lit))
        .map(|kind| {
            let message = format!(
                "`{shown}` reads claim `{name}` as {}, so `{name} = {text}` ({what}) equals no value it reads and every token is refused; write {}",
                kind.text(),
                suggestion(name, kind, lit),
            );
            let variant = kind.variant();
            quote_spanned! {lit.span()=>
                const _: () = ::core::assert!(
                    !::paseto_auth::__private::reads_claim_as::<#claims_ty>(
                        #name,
                        ::paseto_auth::__private::ValueKind::#variant,
                    ),
                    #message
                );
            }
        })
        .collect()
}

/// Every check for the route's options, on the (non-generic) claims type `claims_ty`, shown in
/// messages as `shown`.
pub(super) fn value_checks(claims_ty: &Type, shown: &str, options: &Options) -> TokenStream {
    let mut checks: TokenStream = options
        .claim_values
        .iter()
        .flat_map(|(_, values)| values)
        .map(|claim| claim_value_checks(claims_ty, shown, claim))
        .collect();
    if let Some((key, _)) = &options.scope {
        let message = format!(
            "`{shown}` reads claim `scope` as a list, but `scope = ..` grants only a `scope` claim that is one string of space-separated scopes (RFC 6749 §3.3), which that field cannot read: no token passes both; make the field `scope: String`, or require one entry of the list with `claim(scope = \"..\")`"
        );
        checks.extend(quote_spanned! {key.span=>
            const _: () = ::core::assert!(
                !::paseto_auth::__private::reads_claim_as_list::<#claims_ty>("scope"),
                #message
            );
        });
    }
    checks
}

#[cfg(test)]
mod tests {
    use syn::{Lit, parse_quote};

    use super::{Kind, suggestion};

    #[test]
    fn suggestions_rewrite_the_literal_when_it_says_the_value() {
        let lit = |lit: Lit| lit;
        for (kind, value, expected) in [
            (Kind::Integer, lit(parse_quote!("3")), "`level = 3`"),
            (Kind::Integer, lit(parse_quote!(3.0)), "`level = 3`"),
            (
                Kind::Integer,
                lit(parse_quote!(3.5)),
                "an integer, without quotes",
            ),
            (
                Kind::Integer,
                lit(parse_quote!("three")),
                "an integer, without quotes",
            ),
            (Kind::Float, lit(parse_quote!("2.5")), "`level = 2.5`"),
            (Kind::String, lit(parse_quote!(7)), "`level = \"7\"`"),
            (Kind::String, lit(parse_quote!(true)), "`level = \"true\"`"),
            (Kind::Bool, lit(parse_quote!("true")), "`level = true`"),
            (
                Kind::Bool,
                lit(parse_quote!(1)),
                "`level = true` or `level = false`",
            ),
        ] {
            assert_eq!(suggestion("level", kind, &value), expected);
        }
    }

    #[test]
    fn only_literals_a_field_can_never_equal_are_refused() {
        let refused = |lit: Lit| -> Vec<&str> {
            super::KINDS
                .into_iter()
                .filter(|kind| !kind.can_equal(&lit))
                .map(Kind::text)
                .collect()
        };
        assert_eq!(
            refused(parse_quote!("x")),
            ["an integer", "a number", "true or false"]
        );
        // `3` in a token reads into a float field, so an integer literal may equal its value.
        assert_eq!(refused(parse_quote!(3)), ["a string", "true or false"]);
        assert_eq!(
            refused(parse_quote!(3.0)),
            ["a string", "an integer", "true or false"]
        );
        assert_eq!(
            refused(parse_quote!(true)),
            ["a string", "an integer", "a number"]
        );
    }
}
