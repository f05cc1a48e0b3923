//! `paseto-auth keyset`: print or update a key-set document (what an issuer publishes at
//! `/.well-known/paserk.json`) from key files.

use std::time::Duration;

use clap::{Args, Subcommand};
use paseto_auth::DEFAULT_LIFETIME;
use paseto_auth::Error;
use paseto_auth::KeyError;
use paseto_auth::key::{Key, KeyId, PublicKey};
use paseto_auth::keyset::{DocumentLimits, KeySetDocument, KeyStatus, PublishedKey};
use time::OffsetDateTime;

use crate::load_key;

#[derive(Args)]
pub(crate) struct KeysetArgs {
    #[command(subcommand)]
    command: KeysetCommand,
}

#[derive(Subcommand)]
enum KeysetCommand {
    /// Print a new document: the --active keys signing now, the --next keys published ahead.
    New {
        /// The issuer the keys speak for.
        #[arg(long, allow_hyphen_values = true)]
        iss: String,
        /// A key that signs now: PASERK or PEM (secret or public: only the public half is
        /// published), or @PATH; repeat for several.
        #[arg(long, allow_hyphen_values = true, required = true)]
        active: Vec<String>,
        /// A key published ahead of use (it verifies, it does not sign yet).
        #[arg(long, allow_hyphen_values = true)]
        next: Vec<String>,
    },
    /// Add a key as `next` to a document.
    Add {
        #[command(flatten)]
        document: DocumentArg,
        /// The issuer the key speaks for.
        #[arg(long, allow_hyphen_values = true)]
        iss: String,
        /// The key (PASERK, PEM or @PATH; secret or public).
        #[arg(long, allow_hyphen_values = true)]
        next: String,
    },
    /// Make a `next` key active; the key active for its issuer becomes `retired`, verifying
    /// for --grace seconds more.
    Activate {
        #[command(flatten)]
        document: DocumentArg,
        /// The key's id (kN.pid.…).
        #[arg(long)]
        pid: String,
        /// Seconds the retired key still verifies: at least the longest token lifetime.
        #[arg(long, default_value_t = DEFAULT_LIFETIME.as_secs())]
        grace: u64,
    },
    /// Retire a key: it stops signing and verifies for --grace seconds more.
    Retire {
        #[command(flatten)]
        document: DocumentArg,
        /// The key's id (kN.pid.…).
        #[arg(long)]
        pid: String,
        /// Seconds the key still verifies.
        #[arg(long, default_value_t = DEFAULT_LIFETIME.as_secs())]
        grace: u64,
    },
    /// Remove the keys whose not-after has passed.
    Prune {
        #[command(flatten)]
        document: DocumentArg,
    },
}

#[derive(Args)]
struct DocumentArg {
    /// The document to update (its file).
    #[arg(long = "document")]
    path: String,
    /// Write the updated document back to the file (it is printed either way).
    #[arg(long)]
    write: bool,
}

impl DocumentArg {
    fn read(&self) -> Result<KeySetDocument, Error> {
        let bytes =
            std::fs::read(&self.path).map_err(|e| Error::Setup(format!("{}: {e}", self.path)))?;
        KeySetDocument::parse(&bytes, &DocumentLimits::default())
    }

    fn finish(&self, document: &KeySetDocument) -> Result<String, Error> {
        let text = document.to_json();
        if self.write {
            std::fs::write(&self.path, format!("{text}\n"))
                .map_err(|e| Error::Setup(format!("{}: {e}", self.path)))?;
        }
        Ok(text)
    }
}

/// The public key of KEY text (a secret key's public half).
fn public_key(text: &str) -> Result<PublicKey, Error> {
    match load_key(text, None)? {
        Key::Public(key) => Ok(key),
        Key::Secret(key) => Ok(key.public_key().clone()),
        Key::Local(_) => Err(Error::Key(KeyError::InvalidKey(
            "a local key is never published: give a public or secret key".into(),
        ))),
    }
}

/// A `kN.pid.…` id.
fn pid(text: &str) -> Result<KeyId, Error> {
    match KeyId::parse(text.trim()) {
        Ok(id) if id.as_str().split('.').nth(1) == Some("pid") => Ok(id),
        _ => Err(Error::Key(KeyError::InvalidKey(
            "--pid expects a public key id (kN.pid.…)".into(),
        ))),
    }
}

pub(crate) fn keyset(args: KeysetArgs) -> Result<String, Error> {
    let now = OffsetDateTime::now_utc();
    match args.command {
        KeysetCommand::New { iss, active, next } => {
            let mut document = KeySetDocument::new();
            for (texts, status) in [(active, KeyStatus::Active), (next, KeyStatus::Next)] {
                for text in texts {
                    let mut key = PublishedKey::new(public_key(&text)?, iss.clone(), status);
                    if status == KeyStatus::Active {
                        key.not_before = Some(now);
                    }
                    document.add(key)?;
                }
            }
            Ok(document.to_json())
        }
        KeysetCommand::Add {
            document: arg,
            iss,
            next,
        } => {
            let mut document = arg.read()?;
            document.add(PublishedKey::new(public_key(&next)?, iss, KeyStatus::Next))?;
            arg.finish(&document)
        }
        KeysetCommand::Activate {
            document: arg,
            pid: id,
            grace,
        } => {
            let mut document = arg.read()?;
            document.activate(&pid(&id)?, now, Duration::from_secs(grace))?;
            arg.finish(&document)
        }
        KeysetCommand::Retire {
            document: arg,
            pid: id,
            grace,
        } => {
            let mut document = arg.read()?;
            document.retire(&pid(&id)?, now, Duration::from_secs(grace))?;
            arg.finish(&document)
        }
        KeysetCommand::Prune { document: arg } => {
            let mut document = arg.read()?;
            document.prune(now);
            arg.finish(&document)
        }
    }
}
