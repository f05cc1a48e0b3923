//! The code `#[paseto_required]` and `#[derive(PasetoClaims)]` expand to, at run time: a router
//! whose state holds a `Verifier`, tokens from an `Issuer`, requests through `oneshot`, and the
//! exact status of each answer.

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{Request, Response, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::{
    Issuer, Paseto, PasetoClaims, Timestamp, TokenOptions, Verifier, paseto_required,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower::ServiceExt;

mod support;

use support::v4_issuer_and_verifier;

#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_name: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(rename = "x-tenant", default)]
    tenant: Option<String>,
    exp: Timestamp,
}

/// The application's state: the verifier beside the application's own things.
#[derive(Clone)]
struct AppState {
    verifier: Verifier,
    greeting: &'static str,
}

impl FromRef<AppState> for PasetoAuth {
    fn from_ref(state: &AppState) -> Self {
        PasetoAuth::new(state.verifier.clone())
    }
}

#[paseto_required(iss = "https://issuer.example", aud = "api", claims(roles, "x-tenant"))]
async fn admin(State(state): State<AppState>, token: Paseto<Claims>) -> String {
    format!("{} {}", state.greeting, token.claims.user_name)
}

#[paseto_required(iss = ["https://other.example", "https://third.example"])]
async fn other_issuer(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required(sub = "alice", version = "v4", purpose = "public")]
async fn alice_only(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required]
async fn no_token_argument() -> &'static str {
    "guarded"
}

#[derive(Deserialize)]
struct Order {
    item: u32,
}

#[paseto_required]
async fn order(Json(order): Json<Order>) -> String {
    order.item.to_string()
}

#[paseto_required(optional)]
async fn maybe(token: Option<Paseto<Claims>>) -> String {
    match token {
        Some(token) => token.claims.user_name,
        None => "anonymous".to_owned(),
    }
}

#[paseto_required(from = cookie("paseto"))]
async fn by_cookie(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required(from = query("token"))]
async fn by_query(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required(leeway = "15m")]
async fn lenient(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required]
async fn strict(token: Paseto<Claims>) -> String {
    token.claims.user_name
}

#[paseto_required(claims(roles))]
async fn untyped(token: Paseto<Value>) -> String {
    token.claims["roles"].to_string()
}

struct Fixture {
    app: Router,
    issuer: Issuer,
}

fn fixture() -> Fixture {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/admin", get(admin))
        .route("/other-issuer", get(other_issuer))
        .route("/alice", get(alice_only))
        .route("/plain", get(no_token_argument))
        .route("/order", post(order))
        .route("/maybe", get(maybe))
        .route("/cookie", get(by_cookie))
        .route("/query", get(by_query))
        .route("/lenient", get(lenient))
        .route("/strict", get(strict))
        .route("/untyped", get(untyped))
        .with_state(AppState {
            verifier,
            greeting: "hello",
        });
    Fixture { app, issuer }
}

impl Fixture {
    fn token(&self, claims: Value, options: TokenOptions) -> String {
        self.issuer.issue_with(&claims, options).unwrap()
    }

    /// A token for alice with every claim `/admin` asks for.
    fn good_token(&self) -> String {
        self.token(
            json!({"userName": "alice", "roles": ["admin"], "x-tenant": "t1"}),
            TokenOptions::new().audience("api").subject("alice"),
        )
    }

    async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.app.clone().oneshot(request).await.unwrap()
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, String) {
        let mut request = Request::get(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = self.send(request.body(Body::empty()).unwrap()).await;
        let status = response.status();
        (status, body_text(response).await)
    }
}

async fn body_text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn www_authenticate(response: &Response<Body>) -> &str {
    response.headers()[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
}

#[tokio::test]
async fn a_good_token_gets_through_and_reaches_the_handler() {
    let f = fixture();
    let (status, body) = f.get("/admin", Some(&f.good_token())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "hello alice");
}

#[tokio::test]
async fn no_token_is_401() {
    let f = fixture();
    let response = f
        .send(Request::get("/admin").body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(www_authenticate(&response).starts_with("Bearer"));
    assert!(!www_authenticate(&response).contains("insufficient_scope"));
}

#[tokio::test]
async fn an_invalid_token_is_401_invalid_token() {
    let f = fixture();
    let response = f
        .send(
            Request::get("/admin")
                .header(header::AUTHORIZATION, "Bearer v4.public.garbage")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(www_authenticate(&response).contains(r#"error="invalid_token""#));
}

#[tokio::test]
async fn a_failed_requirement_is_403_insufficient_scope() {
    let f = fixture();
    let wrong_aud = f.token(
        json!({"userName": "alice", "roles": [], "x-tenant": "t1"}),
        TokenOptions::new().audience("web"),
    );
    let missing_claim = f.token(
        json!({"userName": "alice", "roles": []}),
        TokenOptions::new().audience("api"),
    );
    for token in [&wrong_aud, &missing_claim] {
        let response = f
            .send(
                Request::get("/admin")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            www_authenticate(&response),
            r#"Bearer error="insufficient_scope""#
        );
    }
    // Valid, from the trusted issuer, but not one of the issuers this route accepts.
    let (status, _) = f.get("/other-issuer", Some(&f.good_token())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn subject_version_and_purpose_are_enforced() {
    let f = fixture();
    let (status, body) = f.get("/alice", Some(&f.good_token())).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "alice"));
    let bob = f.token(
        json!({"userName": "bob"}),
        TokenOptions::new().subject("bob"),
    );
    assert_eq!(f.get("/alice", Some(&bob)).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_handler_without_a_token_argument_is_still_guarded() {
    let f = fixture();
    assert_eq!(f.get("/plain", None).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = f.get("/plain", Some(&f.good_token())).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "guarded"));
}

#[tokio::test]
async fn the_guard_runs_before_the_body_is_read() {
    let f = fixture();
    let post = |token: Option<String>, body: &'static str| {
        let mut request = Request::post("/order").header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(Body::from(body)).unwrap()
    };
    // Unauthenticated with a bad body: the guard answers, not the JSON extractor.
    assert_eq!(
        f.send(post(None, "not json")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        f.send(post(Some("v4.public.bad".into()), "not json"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Authenticated: now the body matters.
    assert_eq!(
        f.send(post(Some(f.good_token()), "not json"))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    let response = f.send(post(Some(f.good_token()), r#"{"item": 7}"#)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "7");
}

#[tokio::test]
async fn optional_lets_anonymous_requests_through_as_none() {
    let f = fixture();
    let (status, body) = f.get("/maybe", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "anonymous"));
    let (status, body) = f.get("/maybe", Some(&f.good_token())).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "alice"));
    // A bad token is refused, not treated as no token.
    assert_eq!(
        f.get("/maybe", Some("v4.public.bad")).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn from_reads_only_the_named_source() {
    let f = fixture();
    let token = f.good_token();
    let cookie = Request::get("/cookie")
        .header(header::COOKIE, format!("theme=dark; paseto={token}"))
        .body(Body::empty())
        .unwrap();
    let response = f.send(cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_text(response).await, "alice");
    assert_eq!(
        f.get("/cookie", Some(&token)).await.0,
        StatusCode::UNAUTHORIZED
    );

    let (status, body) = f.get(&format!("/query?token={token}"), None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "alice"));
    assert_eq!(
        f.get("/query", Some(&token)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn leeway_reaches_the_time_checks() {
    let f = fixture();
    let soon = time::OffsetDateTime::now_utc() + time::Duration::minutes(10);
    let early = f.token(
        json!({"userName": "alice"}),
        TokenOptions::new().not_before(soon),
    );
    assert_eq!(
        f.get("/strict", Some(&early)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = f.get("/lenient", Some(&early)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "alice"));
}

#[tokio::test]
async fn untyped_claims_are_checked_at_run_time() {
    let f = fixture();
    let (status, body) = f.get("/untyped", Some(&f.good_token())).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, r#"["admin"]"#));
    let no_roles = f.token(json!({"userName": "alice"}), TokenOptions::new());
    assert_eq!(
        f.get("/untyped", Some(&no_roles)).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_verifier_alone_is_enough_state() {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/plain", get(no_token_argument))
        .with_state(verifier);
    let token = issuer.issue(&json!({})).unwrap();
    let request = Request::get("/plain")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.oneshot(request).await.unwrap().status(), StatusCode::OK);
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
            ("roles", false),
            ("x-tenant", false),
            ("exp", true)
        ]
    );
}
