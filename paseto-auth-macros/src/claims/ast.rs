//! Parse: the claims of a struct, from its fields and their `#[serde]` and `#[paseto]` attributes.
//! Each claim keeps its field, so later errors point at the user's tokens.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

use super::attr::{FIELD_OPTIONS, field_options, path_text};
use crate::errors::Errors;
use crate::serde_attr;

/// A struct deriving `PasetoClaims`.
pub(super) struct Input<'a> {
    pub(super) original: &'a DeriveInput,
    /// The claims, in field order.
    pub(super) claims: Vec<Claim<'a>>,
    /// Whether the fields are what the token is read into. Not for `#[serde(transparent)]`,
    /// `from` or `try_from`: such a type gets an empty claim list.
    pub(super) fields_are_claims: bool,
    /// Whether the claims listed are all the type reads: not when the fields are not the claims,
    /// nor when a `#[serde(flatten)]` field takes any claim.
    pub(super) claims_known: bool,
    /// A serde attribute could not be read: serde_derive reports it, this derive stays quiet.
    pub(super) serde_unreadable: bool,
    /// `#[serde(deny_unknown_fields)]`, where it is written.
    pub(super) deny_unknown_fields: Option<Span>,
}

/// One field that is a claim.
pub(super) struct Claim<'a> {
    pub(super) ident: &'a Ident,
    pub(super) ty: &'a Type,
    /// The name in the token: serde's deserialize name.
    pub(super) name: String,
    /// `#[serde(alias = "..")]` names, also accepted by serde.
    pub(super) aliases: Vec<LitStr>,
    pub(super) required: bool,
    /// Where `#[paseto(optional)]` is written on a field that serde has no default for (none on
    /// the field or the struct): only a type that reads a missing claim (an `Option`) keeps the
    /// claim optional there, which the expansion asserts by type (so an alias of `Option` passes).
    pub(super) optional_without_default: Option<Span>,
}

impl<'a> Input<'a> {
    /// Reads the struct. `None` when it is not a struct with named fields (the error is recorded).
    pub(super) fn from_syn(input: &'a DeriveInput, errors: &mut Errors) -> Option<Self> {
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(unnamed) => {
                    errors.spanned(
                        unnamed,
                        "`PasetoClaims` needs named fields (each field is a claim), not a tuple struct",
                    );
                    return None;
                }
                Fields::Unit => {
                    errors.at(
                        input.ident.span(),
                        "`PasetoClaims` needs named fields (each field is a claim), not a unit struct",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                errors.at(
                    data.enum_token.span,
                    "`PasetoClaims` cannot be derived for an enum: claims are a struct with named fields",
                );
                return None;
            }
            Data::Union(data) => {
                errors.at(
                    data.union_token.span,
                    "`PasetoClaims` cannot be derived for a union: claims are a struct with named fields",
                );
                return None;
            }
        };
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("paseto")) {
            errors.spanned(
                attr,
                format!("`#[paseto(...)]` goes on fields ({FIELD_OPTIONS}), not on the struct"),
            );
        }

        let container = serde_attr::container(&input.attrs);
        let mut serde_unreadable = container.unreadable;
        let mut flattened = false;
        let mut claims = Vec::new();
        for field in fields {
            let options = field_options(field, errors);
            let serde = serde_attr::field(&field.attrs);
            serde_unreadable |= serde.unreadable;
            flattened |= serde.flatten;
            let Some(ident) = &field.ident else { continue };
            if serde.not_a_claim || options.skip.is_some() {
                let why = if options.skip.is_some() {
                    "`#[paseto(skip)]`"
                } else {
                    "serde's `skip`, `skip_deserializing` or `flatten`"
                };
                for path in [&options.optional, &options.required].into_iter().flatten() {
                    errors.spanned(
                        path,
                        format!(
                            "`{}` has no effect: {why} leaves this field out of the claims",
                            path_text(path)
                        ),
                    );
                }
                continue;
            }
            let rust_name = ident.to_string();
            let rust_name = rust_name.strip_prefix("r#").unwrap_or(&rust_name);
            let name = serde.rename.unwrap_or_else(|| match container.rename_all {
                Some(rule) => rule.apply_to_field(rust_name),
                None => rust_name.to_owned(),
            });
            let serde_default = serde.default || container.default;
            let defaulted = serde_default || is_option(&field.ty);
            let required = match (&options.optional, &options.required) {
                (Some(_), _) => false,
                (_, Some(_)) => true,
                (None, None) => !defaulted,
            };
            claims.push(Claim {
                ident,
                ty: &field.ty,
                name,
                aliases: serde.aliases,
                required,
                optional_without_default: options
                    .optional
                    .as_ref()
                    .filter(|_| !serde_default)
                    .map(Spanned::span),
            });
        }
        Some(Input {
            original: input,
            claims,
            fields_are_claims: !container.indirect,
            claims_known: !container.indirect && !flattened,
            serde_unreadable,
            deny_unknown_fields: container.deny_unknown_fields,
        })
    }
}

/// `Option<..>` (by its last path segment, as serde treats `Option` fields as defaulted).
fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Option"),
        Type::Group(group) => is_option(&group.elem),
        Type::Paren(paren) => is_option(&paren.elem),
        _ => false,
    }
}

impl Claim<'_> {
    /// The field's name, where errors about the claim point.
    pub(super) fn span(&self) -> proc_macro2::Span {
        self.ident.span()
    }
}
