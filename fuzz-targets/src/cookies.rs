//! An oracle for `Cookie` request headers, written apart from the crate's reader, as RFC 6265
//! (section 5.4, and 6265bis) has a server read them: pairs separated by `;`, each `name=value`,
//! with only spaces and tabs (the header's optional whitespace) around names and values, and a
//! value's one pair of double quotes removed. A browser sends a cookie under the name it was set
//! with, and checks the `__Host-`/`__Secure-` prefixes on that name, byte for byte; a server that
//! reads a name more loosely (trimming other whitespace, decoding it) accepts cookies that no
//! prefix protected. Values are read loosely (any whitespace around them trimmed): what matters
//! of a value is that it is one the application made, whatever surrounds it.

/// The optional whitespace of a header: space and horizontal tab.
fn is_ows(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Every `(name, value)` pair of the request's `Cookie` headers, in order. A pair whose bytes are
/// not UTF-8, or that has no `=`, is not a cookie this oracle reads.
pub fn pairs<'a>(headers: impl IntoIterator<Item = &'a [u8]>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for header in headers {
        for pair in header.split(|&b| b == b';') {
            let Ok(pair) = std::str::from_utf8(pair) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            out.push((name.trim_matches(is_ows).to_owned(), value.to_owned()));
        }
    }
    out
}

/// The values of the cookies named exactly `name`.
pub fn values<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}
