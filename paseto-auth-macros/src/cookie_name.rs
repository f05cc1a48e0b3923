//! Cookie names, checked at compile time.

/// The message for a name [`is_cookie_name`] refuses.
pub(crate) const INVALID: &str = "invalid cookie name: use letters, digits and !#$%&'*+-.^_`|~ (RFC 6265 token: no spaces, separators or control characters)";

/// An RFC 6265 cookie name: an RFC 2616 token (visible ASCII without separators).
pub(crate) fn is_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_cookie_name;

    #[test]
    fn tokens() {
        for ok in ["session", "paseto", "__Host-id", "a.b", "x!#$%&'*+-.^_`|~"] {
            assert!(is_cookie_name(ok), "{ok}");
        }
        for bad in [
            "",
            "my cookie",
            "a;b",
            "a=b",
            "é",
            "a\tb",
            "(x)",
            "a,b",
            "\"q\"",
        ] {
            assert!(!is_cookie_name(bad), "{bad}");
        }
    }
}
