//! The issuer: makes tokens with the primary key, adding `iss`, `iat`, `exp`, `jti` and a `kid`
//! footer. (Token pairs, access and refresh, are in [`crate::pair`].)

use std::sync::Arc;

use arc_swap::ArcSwap;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::claims::{
    AUTH_TIME_CLAIM, CSRF_CLAIM, FAMILY_CLAIM, FRESH_CLAIM, GENERATION_CLAIM, PURPOSE_CLAIM,
    Timestamp, format_time, random_id,
};
use crate::error::{ClaimError, Error, Result, TokenError, untrusted};
use crate::key::{KeyId, KeyRing, RingKey, SigningKey};
use crate::kind::TokenKind;
use crate::token::{Footer, seal};

/// Default token lifetime (Flask's `PASETO_EXP`): one hour.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Default lifetime of the access token of a pair (`PASETO_ACCESS_EXP`): 15 minutes.
pub const DEFAULT_ACCESS_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Default lifetime of the refresh token of a pair (`PASETO_REFRESH_EXP`): 14 days.
pub const DEFAULT_REFRESH_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

/// Default time a used refresh token may be presented again for the same answer
/// (`PASETO_REFRESH_REUSE_GRACE`): 10 seconds, enough for a client that honours `Retry-After: 1`
/// and retries three times with doubling waits (1 + 2 + 4 s) after a 503 or a timeout. A retry
/// within it gets the very pair the first use got, so a thief replaying inside the window holds
/// the same refresh token as the user, and whichever of the two uses it second is caught as a
/// reuse: the window delays reuse detection by one refresh, it does not lose it.
pub const DEFAULT_REFRESH_REUSE_GRACE: Duration = Duration::from_secs(10);

/// Default longest a login lasts through refreshes (`PASETO_LOGIN_MAX_AGE`): 30 days, after which
/// the user gives credentials again.
pub const DEFAULT_LOGIN_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug)]
struct Config {
    issuer: Option<String>,
    /// Swapped whole at run time ([`Issuer::replace_keys`]).
    keys: ArcSwap<KeyRing<SigningKey>>,
    lifetime: Duration,
    pair_lifetimes: PairLifetimes,
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
/// use paseto_auth_core::{Issuer, TokenOptions, key::SecretKey, Version};
/// let issuer = Issuer::builder()
///     .issuer("https://issuer.example")
///     .key(SecretKey::generate(Version::V4)?)
///     .build()?;
/// let token = issuer.issue_with(
///     &serde_json::json!({"user": {"email": "foo@example.com"}}),
///     TokenOptions::new().subject("foo").lifetime(Duration::from_secs(600)),
/// )?;
/// assert!(token.starts_with("v4.public."));
/// # Ok::<(), paseto_auth_core::Error>(())
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
    pair_lifetimes: PairLifetimes,
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
            pair_lifetimes: PairLifetimes::default(),
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

    /// Lifetimes of the two tokens of a pair ([`Issuer::issue_pair`]): the access token's
    /// (default 15 minutes, `PASETO_ACCESS_EXP`) and the refresh token's (default 14 days,
    /// `PASETO_REFRESH_EXP`). Refreshes use them too.
    pub fn pair_lifetimes(mut self, access: Duration, refresh: Duration) -> Self {
        self.pair_lifetimes.access = access;
        self.pair_lifetimes.refresh = refresh;
        self
    }

    /// The longest a login lasts through refreshes (default 30 days, `PASETO_LOGIN_MAX_AGE`):
    /// no token of a pair outlives its login's time plus this, so a stolen refresh token is not
    /// a key for ever, even while it is never replayed.
    pub fn max_login_age(mut self, age: Duration) -> Self {
        self.pair_lifetimes.login = age;
        self
    }

    /// How long after a refresh the same refresh token may be presented again and get the same
    /// pair back, rather than count as a replay that ends its login (`PASETO_REFRESH_REUSE_GRACE`;
    /// zero turns it off). It must be shorter than the access token's lifetime; by default it is
    /// [`DEFAULT_REFRESH_REUSE_GRACE`], or half the access lifetime when that is shorter. See
    /// [`crate::refresh`], "Retries".
    pub fn refresh_reuse_grace(mut self, grace: Duration) -> Self {
        self.pair_lifetimes.reuse_grace = Some(grace);
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

    /// Builds the issuer; fails when it has no key, `use_iss` is on without an issuer name, or a
    /// pair's refresh token would not outlive its access token.
    pub fn build(self) -> Result<Issuer> {
        if self.keys.is_empty() {
            return Err(Error::Setup("an issuer needs at least one key".into()));
        }
        let PairLifetimes {
            access,
            refresh,
            login,
            reuse_grace,
        } = self.pair_lifetimes;
        if access.is_zero() || refresh <= access || login <= access {
            return Err(Error::Setup(
                "pair lifetimes: the access token's must be positive, and the refresh token's and \
                 the login's longer"
                    .into(),
            ));
        }
        // The answer a retry gets holds an access token: kept as long as one lives, it would be
        // stale. A grace set by hand must be shorter; the default yields to short access tokens.
        let reuse_grace = match reuse_grace {
            Some(grace) if grace >= access => {
                return Err(Error::Setup(
                    "the refresh reuse grace must be shorter than the access token's lifetime"
                        .into(),
                ));
            }
            Some(grace) => grace,
            None => DEFAULT_REFRESH_REUSE_GRACE.min(access / 2),
        };
        if self.use_iss && self.issuer.as_deref().is_some_and(str::is_empty) {
            return Err(Error::Setup("the issuer name must not be empty".into()));
        }
        Ok(Issuer {
            config: Arc::new(Config {
                issuer: self.issuer,
                keys: ArcSwap::from_pointee(self.keys),
                lifetime: self.lifetime,
                pair_lifetimes: PairLifetimes {
                    reuse_grace: Some(reuse_grace),
                    ..self.pair_lifetimes
                },
                use_iss: self.use_iss,
                use_iat: self.use_iat,
                use_kid: self.use_kid,
                use_jti: self.use_jti,
                implicit: self.implicit,
            }),
        })
    }
}

/// How long the two tokens of a pair live, their login at most, and how long a used refresh
/// token's answer is kept for retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairLifetimes {
    /// The access token's lifetime.
    pub access: Duration,
    /// The refresh token's lifetime.
    pub refresh: Duration,
    /// The longest a login lasts through refreshes.
    pub login: Duration,
    /// Set by hand, or `None` for the default (always set once built).
    pub(crate) reuse_grace: Option<Duration>,
}

impl PairLifetimes {
    /// How long a refresh's answer is kept for a retry.
    pub fn reuse_grace(&self) -> Duration {
        self.reuse_grace.unwrap_or(DEFAULT_REFRESH_REUSE_GRACE)
    }
}

impl Default for PairLifetimes {
    fn default() -> Self {
        PairLifetimes {
            access: DEFAULT_ACCESS_LIFETIME,
            refresh: DEFAULT_REFRESH_LIFETIME,
            login: DEFAULT_LOGIN_MAX_AGE,
            reuse_grace: None,
        }
    }
}

/// What the `fresh` claim of a token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Freshness {
    /// `true`: fresh for as long as the token lives.
    Fresh,
    /// Fresh until this time (RFC 3339), then not.
    FreshUntil(OffsetDateTime),
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
    family: Option<String>,
    fresh: Option<Freshness>,
    csrf: Option<String>,
    pub(crate) kind: TokenKind,
    /// A pair's login time and (refresh tokens) generation.
    pub(crate) login: Option<(OffsetDateTime, Option<u64>)>,
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

    /// Sets `fam`, the token's family: the revocation store can revoke every token of a family
    /// at once ([`Revocations::revoke_family`](crate::store::Revocations::revoke_family)).
    pub fn family(mut self, family: impl Into<String>) -> Self {
        self.family = Some(family.into());
        self
    }

    /// Writes `"csrf": value`: the token is meant for a cookie, and requests with an unsafe method
    /// must send `value` back in the CSRF header (see `paseto_auth::csrf`;
    /// `paseto_auth::csrf::TokenCookie::issue` does this for you).
    pub fn csrf(mut self, value: impl Into<String>) -> Self {
        self.csrf = Some(value.into());
        self
    }

    /// Writes `"fresh": true`: the token was issued from credentials just given, and passes
    /// `#[paseto_required(fresh)]` for as long as it lives.
    pub fn fresh(mut self) -> Self {
        self.fresh = Some(Freshness::Fresh);
        self
    }

    /// Writes `fresh` as the time `window` from now: the token passes
    /// `#[paseto_required(fresh)]` until then, and is an ordinary token after.
    pub fn fresh_for(mut self, window: Duration) -> Result<Self> {
        let until = offset(OffsetDateTime::now_utc(), window, FRESH_CLAIM)?;
        self.fresh = Some(Freshness::FreshUntil(until));
        Ok(self)
    }

    pub(crate) fn freshness(mut self, fresh: Option<Freshness>) -> Self {
        self.fresh = fresh;
        self
    }
}

/// `now + lifetime`, or an error naming `claim` when it is out of range.
pub(crate) fn offset(
    now: OffsetDateTime,
    lifetime: Duration,
    claim: &str,
) -> Result<OffsetDateTime> {
    time::Duration::try_from(lifetime)
        .ok()
        .and_then(|d| now.checked_add(d))
        .ok_or_else(|| {
            Error::Claims(ClaimError::InvalidClaim {
                claim: claim.into(),
                reason: "lifetime out of range".into(),
            })
        })
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
        let keys = config.keys.load();
        let key = match &options.key {
            Some(id) => keys
                .iter()
                .find(|entry| entry.key.kid() == id)
                .ok_or_else(|| Error::Token(TokenError::UnknownKeyId(id.to_string())))?,
            None => keys
                .primary()
                .ok_or_else(|| Error::Setup("an issuer needs at least one key".into()))?,
        };
        let payload = self.payload(claims, &options)?;
        let implicit = options.implicit.as_deref().unwrap_or(&config.implicit);
        let implicit = options
            .kind
            .implicit_assertion(key.key.header().version, implicit);
        let implicit = implicit.as_ref();
        if let Some(raw) = &options.raw_footer {
            if config.use_kid || !options.footer.is_empty() {
                return Err(Error::Token(TokenError::InvalidFooter(
                    "a raw footer cannot carry a kid or other fields".into(),
                )));
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
                return Err(Error::Token(TokenError::InvalidPayload(
                    "claims must serialize to a JSON object".into(),
                )));
            }
            Err(e) => return Err(Error::Token(TokenError::InvalidPayload(untrusted(e)))),
        };
        if map.contains_key(PURPOSE_CLAIM) {
            return Err(Error::Token(TokenError::InvalidPayload(format!(
                "the claim \"{PURPOSE_CLAIM}\" is reserved for paseto-auth's cookie and refresh \
                 tokens; verifiers refuse access tokens that carry it"
            ))));
        }
        // Set through the options only: a `fresh` among an application's claims (user data,
        // say) must not make a token pass `#[paseto_required(fresh)]`, nor a `fam` join a family.
        for claim in [FAMILY_CLAIM, FRESH_CLAIM, CSRF_CLAIM] {
            if map.contains_key(claim) {
                return Err(Error::Token(TokenError::InvalidPayload(format!(
                    "the claim \"{claim}\" is reserved: set it with TokenOptions, not in the claims"
                ))));
            }
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
            let exp = offset(now, lifetime, "exp")?;
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
        if let Some(purpose) = options.kind.purpose() {
            map.insert(PURPOSE_CLAIM.into(), purpose.into());
        }
        if let Some(family) = &options.family {
            map.insert(FAMILY_CLAIM.into(), family.clone().into());
        }
        if let Some((auth_time, generation)) = options.login {
            map.insert(AUTH_TIME_CLAIM.into(), format_time(auth_time).into());
            if let Some(generation) = generation {
                map.insert(GENERATION_CLAIM.into(), generation.into());
            }
        }
        if let Some(csrf) = &options.csrf {
            map.insert(CSRF_CLAIM.into(), csrf.clone().into());
        }
        match options.fresh {
            Some(Freshness::Fresh) => {
                map.insert(FRESH_CLAIM.into(), true.into());
            }
            Some(Freshness::FreshUntil(until)) => {
                map.insert(FRESH_CLAIM.into(), Timestamp(until).to_rfc3339().into());
            }
            None => {}
        }
        Ok(Value::Object(map).to_string())
    }

    /// The issuer's name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.config.issuer.as_deref()
    }

    /// The issuer's keys now (a snapshot: a later [`replace_keys`](Self::replace_keys) does
    /// not change it).
    pub fn keys(&self) -> Arc<KeyRing<SigningKey>> {
        self.config.keys.load_full()
    }

    /// Replaces the issuer's keys at run time, in this issuer and every clone of it: the next
    /// token is signed with the new ring's primary key (a rotation: see [`crate::keyset`]).
    /// Fails, keeping the current ring, when `ring` is empty.
    ///
    /// A [`RefreshTokens`](crate::refresh::RefreshTokens) built from this issuer verifies refresh
    /// tokens with the keys it was built with until it is given new ones
    /// ([`RefreshTokens::replace_keys`](crate::refresh::RefreshTokens::replace_keys)).
    pub fn replace_keys(&self, ring: KeyRing<SigningKey>) -> Result<()> {
        if ring.is_empty() {
            return Err(Error::Setup("an issuer needs at least one key".into()));
        }
        self.config.keys.store(Arc::new(ring));
        Ok(())
    }

    /// The lifetimes of a pair's tokens.
    pub fn pair_lifetimes(&self) -> PairLifetimes {
        self.config.pair_lifetimes
    }

    /// The `iss` the issuer writes, if it writes one.
    pub(crate) fn written_iss(&self) -> Option<&str> {
        let config = &self.config;
        config.issuer.as_deref().filter(|_| config.use_iss)
    }

    /// Whether its tokens name their key (footer `kid`).
    pub(crate) fn writes_kid(&self) -> bool {
        self.config.use_kid
    }

    /// The implicit assertion of its tokens.
    #[doc(hidden)]
    pub fn implicit(&self) -> &[u8] {
        &self.config.implicit
    }
}
