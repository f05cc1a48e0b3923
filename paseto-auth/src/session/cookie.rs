//! Cookie tokens: sealing data into a `local` token bound to a purpose and a cookie name, opening
//! one, reading the `Cookie` header and writing `Set-Cookie`.
//!
//! The token's payload is `{"pur":PURPOSE,"cky":COOKIE,"iat":…,"exp":…,"dat":DATA}` with RFC 3339
//! times. On v3/v4 the implicit assertion `paseto-auth:PURPOSE:COOKIE` binds the token to its
//! purpose and cookie name cryptographically; v2 has no implicit assertions, so there only the
//! `pur`/`cky` claims (checked after decryption) do. Either way a session cookie cannot be
//! replayed as a remember-me cookie, nor as another session type's cookie.

use std::time::Duration;

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::keys::SessionKeys;
use super::spec::SessionSpec;
use crate::claims::Timestamp;
use crate::error::{Error, Result};
use crate::token::{UntrustedToken, seal};
use crate::version::{Purpose, Version};

/// The largest cookie browsers keep, counted as name, `=` and value: 4096 bytes.
///
/// A longer cookie is refused when read, and sealing one is an error.
pub const MAX_COOKIE_SIZE: usize = 4096;

/// How far in the future an `iat` may be (clock skew between servers) before it is refused.
const IAT_LEEWAY: time::Duration = time::Duration::minutes(5);

/// How many cookies of the same name are tried (a browser sends several when paths differ).
const MAX_CANDIDATES: usize = 4;

/// The implicit assertion binding a cookie token to its purpose and cookie name (v3/v4).
fn implicit_assertion(version: Version, purpose: &str, cookie_name: &str) -> Vec<u8> {
    if version == Version::V2 {
        return Vec::new();
    }
    format!("paseto-auth:{purpose}:{cookie_name}").into_bytes()
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
struct OpenedPayload<T> {
    pur: String,
    cky: String,
    iat: Timestamp,
    exp: Timestamp,
    dat: T,
}

/// The registered fields alone, to explain why a payload did not deserialize.
#[derive(Deserialize)]
struct Envelope {
    pur: String,
    cky: String,
}

/// A cookie token that opened and passed every check.
#[derive(Debug)]
pub(crate) struct OpenedCookie<T> {
    /// The data sealed in it.
    pub(crate) data: T,
    /// When it was sealed.
    #[allow(dead_code, reason = "for the login manager's remember-me cookie")]
    pub(crate) issued_at: OffsetDateTime,
    /// When it expires.
    pub(crate) expires_at: OffsetDateTime,
}

/// Seals `data` into the value of cookie `cookie_name` for `purpose` (e.g. `"session"`,
/// `"remember"`), with the primary key, expiring after `lifetime`.
///
/// Fails with [`Error::TokenTooLarge`] when `name=value` would exceed [`MAX_COOKIE_SIZE`], with
/// [`Error::InvalidPayload`] when `data` does not serialize to JSON.
#[allow(dead_code, reason = "for the login manager's remember-me cookie")]
pub(crate) fn seal_cookie<T: Serialize + ?Sized>(
    keys: &SessionKeys,
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
    keys: &SessionKeys,
    purpose: &str,
    cookie_name: &str,
    data: &T,
    lifetime: Duration,
    now: OffsetDateTime,
) -> Result<String> {
    let exp = time::Duration::try_from(lifetime)
        .ok()
        .and_then(|lifetime| now.checked_add(lifetime))
        .ok_or_else(|| Error::InvalidClaim {
            claim: "exp".into(),
            reason: "cookie lifetime out of range".into(),
        })?;
    let payload = serde_json::to_vec(&SealedPayload {
        pur: purpose,
        cky: cookie_name,
        iat: Timestamp(now),
        exp: Timestamp(exp),
        dat: data,
    })
    .map_err(|e| Error::InvalidPayload(e.to_string()))?;
    let implicit = implicit_assertion(keys.version(), purpose, cookie_name);
    let token = seal(keys.sealer(), &payload, b"", &implicit)?;
    let size = cookie_name.len() + 1 + token.len();
    if size > MAX_COOKIE_SIZE {
        return Err(Error::TokenTooLarge {
            len: size,
            limit: MAX_COOKIE_SIZE,
        });
    }
    Ok(token)
}

/// Opens the value of cookie `cookie_name` sealed for `purpose` by [`seal_cookie`] with any of
/// `keys`, checking its size (before any crypto), header, tag, purpose, cookie name and times.
pub(crate) fn open_cookie<T: DeserializeOwned>(
    keys: &SessionKeys,
    purpose: &str,
    cookie_name: &str,
    value: &str,
) -> Result<OpenedCookie<T>> {
    open_cookie_at(keys, purpose, cookie_name, value, OffsetDateTime::now_utc())
}

pub(crate) fn open_cookie_at<T: DeserializeOwned>(
    keys: &SessionKeys,
    purpose: &str,
    cookie_name: &str,
    value: &str,
    now: OffsetDateTime,
) -> Result<OpenedCookie<T>> {
    let limit = MAX_COOKIE_SIZE.saturating_sub(cookie_name.len() + 1);
    let token = UntrustedToken::parse(value, limit)?;
    let header = token.header();
    if header.purpose != Purpose::Local {
        return Err(Error::PurposeNotAllowed(header.purpose));
    }
    if !token.untrusted_footer().is_empty() {
        return Err(Error::InvalidFooter("cookie tokens have no footer".into()));
    }
    let implicit = implicit_assertion(header.version, purpose, cookie_name);
    let mut result = Err(Error::NoKey(header));
    for key in keys.openers(header.version) {
        result = token.open(key, &implicit);
        if result.is_ok() {
            break;
        }
    }
    let payload = result?;
    let opened: OpenedPayload<T> = match serde_json::from_slice(&payload) {
        Ok(opened) => opened,
        Err(err) => {
            // Report a wrong purpose or cookie as such, not as a data type mismatch.
            if let Ok(envelope) = serde_json::from_slice::<Envelope>(&payload) {
                check_binding(&envelope.pur, &envelope.cky, purpose, cookie_name)?;
            }
            return Err(Error::ClaimsType(err.to_string()));
        }
    };
    check_binding(&opened.pur, &opened.cky, purpose, cookie_name)?;
    let (iat, exp) = (opened.iat.0, opened.exp.0);
    if exp <= now {
        return Err(Error::Expired);
    }
    if iat > now + IAT_LEEWAY {
        return Err(Error::IssuedInFuture);
    }
    Ok(OpenedCookie {
        data: opened.dat,
        issued_at: iat,
        expires_at: exp,
    })
}

fn check_binding(pur: &str, cky: &str, purpose: &str, cookie_name: &str) -> Result<()> {
    if pur != purpose {
        return Err(Error::InvalidClaim {
            claim: "pur".into(),
            reason: format!("the cookie was sealed for {pur:?}, not {purpose:?}"),
        });
    }
    if cky != cookie_name {
        return Err(Error::InvalidClaim {
            claim: "cky".into(),
            reason: format!("the cookie was sealed as {cky:?}, not {cookie_name:?}"),
        });
    }
    Ok(())
}

/// The values of the request's cookies named `name`, in header order (at most a few).
pub(crate) fn request_cookies<'a>(
    headers: &'a HeaderMap,
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(move |pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then(|| {
                let value = value.trim();
                value
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(value)
            })
        })
        .take(MAX_CANDIDATES)
}

/// Opens the first of the request's cookies named `cookie_name` that is valid.
///
/// `Ok(None)`: the request has no such cookie. `Err`: it has some, and none opened (the error is
/// the last one's).
pub(crate) fn open_request_cookie<T: DeserializeOwned>(
    headers: &HeaderMap,
    keys: &SessionKeys,
    purpose: &str,
    cookie_name: &str,
) -> Result<Option<OpenedCookie<T>>> {
    let mut last_error = None;
    for value in request_cookies(headers, cookie_name) {
        match open_cookie(keys, purpose, cookie_name, value) {
            Ok(opened) => return Ok(Some(opened)),
            Err(err) => last_error = Some(err),
        }
    }
    match last_error {
        Some(err) => Err(err),
        None => Ok(None),
    }
}

/// `Set-Cookie` text for `name=value` with the spec's attributes (and `Max-Age` when it has one).
pub(crate) fn set_cookie(spec: &SessionSpec, value: &str) -> String {
    let mut out = format_cookie(spec, value);
    if let Some(max_age) = spec.max_age {
        out.push_str("; Max-Age=");
        out.push_str(&max_age.as_secs().to_string());
    }
    out
}

/// `Set-Cookie` text that makes the browser delete the cookie (same name, path and domain).
pub(crate) fn removal_cookie(spec: &SessionSpec) -> String {
    let mut out = format_cookie(spec, "");
    out.push_str("; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    out
}

fn format_cookie(spec: &SessionSpec, value: &str) -> String {
    let mut out = String::with_capacity(spec.cookie.len() + value.len() + 64);
    out.push_str(spec.cookie);
    out.push('=');
    out.push_str(value);
    if spec.http_only {
        out.push_str("; HttpOnly");
    }
    out.push_str("; SameSite=");
    out.push_str(spec.same_site.as_str());
    if spec.secure {
        out.push_str("; Secure");
    }
    out.push_str("; Path=");
    out.push_str(spec.path);
    if let Some(domain) = spec.domain {
        out.push_str("; Domain=");
        out.push_str(domain);
    }
    out
}
