//! Encoding and decoding tokens of every supported version and purpose.
//!
//! [`UntrustedToken::parse`] checks the size limit and the header before anything else, then
//! decodes the body and footer (base64ct: strict, and several times faster than the
//! constant-time codec pasetors decodes with; a token's text is public, so nothing needs its
//! decoding to be constant-time); nothing in it is trusted until [`UntrustedToken::open`] has
//! verified it with a key of the token's own version and purpose.
//!
//! Who opens what: `v4.public` and `v2.public` with the key's fast Ed25519 form (`ed25519`),
//! `v4.local` with RustCrypto (`v4_local`), `v3.local` with RustCrypto (`v3_local`); `v3.public`,
//! `v2.local` and Ed25519 keys outside the prime-order subgroup with pasetors, which stays the
//! reference the others are tested against (`differential`). With the `v1` feature, `v1.local`
//! and `v1.public` are this crate's own too (`v1_local`, with RustCrypto; `v1_public`, with the
//! `rsa` crate).

#[cfg(test)]
mod differential;
mod ed25519;
mod footer;
mod pae;
mod sealed;
#[cfg(feature = "v1")]
mod v1_local;
#[cfg(feature = "v1")]
mod v1_public;
pub(crate) mod v3_local;
mod v4_local;

pub use footer::{Footer, FooterLimits};

use pasetors::token::UntrustedToken as PasetorsToken;
use pasetors::version2::{self, V2};
use pasetors::version3::{self, V3};
use pasetors::version4::{self, V4};
use pasetors::{Local, Public};
use zeroize::Zeroizing;

use crate::error::{Cause, Error, Result, TokenError, truncated, untrusted};
use crate::key::{
    Ed25519Key, LocalKey, SecretKey, SigningKey, VerificationKey, b64_decode, b64_encode,
};
use crate::version::{Header, Purpose, Version};

/// Default maximum length of a token, in bytes.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8 * 1024;

/// The payload of a verified or decrypted token: its bytes (`Deref<Target = [u8]>`).
///
/// A `v3.local` (or `v1.local`) payload, decrypted here, is zeroized when dropped. The others are held in the
/// `pasetors` token that verified them, as that crate returns them, without a second copy.
pub struct Payload(PayloadBytes);

enum PayloadBytes {
    Owned(Zeroizing<Vec<u8>>),
    Trusted(pasetors::token::TrustedToken),
}

impl std::ops::Deref for Payload {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            PayloadBytes::Owned(bytes) => bytes,
            PayloadBytes::Trusted(token) => token.payload().as_bytes(),
        }
    }
}

impl Payload {
    /// The payload as text: PASETO payloads are UTF-8 (JSON). Checked here only for `v3.local`;
    /// `pasetors` has checked the others.
    pub fn text(&self) -> Result<&str> {
        match &self.0 {
            PayloadBytes::Owned(bytes) => std::str::from_utf8(bytes).map_err(|_| {
                Error::Token(TokenError::InvalidPayload(
                    "the payload is not UTF-8".into(),
                ))
            }),
            PayloadBytes::Trusted(token) => Ok(token.payload()),
        }
    }
}

impl AsRef<[u8]> for Payload {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

/// Shows the length only: a payload may hold secrets.
impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Payload({} bytes)", self.len())
    }
}

/// A token that has been parsed but not verified: its header and footer may be read (to pick a
/// key), its payload may not be trusted.
pub struct UntrustedToken {
    header: Header,
    /// The token as given, for pasetors, which parses tokens itself.
    text: String,
    /// The decoded body: payload and signature, or nonce, ciphertext and tag.
    body: Vec<u8>,
    footer: Vec<u8>,
}

/// The shortest body of each kind: a signature (64 bytes for Ed25519, 96 for P-384, 256 for
/// RSA-2048), or a nonce and a tag (v4: 32 + 32; v2: 24 + 16; v3 and v1: 32 + 48), each with at
/// least one byte of payload beside it.
fn min_body_len(header: Header) -> usize {
    1 + match (header.version, header.purpose) {
        #[cfg(feature = "v1")]
        (Version::V1, Purpose::Public) => crate::key::SIGNATURE_LEN,
        #[cfg(feature = "v1")]
        (Version::V1, Purpose::Local) => v1_local::NONCE_LEN + v1_local::TAG_LEN,
        (Version::V2 | Version::V4, Purpose::Public) => 64,
        (Version::V3, Purpose::Public) => 96,
        (Version::V4, Purpose::Local) => v4_local::NONCE_LEN + v4_local::TAG_LEN,
        (Version::V2, Purpose::Local) => 24 + 16,
        (Version::V3, Purpose::Local) => v3_local::NONCE_LEN + v3_local::TAG_LEN,
    }
}

/// The headers this crate reads, each in its one canonical spelling.
const KNOWN_HEADERS: &[(&str, Version, Purpose)] = &[
    ("v4.local.", Version::V4, Purpose::Local),
    ("v4.public.", Version::V4, Purpose::Public),
    ("v3.local.", Version::V3, Purpose::Local),
    ("v3.public.", Version::V3, Purpose::Public),
    ("v2.local.", Version::V2, Purpose::Local),
    ("v2.public.", Version::V2, Purpose::Public),
    #[cfg(feature = "v1")]
    ("v1.local.", Version::V1, Purpose::Local),
    #[cfg(feature = "v1")]
    ("v1.public.", Version::V1, Purpose::Public),
];

/// Splits `vN.purpose.` off a token. Only the canonical spelling is a header: exactly one of
/// [`KNOWN_HEADERS`] (not `4.public.`, `V4.public.` or `v4.Public.`, which lenient parsers
/// would also read), so a token has one spelling and a deny-list keyed on it cannot be dodged.
fn split_header(token: &str) -> Result<(Header, &str)> {
    for &(prefix, version, purpose) in KNOWN_HEADERS {
        if let Some(rest) = token.strip_prefix(prefix) {
            return Ok((Header::new(version, purpose), rest));
        }
    }
    // Not a header we read: say what is wrong with it.
    let mut parts = token.splitn(3, '.');
    let (version, purpose) = (parts.next().unwrap_or_default(), parts.next());
    let known = KNOWN_HEADERS
        .iter()
        .any(|(prefix, ..)| prefix.split('.').next() == Some(version));
    if known {
        return Err(Error::Token(TokenError::Malformed(format!(
            "unknown purpose \"{}\": expected local or public",
            untrusted(purpose.unwrap_or_default())
        ))));
    }
    let digits = version.strip_prefix('v').unwrap_or_default();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && purpose.is_some() {
        return Err(Error::Token(TokenError::UnsupportedVersion(truncated(
            version,
        ))));
    }
    Err(Error::Token(TokenError::Malformed(
        "expected v4, v3 or v2, then .local. or .public., then the payload".into(),
    )))
}

/// Splits the body after the header into its base64url payload and footer segments. A footer
/// segment, when there is one, is not empty (`v4.public.xxx.` is not another spelling of
/// `v4.public.xxx`), and there are no further segments.
fn split_body(body: &str) -> Result<(&str, Option<&str>)> {
    let (payload, footer) = match body.split_once('.') {
        Some((payload, footer)) => (payload, Some(footer)),
        None => (body, None),
    };
    match footer {
        Some("") => Err(Error::Token(TokenError::Malformed(
            "empty footer segment".into(),
        ))),
        Some(footer) if footer.contains('.') => Err(Error::Token(TokenError::Malformed(
            "too many segments".into(),
        ))),
        _ if payload.is_empty() => Err(Error::Token(TokenError::Malformed(
            "empty payload segment".into(),
        ))),
        _ => Ok((payload, footer)),
    }
}

fn pasetors_format(_: pasetors::errors::Error) -> Error {
    Error::Token(TokenError::Malformed("invalid token encoding".into()))
}

impl UntrustedToken {
    /// Parses `token`, refusing it before any decoding when it is longer than `max_len`.
    pub fn parse(token: &str, max_len: usize) -> Result<Self> {
        if token.len() > max_len {
            return Err(Error::Token(TokenError::TokenTooLarge {
                len: token.len(),
                limit: max_len,
            }));
        }
        let (header, rest) = split_header(token)?;
        let (payload, footer) = split_body(rest)?;
        let body = b64_decode(payload)
            .filter(|body| body.len() >= min_body_len(header))
            .ok_or_else(|| Error::Token(TokenError::Malformed("invalid token encoding".into())))?;
        let footer = match footer {
            Some(text) => b64_decode(text).ok_or_else(|| {
                Error::Token(TokenError::Malformed("invalid footer encoding".into()))
            })?,
            None => Vec::new(),
        };
        Ok(UntrustedToken {
            header,
            text: token.to_owned(),
            body,
            footer,
        })
    }

    /// The token's version and purpose.
    pub fn header(&self) -> Header {
        self.header
    }

    /// The payload of a `public` token, read without verifying the signature (for inspection
    /// only: it must not be trusted). `None` for `local` tokens, whose payload is encrypted.
    pub fn untrusted_public_payload(&self) -> Option<&[u8]> {
        let signature = match (self.header.version, self.header.purpose) {
            (_, Purpose::Local) => return None,
            #[cfg(feature = "v1")]
            (Version::V1, Purpose::Public) => crate::key::SIGNATURE_LEN,
            (Version::V3, Purpose::Public) => 96,
            (Version::V2 | Version::V4, Purpose::Public) => 64,
        };
        self.body.get(..self.body.len().saturating_sub(signature))
    }

    /// The `iss` a `public` token claims, read without verifying it: to choose the keys that
    /// could check the token, never to trust. `None` for a `local` token, and for a payload that
    /// is not a JSON object with one string `iss` (no key bound to an issuer would accept it).
    /// Only `iss` is kept; the rest is skipped (the token is size-limited, and serde_json bounds
    /// the nesting).
    pub(crate) fn untrusted_issuer(&self) -> Option<String> {
        #[derive(serde::Deserialize)]
        struct Claimed {
            iss: Option<String>,
        }
        let payload = self.untrusted_public_payload()?;
        // serde_json reads a struct from an array too; claims are an object.
        if !payload.trim_ascii_start().starts_with(b"{") {
            return None;
        }
        serde_json::from_slice::<Claimed>(payload).ok()?.iss
    }

    /// The raw footer bytes (empty when the token has none). Untrusted until verified.
    pub fn untrusted_footer(&self) -> &[u8] {
        &self.footer
    }

    /// Verifies (public) or decrypts (local) the token with `key` and returns its payload.
    ///
    /// The key must be of the token's own version and purpose; otherwise this fails with
    /// [`TokenError::NoKey`] before any cryptography. `implicit` is the implicit assertion (v3/v4;
    /// v1 and v2 have none, so a non-empty one is refused there rather than silently ignored).
    pub fn open(&self, key: &VerificationKey, implicit: &[u8]) -> Result<Payload> {
        // Ed25519 tokens go to the faster verifier when the key is one it holds, of the token's
        // own version (a v2 key never verifies a v4 token, nor the reverse).
        fn ed25519(k: &crate::key::PublicKey, version: Version) -> Option<&Ed25519Key> {
            (k.version() == version).then(|| k.ed25519()).flatten()
        }
        let (body, footer) = (&self.body, &self.footer);
        let header = self.header;
        let opened = match (header.version, header.purpose, key) {
            (Version::V4, Purpose::Public, VerificationKey::Public(k)) => ed25519(k, Version::V4)
                .map(|k| ed25519::open(k, "v4.public.", body, footer, Some(implicit))),
            (Version::V2, Purpose::Public, VerificationKey::Public(k)) if implicit.is_empty() => {
                ed25519(k, Version::V2).map(|k| ed25519::open(k, "v2.public.", body, footer, None))
            }
            (Version::V4, Purpose::Local, VerificationKey::Local(k)) => k
                .v4()
                .map(|k| v4_local::open(k.as_bytes(), body, footer, implicit).map(|p| p.to_vec())),
            (Version::V3, Purpose::Local, VerificationKey::Local(k)) => k
                .v3()
                .map(|k| v3_local::open(k, body, footer, implicit).map(|p| p.to_vec())),
            _ => None,
        };
        match opened {
            Some(payload) => utf8_payload(payload?),
            None => self.open_with_pasetors(key, implicit),
        }
    }

    /// [`open`](Self::open) with pasetors (and this crate's v3.local) for every kind: the
    /// reference the faster Ed25519 path is held to.
    pub(crate) fn open_with_pasetors(
        &self,
        key: &VerificationKey,
        implicit: &[u8],
    ) -> Result<Payload> {
        check_implicit(self.header.version, implicit)?;
        let mismatch = || Error::Token(TokenError::NoKey(self.header));
        let bad = |_| Error::Token(TokenError::InvalidSignature);
        let i = Some(implicit);
        // pasetors seals its purpose/version traits, so each arm names its concrete type.
        macro_rules! parsed {
            ($purpose:ty, $version:ty) => {
                PasetorsToken::<$purpose, $version>::try_from(self.text.as_str())
                    .map_err(pasetors_format)?
            };
        }
        let header = self.header;
        let trusted = match (header.version, header.purpose, key) {
            #[cfg(feature = "v1")]
            (Version::V1, Purpose::Local, VerificationKey::Local(k)) => {
                let key = k.v1().ok_or_else(mismatch)?;
                let payload = v1_local::open(key, &self.body, &self.footer)?;
                return Ok(Payload(PayloadBytes::Owned(payload)));
            }
            #[cfg(feature = "v1")]
            (Version::V1, Purpose::Public, VerificationKey::Public(k)) => {
                let key = k.v1().ok_or_else(mismatch)?;
                let payload = v1_public::verify(key, &self.body, &self.footer)?;
                return utf8_payload(payload.to_vec());
            }
            (Version::V3, Purpose::Local, VerificationKey::Local(k)) => {
                let key = k.v3().ok_or_else(mismatch)?;
                let payload = v3_local::open(key, &self.body, &self.footer, implicit)?;
                return Ok(Payload(PayloadBytes::Owned(payload)));
            }
            (Version::V2, Purpose::Local, VerificationKey::Local(k)) => {
                let key = k.v2().ok_or_else(mismatch)?;
                version2::LocalToken::decrypt(key, &parsed!(Local, V2), None).map_err(bad)?
            }
            (Version::V4, Purpose::Local, VerificationKey::Local(k)) => {
                let key = k.v4().ok_or_else(mismatch)?;
                version4::LocalToken::decrypt(key, &parsed!(Local, V4), None, i).map_err(bad)?
            }
            (Version::V2, Purpose::Public, VerificationKey::Public(k)) => {
                let key = k.v2().ok_or_else(mismatch)?;
                version2::PublicToken::verify(key, &parsed!(Public, V2), None).map_err(bad)?
            }
            (Version::V3, Purpose::Public, VerificationKey::Public(k)) => {
                let key = k.v3().ok_or_else(mismatch)?;
                version3::PublicToken::verify(key, &parsed!(Public, V3), None, i).map_err(bad)?
            }
            (Version::V4, Purpose::Public, VerificationKey::Public(k)) => {
                let key = k.v4().ok_or_else(mismatch)?;
                version4::PublicToken::verify(key, &parsed!(Public, V4), None, i).map_err(bad)?
            }
            _ => return Err(mismatch()),
        };
        Ok(Payload(PayloadBytes::Trusted(trusted)))
    }
}

/// Makes a token of `key`'s version and purpose: encrypts (local key) or signs (secret key).
///
/// `payload` must be non-empty. A non-empty `implicit` assertion with a v2 key is refused,
/// since v2 cannot bind one.
pub fn seal(key: &SigningKey, payload: &[u8], footer: &[u8], implicit: &[u8]) -> Result<String> {
    match key {
        SigningKey::Local(k) => seal_local(k, payload, footer, implicit),
        SigningKey::Secret(k) => sign(k, payload, footer, implicit),
    }
}

/// A payload the Ed25519 path verified, checked to be UTF-8 (as pasetors checks its own).
fn utf8_payload(payload: Vec<u8>) -> Result<Payload> {
    if std::str::from_utf8(&payload).is_err() {
        return Err(Error::Token(TokenError::InvalidPayload(
            "the payload is not UTF-8".into(),
        )));
    }
    Ok(Payload(PayloadBytes::Owned(Zeroizing::new(payload))))
}

/// Refuses a non-empty implicit assertion with a version that cannot bind one (v1, v2).
fn check_implicit(version: Version, implicit: &[u8]) -> Result<()> {
    if !version.has_implicit_assertion() && !implicit.is_empty() {
        return Err(Error::Token(TokenError::Malformed(format!(
            "{version} tokens carry no implicit assertion"
        ))));
    }
    Ok(())
}

fn crypto(err: pasetors::errors::Error) -> Error {
    Error::Crypto(Cause::new(err))
}

fn opt(bytes: &[u8]) -> Option<&[u8]> {
    (!bytes.is_empty()).then_some(bytes)
}

fn seal_local(key: &LocalKey, payload: &[u8], footer: &[u8], implicit: &[u8]) -> Result<String> {
    check_implicit(key.version(), implicit)?;
    let (f, i) = (opt(footer), opt(implicit));
    match key.version() {
        #[cfg(feature = "v1")]
        Version::V1 => {
            let k = key
                .v1()
                .ok_or(Error::Token(TokenError::NoKey(local(Version::V1))))?;
            if payload.is_empty() {
                return Err(Error::Crypto(Cause::msg("empty payload")));
            }
            let body = v1_local::seal(k, payload, footer)?;
            Ok(assemble(local(Version::V1), &body, footer))
        }
        Version::V2 => version2::LocalToken::encrypt(
            key.v2()
                .ok_or(Error::Token(TokenError::NoKey(local(Version::V2))))?,
            payload,
            f,
        )
        .map_err(crypto),
        Version::V4 => version4::LocalToken::encrypt(
            key.v4()
                .ok_or(Error::Token(TokenError::NoKey(local(Version::V4))))?,
            payload,
            f,
            i,
        )
        .map_err(crypto),
        Version::V3 => {
            let k = key
                .v3()
                .ok_or(Error::Token(TokenError::NoKey(local(Version::V3))))?;
            if payload.is_empty() {
                return Err(Error::Crypto(Cause::msg("empty payload")));
            }
            let body = v3_local::seal(k, payload, footer, implicit)?;
            Ok(assemble(
                Header::new(Version::V3, Purpose::Local),
                &body,
                footer,
            ))
        }
    }
}

fn local(version: Version) -> Header {
    Header::new(version, Purpose::Local)
}

fn sign(key: &SecretKey, payload: &[u8], footer: &[u8], implicit: &[u8]) -> Result<String> {
    check_implicit(key.version(), implicit)?;
    let (f, i) = (opt(footer), opt(implicit));
    let missing = || {
        Error::Token(TokenError::NoKey(Header::new(
            key.version(),
            Purpose::Public,
        )))
    };
    match key.version() {
        #[cfg(feature = "v1")]
        Version::V1 => {
            if payload.is_empty() {
                return Err(Error::Crypto(Cause::msg("empty payload")));
            }
            let body = v1_public::sign(key.v1().ok_or_else(missing)?, payload, footer)?;
            return Ok(assemble(
                Header::new(Version::V1, Purpose::Public),
                &body,
                footer,
            ));
        }
        Version::V2 => version2::PublicToken::sign(key.v2().ok_or_else(missing)?, payload, f),
        Version::V3 => version3::PublicToken::sign(key.v3().ok_or_else(missing)?, payload, f, i),
        Version::V4 => version4::PublicToken::sign(key.v4().ok_or_else(missing)?, payload, f, i),
    }
    .map_err(crypto)
}

/// Joins header, base64url body and (when non-empty) footer into a token string.
pub(crate) fn assemble(header: Header, body: &[u8], footer: &[u8]) -> String {
    let mut token = String::from(header.prefix());
    token.push_str(&b64_encode(body));
    if !footer.is_empty() {
        token.push('.');
        token.push_str(&b64_encode(footer));
    }
    token
}

#[cfg(test)]
mod tests;
