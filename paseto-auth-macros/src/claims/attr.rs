//! The options of `#[paseto(...)]` on a field of a `PasetoClaims` struct: `optional`,
//! `required` and `skip`, each a flag given at most once. Every mistake is recorded.

use syn::{Path, Token};

use crate::errors::Errors;

/// The options, as a message lists them.
pub(super) const FIELD_OPTIONS: &str = "optional, required, skip";

/// A field's `#[paseto(...)]` options, each kept as written for error spans.
#[derive(Default)]
pub(super) struct FieldOptions {
    pub(super) optional: Option<Path>,
    pub(super) required: Option<Path>,
    pub(super) skip: Option<Path>,
}

pub(super) fn path_text(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.join("::")
}

/// Reads a field's `#[paseto(...)]` attributes, recording every mistake.
pub(super) fn field_options(field: &syn::Field, errors: &mut Errors) -> FieldOptions {
    let mut options = FieldOptions::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("paseto")) {
        let result = attr.parse_nested_meta(|meta| {
            let name = path_text(&meta.path);
            let has_value = meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren);
            if has_value {
                // Consume the value so the remaining options are still read.
                if meta.input.peek(Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                } else {
                    let content;
                    syn::parenthesized!(content in meta.input);
                    let _: proc_macro2::TokenStream = content.parse()?;
                }
            }
            let (slot, other) = match name.as_str() {
                "optional" => (&mut options.optional, options.required.as_ref()),
                "required" => (&mut options.required, options.optional.as_ref()),
                "skip" => (&mut options.skip, None),
                _ => {
                    errors.spanned(
                        &meta.path,
                        format!("unknown option `{name}`; expected one of: {FIELD_OPTIONS}"),
                    );
                    return Ok(());
                }
            };
            if has_value {
                errors.spanned(
                    &meta.path,
                    format!("`{name}` takes no value: write `#[paseto({name})]`"),
                );
            } else if slot.is_some() {
                errors.spanned(&meta.path, format!("`{name}` is given twice"));
            } else if other.is_some() {
                errors.spanned(
                    &meta.path,
                    "a claim cannot be both `optional` and `required`",
                );
            } else {
                *slot = Some(meta.path.clone());
            }
            Ok(())
        });
        errors.ok(result);
    }
    options
}
