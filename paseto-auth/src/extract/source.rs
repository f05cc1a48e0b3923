//! Where a request carries its token: the `token_loader` of flask-paseto-extended.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::cookie::request_cookies;

/// A function that finds a token in a request.
pub type LoadToken = dyn Fn(&Parts) -> Option<String> + Send + Sync;

/// Where to look for a token in a request.
///
/// ```
/// use paseto_auth::extract::TokenSource;
/// // A browser app: the cookie first, then a Bearer header for API clients.
/// let source = TokenSource::any_of([TokenSource::cookie("paseto"), TokenSource::Header]);
/// # let _ = source;
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum TokenSource {
    /// `Authorization: Bearer <token>` (the default).
    #[default]
    Header,
    /// A cookie of this name. Requests with an unsafe method must pass the CSRF check (see
    /// [`crate::csrf`]).
    Cookie(Cow<'static, str>),
    /// A query-string parameter of this name.
    Query(Cow<'static, str>),
    /// An application function. Its tokens get no CSRF check: one that reads a cookie must
    /// protect its unsafe routes itself (or use `Cookie`).
    Custom(Arc<LoadToken>),
    /// Each source in order; the first that has a token wins.
    AnyOf(Arc<[TokenSource]>),
}

impl TokenSource {
    /// A cookie source.
    pub fn cookie(name: impl Into<Cow<'static, str>>) -> Self {
        TokenSource::Cookie(name.into())
    }

    /// A query-parameter source.
    pub fn query(name: impl Into<Cow<'static, str>>) -> Self {
        TokenSource::Query(name.into())
    }

    /// A custom source.
    pub fn custom(load: impl Fn(&Parts) -> Option<String> + Send + Sync + 'static) -> Self {
        TokenSource::Custom(Arc::new(load))
    }

    /// Several sources tried in order.
    pub fn any_of(sources: impl IntoIterator<Item = TokenSource>) -> Self {
        TokenSource::AnyOf(sources.into_iter().collect())
    }

    /// The token this source finds in `parts`, if any.
    #[cfg(test)]
    pub(crate) fn load(&self, parts: &Parts) -> Option<String> {
        self.find(parts).map(|found| found.token)
    }

    /// The token this source finds in `parts`, and whether a cookie carried it.
    pub(crate) fn find(&self, parts: &Parts) -> Option<Found> {
        let from_cookie = matches!(self, TokenSource::Cookie(_));
        let token = match self {
            TokenSource::Header => bearer(parts),
            TokenSource::Cookie(name) => request_cookies(&parts.headers, name)
                .find(|value| !value.is_empty())
                .map(str::to_owned),
            TokenSource::Query(name) => parts.uri.query().and_then(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
            }),
            TokenSource::Custom(load) => load(parts),
            TokenSource::AnyOf(sources) => return sources.iter().find_map(|s| s.find(parts)),
        };
        token.map(|token| Found { token, from_cookie })
    }
}

/// A token a [`TokenSource`] found.
pub(crate) struct Found {
    pub(crate) token: String,
    /// A browser sends cookies on its own: a request authenticated by one needs a CSRF check.
    pub(crate) from_cookie: bool,
}

/// The token of an `Authorization: Bearer` header (scheme case-insensitive, RFC 6750).
fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Header => f.write_str("Header"),
            TokenSource::Cookie(name) => f.debug_tuple("Cookie").field(name).finish(),
            TokenSource::Query(name) => f.debug_tuple("Query").field(name).finish(),
            TokenSource::Custom(_) => f.write_str("Custom(..)"),
            TokenSource::AnyOf(sources) => f.debug_tuple("AnyOf").field(sources).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(builder: axum::http::request::Builder) -> Parts {
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn each_source_finds_its_token() {
        let p = parts(
            Request::builder()
                .uri("/x?token=q1&other=2")
                .header("authorization", "bearer h1")
                .header("cookie", "a=b; paseto=c1"),
        );
        assert_eq!(TokenSource::Header.load(&p).as_deref(), Some("h1"));
        assert_eq!(
            TokenSource::cookie("paseto").load(&p).as_deref(),
            Some("c1")
        );
        assert_eq!(TokenSource::query("token").load(&p).as_deref(), Some("q1"));
        let custom = TokenSource::custom(|p| p.uri.path().strip_prefix('/').map(str::to_owned));
        assert_eq!(custom.load(&p).as_deref(), Some("x"));
        let chain =
            TokenSource::any_of([TokenSource::cookie("missing"), TokenSource::query("token")]);
        assert_eq!(chain.load(&p).as_deref(), Some("q1"));
    }

    #[test]
    fn other_schemes_and_empty_values_are_no_token() {
        let p = parts(
            Request::builder()
                .header("authorization", "Basic Zm9vOmJhcg==")
                .header("cookie", "paseto="),
        );
        assert_eq!(TokenSource::Header.load(&p), None);
        assert_eq!(TokenSource::cookie("paseto").load(&p), None);
    }
}
