//! Procedural macros for `paseto-auth`. Use them through the `paseto-auth` crate, which
//! re-exports them; the generated code calls `::paseto_auth::__private`.

mod claims;
mod cookie_name;
mod duration;
mod mangle;
mod required;
mod serde_names;
mod session;

use proc_macro::TokenStream;

/// Derives `paseto_auth::PasetoClaims` for a struct of custom claims.
///
/// Records each field's claim name (honouring `#[serde(rename)]` and `rename_all`) and whether it is
/// required (not an `Option`, no `#[serde(default)]`). Field options: `#[paseto(optional)]`,
/// `#[paseto(required)]`, `#[paseto(skip)]`. A field named `exp`, `nbf` or `iat` must be a time type.
#[proc_macro_derive(PasetoClaims, attributes(paseto))]
pub fn derive_paseto_claims(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    claims::expand(&input).into()
}

/// Guards an async axum handler: a token must be present and valid, and meet the options.
///
/// Options: `iss = "..."` (or a list), `aud = "..."` (or a list), `sub = "..."`, `claims(a, b)`,
/// `version = "v4"`, `purpose = "public"`, `leeway = "30s"`,
/// `from = header | cookie("name") | query("name")`, `optional`.
#[proc_macro_attribute]
pub fn paseto_required(attr: TokenStream, item: TokenStream) -> TokenStream {
    required::expand(attr.into(), item.into()).into()
}

/// Makes a struct (with `Default`, `Serialize`, `Deserialize`) a typed session: `Session<T>`
/// then extracts it from an encrypted PASETO cookie (needs `SessionLayer`).
///
/// Options: `cookie = "session"`, `max_age = "14d"` (absent: a browser-session cookie, still with
/// an `exp` inside the token), `rolling`, `path = "/"`, `domain = "example.com"`,
/// `secure = false` (default true), `http_only = false` (default true),
/// `same_site = "strict" | "lax" | "none"` (default lax).
#[proc_macro_attribute]
pub fn paseto_session(attr: TokenStream, item: TokenStream) -> TokenStream {
    session::expand(attr.into(), item.into()).into()
}
