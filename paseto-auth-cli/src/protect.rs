//! `paseto-auth wrap | unwrap | seal | unseal`: protected PASERK (keys wrapped with a key or a
//! password, local keys sealed to a public key). Each prints the resulting PASERK.

use std::io::Read;

use paseto_auth::Error;
use paseto_auth::KeyError;
use paseto_auth::Version;
use paseto_auth::key::protected::{self, PwCost, PwLimits};
use paseto_auth::key::{Key, LocalKey, PublicKey, SecretKey};
use zeroize::Zeroizing;

/// The longest protected PASERK, key or password file read.
const MAX_INPUT_LEN: u64 = 64 * 1024;

/// What unwraps (or wraps): exactly one of the two.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub(crate) struct Protector {
    /// The wrapping key: a local key (kN.local.… PASERK, or @PATH) of the wrapped key's version.
    #[arg(long, allow_hyphen_values = true)]
    wrapping_key: Option<String>,
    /// A file holding the password (one trailing newline is not part of it).
    #[arg(long)]
    password_file: Option<String>,
}

/// `unwrap`'s arguments.
#[derive(clap::Args)]
pub(crate) struct UnwrapArgs {
    #[command(flatten)]
    protector: Protector,
    /// With --password-file: the most Argon2 memory the PASERK may ask for, in KiB.
    #[arg(long, conflicts_with = "wrapping_key", default_value_t = PwLimits::default().max_memory_kib)]
    max_memory_kib: u32,
    /// With --password-file: the most Argon2 passes.
    #[arg(long, conflicts_with = "wrapping_key", default_value_t = PwLimits::default().max_time_cost)]
    max_time_cost: u32,
    /// With --password-file: the most Argon2 lanes.
    #[arg(long, conflicts_with = "wrapping_key", default_value_t = PwLimits::default().max_parallelism)]
    max_parallelism: u32,
    /// With --password-file: the most PBKDF2 iterations (k3).
    #[arg(long, conflicts_with = "wrapping_key", default_value_t = PwLimits::default().max_pbkdf2_iterations)]
    max_pbkdf2_iterations: u32,
    /// The protected key (kN.local-wrap.pie.…, kN.secret-wrap.pie.…, kN.local-pw.…,
    /// kN.secret-pw.…), @PATH, or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    paserk: String,
}

/// `wrap`'s arguments.
#[derive(clap::Args)]
pub(crate) struct WrapArgs {
    #[command(flatten)]
    protector: Protector,
    /// With --password-file, k2/k4: Argon2id memory in KiB (default 65536, 64 MiB).
    #[arg(long, conflicts_with = "wrapping_key")]
    memory_kib: Option<u32>,
    /// With --password-file: Argon2id passes for k2/k4 (default 2), PBKDF2-SHA384 iterations
    /// for k3 (default 210000).
    #[arg(long, conflicts_with = "wrapping_key")]
    iterations: Option<u32>,
    /// With --password-file, k2/k4: Argon2id lanes (default 1).
    #[arg(long, conflicts_with = "wrapping_key")]
    parallelism: Option<u32>,
    /// PASETO version of a PEM Ed25519 key (v4 unless v2 is given).
    #[arg(long)]
    version: Option<Version>,
    /// The key to wrap: a local or secret key (PASERK, PEM, or @PATH).
    #[arg(allow_hyphen_values = true)]
    key: String,
}

/// `seal`'s arguments.
#[derive(clap::Args)]
pub(crate) struct SealArgs {
    /// The recipient: a public key, or a secret key whose public key is used (PASERK, PEM, or
    /// @PATH), of the local key's version.
    #[arg(long, allow_hyphen_values = true)]
    key: String,
    /// PASETO version of a PEM Ed25519 key (v4 unless v2 is given).
    #[arg(long)]
    version: Option<Version>,
    /// The local key to seal (kN.local.…, or @PATH).
    #[arg(allow_hyphen_values = true)]
    local_key: String,
}

/// `unseal`'s arguments.
#[derive(clap::Args)]
pub(crate) struct UnsealArgs {
    /// The secret key the PASERK was sealed to (PASERK, PEM, or @PATH).
    #[arg(long, allow_hyphen_values = true)]
    key: String,
    /// PASETO version of a PEM Ed25519 key (v4 unless v2 is given).
    #[arg(long)]
    version: Option<Version>,
    /// The sealed key (kN.seal.…), @PATH, or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    paserk: String,
}

/// Reads at most [`MAX_INPUT_LEN`] bytes of `what` from `reader`.
fn read_limited(mut reader: impl Read, what: &str) -> Result<Zeroizing<String>, Error> {
    let mut text = Zeroizing::new(String::new());
    reader
        .by_ref()
        .take(MAX_INPUT_LEN + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::Key(KeyError::InvalidKey(format!("{what}: {e}"))))?;
    if text.len() as u64 > MAX_INPUT_LEN {
        return Err(Error::Key(KeyError::InvalidKey(format!(
            "{what}: longer than {MAX_INPUT_LEN} bytes"
        ))));
    }
    Ok(text)
}

/// A PASERK argument: inline, @PATH, or - for standard input.
fn read_paserk(arg: &str) -> Result<Zeroizing<String>, Error> {
    let text = match (arg, arg.strip_prefix('@')) {
        ("-", _) => read_limited(std::io::stdin(), "standard input")?,
        (_, Some(path)) => {
            let file = std::fs::File::open(path)
                .map_err(|e| Error::Key(KeyError::InvalidKey(format!("{path}: {e}"))))?;
            read_limited(file, path)?
        }
        _ => Zeroizing::new(arg.to_owned()),
    };
    Ok(Zeroizing::new(text.trim().to_owned()))
}

/// The password in `path`, without one trailing newline (`\n` or `\r\n`); never empty.
fn read_password(path: &str) -> Result<Zeroizing<String>, Error> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Key(KeyError::InvalidKey(format!("{path}: {e}"))))?;
    let mut text = read_limited(file, path)?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    if text.is_empty() {
        return Err(Error::Key(KeyError::InvalidKey(format!(
            "{path}: the password is empty"
        ))));
    }
    Ok(text)
}

/// The wrapping key argument, which must be a local key.
fn wrapping_key(text: &str) -> Result<LocalKey, Error> {
    match crate::load_key(text, None)? {
        Key::Local(key) => Ok(key),
        other => Err(Error::Key(KeyError::InvalidKey(format!(
            "the wrapping key must be a local key (kN.local.…), not a {} key",
            other.describe()
        )))),
    }
}

/// `unwrap`: the key, as its plain PASERK.
pub(crate) fn unwrap(args: UnwrapArgs) -> Result<String, Error> {
    let paserk = read_paserk(&args.paserk)?;
    let key = match (&args.protector.wrapping_key, &args.protector.password_file) {
        (Some(wrapping), _) => protected::unwrap_with_key(&paserk, &wrapping_key(wrapping)?)?,
        (None, Some(path)) => {
            let limits = PwLimits {
                max_memory_kib: args.max_memory_kib,
                max_time_cost: args.max_time_cost,
                max_parallelism: args.max_parallelism,
                max_pbkdf2_iterations: args.max_pbkdf2_iterations,
            };
            let password = read_password(path)?;
            protected::unwrap_with_password(&paserk, password.as_bytes(), &limits)?
        }
        (None, None) => {
            return Err(Error::Key(KeyError::InvalidKey(
                "give --wrapping-key or --password-file".into(),
            )));
        }
    };
    Ok(match key {
        Key::Local(key) => key.to_paserk().to_string(),
        Key::Secret(key) => key.to_paserk().to_string(),
        Key::Public(key) => key.to_paserk(),
    })
}

/// The password costs of `args` for a key of `version`, from the defaults.
fn cost(args: &WrapArgs, version: Version) -> Result<PwCost, Error> {
    let mut cost = PwCost::default();
    match version {
        Version::V3 => {
            if args.memory_kib.is_some() || args.parallelism.is_some() {
                return Err(Error::Key(KeyError::PasswordCost(
                    "--memory-kib and --parallelism are Argon2id's (k2/k4); a k3 key is wrapped \
                     with PBKDF2-SHA384, whose cost is --iterations"
                        .into(),
                )));
            }
            cost.pbkdf2_iterations = args.iterations.unwrap_or(cost.pbkdf2_iterations);
        }
        _ => {
            cost.memory_kib = args.memory_kib.unwrap_or(cost.memory_kib);
            cost.time_cost = args.iterations.unwrap_or(cost.time_cost);
            cost.parallelism = args.parallelism.unwrap_or(cost.parallelism);
        }
    }
    Ok(cost)
}

/// `wrap`: the protected PASERK.
pub(crate) fn wrap(args: WrapArgs) -> Result<String, Error> {
    let key = crate::load_key(&args.key, args.version)?;
    match (&args.protector.wrapping_key, &args.protector.password_file) {
        (Some(wrapping), _) => protected::wrap_with_key(&key, &wrapping_key(wrapping)?),
        (None, Some(path)) => {
            let cost = cost(&args, key.version())?;
            let password = read_password(path)?;
            protected::wrap_with_password(&key, password.as_bytes(), &cost)
        }
        (None, None) => Err(Error::Key(KeyError::InvalidKey(
            "give --wrapping-key or --password-file".into(),
        ))),
    }
}

/// `seal`: the `kN.seal` PASERK.
pub(crate) fn seal(args: SealArgs) -> Result<String, Error> {
    let recipient: PublicKey = match crate::load_key(&args.key, args.version)? {
        Key::Public(key) => key,
        Key::Secret(key) => key.public_key().clone(),
        Key::Local(_) => {
            return Err(Error::Key(KeyError::InvalidKey(
                "--key must be the recipient's public (or secret) key, not a local key".into(),
            )));
        }
    };
    match crate::load_key(&args.local_key, None)? {
        Key::Local(key) => key.to_sealed_paserk(&recipient),
        other => Err(Error::Key(KeyError::InvalidKey(format!(
            "only local keys are sealed, not a {} key",
            other.describe()
        )))),
    }
}

/// `unseal`: the local key, as its plain PASERK.
pub(crate) fn unseal(args: UnsealArgs) -> Result<String, Error> {
    let secret: SecretKey = match crate::load_key(&args.key, args.version)? {
        Key::Secret(key) => key,
        other => {
            return Err(Error::Key(KeyError::InvalidKey(format!(
                "--key must be the secret key the PASERK was sealed to, not a {} key",
                other.describe()
            ))));
        }
    };
    let paserk = read_paserk(&args.paserk)?;
    Ok(LocalKey::from_sealed_paserk(&paserk, &secret)?
        .to_paserk()
        .to_string())
}
