//! The keys of the targets: the official test vectors' (so the vectors' tokens are valid seeds),
//! fixed, so that a corpus file keeps meaning the same input from run to run.
//!
//! These keys are public knowledge: they protect nothing, and must never be used elsewhere.

use paseto_auth::Version;
use paseto_auth::key::{LocalKey, PublicKey, SecretKey};

/// The vectors' local key (v2, v3 and v4 alike), hex.
pub const LOCAL_HEX: &str = "707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f";
/// The vectors' Ed25519 secret key (v2 and v4: seed ‖ public key), hex.
pub const ED25519_SECRET_HEX: &str = "b4cbfb43df4ce210727d953e4a713307fa19bb7d9f85041438d9e11b942a37741eb9dbbbbc047c03fd70604e0071f0987e16b28b757225c11f00415d0e20b1a2";
/// The vectors' Ed25519 public key (v2 and v4), hex.
pub const ED25519_PUBLIC_HEX: &str =
    "1eb9dbbbbc047c03fd70604e0071f0987e16b28b757225c11f00415d0e20b1a2";
/// The vectors' P-384 secret scalar (v3), hex.
pub const P384_SECRET_HEX: &str = "20347609607477aca8fbfbc5e6218455f3199669792ef8b466faa87bdc67798144c848dd03661eed5ac62461340cea96";
/// The vectors' P-384 public key (v3, compressed), hex.
pub const P384_PUBLIC_HEX: &str = "02fbcb7c69ee1c60579be7a334134878d9c5c5bf35d552dab63c0140397ed14cef637d7720925c44699ea30e72874c72fb";

/// The versions whose keys the targets hold (v1 is a feature the targets leave off).
pub const VERSIONS: [Version; 3] = [Version::V4, Version::V3, Version::V2];

/// Bytes of a hex string (the constants above).
pub fn hex(text: &str) -> Vec<u8> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => panic!("not lowercase hex"),
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| digit(pair[0]) << 4 | digit(pair[1]))
        .collect()
}

/// The PASERK of raw key bytes: `kN.<kind>.` and their base64url.
pub fn paserk(version: Version, kind: &str, bytes: &[u8]) -> String {
    format!(
        "{}.{kind}.{}",
        version.paserk_prefix(),
        crate::b64_encode(bytes)
    )
}

/// The vectors' local key of `version`.
pub fn local(version: Version) -> LocalKey {
    LocalKey::from_paserk(&paserk(version, "local", &hex(LOCAL_HEX))).expect("the vectors' key")
}

/// The vectors' secret key of `version`.
pub fn secret(version: Version) -> SecretKey {
    let raw = match version {
        Version::V3 => P384_SECRET_HEX,
        _ => ED25519_SECRET_HEX,
    };
    SecretKey::from_paserk(&paserk(version, "secret", &hex(raw))).expect("the vectors' key")
}

/// The vectors' public key of `version` (the public half of [`secret`]).
pub fn public(version: Version) -> PublicKey {
    let raw = match version {
        Version::V3 => P384_PUBLIC_HEX,
        _ => ED25519_PUBLIC_HEX,
    };
    PublicKey::from_paserk(&paserk(version, "public", &hex(raw))).expect("the vectors' key")
}
