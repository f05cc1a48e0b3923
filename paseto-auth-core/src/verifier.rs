//! The verifier: checks a token's size, version, footer, key, signature or tag, payload, times,
//! key-bound issuer and requirements, and returns typed claims.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use arc_swap::ArcSwap;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::Requirements;
use crate::claims::{ClaimField, PasetoClaims, RegisteredClaims, TimeRules, parse_payload};
use crate::key::{KeyId, KeyRing, LocalKey, PublicKey, RingEntry, RingKey, VerificationKey};
use crate::kind::TokenKind;
use crate::token::{DEFAULT_MAX_TOKEN_LEN, Footer, FooterLimits, Payload, UntrustedToken};
use crate::verify_cache::{CacheStats, DEFAULT_CACHE_MAX_AGE, DEFAULT_CACHE_SIZE, VerifyCache};
use crate::{Cause, ClaimError, Error, Result, TokenError, truncated};
use crate::{Header, Purpose, Version};

/// A verified token: typed custom claims plus everything else the token said. (In an axum
/// handler, `paseto_auth_core::Paseto<C>` holds the same, taken from the request.)
#[derive(Debug, Clone)]
pub struct VerifiedToken<C = Map<String, Value>> {
    /// The custom claims, deserialized from the payload.
    pub claims: C,
    /// The registered claims.
    pub registered: RegisteredClaims,
    /// Version and purpose.
    pub header: Header,
    /// The (authenticated) footer.
    pub footer: Footer,
    /// The id of the key that verified the token.
    pub key_id: KeyId,
}

impl<C> AsRef<RegisteredClaims> for VerifiedToken<C> {
    fn as_ref(&self) -> &RegisteredClaims {
        &self.registered
    }
}

impl<C> VerifiedToken<C> {
    /// The token's version.
    pub fn version(&self) -> Version {
        self.header.version
    }

    /// The token's purpose.
    pub fn purpose(&self) -> Purpose {
        self.header.purpose
    }

    /// Replaces the claims, keeping the rest.
    pub fn map_claims<D>(self, f: impl FnOnce(C) -> D) -> VerifiedToken<D> {
        VerifiedToken {
            claims: f(self.claims),
            registered: self.registered,
            header: self.header,
            footer: self.footer,
            key_id: self.key_id,
        }
    }
}

impl VerifiedToken<Map<String, Value>> {
    /// Deserializes the untyped claims into `C`.
    ///
    /// Each claim `C` requires ([`PasetoClaims::CLAIMS`]: a field that is not an `Option` and
    /// has no default) must be present with a value other than `null`, whatever the field's
    /// type would accept; otherwise this fails with [`ClaimError::ClaimsType`] naming the claim.
    pub fn into_typed<C: PasetoClaims>(self) -> Result<VerifiedToken<C>> {
        check_required_claims(C::CLAIMS, &self.claims)?;
        // Consumes the map: its strings move into `C`, nothing is copied.
        let claims = C::deserialize(self.claims).map_err(claims_type)?;
        Ok(VerifiedToken {
            claims,
            registered: self.registered,
            header: self.header,
            footer: self.footer,
            key_id: self.key_id,
        })
    }

    /// [`into_typed`](Self::into_typed) from a shared token (one a guard verified for the
    /// request): the claims are deserialized from the map in place, the rest is copied.
    pub fn to_typed<C: PasetoClaims>(&self) -> Result<VerifiedToken<C>> {
        check_required_claims(C::CLAIMS, &self.claims)?;
        let claims = C::deserialize(&self.claims).map_err(claims_type)?;
        Ok(VerifiedToken {
            claims,
            registered: self.registered.clone(),
            header: self.header,
            footer: self.footer.clone(),
            key_id: self.key_id.clone(),
        })
    }
}

fn claims_type(err: serde_json::Error) -> Error {
    Error::Claims(ClaimError::ClaimsType(Cause::new(err)))
}

/// How many keys a token without a PASERK `kid` is tried against by default (see
/// [`VerifierBuilder::max_key_trials`]).
pub const DEFAULT_MAX_KEY_TRIALS: usize = 1;

/// Refuses a token of another version or purpose than `route` asks for.
fn check_route_header(route: &Requirements, header: Header) -> Result<()> {
    if route
        .required_version()
        .is_some_and(|v| v != header.version)
    {
        return Err(Error::Token(TokenError::VersionNotAllowed(header.version)));
    }
    if route
        .required_purpose()
        .is_some_and(|p| p != header.purpose)
    {
        return Err(Error::Token(TokenError::PurposeNotAllowed(header.purpose)));
    }
    Ok(())
}

/// Refuses claims where a claim `fields` requires is absent or `null`.
fn check_required_claims(fields: &[ClaimField], claims: &Map<String, Value>) -> Result<()> {
    match fields
        .iter()
        .find(|field| field.required && claims.get(field.name).is_none_or(Value::is_null))
    {
        Some(field) => Err(Error::Claims(ClaimError::ClaimsType(Cause::msg(format!(
            "the claim \"{}\" is required and is absent or null",
            field.name
        ))))),
        None => Ok(()),
    }
}

/// What a verifier is told when a token names a PASERK key id its ring does not hold (a key
/// source that may fetch it: see [`crate::keyset`]). Called on the request's thread: it must
/// return at once.
pub(crate) type UnknownKeyHook = Arc<dyn Fn(&str) + Send + Sync>;

/// The verifier's keys as one request sees them: a ring and its generation (the verified-token
/// cache keeps only what the current generation verified).
#[derive(Debug)]
struct Keys {
    ring: Arc<KeyRing<VerificationKey>>,
    generation: u64,
}

struct Config {
    /// Swapped whole at run time ([`Verifier::replace_keys`]); a request loads it once, so it
    /// sees one ring from start to end.
    keys: ArcSwap<Keys>,
    /// The generation of the last ring swapped in.
    generation: AtomicU64,
    /// Held while a ring is swapped in, so that generations are stored in order.
    swap_lock: std::sync::Mutex<()>,
    unknown_key: OnceLock<UnknownKeyHook>,
    versions: Vec<Version>,
    time: TimeRules,
    requirements: Requirements,
    implicit: Vec<u8>,
    max_token_len: usize,
    footer_limits: FooterLimits,
    cache: Option<VerifyCache<VerifiedToken>>,
    max_key_trials: usize,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("keys", &self.keys.load().ring)
            .field("generation", &self.generation)
            .field("versions", &self.versions)
            .field("time", &self.time)
            .field("requirements", &self.requirements)
            .field("max_token_len", &self.max_token_len)
            .field("footer_limits", &self.footer_limits)
            .field("cache", &self.cache)
            .field("max_key_trials", &self.max_key_trials)
            .field("unknown_key", &self.unknown_key.get().map(|_| ".."))
            .finish_non_exhaustive()
    }
}

/// Refuses a ring with a key of a version `versions` does not hold.
fn check_ring_versions(ring: &KeyRing<VerificationKey>, versions: &[Version]) -> Result<()> {
    match ring
        .iter()
        .find(|e| !versions.contains(&e.key.header().version))
    {
        Some(entry) => Err(Error::Setup(format!(
            "key {} is for {}, which is not an allowed version (allow it explicitly)",
            entry.key.kid(),
            entry.key.header().version
        ))),
        None => Ok(()),
    }
}

/// Verifies tokens. Cheap to clone (shared behind an `Arc`), so it can live in router state.
///
/// ```
/// use paseto_auth_core::{Issuer, Verifier, key::SecretKey, Version};
/// let key = SecretKey::generate(Version::V4)?;
/// let issuer = Issuer::builder().issuer("https://issuer.example").key(key.clone()).build()?;
/// let verifier = Verifier::builder()
///     .public_key(key.public_key().clone(), "https://issuer.example")
///     .build()?;
/// let token = issuer.issue(&serde_json::json!({"user": "alice"}))?;
/// let verified = verifier.verify::<serde_json::Value>(&token)?;
/// assert_eq!(verified.claims["user"], "alice");
/// assert_eq!(verified.registered.iss.as_deref(), Some("https://issuer.example"));
/// # Ok::<(), paseto_auth_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    config: Arc<Config>,
}

/// Builds a [`Verifier`].
#[derive(Debug, Default)]
#[must_use]
pub struct VerifierBuilder {
    keys: KeyRing<VerificationKey>,
    versions: Option<Vec<Version>>,
    time: TimeRules,
    requirements: Requirements,
    implicit: Vec<u8>,
    max_token_len: Option<usize>,
    footer_limits: FooterLimits,
    cache: CacheSettings,
    max_key_trials: Option<usize>,
}

/// The size and maximum age of a verifier's cache.
#[derive(Debug, Clone, Copy)]
struct CacheSettings {
    size: usize,
    max_age: Duration,
}

impl Default for CacheSettings {
    fn default() -> Self {
        CacheSettings {
            size: DEFAULT_CACHE_SIZE,
            max_age: DEFAULT_CACHE_MAX_AGE,
        }
    }
}

impl VerifierBuilder {
    /// Trusts `key` for tokens that claim `issuer` (and only those: a token from this key that
    /// claims another `iss`, or none, is refused).
    pub fn public_key(mut self, key: PublicKey, issuer: impl Into<String>) -> Self {
        self.keys.push(key.into(), Some(issuer.into()));
        self
    }

    /// Trusts `key` for tokens of any issuer.
    pub fn unbound_public_key(mut self, key: PublicKey) -> Self {
        self.keys.push(key.into(), None);
        self
    }

    /// Trusts a local key (for `local` tokens), optionally bound to an issuer.
    pub fn local_key(mut self, key: LocalKey, issuer: Option<String>) -> Self {
        self.keys.push(key.into(), issuer);
        self
    }

    /// Adds a key ring's keys (with their issuers and validity).
    pub fn keys(mut self, ring: KeyRing<VerificationKey>) -> Self {
        for entry in ring.iter() {
            self.keys.push_entry(entry.clone());
        }
        self
    }

    /// The versions accepted (default: v4 and v3). v2 is deprecated and only accepted when listed.
    pub fn versions(mut self, versions: impl IntoIterator<Item = Version>) -> Self {
        self.versions = Some(versions.into_iter().collect());
        self
    }

    /// Clock skew tolerated on time claims (Flask's `PASETO_SKEW`; default 0).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.time.leeway = leeway;
        self
    }

    /// Accept tokens without `exp` (by default they are refused).
    pub fn allow_no_expiration(mut self, allow: bool) -> Self {
        self.time.allow_no_exp = allow;
        self
    }

    /// Skip every time check. Only for debugging tools: an expired token then passes.
    pub fn skip_time_checks(mut self, skip: bool) -> Self {
        self.time.skip = skip;
        self
    }

    /// Requirements every token must meet (routes may add more).
    pub fn requirements(mut self, requirements: Requirements) -> Self {
        self.requirements = requirements;
        self
    }

    /// The implicit assertion tokens were made with (v3/v4).
    pub fn implicit_assertion(mut self, implicit: impl Into<Vec<u8>>) -> Self {
        self.implicit = implicit.into();
        self
    }

    /// Maximum token length in bytes (default 8 KiB).
    pub fn max_token_len(mut self, len: usize) -> Self {
        self.max_token_len = Some(len);
        self
    }

    /// Footer limits (default 1 KiB, depth 2, 16 keys).
    pub fn footer_limits(mut self, limits: FooterLimits) -> Self {
        self.footer_limits = limits;
        self
    }

    /// How many verified access tokens to keep, so that a token seen again skips its signature
    /// check (default [`DEFAULT_CACHE_SIZE`]; 0 turns the cache off; `PASETO_VERIFY_CACHE_SIZE`).
    /// Every other check still runs on every use.
    ///
    /// # The cache
    ///
    /// A service sees the same access token on many requests, and the signature check is most of
    /// what verifying one costs. The cache keeps, by the token's exact text, what verification
    /// found out independently of the route and of the time — that the token is authentic, under
    /// which key, with which claims — and nothing else:
    ///
    /// - every check that depends on the time or the route runs again on every hit: `exp`, `nbf`
    ///   and `iat` against the clock, the verifier's and the route's requirements, the route's
    ///   version and purpose, and (in `PasetoAuth`) the revocation store;
    /// - an entry leaves after a maximum age (5 minutes by default), and is never used past `exp`;
    /// - it belongs to one verifier, and to one generation of its keys: a key ring swapped at run
    ///   time ([`Verifier::replace_keys`](crate::Verifier::replace_keys), a fetched key set) empties
    ///   it, an entry records its ring's generation and its key's not-after, and an entry of another
    ///   generation, or past its key's not-after, is never answered;
    /// - only access tokens are cached (never a refresh token, never a refusal), and only from their
    ///   second verification on: a token seen once is only remembered by its hash (8 bytes in a
    ///   fixed table), so a stream of tokens each seen once — a client that never reuses one, or a
    ///   flood — costs a hash per token, not an entry;
    /// - it is bounded in entries and in bytes, and evicts with quick_cache's S3-FIFO policy, chosen
    ///   by measurement against moka and a `HashMap` behind an `RwLock` (`paseto_auth::docs::performance`
    ///   has the figures).
    ///
    /// Hits and misses are counted ([`Verifier::cache_stats`](crate::Verifier::cache_stats)) and
    /// each is a `trace` event (`hit`, `total`) for a subscriber that wants them.
    ///
    /// **Timing.** A hit answers faster than a miss, so an observer can tell whether a token they
    /// send was already cached. That reveals nothing they can use to forge one: only tokens that
    /// verified are ever inserted, so a hit needs the exact text of a valid token, which is the
    /// credential itself. The lookup hashes the token with a randomly seeded hasher, so an attacker
    /// cannot aim guesses at the bucket of a cached token to time the byte comparison either.
    pub fn cache_size(mut self, size: usize) -> Self {
        self.cache.size = size;
        self
    }

    /// How long a token stays cached at most (default [`DEFAULT_CACHE_MAX_AGE`]).
    pub fn cache_max_age(mut self, max_age: Duration) -> Self {
        self.cache.max_age = max_age;
        self
    }

    /// How many keys a token whose footer names none (no PASERK `kid`) may be tried against
    /// (default 1; `PASETO_MAX_KEY_TRIALS`). Each trial is a signature check, so a forged kid-less
    /// token would otherwise cost one per key. With more keys of its version and purpose than
    /// that, a `public` token is tried only against the keys bound to the issuer its (untrusted)
    /// payload claims, and those bound to none: refused with [`TokenError::NoKey`] when there are
    /// none, with [`TokenError::KeyIdRequired`] when there are still too many, before any
    /// cryptography either way. So tokens of several issuers with one key each verify without a
    /// `kid` (flask-paseto-extended writes none by default). A `local` token is refused with
    /// `KeyIdRequired` (its payload is encrypted). Tokens of this crate's issuer carry a `kid`
    /// unless `use_kid` is off.
    pub fn max_key_trials(mut self, trials: usize) -> Self {
        self.max_key_trials = Some(trials);
        self
    }

    /// The keys added so far.
    #[doc(hidden)]
    pub fn ring(&self) -> KeyRing<VerificationKey> {
        self.keys.clone()
    }

    /// The versions the verifier will accept.
    #[doc(hidden)]
    pub fn allowed_versions(&self) -> Vec<Version> {
        self.versions
            .clone()
            .unwrap_or_else(|| vec![Version::V4, Version::V3])
    }

    /// The builder with `ring` in place of its keys.
    #[doc(hidden)]
    pub fn keys_replaced(mut self, ring: KeyRing<VerificationKey>) -> Self {
        self.keys = ring;
        self
    }

    /// Whether a key was added.
    pub(crate) fn has_keys(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Builds the verifier. Fails when it has no key, or when a key's version is not allowed.
    pub fn build(self) -> Result<Verifier> {
        let versions = self
            .versions
            .unwrap_or_else(|| vec![Version::V4, Version::V3]);
        if self.keys.is_empty() {
            return Err(Error::Setup("a verifier needs at least one key".into()));
        }
        check_ring_versions(&self.keys, &versions)?;
        Ok(Verifier {
            config: Arc::new(Config {
                keys: ArcSwap::from_pointee(Keys {
                    ring: Arc::new(self.keys),
                    generation: 0,
                }),
                generation: AtomicU64::new(0),
                swap_lock: std::sync::Mutex::new(()),
                unknown_key: OnceLock::new(),
                versions,
                time: self.time,
                requirements: self.requirements,
                implicit: self.implicit,
                max_token_len: self.max_token_len.unwrap_or(DEFAULT_MAX_TOKEN_LEN),
                footer_limits: self.footer_limits,
                cache: (self.cache.size > 0 && !self.cache.max_age.is_zero())
                    .then(|| VerifyCache::new(self.cache.size, self.cache.max_age)),
                max_key_trials: self.max_key_trials.unwrap_or(DEFAULT_MAX_KEY_TRIALS).max(1),
            }),
        })
    }
}

impl Verifier {
    /// Starts building a verifier.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// Verifies `token` and deserializes its claims into `C`.
    pub fn verify<C: PasetoClaims>(&self, token: &str) -> Result<VerifiedToken<C>> {
        self.verify_with(token, &Requirements::new())
    }

    /// Verifies `token`, checks `route` requirements on top of the verifier's, and deserializes
    /// its claims into `C`.
    pub fn verify_with<C: PasetoClaims>(
        &self,
        token: &str,
        route: &Requirements,
    ) -> Result<VerifiedToken<C>> {
        self.verify_untyped(token, route)?.into_typed()
    }

    /// Verifies `token` and returns its claims as a JSON map.
    pub fn verify_untyped(&self, token: &str, route: &Requirements) -> Result<VerifiedToken> {
        self.verify_kind(token, route, TokenKind::Access)
            .map(|shared| Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone()))
    }

    /// [`verify_untyped`](Self::verify_untyped), the verified token shared with the cache rather
    /// than copied out of it: what the guards use.
    #[doc(hidden)]
    pub fn verify_shared(&self, token: &str, route: &Requirements) -> Result<Arc<VerifiedToken>> {
        self.verify_kind(token, route, TokenKind::Access)
    }

    /// Verifies `token` as a token of `kind` (an access token, or a refresh token: their
    /// implicit assertions and `pur` differ). An access token found in the cache skips the
    /// authenticity checks; every check of the route and the time runs either way.
    pub(crate) fn verify_kind(
        &self,
        token: &str,
        route: &Requirements,
        kind: TokenKind,
    ) -> Result<Arc<VerifiedToken>> {
        let verified = self.verify_counted(token, route, kind);
        crate::metrics::verification(verified.as_ref().map(|_| ()).map_err(Error::kind));
        verified
    }

    fn verify_counted(
        &self,
        token: &str,
        route: &Requirements,
        kind: TokenKind,
    ) -> Result<Arc<VerifiedToken>> {
        let config = &self.config;
        if token.len() > config.max_token_len {
            return Err(Error::Token(TokenError::TokenTooLarge {
                len: token.len(),
                limit: config.max_token_len,
            }));
        }
        // One ring for the whole verification, whatever a swap does meanwhile.
        let keys = config.keys.load();
        let now = OffsetDateTime::now_utc();
        let cache = config.cache.as_ref().filter(|_| kind == TokenKind::Access);
        let authentic = match cache.and_then(|cache| cache.get(token, keys.generation, now)) {
            Some(hit) => hit.token.clone(),
            None => {
                let (authentic, key_not_after) = self.authentic(&keys, token, route, kind, now)?;
                let authentic = Arc::new(authentic);
                if let Some(cache) = cache.filter(|cache| cache.admits(token)) {
                    cache.insert(token, authentic.clone(), keys.generation, key_not_after);
                }
                authentic
            }
        };
        self.admit(&authentic, route, now)?;
        Ok(authentic)
    }

    /// What is true of `token` whatever the route and the time: its version is accepted, a key
    /// of this verifier signed (or sealed) it, its payload parses, it is of `kind`, and its
    /// issuer is the one its key is bound to. Refuses a token of another version or purpose
    /// than the route's before any cryptography.
    /// Returns the token and its key's not-after.
    fn authentic(
        &self,
        keys: &Keys,
        token: &str,
        route: &Requirements,
        kind: TokenKind,
        now: OffsetDateTime,
    ) -> Result<(VerifiedToken, Option<OffsetDateTime>)> {
        let config = &self.config;
        let untrusted = UntrustedToken::parse(token, config.max_token_len)?;
        let header = untrusted.header();
        if !config.versions.contains(&header.version) {
            return Err(Error::Token(TokenError::VersionNotAllowed(header.version)));
        }
        check_route_header(route, header)?;
        let footer = Footer::parse(untrusted.untrusted_footer(), &config.footer_limits)?;
        let (entry, payload) = self.open(&keys.ring, &untrusted, footer.kid(), kind, now)?;
        let claims = parse_payload(&payload)?;
        // A refresh token, or a cookie sealed with a key that is also an API key, as an access
        // token (or the reverse). v3/v4 ones do not even open here (their implicit assertion
        // differs); v2 ones do, and this is what refuses them.
        kind.check_purpose(&claims)?;
        let registered = RegisteredClaims::from_payload(&claims)?;
        if let Some(bound) = &entry.issuer
            && !entry.speaks_for(registered.iss.as_deref())
        {
            return Err(Error::Claims(ClaimError::IssuerMismatch {
                expected: bound.clone(),
                found: registered.iss.as_deref().map(truncated),
            }));
        }
        let token = VerifiedToken {
            claims,
            registered,
            header,
            footer,
            key_id: entry.key.kid().clone(),
        };
        Ok((token, entry.not_after))
    }

    /// Admits an authentic token now, for `route`: its version and purpose, its times (with the
    /// route's leeway), and the verifier's and the route's requirements.
    fn admit(
        &self,
        token: &VerifiedToken,
        route: &Requirements,
        now: OffsetDateTime,
    ) -> Result<()> {
        let config = &self.config;
        check_route_header(route, token.header)?;
        let time = TimeRules {
            leeway: route.leeway_override().unwrap_or(config.time.leeway),
            ..config.time
        };
        time.check(&token.registered, now)?;
        config
            .requirements
            .check(&token.registered, &token.claims)?;
        route.check(&token.registered, &token.claims)
    }

    /// Whether `other` is this verifier or a clone of it: one configuration, one key ring (swapped
    /// for both at once), one cache. Both are held, so neither address can have been freed and
    /// reused by another verifier.
    #[doc(hidden)]
    pub fn is_same(&self, other: &Verifier) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
    }

    /// How the verifier's token cache has done; `None` when it has none.
    pub fn cache_stats(&self) -> Option<CacheStats> {
        self.config.cache.as_ref().map(VerifyCache::stats)
    }

    /// Tries the candidate keys in force at `now`; the first that opens the token wins. A PASERK
    /// id the ring does not hold is reported to the unknown-key hook, if any.
    fn open<'r>(
        &self,
        ring: &'r KeyRing<VerificationKey>,
        token: &UntrustedToken,
        kid: Option<&str>,
        kind: TokenKind,
        now: OffsetDateTime,
    ) -> Result<(&'r RingEntry<VerificationKey>, Payload)> {
        let mut candidates = match ring.candidates(token.header(), kid) {
            Ok(candidates) => candidates,
            Err(err) => {
                if let (
                    Error::Token(TokenError::UnknownKeyId(_)) | Error::Token(TokenError::NoKey(_)),
                    Some(kid),
                    Some(hook),
                ) = (&err, kid, self.config.unknown_key.get())
                    && KeyId::is_paserk_id(kid)
                {
                    hook(kid);
                }
                return Err(err);
            }
        };
        let named = candidates.len();
        candidates.retain(|entry| entry.in_force_at(now));
        if candidates.is_empty() {
            // Every key that could check it is out of force (a PASERK kid names one key).
            return Err(match (named, kid) {
                (1, Some(kid)) if KeyId::is_paserk_id(kid) => {
                    Error::Token(TokenError::KeyOutsideValidity(crate::untrusted(kid)))
                }
                _ => Error::Token(TokenError::NoKey(token.header())),
            });
        }
        // A PASERK kid selects one key; without one, the work of a refusal must not grow with the
        // ring. Too many keys: a `public` token's payload, readable before verification, names the
        // issuer it claims, and only keys bound to that issuer (or to none) could accept it —
        // every other refuses it after its signature check (`IssuerMismatch`). Only those are
        // tried, within the same bound: two issuers with one key each, writing no kid (as
        // flask-paseto-extended does by default), cost one trial per token. `local` tokens read
        // nothing before decryption.
        if candidates.len() > self.config.max_key_trials
            && token.header().purpose == Purpose::Public
        {
            let claimed = token.untrusted_issuer();
            candidates.retain(|entry| entry.speaks_for(claimed.as_deref()));
            if candidates.is_empty() {
                return Err(Error::Token(TokenError::NoKey(token.header())));
            }
        }
        if candidates.len() > self.config.max_key_trials {
            return Err(Error::Token(TokenError::KeyIdRequired(candidates.len())));
        }
        let implicit = kind.implicit_assertion(token.header().version, &self.config.implicit);
        let mut last = Error::Token(TokenError::InvalidSignature);
        for entry in candidates {
            match token.open(&entry.key, &implicit) {
                Ok(payload) => return Ok((entry, payload)),
                Err(err) => last = err,
            }
        }
        Err(last)
    }

    /// The versions this verifier accepts.
    pub fn versions(&self) -> &[Version] {
        &self.config.versions
    }

    /// The verifier's keys now (a snapshot: a later [`replace_keys`](Self::replace_keys) does
    /// not change it).
    pub fn keys(&self) -> Arc<KeyRing<VerificationKey>> {
        self.config.keys.load().ring.clone()
    }

    /// Replaces the verifier's keys at run time, in this verifier and every clone of it (a
    /// rotation without a restart). Requests under way finish with the ring they started with;
    /// the next ones see the new one. The verified-token cache is emptied, and a token verified
    /// under the old ring is never answered from it: a key removed here stops passing tokens at
    /// once.
    ///
    /// Fails (and keeps the current ring) when `ring` is empty or holds a key of a version the
    /// verifier does not accept.
    pub fn replace_keys(&self, ring: KeyRing<VerificationKey>) -> Result<()> {
        if ring.is_empty() {
            return Err(Error::Setup("a verifier needs at least one key".into()));
        }
        self.swap_keys(ring)
    }

    /// [`replace_keys`](Self::replace_keys), an empty ring allowed (a fetched key set that went
    /// stale: every token is refused until keys come back).
    #[doc(hidden)]
    pub fn swap_keys(&self, ring: KeyRing<VerificationKey>) -> Result<()> {
        check_ring_versions(&ring, &self.config.versions)?;
        let _swapping = self
            .config
            .swap_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let generation = self.config.generation.fetch_add(1, Ordering::AcqRel) + 1;
        self.config.keys.store(Arc::new(Keys {
            ring: Arc::new(ring),
            generation,
        }));
        if let Some(cache) = &self.config.cache {
            cache.clear();
        }
        Ok(())
    }

    /// The generation of the verifier's keys: 0 as built, one more at each replacement.
    pub fn key_generation(&self) -> u64 {
        self.config.keys.load().generation
    }

    /// Sets what the verifier tells when a token names a key id it does not hold (once; a
    /// second hook is refused and `false` returned).
    #[doc(hidden)]
    pub fn on_unknown_key(&self, hook: UnknownKeyHook) -> bool {
        self.config.unknown_key.set(hook).is_ok()
    }
}
