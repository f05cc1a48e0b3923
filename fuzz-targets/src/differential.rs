//! `differential`: our codecs and [`Verifier`] against pasetors, on mutated tokens and keys, for
//! `v4.public`, `v4.local`, `v3.public` and `v2.public` (coverage-guided, where the core's
//! `token::differential` test mutates at random).
//!
//! What must hold: what we open, pasetors opens to the same payload; what pasetors opens, we open
//! too, unless the text is not the one spelling of what it holds (we refuse non-canonical
//! base64url and an empty footer segment; pasetors reads them) or the key is one we refuse (one
//! repeated byte, not a point of the curve: refused before any token); our verifier accepts only
//! what pasetors opens, with the payload's claims, and never calls a signature or tag bad that
//! pasetors accepts.
//!
//! Input: a byte (the kind: bits 0-1; bit 2: the key is the input's, not the vectors'), then
//! NUL-separated: the key's bytes in base64url (as in a PASERK), the token, the implicit
//! assertion.

use paseto_auth::key::{LocalKey, PublicKey, VerificationKey};
use paseto_auth::token::UntrustedToken;
use paseto_auth::{Header, Purpose, Requirements, Verifier, Version};
use pasetors::keys::{AsymmetricPublicKey, SymmetricKey};
use pasetors::token::UntrustedToken as TheirToken;
use pasetors::version2::V2;
use pasetors::version3::V3;
use pasetors::version4::V4;
use pasetors::{Local, Public};
use serde_json::Value;

use crate::keys;

/// The kinds compared.
pub const KINDS: [Header; 4] = [
    Header::new(Version::V4, Purpose::Public),
    Header::new(Version::V4, Purpose::Local),
    Header::new(Version::V3, Purpose::Public),
    Header::new(Version::V2, Purpose::Public),
];

/// The vectors' raw key of `kind` (what the token was made with).
pub fn vector_key(kind: Header) -> Vec<u8> {
    keys::hex(match (kind.version, kind.purpose) {
        (_, Purpose::Local) => keys::LOCAL_HEX,
        (Version::V3, _) => keys::P384_PUBLIC_HEX,
        _ => keys::ED25519_PUBLIC_HEX,
    })
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind = KINDS[usize::from(pick & 3)];
    let [key, token, implicit] = crate::fields::<3>(rest);
    let key = if pick & 4 != 0 {
        // Base64url, so that a key's bytes never hold the NUL that separates the fields.
        match std::str::from_utf8(key).ok().and_then(crate::b64_decode) {
            Some(key) => key,
            None => return,
        }
    } else {
        vector_key(kind)
    };
    let Ok(text) = std::str::from_utf8(token) else {
        return;
    };
    // v2 binds no implicit assertion: we refuse one, pasetors has no place for it.
    let implicit = if kind.version == Version::V2 {
        &[][..]
    } else {
        implicit
    };
    let theirs = theirs(kind, &key, text, implicit);
    let ours_key = match kind.purpose {
        Purpose::Local => LocalKey::from_paserk(&keys::paserk(kind.version, "local", &key))
            .map(VerificationKey::Local),
        Purpose::Public => PublicKey::from_paserk(&keys::paserk(kind.version, "public", &key))
            .map(VerificationKey::Public),
    };
    let Ok(ours_key) = ours_key else {
        // A key we refuse (wrong length, one repeated byte, not a point): refused before any
        // token, whatever pasetors would make of it.
        return;
    };
    let parsed = UntrustedToken::parse(text, usize::MAX);
    let ours: Result<Vec<u8>, String> = match &parsed {
        Ok(token) => token
            .open(&ours_key, implicit)
            .map(|payload| payload.to_vec())
            .map_err(|err| err.to_string()),
        Err(err) => Err(err.to_string()),
    };
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "opened to another payload: {text}"),
        (Ok(_), Err(why)) => panic!("we opened what pasetors refuses ({why}): {text}"),
        (Err(err), Ok(_)) => {
            assert!(
                parsed.is_err() && canonical(kind, text).as_deref() != Some(text),
                "pasetors opened what we refuse ({err}): {text}"
            );
        }
        (Err(_), Err(_)) => {}
    }
    // The verifier: no time checks, no issuer binding, so that only the token decides.
    let verifier = Verifier::builder()
        .versions([kind.version])
        .skip_time_checks(true)
        .allow_no_expiration(true)
        .implicit_assertion(implicit.to_vec())
        .cache_size(0);
    let verifier = match ours_key {
        VerificationKey::Local(key) => verifier.local_key(key, None),
        VerificationKey::Public(key) => verifier.unbound_public_key(key),
    };
    let verifier = verifier.build().expect("a verifier");
    match verifier.verify_untyped(text, &Requirements::new()) {
        Ok(verified) => {
            let payload = theirs.as_ref().expect("we verified what pasetors refuses");
            let expected: Value = serde_json::from_slice(payload).expect("JSON");
            assert_eq!(Value::Object(verified.claims), expected);
        }
        Err(err) if crate::kind(&err) == "invalid_signature" => {
            assert!(
                theirs.is_err(),
                "we called a token pasetors opens forged ({err}): {text}"
            );
        }
        Err(_) => {}
    }
}

/// pasetors' decision on `text` with the raw `key`: the payload, or why not.
fn theirs(kind: Header, key: &[u8], text: &str, implicit: &[u8]) -> Result<Vec<u8>, String> {
    let why = |err: pasetors::errors::Error| format!("{err:?}");
    let implicit = Some(implicit);
    let trusted = match (kind.version, kind.purpose) {
        (Version::V4, Purpose::Public) => {
            let key = AsymmetricPublicKey::<V4>::from(key).map_err(why)?;
            let token = TheirToken::<Public, V4>::try_from(text).map_err(why)?;
            pasetors::version4::PublicToken::verify(&key, &token, None, implicit)
        }
        (Version::V4, Purpose::Local) => {
            let key = SymmetricKey::<V4>::from(key).map_err(why)?;
            let token = TheirToken::<Local, V4>::try_from(text).map_err(why)?;
            pasetors::version4::LocalToken::decrypt(&key, &token, None, implicit)
        }
        (Version::V3, Purpose::Public) => {
            let key = AsymmetricPublicKey::<V3>::from(key).map_err(why)?;
            let token = TheirToken::<Public, V3>::try_from(text).map_err(why)?;
            pasetors::version3::PublicToken::verify(&key, &token, None, implicit)
        }
        (Version::V2, Purpose::Public) => {
            let key = AsymmetricPublicKey::<V2>::from(key).map_err(why)?;
            let token = TheirToken::<Public, V2>::try_from(text).map_err(why)?;
            pasetors::version2::PublicToken::verify(&key, &token, None)
        }
        _ => unreachable!("not a compared kind"),
    };
    trusted
        .map(|trusted| trusted.payload().as_bytes().to_vec())
        .map_err(why)
}

/// The one spelling of what pasetors reads in `text`: header, canonical base64url body, and the
/// footer when there is one.
fn canonical(kind: Header, text: &str) -> Option<String> {
    // pasetors seals its purpose and version traits: each arm names its concrete types.
    macro_rules! parts {
        ($purpose:ty, $version:ty) => {{
            let token = TheirToken::<$purpose, $version>::try_from(text).ok()?;
            (
                token.untrusted_message().to_vec(),
                token.untrusted_footer().to_vec(),
            )
        }};
    }
    let (message, footer) = match (kind.version, kind.purpose) {
        (Version::V4, Purpose::Public) => parts!(Public, V4),
        (Version::V4, Purpose::Local) => parts!(Local, V4),
        (Version::V3, Purpose::Public) => parts!(Public, V3),
        (Version::V2, Purpose::Public) => parts!(Public, V2),
        _ => return None,
    };
    let mut out = format!("{}{}", kind.prefix(), crate::b64_encode(&message));
    if !footer.is_empty() {
        out.push('.');
        out.push_str(&crate::b64_encode(&footer));
    }
    Some(out)
}
