//! The keys that seal and open cookie tokens (sessions, login sessions, remember-me cookies): one
//! primary key, any number of old ones.

use std::fmt;
use std::sync::Arc;

use crate::Version;
use crate::key::{KeyRing, LocalKey, SigningKey, VerificationKey};
use crate::settings::Settings;
use crate::{Error, KeyError, Result};

/// The label [`CookieKeys::from_secret`] derives keys with (that of session cookies).
const SESSION_KEY_LABEL: &str = "session";

/// Keys for cookie tokens: the primary key seals every cookie, and every key (primary first) may
/// open one, so keys can be rotated without logging everyone out. Sessions take one set
/// ([`SessionLayer::new`](crate::session::SessionLayer::new)); the login manager two
/// ([`LoginKeys`](crate::login::LoginKeys)).
///
/// The version of the primary key is the version of the cookies: `v4.local` from a `k4.local`
/// key (the default of [`CookieKeys::generate`] and [`CookieKeys::from_secret`]), `v3.local` or
/// `v2.local` from a `k3`/`k2` key. Cheap to clone. `Debug` shows key ids only.
///
/// ```
/// use paseto_auth::cookie::CookieKeys;
/// use paseto_auth::key::LocalKey;
/// use paseto_auth::Version;
///
/// let old = LocalKey::generate(Version::V4)?;
/// let new = LocalKey::generate(Version::V4)?;
/// // Seal with the new key; cookies sealed by the old one still open.
/// let keys = CookieKeys::new(new.clone()).with_old_key(old);
/// assert_eq!(keys.primary().id(), new.id());
/// assert_eq!(keys.len(), 2);
///
/// // From a long application secret (HKDF, label "session"):
/// let keys = CookieKeys::from_secret(b"an application secret of at least 32 bytes")?;
/// assert_eq!(keys.version(), Version::V4);
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Clone)]
pub struct CookieKeys {
    inner: Arc<Keys>,
}

#[derive(Clone)]
struct Keys {
    primary: LocalKey,
    old: Vec<LocalKey>,
    /// The primary key, ready for `token::seal`.
    sealer: SigningKey,
    /// Every key, primary first, ready for `UntrustedToken::open`.
    openers: Vec<VerificationKey>,
}

impl Keys {
    fn new(primary: LocalKey) -> Self {
        Keys {
            sealer: SigningKey::Local(primary.clone()),
            openers: vec![VerificationKey::Local(primary.clone())],
            primary,
            old: Vec::new(),
        }
    }

    fn push_old(&mut self, key: LocalKey) {
        self.openers.push(VerificationKey::Local(key.clone()));
        self.old.push(key);
    }
}

impl CookieKeys {
    /// Keys with `primary` as the only (and sealing) key.
    pub fn new(primary: LocalKey) -> Self {
        CookieKeys {
            inner: Arc::new(Keys::new(primary)),
        }
    }

    /// Adds a key that only opens cookies (one that was the primary key before a rotation).
    /// Its version may differ from the primary key's, to migrate from one version to another.
    #[must_use]
    pub fn with_old_key(mut self, key: LocalKey) -> Self {
        Arc::make_mut(&mut self.inner).push_old(key);
        self
    }

    /// A primary key from a PASERK (`k4.local.…`, `k3.local.…` or `k2.local.…`).
    pub fn from_paserk(paserk: &str) -> Result<Self> {
        LocalKey::from_paserk(paserk).map(Self::new)
    }

    /// Keys from PASERKs: the first seals, all of them open.
    pub fn from_paserks<I>(paserks: I) -> Result<Self>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let keys = paserks
            .into_iter()
            .map(|paserk| LocalKey::from_paserk(paserk.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Self::from_vec(keys)
    }

    /// Keys from the environment variable `name`: one PASERK, or several separated by commas
    /// (the first seals, all open, for key rotation). `Ok(None)` when the variable is unset or
    /// empty; a key that does not parse is an [`Error::Config`] naming the variable, so a bad
    /// key stops the application at start-up.
    pub fn from_env(name: &str) -> Result<Option<Self>> {
        Self::from_settings(&Settings::env(), name)
    }

    /// [`CookieKeys::from_env`] with the setting `name` from `settings` (in JSON, also a list of
    /// PASERKs).
    pub fn from_settings(settings: &Settings, name: &str) -> Result<Option<Self>> {
        let Some(paserks) = settings.list(name)? else {
            return Ok(None);
        };
        Self::from_paserks(paserks)
            .map(Some)
            .map_err(|err| Error::config(name, format!("expected k4/k3/k2 local PASERKs: {err}")))
    }

    /// A `v4.local` key derived from an application secret of at least 32 bytes, with
    /// [`LocalKey::derive_from_secret`] and the label `"session"`: session cookies' keys (the login
    /// manager derives its own, see [`LoginKeys::from_secret`](crate::login::LoginKeys::from_secret)).
    ///
    /// The KDF is HKDF-SHA256, so a secret of any length above the minimum works, and keys
    /// derived from the same secret for other uses (labels) are unrelated to these.
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        Self::derive_from_secret(Version::V4, secret, SESSION_KEY_LABEL)
    }

    /// A key of `version` derived from `secret` for the use named by `label` (see
    /// [`LocalKey::derive_from_secret`]); other cookie kinds, such as remember-me cookies, use
    /// their own label.
    pub fn derive_from_secret(version: Version, secret: &[u8], label: &str) -> Result<Self> {
        LocalKey::derive_from_secret(version, secret, label).map(Self::new)
    }

    /// A fresh random key of `version`. Sessions sealed with it end when the process does,
    /// unless the key is stored (see [`LocalKey::to_paserk`]).
    pub fn generate(version: Version) -> Result<Self> {
        LocalKey::generate(version).map(Self::new)
    }

    /// The keys of a key ring: its primary key seals, all of its keys open.
    pub fn from_ring(ring: &KeyRing<LocalKey>) -> Result<Self> {
        let primary = ring.primary().ok_or_else(|| {
            Error::Key(KeyError::InvalidKey("the cookie key ring is empty".into()))
        })?;
        let old = ring
            .iter()
            .filter(|entry| entry.key.id() != primary.key.id())
            .map(|entry| entry.key.clone());
        Self::from_vec(std::iter::once(primary.key.clone()).chain(old).collect())
    }

    fn from_vec(keys: Vec<LocalKey>) -> Result<Self> {
        let mut keys = keys.into_iter();
        let primary = keys.next().ok_or_else(|| {
            Error::Key(KeyError::InvalidKey(
                "at least one cookie key is needed".into(),
            ))
        })?;
        let mut inner = Keys::new(primary);
        for key in keys {
            inner.push_old(key);
        }
        Ok(CookieKeys {
            inner: Arc::new(inner),
        })
    }

    /// The key that seals cookies.
    pub fn primary(&self) -> &LocalKey {
        &self.inner.primary
    }

    /// The version of the cookies sealed (that of the primary key).
    pub fn version(&self) -> Version {
        self.primary().version()
    }

    /// Every key, the primary one first.
    pub fn iter(&self) -> impl Iterator<Item = &LocalKey> {
        std::iter::once(&self.inner.primary).chain(self.inner.old.iter())
    }

    /// How many keys there are (at least one).
    pub fn len(&self) -> usize {
        1 + self.inner.old.len()
    }

    /// Always false: there is at least the primary key.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The keys that may open a token of `version`, primary first.
    pub(crate) fn openers(&self, version: Version) -> impl Iterator<Item = &VerificationKey> {
        self.inner
            .openers
            .iter()
            .filter(move |key| matches!(key, VerificationKey::Local(k) if k.version() == version))
    }

    /// The primary key, as `token::seal` takes it.
    pub(crate) fn sealer(&self) -> &SigningKey {
        &self.inner.sealer
    }
}

impl From<LocalKey> for CookieKeys {
    fn from(key: LocalKey) -> Self {
        CookieKeys::new(key)
    }
}

impl fmt::Debug for CookieKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CookieKeys")
            .field("primary", self.primary().id())
            .field(
                "old",
                &self.inner.old.iter().map(LocalKey::id).collect::<Vec<_>>(),
            )
            .finish()
    }
}
