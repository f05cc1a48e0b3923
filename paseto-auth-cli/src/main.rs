//! `paseto-auth`: mint keys, issue, verify and inspect tokens, protect keys (wrap, seal) and
//! keep key-set documents (keyset) from the command line.

mod keyset;
mod protect;
mod revoke;

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use paseto_auth::key::{Key, LocalKey, SecretKey, SigningKey};
use paseto_auth::token::{DEFAULT_MAX_TOKEN_LEN, Footer, FooterLimits, UntrustedToken};
use paseto_auth::{DEFAULT_ACCESS_LIFETIME, DEFAULT_REFRESH_LIFETIME};
use paseto_auth::{
    Error, Header, Issuer, IssuerBuilder, PairOptions, Purpose, Requirements, TokenOptions,
    Verifier, Version,
};
use paseto_auth::{KeyError, TokenError};
use serde_json::{Value, json};

/// Mint PASETO keys, issue and verify tokens, and look inside them.
#[derive(Parser)]
#[command(name = "paseto-auth", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a key: prints {"secret","public","sid","pid"} or {"local","lid"} (PASERK).
    Keygen {
        /// v4.public, v4.local, v3.public, v3.local, v2.public or v2.local (v1.public, v1.local
        /// with the `v1` feature).
        kind: Header,
    },
    /// Describe a key: prints {"version","purpose","paserk","id"} (+ "public" for a secret key).
    Key {
        /// PASERK, PEM text, or @PATH to read either from a file.
        #[arg(allow_hyphen_values = true)]
        key: String,
        /// PASETO version of a PEM Ed25519 key (v4 unless v2 is given).
        #[arg(long)]
        version: Option<Version>,
    },
    /// Issue a token with a secret (public token) or local (local token) key; prints the token.
    Issue(IssueArgs),
    /// Verify a token; prints its payload on success, "error: <kind>: <detail>" on failure.
    Verify(VerifyArgs),
    /// Show a token's header, footer and (public tokens only) UNVERIFIED payload.
    Inspect {
        /// The token, or - to read it from standard input.
        token: String,
    },
    /// Revoke a token (--jti), a family (--fam), a subject's tokens (--sub) or a key's (--kid)
    /// in the services' Redis; prints what was recorded.
    Revoke(revoke::RevokeArgs),
    /// Wrap a local or secret key with a wrapping key (kN.local-wrap.pie / kN.secret-wrap.pie)
    /// or a password (kN.local-pw / kN.secret-pw); prints the protected PASERK.
    Wrap(protect::WrapArgs),
    /// Unwrap a key wrapped with a wrapping key or a password; prints its PASERK.
    Unwrap(protect::UnwrapArgs),
    /// Seal a local key to a public key (kN.seal); prints the sealed PASERK.
    Seal(protect::SealArgs),
    /// Unseal a kN.seal PASERK with the secret key it was sealed to; prints the local key.
    Unseal(protect::UnsealArgs),
    /// Print or update a key-set document (published at /.well-known/paserk.json): new, add,
    /// activate, retire, prune.
    Keyset(keyset::KeysetArgs),
}

#[derive(clap::Args)]
struct IssueArgs {
    /// PASERK, PEM text, or @PATH.
    #[arg(long, allow_hyphen_values = true)]
    key: String,
    /// Custom claims, a JSON object.
    #[arg(long, default_value = "{}", allow_hyphen_values = true)]
    claims: String,
    #[arg(long, allow_hyphen_values = true)]
    iss: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    sub: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    aud: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    jti: Option<String>,
    /// Lifetime in seconds (default 3600; with --pair, the access token's, default 900).
    #[arg(long, conflicts_with = "no_exp")]
    exp: Option<u64>,
    /// Issue a token pair (an access token and a refresh token, with `iat`, `jti` and a family)
    /// and print it as an OAuth 2.0 token response.
    #[arg(long, conflicts_with_all = ["no_exp", "jti", "footer"])]
    pair: bool,
    /// With --pair: the refresh token's lifetime in seconds (default 1209600, 14 days).
    #[arg(long, requires = "pair")]
    refresh_exp: Option<u64>,
    /// Issue a token that never expires.
    #[arg(long)]
    no_exp: bool,
    /// Write `iat`.
    #[arg(long)]
    iat: bool,
    /// Write the key's PASERK id as the footer `kid`.
    #[arg(long)]
    kid: bool,
    /// Footer text (a JSON object, merged with the kid; or any text without --kid).
    #[arg(long, allow_hyphen_values = true)]
    footer: Option<String>,
    /// Implicit assertion (v3/v4).
    #[arg(long, allow_hyphen_values = true)]
    implicit: Option<String>,
    /// PASETO version of a PEM Ed25519 key (v4 unless v2 is given).
    #[arg(long)]
    version: Option<Version>,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// PASERK, PEM text, or @PATH; repeat for several. Their versions are the ones allowed.
    #[arg(long = "key", required = true, allow_hyphen_values = true)]
    keys: Vec<String>,
    /// The issuer the keys are bound to (tokens must claim it).
    #[arg(long, allow_hyphen_values = true)]
    iss: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    aud: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    sub: Option<String>,
    /// Leeway on time claims, in seconds.
    #[arg(long, default_value_t = 0)]
    leeway: u64,
    #[arg(long, allow_hyphen_values = true)]
    implicit: Option<String>,
    /// Accept tokens without `exp`.
    #[arg(long)]
    allow_no_exp: bool,
    /// Skip the exp/nbf/iat checks (debugging only).
    #[arg(long)]
    skip_time_checks: bool,
    /// PASETO version of PEM Ed25519 keys (v4 unless v2 is given).
    #[arg(long)]
    version: Option<Version>,
    /// The token, or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    token: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}: {err}", err.kind());
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<String, Error> {
    match command {
        Command::Keygen { kind } => keygen(kind),
        Command::Key { key, version } => describe(&load_key(&key, version)?),
        Command::Issue(args) => issue(args),
        Command::Verify(args) => verify(args),
        Command::Inspect { token } => inspect(&read_token(&token)?),
        Command::Revoke(args) => revoke::revoke(args),
        Command::Wrap(args) => protect::wrap(args),
        Command::Unwrap(args) => protect::unwrap(args),
        Command::Seal(args) => protect::seal(args),
        Command::Unseal(args) => protect::unseal(args),
        Command::Keyset(args) => keyset::keyset(args),
    }
}

/// Reads KEY text: inline, or from a file when it starts with `@`.
fn load_key(text: &str, version: Option<Version>) -> Result<Key, Error> {
    let text = match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Error::Key(KeyError::InvalidKey(format!("{path}: {e}"))))?,
        None => text.to_owned(),
    };
    Key::parse(&text, version)
}

fn read_token(arg: &str) -> Result<String, Error> {
    if arg != "-" {
        return Ok(arg.trim().to_owned());
    }
    let mut text = String::new();
    std::io::stdin()
        .take(DEFAULT_MAX_TOKEN_LEN as u64 + 2)
        .read_to_string(&mut text)
        .map_err(|e| {
            Error::Token(TokenError::Malformed(format!(
                "reading standard input: {e}"
            )))
        })?;
    Ok(text.trim().to_owned())
}

fn keygen(kind: Header) -> Result<String, Error> {
    let out = match kind.purpose {
        Purpose::Local => {
            let key = LocalKey::generate(kind.version)?;
            json!({"local": key.to_paserk().as_str(), "lid": key.id().as_str()})
        }
        Purpose::Public => {
            let key = SecretKey::generate(kind.version)?;
            json!({
                "secret": key.to_paserk().as_str(),
                "public": key.public_key().to_paserk(),
                "sid": key.secret_id().as_str(),
                "pid": key.public_key().id().as_str(),
            })
        }
    };
    Ok(out.to_string())
}

fn describe(key: &Key) -> Result<String, Error> {
    let mut out = json!({"version": key.version().as_str(), "purpose": key.purpose().as_str()});
    match key {
        Key::Local(k) => {
            out["paserk"] = k.to_paserk().as_str().into();
            out["id"] = k.id().as_str().into();
        }
        Key::Secret(k) => {
            out["paserk"] = k.to_paserk().as_str().into();
            out["id"] = k.secret_id().as_str().into();
            out["public"] = k.public_key().to_paserk().into();
            out["pid"] = k.public_key().id().as_str().into();
        }
        Key::Public(k) => {
            out["paserk"] = k.to_paserk().into();
            out["id"] = k.id().as_str().into();
        }
    }
    Ok(out.to_string())
}

fn issue(mut args: IssueArgs) -> Result<String, Error> {
    let key: SigningKey = match load_key(&args.key, args.version)? {
        Key::Local(k) => k.into(),
        Key::Secret(k) => k.into(),
        Key::Public(_) => {
            return Err(Error::Key(KeyError::InvalidKey(
                "a public key cannot issue tokens; give the secret key".into(),
            )));
        }
    };
    let claims: Value = serde_json::from_str(&args.claims)
        .map_err(|e| Error::Token(TokenError::InvalidPayload(format!("--claims: {e}"))))?;
    let mut builder = Issuer::builder()
        .key(key)
        .use_iat(args.iat)
        .use_kid(args.kid);
    builder = match args.iss.take() {
        Some(iss) => builder.issuer(iss),
        None => builder.use_iss(false),
    };
    if args.pair {
        return issue_pair(builder, &claims, args);
    }
    let issuer = builder.build()?;
    let mut options = TokenOptions::new();
    if args.no_exp {
        options = options.no_expiration();
    } else if let Some(seconds) = args.exp {
        options = options.lifetime(Duration::from_secs(seconds));
    }
    for (value, set) in [
        (
            args.sub,
            TokenOptions::subject as fn(TokenOptions, String) -> TokenOptions,
        ),
        (args.aud, TokenOptions::audience),
        (args.jti, TokenOptions::token_id),
    ] {
        if let Some(value) = value {
            options = set(options, value);
        }
    }
    if let Some(implicit) = args.implicit {
        options = options.implicit_assertion(implicit);
    }
    if let Some(footer) = args.footer {
        options = match serde_json::from_str::<Value>(&footer) {
            Ok(Value::Object(fields)) => fields
                .into_iter()
                .fold(options, |o, (k, v)| o.footer_field(k, v)),
            _ => options.raw_footer(footer),
        };
    }
    issuer.issue_with(&claims, options)
}

/// `issue --pair`: the pair's JSON.
fn issue_pair(builder: IssuerBuilder, claims: &Value, args: IssueArgs) -> Result<String, Error> {
    let access = Duration::from_secs(args.exp.unwrap_or(DEFAULT_ACCESS_LIFETIME.as_secs()));
    let refresh = args
        .refresh_exp
        .map_or(DEFAULT_REFRESH_LIFETIME, Duration::from_secs);
    let mut builder = builder.use_iat(true).pair_lifetimes(access, refresh);
    if let Some(implicit) = args.implicit {
        builder = builder.implicit_assertion(implicit);
    }
    let mut options = PairOptions::new();
    if let Some(sub) = args.sub {
        options = options.subject(sub);
    }
    if let Some(aud) = args.aud {
        options = options.audience(aud);
    }
    let pair = builder.build()?.issue_pair(claims, options)?;
    serde_json::to_string(&pair)
        .map_err(|e| Error::Token(TokenError::InvalidPayload(e.to_string())))
}

fn verify(args: VerifyArgs) -> Result<String, Error> {
    let mut builder = Verifier::builder()
        .leeway(Duration::from_secs(args.leeway))
        .allow_no_expiration(args.allow_no_exp)
        .skip_time_checks(args.skip_time_checks);
    let mut versions = Vec::new();
    for text in &args.keys {
        let key = load_key(text, args.version)?;
        versions.push(key.version());
        builder = match (key, args.iss.clone()) {
            (Key::Local(k), iss) => builder.local_key(k, iss),
            (Key::Secret(k), Some(iss)) => builder.public_key(k.public_key().clone(), iss),
            (Key::Secret(k), None) => builder.unbound_public_key(k.public_key().clone()),
            (Key::Public(k), Some(iss)) => builder.public_key(k, iss),
            (Key::Public(k), None) => builder.unbound_public_key(k),
        };
    }
    let mut requirements = Requirements::new();
    if let Some(aud) = args.aud {
        requirements = requirements.audience(aud);
    }
    if let Some(sub) = args.sub {
        requirements = requirements.subject(sub);
    }
    if let Some(implicit) = args.implicit {
        builder = builder.implicit_assertion(implicit);
    }
    let verifier = builder
        .versions(versions)
        .requirements(requirements)
        .build()?;
    let verified = verifier.verify_untyped(&read_token(&args.token)?, &Requirements::new())?;
    Ok(Value::Object(verified.claims).to_string())
}

fn inspect(token: &str) -> Result<String, Error> {
    let untrusted = UntrustedToken::parse(token, DEFAULT_MAX_TOKEN_LEN)?;
    let header = untrusted.header();
    let footer = Footer::parse(untrusted.untrusted_footer(), &FooterLimits::default())?;
    let footer_json = match footer.json() {
        Some(map) => Value::Object(map.clone()),
        None if footer.is_empty() => Value::Null,
        None => String::from_utf8_lossy(footer.as_bytes())
            .into_owned()
            .into(),
    };
    let payload = untrusted
        .untrusted_public_payload()
        .map(|bytes| {
            serde_json::from_slice::<Value>(bytes)
                .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned().into())
        })
        .unwrap_or(Value::Null);
    let note = match header.purpose {
        Purpose::Public => "UNVERIFIED: the signature was not checked; do not trust this payload",
        Purpose::Local => "the payload of a local token is encrypted",
    };
    Ok(json!({
        "version": header.version.as_str(),
        "purpose": header.purpose.as_str(),
        "footer": footer_json,
        "payload": payload,
        "verified": false,
        "note": note,
    })
    .to_string())
}
