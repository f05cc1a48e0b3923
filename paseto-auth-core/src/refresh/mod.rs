//! Refreshing token pairs: each refresh token is used once, and a refresh token used twice —
//! one of the two is a thief's — ends its whole family (OAuth 2.0 Security BCP, RFC 9700,
//! section 4.14.2). Each refresh token carries its generation in the family; the store keeps the
//! family's current one and advances it atomically ([`TokenStore::rotate`]), so this holds across
//! every instance that shares the store, with one entry per family however often it refreshes.
//!
//! [`TokenStore::rotate`]: crate::store::TokenStore::rotate
//!
//! [`RefreshTokens::refresh`] is the whole rule; `paseto-auth`'s `RefreshEndpoint` makes it a
//! token endpoint, `POST /token/refresh`, taking the refresh token from a JSON body, a form or an
//! `HttpOnly` cookie.
//!
//! # Retries
//!
//! A refresh answered 503 or lost to a timeout may still have been recorded (the store applied
//! the rotation after the request gave up), and a double click submits one refresh token twice
//! at once. Taken as reuse, either would end a legitimate login. So a refresh token presented
//! again within the *reuse grace* of its use (`PASETO_REFRESH_REUSE_GRACE`, default 10 seconds;
//! [`IssuerBuilder::refresh_reuse_grace`](crate::IssuerBuilder::refresh_reuse_grace),
//! [`RefreshTokens::reuse_grace`]) gets the very pair its first use got: the store keeps that
//! answer for the grace, sealed under a key derived from the refresh token itself, so only a
//! holder of that token can open it and the store holds nothing usable. Concurrent refreshes of
//! one token, on any number of instances, all get that one pair.
//!
//! The trade-off, against RFC 9700 section 4.14.2 (reuse detection): within the grace a replay
//! by a thief is answered too. But it is answered with the user's own pair, so thief and user
//! then hold the same refresh token, and whichever of them uses it second is caught as a reuse:
//! the grace delays detection by one refresh, it does not lose it. Auth0 calls this a "reuse
//! interval" and Okta a "grace period for token rotation" (0 to 60 seconds; 30 by default);
//! both answer a retry with a new pair rather than the same one. A thief whose copy refreshes in
//! step with the user's (each within the grace of the other, at every generation) is caught too:
//! a retry is answered for one generation at a time, and a retry of the next generation as well
//! is a reuse. Outside the grace, and for any older generation, reuse detection is unchanged.
//! Zero turns the grace off.

mod answer;

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use time::format_description::well_known::Rfc3339;

use crate::claims::{
    AUTH_TIME_CLAIM, FAMILY_CLAIM, FRESH_CLAIM, GENERATION_CLAIM, PURPOSE_CLAIM,
    issued_for_revocation,
};
use crate::error::{ClaimError, Error, Result};
use crate::issuer::{Issuer, offset};
use crate::key::{KeyRing, RingKey, SigningKey, VerificationKey};
use crate::kind::TokenKind;
use crate::pair::{PairClaims, TokenPair};
use crate::requirements::Requirements;
use crate::store::{Revocations, Rotated, Rotation, TokenRef};
use crate::verifier::{VerifiedToken, Verifier};
use crate::version::Version;

/// The claims a refreshed pair does not copy from the refresh token: the time claims and ids it
/// gets anew, those it sets itself, and those that speak of an authentication a refresh is not
/// (OpenID Connect's `acr` and `amr`).
const NOT_COPIED: [&str; 14] = [
    "iss",
    "iat",
    "exp",
    "nbf",
    "jti",
    "sub",
    "aud",
    "acr",
    "amr",
    PURPOSE_CLAIM,
    FAMILY_CLAIM,
    FRESH_CLAIM,
    GENERATION_CLAIM,
    AUTH_TIME_CLAIM,
];

/// Clock skew between instances allowed for when a family's revocation or generation expires.
const FAMILY_LEEWAY: time::Duration = time::Duration::minutes(5);

/// Renews token pairs from refresh tokens, once each, with reuse detection.
///
/// ```
/// use paseto_auth_core::refresh::RefreshTokens;
/// use paseto_auth_core::store::{MemoryStore, Revocations};
/// use paseto_auth_core::{Issuer, PairOptions, key::SecretKey, Version};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let issuer = Issuer::builder()
///     .issuer("https://issuer.example")
///     .key(SecretKey::generate(Version::V4)?)
///     .build()?;
/// let refresh = RefreshTokens::new(issuer.clone(), Revocations::new(MemoryStore::new()))?;
/// let pair = issuer.issue_pair(&serde_json::json!({}), PairOptions::new().subject("42"))?;
/// let renewed = refresh.refresh(&pair.refresh_token).await?;
/// assert_ne!(renewed.access_token, pair.access_token);
/// // A retry within the reuse grace (a lost answer) gets the same pair again.
/// assert_eq!(refresh.refresh(&pair.refresh_token).await?, renewed);
/// let third = refresh.refresh(&renewed.refresh_token).await?;
/// // The first refresh token is two uses old: presenting it again ends the family.
/// let replay = refresh.refresh(&pair.refresh_token).await.unwrap_err();
/// assert_eq!(replay.kind(), paseto_auth_core::ErrorKind::REFRESH_TOKEN_REUSED);
/// assert!(refresh.refresh(&third.refresh_token).await.is_err());
/// # Ok::<(), paseto_auth_core::Error>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct RefreshTokens {
    issuer: Issuer,
    verifier: Verifier,
    revocations: Revocations,
    /// Set by [`reuse_grace`](Self::reuse_grace); otherwise the issuer's.
    grace: Option<std::time::Duration>,
}

impl RefreshTokens {
    /// Refreshes the pairs `issuer` issues, recording generations and revocations in
    /// `revocations`. Guard the access tokens with the same revocations (`paseto_auth`'s `RefreshEndpoint::auth`),
    /// so that a family a replay revokes is refused by the guards too.
    pub fn new(issuer: Issuer, revocations: Revocations) -> Result<Self> {
        Ok(RefreshTokens {
            verifier: verifier_for(&issuer)?,
            issuer,
            revocations,
            grace: None,
        })
    }

    /// Replaces the keys its refresh tokens are verified with, in this value and every clone: the
    /// refresh half of a rotation, beside [`Issuer::replace_keys`] (which changes the keys new
    /// pairs are signed with). Give it the key set's verification ring
    /// ([`KeySetDocument::verification_ring`](crate::keyset::KeySetDocument::verification_ring)),
    /// so a refresh token signed by a `retired` key still refreshes until the key's `not_after`,
    /// and one signed by the new key is accepted. Fails, keeping the current keys, when `ring` is
    /// empty or holds a version refresh tokens never use (v2).
    pub fn replace_keys(&self, ring: KeyRing<VerificationKey>) -> Result<()> {
        self.verifier.replace_keys(ring)
    }

    /// The revocations it records in.
    pub fn revocations(&self) -> &Revocations {
        &self.revocations
    }

    /// A new pair for `refresh_token`, which is used up: presented again within the reuse grace
    /// it gets the same pair (see the module docs, "Retries"). Fails with
    /// [`Error::RefreshTokenReused`] (and revokes the token's family: every access and refresh
    /// token issued from the same login) when the token was used before, outside the grace; with
    /// [`Error::Revoked`] when its family, subject or key is revoked; with [`ClaimError::Expired`]
    /// when it, or its login, is too old for the current lifetimes; with the verifier's errors
    /// when it is not a valid refresh token of this issuer (an access token is not); with
    /// [`Error::StoreUnavailable`] when the store fails (whatever its failure policy: an
    /// unrecorded use would let a replay through unseen, a missed revocation would be outlived).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let token =
            self.verifier
                .verify_kind(refresh_token, &Requirements::new(), TokenKind::Refresh)?;
        let now = OffsetDateTime::now_utc();
        let state = RefreshState::of(&token)?;
        self.check_age(&token, &state, now)?;
        // Issued before the use is recorded: a pair that cannot be made leaves the token unused.
        let pair = self
            .issuer
            .issue_pair_of(&copied_claims(&token, &state), None, now)?;
        // Checked before the rotation, failing closed: of concurrent refreshes of one token,
        // the one that rotates gets its pair. A revocation landing after the check still covers
        // the new pair: it carries the family and the login time the revocation names.
        self.revocations
            .check_closed(TokenRef {
                token_id: token.registered.jti.as_deref(),
                family: Some(state.family),
                subject: token.registered.sub.as_deref(),
                issued_at: issued_for_revocation(&token.registered, &token.claims),
                key_id: Some(token.key_id.as_str()),
            })
            .await?;
        let kept_until = now.saturating_add(time::Duration::seconds(
            i64::try_from(pair.refresh_expires_in).unwrap_or(i64::MAX),
        ));
        let grace = self.grace();
        let answer = if grace.is_zero() {
            Vec::new()
        } else {
            answer::seal_answer(refresh_token, state.family, state.generation, &pair)?
        };
        let rotated = self
            .revocations
            .rotate(Rotation {
                family: state.family,
                generation: state.generation,
                until: kept_until + FAMILY_LEEWAY,
                answer: &answer,
                grace,
            })
            .await
            .map_err(Error::StoreUnavailable)?;
        let retried = match rotated {
            Rotated::Rotated => return Ok(pair),
            Rotated::Retried(sealed) => {
                answer::open_answer(refresh_token, state.family, state.generation, &sealed)
            }
            Rotated::Reused => None,
        };
        if let Some(pair) = retried {
            tracing::info!(
                family = state.family,
                "a refresh was retried within the reuse grace; it gets the pair of the first try"
            );
            return Ok(pair);
        }
        tracing::warn!(
            family = state.family,
            subject = token.registered.sub.as_deref(),
            "a refresh token was used twice; its family is revoked"
        );
        self.revoke_family(state.family, now).await?;
        Err(Error::RefreshTokenReused)
    }

    /// How long a refresh's answer is kept for a retry.
    fn grace(&self) -> std::time::Duration {
        self.grace
            .unwrap_or_else(|| self.issuer.pair_lifetimes().reuse_grace())
    }

    /// Answers a refresh token presented again within `grace` of its use with the pair the use
    /// got, instead of ending its login (the issuer's `refresh_reuse_grace` unless set here;
    /// zero turns it off, so every second use is a replay). See the module docs, "Retries".
    /// Fails, as the issuer's setting does, when `grace` is not shorter than the access token's
    /// lifetime (the answer holds an access token).
    pub fn reuse_grace(mut self, grace: std::time::Duration) -> Result<Self> {
        if grace >= self.issuer.pair_lifetimes().access {
            return Err(Error::Setup(
                "the refresh reuse grace must be shorter than the access token's lifetime".into(),
            ));
        }
        self.grace = Some(grace);
        Ok(self)
    }

    /// Refuses a refresh token older than the current refresh lifetime (shortening it in the
    /// settings shortens the tokens already out), or of a login older than its maximum age.
    fn check_age(
        &self,
        token: &VerifiedToken,
        state: &RefreshState<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let lifetimes = self.issuer.pair_lifetimes();
        let issued = token.registered.iat.unwrap_or(state.auth_time);
        if offset(issued, lifetimes.refresh, "iat")? <= now
            || offset(state.auth_time, lifetimes.login, AUTH_TIME_CLAIM)? <= now
        {
            return Err(Error::Claims(ClaimError::Expired));
        }
        Ok(())
    }

    /// Ends the family of `token` (an access or refresh token of a pair): its refresh token stops
    /// working, and so does every access token issued from it. A logout.
    pub async fn end_family(&self, token: &VerifiedToken) -> Result<()> {
        match token.claims.get(FAMILY_CLAIM) {
            Some(Value::String(family)) => {
                self.revoke_family(family, OffsetDateTime::now_utc()).await
            }
            _ => Err(Error::Claims(ClaimError::MissingClaim(FAMILY_CLAIM.into()))),
        }
    }

    /// Revokes `family` until its last token refreshable at `now` has expired: a refresh token
    /// lives at most the refresh lifetime from its issue ([`check_age`](Self::check_age)), and
    /// an access token less.
    async fn revoke_family(&self, family: &str, now: OffsetDateTime) -> Result<()> {
        let refresh = self.issuer.pair_lifetimes().refresh;
        let until = offset(now, refresh, "exp")?.saturating_add(FAMILY_LEEWAY);
        self.revocations
            .revoke_family(family, until)
            .await
            .map_err(Error::StoreUnavailable)
    }

    /// The issuer of the pairs.
    pub fn issuer(&self) -> &Issuer {
        &self.issuer
    }
}

/// What a refresh token says of its place in its family: the family, its generation, and when
/// its login was.
struct RefreshState<'a> {
    family: &'a str,
    generation: u64,
    auth_time: OffsetDateTime,
}

impl<'a> RefreshState<'a> {
    /// Reads the claims the issuer always writes into a refresh token.
    fn of(token: &'a VerifiedToken) -> Result<Self> {
        let claims = &token.claims;
        let Some(Value::String(family)) = claims.get(FAMILY_CLAIM) else {
            return Err(Error::Claims(ClaimError::MissingClaim(FAMILY_CLAIM.into())));
        };
        let generation = claims
            .get(GENERATION_CLAIM)
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::Claims(ClaimError::MissingClaim(GENERATION_CLAIM.into())))?;
        let auth_time = match claims.get(AUTH_TIME_CLAIM) {
            Some(Value::String(text)) => OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
                Error::Claims(ClaimError::InvalidClaim {
                    claim: AUTH_TIME_CLAIM.into(),
                    reason: "must be an RFC 3339 time".into(),
                })
            })?,
            _ => {
                return Err(Error::Claims(ClaimError::MissingClaim(
                    AUTH_TIME_CLAIM.into(),
                )));
            }
        };
        Ok(RefreshState {
            family,
            generation,
            auth_time,
        })
    }
}

/// What the refreshed pair carries over from the refresh token: its custom claims, `sub`, `aud`,
/// family and login time (never `fresh`: a refreshed token is not), and the next generation.
fn copied_claims(token: &VerifiedToken, state: &RefreshState<'_>) -> PairClaims {
    let mut claims = token.claims.clone();
    for claim in NOT_COPIED {
        claims.remove(claim);
    }
    PairClaims {
        claims: Map::from_iter(claims),
        subject: token.registered.sub.clone(),
        audience: token.registered.aud.clone(),
        family: state.family.to_owned(),
        auth_time: state.auth_time,
        generation: state.generation.saturating_add(1),
    }
}

/// A verifier of `issuer`'s own refresh tokens: its v3 and v4 keys (public halves of its secret
/// keys; pairs are never v2), bound to the `iss` it writes.
fn verifier_for(issuer: &Issuer) -> Result<Verifier> {
    let bound = issuer.written_iss().map(str::to_owned);
    let mut versions = BTreeSet::new();
    let mut builder = Verifier::builder().implicit_assertion(issuer.implicit().to_vec());
    for entry in issuer.keys().iter() {
        let version = entry.key.header().version;
        if !version.has_implicit_assertion() {
            continue;
        }
        versions.insert(version);
        builder = match &entry.key {
            SigningKey::Secret(key) => {
                let public = key.public_key().clone();
                match &bound {
                    Some(iss) => builder.public_key(public, iss.clone()),
                    None => builder.unbound_public_key(public),
                }
            }
            SigningKey::Local(key) => builder.local_key(key.clone(), bound.clone()),
        };
    }
    if versions.is_empty() {
        return Err(Error::Setup(
            "refresh tokens need a v3 or v4 key in the issuer (pairs are never v2)".into(),
        ));
    }
    if !issuer.writes_kid() {
        // Its refresh tokens name no key: each of its keys may have to be tried.
        builder = builder.max_key_trials(issuer.keys().len());
    }
    builder
        .versions(versions.into_iter().collect::<Vec<Version>>())
        .build()
}
