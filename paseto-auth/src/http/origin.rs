//! The one origin policy: whether an unsafe request is shown to come from the site's own pages,
//! after OWASP's CSRF cheat sheet: Fetch Metadata (`Sec-Fetch-Site`) first, the `Origin` header
//! where that is not enough. Both CSRF forms (cookie tokens and
//! [`CsrfLayer`](crate::csrf::CsrfLayer) forms) ask with [`Policy::Csrf`]; the refresh endpoint,
//! for a refresh token in a cookie, with the stricter [`Policy::SameOrigin`].
//!
//! | `Sec-Fetch-Site` | `Csrf` passes when | `SameOrigin` passes when |
//! |---|---|---|
//! | `same-origin` | always | always |
//! | `none` (the user's own navigation) | always | `Origin` is a trusted origin |
//! | `same-site` (or a value Fetch Metadata does not define) | `Origin` is the request's own or a trusted origin | `Origin` is a trusted origin |
//! | `cross-site` | `Origin` is a trusted origin | `Origin` is a trusted origin |
//! | absent | `Origin` is absent, the request's own, or a trusted origin | the same |
//!
//! `same-site` is not enough on its own: a sibling subdomain (`evil.example.com` beside
//! `app.example.com`) is the same site, and may be run by someone else. Trusted origins are the
//! CSRF settings' ([`CsrfSettings::trusted_origin`](crate::csrf::CsrfSettings::trusted_origin),
//! `PASETO_CSRF_TRUSTED_ORIGINS`).

use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;

/// How strict a check is; see the module's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// The CSRF checks': a request the browser says is the site's own or the user's passes, and
    /// so does one whose `Origin` is the request's own (or trusted) where that is not said.
    Csrf,
    /// A refresh cookie's: a forged refresh does harm even without a value to guess (two would
    /// look like a replay and end the login), so a browser that sends Fetch Metadata must say
    /// `same-origin`, unless the `Origin` is trusted.
    SameOrigin,
}

/// True when the request is not shown to come from our own pages under `policy`, given the
/// `trusted` origins (lowercase `scheme://host[:port]`): see the module's table. A request
/// without either header (not a browser, or an old one) is not judged here: the CSRF value, or
/// the refresh endpoint's `X-Requested-With`, is what protects it.
///
/// The one place `Sec-Fetch-Site` is read.
pub(crate) fn is_cross_site(parts: &Parts, trusted: &[String], policy: Policy) -> bool {
    let origin = parts.headers.get(ORIGIN).and_then(|o| o.to_str().ok());
    let trusted = origin.is_some_and(|origin| {
        trusted
            .iter()
            .any(|trusted| trusted.eq_ignore_ascii_case(origin))
    });
    let own = || origin.is_some_and(|origin| is_own_origin(origin, parts));
    let Some(site) = parts.headers.get("sec-fetch-site") else {
        return origin.is_some() && !trusted && !own();
    };
    let site = site.as_bytes();
    if site.eq_ignore_ascii_case(b"same-origin") || trusted {
        return false;
    }
    match policy {
        Policy::SameOrigin => true,
        Policy::Csrf if site.eq_ignore_ascii_case(b"none") => false,
        Policy::Csrf if site.eq_ignore_ascii_case(b"cross-site") => true,
        Policy::Csrf => !own(),
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
    use crate::csrf::CsrfSettings;
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
        let cross =
            |h: &[(&str, &str)]| is_cross_site(&parts(h), settings.trusted_origins(), Policy::Csrf);
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
        let cross =
            |h: &[(&str, &str)]| is_cross_site(&parts(h), settings.trusted_origins(), Policy::Csrf);
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
        let cross =
            |h: &[(&str, &str)]| is_cross_site(&parts(h), settings.trusted_origins(), Policy::Csrf);
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
        let cross =
            |h: &[(&str, &str)]| is_cross_site(&parts(h), settings.trusted_origins(), Policy::Csrf);
        assert!(!cross(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://admin.example")
        ]));
        assert!(cross(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://other.example")
        ]));
    }

    /// The refresh cookie's policy: the CSRF one, and with Fetch Metadata only `same-origin`
    /// passes, unless the `Origin` is trusted.
    #[test]
    fn the_same_origin_policy_is_the_csrf_policy_and_stricter() {
        let settings = CsrfSettings::new()
            .trusted_origin("https://admin.example")
            .unwrap();
        let verdict = |h: &[(&str, &str)]| {
            let parts = parts(h);
            let strict = is_cross_site(&parts, settings.trusted_origins(), Policy::SameOrigin);
            let csrf = is_cross_site(&parts, settings.trusted_origins(), Policy::Csrf);
            assert!(strict || !csrf, "stricter: {h:?}");
            strict
        };
        let host = ("host", "app.example");
        let own = ("origin", "https://app.example");
        let trusted = ("origin", "https://admin.example");
        let other = ("origin", "https://evil.example");
        assert!(!verdict(&[("sec-fetch-site", "same-origin")]));
        assert!(!verdict(&[("sec-fetch-site", "same-origin"), host, own]));
        for site in ["none", "same-site", "cross-site", "same-planet"] {
            let site = ("sec-fetch-site", site);
            assert!(verdict(&[site]), "{site:?}");
            assert!(verdict(&[site, host, own]), "{site:?}: own origin");
            assert!(verdict(&[site, host, other]), "{site:?}: other origin");
            assert!(!verdict(&[site, host, trusted]), "{site:?}: trusted origin");
        }
        // Without Fetch Metadata, the Origin decides as for CSRF.
        assert!(!verdict(&[]));
        assert!(!verdict(&[host, own]));
        assert!(!verdict(&[host, trusted]));
        assert!(verdict(&[host, other]));
        assert!(verdict(&[host, ("origin", "null")]));
    }
}
