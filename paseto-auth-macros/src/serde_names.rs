//! The claim name serde deserializes a field from: `#[serde(rename)]` and `rename_all`.

use syn::{Attribute, Expr, ExprLit, Lit, LitStr};

/// What serde's attributes say about a container or a field.
#[derive(Default)]
pub(crate) struct SerdeAttrs {
    /// `rename = "x"` or `rename(deserialize = "x")`.
    pub(crate) rename: Option<String>,
    /// `rename_all = "..."` (containers).
    pub(crate) rename_all: Option<LitStr>,
    /// `default` (field or container).
    pub(crate) default: bool,
    /// `skip`, `skip_deserializing` or `flatten`: the field is not one claim.
    pub(crate) skipped: bool,
}

fn lit_str(expr: &Expr) -> Option<LitStr> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.clone()),
        _ => None,
    }
}

/// Reads `#[serde(...)]` attributes. Unparseable ones are left for serde to report.
pub(crate) fn read(attrs: &[Attribute]) -> SerdeAttrs {
    let mut out = SerdeAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            if path.is_ident("rename") {
                if meta.input.peek(syn::Token![=]) {
                    let value: Expr = meta.value()?.parse()?;
                    out.rename = lit_str(&value).map(|s| s.value());
                } else {
                    meta.parse_nested_meta(|inner| {
                        let value: Expr = inner.value()?.parse()?;
                        if inner.path.is_ident("deserialize") {
                            out.rename = lit_str(&value).map(|s| s.value());
                        }
                        Ok(())
                    })?;
                }
            } else if path.is_ident("rename_all") {
                if meta.input.peek(syn::Token![=]) {
                    let value: Expr = meta.value()?.parse()?;
                    out.rename_all = lit_str(&value);
                } else {
                    meta.parse_nested_meta(|inner| {
                        let value: Expr = inner.value()?.parse()?;
                        if inner.path.is_ident("deserialize") {
                            out.rename_all = lit_str(&value);
                        }
                        Ok(())
                    })?;
                }
            } else if path.is_ident("default") {
                out.default = true;
                if meta.input.peek(syn::Token![=]) {
                    let _: Expr = meta.value()?.parse()?;
                }
            } else if path.is_ident("skip")
                || path.is_ident("skip_deserializing")
                || path.is_ident("flatten")
            {
                out.skipped = true;
            } else if meta.input.peek(syn::Token![=]) {
                let _: Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                meta.parse_nested_meta(|inner| {
                    if inner.input.peek(syn::Token![=]) {
                        let _: Expr = inner.value()?.parse()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        });
    }
    out
}

/// Applies a serde `rename_all` rule to a field name (serde's rules, deserialize side).
pub(crate) fn apply_rename_all(rule: &str, field: &str) -> Option<String> {
    let words: Vec<&str> = field.split('_').filter(|w| !w.is_empty()).collect();
    let capitalize = |w: &str| {
        let mut chars = w.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    };
    Some(match rule {
        "lowercase" => field.to_ascii_lowercase(),
        "UPPERCASE" => field.to_ascii_uppercase(),
        "PascalCase" => words.iter().map(|w| capitalize(w)).collect(),
        "camelCase" => {
            let pascal: String = words.iter().map(|w| capitalize(w)).collect();
            let mut chars = pascal.chars();
            chars
                .next()
                .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
                .unwrap_or_default()
        }
        "snake_case" => field.to_owned(),
        "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.replace('_', "-").to_ascii_uppercase(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::apply_rename_all;

    #[test]
    fn serde_case_rules() {
        assert_eq!(
            apply_rename_all("camelCase", "user_id").as_deref(),
            Some("userId")
        );
        assert_eq!(
            apply_rename_all("PascalCase", "user_id").as_deref(),
            Some("UserId")
        );
        assert_eq!(
            apply_rename_all("kebab-case", "user_id").as_deref(),
            Some("user-id")
        );
        assert_eq!(
            apply_rename_all("SCREAMING-KEBAB-CASE", "user_id").as_deref(),
            Some("USER-ID")
        );
        assert_eq!(apply_rename_all("nope", "user_id"), None);
    }
}
