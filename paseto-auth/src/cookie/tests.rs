//! Unit tests of the cookie token codec, the Cookie header reader, the key set and the cookie
//! options.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header::COOKIE};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::token::{
    MAX_COOKIE_SIZE, open_cookie, open_cookie_at, open_request_cookie, seal_cookie, seal_cookie_at,
};
use super::*;
use crate::Version;
use crate::key::LocalKey;
use crate::{ClaimError, Error, ErrorKind, TokenError};

const HOUR: Duration = Duration::from_secs(3600);

fn keys(version: Version) -> CookieKeys {
    CookieKeys::generate(version).unwrap()
}

fn kind<T: std::fmt::Debug>(result: crate::Result<T>) -> ErrorKind {
    result.expect_err("the cookie was accepted").kind()
}

#[test]
fn session_cookies_round_trip_in_every_version() {
    for version in Version::ALL {
        let keys = keys(version);
        let data = json!({"user": "foo@example.com", "n": [1, 2]});
        let sealed_at = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let value = seal_cookie_at(&keys, "session", "session", &data, HOUR, sealed_at).unwrap();
        assert!(value.starts_with(&format!("{version}.local.")), "{value}");
        let opened = open_cookie::<Value>(&keys, "session", "session", &value, HOUR).unwrap();
        assert_eq!(opened.data, data);
        assert_eq!(opened.expires_at, sealed_at + time::Duration::hours(1));
    }
}

#[test]
fn a_cookie_is_bound_to_its_purpose_and_name() {
    for version in Version::ALL {
        let keys = keys(version);
        let value = seal_cookie(&keys, "remember", "session", &json!({}), HOUR).unwrap();
        let wrong_purpose = kind(open_cookie::<Value>(
            &keys, "session", "session", &value, HOUR,
        ));
        let value = seal_cookie(&keys, "session", "cart", &json!({}), HOUR).unwrap();
        let wrong_name = kind(open_cookie::<Value>(
            &keys, "session", "session", &value, HOUR,
        ));
        if version == Version::V2 {
            // No implicit assertion in v2: the claims checked after decryption refuse it.
            assert_eq!(wrong_purpose, ErrorKind::INVALID_CLAIM);
            assert_eq!(wrong_name, ErrorKind::INVALID_CLAIM);
        } else {
            // The implicit assertion differs, so the tag does not verify.
            assert_eq!(wrong_purpose, ErrorKind::INVALID_SIGNATURE);
            assert_eq!(wrong_name, ErrorKind::INVALID_SIGNATURE);
        }
    }
}

#[test]
fn the_claims_bind_even_without_the_implicit_assertion() {
    // A v4 token sealed with the right implicit assertion but other claims (as a buggy or
    // malicious sealer with the key could make) is still refused by the claims check.
    let keys = keys(Version::V4);
    let payload = json!({"pur": "remember", "cky": "session", "iat": "2020-01-01T00:00:00Z",
                         "exp": "2999-01-01T00:00:00Z", "dat": {}});
    let value = crate::token::seal(
        keys.sealer(),
        payload.to_string().as_bytes(),
        b"",
        b"paseto-auth:session:session",
    )
    .unwrap();
    let err = open_cookie::<Value>(&keys, "session", "session", &value, HOUR).unwrap_err();
    assert!(
        matches!(err, Error::Claims(ClaimError::InvalidClaim { ref claim, .. }) if claim == "pur"),
        "{err}"
    );
}

#[test]
fn expired_and_future_cookies_are_refused() {
    let keys = keys(Version::V4);
    let now = OffsetDateTime::now_utc();
    let value = seal_cookie_at(&keys, "session", "s", &json!({}), HOUR, now).unwrap();
    let later = now + time::Duration::hours(2);
    assert_eq!(
        kind(open_cookie_at::<Value>(
            &keys, "session", "s", &value, HOUR, later
        )),
        ErrorKind::EXPIRED
    );
    let earlier = now - time::Duration::hours(1);
    assert_eq!(
        kind(open_cookie_at::<Value>(
            &keys, "session", "s", &value, HOUR, earlier
        )),
        ErrorKind::ISSUED_IN_FUTURE
    );
    let skewed = now - time::Duration::minutes(2);
    assert!(open_cookie_at::<Value>(&keys, "session", "s", &value, HOUR, skewed).is_ok());
}

#[test]
fn a_cookie_older_than_its_current_lifetime_is_refused() {
    // Sealed for a day; two hours later the lifetime setting is one hour.
    let keys = keys(Version::V4);
    let now = OffsetDateTime::now_utc();
    let value = seal_cookie_at(&keys, "session", "s", &json!({}), 24 * HOUR, now).unwrap();
    let later = now + time::Duration::hours(2);
    let open = |lifetime| open_cookie_at::<Value>(&keys, "session", "s", &value, lifetime, later);
    assert!(open(24 * HOUR).is_ok());
    assert_eq!(kind(open(HOUR)), ErrorKind::EXPIRED);
}

#[test]
fn garbage_other_keys_and_other_types_are_refused() {
    let keys = keys(Version::V4);
    for garbage in [
        "",
        "x",
        "v4.local.",
        "v4.local.!!!",
        "v9.local.abc",
        "v4.public.abc",
    ] {
        assert!(open_cookie::<Value>(&keys, "session", "s", garbage, HOUR).is_err());
    }
    let value = seal_cookie(&keys, "session", "s", &json!({}), HOUR).unwrap();
    let stranger = self::keys(Version::V4);
    assert_eq!(
        kind(open_cookie::<Value>(
            &stranger, "session", "s", &value, HOUR
        )),
        ErrorKind::INVALID_SIGNATURE
    );
    let v3 = self::keys(Version::V3);
    assert_eq!(
        kind(open_cookie::<Value>(&v3, "session", "s", &value, HOUR)),
        ErrorKind::NO_KEY
    );
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Other {
        required: u32,
    }
    assert_eq!(
        kind(open_cookie::<Other>(&keys, "session", "s", &value, HOUR)),
        ErrorKind::CLAIMS_TYPE
    );
}

#[test]
fn size_limits_apply_when_sealing_and_opening() {
    let keys = keys(Version::V4);
    let big = "x".repeat(MAX_COOKIE_SIZE);
    let err = seal_cookie(&keys, "session", "s", &big, HOUR).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Token(TokenError::TokenTooLarge { limit, .. }) if limit == MAX_COOKIE_SIZE
        ),
        "{err}"
    );
    let huge = format!("v4.local.{}", "A".repeat(MAX_COOKIE_SIZE));
    assert_eq!(
        kind(open_cookie::<Value>(&keys, "session", "s", &huge, HOUR)),
        ErrorKind::TOKEN_TOO_LARGE
    );
}

#[test]
fn rotation_opens_with_old_keys_and_seals_with_the_primary() {
    let old = LocalKey::generate(Version::V2).unwrap();
    let old_keys = CookieKeys::new(old.clone());
    let value = seal_cookie(&old_keys, "session", "s", &json!({"a": 1}), HOUR).unwrap();
    let rotated = keys(Version::V4).with_old_key(old);
    let opened = open_cookie::<Value>(&rotated, "session", "s", &value, HOUR).unwrap();
    assert_eq!(opened.data, json!({"a": 1}));
    let resealed = seal_cookie(&rotated, "session", "s", &opened.data, HOUR).unwrap();
    assert!(resealed.starts_with("v4.local."));
    assert!(open_cookie::<Value>(&old_keys, "session", "s", &resealed, HOUR).is_err());
}

#[test]
fn the_cookie_header_is_read_by_name() {
    let keys = keys(Version::V4);
    let value = seal_cookie(&keys, "session", "s", &json!({"a": 1}), HOUR).unwrap();
    let mut headers = HeaderMap::new();
    headers.append(COOKIE, HeaderValue::from_static("other=1; s=garbage"));
    headers.append(
        COOKIE,
        HeaderValue::try_from(format!("ss=2;s={value}")).unwrap(),
    );
    let opened = open_request_cookie::<Value>(&headers, &keys, "session", "s", HOUR)
        .unwrap()
        .unwrap();
    assert_eq!(opened.data, json!({"a": 1}));
    let none = open_request_cookie::<Value>(&headers, &keys, "session", "t", HOUR).unwrap();
    assert!(none.is_none());
    let mut bad = HeaderMap::new();
    bad.insert(COOKIE, HeaderValue::from_static("s=garbage"));
    assert!(open_request_cookie::<Value>(&bad, &keys, "session", "s", HOUR).is_err());
}

#[test]
fn session_keys_constructors() {
    let key = LocalKey::generate(Version::V4).unwrap();
    let keys = CookieKeys::from_paserk(&key.to_paserk()).unwrap();
    assert_eq!(keys.primary().id(), key.id());
    let other = LocalKey::generate(Version::V3).unwrap();
    let keys =
        CookieKeys::from_paserks([key.to_paserk().as_str(), other.to_paserk().as_str()]).unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys.version(), Version::V4);
    assert!(CookieKeys::from_paserks(Vec::<String>::new()).is_err());
    assert!(CookieKeys::from_secret(&[1; 31]).is_err());
    let secret = b"forty bytes of an application's secret!!";
    let a = CookieKeys::from_secret(secret).unwrap();
    let b = LocalKey::derive_from_secret(Version::V4, secret, "session").unwrap();
    assert_eq!(a.primary().id(), b.id());
    let ring = crate::key::KeyRing::new()
        .with_key(other.clone())
        .with_key(key.clone());
    let keys = CookieKeys::from_ring(&ring).unwrap();
    assert_eq!(keys.primary().id(), other.id());
    assert_eq!(keys.len(), 2);
    let debug = format!("{keys:?}");
    assert!(debug.contains(other.id().as_str()));
    assert!(!debug.contains(other.to_paserk().rsplit('.').next().unwrap()));
}

#[test]
fn cookie_options_have_the_safe_defaults_and_write_every_attribute() {
    let options = CookieOptions::new("session");
    assert_eq!(
        options.set_cookie("v").unwrap(),
        "session=v; HttpOnly; SameSite=Lax; Secure; Path=/"
    );
    assert_eq!(options.token_lifetime(), DEFAULT_BROWSER_SESSION_LIFETIME);
    let options = CookieOptions::new(String::from("cart"))
        .max_age(Duration::from_secs(60))
        .path(String::from("/shop"))
        .domain("example.com")
        .secure(false)
        .http_only(false)
        .same_site(SameSite::Strict);
    assert_eq!(
        options.set_cookie("v").unwrap(),
        "cart=v; SameSite=Strict; Path=/shop; Domain=example.com; Max-Age=60"
    );
    assert_eq!(
        options.removal().unwrap(),
        "cart=; SameSite=Strict; Path=/shop; Domain=example.com; Max-Age=0; \
         Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    );
    assert_eq!(options.token_lifetime(), Duration::from_secs(60));
    assert_eq!(options.browser_session().max_age, None);
}

/// The same rules whether the strings are borrowed (a session's const spec) or owned (read
/// from the environment).
#[test]
fn cookie_options_are_checked_with_the_browsers_rules() {
    assert!(CookieOptions::new("s").check().is_ok());
    let problem = |options: CookieOptions| options.problem().unwrap_err();
    for bad in ["", "a b", "a;b", "a=b", "sé"] {
        assert_eq!(
            problem(CookieOptions::new(bad.to_owned())),
            CookieProblem::Name
        );
    }
    let s = || CookieOptions::new("s");
    assert_eq!(problem(s().path("shop")), CookieProblem::Path);
    assert_eq!(problem(s().path("/a;b".to_owned())), CookieProblem::Path);
    assert_eq!(problem(s().domain("a b")), CookieProblem::Domain);
    assert_eq!(problem(s().max_age(Duration::ZERO)), CookieProblem::MaxAge);
    let days = |n: u64| Duration::from_secs(n * 24 * 3600);
    assert!(s().max_age(days(400)).check().is_ok());
    assert_eq!(
        problem(s().max_age(days(401))),
        CookieProblem::MaxAgeTooLong
    );
    assert_eq!(
        problem(s().same_site(SameSite::None).secure(false)),
        CookieProblem::SameSiteNoneWithoutSecure
    );
    let host = || CookieOptions::new("__host-s".to_owned());
    assert!(host().check().is_ok());
    assert_eq!(problem(host().secure(false)), CookieProblem::HostPrefix);
    assert_eq!(problem(host().path("/app")), CookieProblem::HostPrefix);
    assert_eq!(
        problem(host().domain("example.com")),
        CookieProblem::HostPrefix
    );
    assert_eq!(
        problem(CookieOptions::new("__SECURE-s").secure(false)),
        CookieProblem::SecurePrefix
    );
    assert_eq!(
        s().path("x").check(),
        Err(CookieProblem::Path.message()),
        "check says what problem() finds"
    );
}
