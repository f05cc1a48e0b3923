//! Cookie tokens: sealing data into a `local` token bound to a purpose and a cookie name, and
//! opening one (size, header, tag, binding and times checked).
//!
//! The token's payload is `{"pur":PURPOSE,"cky":COOKIE,"iat":…,"exp":…,"dat":DATA}` with RFC 3339
//! times. On v3/v4 the implicit assertion `paseto-auth:PURPOSE:COOKIE` binds the token to its
//! purpose and cookie name cryptographically; v2 has no implicit assertions, so there only the
//! `pur`/`cky` claims (checked after decryption) do. Either way a session cookie cannot be
//! replayed as a remember-me cookie, nor as another session type's cookie.

use std::borrow::Cow;
use std::time::Duration;

use axum::http::HeaderMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::header::request_cookies;
use super::keys::CookieKeys;
use crate::claims::Timestamp;
use crate::token::{Payload, UntrustedToken, seal};
use crate::{Cause, ClaimError, Error, Result, TokenError};
use crate::{Purpose, Version};

/// The largest cookie browsers keep, counted as name, `=` and value: 4096 bytes.
///
/// A longer cookie is refused when read, and sealing one is an error.
pub const MAX_COOKIE_SIZE: usize = 4096;

/// How far in the future an `iat` may be (clock skew between servers) before it is refused.
pub(crate) const IAT_LEEWAY: time::Duration = time::Duration::minutes(5);

/// The implicit assertion binding a cookie token to its purpose and cookie name (v3/v4):
/// `paseto-auth:PURPOSE:COOKIE`. Built without `format!`: it is made on every request.
fn implicit_assertion(version: Version, purpose: &str, cookie_name: &str) -> Vec<u8> {
    const PREFIX: &[u8] = b"paseto-auth:";
    if !version.has_implicit_assertion() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(PREFIX.len() + purpose.len() + 1 + cookie_name.len());
    out.extend_from_slice(PREFIX);
    out.extend_from_slice(purpose.as_bytes());
    out.push(b':');
    out.extend_from_slice(cookie_name.as_bytes());
    out
}

#[derive(Serialize)]
struct SealedPayload<'a, T: ?Sized> {
    pur: &'a str,
    cky: &'a str,
    iat: Timestamp,
    exp: Timestamp,
    dat: &'a T,
}

#[derive(Deserialize)]
struct OpenedPayload<'a, T> {
    #[serde(borrow)]
    pur: Cow<'a, str>,
    #[serde(borrow)]
    cky: Cow<'a, str>,
    iat: Timestamp,
    exp: Timestamp,
    dat: T,
}

/// The registered fields alone, to explain why a payload did not deserialize.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    pur: Cow<'a, str>,
    #[serde(borrow)]
    cky: Cow<'a, str>,
}

/// A cookie token that opened and passed every check.
#[derive(Debug)]
pub(crate) struct OpenedCookie<T> {
    /// The data sealed in it.
    pub(crate) data: T,
    /// When it was sealed.
    pub(crate) issued_at: OffsetDateTime,
    /// When it expires.
    pub(crate) expires_at: OffsetDateTime,
}

/// Seals `data` into the value of cookie `cookie_name` for `purpose` (e.g. `"session"`,
/// `"remember"`), with the primary key, expiring after `lifetime`.
///
/// Fails with [`TokenError::TokenTooLarge`] when `name=value` would exceed [`MAX_COOKIE_SIZE`],
/// with
/// [`TokenError::InvalidPayload`] when `data` does not serialize to JSON.
#[cfg(test)]
pub(crate) fn seal_cookie<T: Serialize + ?Sized>(
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    data: &T,
    lifetime: Duration,
) -> Result<String> {
    seal_cookie_at(
        keys,
        purpose,
        cookie_name,
        data,
        lifetime,
        OffsetDateTime::now_utc(),
    )
}

pub(crate) fn seal_cookie_at<T: Serialize + ?Sized>(
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    data: &T,
    lifetime: Duration,
    now: OffsetDateTime,
) -> Result<String> {
    let payload = serde_json::to_vec(&SealedPayload {
        pur: purpose,
        cky: cookie_name,
        iat: Timestamp(now),
        exp: Timestamp(expiry(now, lifetime)?),
        dat: data,
    })
    .map_err(|e| Error::Token(TokenError::InvalidPayload(e.to_string())))?;
    seal_bound(keys, purpose, cookie_name, &payload)
}

/// `now + lifetime`, or an error when that is out of range.
pub(crate) fn expiry(now: OffsetDateTime, lifetime: Duration) -> Result<OffsetDateTime> {
    time::Duration::try_from(lifetime)
        .ok()
        .and_then(|lifetime| now.checked_add(lifetime))
        .ok_or_else(|| {
            Error::Claims(ClaimError::InvalidClaim {
                claim: "exp".into(),
                reason: "cookie lifetime out of range".into(),
            })
        })
}

/// Seals a JSON `payload` (which must hold `pur`, `cky`, `iat` and `exp`) into the value of cookie
/// `cookie_name` for `purpose`, with the primary key and the purpose's implicit assertion.
pub(crate) fn seal_bound(
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    payload: &[u8],
) -> Result<String> {
    let implicit = implicit_assertion(keys.version(), purpose, cookie_name);
    let token = seal(keys.sealer(), payload, b"", &implicit)?;
    let size = cookie_name.len() + 1 + token.len();
    if size > MAX_COOKIE_SIZE {
        return Err(Error::Token(TokenError::TokenTooLarge {
            len: size,
            limit: MAX_COOKIE_SIZE,
        }));
    }
    Ok(token)
}

/// Opens the value of cookie `cookie_name` sealed for `purpose` by [`seal_cookie`] with any of
/// `keys`, checking its size (before any crypto), header, tag, purpose, cookie name and times
/// (`lifetime` is the cookie's current lifetime; see [`check_times`]).
pub(crate) fn open_cookie<T: DeserializeOwned>(
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    value: &str,
    lifetime: Duration,
) -> Result<OpenedCookie<T>> {
    open_cookie_at(
        keys,
        purpose,
        cookie_name,
        value,
        lifetime,
        OffsetDateTime::now_utc(),
    )
}

pub(crate) fn open_cookie_at<T: DeserializeOwned>(
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    value: &str,
    lifetime: Duration,
    now: OffsetDateTime,
) -> Result<OpenedCookie<T>> {
    let payload = open_bound(keys, purpose, cookie_name, value)?;
    let opened: OpenedPayload<'_, T> = parse_bound(&payload, purpose, cookie_name)?;
    check_binding(&opened.pur, &opened.cky, purpose, cookie_name)?;
    check_times(opened.iat.0, opened.exp.0, lifetime, now)?;
    Ok(OpenedCookie {
        data: opened.dat,
        issued_at: opened.iat.0,
        expires_at: opened.exp.0,
    })
}

/// Deserializes a decrypted cookie payload. When it does not fit `T`, a payload sealed for
/// another purpose or cookie is reported as such, not as a type mismatch.
pub(crate) fn parse_bound<'a, T: Deserialize<'a>>(
    payload: &'a Payload,
    purpose: &str,
    cookie_name: &str,
) -> Result<T> {
    // Parse from `str` (UTF-8 checked at most once): `from_slice` would check every string.
    let payload = payload.text()?;
    serde_json::from_str(payload).map_err(|err| match serde_json::from_str::<Envelope>(payload) {
        Ok(envelope) => check_binding(&envelope.pur, &envelope.cky, purpose, cookie_name)
            .err()
            .unwrap_or_else(|| Error::Claims(ClaimError::ClaimsType(Cause::new(err)))),
        Err(_) => Error::Claims(ClaimError::ClaimsType(Cause::new(err))),
    })
}

/// Decrypts the value of cookie `cookie_name` sealed for `purpose` by [`seal_bound`] with any of
/// `keys`, checking its size (before any crypto), header and tag; returns the JSON payload,
/// whose `pur`, `cky` and times the caller checks.
pub(crate) fn open_bound(
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    value: &str,
) -> Result<Payload> {
    let limit = MAX_COOKIE_SIZE.saturating_sub(cookie_name.len() + 1);
    let token = UntrustedToken::parse(value, limit)?;
    let header = token.header();
    if header.purpose != Purpose::Local {
        return Err(Error::Token(TokenError::PurposeNotAllowed(header.purpose)));
    }
    if !token.untrusted_footer().is_empty() {
        return Err(Error::Token(TokenError::InvalidFooter(
            "cookie tokens have no footer".into(),
        )));
    }
    let implicit = implicit_assertion(header.version, purpose, cookie_name);
    let mut result = Err(Error::Token(TokenError::NoKey(header)));
    for key in keys.openers(header.version) {
        result = token.open(key, &implicit);
        if result.is_ok() {
            break;
        }
    }
    result
}

/// Refuses a cookie token that has expired at `now`: past its `exp`, or issued longer ago than
/// `lifetime`, the cookie's *current* lifetime (so shortening a cookie's lifetime in the settings
/// shortens the tokens already out there too); or one issued in the future (beyond the
/// clock-skew allowance).
pub(crate) fn check_times(
    iat: OffsetDateTime,
    exp: OffsetDateTime,
    lifetime: Duration,
    now: OffsetDateTime,
) -> Result<()> {
    // In whole seconds (cookie times have no fraction): cheaper than date arithmetic, and this
    // runs for every cookie read.
    let (iat, now_secs) = (iat.unix_timestamp(), now.unix_timestamp());
    let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    if exp <= now || iat.saturating_add(lifetime) <= now_secs {
        return Err(Error::Claims(ClaimError::Expired));
    }
    if iat > now_secs + IAT_LEEWAY.whole_seconds() {
        return Err(Error::Claims(ClaimError::IssuedInFuture));
    }
    Ok(())
}

/// Refuses a payload sealed for another purpose or cookie (what binds v2 tokens, which have no
/// implicit assertion).
pub(crate) fn check_binding(pur: &str, cky: &str, purpose: &str, cookie_name: &str) -> Result<()> {
    if pur != purpose {
        return Err(Error::Claims(ClaimError::InvalidClaim {
            claim: "pur".into(),
            reason: format!("the cookie was sealed for {pur:?}, not {purpose:?}"),
        }));
    }
    if cky != cookie_name {
        return Err(Error::Claims(ClaimError::InvalidClaim {
            claim: "cky".into(),
            reason: format!("the cookie was sealed as {cky:?}, not {cookie_name:?}"),
        }));
    }
    Ok(())
}

/// Opens the first of the request's cookies named `cookie_name` that is valid.
///
/// `Ok(None)`: the request has no such cookie. `Err`: it has some, and none opened (the error is
/// the last one's).
pub(crate) fn open_request_cookie<T: DeserializeOwned>(
    headers: &HeaderMap,
    keys: &CookieKeys,
    purpose: &str,
    cookie_name: &str,
    lifetime: Duration,
) -> Result<Option<OpenedCookie<T>>> {
    first_valid_cookie(headers, cookie_name, |value| {
        open_cookie(keys, purpose, cookie_name, value, lifetime)
    })
}

/// The first of the request's cookies named `cookie_name` that `open` accepts.
///
/// `Ok(None)`: the request has no such cookie. `Err`: it has some, and `open` refused them all
/// (the error is the last one's).
pub(crate) fn first_valid_cookie<T>(
    headers: &HeaderMap,
    cookie_name: &str,
    open: impl Fn(&str) -> Result<T>,
) -> Result<Option<T>> {
    let mut last_error = None;
    for value in request_cookies(headers, cookie_name) {
        match open(value) {
            Ok(opened) => return Ok(Some(opened)),
            Err(err) => last_error = Some(err),
        }
    }
    match last_error {
        Some(err) => Err(err),
        None => Ok(None),
    }
}
