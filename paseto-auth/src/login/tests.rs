//! Unit tests of the remember-me token, the login session state, the refusal responses and the
//! settings checks. The request flows are tested end to end in the workspace's tests/login.rs.

use std::time::Duration;

use axum::http::header::{ACCEPT, LOCATION, VARY};
use axum::http::{Request, StatusCode};
use serde_json::json;
use time::OffsetDateTime;

use super::keys::LoginKeys;
use super::manager::LoginManager;
use super::refusal::{RedirectPolicy, Refusal, Refusals, safe_next};
use super::remember::{open_remember, seal_remember};
use super::settings::{CookieSettings, LOGIN_SESSION_COOKIE, REMEMBER_COOKIE};
use super::state::{AuthDigest, LOGIN_PURPOSE, LoginState, REMEMBER_PURPOSE};
use super::user::{AuthUser, UserLoader};
use crate::ErrorKind;
use crate::Version;
use crate::cookie::token::{open_bound, open_cookie_at, seal_bound, seal_cookie_at};
use crate::cookie::{CookieKeys, CookieOptions};

const DAY: Duration = Duration::from_secs(24 * 3600);

fn keys(version: Version) -> CookieKeys {
    CookieKeys::generate(version).unwrap()
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// A login of user `42` in family `fam`, sealed with the auth-hash digest `hsh`.
fn login_of_42(hsh: Option<AuthDigest>) -> LoginState {
    LoginState {
        uid: "42".into(),
        fresh: true,
        sid: "s".into(),
        fam: Some("fam".into()),
        hsh,
    }
}

#[test]
fn remember_tokens_round_trip_with_a_random_jti_in_every_version() {
    for version in Version::ALL {
        let keys = keys(version);
        let digest = AuthDigest::of(b"$argon2id$hash");
        let login = login_of_42(Some(digest.clone()));
        let first = seal_remember(&keys, "remember_token", &login, DAY, now()).unwrap();
        let second = seal_remember(&keys, "remember_token", &login, DAY, now()).unwrap();
        assert!(first.starts_with(&format!("{version}.local.")), "{first}");
        assert_ne!(first, second);
        let token = open_remember(&keys, "remember_token", &first, DAY, now()).unwrap();
        assert_eq!(token.subject, "42");
        assert_eq!(token.family, "fam");
        assert!(AuthDigest::matches(token.digest.as_ref(), Some(&digest)));
    }
}

#[test]
fn remember_tokens_carry_sub_iat_exp_jti_and_the_family() {
    // Seal with the real function, then decrypt with the low-level opener to see the claims.
    let keys = keys(Version::V4);
    let issued = now();
    let value = seal_remember(&keys, "remember_token", &login_of_42(None), DAY, issued).unwrap();
    let payload = open_bound(&keys, REMEMBER_PURPOSE, "remember_token", &value).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(claims["sub"], "42");
    assert_eq!(claims["pur"], "remember");
    assert_eq!(claims["cky"], "remember_token");
    assert_eq!(claims["jti"].as_str().unwrap().len(), 22); // 16 random bytes, base64url
    assert_eq!(claims["fam"], "fam");
    let iat = claims["iat"].as_str().unwrap();
    let exp = claims["exp"].as_str().unwrap();
    let parse =
        |t: &str| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(parse(exp) - parse(iat), time::Duration::days(1));
    assert!(claims.get("hsh").is_none());
}

#[test]
fn cookies_sealed_before_families_existed_are_their_own_family() {
    // Still valid after an upgrade: their family is the id a logout used to revoke.
    let state: LoginState =
        serde_json::from_value(json!({"uid": "42", "fresh": true, "sid": "old-sid"})).unwrap();
    assert_eq!(state.family(), "old-sid");
    let keys = keys(Version::V4);
    let issued = now();
    let rfc3339 = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let payload = json!({
        "pur": REMEMBER_PURPOSE, "cky": "remember_token", "sub": "42",
        "iat": rfc3339(issued), "exp": rfc3339(issued + time::Duration::days(1)), "jti": "old-jti",
    });
    let value = seal_bound(
        &keys,
        REMEMBER_PURPOSE,
        "remember_token",
        payload.to_string().as_bytes(),
    )
    .unwrap();
    let token = open_remember(&keys, "remember_token", &value, DAY, now()).unwrap();
    assert_eq!(
        (token.jti.as_str(), token.family.as_str()),
        ("old-jti", "old-jti")
    );
}

#[test]
fn an_expired_remember_token_is_refused() {
    let keys = keys(Version::V4);
    let long_ago = now() - time::Duration::days(400);
    let value = seal_remember(&keys, "remember_token", &login_of_42(None), DAY, long_ago).unwrap();
    let err = open_remember(&keys, "remember_token", &value, DAY, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::EXPIRED);
}

#[test]
fn a_tampered_or_foreign_remember_token_is_refused() {
    let keys = keys(Version::V4);
    let value = seal_remember(&keys, "remember_token", &login_of_42(None), DAY, now()).unwrap();
    // Flip one character of the body.
    let mut tampered = value.clone().into_bytes();
    let i = tampered.len() - 5;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let err = open_remember(&keys, "remember_token", &tampered, DAY, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::INVALID_SIGNATURE);
    // Sealed by another application's key.
    let err = open_remember(
        &self::keys(Version::V4),
        "remember_token",
        &value,
        DAY,
        now(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::INVALID_SIGNATURE);
    // Garbage.
    let err = open_remember(&keys, "remember_token", "v4.local.%%%", DAY, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MALFORMED);
}

#[test]
fn a_login_session_token_is_not_a_remember_token_and_the_other_way_round() {
    for version in Version::ALL {
        // The same key for both, so only the purpose binding keeps them apart.
        let keys = keys(version);
        let state = login_of_42(None);
        let session =
            seal_cookie_at(&keys, LOGIN_PURPOSE, "remember_token", &state, DAY, now()).unwrap();
        let as_remember = open_remember(&keys, "remember_token", &session, DAY, now()).unwrap_err();
        let remember =
            seal_remember(&keys, "login_session", &login_of_42(None), DAY, now()).unwrap();
        let as_session = open_cookie_at::<LoginState>(
            &keys,
            LOGIN_PURPOSE,
            "login_session",
            &remember,
            DAY,
            now(),
        )
        .unwrap_err();
        let expected = if version == Version::V2 {
            ErrorKind::INVALID_CLAIM // v2: the `pur` claim, checked after decryption
        } else {
            ErrorKind::INVALID_SIGNATURE // v3/v4: the implicit assertion
        };
        assert_eq!(as_remember.kind(), expected, "{version}: {as_remember}");
        assert_eq!(as_session.kind(), expected, "{version}: {as_session}");
    }
}

#[test]
fn a_remember_token_without_jti_is_refused() {
    // Built by hand with the right binding, but no jti: not a token this crate seals.
    let keys = keys(Version::V2);
    let payload = json!({
        "pur": "remember", "cky": "remember_token", "sub": "42",
        "iat": "2026-01-01T00:00:00Z", "exp": "2999-01-01T00:00:00Z",
    });
    let value = seal_bound(
        &keys,
        REMEMBER_PURPOSE,
        "remember_token",
        &serde_json::to_vec(&payload).unwrap(),
    )
    .unwrap();
    let err = open_remember(&keys, "remember_token", &value, DAY, now()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CLAIMS_TYPE, "{err}");
}

#[test]
fn auth_digests_match_only_the_same_hash() {
    let a = AuthDigest::of(b"hash-a");
    let b = AuthDigest::of(b"hash-b");
    assert!(AuthDigest::matches(
        Some(&a),
        Some(&AuthDigest::of(b"hash-a"))
    ));
    assert!(!AuthDigest::matches(Some(&a), Some(&b)));
    assert!(!AuthDigest::matches(Some(&a), None));
    assert!(!AuthDigest::matches(None, Some(&a)));
    assert!(AuthDigest::matches(None, None));
    assert_eq!(format!("{a:?}"), "AuthDigest(..)");
}

/// Refusals with a login URL.
fn refusals() -> Refusals {
    Refusals {
        login_url: Some("/login".into()),
        ..Refusals::default()
    }
}

/// A user type and a loader with none, for the settings checks.
struct Nobody;

impl AuthUser for Nobody {
    type Id = u8;
    fn id(&self) -> u8 {
        0
    }
}

struct NoUsers;

impl UserLoader for NoUsers {
    type User = Nobody;
    type Error = std::convert::Infallible;
    async fn load_user(&self, _: &u8) -> Result<Option<Nobody>, Self::Error> {
        Ok(None)
    }
}

fn manager() -> LoginManager<NoUsers> {
    LoginManager::new(NoUsers, LoginKeys::generate(Version::V4).unwrap()).login_url("/login")
}

fn parts(uri: &str, accept: Option<&str>) -> axum::http::request::Parts {
    let mut request = Request::builder().uri(uri);
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    request.body(()).unwrap().into_parts().0
}

#[test]
fn browsers_are_redirected_with_next_and_api_clients_get_401() {
    let refusals = refusals();
    let browser = parts(
        "/protected?tab=a&b=1",
        Some("text/html,application/xhtml+xml;q=0.9"),
    );
    let rejection = refusals.refuse(&browser, Refusal::NotLoggedIn);
    assert_eq!(rejection.status(), StatusCode::SEE_OTHER);
    assert_eq!(rejection.refusal(), Some(Refusal::NotLoggedIn));
    let response = axum::response::IntoResponse::into_response(rejection);
    assert_eq!(
        response.headers()[LOCATION],
        "/login?next=%2Fprotected%3Ftab%3Da%26b%3D1"
    );
    assert_eq!(response.headers()[VARY], "Accept");

    let api = parts("/protected", Some("application/json"));
    assert_eq!(
        refusals.refuse(&api, Refusal::NotLoggedIn).status(),
        StatusCode::UNAUTHORIZED
    );
    let curl = parts("/protected", Some("*/*"));
    assert_eq!(
        refusals.refuse(&curl, Refusal::NotFresh).status(),
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn the_redirect_policy_and_urls_decide_where_refusals_go() {
    let mut refusals = refusals();
    refusals.refresh_url = Some("/reauth?from=x".into());
    let browser = parts("/p", Some("text/html"));
    let response =
        axum::response::IntoResponse::into_response(refusals.refuse(&browser, Refusal::NotFresh));
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/reauth?from=x&next=%2Fp");

    refusals.redirect = RedirectPolicy::Never;
    assert_eq!(
        refusals.refuse(&browser, Refusal::NotLoggedIn).status(),
        StatusCode::UNAUTHORIZED
    );
    refusals.redirect = RedirectPolicy::Always;
    let api = parts("/p", Some("application/json"));
    assert_eq!(
        refusals.refuse(&api, Refusal::NotLoggedIn).status(),
        StatusCode::SEE_OTHER
    );
    refusals.login_url = None;
    refusals.refresh_url = None;
    assert_eq!(
        refusals.refuse(&api, Refusal::NotLoggedIn).status(),
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn only_local_paths_are_safe_next_targets() {
    for good in ["/", "/protected", "/a/b?c=d&e=%2F#frag"] {
        assert_eq!(safe_next(good), Some(good));
    }
    for bad in [
        "",
        "protected",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/a\nb",
        "javascript:alert(1)",
    ] {
        assert_eq!(safe_next(bad), None, "{bad:?}");
    }
}

#[test]
fn bad_settings_fail_naming_the_setting() {
    let setting_of = |manager: LoginManager<NoUsers>| match manager.check().unwrap_err() {
        crate::Error::Config { setting, .. } => setting,
        other => panic!("not a config error: {other}"),
    };
    let bad = manager().remember_cookie(REMEMBER_COOKIE.name("bad name"));
    assert_eq!(setting_of(bad), "remember_cookie");
    let bad = manager().session_cookie(CookieOptions::new("remember_token"));
    assert_eq!(setting_of(bad), "remember_cookie");
    let bad = manager().remember_cookie(REMEMBER_COOKIE.browser_session());
    assert_eq!(setting_of(bad), "remember_cookie");
    let bad = manager().session_cookie(LOGIN_SESSION_COOKIE.path("nope"));
    assert_eq!(setting_of(bad), "session_cookie");
    for url in [
        "login",
        "//evil.example/login",
        "/\\evil.example/login",
        "/login\n",
        "/log in",
        "ftp://x/",
        "https://x/#frag",
    ] {
        assert_eq!(setting_of(manager().login_url(url)), "login_url", "{url:?}");
    }
    assert_eq!(
        setting_of(manager().refresh_url("javascript:x")),
        "refresh_url"
    );
    assert!(manager().check().is_ok());
}

#[test]
fn remember_cookie_settings_read_flask_login_names() {
    let env = |pairs: &[(&str, &str)]| crate::settings::Settings::from_pairs(pairs.iter().copied());
    let settings = CookieSettings::remember_from_settings(&env(&[
        ("REMEMBER_COOKIE_NAME", "remember_me"),
        ("REMEMBER_COOKIE_DURATION", "86400"),
        ("REMEMBER_COOKIE_DOMAIN", "example.com"),
        ("REMEMBER_COOKIE_PATH", "/app"),
        ("REMEMBER_COOKIE_SECURE", "false"),
        ("REMEMBER_COOKIE_HTTPONLY", "true"),
        ("REMEMBER_COOKIE_SAMESITE", "strict"),
        ("REMEMBER_COOKIE_REFRESH_EACH_REQUEST", "yes"),
    ]))
    .unwrap();
    assert_eq!(
        settings,
        CookieSettings::new(
            CookieOptions::new("remember_me")
                .max_age(DAY)
                .domain("example.com")
                .path("/app")
                .secure(false)
                .same_site(crate::cookie::SameSite::Strict)
        )
        .refresh_each_request(true)
    );
    let host = CookieSettings::remember_from_settings(&env(&[(
        "REMEMBER_COOKIE_NAME",
        "__Host-remember",
    )]));
    assert_eq!(
        host.unwrap().options.name,
        "__Host-remember",
        "Secure, Path=/, no Domain: accepted"
    );
    let defaults = CookieSettings::remember_from_settings(&env(&[])).unwrap();
    assert_eq!(defaults, CookieSettings::new(REMEMBER_COOKIE));
    assert_eq!(
        defaults.options.max_age,
        Some(Duration::from_secs(365 * 24 * 3600))
    );

    for (pairs, setting) in [
        (
            &[("REMEMBER_COOKIE_DURATION", "a year")][..],
            "REMEMBER_COOKIE_DURATION",
        ),
        (
            &[("REMEMBER_COOKIE_DURATION", "0")][..],
            "REMEMBER_COOKIE_DURATION",
        ),
        (
            &[("REMEMBER_COOKIE_SECURE", "maybe")][..],
            "REMEMBER_COOKIE_SECURE",
        ),
        (
            &[("REMEMBER_COOKIE_SAMESITE", "sometimes")][..],
            "REMEMBER_COOKIE_SAMESITE",
        ),
        (
            &[
                ("REMEMBER_COOKIE_SAMESITE", "None"),
                ("REMEMBER_COOKIE_SECURE", "0"),
            ][..],
            "REMEMBER_COOKIE_SAMESITE",
        ),
        (
            &[("REMEMBER_COOKIE_NAME", "a;b")][..],
            "REMEMBER_COOKIE_NAME",
        ),
        (
            &[("REMEMBER_COOKIE_PATH", "app")][..],
            "REMEMBER_COOKIE_PATH",
        ),
        (
            &[("REMEMBER_COOKIE_DOMAIN", "exa mple.com")][..],
            "REMEMBER_COOKIE_DOMAIN",
        ),
        // 401 days: over the browsers' cap.
        (
            &[("REMEMBER_COOKIE_DURATION", "34646400")][..],
            "REMEMBER_COOKIE_DURATION",
        ),
        (
            &[
                ("REMEMBER_COOKIE_NAME", "__Host-remember"),
                ("REMEMBER_COOKIE_PATH", "/app"),
            ][..],
            "REMEMBER_COOKIE_NAME",
        ),
        (
            &[
                ("REMEMBER_COOKIE_NAME", "__Secure-remember"),
                ("REMEMBER_COOKIE_SECURE", "false"),
            ][..],
            "REMEMBER_COOKIE_NAME",
        ),
    ] {
        match CookieSettings::remember_from_settings(&env(pairs)).unwrap_err() {
            crate::Error::Config { setting: named, .. } => assert_eq!(named, setting, "{pairs:?}"),
            other => panic!("not a config error: {other}"),
        }
    }
}
