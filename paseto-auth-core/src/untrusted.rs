//! Text from outside (a token's `kid`, a claim name, a parser's message quoting the input) as an
//! error may carry it: escaped and cut. A leaf, so that every module that builds an error from
//! outside text (the version parser too) can use it without depending on the error types.

/// How many characters of a text from outside (a token, a cookie, a header) an error keeps.
const MAX_UNTRUSTED_CHARS: usize = 80;

/// Text from outside as an error may carry it: control characters, quotes and backslashes
/// escaped (`{:?}` style, so a `\n` cannot start a forged log line) and cut to
/// [`MAX_UNTRUSTED_CHARS`] characters, with `…` where it was cut. Every error built from outside
/// text goes through here or [`truncated`].
#[doc(hidden)]
pub fn untrusted(text: impl std::fmt::Display) -> String {
    escape(&truncated(&text.to_string()))
}

/// Outside text cut to [`MAX_UNTRUSTED_CHARS`] characters (for fields shown with `{:?}`, which
/// escapes them).
#[doc(hidden)]
pub fn truncated(text: &str) -> String {
    match text.char_indices().nth(MAX_UNTRUSTED_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

fn escape(text: &str) -> String {
    text.chars().flat_map(char::escape_debug).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_is_escaped_and_cut() {
        assert_eq!(untrusted("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        let long = "x".repeat(MAX_UNTRUSTED_CHARS + 5);
        let cut = truncated(&long);
        assert_eq!(cut.chars().count(), MAX_UNTRUSTED_CHARS + 1);
        assert!(cut.ends_with('…'));
        // Cut by characters, never inside one.
        assert_eq!(truncated(&"é".repeat(81)), format!("{}…", "é".repeat(80)));
        assert_eq!(truncated("short"), "short");
    }
}
