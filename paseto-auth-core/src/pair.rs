//! Token pairs: a short-lived access token and a long-lived refresh token, issued together from
//! credentials ([`Issuer::issue_pair`]) and renewed together from the refresh token
//! ([`RefreshTokens`](crate::refresh::RefreshTokens)). Both carry the pair's family (`fam`), so
//! that a replayed refresh token ends every token issued from that login at once.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use std::time::Duration;

use time::OffsetDateTime;

use crate::claims::{
    AUTH_TIME_CLAIM, FAMILY_CLAIM, FRESH_CLAIM, GENERATION_CLAIM, PURPOSE_CLAIM, random_id,
};
use crate::error::{ClaimError, Error, Result, TokenError, untrusted};
use crate::issuer::{Freshness, Issuer, TokenOptions};
use crate::key::RingKey;
use crate::kind::TokenKind;

/// The claims a pair sets itself, which the caller's claims must not hold.
const PAIR_CLAIMS: [&str; 5] = [
    PURPOSE_CLAIM,
    FAMILY_CLAIM,
    FRESH_CLAIM,
    GENERATION_CLAIM,
    AUTH_TIME_CLAIM,
];

/// An access token and its refresh token, as an OAuth 2.0 token endpoint answers (RFC 6749,
/// section 5.1): `{"access_token", "token_type": "Bearer", "expires_in", "refresh_token",
/// "refresh_expires_in"}`, the lifetimes in seconds. As an axum response it is that JSON with
/// `Cache-Control: no-store` and `Pragma: no-cache`, as RFC 6749 requires.
///
/// Its `Debug` output leaves the tokens out: they are credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPair {
    /// The access token: what guards accept.
    pub access_token: String,
    /// Always `"Bearer"`.
    pub token_type: String,
    /// Seconds the access token lives.
    pub expires_in: u64,
    /// The refresh token: what only a refresh accepts, once.
    pub refresh_token: String,
    /// Seconds the refresh token lives.
    pub refresh_expires_in: u64,
}

impl fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenPair")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_expires_in", &self.refresh_expires_in)
            .finish_non_exhaustive()
    }
}

/// Per-pair settings for [`Issuer::issue_pair`]. A pair is issued from credentials, so its
/// access token is fresh unless [`not_fresh`](Self::not_fresh) says otherwise.
#[derive(Debug, Clone)]
#[must_use]
pub struct PairOptions {
    subject: Option<String>,
    audience: Vec<String>,
    fresh: Option<Freshness>,
}

impl Default for PairOptions {
    fn default() -> Self {
        PairOptions {
            subject: None,
            audience: Vec::new(),
            fresh: Some(Freshness::Fresh),
        }
    }
}

impl PairOptions {
    /// A fresh pair, without `sub` or `aud`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `sub` of both tokens (the user's id: a subject revocation then ends them too).
    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self
    }

    /// Adds an audience to both tokens.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audience.push(aud.into());
        self
    }

    /// The access token is fresh only for `window` after issue (`fresh` holds that time).
    pub fn fresh_for(mut self, window: std::time::Duration) -> Result<Self> {
        let until = crate::issuer::offset(time::OffsetDateTime::now_utc(), window, "fresh")?;
        self.fresh = Some(Freshness::FreshUntil(until));
        Ok(self)
    }

    /// The access token is not fresh (it was not issued from credentials just given).
    pub fn not_fresh(mut self) -> Self {
        self.fresh = None;
        self
    }
}

/// What both tokens of a pair carry besides the time claims: the custom claims, `sub`, `aud`,
/// the family and the login's time; and the refresh token's generation.
pub(crate) struct PairClaims {
    pub(crate) claims: Map<String, Value>,
    pub(crate) subject: Option<String>,
    pub(crate) audience: Vec<String>,
    pub(crate) family: String,
    pub(crate) auth_time: OffsetDateTime,
    pub(crate) generation: u64,
}

impl Issuer {
    /// Issues a pair for `claims` (a JSON object): an access token (default 15 minutes, fresh)
    /// and a refresh token (default 14 days), in a new family. See
    /// [`IssuerBuilder::pair_lifetimes`](crate::IssuerBuilder::pair_lifetimes).
    ///
    /// ```
    /// use paseto_auth_core::{Issuer, PairOptions, key::SecretKey, Version};
    /// let issuer = Issuer::builder()
    ///     .issuer("https://issuer.example")
    ///     .key(SecretKey::generate(Version::V4)?)
    ///     .build()?;
    /// let pair = issuer.issue_pair(&serde_json::json!({"role": "admin"}), PairOptions::new().subject("42"))?;
    /// assert_eq!((pair.token_type.as_str(), pair.expires_in), ("Bearer", 900));
    /// assert_eq!(pair.refresh_expires_in, 14 * 24 * 3600);
    /// # Ok::<(), paseto_auth_core::Error>(())
    /// ```
    pub fn issue_pair<C: Serialize + ?Sized>(
        &self,
        claims: &C,
        options: PairOptions,
    ) -> Result<TokenPair> {
        let claims = match serde_json::to_value(claims) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(Error::Token(TokenError::InvalidPayload(
                    "claims must serialize to a JSON object".into(),
                )));
            }
            Err(e) => return Err(Error::Token(TokenError::InvalidPayload(untrusted(e)))),
        };
        // The pair sets them: claims of the caller's could make a refreshed token fresh, or
        // outlive its login.
        if let Some(claim) = PAIR_CLAIMS
            .into_iter()
            .find(|claim| claims.contains_key(*claim))
        {
            return Err(Error::Token(TokenError::InvalidPayload(format!(
                "the claim \"{claim}\" is set by the pair; leave it out of the claims"
            ))));
        }
        let pair = PairClaims {
            claims,
            subject: options.subject,
            audience: options.audience,
            family: random_id()?,
            auth_time: OffsetDateTime::now_utc(),
            generation: 0,
        };
        self.issue_pair_of(&pair, options.fresh, OffsetDateTime::now_utc())
    }

    /// Issues the two tokens of `pair` at `now`, the access token with `fresh`. Neither
    /// outlives the login's maximum age.
    pub(crate) fn issue_pair_of(
        &self,
        pair: &PairClaims,
        fresh: Option<Freshness>,
        now: OffsetDateTime,
    ) -> Result<TokenPair> {
        self.check_pair_key()?;
        let lifetimes = self.pair_lifetimes();
        let login_end = crate::issuer::offset(pair.auth_time, lifetimes.login, "exp")?;
        let remaining = Duration::try_from(login_end - now).unwrap_or(Duration::ZERO);
        if remaining < Duration::from_secs(1) {
            return Err(Error::Claims(ClaimError::Expired));
        }
        let (access_lifetime, refresh_lifetime) = (
            lifetimes.access.min(remaining),
            lifetimes.refresh.min(remaining),
        );
        let options = |lifetime, generation| {
            let mut options = TokenOptions::new()
                .lifetime(lifetime)
                .family(pair.family.clone());
            options.login = Some((pair.auth_time, generation));
            if let Some(sub) = &pair.subject {
                options = options.subject(sub.clone());
            }
            for aud in &pair.audience {
                options = options.audience(aud.clone());
            }
            options
        };
        let access = options(access_lifetime, None).freshness(fresh);
        // A refresh token always has its own id, whatever `use_jti` says: a single one can be
        // revoked.
        let mut refresh = options(refresh_lifetime, Some(pair.generation)).token_id(random_id()?);
        refresh.kind = TokenKind::Refresh;
        Ok(TokenPair {
            access_token: self.issue_with(&pair.claims, access)?,
            token_type: "Bearer".to_owned(),
            expires_in: access_lifetime.as_secs(),
            refresh_token: self.issue_with(&pair.claims, refresh)?,
            refresh_expires_in: refresh_lifetime.as_secs(),
        })
    }

    /// Refuses pairs signed with a v2 key: v2 has no implicit assertion, so a verifier that does
    /// not know paseto-auth's `pur` rule (another service's) would take a refresh token for an
    /// access token.
    fn check_pair_key(&self) -> Result<()> {
        match self.keys().primary() {
            Some(entry) if !entry.key.header().version.has_implicit_assertion() => {
                Err(Error::Setup(format!(
                    "token pairs need a v3 or v4 key: {} tokens have no implicit assertion to \
                     keep refresh tokens from passing as access tokens elsewhere",
                    entry.key.header().version
                )))
            }
            _ => Ok(()),
        }
    }
}
