//! Whether an unsafe request comes from another site: the one cross-site decision of both CSRF
//! forms (cookie tokens and [`CsrfLayer`](super::CsrfLayer) forms), after OWASP's CSRF cheat
//! sheet: Fetch Metadata (`Sec-Fetch-Site`) first, the `Origin` header where that is not enough.
//!
//! | `Sec-Fetch-Site` | passes when |
//! |---|---|
//! | `same-origin`, `none` | always (the browser says the request is the site's own, or the user's) |
//! | `same-site` (or a value Fetch Metadata does not define) | `Origin` is the request's own or a trusted origin |
//! | `cross-site` | `Origin` is a trusted origin |
//! | absent | `Origin` is absent, the request's own, or a trusted origin |
//!
//! `same-site` is not enough on its own: a sibling subdomain (`evil.example.com` beside
//! `app.example.com`) is the same site, and may be run by someone else.

use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;

use super::CsrfSettings;

/// True when the request is not shown to come from our own pages: see the module's table. A
/// request without either header (not a browser, or an old one) is not judged here: the CSRF
/// value is what protects it.
pub(crate) fn is_cross_site(parts: &Parts, settings: &CsrfSettings) -> bool {
    let origin = parts.headers.get(ORIGIN).and_then(|o| o.to_str().ok());
    let trusted = origin.is_some_and(|origin| settings.trusts_origin(origin));
    let own = || origin.is_some_and(|origin| is_own_origin(origin, parts));
    let Some(site) = parts.headers.get("sec-fetch-site") else {
        return origin.is_some() && !trusted && !own();
    };
    let site = site.as_bytes();
    if site.eq_ignore_ascii_case(b"same-origin") || site.eq_ignore_ascii_case(b"none") {
        false
    } else if site.eq_ignore_ascii_case(b"cross-site") {
        !trusted
    } else {
        !trusted && !own()
    }
}

/// Whether `origin` (`scheme://host[:port]`) names the host the request was sent to.
fn is_own_origin(origin: &str, parts: &Parts) -> bool {
    let Some((_, origin_host)) = origin.split_once("://") else {
        return false; // "null" and anything else that is not an origin
    };
    let host = parts
        .headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()));
    host.is_some_and(|host| host.eq_ignore_ascii_case(origin_host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::post("/x");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let settings = CsrfSettings::new();
        let cross = |h: &[(&str, &str)]| is_cross_site(&parts(h), &settings);
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(!cross(&[("sec-fetch-site", "none")]));
        assert!(!cross(&[("sec-fetch-site", "Same-Origin")]));
        // Fetch metadata wins over a matching Origin.
        assert!(cross(&[
            ("sec-fetch-site", "cross-site"),
            ("host", "app.example"),
            ("origin", "https://app.example")
        ]));
    }

    /// A sibling subdomain is the same site: the browser says `same-site`, and only the request's
    /// own origin (or a trusted one) may post so.
    #[test]
    fn same_site_passes_only_from_the_request_s_own_or_a_trusted_origin() {
        let settings = CsrfSettings::new()
            .trusted_origin("https://admin.example.com")
            .unwrap();
        let cross = |h: &[(&str, &str)]| is_cross_site(&parts(h), &settings);
        let same_site = ("sec-fetch-site", "same-site");
        let host = ("host", "app.example.com");
        assert!(cross(&[
            same_site,
            host,
            ("origin", "https://evil.example.com")
        ]));
        assert!(cross(&[same_site, host]), "no Origin to show");
        assert!(cross(&[same_site, host, ("origin", "null")]));
        assert!(cross(&[same_site, ("origin", "https://app.example.com")]));
        assert!(!cross(&[
            same_site,
            host,
            ("origin", "http://app.example.com")
        ]));
        assert!(!cross(&[
            same_site,
            host,
            ("origin", "https://admin.example.com")
        ]));
        // A value Fetch Metadata does not define is judged as `same-site`.
        assert!(cross(&[
            ("sec-fetch-site", "same-planet"),
            host,
            ("origin", "https://evil.example.com")
        ]));
        assert!(!cross(&[
            ("sec-fetch-site", "same-planet"),
            host,
            ("origin", "https://app.example.com")
        ]));
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_the_host() {
        let settings = CsrfSettings::new();
        let cross = |h: &[(&str, &str)]| is_cross_site(&parts(h), &settings);
        assert!(!cross(&[]));
        assert!(!cross(&[
            ("host", "app.example:8443"),
            ("origin", "https://app.example:8443")
        ]));
        assert!(cross(&[
            ("host", "app.example"),
            ("origin", "https://evil.example")
        ]));
        assert!(cross(&[
            ("host", "app.example"),
            ("origin", "https://app.example:8443")
        ]));
        assert!(cross(&[("host", "app.example"), ("origin", "null")]));
        assert!(cross(&[("origin", "https://app.example")]));
    }

    #[test]
    fn trusted_origins_may_post_cross_site() {
        let settings = CsrfSettings::new()
            .trusted_origin("https://admin.example")
            .unwrap();
        let cross = |h: &[(&str, &str)]| is_cross_site(&parts(h), &settings);
        assert!(!cross(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://admin.example")
        ]));
        assert!(cross(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://other.example")
        ]));
    }
}
