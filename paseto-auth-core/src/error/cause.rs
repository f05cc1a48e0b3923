//! [`Cause`]: the error underneath another (a deserializer's, a cryptographic library's, a store
//! client's), kept for downcasting and shown escaped.

use std::sync::Arc;

use crate::untrusted::untrusted;

/// The error underneath an [`Error`](crate::Error) (a deserializer's, a cryptographic library's):
/// its [`source`](std::error::Error::source), reachable with [`Cause::get_ref`] to downcast it.
///
/// Its `Display` is the error's message escaped and cut like every other outside text (a
/// deserializer's message quotes the claim it refused), and the chain of sources ends here: the
/// raw error stays behind [`get_ref`](Cause::get_ref), so printing an error with its sources never
/// shows attacker text unescaped.
#[derive(Clone)]
pub struct Cause {
    shown: String,
    // Shared, so that one failure can answer every extractor of a request.
    error: Arc<dyn std::error::Error + Send + Sync>,
}

/// A cause that is a message of this crate's, not another library's error.
#[derive(Debug)]
struct Message(String);

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}

impl Cause {
    /// Keeps `error`, shown escaped and truncated.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Cause {
            shown: untrusted(&error),
            error: Arc::new(error),
        }
    }

    /// A cause that is this crate's own message (trusted text, shown as it is).
    pub fn msg(message: impl Into<String>) -> Self {
        let message = message.into();
        Cause {
            shown: message.clone(),
            error: Arc::new(Message(message)),
        }
    }

    /// The error underneath, for downcasting (`cause.get_ref().downcast_ref::<serde_json::Error>()`).
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.error
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Debug for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Cause").field(&self.shown).finish()
    }
}

impl std::error::Error for Cause {}
