//! `token_parse`: a token's header, body and footer as [`UntrustedToken::parse`] reads them,
//! before any key.
//!
//! What must hold: a token that parses has one spelling — its header is one of the six this
//! crate reads, its payload and footer segments are canonical base64url, and re-encoding what was
//! read (header, body, footer) gives the text back; the size limit is checked before anything
//! else; a refusal is one of the parse errors, never a panic.

use paseto_auth::Purpose;
use paseto_auth::token::{DEFAULT_MAX_TOKEN_LEN, Footer, FooterLimits, UntrustedToken};

/// The size limit of the target: small, so that the fuzzer meets it.
const MAX_LEN: usize = 2048;

/// Runs one input.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = UntrustedToken::parse(text, MAX_LEN);
    if text.len() > MAX_LEN {
        let err = parsed.err().expect("a token over the limit is refused");
        assert_eq!(crate::kind(&err), "token_too_large");
        // And before anything else: the same text within a larger limit may well parse.
        return;
    }
    let token = match parsed {
        Ok(token) => token,
        Err(err) => {
            let kind = crate::kind(&err);
            assert!(
                matches!(kind, "malformed" | "unsupported_version"),
                "a token that does not parse is malformed, not {kind}: {err}"
            );
            // The default limit changes nothing below it.
            assert!(UntrustedToken::parse(text, DEFAULT_MAX_TOKEN_LEN).is_err());
            return;
        }
    };
    let header = token.header();
    let rest = text
        .strip_prefix(header.prefix())
        .expect("a token starts with its header's one spelling");
    let (payload, footer) = match rest.split_once('.') {
        Some((payload, footer)) => (payload, Some(footer)),
        None => (rest, None),
    };
    assert!(
        crate::is_canonical_b64(payload),
        "a payload segment that is not canonical base64url was read: {text}"
    );
    let body = crate::b64_decode(payload).expect("canonical");
    match footer {
        Some(footer) => {
            assert!(
                crate::is_canonical_b64(footer),
                "a footer segment that is not canonical base64url was read: {text}"
            );
            assert!(!footer.is_empty(), "an empty footer segment was read");
            assert_eq!(
                crate::b64_decode(footer).as_deref(),
                Some(token.untrusted_footer())
            );
        }
        None => assert!(token.untrusted_footer().is_empty()),
    }
    // Re-encoded, what was read is the text.
    let mut again = String::from(header.prefix());
    again.push_str(&crate::b64_encode(&body));
    if !token.untrusted_footer().is_empty() {
        again.push('.');
        again.push_str(&crate::b64_encode(token.untrusted_footer()));
    }
    assert_eq!(again, text, "a token re-encodes to its own text");
    // A public token's payload is the body before the signature; a local one's is not readable.
    match (header.purpose, token.untrusted_public_payload()) {
        (Purpose::Public, Some(payload)) => assert!(body.starts_with(payload)),
        (Purpose::Local, None) => {}
        (purpose, payload) => panic!("{purpose} token with payload {payload:?}"),
    }
    // The footer's own parser, within the default limits, never panics; a JSON footer it accepts
    // is an object.
    if let Ok(footer) = Footer::parse(token.untrusted_footer(), &FooterLimits::default()) {
        assert_eq!(footer.as_bytes(), token.untrusted_footer());
    }
}
