//! Cookie names, checked at compile time.

/// An RFC 6265 cookie name: a token of visible ASCII without separators.
pub(crate) fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}
