//! The issuer_and_verifier example, route by route through `oneshot`, including the attacks:
//! an expired token, a token from another key, a token whose `iss` differs from its key's issuer,
//! a tampered token and garbage; and a logout that revokes the token, copies included.

#[path = "../examples/issuer_and_verifier.rs"]
#[allow(dead_code)]
mod example;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use example::{AppState, TOKEN_COOKIE, User};
use http_body_util::BodyExt;
use paseto_auth::key::{SecretKey, SigningKey};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::token::seal;
use paseto_auth::{Issuer, Version};
use serde_json::{Value, json};
use tower::ServiceExt;

mod support;

use support::{ISS, rfc3339, v4_issuer_and_verifier};

struct Fixture {
    app: Router,
    /// The same app, answering refusals with their detail.
    detailed: Router,
    key: SecretKey,
}

fn fixture() -> Fixture {
    let (key, issuer, verifier) = v4_issuer_and_verifier();
    let revocations = Revocations::new(MemoryStore::new());
    let state = example::state(issuer, verifier, revocations);
    let detailed = AppState {
        auth: state.auth.clone().detailed_errors(true),
        ..state.clone()
    };
    Fixture {
        app: example::app(state),
        detailed: example::app(detailed),
        key,
    }
}

async fn send(app: &Router, request: Request<Body>) -> Response<Body> {
    app.clone().oneshot(request).await.unwrap()
}

async fn body(response: Response<Body>) -> String {
    String::from_utf8(
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap()
}

/// The form CSRF value a browser holds in the `csrf` cookie and posts back.
const CSRF: &str = "test-csrf-value-0123456789abcdefghijklmnopq";

fn login_request(password: &str) -> Request<Body> {
    Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("csrf={CSRF}"))
        .body(Body::from(format!(
            "email=foo%40example.com&password={password}&csrf_token={CSRF}"
        )))
        .unwrap()
}

fn me_with_cookie(token: &str) -> Request<Body> {
    Request::get("/protected/me")
        .header(header::COOKIE, format!("{TOKEN_COOKIE}={token}"))
        .body(Body::empty())
        .unwrap()
}

fn me_with_bearer(token: &str) -> Request<Body> {
    Request::get("/protected/me")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// The logout form posted by a browser holding `token` in its cookie.
fn logout_with_token(token: &str) -> Request<Body> {
    Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::COOKIE,
            format!("{TOKEN_COOKIE}={token}; csrf={CSRF}"),
        )
        .body(Body::from(format!("csrf_token={CSRF}")))
        .unwrap()
}

/// Logs in and returns the token from the `paseto` cookie.
async fn login(app: &Router) -> String {
    let response = send(app, login_request("mysecret")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/protected/me");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("paseto=")
        .unwrap();
    value.to_owned()
}

#[tokio::test]
async fn the_login_form_is_served() {
    let f = fixture();
    let response = send(&f.app, Request::get("/login").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body(response).await.contains(r#"name="password""#));
}

#[tokio::test]
async fn login_then_me_by_cookie_and_by_bearer() {
    let f = fixture();
    let token = login(&f.app).await;
    assert!(token.starts_with("v4.public."));
    for request in [me_with_cookie(&token), me_with_bearer(&token)] {
        let response = send(&f.app, request).await;
        assert_eq!(response.status(), StatusCode::OK);
        let user: User = serde_json::from_str(&body(response).await).unwrap();
        assert_eq!(
            user,
            User {
                email: "foo@example.com".into()
            }
        );
    }
}

/// The example publishes its issuer's key set; a verifier built from the served document alone
/// accepts the example's tokens, bound to its issuer.
#[tokio::test]
async fn the_issuer_serves_its_key_set_and_a_verifier_built_from_it_accepts_its_tokens() {
    use paseto_auth::keyset::{DocumentLimits, KeySetDocument, KeyStatus};
    let f = fixture();
    let response = send(
        &f.app,
        Request::get("/.well-known/paserk.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=300"
    );
    assert!(response.headers().contains_key(header::ETAG));
    let text = body(response).await;
    let document = KeySetDocument::parse(text.as_bytes(), &DocumentLimits::default()).unwrap();
    assert_eq!(document.len(), 1);
    let published = &document.keys()[0];
    assert_eq!(published.pid(), f.key.public_key().id());
    assert_eq!(
        (published.iss.as_str(), published.status),
        (ISS, KeyStatus::Active)
    );
    let ring = document
        .verification_ring(&[ISS.to_owned()], &[Version::V4])
        .unwrap();
    let verifier = paseto_auth::Verifier::builder().keys(ring).build().unwrap();
    let token = login(&f.app).await;
    let verified = verifier.verify::<Value>(&token).unwrap();
    assert_eq!(verified.claims["user"]["email"], "foo@example.com");
}

#[tokio::test]
async fn a_bad_password_is_401_without_a_cookie() {
    let f = fixture();
    let response = send(&f.app, login_request("wrong")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn no_token_is_401_with_a_bearer_challenge() {
    let f = fixture();
    let response = send(
        &f.app,
        Request::get("/protected/me").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
}

/// Asserts that `token` is refused as `invalid_token`: a 401 whose body names nothing but the
/// RFC 6750 code, and (with detailed errors on) the error kind.
async fn assert_invalid(f: &Fixture, token: &str, kind: &str) {
    let response = send(&f.app, me_with_bearer(token)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{kind}");
    assert_eq!(
        response.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="invalid_token""#
    );
    assert_eq!(
        body(response).await,
        r#"{"error":"invalid_token"}"#,
        "{kind}"
    );
    let response = send(&f.detailed, me_with_bearer(token)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{kind}");
    let json: Value = serde_json::from_str(&body(response).await).unwrap();
    assert_eq!(json["error"], "invalid_token", "{json}");
    assert_eq!(json["kind"], kind, "{json}");
    assert!(json["detail"].is_string(), "{json}");
}

#[tokio::test]
async fn attacks_are_401_invalid_token() {
    let f = fixture();
    let signer = SigningKey::from(f.key.clone());
    let user = json!({"email": "foo@example.com"});

    let expired =
        json!({"iss": ISS, "user": user, "exp": rfc3339(time::Duration::minutes(-5))}).to_string();
    assert_invalid(
        &f,
        &seal(&signer, expired.as_bytes(), b"", b"").unwrap(),
        "expired",
    )
    .await;

    let stranger = Issuer::builder()
        .issuer(ISS)
        .key(SecretKey::generate(Version::V4).unwrap())
        .build()
        .unwrap();
    let foreign = stranger.issue(&json!({"user": user})).unwrap();
    assert_invalid(&f, &foreign, "unknown_key_id").await;

    let evil = json!({"iss": "https://evil.example", "user": user, "exp": rfc3339(time::Duration::hours(1))}).to_string();
    assert_invalid(
        &f,
        &seal(&signer, evil.as_bytes(), b"", b"").unwrap(),
        "issuer_mismatch",
    )
    .await;

    let good = login(&f.app).await;
    let mut tampered = good.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    assert_invalid(
        &f,
        &String::from_utf8(tampered).unwrap(),
        "invalid_signature",
    )
    .await;

    assert_invalid(&f, "garbage", "malformed").await;
    assert_invalid(&f, &"v4.public.AAAA".repeat(1000), "token_too_large").await;

    let typed_wrong =
        json!({"iss": ISS, "user": "not-an-object", "exp": rfc3339(time::Duration::hours(1))})
            .to_string();
    assert_invalid(
        &f,
        &seal(&signer, typed_wrong.as_bytes(), b"", b"").unwrap(),
        "claims_type",
    )
    .await;
}

#[tokio::test]
async fn logout_is_a_post_with_the_csrf_value_and_clears_both_cookies() {
    let f = fixture();
    let by_link = send(&f.app, Request::get("/logout").body(Body::empty()).unwrap()).await;
    assert_eq!(by_link.status(), StatusCode::METHOD_NOT_ALLOWED);
    let logout = |field: &str| {
        Request::post("/logout")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("csrf={CSRF}"))
            .body(Body::from(format!("csrf_token={field}")))
            .unwrap()
    };
    let forged = send(&f.app, logout("forged")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let response = send(&f.app, logout(CSRF)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let set: Vec<&str> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert_eq!(set.len(), 3, "{set:?}");
    let (removed, rotated) = set.split_at(2);
    assert!(removed[0].starts_with("paseto=;"), "{removed:?}");
    assert!(removed[1].starts_with("csrf_access_token=;"), "{removed:?}");
    assert!(
        removed.iter().all(|c| c.contains("Max-Age=0")),
        "{removed:?}"
    );
    // The forms' CSRF value is rotated.
    assert!(rotated[0].starts_with("csrf="), "{rotated:?}");
    assert!(
        !rotated[0].starts_with(&format!("csrf={CSRF}")),
        "{rotated:?}"
    );
}

/// Logging out revokes the token: the cookie's copy, and the same token sent as a bearer, are
/// refused afterwards (401 `invalid_token`, kind `revoked`), not only deleted from the browser.
#[tokio::test]
async fn logout_revokes_the_token_so_its_copies_are_refused() {
    let f = fixture();
    let token = login(&f.app).await;
    assert_eq!(
        send(&f.app, me_with_cookie(&token)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        send(&f.app, me_with_bearer(&token)).await.status(),
        StatusCode::OK
    );

    let response = send(&f.app, logout_with_token(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, "Logged out");

    for request in [me_with_cookie(&token), me_with_bearer(&token)] {
        let response = send(&f.detailed, request).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let refusal: Value = serde_json::from_str(&body(response).await).unwrap();
        assert_eq!(
            (refusal["error"].as_str(), refusal["kind"].as_str()),
            (Some("invalid_token"), Some("revoked"))
        );
    }
    // Another login is a new token, not revoked.
    let again = login(&f.app).await;
    assert_eq!(
        send(&f.app, me_with_cookie(&again)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_post_with_the_token_cookie_needs_its_csrf_value() {
    let f = fixture();
    let response = send(&f.app, login_request("mysecret")).await;
    let cookies: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let csrf_value = cookies[1]
        .strip_prefix("csrf_access_token=")
        .unwrap()
        .to_owned();
    let post = |csrf: Option<&str>| {
        let mut request = Request::post("/protected/me").header(header::COOKIE, cookies[0].clone());
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.body(Body::empty()).unwrap()
    };
    assert_eq!(
        send(&f.app, post(None)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&f.app, post(Some(&csrf_value))).await.status(),
        StatusCode::OK
    );
}

/// A logout whose revocation the store cannot confirm says so with the guard's 503 and changes
/// nothing in the browser: no half-done logout that shows it logged out while copies of its token
/// still work; it may send the logout again.
#[tokio::test]
async fn a_logout_the_store_cannot_record_is_503_and_keeps_the_cookies() {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    // Fails open, so that the login's token passes the guard while the store is down.
    let broken = Revocations::new(support::store::Broken { hangs: false }).fail_open(true);
    let app = example::app(example::state(issuer, verifier, broken));
    let token = login(&app).await;
    let response = send(&app, logout_with_token(&token)).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    let set: Vec<&str> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert!(set.is_empty(), "{set:?}");
    assert_eq!(
        support::http::body_string(response).await,
        r#"{"error":"temporarily_unavailable"}"#
    );
}
