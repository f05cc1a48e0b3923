//! Whether the browser says a request comes from another site: Fetch Metadata
//! (`Sec-Fetch-Site`), else the `Origin` header against the request's own host.

use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;

use super::CsrfSettings;

/// True when the request is marked as cross-site, or comes from an origin that is neither the
/// request's host nor a trusted origin. A request without either header (not a browser, or an
/// old one) is not judged here: the CSRF value is what protects it.
pub(crate) fn is_cross_site(parts: &Parts, settings: &CsrfSettings) -> bool {
    let origin = parts.headers.get(ORIGIN).and_then(|o| o.to_str().ok());
    if origin.is_some_and(|origin| settings.trusts_origin(origin)) {
        return false;
    }
    if let Some(site) = parts.headers.get("sec-fetch-site") {
        return site.as_bytes().eq_ignore_ascii_case(b"cross-site");
    }
    match origin {
        None => false,
        Some(origin) => !is_own_origin(origin, parts),
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
        assert!(!cross(&[("sec-fetch-site", "same-site")]));
        assert!(!cross(&[("sec-fetch-site", "none")]));
        // Fetch metadata wins over a matching Origin.
        assert!(cross(&[
            ("sec-fetch-site", "cross-site"),
            ("host", "app.example"),
            ("origin", "https://app.example")
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
