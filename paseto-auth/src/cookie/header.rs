//! Reading the request's `Cookie` headers: the values of the cookies of one name.
//!
//! Hand-written rather than the `cookie` crate's parser: this runs on every request, reads the raw
//! header bytes without allocating, and still finds the other cookies when one holds bytes that are
//! not UTF-8.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// How many cookies of the same name are tried (a browser sends several when paths differ).
const MAX_CANDIDATES: usize = 4;

/// The values of the request's cookies named `name`, in header order (at most a few).
pub(crate) fn request_cookies<'a>(
    headers: &'a HeaderMap,
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .get_all(COOKIE)
        .iter()
        .flat_map(|header| cookie_pairs(header.as_bytes()))
        .filter_map(move |pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| {
                let value = value.trim();
                value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value)
            })
        })
        .take(MAX_CANDIDATES)
}

/// The `name=value` pairs of one `Cookie` header. A header that is not UTF-8 (a cookie with
/// Latin-1 bytes, set by a script, say) is split as bytes and only its undecodable pairs are
/// dropped: one odd cookie must not hide the others.
fn cookie_pairs(header: &[u8]) -> impl Iterator<Item = &str> {
    let text = std::str::from_utf8(header);
    let fast = text.ok().into_iter().flat_map(|text| text.split(';'));
    let slow = text
        .is_err()
        .then_some(header)
        .into_iter()
        .flat_map(|header| header.split(|&b| b == b';'))
        .filter_map(|pair| std::str::from_utf8(pair).ok());
    fast.chain(slow)
}
