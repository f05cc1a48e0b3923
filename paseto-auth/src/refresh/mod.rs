//! Refreshing token pairs: each refresh token is used once, and a refresh token used twice —
//! one of the two is a thief's — ends its whole family (OAuth 2.0 Security BCP, RFC 9700,
//! section 4.14.2). The use is recorded atomically in the revocation store, so this holds across
//! every instance that shares it.
//!
//! [`RefreshTokens::refresh`] is the whole rule; as a tower service (feature `axum`) it is a
//! token endpoint, `POST /token/refresh`, taking the refresh token from a JSON body, a form or an
//! `HttpOnly` cookie ([`RefreshCookie`]).

#[cfg(feature = "axum")]
mod cookie;
#[cfg(feature = "axum")]
mod service;

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::claims::{FAMILY_CLAIM, FRESH_CLAIM, PURPOSE_CLAIM};
use crate::error::{Error, Result};
use crate::issuer::{Issuer, offset};
use crate::key::SigningKey;
use crate::kind::TokenKind;
use crate::pair::{PairClaims, TokenPair};
use crate::requirements::Requirements;
use crate::store::{Revocations, TokenRef};
use crate::verifier::{Paseto, Verifier};
use crate::version::Version;

#[cfg(feature = "axum")]
pub use cookie::RefreshCookie;

/// The claims a refreshed pair does not copy from the refresh token: the time claims and ids it
/// gets anew, and those it sets itself.
const NOT_COPIED: [&str; 9] = [
    "iss",
    "iat",
    "exp",
    "nbf",
    "jti",
    "sub",
    "aud",
    PURPOSE_CLAIM,
    FRESH_CLAIM,
];

/// How long after its last refresh a family may still have a live token, beyond the refresh
/// token's lifetime: the clock skew an instance may have.
const FAMILY_LEEWAY: time::Duration = time::Duration::minutes(5);

/// Renews token pairs from refresh tokens, once each, with reuse detection.
///
/// ```
/// use paseto_auth::refresh::RefreshTokens;
/// use paseto_auth::store::{MemoryStore, Revocations};
/// use paseto_auth::{Issuer, PairOptions, key::SecretKey, Version};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let issuer = Issuer::builder()
///     .issuer("https://issuer.example")
///     .key(SecretKey::generate(Version::V4)?)
///     .build()?;
/// let refresh = RefreshTokens::new(issuer.clone(), Revocations::new(MemoryStore::new()))?;
/// let pair = issuer.issue_pair(&serde_json::json!({}), PairOptions::new().subject("42"))?;
/// let renewed = refresh.refresh(&pair.refresh_token).await?;
/// assert_ne!(renewed.access_token, pair.access_token);
/// // The old refresh token is used: presenting it again ends the family (the renewed pair too).
/// let replay = refresh.refresh(&pair.refresh_token).await.unwrap_err();
/// assert_eq!(replay.kind(), paseto_auth::ErrorKind::RefreshTokenReused);
/// # Ok::<(), paseto_auth::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct RefreshTokens {
    issuer: Issuer,
    verifier: Verifier,
    revocations: Revocations,
    #[cfg(feature = "axum")]
    cookie: Option<std::sync::Arc<RefreshCookie>>,
}

impl RefreshTokens {
    /// Refreshes the pairs `issuer` issues, recording uses and revocations in `revocations` (share
    /// it with the `PasetoAuth` that checks the access tokens, so a revoked family's access
    /// tokens are refused too).
    pub fn new(issuer: Issuer, revocations: Revocations) -> Result<Self> {
        Ok(RefreshTokens {
            verifier: verifier_for(&issuer)?,
            issuer,
            revocations,
            #[cfg(feature = "axum")]
            cookie: None,
        })
    }

    /// The revocations it records in.
    pub fn revocations(&self) -> &Revocations {
        &self.revocations
    }

    /// A new pair for `refresh_token`, which is used up. Fails with [`Error::RefreshTokenReused`]
    /// (and revokes the token's family: every access and refresh token issued from the same
    /// login) when the token was used before; with [`Error::Revoked`] when its family, subject
    /// or key is revoked; with the verifier's errors when it is not a valid refresh token of this
    /// issuer (an access token is not); with [`Error::StoreUnavailable`] when the store fails
    /// (whatever its failure policy: an unrecorded use would let a replay through unseen).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let token =
            self.verifier
                .verify_kind(refresh_token, &Requirements::new(), TokenKind::Refresh)?;
        let (token_id, family, expires_at) = refresh_ids(&token)?;
        let checked = TokenRef {
            token_id: Some(token_id),
            family: Some(family),
            subject: token.registered.sub.as_deref(),
            issued_at: token.registered.iat,
            key_id: Some(token.key_id.as_str()),
        };
        self.revocations.check(checked).await?;
        let first_use = self
            .revocations
            .consume(token_id, expires_at)
            .await
            .map_err(Error::StoreUnavailable)?;
        if !first_use {
            tracing::warn!(
                family,
                subject = token.registered.sub.as_deref(),
                "a refresh token was used twice; its family is revoked"
            );
            self.revoke_family(family).await?;
            return Err(Error::RefreshTokenReused);
        }
        self.issuer.issue_pair_of(&copied_claims(token), None)
    }

    /// Ends the family of `token` (an access or refresh token of a pair): its refresh token stops
    /// working, and so does every access token issued from it. A logout.
    pub async fn end_family(&self, token: &Paseto) -> Result<()> {
        match token.claims.get(FAMILY_CLAIM) {
            Some(Value::String(family)) => self.revoke_family(family).await,
            _ => Err(Error::MissingClaim(FAMILY_CLAIM.into())),
        }
    }

    async fn revoke_family(&self, family: &str) -> Result<()> {
        let until = self.family_end(OffsetDateTime::now_utc())?;
        self.revocations
            .revoke_family(family, until)
            .await
            .map_err(Error::StoreUnavailable)
    }

    /// When the last token of a family refreshed up to `now` expires.
    fn family_end(&self, now: OffsetDateTime) -> Result<OffsetDateTime> {
        let refresh = self.issuer.pair_lifetimes().refresh;
        Ok(offset(now, refresh, "exp")?.saturating_add(FAMILY_LEEWAY))
    }
}

/// A refresh token's `jti`, `fam` and `exp`, which the issuer always writes.
fn refresh_ids(token: &Paseto) -> Result<(&str, &str, OffsetDateTime)> {
    let token_id = token
        .registered
        .jti
        .as_deref()
        .ok_or_else(|| Error::MissingClaim("jti".into()))?;
    let Some(Value::String(family)) = token.claims.get(FAMILY_CLAIM) else {
        return Err(Error::MissingClaim(FAMILY_CLAIM.into()));
    };
    let expires_at = token.registered.exp.ok_or(Error::MissingExpiration)?;
    Ok((token_id, family, expires_at))
}

/// What the refreshed pair carries over from the refresh token: its custom claims, `sub`, `aud`
/// and family (never `fresh`: a refreshed token is not).
fn copied_claims(token: Paseto) -> PairClaims {
    let Paseto {
        mut claims,
        registered,
        ..
    } = token;
    for claim in NOT_COPIED {
        claims.remove(claim);
    }
    let family = match claims.remove(FAMILY_CLAIM) {
        Some(Value::String(family)) => family,
        _ => String::new(),
    };
    PairClaims {
        claims: Map::from_iter(claims),
        subject: registered.sub,
        audience: registered.aud,
        family,
    }
}

/// A verifier of `issuer`'s own tokens: its keys (public halves of its secret keys), bound to the
/// `iss` it writes, every version it signs in.
fn verifier_for(issuer: &Issuer) -> Result<Verifier> {
    let bound = issuer.written_iss().map(str::to_owned);
    let mut versions = BTreeSet::new();
    let mut builder = Verifier::builder().implicit_assertion(issuer.implicit().to_vec());
    for entry in issuer.keys().iter() {
        builder = match &entry.key {
            SigningKey::Secret(key) => {
                versions.insert(key.version());
                let public = key.public_key().clone();
                match &bound {
                    Some(iss) => builder.public_key(public, iss.clone()),
                    None => builder.unbound_public_key(public),
                }
            }
            SigningKey::Local(key) => {
                versions.insert(key.version());
                builder.local_key(key.clone(), bound.clone())
            }
        };
    }
    builder
        .versions(versions.into_iter().collect::<Vec<Version>>())
        .build()
}
