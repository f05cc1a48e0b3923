//! The request's media type, read from `Content-Type` in one place: parameters (`charset`)
//! aside, surrounding white space trimmed, letter case ignored (RFC 9110, section 8.3.1).

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;

/// `application/x-www-form-urlencoded`: an HTML form's body.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

/// `application/json`.
pub(crate) const JSON: &str = "application/json";

/// Whether the request's `Content-Type` is `media_type` (`FORM`, `JSON`). A header that is not
/// text, or is absent, is no media type.
pub(crate) fn is(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(media_type))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(content_type: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_bytes(content_type).unwrap());
        headers
    }

    #[test]
    fn parameters_white_space_and_case_do_not_matter() {
        for sent in [
            &b"application/json"[..],
            b"Application/JSON",
            b"application/json; charset=utf-8",
            b" application/json ;charset=UTF-8",
        ] {
            assert!(is(&headers(sent), JSON), "{sent:?}");
            assert!(!is(&headers(sent), FORM), "{sent:?}");
        }
        assert!(is(
            &headers(b"application/x-www-form-urlencoded;charset=utf-8"),
            FORM
        ));
    }

    #[test]
    fn other_or_absent_or_unreadable_types_are_not_it() {
        assert!(!is(&HeaderMap::new(), JSON));
        for sent in [
            &b"text/plain"[..],
            b"application/json-seq",
            b"application/jsonx",
            b"",
            b"application/\xffjson",
        ] {
            assert!(!is(&headers(sent), JSON), "{sent:?}");
        }
    }
}
