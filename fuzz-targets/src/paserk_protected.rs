//! `paserk_protected`: protected PASERK — wrapped (`kN.local-wrap.pie`, `kN.secret-wrap.pie`),
//! password-protected (`kN.local-pw`, `kN.secret-pw`) and sealed (`kN.seal`) — unlocked with the
//! targets' keys, and with small cost limits, so that no input makes the target slow: a PASERK
//! asking for more Argon2id memory or passes, or PBKDF2 iterations, is refused before any work.
//!
//! What must hold: what unlocks is a key of the PASERK's version, and the PASERK's data is the one
//! base64url spelling of its bytes; protected again with the same protector it unlocks to the same
//! key; a refusal is `invalid_key`, `unwrap_failed` or `password_cost`, and shows neither the
//! password nor the PASERK's data.

use paseto_auth::Version;
use paseto_auth::key::protected::{self, Protection, PwCost, PwLimits};
use paseto_auth::key::{Key, KeyId, LocalKey};

use crate::keys;

/// The password of the seeds (the official vectors').
pub const PASSWORD: &[u8] = b"correct horse battery staple";

/// What an input may make the target do: 64 KiB and 2 passes of Argon2id on one lane, 1 000
/// PBKDF2 iterations (the official k3 vectors' count).
pub const LIMITS: PwLimits = PwLimits {
    max_memory_kib: 64,
    max_time_cost: 2,
    max_parallelism: 1,
    max_pbkdf2_iterations: 1000,
};

/// The cost of wrapping again: the least that is allowed.
const COST: PwCost = PwCost {
    memory_kib: 8,
    time_cost: 1,
    parallelism: 1,
    pbkdf2_iterations: 1,
};

/// Runs one input: the PASERK, then (after a NUL) the password; an empty password is the seeds'.
pub fn run(data: &[u8]) {
    let [paserk, password] = crate::fields::<2>(data);
    let Ok(paserk) = std::str::from_utf8(paserk) else {
        return;
    };
    let password = if password.is_empty() {
        PASSWORD
    } else {
        password
    };
    let version = paserk
        .split('.')
        .next()
        .and_then(Version::from_paserk_prefix)
        .filter(|v| keys::VERSIONS.contains(v))
        .unwrap_or(Version::V4);
    let wrapping_key = keys::local(version);
    let secret_key = keys::secret(version);
    let wrapped = protected::unwrap_with_key(paserk, &wrapping_key);
    let unlocked = protected::unwrap_with_password(paserk, password, &LIMITS);
    let sealed = LocalKey::from_sealed_paserk(paserk, &secret_key).map(Key::Local);
    let data_part = paserk.rsplit('.').next().unwrap_or_default();
    for (how, result) in [
        ("wrapped", &wrapped),
        ("password", &unlocked),
        ("sealed", &sealed),
    ] {
        match result {
            Ok(key) => {
                assert_eq!(key.version(), version, "a {how} key of another version");
                assert!(
                    crate::is_canonical_b64(data_part),
                    "a {how} PASERK whose data is not canonical base64url unlocked: {paserk}"
                );
            }
            Err(err) => {
                let kind = crate::kind(err);
                assert!(
                    matches!(kind, "invalid_key" | "unwrap_failed" | "password_cost"),
                    "{how}: {kind}: {err}"
                );
                let message = err.to_string();
                crate::assert_not_shown(&message, data_part, "PASERK's data");
                if let Ok(password) = std::str::from_utf8(password) {
                    crate::assert_not_shown(&message, password, "password");
                }
            }
        }
    }
    let protection = Protection::of(paserk);
    if let Ok(key) = &wrapped {
        assert_eq!(protection, Some(Protection::Wrapped));
        // A key never wraps itself: only a PASERK made elsewhere could hold its wrapping key.
        if id(key) != *wrapping_key.id() {
            let again = protected::wrap_with_key(key, &wrapping_key).expect("wrapped again");
            let back = protected::unwrap_with_key(&again, &wrapping_key).expect("unwrapped again");
            assert_eq!(id(&back), id(key));
        }
    }
    if let Ok(key) = &unlocked {
        assert_eq!(protection, Some(Protection::Password));
        let again = protected::wrap_with_password(key, password, &COST).expect("wrapped again");
        let back =
            protected::unwrap_with_password(&again, password, &LIMITS).expect("unwrapped again");
        assert_eq!(id(&back), id(key));
    }
    if let Ok(Key::Local(key)) = &sealed {
        assert_eq!(protection, Some(Protection::Sealed));
        let again = key
            .to_sealed_paserk(secret_key.public_key())
            .expect("sealed again");
        let back = LocalKey::from_sealed_paserk(&again, &secret_key).expect("unsealed again");
        assert_eq!(back.id(), key.id());
    }
}

/// A key's PASERK id (`lid`, `sid` or `pid`).
fn id(key: &Key) -> KeyId {
    match key {
        Key::Local(k) => k.id().clone(),
        Key::Secret(k) => k.secret_id(),
        Key::Public(k) => k.id().clone(),
    }
}
