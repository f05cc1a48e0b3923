//! `kN.local-pw` and `kN.secret-pw`: a key wrapped with a password (PASERK's PBKW,
//! `operations/PBKW.md`), and the costs it may take.
//!
//! - k2/k4: `k = Argon2id(pw, s, mem, time, para)` (32 bytes), `Ek = BLAKE2b-256(0xFF ‖ k)`,
//!   `Ak = BLAKE2b-256(0xFE ‖ k)`, `edk = XChaCha20(Ek, n, ptk)`,
//!   `t = BLAKE2b-256(key = Ak, h ‖ s ‖ mem ‖ time ‖ para ‖ n ‖ edk)`; the data is
//!   `s (16) ‖ mem (8, bytes) ‖ time (4) ‖ para (4) ‖ n (24) ‖ edk ‖ t (32)`, integers big-endian.
//! - k3: `k = PBKDF2-SHA384(pw, s, i)` (32 bytes), `Ek = SHA-384(0xFF ‖ k)[..32]`,
//!   `Ak = SHA-384(0xFE ‖ k)`, `edk = AES-256-CTR(Ek, n, ptk)`,
//!   `t = HMAC-SHA384(Ak, h ‖ s ‖ i ‖ n ‖ edk)`; the data is
//!   `s (32) ‖ i (4) ‖ n (16) ‖ edk ‖ t (48)`.
//!
//! The PASERK carries its costs, so whoever writes one chooses how much memory and time
//! unwrapping it takes: [`PwLimits`] are checked before any hashing.

use argon2::{Algorithm, Argon2, Params};
use sha2::Sha384;
use zeroize::Zeroizing;

use super::nist;
use super::primitives::{
    aes256ctr, blake2b_32, blake2b_mac_32, hmac_sha384, random, sha384, tags_match, xchacha20,
};
use super::{Held, Protection, RawKey, format, parse};
use crate::error::{Error, KeyError, Result};
use crate::key::{LocalKey, SecretKey};
use crate::version::Version;

/// The costs of wrapping a key with a password. `version` picks the ones that apply: Argon2id's
/// `memory_kib`, `time_cost` and `parallelism` for k2/k4, `pbkdf2_iterations` for k3.
///
/// The default is Argon2id with 64 MiB, 2 passes and one lane (libsodium's `INTERACTIVE`
/// setting, above OWASP's minimum of 19 MiB and 2 passes; about 0.1 s on the development
/// machine), and 210 000 iterations of PBKDF2-SHA384 (OWASP's figure for PBKDF2-HMAC-SHA512:
/// SHA-384 is SHA-512's compression function, truncated; about 0.65 s). Higher costs make a
/// stolen PASERK slower to guess and unwrapping it slower (once, when the key is loaded); keep
/// them within the unwrapper's [`PwLimits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PwCost {
    /// Argon2id memory, in KiB (at least 8 × `parallelism`).
    pub memory_kib: u32,
    /// Argon2id passes over the memory (at least 1).
    pub time_cost: u32,
    /// Argon2id lanes (at least 1).
    pub parallelism: u32,
    /// PBKDF2-SHA384 iterations (at least 1).
    pub pbkdf2_iterations: u32,
}

impl Default for PwCost {
    fn default() -> Self {
        PwCost {
            memory_kib: 64 * 1024,
            time_cost: 2,
            parallelism: 1,
            pbkdf2_iterations: 210_000,
        }
    }
}

/// The most work unwrapping a password-protected PASERK may take. A PASERK asking for more is
/// refused with [`KeyError::PasswordCost`] before anything is hashed, so a hostile one cannot make
/// a service allocate gigabytes or hash for hours while it loads its keys.
///
/// The defaults: Argon2id memory up to 256 MiB (libsodium's `MODERATE` setting, the largest the
/// official vectors use), up to 10 passes and 8 lanes, and up to 2 000 000 PBKDF2-SHA384
/// iterations (about 10 times the default cost). At these bounds one unwrap takes seconds, not
/// more (`paseto_auth::docs::key_sets`, "Protected keys", gives measured times). To open a PASERK wrapped at
/// higher costs, raise them: `PwLimits { max_memory_kib: 1 << 20, ..PwLimits::default() }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PwLimits {
    /// Most Argon2id memory, in KiB.
    pub max_memory_kib: u32,
    /// Most Argon2id passes.
    pub max_time_cost: u32,
    /// Most Argon2id lanes.
    pub max_parallelism: u32,
    /// Most PBKDF2-SHA384 iterations.
    pub max_pbkdf2_iterations: u32,
}

impl Default for PwLimits {
    fn default() -> Self {
        PwLimits {
            max_memory_kib: 256 * 1024,
            max_time_cost: 10,
            max_parallelism: 8,
            max_pbkdf2_iterations: 2_000_000,
        }
    }
}

/// Salt lengths: k2/k4 16 bytes, k3 32.
const ARGON2_SALT_LEN: usize = 16;
const PBKDF2_SALT_LEN: usize = 32;
/// Nonce lengths: XChaCha20 24 bytes, AES-CTR 16.
const XCHACHA_NONCE_LEN: usize = 24;
const CTR_NONCE_LEN: usize = 16;
/// Tag lengths: BLAKE2b-256 32 bytes, HMAC-SHA384 48.
const BLAKE2B_TAG_LEN: usize = 32;
const HMAC_TAG_LEN: usize = 48;
/// Length of the Argon2 parameters in the data: memory (8), time (4), parallelism (4).
const ARGON2_PARAMS_LEN: usize = 16;
/// Length of the PBKDF2 iteration count in the data.
const PBKDF2_PARAMS_LEN: usize = 4;

/// The costs a PASERK carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Costs {
    /// k2/k4. `memory` is in bytes, as written (libsodium's `memlimit`).
    Argon2 { memory: u64, time: u32, para: u32 },
    /// k3.
    Pbkdf2 { iterations: u32 },
}

impl Costs {
    /// The costs of `cost` that apply to `version`, checked against what the algorithm takes.
    fn for_wrapping(version: Version, cost: &PwCost) -> Result<Costs> {
        let costs = match version {
            nist!() => Costs::Pbkdf2 {
                iterations: cost.pbkdf2_iterations,
            },
            Version::V2 | Version::V4 => Costs::Argon2 {
                memory: u64::from(cost.memory_kib) * 1024,
                time: cost.time_cost,
                para: cost.parallelism,
            },
        };
        costs.kdf()?;
        Ok(costs)
    }

    /// The parameters as the data carries them.
    fn encode(self) -> Vec<u8> {
        match self {
            Costs::Argon2 { memory, time, para } => [
                memory.to_be_bytes().as_slice(),
                &time.to_be_bytes(),
                &para.to_be_bytes(),
            ]
            .concat(),
            Costs::Pbkdf2 { iterations } => iterations.to_be_bytes().to_vec(),
        }
    }

    /// Refuses costs over `limits`, naming the first one that is over.
    fn check(self, limits: &PwLimits) -> Result<()> {
        let over = |what: &str, value: u64, limit: u32, unit: &str| {
            Err(Error::Key(KeyError::PasswordCost(format!(
                "the PASERK asks for {what} {value}{unit}, over the limit of {limit}{unit}"
            ))))
        };
        match self {
            Costs::Argon2 { memory, time, para } => {
                let kib = memory / 1024;
                if kib > u64::from(limits.max_memory_kib) {
                    return over("Argon2 memory", kib, limits.max_memory_kib, " KiB");
                }
                if time > limits.max_time_cost {
                    return over("Argon2 time cost", time.into(), limits.max_time_cost, "");
                }
                if para > limits.max_parallelism {
                    return over(
                        "Argon2 parallelism",
                        para.into(),
                        limits.max_parallelism,
                        "",
                    );
                }
            }
            Costs::Pbkdf2 { iterations } => {
                if iterations > limits.max_pbkdf2_iterations {
                    return over(
                        "PBKDF2 iterations",
                        iterations.into(),
                        limits.max_pbkdf2_iterations,
                        "",
                    );
                }
            }
        }
        Ok(())
    }

    /// The key-derivation function of these costs, refusing costs the algorithm does not take.
    fn kdf(self) -> Result<Kdf> {
        match self {
            Costs::Argon2 { memory, time, para } => {
                // Memory in bytes, as libsodium takes it: whole KiB are used.
                let kib = u32::try_from(memory / 1024).map_err(|_| {
                    Error::Key(KeyError::PasswordCost(format!(
                        "Argon2 memory of {memory} bytes is too large"
                    )))
                })?;
                let params = Params::new(kib, time, para, Some(32)).map_err(|e| {
                    Error::Key(KeyError::PasswordCost(format!(
                        "Argon2 refuses memory {kib} KiB, time cost {time}, parallelism {para}: {e}"
                    )))
                })?;
                Ok(Kdf::Argon2(params))
            }
            Costs::Pbkdf2 { iterations: 0 } => Err(Error::Key(KeyError::PasswordCost(
                "PBKDF2 needs at least 1 iteration".into(),
            ))),
            Costs::Pbkdf2 { iterations } => Ok(Kdf::Pbkdf2(iterations)),
        }
    }
}

/// A key-derivation function with its costs, ready to run.
enum Kdf {
    Argon2(Params),
    Pbkdf2(u32),
}

impl Kdf {
    /// The 32-byte pre-key `k` of `password` and `salt`.
    fn derive(&self, password: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let mut k = Zeroizing::new([0u8; 32]);
        match self {
            Kdf::Argon2(params) => {
                Argon2::new(Algorithm::Argon2id, argon2::Version::V0x13, params.clone())
                    .hash_password_into(password, salt, k.as_mut_slice())
                    .map_err(|e| {
                        Error::Key(KeyError::PasswordCost(format!("Argon2 failed: {e}")))
                    })?;
            }
            Kdf::Pbkdf2(iterations) => {
                pbkdf2::pbkdf2_hmac::<Sha384>(password, salt, *iterations, k.as_mut_slice());
            }
        }
        Ok(k)
    }
}

/// The encryption and authentication keys of the pre-key `k`.
struct Keys {
    encryption: Zeroizing<[u8; 32]>,
    auth: Zeroizing<Vec<u8>>,
}

impl Keys {
    fn derive(version: Version, k: &[u8; 32]) -> Keys {
        match version {
            nist!() => {
                let ek = sha384(&[&[0xFF], k]);
                let mut encryption = Zeroizing::new([0u8; 32]);
                encryption.copy_from_slice(&ek[..32]);
                Keys {
                    encryption,
                    auth: Zeroizing::new(sha384(&[&[0xFE], k]).to_vec()),
                }
            }
            Version::V2 | Version::V4 => Keys {
                encryption: blake2b_32(&[&[0xFF], k]),
                auth: Zeroizing::new(blake2b_32(&[&[0xFE], k]).to_vec()),
            },
        }
    }

    /// En- or decrypts `buf` in place with nonce `n`.
    fn apply(&self, version: Version, nonce: &[u8], buf: &mut [u8]) -> Result<()> {
        match version {
            nist!() => aes256ctr(self.encryption.as_slice(), nonce, buf),
            Version::V2 | Version::V4 => xchacha20(self.encryption.as_slice(), nonce, buf),
        }
    }

    /// The tag over the header and everything in the data before it.
    fn tag(&self, version: Version, header: &str, before: &[u8]) -> Result<Vec<u8>> {
        let parts: [&[u8]; 2] = [header.as_bytes(), before];
        Ok(match version {
            nist!() => hmac_sha384(&self.auth, &parts)?.to_vec(),
            Version::V2 | Version::V4 => blake2b_mac_32(&self.auth, &parts)?.to_vec(),
        })
    }
}

/// The lengths of the data's fixed parts in `version`: salt, parameters, nonce, tag.
fn layout(version: Version) -> (usize, usize, usize, usize) {
    match version {
        nist!() => (
            PBKDF2_SALT_LEN,
            PBKDF2_PARAMS_LEN,
            CTR_NONCE_LEN,
            HMAC_TAG_LEN,
        ),
        Version::V2 | Version::V4 => (
            ARGON2_SALT_LEN,
            ARGON2_PARAMS_LEN,
            XCHACHA_NONCE_LEN,
            BLAKE2B_TAG_LEN,
        ),
    }
}

/// Wraps the raw key `ptk` with `password` at `costs`, with the given salt and nonce (of the
/// version's lengths); gives the PASERK text.
fn wrap_with(
    version: Version,
    held: Held,
    password: &[u8],
    ptk: &[u8],
    costs: Costs,
    salt: &[u8],
    nonce: &[u8],
) -> Result<String> {
    let header = held.header(version, Protection::Password, ptk)?;
    let k = costs.kdf()?.derive(password, salt)?;
    let keys = Keys::derive(version, &k);
    let mut data = Zeroizing::new(Vec::new());
    data.extend_from_slice(salt);
    data.extend_from_slice(&costs.encode());
    data.extend_from_slice(nonce);
    let start = data.len();
    data.extend_from_slice(ptk);
    let encrypted = data
        .get_mut(start..)
        .ok_or_else(|| Error::Key(KeyError::InvalidKey("wrap buffer".into())))?;
    keys.apply(version, nonce, encrypted)?;
    let tag = keys.tag(version, &header, &data)?;
    data.extend_from_slice(&tag);
    Ok(format(&header, &data))
}

/// Wraps with a fresh random salt and nonce.
fn wrap(
    version: Version,
    held: Held,
    password: &[u8],
    ptk: &[u8],
    cost: &PwCost,
) -> Result<String> {
    if password.is_empty() {
        return Err(Error::Key(KeyError::InvalidKey(
            "the password is empty".into(),
        )));
    }
    let costs = Costs::for_wrapping(version, cost)?;
    let salt: [u8; PBKDF2_SALT_LEN] = random()?;
    let nonce: [u8; XCHACHA_NONCE_LEN] = random()?;
    let (salt_len, _, nonce_len, _) = layout(version);
    wrap_with(
        version,
        held,
        password,
        ptk,
        costs,
        &salt[..salt_len],
        &nonce[..nonce_len],
    )
}

/// Unwraps a PASERK of one of the kinds `held` (of version `expected` when given) with
/// `password`: parses it, holds its costs to `limits`, then derives, checks the tag (in constant
/// time) and decrypts. Gives the version, the kind and the raw key.
pub(super) fn unwrap(
    paserk: &str,
    held: &[Held],
    expected: Option<Version>,
    password: &[u8],
    limits: &PwLimits,
) -> Result<(Version, Held, RawKey)> {
    let parsed = parse(paserk, Protection::Password, held, expected)?;
    let version = parsed.version;
    let (salt_len, params_len, nonce_len, tag_len) = layout(version);
    let key_len = parsed.held.key_len(version);
    parsed.require_len(salt_len + params_len + nonce_len + key_len + tag_len)?;
    let (before, tag) = parsed.data.split_at(parsed.data.len() - tag_len);
    let (salt, rest) = before.split_at(salt_len);
    let (params, rest) = rest.split_at(params_len);
    let (nonce, edk) = rest.split_at(nonce_len);
    let costs = decode_costs(version, params)?;
    costs.check(limits)?;
    let kdf = costs.kdf()?;
    let k = kdf.derive(password, salt)?;
    let keys = Keys::derive(version, &k);
    let expected_tag = keys.tag(version, &parsed.header, before)?;
    if !tags_match(&expected_tag, tag) {
        return Err(Error::Key(KeyError::UnwrapFailed("the password is wrong")));
    }
    let mut ptk = Zeroizing::new(edk.to_vec());
    keys.apply(version, nonce, &mut ptk)?;
    Ok((version, parsed.held, ptk))
}

/// The costs in a PASERK's parameter bytes (whose length `layout` fixed).
fn decode_costs(version: Version, params: &[u8]) -> Result<Costs> {
    let be32 = |at: usize| {
        params
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
    };
    let costs = match version {
        nist!() => be32(0).map(|iterations| Costs::Pbkdf2 { iterations }),
        Version::V2 | Version::V4 => {
            let memory = params
                .get(..8)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_be_bytes);
            match (memory, be32(8), be32(12)) {
                (Some(memory), Some(time), Some(para)) => {
                    Some(Costs::Argon2 { memory, time, para })
                }
                _ => None,
            }
        }
    };
    costs.ok_or_else(|| {
        Error::Key(KeyError::InvalidKey(
            "the PASERK's cost parameters are cut short".into(),
        ))
    })
}

impl LocalKey {
    /// This key wrapped with `password` at `cost` (see [`PwCost`]), as a `kN.local-pw.…` PASERK:
    /// Argon2id for k2/k4, PBKDF2-SHA384 for k3, with a fresh salt. It opens with
    /// [`LocalKey::from_password_paserk`].
    pub fn to_password_paserk(&self, password: &[u8], cost: &PwCost) -> Result<String> {
        wrap(
            self.version(),
            Held::Local,
            password,
            super::local_bytes(self)?,
            cost,
        )
    }

    /// Unwraps a `kN.local-pw.…` PASERK with `password`. Its costs are held to `limits`
    /// first ([`KeyError::PasswordCost`]); a wrong password or an altered PASERK is
    /// [`KeyError::UnwrapFailed`]; another PASERK type or malformed data is
    /// [`KeyError::InvalidKey`].
    pub fn from_password_paserk(
        paserk: &str,
        password: &[u8],
        limits: &PwLimits,
    ) -> Result<LocalKey> {
        let (version, _, bytes) = unwrap(paserk, &[Held::Local], None, password, limits)?;
        LocalKey::from_bytes(version, &bytes)
    }
}

impl SecretKey {
    /// This key wrapped with `password` at `cost`, as a `kN.secret-pw.…` PASERK; it opens with
    /// [`SecretKey::from_password_paserk`].
    pub fn to_password_paserk(&self, password: &[u8], cost: &PwCost) -> Result<String> {
        wrap(
            self.version(),
            Held::Secret,
            password,
            super::secret_bytes(self)?,
            cost,
        )
    }

    /// Unwraps a `kN.secret-pw.…` PASERK with `password`, with the errors of
    /// [`LocalKey::from_password_paserk`].
    pub fn from_password_paserk(
        paserk: &str,
        password: &[u8],
        limits: &PwLimits,
    ) -> Result<SecretKey> {
        let (version, _, bytes) = unwrap(paserk, &[Held::Secret], None, password, limits)?;
        SecretKey::from_bytes(version, &bytes)
    }
}

/// Wraps with a given salt and nonce: the official vectors' tests rebuild their PASERKs.
#[cfg(test)]
pub(super) fn wrap_for_vectors(
    version: Version,
    held: Held,
    password: &[u8],
    ptk: &[u8],
    data: &[u8],
) -> Result<String> {
    let (salt_len, params_len, nonce_len, _) = layout(version);
    let salt = &data[..salt_len];
    let costs = decode_costs(version, &data[salt_len..salt_len + params_len])?;
    let nonce = &data[salt_len + params_len..salt_len + params_len + nonce_len];
    wrap_with(version, held, password, ptk, costs, salt, nonce)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::ErrorKind;

    /// Costs small enough for quick tests.
    const QUICK: PwCost = PwCost {
        memory_kib: 64,
        time_cost: 1,
        parallelism: 1,
        pbkdf2_iterations: 1000,
    };

    const PASSWORD: &[u8] = b"correct horse battery staple";

    #[test]
    fn every_version_round_trips_and_refuses_other_passwords() {
        for version in Version::ALL {
            let key = LocalKey::generate(version).unwrap();
            let secret = SecretKey::generate(version).unwrap();
            let locked = key.to_password_paserk(PASSWORD, &QUICK).unwrap();
            assert!(locked.starts_with(&format!("{}.local-pw.", version.paserk_prefix())));
            let again =
                LocalKey::from_password_paserk(&locked, PASSWORD, &PwLimits::default()).unwrap();
            assert_eq!(again.to_paserk(), key.to_paserk());
            assert_ne!(key.to_password_paserk(PASSWORD, &QUICK).unwrap(), locked);

            let locked_secret = secret.to_password_paserk(PASSWORD, &QUICK).unwrap();
            let again =
                SecretKey::from_password_paserk(&locked_secret, PASSWORD, &PwLimits::default())
                    .unwrap();
            assert_eq!(again.to_paserk(), secret.to_paserk());

            let err = LocalKey::from_password_paserk(
                &locked,
                b"Correct horse battery staple",
                &PwLimits::default(),
            )
            .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UNWRAP_FAILED);
            assert_eq!(
                err.to_string(),
                "the key cannot be unwrapped: the password is wrong, or the PASERK was altered"
            );
            let err = SecretKey::from_password_paserk(&locked, PASSWORD, &PwLimits::default())
                .unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid key: expected a {}.secret-pw PASERK",
                    version.paserk_prefix()
                )
            );
        }
    }

    #[test]
    fn the_costs_are_written_as_given() {
        let key = LocalKey::generate(Version::V4).unwrap();
        let cost = PwCost {
            memory_kib: 256,
            time_cost: 3,
            parallelism: 2,
            ..QUICK
        };
        let locked = key.to_password_paserk(PASSWORD, &cost).unwrap();
        let data = crate::key::b64_decode(locked.strip_prefix("k4.local-pw.").unwrap()).unwrap();
        assert_eq!(
            decode_costs(Version::V4, &data[16..32]).unwrap(),
            Costs::Argon2 {
                memory: 256 * 1024,
                time: 3,
                para: 2
            }
        );
        let key = LocalKey::generate(Version::V3).unwrap();
        let locked = key
            .to_password_paserk(
                PASSWORD,
                &PwCost {
                    pbkdf2_iterations: 4321,
                    ..QUICK
                },
            )
            .unwrap();
        let data = crate::key::b64_decode(locked.strip_prefix("k3.local-pw.").unwrap()).unwrap();
        assert_eq!(&data[32..36], 4321u32.to_be_bytes().as_slice());
        assert_eq!(PwCost::default().memory_kib, 65536);
        assert_eq!(PwLimits::default().max_memory_kib, 262_144);
    }

    #[test]
    fn costs_the_algorithm_refuses_are_refused_when_wrapping() {
        let key = LocalKey::generate(Version::V4).unwrap();
        for (cost, message) in [
            (
                PwCost {
                    memory_kib: 4,
                    ..QUICK
                },
                "password hashing cost refused: Argon2 refuses memory 4 KiB, time cost 1, parallelism 1: memory cost is too small",
            ),
            (
                PwCost {
                    time_cost: 0,
                    ..QUICK
                },
                "password hashing cost refused: Argon2 refuses memory 64 KiB, time cost 0, parallelism 1: time cost is too small",
            ),
            (
                PwCost {
                    parallelism: 0,
                    ..QUICK
                },
                "password hashing cost refused: Argon2 refuses memory 64 KiB, time cost 1, parallelism 0: not enough threads",
            ),
        ] {
            let err = key.to_password_paserk(PASSWORD, &cost).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PASSWORD_COST);
            assert_eq!(err.to_string(), message);
        }
        let v3 = LocalKey::generate(Version::V3).unwrap();
        let err = v3
            .to_password_paserk(
                PASSWORD,
                &PwCost {
                    pbkdf2_iterations: 0,
                    ..QUICK
                },
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "password hashing cost refused: PBKDF2 needs at least 1 iteration"
        );
        let err = v3.to_password_paserk(b"", &QUICK).unwrap_err();
        assert_eq!(err.to_string(), "invalid key: the password is empty");
    }

    /// A PASERK of `version` holding a local key, with the given parameter bytes and the rest
    /// random: what a hostile writer controls.
    fn forged(version: Version, params: &[u8]) -> String {
        let (salt_len, _, nonce_len, tag_len) = layout(version);
        let mut data = vec![7u8; salt_len];
        data.extend_from_slice(params);
        data.extend_from_slice(&vec![9u8; nonce_len + 32 + tag_len]);
        format!(
            "{}.local-pw.{}",
            version.paserk_prefix(),
            crate::key::b64_encode(&data)
        )
    }

    fn argon2_params(memory: u64, time: u32, para: u32) -> Vec<u8> {
        Costs::Argon2 { memory, time, para }.encode()
    }

    #[test]
    fn hostile_costs_are_refused_before_any_work() {
        let limits = PwLimits::default();
        let cases = [
            (
                forged(Version::V4, &argon2_params(u64::MAX, 1, 1)),
                "password hashing cost refused: the PASERK asks for Argon2 memory 18014398509481983 KiB, over the limit of 262144 KiB",
            ),
            (
                forged(Version::V2, &argon2_params(4 << 30, 1, 1)),
                "password hashing cost refused: the PASERK asks for Argon2 memory 4194304 KiB, over the limit of 262144 KiB",
            ),
            (
                forged(Version::V4, &argon2_params(64 << 20, u32::MAX, 1)),
                "password hashing cost refused: the PASERK asks for Argon2 time cost 4294967295, over the limit of 10",
            ),
            (
                forged(Version::V4, &argon2_params(64 << 20, 2, 0xFF_FFFF)),
                "password hashing cost refused: the PASERK asks for Argon2 parallelism 16777215, over the limit of 8",
            ),
            (
                forged(Version::V3, &u32::MAX.to_be_bytes()),
                "password hashing cost refused: the PASERK asks for PBKDF2 iterations 4294967295, over the limit of 2000000",
            ),
            // Within the limits, but not costs Argon2 or PBKDF2 take.
            (
                forged(Version::V4, &argon2_params(1024, 1, 1)),
                "password hashing cost refused: Argon2 refuses memory 1 KiB, time cost 1, parallelism 1: memory cost is too small",
            ),
            (
                forged(Version::V4, &argon2_params(64 << 10, 0, 1)),
                "password hashing cost refused: Argon2 refuses memory 64 KiB, time cost 0, parallelism 1: time cost is too small",
            ),
            (
                forged(Version::V4, &argon2_params(64 << 10, 1, 0)),
                "password hashing cost refused: Argon2 refuses memory 64 KiB, time cost 1, parallelism 0: not enough threads",
            ),
            (
                forged(Version::V4, &argon2_params(16 << 10, 1, 8)),
                "password hashing cost refused: Argon2 refuses memory 16 KiB, time cost 1, parallelism 8: memory cost is too small",
            ),
            (
                forged(Version::V3, &0u32.to_be_bytes()),
                "password hashing cost refused: PBKDF2 needs at least 1 iteration",
            ),
        ];
        let started = Instant::now();
        for (paserk, message) in cases {
            let err = LocalKey::from_password_paserk(&paserk, PASSWORD, &limits).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PASSWORD_COST, "{paserk}");
            assert_eq!(err.to_string(), message);
        }
        // No hashing happened: ten refusals take far less than one default unwrap.
        assert!(
            started.elapsed() < Duration::from_millis(100),
            "{:?}",
            started.elapsed()
        );
        // Raised limits let a PASERK through to the hash (here: the wrong password).
        let raised = PwLimits {
            max_pbkdf2_iterations: u32::MAX,
            ..limits
        };
        let paserk = forged(Version::V3, &10u32.to_be_bytes());
        assert_eq!(
            LocalKey::from_password_paserk(&paserk, PASSWORD, &raised)
                .unwrap_err()
                .kind(),
            ErrorKind::UNWRAP_FAILED
        );
        let low = PwLimits {
            max_pbkdf2_iterations: 9,
            ..limits
        };
        assert_eq!(
            LocalKey::from_password_paserk(&paserk, PASSWORD, &low)
                .unwrap_err()
                .to_string(),
            "password hashing cost refused: the PASERK asks for PBKDF2 iterations 10, over the limit of 9"
        );
    }

    #[test]
    fn malformed_paserks_are_invalid_keys() {
        let key = LocalKey::generate(Version::V4).unwrap();
        let locked = key.to_password_paserk(PASSWORD, &QUICK).unwrap();
        let data = locked.strip_prefix("k4.local-pw.").unwrap();
        for (paserk, message) in [
            (
                format!("k4.local-pw.{}", &data[..data.len() - 4]),
                "invalid key: the data of a k4.local-pw.… PASERK is 120 bytes, got 117",
            ),
            (
                format!("k4.local-pw.{}", &data[..20]),
                "invalid key: the data of a k4.local-pw.… PASERK is 120 bytes, got 15",
            ),
            (
                format!("k4.local-pw.{data}!"),
                "invalid key: the data of a k4.local-pw PASERK is not unpadded base64url",
            ),
            (
                format!("k4.local-wrap.pie.{data}"),
                "invalid key: expected a k4.local-pw PASERK",
            ),
            (
                format!("k9.local-pw.{data}"),
                "invalid key: expected a k2, k3 or k4 local-pw PASERK (other versions are not supported)",
            ),
        ] {
            let err = LocalKey::from_password_paserk(&paserk, PASSWORD, &PwLimits::default())
                .unwrap_err();
            assert_eq!(err.to_string(), message, "{paserk}");
            let shown = format!("{err:?}");
            assert!(
                !shown.contains("horse") && !shown.contains(&data[..16]),
                "{shown}"
            );
        }
        // A k3 PASERK is not cut where a k4 one would be.
        let v3 = LocalKey::generate(Version::V3).unwrap();
        let locked = v3.to_password_paserk(PASSWORD, &QUICK).unwrap();
        let short = &locked[..locked.len() - 1];
        let err =
            LocalKey::from_password_paserk(short, PASSWORD, &PwLimits::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::INVALID_KEY);
    }
}
