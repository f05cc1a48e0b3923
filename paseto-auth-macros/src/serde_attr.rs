//! What `#[serde(...)]` says about the names a struct is deserialized from.
//!
//! Only the deserialize side matters: a token is read, never written, through these names.
//! Malformed serde attributes are serde_derive's to report; here they only make the result
//! `unreadable`, so the derive stays quiet instead of reporting the same mistake twice.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Token};

use crate::case::RenameRule;

/// Container attributes.
#[derive(Default)]
pub(crate) struct Container {
    /// `rename_all = "..."` or `rename_all(deserialize = "...")`.
    pub(crate) rename_all: Option<RenameRule>,
    /// `default`: every missing field takes its default.
    pub(crate) default: bool,
    /// `transparent`, `from = ".."` or `try_from = ".."`: the token is not read through these
    /// fields, so they say nothing about its claims.
    pub(crate) indirect: bool,
    /// `deny_unknown_fields`, where it is written.
    pub(crate) deny_unknown_fields: Option<Span>,
    /// Some serde attribute could not be read.
    pub(crate) unreadable: bool,
}

/// Field attributes.
#[derive(Default)]
pub(crate) struct Field {
    /// `rename = "x"` or `rename(deserialize = "x")`.
    pub(crate) rename: Option<String>,
    /// `alias = "x"`, any number of times, as written (errors point at them).
    pub(crate) aliases: Vec<LitStr>,
    /// `default` or `default = "path"`.
    pub(crate) default: bool,
    /// `skip`, `skip_deserializing` or `flatten`: the field is not one claim.
    pub(crate) not_a_claim: bool,
    /// `flatten`: the field reads claims of its own, any of them.
    pub(crate) flatten: bool,
    /// Some serde attribute could not be read.
    pub(crate) unreadable: bool,
}

fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    lit_str(meta).map(|lit| lit.value())
}

fn lit_str(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    let mut expr: Expr = meta.value()?.parse()?;
    // A literal passed through a `macro_rules!` fragment arrives in an invisible group.
    while let Expr::Group(group) = expr {
        expr = *group.expr;
    }
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new_spanned(other, "expected a string")),
    }
}

/// `key = "x"` or `key(serialize = "..", deserialize = "x")`: the deserialize side, if given.
fn deserialize_side(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(Token![=]) {
        return string(meta).map(Some);
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        let value = string(&inner)?;
        if inner.path.is_ident("deserialize") {
            name = Some(value);
        }
        Ok(())
    })?;
    Ok(name)
}

/// Consumes whatever follows a key this module does not care about.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    Ok(())
}

/// Reads every key of `attrs`' `#[serde(...)]` lists, in order, with `read_key`, which returns
/// whether it consumed the key's value; values it leaves are skipped. Returns whether some
/// attribute could not be read.
fn read_keys(
    attrs: &[Attribute],
    mut read_key: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<bool>,
) -> bool {
    let mut unreadable = false;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let result = attr.parse_nested_meta(|meta| {
            if !read_key(&meta)? {
                skip_value(&meta)?;
            }
            Ok(())
        });
        unreadable |= result.is_err();
    }
    unreadable
}

fn is_any(meta: &ParseNestedMeta<'_>, keys: &[&str]) -> bool {
    keys.iter().any(|key| meta.path.is_ident(key))
}

/// Reads a container's `#[serde(...)]` attributes.
pub(crate) fn container(attrs: &[Attribute]) -> Container {
    let mut out = Container::default();
    let unreadable = read_keys(attrs, |meta| {
        if meta.path.is_ident("rename_all") {
            if let Some(rule) = deserialize_side(meta)? {
                match RenameRule::from_name(&rule) {
                    Some(rule) => out.rename_all = Some(rule),
                    None => out.unreadable = true,
                }
            }
            return Ok(true);
        }
        if meta.path.is_ident("deny_unknown_fields") {
            out.deny_unknown_fields = Some(meta.path.span());
        }
        out.default |= meta.path.is_ident("default");
        out.indirect |= is_any(meta, &["transparent", "from", "try_from"]);
        Ok(false)
    });
    out.unreadable |= unreadable;
    out
}

/// Reads a field's `#[serde(...)]` attributes.
pub(crate) fn field(attrs: &[Attribute]) -> Field {
    let mut out = Field::default();
    let unreadable = read_keys(attrs, |meta| {
        if meta.path.is_ident("rename") {
            if let Some(name) = deserialize_side(meta)? {
                out.rename = Some(name);
            }
            return Ok(true);
        }
        if meta.path.is_ident("alias") {
            out.aliases.push(lit_str(meta)?);
            return Ok(true);
        }
        out.default |= meta.path.is_ident("default");
        out.not_a_claim |= is_any(meta, &["skip", "skip_deserializing", "flatten"]);
        out.flatten |= meta.path.is_ident("flatten");
        Ok(false)
    });
    out.unreadable |= unreadable;
    out
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn deserialize_side_only() {
        let f: syn::Field = parse_quote! {
            #[serde(rename(serialize = "out", deserialize = "in"), alias = "other")]
            #[serde(skip_serializing_if = "Option::is_none", default)]
            x: Option<u8>
        };
        let attrs = field(&f.attrs);
        assert_eq!(attrs.rename.as_deref(), Some("in"));
        let aliases: Vec<String> = attrs.aliases.iter().map(LitStr::value).collect();
        assert_eq!(aliases, ["other"]);
        assert!(attrs.default && !attrs.not_a_claim && !attrs.unreadable);

        let f: syn::Field = parse_quote!(#[serde(rename(serialize = "out"))] x: u8);
        assert_eq!(field(&f.attrs).rename, None);
    }

    #[test]
    fn skipped_and_flattened_fields_are_not_claims() {
        for f in [
            parse_quote!(#[serde(skip)] x: u8),
            parse_quote!(#[serde(skip_deserializing)] x: u8),
            parse_quote!(#[serde(flatten)] x: Extra),
        ] {
            let f: syn::Field = f;
            assert!(field(&f.attrs).not_a_claim);
        }
    }

    #[test]
    fn containers() {
        let input: syn::DeriveInput = parse_quote! {
            #[serde(rename_all(serialize = "UPPERCASE", deserialize = "kebab-case"))]
            #[serde(default, deny_unknown_fields, bound(deserialize = "T: Foo"))]
            struct S<T> { x: T }
        };
        let attrs = container(&input.attrs);
        assert_eq!(attrs.rename_all, Some(RenameRule::Kebab));
        assert!(attrs.default, "default");
        assert!(!attrs.indirect, "indirect");
        assert!(!attrs.unreadable, "unreadable");
        assert!(attrs.deny_unknown_fields.is_some(), "deny_unknown_fields");

        let input: syn::DeriveInput = parse_quote!(
            #[serde(transparent)]
            struct S {
                x: u8,
            }
        );
        assert!(container(&input.attrs).indirect);
        let input: syn::DeriveInput = parse_quote!(
            #[serde(rename_all = "nope")]
            struct S {}
        );
        assert!(container(&input.attrs).unreadable);
        let input: syn::DeriveInput = parse_quote!(
            #[serde(rename_all = 5)]
            struct S {}
        );
        assert!(container(&input.attrs).unreadable);

        // `#[serde(rename_all = $rule)]` in a `macro_rules!` with `$rule:literal`.
        let rule =
            proc_macro2::Group::new(proc_macro2::Delimiter::None, quote::quote!("camelCase"));
        let input: syn::DeriveInput = parse_quote!(
            #[serde(rename_all = #rule)]
            struct S {}
        );
        assert_eq!(container(&input.attrs).rename_all, Some(RenameRule::Camel));
    }
}
