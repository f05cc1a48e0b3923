//! The keys of the login manager's two cookies, kept apart by name so they cannot be swapped.

use std::fmt;

use crate::Version;
use crate::cookie::CookieKeys;
use crate::settings::Settings;
use crate::{Error, Result};

/// The label [`LoginKeys::from_secret`] derives the login session key with.
const LOGIN_KEY_LABEL: &str = "login";

/// The label [`LoginKeys::from_secret`] derives the remember-me key with.
const REMEMBER_KEY_LABEL: &str = "remember";

/// The environment variable holding the login session cookie's key (PASERK).
const SESSION_KEY_ENV: &str = "PASETO_SESSION_KEY";

/// The environment variable holding the remember-me cookie's key (PASERK), flask-paseto-extended's
/// name.
const REMEMBER_KEY_ENV: &str = "REMEMBER_COOKIE_PASETO_KEY";

/// The keys of the login session cookie and of the remember-me cookie.
///
/// Use different keys: derive both from one application secret with
/// [`LoginKeys::from_secret`], read both from the environment with [`LoginKeys::from_env`], or
/// generate them. (The cookies are also bound to their purpose, so even one key for both would
/// not let one cookie pass for the other.)
///
/// ```
/// use paseto_auth::login::LoginKeys;
///
/// let keys = LoginKeys::from_secret(b"an application secret of at least 32 bytes")?;
/// assert_ne!(keys.session.primary().id(), keys.remember.primary().id());
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Clone)]
pub struct LoginKeys {
    /// Seal and open the login session cookie.
    pub session: CookieKeys,
    /// Seal and open the remember-me cookie.
    pub remember: CookieKeys,
}

impl LoginKeys {
    /// The two key sets.
    pub fn new(session: CookieKeys, remember: CookieKeys) -> Self {
        LoginKeys { session, remember }
    }

    /// Fresh random keys of `version`. Logins sealed with them end when the process does.
    pub fn generate(version: Version) -> Result<Self> {
        Ok(LoginKeys {
            session: CookieKeys::generate(version)?,
            remember: CookieKeys::generate(version)?,
        })
    }

    /// `v4.local` keys derived from an application secret of at least 32 bytes (HKDF-SHA256),
    /// with the labels `login` and `remember`.
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        Ok(LoginKeys {
            session: CookieKeys::derive_from_secret(Version::V4, secret, LOGIN_KEY_LABEL)?,
            remember: CookieKeys::derive_from_secret(Version::V4, secret, REMEMBER_KEY_LABEL)?,
        })
    }

    /// The keys in `PASETO_SESSION_KEY` and `REMEMBER_COOKIE_PASETO_KEY` (PASERKs, comma-separated to
    /// rotate; see [`CookieKeys::from_env`]). `Ok(None)` when neither is set; an
    /// [`Error::Config`] naming the variable when a key does not parse or only one is set.
    pub fn from_env() -> Result<Option<Self>> {
        Self::from_settings(&Settings::env())
    }

    /// [`LoginKeys::from_env`] with the keys in `settings` (an unknown name of
    /// [`CookieSettings::NAMESPACE`](super::CookieSettings::NAMESPACE) is an error).
    pub fn from_settings(settings: &Settings) -> Result<Option<Self>> {
        settings.check_names(&super::CookieSettings::NAMESPACE)?;
        let session = CookieKeys::from_settings(settings, SESSION_KEY_ENV)?;
        let remember = CookieKeys::from_settings(settings, REMEMBER_KEY_ENV)?;
        match (session, remember) {
            (Some(session), Some(remember)) => Ok(Some(LoginKeys { session, remember })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(missing(REMEMBER_KEY_ENV, SESSION_KEY_ENV)),
            (None, Some(_)) => Err(missing(SESSION_KEY_ENV, REMEMBER_KEY_ENV)),
        }
    }
}

fn missing(unset: &str, set: &str) -> Error {
    Error::config(
        unset,
        format!("is not set, but {set} is: set both (or neither, to generate keys)"),
    )
}

impl fmt::Debug for LoginKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginKeys")
            .field("session", &self.session)
            .field("remember", &self.remember)
            .finish()
    }
}
