//! Each validation rule of the verifier, shown by the rejection it causes and its error variant.

mod support;

use std::time::Duration;

use paseto_auth::key::{LocalKey, SigningKey};
use paseto_auth::token::{FooterLimits, seal};
use paseto_auth::{ClaimError, TokenError};
use paseto_auth::{Error, ErrorKind, Issuer, Requirements, TokenOptions, Verifier, Version};
use serde_json::{Value, json};

use support::{ISS, Setup, rfc3339, setup};

/// Signs a raw payload with the setup's key (no issuer conveniences), footer without kid.
fn raw_token(setup: &Setup, payload: &str) -> String {
    seal(
        &SigningKey::from(setup.secret.clone()),
        payload.as_bytes(),
        b"",
        b"",
    )
    .unwrap()
}

fn kind(result: Result<paseto_auth::VerifiedToken<Value>, Error>) -> ErrorKind {
    result.expect_err("token was accepted").kind()
}

#[test]
fn versions_outside_the_allow_list_are_refused_before_crypto() {
    let v2 = setup(Version::V2);
    let token = v2.issuer.issue(&json!({})).unwrap();
    let default = Verifier::builder()
        .public_key(setup(Version::V4).secret.public_key().clone(), ISS)
        .build()
        .unwrap();
    let err = default.verify::<Value>(&token).unwrap_err();
    assert!(matches!(
        err,
        Error::Token(TokenError::VersionNotAllowed(Version::V2))
    ));
    // A v2 key must be allowed explicitly.
    let err = Verifier::builder()
        .public_key(v2.secret.public_key().clone(), ISS)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Setup(ref m) if m.contains("not an allowed version")),
        "{err}"
    );
    assert!(v2.verifier.verify::<Value>(&token).is_ok());
}

#[test]
fn a_token_is_checked_only_with_keys_of_its_version_and_purpose() {
    let v4 = setup(Version::V4);
    let local = LocalKey::generate(Version::V4).unwrap();
    let local_token = Issuer::builder()
        .key(local)
        .build()
        .unwrap()
        .issue(&json!({}))
        .unwrap();
    assert_eq!(kind(v4.verifier.verify(&local_token)), ErrorKind::NO_KEY);
    let v3 = setup(Version::V3);
    let v3_token = v3.issuer.issue(&json!({})).unwrap();
    assert_eq!(kind(v4.verifier.verify(&v3_token)), ErrorKind::NO_KEY);
}

#[test]
fn an_unknown_paserk_kid_fails_closed() {
    let ours = setup(Version::V4);
    let theirs = setup(Version::V4);
    let token = theirs.issuer.issue(&json!({})).unwrap(); // footer kid = their pid
    assert_eq!(
        kind(ours.verifier.verify(&token)),
        ErrorKind::UNKNOWN_KEY_ID
    );
    // Without a kid the key is tried, and the signature fails.
    let no_kid = Issuer::builder()
        .issuer(ISS)
        .key(theirs.secret.clone())
        .use_kid(false)
        .build()
        .unwrap();
    assert_eq!(
        kind(ours.verifier.verify(&no_kid.issue(&json!({})).unwrap())),
        ErrorKind::INVALID_SIGNATURE
    );
}

#[test]
fn exp_is_required_unless_allowed_to_be_absent() {
    let s = setup(Version::V4);
    let token = s
        .issuer
        .issue_with(&json!({}), TokenOptions::new().no_expiration())
        .unwrap();
    assert_eq!(
        kind(s.verifier.verify(&token)),
        ErrorKind::MISSING_EXPIRATION
    );
    let lenient = Verifier::builder()
        .public_key(s.secret.public_key().clone(), ISS)
        .allow_no_expiration(true)
        .build()
        .unwrap();
    assert!(lenient.verify::<Value>(&token).is_ok());
}

#[test]
fn time_claims_are_checked_with_the_leeway() {
    let s = setup(Version::V4);
    let with_leeway = Verifier::builder()
        .public_key(s.secret.public_key().clone(), ISS)
        .leeway(Duration::from_secs(120))
        .build()
        .unwrap();
    let expired = raw_token(
        &s,
        &json!({"iss": ISS, "exp": rfc3339(time::Duration::seconds(-60))}).to_string(),
    );
    assert_eq!(kind(s.verifier.verify(&expired)), ErrorKind::EXPIRED);
    assert!(with_leeway.verify::<Value>(&expired).is_ok());
    let long_expired = raw_token(
        &s,
        &json!({"iss": ISS, "exp": rfc3339(time::Duration::seconds(-600))}).to_string(),
    );
    assert_eq!(kind(with_leeway.verify(&long_expired)), ErrorKind::EXPIRED);
    let hour = rfc3339(time::Duration::hours(1));
    let early = raw_token(
        &s,
        &json!({"iss": ISS, "exp": hour, "nbf": rfc3339(time::Duration::seconds(60))}).to_string(),
    );
    assert_eq!(kind(s.verifier.verify(&early)), ErrorKind::NOT_YET_VALID);
    assert!(with_leeway.verify::<Value>(&early).is_ok());
    let future = raw_token(
        &s,
        &json!({"iss": ISS, "exp": hour, "iat": rfc3339(time::Duration::seconds(600))}).to_string(),
    );
    assert_eq!(
        kind(with_leeway.verify(&future)),
        ErrorKind::ISSUED_IN_FUTURE
    );
    let not_rfc3339 = raw_token(&s, &json!({"iss": ISS, "exp": 1_900_000_000}).to_string());
    assert_eq!(
        kind(s.verifier.verify(&not_rfc3339)),
        ErrorKind::INVALID_CLAIM
    );
}

#[test]
fn a_key_bound_to_an_issuer_refuses_any_other_issuer() {
    let s = setup(Version::V4);
    let hour = rfc3339(time::Duration::hours(1));
    let other = raw_token(
        &s,
        &json!({"iss": "https://evil.example", "exp": hour}).to_string(),
    );
    let err = s.verifier.verify::<Value>(&other).unwrap_err();
    assert!(matches!(
        err,
        Error::Claims(ClaimError::IssuerMismatch { ref found, .. })
            if found.as_deref() == Some("https://evil.example")
    ));
    let none = raw_token(&s, &json!({"exp": hour}).to_string());
    assert!(matches!(
        s.verifier.verify::<Value>(&none),
        Err(Error::Claims(ClaimError::IssuerMismatch {
            found: None,
            ..
        }))
    ));
}

#[test]
fn audience_subject_jti_and_custom_claims_can_be_required() {
    let s = setup(Version::V4);
    let token = s
        .issuer
        .issue_with(
            &json!({"role": "admin"}),
            TokenOptions::new()
                .audience("api")
                .audience("web")
                .subject("alice")
                .token_id("t-1"),
        )
        .unwrap();
    let ok = Requirements::new()
        .audience("web")
        .subject("alice")
        .token_id("t-1")
        .claim("role");
    assert!(s.verifier.verify_with::<Value>(&token, &ok).is_ok());
    let cases = [
        (
            Requirements::new().audience("admin"),
            ErrorKind::AUDIENCE_NOT_ACCEPTED,
        ),
        (
            Requirements::new().subject("bob"),
            ErrorKind::SUBJECT_NOT_ACCEPTED,
        ),
        (
            Requirements::new().token_id("t-2"),
            ErrorKind::TOKEN_ID_NOT_ACCEPTED,
        ),
        (Requirements::new().claim("email"), ErrorKind::MISSING_CLAIM),
        (
            Requirements::new().issuer("https://other.example"),
            ErrorKind::ISSUER_NOT_ACCEPTED,
        ),
    ];
    for (requirements, expected) in cases {
        assert_eq!(
            kind(s.verifier.verify_with(&token, &requirements)),
            expected
        );
    }
    // A single audience is written as a string and still matches.
    let one = s
        .issuer
        .issue_with(&json!({}), TokenOptions::new().audience("api"))
        .unwrap();
    assert!(
        s.verifier
            .verify_with::<Value>(&one, &Requirements::new().audience("api"))
            .is_ok()
    );
}

#[test]
fn the_payload_must_be_an_object_with_unique_keys() {
    let s = setup(Version::V4);
    let hour = rfc3339(time::Duration::hours(1));
    let dup = raw_token(
        &s,
        &format!(r#"{{"iss":"{ISS}","exp":"{hour}","sub":"a","sub":"admin"}}"#),
    );
    let err = s.verifier.verify::<Value>(&dup).unwrap_err();
    assert!(matches!(err, Error::Token(TokenError::DuplicateClaim(ref name)) if name == "sub"));
    let array = raw_token(&s, "[1,2,3]");
    assert_eq!(kind(s.verifier.verify(&array)), ErrorKind::INVALID_PAYLOAD);
    let not_json = raw_token(&s, "hello");
    assert_eq!(
        kind(s.verifier.verify(&not_json)),
        ErrorKind::INVALID_PAYLOAD
    );
}

#[test]
fn claims_that_do_not_fit_the_type_are_a_typed_error() {
    #[derive(Debug, serde::Deserialize, paseto_auth::PasetoClaims)]
    struct NeedsUser {
        #[allow(dead_code)]
        user: String,
    }
    let s = setup(Version::V4);
    let token = s.issuer.issue(&json!({"user": 42})).unwrap();
    let err = s.verifier.verify::<NeedsUser>(&token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CLAIMS_TYPE);
}

#[test]
fn size_and_footer_limits_apply_before_parsing() {
    let s = setup(Version::V4);
    let big = s.issuer.issue(&json!({"blob": "x".repeat(9000)})).unwrap();
    assert!(matches!(
        s.verifier.verify::<Value>(&big),
        Err(Error::Token(TokenError::TokenTooLarge { limit: 8192, .. }))
    ));
    let deep = s
        .issuer
        .issue_with(
            &json!({}),
            TokenOptions::new().footer_field("x", json!({"a": {"b": 1}})),
        )
        .unwrap();
    assert_eq!(kind(s.verifier.verify(&deep)), ErrorKind::INVALID_FOOTER);
    let strict = Verifier::builder()
        .public_key(s.secret.public_key().clone(), ISS)
        .footer_limits(FooterLimits {
            max_len: 16,
            ..FooterLimits::default()
        })
        .build()
        .unwrap();
    assert_eq!(
        kind(strict.verify(&s.issuer.issue(&json!({})).unwrap())),
        ErrorKind::INVALID_FOOTER
    );
}

#[test]
fn implicit_assertions_must_match() {
    let s = setup(Version::V4);
    let bound = s
        .issuer
        .issue_with(
            &json!({}),
            TokenOptions::new().implicit_assertion("tenant-1"),
        )
        .unwrap();
    assert_eq!(
        kind(s.verifier.verify(&bound)),
        ErrorKind::INVALID_SIGNATURE
    );
    let tenant = Verifier::builder()
        .public_key(s.secret.public_key().clone(), ISS)
        .implicit_assertion("tenant-1")
        .build()
        .unwrap();
    assert!(tenant.verify::<Value>(&bound).is_ok());
}

#[test]
fn local_tokens_verify_with_local_keys() {
    for version in [Version::V4, Version::V3] {
        let key = LocalKey::generate(version).unwrap();
        let issuer = Issuer::builder()
            .issuer(ISS)
            .key(key.clone())
            .build()
            .unwrap();
        let verifier = Verifier::builder()
            .local_key(key, Some(ISS.into()))
            .build()
            .unwrap();
        let token = issuer.issue(&json!({"n": 1})).unwrap();
        assert!(token.starts_with(&format!("{version}.local.")));
        let verified = verifier.verify::<Value>(&token).unwrap();
        assert_eq!(verified.claims["n"], 1);
        assert!(
            verified
                .key_id
                .as_str()
                .starts_with(&format!("{}.lid.", version.paserk_prefix()))
        );
    }
}

#[test]
fn no_input_panics() {
    let s = setup(Version::V4);
    let good = s.issuer.issue(&json!({})).unwrap();
    let mut inputs: Vec<String> = vec![
        String::new(),
        ".".into(),
        "....".into(),
        "v4.public..".into(),
        "v4.public.AA.AA.AA".into(),
        "v4.local.".into(),
        "v3.local.".into(),
        "v2.public.".into(),
        "v4.public.\u{1F600}".into(),
        "v3.public.AAAA".into(),
        "v3.local.AAAA.AAAA".into(),
        "v4.public.A".into(),
    ];
    for cut in 0..good.len() {
        inputs.push(good[..cut].to_owned());
    }
    let mut seed = 0x9e37_79b9_u32;
    for _ in 0..500 {
        let len = (seed % 200) as usize;
        let mut text = String::from(
            [
                "v4.public.",
                "v4.local.",
                "v3.local.",
                "v3.public.",
                "v2.local.",
            ][(seed % 5) as usize],
        );
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            text.push(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.="
                    [(seed % 65) as usize] as char,
            );
        }
        inputs.push(text);
    }
    for input in &inputs {
        assert!(
            s.verifier.verify::<Value>(input).is_err(),
            "{input:?} accepted"
        );
    }
}

#[test]
fn a_required_claim_is_not_met_by_null() {
    let s = setup(Version::V4);
    let token = s
        .issuer
        .issue(&json!({"nickname": null, "role": "admin"}))
        .unwrap();
    let nickname = Requirements::new().claim("nickname");
    assert_eq!(
        kind(s.verifier.verify_with(&token, &nickname)),
        ErrorKind::MISSING_CLAIM
    );
    assert!(
        s.verifier
            .verify_with::<Value>(&token, &Requirements::new().claim("role"))
            .is_ok()
    );
}

/// A required claim whose type would take `null` (a `Value`).
#[derive(Debug, serde::Deserialize, paseto_auth::PasetoClaims)]
struct Profile {
    nickname: Value,
    email: Option<String>,
}

#[test]
fn a_required_field_is_not_met_by_null_even_when_its_type_takes_null() {
    let s = setup(Version::V4);
    let null = s.issuer.issue(&json!({"nickname": null})).unwrap();
    let err = s.verifier.verify::<Profile>(&null).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CLAIMS_TYPE);
    assert_eq!(
        err.to_string(),
        "claims do not match the expected type: the claim \"nickname\" is required and is absent or null"
    );
    let present = s
        .issuer
        .issue(&json!({"nickname": "al", "email": null}))
        .unwrap();
    let verified = s.verifier.verify::<Profile>(&present).unwrap();
    assert_eq!(verified.claims.nickname, "al");
    assert_eq!(verified.claims.email, None);
}

#[test]
fn a_version_or_purpose_the_route_does_not_take_is_invalid_not_forbidden() {
    let s = setup(Version::V4);
    // A forged local token (nothing authenticates it) at a route that takes public tokens.
    let forged = format!("v4.local.{}", "A".repeat(120));
    let public_only = Requirements::new().purpose(paseto_auth::Purpose::Public);
    let err = s
        .verifier
        .verify_with::<Value>(&forged, &public_only)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PURPOSE_NOT_ALLOWED);
    assert!(!err.kind().is_insufficient_scope());
    let v3_only = Requirements::new().version(Version::V3);
    let token = s.issuer.issue(&json!({})).unwrap();
    let err = s
        .verifier
        .verify_with::<Value>(&token, &v3_only)
        .unwrap_err();
    assert!(!err.kind().is_insufficient_scope());
}

#[test]
fn attacker_text_in_errors_is_escaped_and_bounded() {
    let s = setup(Version::V4);
    let kid = format!(
        "k4.pid.x\n2026-11-29T00:00:00Z  INFO admin login ok\r\u{1b}[31m{}",
        "y".repeat(500)
    );
    let footer = json!({ "kid": kid }).to_string();
    let token = seal(
        &SigningKey::from(s.secret.clone()),
        br#"{"iss":"x"}"#,
        footer.as_bytes(),
        b"",
    )
    .unwrap();
    let err = s
        .verifier
        .verify_with::<Value>(&token, &Requirements::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UNKNOWN_KEY_ID, "{err}");
    let shown = err.to_string();
    assert!(
        !shown.contains(['\n', '\r', '\u{1b}']) && shown.contains("\\n"),
        "{shown}"
    );
    assert!(shown.chars().count() < 120, "{shown}");
    assert!(!format!("{err:?}").contains('\n'));
}

#[test]
fn a_footer_repeating_a_key_is_refused() {
    let s = setup(Version::V4);
    let footer = format!(
        r#"{{"kid":"{}","kid":"k4.pid.other"}}"#,
        s.secret.public_key().id()
    );
    let token = seal(
        &SigningKey::from(s.secret.clone()),
        json!({"iss": ISS, "exp": rfc3339(time::Duration::hours(1))})
            .to_string()
            .as_bytes(),
        footer.as_bytes(),
        b"",
    )
    .unwrap();
    let err = s.verifier.verify::<Value>(&token).unwrap_err();
    assert!(
        matches!(err, Error::Token(TokenError::InvalidFooter(ref m)) if m.contains("repeated")),
        "{err}"
    );
}

#[test]
fn a_cookie_token_is_never_an_api_token() {
    // What the session and login cookies hold (`pur` binds them), sealed with a local key that
    // the verifier also holds for API tokens: on v2 it decrypts, and is refused all the same.
    for version in Version::ALL {
        let key = LocalKey::generate(version).unwrap();
        let verifier = Verifier::builder()
            .local_key(key.clone(), None)
            .versions(Version::ALL)
            .build()
            .unwrap();
        let payload = json!({
            "pur": "session", "cky": "session", "dat": {},
            "iat": rfc3339(time::Duration::ZERO), "exp": rfc3339(time::Duration::hours(1)),
        });
        let token = seal(
            &SigningKey::Local(key.clone()),
            payload.to_string().as_bytes(),
            b"",
            b"",
        )
        .unwrap();
        let err = verifier.verify::<Value>(&token).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::INVALID_CLAIM, "{version}: {err}");
        // And the issuer does not make API tokens that look like cookies.
        let issuer = Issuer::builder().issuer(ISS).key(key).build().unwrap();
        let err = issuer.issue(&json!({"pur": "session"})).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::INVALID_PAYLOAD);
    }
}

/// A ring whose one key is out of force at `now`: before its not-before, or after its
/// not-after.
fn verifier_with_window(
    setup: &Setup,
    not_before: Option<time::OffsetDateTime>,
    not_after: Option<time::OffsetDateTime>,
) -> Verifier {
    let mut entry = paseto_auth::key::RingEntry::new(
        paseto_auth::key::VerificationKey::from(setup.secret.public_key().clone()),
        Some(ISS.to_owned()),
    );
    entry.not_before = not_before;
    entry.not_after = not_after;
    let mut ring = paseto_auth::key::KeyRing::new();
    ring.push_entry(entry);
    Verifier::builder().keys(ring).build().unwrap()
}

#[test]
fn a_key_outside_its_validity_window_verifies_nothing() {
    let keys = setup(Version::V4);
    let token = keys.issuer.issue(&json!({})).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let hour = time::Duration::hours(1);
    let in_force = verifier_with_window(&keys, Some(now - hour), Some(now + hour));
    assert!(in_force.verify::<Value>(&token).is_ok());
    for (not_before, not_after) in [(Some(now + hour), None), (None, Some(now - hour))] {
        let verifier = verifier_with_window(&keys, not_before, not_after);
        assert_eq!(
            kind(verifier.verify(&token)),
            ErrorKind::KEY_OUTSIDE_VALIDITY,
            "{not_before:?}..{not_after:?}"
        );
    }
}

#[test]
fn a_cached_token_is_refused_once_its_key_is_past_its_not_after() {
    // The cache keeps a token for minutes; its key may leave force before then, and a hit must
    // see it.
    let keys = setup(Version::V4);
    let token = keys.issuer.issue(&json!({})).unwrap();
    let not_after = time::OffsetDateTime::now_utc() + time::Duration::milliseconds(1500);
    let verifier = verifier_with_window(&keys, None, Some(not_after));
    for _ in 0..3 {
        assert!(verifier.verify::<Value>(&token).is_ok());
    }
    assert!(
        verifier.cache_stats().unwrap().hits > 0,
        "the token is cached"
    );
    std::thread::sleep(Duration::from_millis(1600));
    assert_eq!(
        kind(verifier.verify(&token)),
        ErrorKind::KEY_OUTSIDE_VALIDITY
    );
}
