//! The remember-me token: a `local` PASETO with `sub`, `iat`, `exp`, `jti` and the login's family
//! `fam`, bound to the purpose `remember` and the cookie's name.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::state::{AuthDigest, LoginState, REMEMBER_PURPOSE};
use crate::claims::Timestamp;
use crate::claims::random_id;
use crate::cookie::CookieKeys;
use crate::cookie::token::{
    check_binding, check_times, expiry, open_bound, parse_bound, seal_bound,
};
use crate::{ClaimError, Error, Result, TokenError};

#[derive(Serialize)]
struct SealedClaims<'a> {
    pur: &'a str,
    cky: &'a str,
    sub: &'a str,
    iat: Timestamp,
    exp: Timestamp,
    jti: &'a str,
    fam: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hsh: Option<&'a AuthDigest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenedClaims {
    pur: String,
    cky: String,
    sub: String,
    iat: Timestamp,
    exp: Timestamp,
    jti: String,
    /// Absent from tokens sealed before families existed: their family is their `jti`.
    #[serde(default)]
    fam: Option<String>,
    #[serde(default)]
    hsh: Option<AuthDigest>,
}

/// A remember-me token that opened and passed every check.
#[derive(Debug)]
pub(crate) struct RememberToken {
    /// The user id, as text.
    pub(crate) subject: String,
    /// The digest of the user's auth hash when the token was sealed.
    pub(crate) digest: Option<AuthDigest>,
    /// The token's id.
    pub(crate) jti: String,
    /// The login it follows from (see [`LoginState::fam`](super::state::LoginState::fam)).
    pub(crate) family: String,
    /// When it was sealed.
    pub(crate) issued_at: OffsetDateTime,
}

/// Seals a remember-me token for the login `login` (its user, family and auth-hash digest),
/// valid for `lifetime`, with a fresh random `jti`.
pub(crate) fn seal_remember(
    keys: &CookieKeys,
    cookie_name: &str,
    login: &LoginState,
    lifetime: Duration,
    now: OffsetDateTime,
) -> Result<String> {
    let jti = random_id()?;
    let payload = serde_json::to_vec(&SealedClaims {
        pur: REMEMBER_PURPOSE,
        cky: cookie_name,
        sub: &login.uid,
        iat: Timestamp(now),
        exp: Timestamp(expiry(now, lifetime)?),
        jti: &jti,
        fam: login.family(),
        hsh: login.hsh.as_ref(),
    })
    .map_err(|e| Error::Token(TokenError::InvalidPayload(e.to_string())))?;
    seal_bound(keys, REMEMBER_PURPOSE, cookie_name, &payload)
}

/// Opens a remember-me token: size, header, tag, purpose, cookie name, and times (`lifetime` is
/// the cookie's current lifetime; see [`check_times`]).
pub(crate) fn open_remember(
    keys: &CookieKeys,
    cookie_name: &str,
    value: &str,
    lifetime: Duration,
    now: OffsetDateTime,
) -> Result<RememberToken> {
    let payload = open_bound(keys, REMEMBER_PURPOSE, cookie_name, value)?;
    let claims: OpenedClaims = parse_bound(&payload, REMEMBER_PURPOSE, cookie_name)?;
    check_binding(&claims.pur, &claims.cky, REMEMBER_PURPOSE, cookie_name)?;
    check_times(claims.iat.0, claims.exp.0, lifetime, now)?;
    if claims.jti.is_empty() {
        return Err(Error::Claims(ClaimError::MissingClaim("jti".into())));
    }
    Ok(RememberToken {
        subject: claims.sub,
        digest: claims.hsh,
        family: claims.fam.unwrap_or_else(|| claims.jti.clone()),
        jti: claims.jti,
        issued_at: claims.iat.0,
    })
}
