//! The fuzz targets of paseto-auth: one per parser an attacker or an operator reaches, each a
//! function of the input's bytes that panics when what must hold does not.
//!
//! The same bodies run in two places: under libFuzzer, through the cargo-fuzz crate in `fuzz/`
//! (a workspace of its own, since it needs nightly flags and a C++ toolchain; see the README's
//! "Fuzzing"), and on stable in `cargo test --workspace`, where `tests/replay.rs` runs every file
//! of the committed corpora (`fuzz/corpus/<target>/`) through its target, so an input that once
//! found a bug fails the build if the bug comes back.
//!
//! Each target asserts a property, not only "no panic" (see each module): a token that verifies
//! re-encodes to its own text, a PASERK that parses serializes back to itself, `decrypt(encrypt(x))
//! = x`, a key-set document is read within its limits or refused as a key-set error, a cookie
//! header never yields a cookie the application did not set under that name, and our verifier
//! agrees with pasetors. Errors are matched by their kind's name (`err.kind().as_str()`), which
//! is stable, never by variant.
//!
//! Inputs with several fields (an HTTP request, a key and a token) are split on NUL bytes
//! ([`fields`]); a few bytes stand for tokens the target's application issued ([`Placeholders`]),
//! so that the fuzzer can put a valid one anywhere without forging it.

pub mod claims;
pub mod cookie_header;
pub mod cookies;
pub mod csrf_form;
pub mod differential;
pub mod footer;
pub mod json;
pub mod keys;
pub mod keyset;
pub mod local_roundtrip;
pub mod paserk;
pub mod paserk_protected;
pub mod pem;
pub mod refresh_body;
pub mod seeds;
pub mod settings;
pub mod token_parse;
pub mod verifiers;
pub mod verify_local;
pub mod verify_public;

use std::future::Future;

/// A target: its name (the cargo-fuzz binary's and its corpus directory's) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by name.
pub const TARGETS: &[Target] = &[
    ("token_parse", token_parse::run),
    ("footer", footer::run),
    ("verify_public", verify_public::run),
    ("verify_local", verify_local::run),
    ("local_roundtrip", local_roundtrip::run),
    ("claims", claims::run),
    ("paserk", paserk::run),
    ("paserk_protected", paserk_protected::run),
    ("pem", pem::run),
    ("keyset", keyset::run),
    ("settings", settings::run),
    ("cookie_header", cookie_header::run),
    ("csrf_form", csrf_form::run),
    ("refresh_body", refresh_body::run),
    ("differential", differential::run),
];

/// The target called `name`.
pub fn target(name: &str) -> Option<fn(&[u8])> {
    TARGETS
        .iter()
        .find(|(target, _)| *target == name)
        .map(|(_, run)| *run)
}

/// The first `N` NUL-separated fields of `data`; missing ones are empty, and the last holds the
/// rest (NULs included).
pub fn fields<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out = [&data[..0]; N];
    let mut rest = data;
    for (index, field) in out.iter_mut().enumerate() {
        if index + 1 == N {
            *field = rest;
            break;
        }
        match rest.iter().position(|&b| b == 0) {
            Some(at) => {
                *field = &rest[..at];
                rest = &rest[at + 1..];
            }
            None => {
                *field = rest;
                rest = &rest[rest.len()..];
            }
        }
    }
    out
}

/// Bytes `0x01`, `0x02`, … of an input that stand for values the target made itself (tokens
/// its application issued, say): the fuzzer moves them around and the target expands them.
#[derive(Debug, Clone, Default)]
pub struct Placeholders(Vec<Vec<u8>>);

impl Placeholders {
    /// Placeholder `0x01` is `values[0]`, `0x02` is `values[1]`, and so on (at most 8).
    pub fn new<I, V>(values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<Vec<u8>>,
    {
        let values: Vec<Vec<u8>> = values.into_iter().map(Into::into).collect();
        assert!(values.len() <= 8, "at most 8 placeholders");
        Placeholders(values)
    }

    /// `input` with each placeholder byte replaced by its value.
    pub fn expand(&self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len());
        for &byte in input {
            match byte
                .checked_sub(1)
                .and_then(|index| self.0.get(usize::from(index)))
            {
                Some(value) => out.extend_from_slice(value),
                None => out.push(byte),
            }
        }
        out
    }

    /// The placeholder byte that stands for `value` (`0x01` for the first).
    pub fn byte_of(&self, value: &[u8]) -> Option<u8> {
        let index = self.0.iter().position(|v| v == value)?;
        u8::try_from(index + 1).ok()
    }
}

/// Runs `future` to completion on this thread's current-thread runtime (one per thread, made
/// once: the HTTP targets run a request per input).
pub fn block_on<F: Future>(future: F) -> F::Output {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a tokio runtime");
    }
    RUNTIME.with(|runtime| runtime.block_on(future))
}

/// Unpadded base64url, decoded strictly (canonical only), independently of the crate's codec.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::decode_vec(text).ok()
}

/// Unpadded base64url.
pub fn b64_encode(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

/// Whether `text` is the one base64url spelling of the bytes it decodes to.
pub fn is_canonical_b64(text: &str) -> bool {
    b64_decode(text).is_some_and(|bytes| b64_encode(&bytes) == text)
}

/// The `kind` of an error as its stable name: what the targets match on.
pub fn kind(err: &paseto_auth::Error) -> &'static str {
    err.kind().as_str()
}

/// Asserts that no error message shows `secret`, key material (a PASERK's data, a PEM line):
/// errors are logged and shown to operators. Only text shaped like key material is looked for —
/// 16 characters or more of the base64 alphabets, with lowercase and uppercase letters and digits
/// — since the fuzzer also copies the messages' own words into its inputs.
pub fn assert_not_shown(message: &str, secret: &str, what: &str) {
    let secret = secret.trim();
    let b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'=');
    let key_like = secret.len() >= 16
        && secret.bytes().all(b64)
        && secret.bytes().any(|b| b.is_ascii_lowercase())
        && secret.bytes().any(|b| b.is_ascii_uppercase())
        && secret.bytes().any(|b| b.is_ascii_digit());
    if key_like {
        assert!(
            !message.contains(secret),
            "an error message shows the {what}: {message}"
        );
    }
}
