//! The code `#[paseto_required]` and `#[derive(PasetoClaims)]` expand to, at run time: a router
//! whose state holds a `Verifier`, tokens from an `Issuer`, requests through `oneshot`, and the
//! exact answer to each: status, `WWW-Authenticate` challenge and body.

use axum::body::Body;
use axum::extract::{FromRef, State};
use axum::http::{Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use paseto_auth::extract::{AuthError, PasetoAuth};
use paseto_auth::{
    Issuer, Paseto, PasetoClaims, Timestamp, TokenOptions, Verifier, paseto_required,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

mod support;

use support::answer::{Answer, forbidden, get_bearer, invalid, no_token, ok, send};
use support::v4_issuer_and_verifier;

#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
#[serde(rename_all = "camelCase")]
struct Claims {
    user_name: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(rename = "x-tenant", default)]
    tenant: Option<String>,
    /// An `Option` without `#[serde(default)]`: optional all the same, as serde treats it.
    nickname: Option<String>,
    exp: Timestamp,
}

/// The application's state: the verifier beside the application's own things.
#[derive(Clone)]
struct AppState {
    verifier: Verifier,
    greeting: &'static str,
}

/// Refusals carry their detail here, so each test sees which check refused it (the default
/// bodies, with the RFC 6750 code alone, are tested in `tests/hardening.rs`).
impl FromRef<AppState> for PasetoAuth {
    fn from_ref(state: &AppState) -> Self {
        PasetoAuth::new(state.verifier.clone()).detailed_errors(true)
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

    async fn send(&self, request: Request<Body>) -> Answer {
        send(&self.app, request).await
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        get_bearer(&self.app, path, token).await
    }
}

#[tokio::test]
async fn a_good_token_gets_through_and_reaches_the_handler() {
    let f = fixture();
    assert_eq!(
        f.get("/admin", Some(&f.good_token())).await,
        ok("hello alice")
    );
}

#[tokio::test]
async fn no_token_is_401() {
    let f = fixture();
    assert_eq!(f.get("/admin", None).await, no_token());
}

#[tokio::test]
async fn an_invalid_token_is_401_invalid_token() {
    let f = fixture();
    assert_eq!(
        f.get("/admin", Some("v4.public.garbage")).await,
        invalid("malformed")
    );
}

#[tokio::test]
async fn a_failed_requirement_is_403_insufficient_scope() {
    let f = fixture();
    let wrong_aud = f.token(
        json!({"userName": "alice", "roles": [], "x-tenant": "t1"}),
        TokenOptions::new().audience("web"),
    );
    assert_eq!(
        f.get("/admin", Some(&wrong_aud)).await,
        forbidden("audience_not_accepted")
    );
    let missing_claim = f.token(
        json!({"userName": "alice", "roles": []}),
        TokenOptions::new().audience("api"),
    );
    assert_eq!(
        f.get("/admin", Some(&missing_claim)).await,
        forbidden("missing_claim")
    );
    // Valid, from the trusted issuer, but not one of the issuers this route accepts.
    assert_eq!(
        f.get("/other-issuer", Some(&f.good_token())).await,
        forbidden("issuer_not_accepted")
    );
}

#[tokio::test]
async fn subject_version_and_purpose_are_enforced() {
    let f = fixture();
    assert_eq!(f.get("/alice", Some(&f.good_token())).await, ok("alice"));
    let bob = f.token(
        json!({"userName": "bob"}),
        TokenOptions::new().subject("bob"),
    );
    assert_eq!(
        f.get("/alice", Some(&bob)).await,
        forbidden("subject_not_accepted")
    );
}

#[tokio::test]
async fn a_handler_without_a_token_argument_is_still_guarded() {
    let f = fixture();
    assert_eq!(f.get("/plain", None).await, no_token());
    assert_eq!(f.get("/plain", Some(&f.good_token())).await, ok("guarded"));
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
    assert_eq!(f.send(post(None, "not json")).await, no_token());
    assert_eq!(
        f.send(post(Some("v4.public.bad".into()), "not json")).await,
        invalid("malformed")
    );
    // Authenticated: now the body matters.
    assert_eq!(
        f.send(post(Some(f.good_token()), "not json")).await,
        Answer {
            status: StatusCode::BAD_REQUEST,
            challenge: None,
            body: "Failed to parse the request body as JSON: expected ident at line 1 column 2"
                .to_owned(),
        }
    );
    assert_eq!(
        f.send(post(Some(f.good_token()), r#"{"item": 7}"#)).await,
        ok("7")
    );
}

#[tokio::test]
async fn optional_lets_anonymous_requests_through_as_none() {
    let f = fixture();
    assert_eq!(f.get("/maybe", None).await, ok("anonymous"));
    assert_eq!(f.get("/maybe", Some(&f.good_token())).await, ok("alice"));
    // A bad token is refused, not treated as no token.
    assert_eq!(
        f.get("/maybe", Some("v4.public.bad")).await,
        invalid("malformed")
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
    assert_eq!(f.send(cookie).await, ok("alice"));
    assert_eq!(f.get("/cookie", Some(&token)).await, no_token());

    assert_eq!(
        f.get(&format!("/query?token={token}"), None).await,
        ok("alice")
    );
    assert_eq!(f.get("/query", Some(&token)).await, no_token());
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
        f.get("/strict", Some(&early)).await,
        invalid("not_yet_valid")
    );
    assert_eq!(f.get("/lenient", Some(&early)).await, ok("alice"));
}

#[tokio::test]
async fn untyped_claims_are_checked_at_run_time() {
    let f = fixture();
    assert_eq!(
        f.get("/untyped", Some(&f.good_token())).await,
        ok(r#"["admin"]"#)
    );
    let no_roles = f.token(json!({"userName": "alice"}), TokenOptions::new());
    assert_eq!(
        f.get("/untyped", Some(&no_roles)).await,
        forbidden("missing_claim")
    );
}

#[tokio::test]
async fn a_verifier_alone_is_enough_state() {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/plain", get(no_token_argument))
        .with_state(verifier);
    let token = issuer.issue(&json!({})).unwrap();
    assert_eq!(
        get_bearer(&app, "/plain", Some(&token)).await,
        ok("guarded")
    );
}

#[tokio::test]
async fn an_application_error_handler_learns_the_error_kind_and_sees_the_request() {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    let auth = PasetoAuth::new(verifier).on_error(|parts, err| {
        let kind = match &err {
            AuthError::Missing => "missing".to_owned(),
            AuthError::Token(e) => e.kind().as_str().to_owned(),
            _ => "other".to_owned(),
        };
        let request = format!("{} {}", parts.method, parts.uri.path());
        (StatusCode::IM_A_TEAPOT, format!("{request}: {kind}")).into_response()
    });
    let app = Router::new()
        .route("/plain", get(no_token_argument))
        .with_state(auth);
    let teapot = |body: &str| Answer {
        status: StatusCode::IM_A_TEAPOT,
        challenge: None,
        body: body.to_owned(),
    };
    // The handler's response replaces the default one entirely: no challenge, its own body.
    assert_eq!(
        get_bearer(&app, "/plain", None).await,
        teapot("GET /plain: missing")
    );
    assert_eq!(
        get_bearer(&app, "/plain", Some("v4.public.AAAA")).await,
        teapot("GET /plain: malformed")
    );
    // An accepted token never reaches the error handler.
    let token = issuer.issue(&json!({})).unwrap();
    assert_eq!(
        get_bearer(&app, "/plain", Some(&token)).await,
        ok("guarded")
    );
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
            ("nickname", false),
            ("exp", true)
        ]
    );
}
