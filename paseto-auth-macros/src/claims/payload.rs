//! Validate: what every token's payload holds, so that a valid token can be read into the
//! struct. The struct reads the whole payload, registered claims included (`exp`, `iat`, `jti`,
//! and what the issuer adds), and the registered claims have fixed JSON types.

use super::ast::Input;
use crate::errors::Errors;

/// Registered claims that are JSON strings in every token (`aud` may also be an array).
const STRING_CLAIMS: [&str; 4] = ["iss", "sub", "jti", "aud"];

/// Types that never read a JSON string. By spelling: a check of what the derive can see, so a
/// type alias of one passes (serde then refuses the token at run time).
const NOT_STRINGS: [&str; 15] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool",
];

pub(super) fn check(input: &Input<'_>, errors: &mut Errors) {
    if !input.fields_are_claims {
        // Read through another type (`transparent`, `from`): serde ignores these fields.
        return;
    }
    if let Some(span) = input.deny_unknown_fields {
        errors.at(
            span,
            "`deny_unknown_fields` refuses every token: its payload also holds registered claims (`exp`, `iat`, `jti`, ..) and claims the issuer adds, which are unknown fields here; remove it, and require the claims a route needs with `#[paseto_required(claims(..))]`",
        );
    }
    for claim in &input.claims {
        let name = claim.name.as_str();
        if !STRING_CLAIMS.contains(&name) {
            continue;
        }
        let Some(scalar) = scalar_type(claim.ty) else {
            continue;
        };
        let shape = if name == "aud" {
            "a string or an array of strings"
        } else {
            "a string"
        };
        errors.spanned(
            claim.ty,
            format!(
                "claim `{name}` is {shape} in every token, so a field holding a `{scalar}` can never read it; use `String` (and parse it after) or `Option<String>`"
            ),
        );
    }
}

/// The non-string scalar `ty` is, or is an `Option` of.
fn scalar_type(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident == "Option" {
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        return match args.args.first()? {
            syn::GenericArgument::Type(inner) => scalar_type(inner),
            _ => None,
        };
    }
    let ident = path.path.get_ident()?.to_string();
    NOT_STRINGS.contains(&ident.as_str()).then_some(ident)
}
