//! `#[paseto_required]` and `#[derive(PasetoClaims)]` at run time, through `oneshot`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::SecretKey;
use paseto_auth::{Issuer, Paseto, PasetoClaims, TokenOptions, Verifier, Version, paseto_required};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower::ServiceExt;

mod support;

use support::{ISS, v4_issuer_and_verifier};

#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_name: String,
    roles: Vec<String>,
    nickname: Option<String>,
    #[serde(rename = "x-tenant", default)]
    tenant: String,
}

#[test]
fn the_derive_records_names_and_requiredness() {
    let fields: Vec<_> = Claims::CLAIMS
        .iter()
        .map(|c| (c.name, c.required))
        .collect();
    assert_eq!(
        fields,
        [
            ("userName", true),
            ("roles", true),
            ("nickname", false),
            ("x-tenant", false)
        ]
    );
}

#[paseto_required(iss = "https://issuer.example", aud = "api", claims(roles, "x-tenant"))]
async fn admin(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required]
async fn no_claims_argument() -> &'static str {
    "guarded"
}

#[paseto_required(from = cookie("paseto"))]
async fn from_cookie(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required(optional)]
async fn maybe(token: Option<Paseto<Claims>>) -> String {
    token.map_or_else(|| "anonymous".into(), |t| t.claims.user_name)
}

#[derive(Deserialize)]
struct Body1 {
    #[allow(dead_code)]
    n: u32,
}

#[paseto_required]
async fn with_body(Json(_): Json<Body1>) -> &'static str {
    "ok"
}

struct Fixture {
    app: Router,
    issuer: Issuer,
}

fn fixture() -> Fixture {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/admin", get(admin))
        .route("/plain", get(no_claims_argument))
        .route("/cookie", get(from_cookie))
        .route("/maybe", get(maybe))
        .route("/body", post(with_body))
        .with_state(PasetoAuth::new(verifier));
    Fixture { app, issuer }
}

fn token(f: &Fixture, claims: serde_json::Value, aud: &str) -> String {
    f.issuer
        .issue_with(&claims, TokenOptions::new().audience(aud))
        .unwrap()
}

async fn status(f: &Fixture, request: Request<Body>) -> StatusCode {
    f.app.clone().oneshot(request).await.unwrap().status()
}

fn get_bearer(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn requirements_give_401_or_403() {
    let f = fixture();
    let full = json!({"userName": "alice", "roles": ["admin"], "x-tenant": "t1"});
    assert_eq!(
        status(&f, get_bearer("/admin", &token(&f, full.clone(), "api"))).await,
        StatusCode::OK
    );
    assert_eq!(
        status(&f, Request::get("/admin").body(Body::empty()).unwrap()).await,
        StatusCode::UNAUTHORIZED
    );
    let response = f
        .app
        .clone()
        .oneshot(get_bearer("/admin", &token(&f, full, "web")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        response.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="insufficient_scope""#
    );
    let no_tenant = json!({"userName": "alice", "roles": []});
    assert_eq!(
        status(&f, get_bearer("/admin", &token(&f, no_tenant, "api"))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(&f, get_bearer("/admin", "v4.public.garbage")).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_handler_without_a_paseto_argument_is_still_guarded() {
    let f = fixture();
    assert_eq!(
        status(&f, Request::get("/plain").body(Body::empty()).unwrap()).await,
        StatusCode::UNAUTHORIZED
    );
    let t = token(&f, json!({}), "x");
    assert_eq!(status(&f, get_bearer("/plain", &t)).await, StatusCode::OK);
}

#[tokio::test]
async fn from_cookie_reads_only_the_cookie() {
    let f = fixture();
    let t = token(&f, json!({"userName": "bob", "roles": []}), "x");
    let by_cookie = Request::get("/cookie")
        .header(header::COOKIE, format!("paseto={t}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(&f, by_cookie).await, StatusCode::OK);
    assert_eq!(
        status(&f, get_bearer("/cookie", &t)).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn optional_lets_anonymous_requests_through_but_not_bad_tokens() {
    let f = fixture();
    let response = f
        .app
        .clone()
        .oneshot(Request::get("/maybe").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        status(&f, get_bearer("/maybe", "v4.public.bad")).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_guard_runs_before_the_body_is_read() {
    let f = fixture();
    let bad_body = Request::post("/body")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("not json"))
        .unwrap();
    assert_eq!(status(&f, bad_body).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_application_error_handler_learns_the_error_kind() {
    use axum::response::IntoResponse;
    use paseto_auth::extract::AuthError;
    let key = SecretKey::generate(Version::V4).unwrap();
    let verifier = Verifier::builder()
        .public_key(key.public_key().clone(), ISS)
        .build()
        .unwrap();
    let auth = PasetoAuth::new(verifier).on_error(|err| {
        let kind = match &err {
            AuthError::Missing => "missing".to_owned(),
            AuthError::Token(e) => e.kind().as_str().to_owned(),
            _ => "other".to_owned(),
        };
        (StatusCode::IM_A_TEAPOT, kind).into_response()
    });
    let app = Router::new()
        .route("/plain", get(no_claims_argument))
        .with_state(auth);
    let response = app
        .clone()
        .oneshot(Request::get("/plain").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
    let response = app
        .oneshot(get_bearer("/plain", "v4.public.AAAA"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::IM_A_TEAPOT);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(&body[..], b"malformed");
}
