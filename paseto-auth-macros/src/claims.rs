//! `#[derive(PasetoClaims)]`: parse the struct and its attributes, check, then expand.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Type};

use crate::mangle::claim_marker;
use crate::serde_names::{self, apply_rename_all};

/// Registered claims whose fields must be times.
const TIME_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];

/// One field that is a claim.
struct Claim<'a> {
    name: String,
    required: bool,
    ty: &'a Type,
    span: Span,
}

/// The `#[paseto(...)]` options of a field.
#[derive(Default)]
struct FieldOptions {
    optional: Option<Span>,
    required: Option<Span>,
    skip: Option<Span>,
}

fn field_options(field: &syn::Field, errors: &mut Vec<syn::Error>) -> FieldOptions {
    let mut options = FieldOptions::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("paseto")) {
        let result = attr.parse_nested_meta(|meta| {
            let slot = if meta.path.is_ident("optional") {
                &mut options.optional
            } else if meta.path.is_ident("required") {
                &mut options.required
            } else if meta.path.is_ident("skip") {
                &mut options.skip
            } else {
                let name = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                return Err(meta.error(format!(
                    "unknown option `{name}`; expected one of: optional, required, skip"
                )));
            };
            if slot.is_some() {
                return Err(meta.error("this option is given twice"));
            }
            *slot = Some(meta.path.span());
            Ok(())
        });
        if let Err(err) = result {
            errors.push(err);
        }
    }
    if let (Some(_), Some(span)) = (options.optional, options.required) {
        errors.push(syn::Error::new(
            span,
            "a claim cannot be both `optional` and `required`",
        ));
    }
    options
}

fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Option"),
        _ => false,
    }
}

/// Reads the claims of a struct, collecting every error.
fn claims(input: &DeriveInput) -> Result<Vec<Claim<'_>>, Vec<syn::Error>> {
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            Fields::Unnamed(_) | Fields::Unit => {
                return Err(vec![syn::Error::new(
                    data.struct_token.span,
                    "`PasetoClaims` needs a struct with named fields: each field is a claim",
                )]);
            }
        },
        Data::Enum(data) => {
            return Err(vec![syn::Error::new(
                data.enum_token.span,
                "`PasetoClaims` cannot be derived for an enum: claims are a struct with named fields",
            )]);
        }
        Data::Union(data) => {
            return Err(vec![syn::Error::new(
                data.union_token.span,
                "`PasetoClaims` cannot be derived for a union",
            )]);
        }
    };
    let container = serde_names::read(&input.attrs);
    let mut errors = Vec::new();
    if let Some(rule) = &container.rename_all
        && apply_rename_all(&rule.value(), "x").is_none()
    {
        errors.push(syn::Error::new(
            rule.span(),
            "unknown serde `rename_all` rule",
        ));
    }
    let mut claims = Vec::new();
    for field in fields {
        let options = field_options(field, &mut errors);
        let serde = serde_names::read(&field.attrs);
        if serde.skipped || options.skip.is_some() {
            continue;
        }
        let Some(ident) = &field.ident else { continue };
        let rust_name = ident.to_string();
        let rust_name = rust_name.strip_prefix("r#").unwrap_or(&rust_name);
        let name = serde
            .rename
            .or_else(|| {
                let rule = container.rename_all.as_ref()?;
                apply_rename_all(&rule.value(), rust_name)
            })
            .unwrap_or_else(|| rust_name.to_owned());
        let defaulted = serde.default || container.default || is_option(&field.ty);
        let required = match (options.optional, options.required) {
            (Some(_), _) => false,
            (_, Some(_)) => true,
            _ => !defaulted,
        };
        claims.push(Claim {
            name,
            required,
            ty: &field.ty,
            span: ident.span(),
        });
    }
    if errors.is_empty() {
        Ok(claims)
    } else {
        Err(errors)
    }
}

/// The whole derive: the impl, the time-claim checks and the per-claim markers.
pub(crate) fn expand(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    match claims(input) {
        Ok(claims) => {
            let fields = claims.iter().map(|c| {
                let (name, required) = (&c.name, c.required);
                quote!(::paseto_auth::__private::ClaimField { name: #name, required: #required })
            });
            let time_checks = claims
                .iter()
                .filter(|c| TIME_CLAIMS.contains(&c.name.as_str()))
                .map(|c| {
                    let ty = c.ty;
                    quote_spanned!(ty.span()=> const _: () = ::paseto_auth::__private::assert_time_claim::<#ty>();)
                });
            let markers = claims.iter().map(|c| {
                let marker = claim_marker(&c.name, c.span);
                quote!(pub const #marker: () = ();)
            });
            quote! {
                const _: () = {
                    #[automatically_derived]
                    impl #impl_generics ::paseto_auth::PasetoClaims for #ident #ty_generics #where_clause {
                        const CLAIMS: &'static [::paseto_auth::__private::ClaimField] = &[#(#fields),*];
                    }
                    #(#time_checks)*
                };
                #[doc(hidden)]
                #[automatically_derived]
                #[allow(non_upper_case_globals, dead_code)]
                impl #impl_generics #ident #ty_generics #where_clause {
                    #(#markers)*
                }
            }
        }
        Err(errors) => {
            // Report every mistake, and still implement the trait so uses of the type do not
            // cascade into further errors.
            let errors = errors.into_iter().map(|e| e.to_compile_error());
            quote! {
                #(#errors)*
                const _: () = {
                    #[automatically_derived]
                    impl #impl_generics ::paseto_auth::PasetoClaims for #ident #ty_generics #where_clause {
                        const CLAIMS: &'static [::paseto_auth::__private::ClaimField] = &[];
                    }
                };
            }
        }
    }
}
