//! Parse: the options of `#[paseto_session(...)]`, in the keyword grammar of
//! `#[paseto_required]` (each value kept with its key; a mistake in one option is recorded and
//! parsing resumes at the next comma), with what can be checked without the runtime: cookie
//! names, durations, paths, domains and `SameSite` values.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::ParseStream;
use syn::{Ident, LitStr};

use crate::cookie_name::{INVALID, is_cookie_name};
use crate::duration::parse_seconds;
use crate::errors::Errors;
use crate::options::{flag, keyed_string, parse_each, set};

pub(super) mod kw {
    syn::custom_keyword!(cookie);
    syn::custom_keyword!(max_age);
    syn::custom_keyword!(rolling);
    syn::custom_keyword!(path);
    syn::custom_keyword!(domain);
    syn::custom_keyword!(secure);
    syn::custom_keyword!(http_only);
    syn::custom_keyword!(same_site);
}

const OPTIONS: &str = "cookie, max_age, rolling, path, domain, secure, http_only, same_site";

/// A `SameSite` value, as the runtime's variant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SameSite {
    Strict,
    Lax,
    None,
}

/// The options as given; absent ones are `None`.
#[derive(Default)]
pub(super) struct Options {
    pub(super) cookie: Option<(kw::cookie, LitStr)>,
    pub(super) max_age: Option<(kw::max_age, u64)>,
    pub(super) rolling: Option<(kw::rolling, bool)>,
    pub(super) path: Option<(kw::path, LitStr)>,
    pub(super) domain: Option<(kw::domain, LitStr)>,
    pub(super) secure: Option<(kw::secure, bool)>,
    pub(super) http_only: Option<(kw::http_only, bool)>,
    pub(super) same_site: Option<(kw::same_site, (SameSite, Span))>,
}

/// Parses the attribute's arguments, recording every mistake in `errors`.
pub(super) fn parse(args: TokenStream, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    parse_each(args, errors, |input, _| option(input, &mut options));
    let secure = options.secure.as_ref().is_none_or(|(_, on)| *on);
    if let Some((_, (SameSite::None, span))) = &options.same_site
        && !secure
    {
        errors.at(
            *span,
            "`same_site = \"none\"` needs `secure` (browsers drop such cookies)",
        );
    }
    options
}

/// One `key = value` or flag.
fn option(input: ParseStream<'_>, options: &mut Options) -> syn::Result<()> {
    let lookahead = input.lookahead1();
    if lookahead.peek(kw::cookie) {
        let (key, name) = keyed_string::<kw::cookie>(input, "cookie", "session")?;
        if !is_cookie_name(&name.value()) {
            return Err(syn::Error::new(name.span(), INVALID));
        }
        set(&mut options.cookie, key, name, "cookie")
    } else if lookahead.peek(kw::max_age) {
        let (key, lit) = keyed_string::<kw::max_age>(input, "max_age", "14d")?;
        let seconds = parse_seconds(&lit.value()).map_err(|m| syn::Error::new(lit.span(), m))?;
        if seconds == 0 {
            return Err(syn::Error::new(
                lit.span(),
                "`max_age` must be at least one second",
            ));
        }
        set(&mut options.max_age, key, seconds, "max_age")
    } else if lookahead.peek(kw::rolling) {
        let key: kw::rolling = input.parse()?;
        let on = flag(input, "rolling")?;
        set(&mut options.rolling, key, on, "rolling")
    } else if lookahead.peek(kw::path) {
        let (key, lit) = keyed_string::<kw::path>(input, "path", "/")?;
        if !lit.value().starts_with('/') || lit.value().contains(';') {
            return Err(syn::Error::new(
                lit.span(),
                "`path` must start with `/` and contain no `;`",
            ));
        }
        set(&mut options.path, key, lit, "path")
    } else if lookahead.peek(kw::domain) {
        let (key, lit) = keyed_string::<kw::domain>(input, "domain", "example.com")?;
        let host = lit
            .value()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if !host {
            return Err(syn::Error::new(lit.span(), "`domain` must be a host name"));
        }
        set(&mut options.domain, key, lit, "domain")
    } else if lookahead.peek(kw::secure) {
        let key: kw::secure = input.parse()?;
        let on = flag(input, "secure")?;
        set(&mut options.secure, key, on, "secure")
    } else if lookahead.peek(kw::http_only) {
        let key: kw::http_only = input.parse()?;
        let on = flag(input, "http_only")?;
        set(&mut options.http_only, key, on, "http_only")
    } else if lookahead.peek(kw::same_site) {
        let (key, lit) = keyed_string::<kw::same_site>(input, "same_site", "lax")?;
        let value = match lit.value().to_ascii_lowercase().as_str() {
            "strict" => SameSite::Strict,
            "lax" => SameSite::Lax,
            "none" => SameSite::None,
            _ => {
                return Err(syn::Error::new(
                    lit.span(),
                    "`same_site` is \"strict\", \"lax\" or \"none\"",
                ));
            }
        };
        set(
            &mut options.same_site,
            key,
            (value, lit.span()),
            "same_site",
        )
    } else if input.peek(Ident::peek_any) {
        let key = input.call(Ident::parse_any)?;
        Err(syn::Error::new(
            key.span(),
            format!("unknown option `{key}`; expected one of: {OPTIONS}"),
        ))
    } else {
        Err(lookahead.error())
    }
}
