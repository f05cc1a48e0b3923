//! Expand: what each claim's field reads (`PasetoClaims::SHAPES`), so that
//! `#[paseto_required]` can refuse at compile time a `claim(..)` literal no token the type reads
//! can equal, and `scope = ..` on a type that reads `scope` as a list.
//!
//! The types are classified by spelling (the derive cannot resolve them): only the standard
//! scalar, string and collection types are recognised, and anything else is `Other`, which no
//! check refuses. So a mistake behind a type alias or a newtype goes unreported, but a correct
//! route is never refused.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericArgument, PathArguments, Type};

use super::ast::Claim;

const INTEGERS: [&str; 12] = [
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
];
const FLOATS: [&str; 2] = ["f32", "f64"];
/// Owned strings (`Box<str>` and the like are matched with their argument).
const STRINGS: [&str; 1] = ["String"];
const STR_POINTERS: [&str; 4] = ["Box", "Rc", "Arc", "Cow"];
/// Collections serde reads from a JSON array.
const LISTS: [&str; 5] = ["Vec", "VecDeque", "HashSet", "BTreeSet", "LinkedList"];

/// A field's shape: the variant of `ValueKind` it reads, and whether it reads an array of them.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    value: &'static str,
    list: bool,
}

/// `const SHAPES: .. = &[..];` for the claims whose field is of a recognised type, under the
/// claim's name and each alias.
pub(super) fn expand(claims: &[Claim<'_>]) -> TokenStream {
    let entries = claims.iter().flat_map(|claim| {
        let shape = shape(claim.ty);
        let names = std::iter::once(claim.name.clone())
            .chain(claim.aliases.iter().map(syn::LitStr::value))
            .collect::<Vec<_>>();
        names.into_iter().filter_map(move |name| {
            let Shape { value, list } = shape.as_ref()?;
            let value = syn::Ident::new(value, proc_macro2::Span::call_site());
            Some(quote!(::paseto_auth::__private::ClaimShape {
                name: #name,
                value: ::paseto_auth::__private::ValueKind::#value,
                list: #list,
            }))
        })
    });
    quote!(const SHAPES: &'static [::paseto_auth::__private::ClaimShape] = &[#(#entries),*];)
}

/// The shape of a field of type `ty`, when it is a recognised one. An `Option` reads what its
/// argument reads (a claim that is present has a value).
fn shape(ty: &Type) -> Option<Shape> {
    let (ident, argument) = last_segment(ty)?;
    if ident == "Option" {
        return shape(argument?);
    }
    if LISTS.contains(&ident.as_str()) {
        let item = scalar(argument?).unwrap_or("Other");
        return Some(Shape {
            value: item,
            list: true,
        });
    }
    scalar(ty).map(|value| Shape { value, list: false })
}

/// The `ValueKind` a scalar type reads.
fn scalar(ty: &Type) -> Option<&'static str> {
    let (ident, argument) = last_segment(ty)?;
    let ident = ident.as_str();
    if INTEGERS.contains(&ident) {
        Some("Integer")
    } else if FLOATS.contains(&ident) {
        Some("Float")
    } else if ident == "bool" {
        Some("Bool")
    } else if STRINGS.contains(&ident)
        || (STR_POINTERS.contains(&ident) && argument.is_some_and(is_str))
    {
        Some("String")
    } else {
        None
    }
}

fn is_str(ty: &Type) -> bool {
    matches!(last_segment(ty), Some((ident, None)) if ident == "str")
}

/// The last segment of a path type, and its last type argument (`Cow<'a, str>`: `str`).
fn last_segment(ty: &Type) -> Option<(String, Option<&Type>)> {
    match ty {
        Type::Group(group) => return last_segment(&group.elem),
        Type::Paren(paren) => return last_segment(&paren.elem),
        _ => {}
    }
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last()?;
    let argument = match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().rev().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    };
    Some((segment.ident.to_string(), argument))
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::{Shape, shape};

    #[test]
    fn recognised_types() {
        let one = |value| Some(Shape { value, list: false });
        let list = |value| Some(Shape { value, list: true });
        for (ty, expected) in [
            (parse_quote!(u32), one("Integer")),
            (parse_quote!(Option<i64>), one("Integer")),
            (parse_quote!(f64), one("Float")),
            (parse_quote!(bool), one("Bool")),
            (parse_quote!(String), one("String")),
            (parse_quote!(std::string::String), one("String")),
            (parse_quote!(Box<str>), one("String")),
            (parse_quote!(std::borrow::Cow<'static, str>), one("String")),
            (parse_quote!(Vec<String>), list("String")),
            (parse_quote!(Option<Vec<u8>>), list("Integer")),
            (parse_quote!(HashSet<Role>), list("Other")),
            (parse_quote!(Role), None),
            (parse_quote!(Box<Role>), None),
            (parse_quote!(serde_json::Value), None),
            (parse_quote!([String; 2]), None),
        ] {
            let ty: syn::Type = ty;
            assert_eq!(shape(&ty), expected, "{}", quote::quote!(#ty));
        }
    }
}
