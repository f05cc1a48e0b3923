//! The issuer: makes tokens with the primary key, adding `iss`, `iat`, `exp` and a `kid` footer.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::claims::{COOKIE_PURPOSE_CLAIM, Timestamp, format_time, random_id};
use crate::error::{Error, Result, untrusted};
use crate::key::{KeyId, KeyRing, RingKey, SigningKey};
use crate::token::{Footer, seal};

/// Default token lifetime (Flask's `PASETO_EXP`): one hour.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

#[derive(Debug)]
struct Config {
    issuer: Option<String>,
    keys: KeyRing<SigningKey>,
    lifetime: Duration,
    use_iss: bool,
    use_iat: bool,
    use_kid: bool,
    use_jti: bool,
    implicit: Vec<u8>,
}

/// Issues tokens: `public` ones with a secret key (API tokens), `local` ones with a local key.
///
/// Cheap to clone (shared behind an `Arc`).
///
/// ```
/// use std::time::Duration;
/// use paseto_auth::{Issuer, TokenOptions, key::SecretKey, Version};
/// let issuer = Issuer::builder()
///     .issuer("https://issuer.example")
///     .key(SecretKey::generate(Version::V4)?)
///     .build()?;
/// let token = issuer.issue_with(
///     &serde_json::json!({"user": {"email": "foo@example.com"}}),
///     TokenOptions::new().subject("foo").lifetime(Duration::from_secs(600)),
/// )?;
/// assert!(token.starts_with("v4.public."));
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Issuer {
    config: Arc<Config>,
}

/// Builds an [`Issuer`].
#[derive(Debug)]
#[must_use]
pub struct IssuerBuilder {
    issuer: Option<String>,
    keys: KeyRing<SigningKey>,
    lifetime: Duration,
    use_iss: bool,
    use_iat: bool,
    use_kid: bool,
    use_jti: bool,
    implicit: Vec<u8>,
}

impl Default for IssuerBuilder {
    fn default() -> Self {
        IssuerBuilder {
            issuer: None,
            keys: KeyRing::new(),
            lifetime: DEFAULT_LIFETIME,
            use_iss: true,
            use_iat: true,
            use_kid: true,
            use_jti: true,
            implicit: Vec::new(),
        }
    }
}

impl IssuerBuilder {
    /// The `iss` written into tokens (Flask's `PASETO_ISS`).
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Adds a signing key (secret or local). The first key added is the primary one.
    pub fn key(mut self, key: impl Into<SigningKey>) -> Self {
        self.keys.push(key.into(), None);
        self
    }

    /// Makes the key with this id (its public `pid`, or `lid`) the primary one.
    pub fn primary(mut self, id: &KeyId) -> Result<Self> {
        self.keys.set_primary(id)?;
        Ok(self)
    }

    /// Default lifetime of issued tokens (Flask's `PASETO_EXP`, default one hour).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Whether to write `iss` (Flask's `PASETO_USE_ISS`, default true).
    pub fn use_iss(mut self, on: bool) -> Self {
        self.use_iss = on;
        self
    }

    /// Whether to write `iat` (Flask's `PASETO_USE_IAT`, default true).
    pub fn use_iat(mut self, on: bool) -> Self {
        self.use_iat = on;
        self
    }

    /// Whether to write the key's PASERK id as the footer `kid` (Flask's `PASETO_USE_KID`,
    /// default true).
    pub fn use_kid(mut self, on: bool) -> Self {
        self.use_kid = on;
        self
    }

    /// Whether to write a random 128-bit `jti` into tokens that do not set one
    /// ([`TokenOptions::token_id`]), so each can be revoked on its own (default true;
    /// `PASETO_USE_JTI`).
    pub fn use_jti(mut self, on: bool) -> Self {
        self.use_jti = on;
        self
    }

    /// An implicit assertion bound into every token (v3/v4).
    pub fn implicit_assertion(mut self, implicit: impl Into<Vec<u8>>) -> Self {
        self.implicit = implicit.into();
        self
    }

    /// Builds the issuer; fails when it has no key or `use_iss` is on without an issuer name.
    pub fn build(self) -> Result<Issuer> {
        if self.keys.is_empty() {
            return Err(Error::Setup("an issuer needs at least one key".into()));
        }
        if self.use_iss && self.issuer.as_deref().is_some_and(str::is_empty) {
            return Err(Error::Setup("the issuer name must not be empty".into()));
        }
        Ok(Issuer {
            config: Arc::new(Config {
                issuer: self.issuer,
                keys: self.keys,
                lifetime: self.lifetime,
                use_iss: self.use_iss,
                use_iat: self.use_iat,
                use_kid: self.use_kid,
                use_jti: self.use_jti,
                implicit: self.implicit,
            }),
        })
    }
}

/// How long an issued token lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Lifetime {
    #[default]
    IssuerDefault,
    For(Duration),
    Forever,
}

/// Per-token settings for [`Issuer::issue_with`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct TokenOptions {
    lifetime: Lifetime,
    subject: Option<String>,
    audience: Vec<String>,
    token_id: Option<String>,
    not_before: Option<OffsetDateTime>,
    footer: Map<String, Value>,
    raw_footer: Option<Vec<u8>>,
    implicit: Option<Vec<u8>>,
    key: Option<KeyId>,
}

impl TokenOptions {
    /// Default options: the issuer's lifetime, no `sub`/`aud`/`jti`/`nbf`.
    pub fn new() -> Self {
        Self::default()
    }

    /// This token expires `lifetime` after issue.
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Lifetime::For(lifetime);
        self
    }

    /// This token has no `exp`: an explicit opt-out, since verifiers refuse such tokens by default.
    pub fn no_expiration(mut self) -> Self {
        self.lifetime = Lifetime::Forever;
        self
    }

    /// Sets `sub`.
    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self
    }

    /// Adds an audience (`aud` is a string for one, an array for several).
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audience.push(aud.into());
        self
    }

    /// Sets `jti`.
    pub fn token_id(mut self, jti: impl Into<String>) -> Self {
        self.token_id = Some(jti.into());
        self
    }

    /// Sets `nbf`.
    pub fn not_before(mut self, nbf: OffsetDateTime) -> Self {
        self.not_before = Some(nbf);
        self
    }

    /// Adds a footer field (the `kid` field is the issuer's when `use_kid` is on).
    pub fn footer_field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.footer.insert(name.into(), value.into());
        self
    }

    /// Uses these bytes as the footer verbatim (they need not be JSON). Such a footer cannot
    /// carry the issuer's `kid`, so issuing fails if `use_kid` is on or fields were added.
    pub fn raw_footer(mut self, footer: impl Into<Vec<u8>>) -> Self {
        self.raw_footer = Some(footer.into());
        self
    }

    /// Uses this implicit assertion instead of the issuer's.
    pub fn implicit_assertion(mut self, implicit: impl Into<Vec<u8>>) -> Self {
        self.implicit = Some(implicit.into());
        self
    }

    /// Signs with the key of this id instead of the primary key.
    pub fn key(mut self, id: KeyId) -> Self {
        self.key = Some(id);
        self
    }
}

impl Issuer {
    /// Starts building an issuer.
    pub fn builder() -> IssuerBuilder {
        IssuerBuilder::default()
    }

    /// Issues a token for `claims` (which must serialize to a JSON object) with default options.
    pub fn issue<C: Serialize + ?Sized>(&self, claims: &C) -> Result<String> {
        self.issue_with(claims, TokenOptions::new())
    }

    /// Issues a token for `claims` with per-token options.
    pub fn issue_with<C: Serialize + ?Sized>(
        &self,
        claims: &C,
        options: TokenOptions,
    ) -> Result<String> {
        let config = &self.config;
        let key = match &options.key {
            Some(id) => config
                .keys
                .iter()
                .find(|entry| entry.key.kid() == id)
                .ok_or_else(|| Error::UnknownKeyId(id.to_string()))?,
            None => config
                .keys
                .primary()
                .ok_or_else(|| Error::Setup("an issuer needs at least one key".into()))?,
        };
        let payload = self.payload(claims, &options)?;
        let implicit = options.implicit.as_deref().unwrap_or(&config.implicit);
        if let Some(raw) = &options.raw_footer {
            if config.use_kid || !options.footer.is_empty() {
                return Err(Error::InvalidFooter(
                    "a raw footer cannot carry a kid or other fields".into(),
                ));
            }
            return seal(&key.key, payload.as_bytes(), raw, implicit);
        }
        let mut footer = options.footer;
        if config.use_kid {
            footer.insert("kid".into(), Value::String(key.key.kid().to_string()));
        }
        let footer = Footer::from_json(footer);
        seal(&key.key, payload.as_bytes(), footer.as_bytes(), implicit)
    }

    fn payload<C: Serialize + ?Sized>(&self, claims: &C, options: &TokenOptions) -> Result<String> {
        let config = &self.config;
        let mut map = match serde_json::to_value(claims) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(Error::InvalidPayload(
                    "claims must serialize to a JSON object".into(),
                ));
            }
            Err(e) => return Err(Error::InvalidPayload(untrusted(e))),
        };
        if map.contains_key(COOKIE_PURPOSE_CLAIM) {
            return Err(Error::InvalidPayload(format!(
                "the claim \"{COOKIE_PURPOSE_CLAIM}\" is reserved for paseto-auth's cookie tokens; \
                 verifiers refuse API tokens that carry it"
            )));
        }
        let now = OffsetDateTime::now_utc();
        if let (true, Some(iss)) = (config.use_iss, &config.issuer) {
            map.insert("iss".into(), iss.clone().into());
        }
        if config.use_iat {
            map.insert("iat".into(), format_time(now).into());
        }
        let lifetime = match options.lifetime {
            Lifetime::IssuerDefault => Some(config.lifetime),
            Lifetime::For(lifetime) => Some(lifetime),
            Lifetime::Forever => None,
        };
        if let Some(lifetime) = lifetime {
            let exp = time::Duration::try_from(lifetime)
                .ok()
                .and_then(|d| now.checked_add(d))
                .ok_or_else(|| Error::InvalidClaim {
                    claim: "exp".into(),
                    reason: "lifetime out of range".into(),
                })?;
            map.insert("exp".into(), Timestamp(exp).to_rfc3339().into());
        }
        if let Some(nbf) = options.not_before {
            map.insert("nbf".into(), format_time(nbf).into());
        }
        if let Some(sub) = &options.subject {
            map.insert("sub".into(), sub.clone().into());
        }
        match options.audience.as_slice() {
            [] => {}
            [one] => {
                map.insert("aud".into(), one.clone().into());
            }
            many => {
                map.insert("aud".into(), many.to_vec().into());
            }
        }
        match &options.token_id {
            Some(jti) => {
                map.insert("jti".into(), jti.clone().into());
            }
            None if config.use_jti => {
                map.insert("jti".into(), random_id()?.into());
            }
            None => {}
        }
        Ok(Value::Object(map).to_string())
    }

    /// The issuer's name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.config.issuer.as_deref()
    }

    /// The issuer's keys.
    pub fn keys(&self) -> &KeyRing<SigningKey> {
        &self.config.keys
    }
}
