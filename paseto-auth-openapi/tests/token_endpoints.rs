//! The document of a service that issues token pairs: its login, logout and refresh operations
//! with the `TokenPair`, `RefreshRequest` and error schemas, the application's own `info`, routes
//! behind a `PasetoLayer` and a route guarded by the layer and its handler both — compared whole.
//! And the schemas against what the runtime sends: a pair as the issuer serializes it, and the
//! refresh endpoint's answers.

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post, post_service};
use paseto_auth::extract::{PasetoAuth, PasetoLayer};
use paseto_auth::refresh::{RefreshEndpoint, RefreshTokens};
use paseto_auth::store::{MemoryStore, Revocations};
use paseto_auth::testing::TestAuth;
use paseto_auth::{Issuer, PairOptions, Paseto, Requirements, paseto_required};
use paseto_auth_openapi::{PasetoSecurity, RefreshOperation, schema};
use serde_json::{Value, json};
use tower::ServiceExt;
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

#[derive(Clone)]
struct AppState {
    auth: PasetoAuth,
    refresh: RefreshEndpoint,
}

impl FromRef<AppState> for PasetoAuth {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

/// A login's credentials.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // documented, never built: the login below is not what is tested
struct Credentials {
    email: String,
    password: String,
}

/// Logs in.
#[utoipa::path(post, path = "/auth/login", request_body = Credentials, responses(
    (status = 200, description = "A new token pair", body = schema::TokenPair),
    (status = 400, description = "Wrong credentials (`invalid_grant`)", body = schema::OAuthError),
))]
async fn login() -> StatusCode {
    StatusCode::BAD_REQUEST
}

/// Logs out.
#[utoipa::path(post, path = "/auth/logout", responses((status = 204, description = "Logged out")))]
#[paseto_required(claims(fam))]
async fn logout(State(state): State<AppState>, token: Paseto) -> StatusCode {
    match state.refresh.end_family(&token).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Who the token is.
#[utoipa::path(get, path = "/api/me", responses((status = 200, description = "The subject", body = String)))]
async fn me(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

/// For administrators: behind the layer, and guarded by its handler too.
#[utoipa::path(get, path = "/api/admin", responses((status = 200, description = "Hello", body = String)))]
#[paseto_required(claim(role = "admin"))]
async fn admin() -> &'static str {
    "hello, admin"
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Notes", version = "2.1.0"),
    paths(login, logout, me, admin)
)]
struct ApiDoc;

/// A service's keys, state, router and document.
struct Service {
    issuer: Issuer,
    router: Router,
    doc: Value,
}

fn service() -> Service {
    let test = TestAuth::new();
    let issuer = test.issuer().clone();
    let revocations = Revocations::new(MemoryStore::new());
    let refresh =
        RefreshEndpoint::new(RefreshTokens::new(issuer.clone(), revocations.clone()).unwrap());
    let auth = test.auth().revocations(revocations);
    let layer = PasetoLayer::required(auth.clone(), Requirements::new().audience("api"));
    let api = Router::new()
        .route("/me", get(me))
        .route("/admin", get(admin))
        .route_layer(layer.clone());
    let router = Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/refresh", post_service(refresh.clone()))
        .nest("/api", api)
        .with_state(AppState { auth, refresh });
    let mut doc = ApiDoc::openapi();
    PasetoSecurity::new()
        .layer("/api", &layer)
        .revocation_store()
        .modify(&mut doc);
    RefreshOperation::new("/auth/refresh").modify(&mut doc);
    Service {
        issuer,
        router,
        doc: serde_json::to_value(&doc).unwrap(),
    }
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn json_body(name: &str) -> Value {
    json!({ "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } })
}

fn string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

/// The guards' answers, as `PasetoSecurity::revocation_store()` adds them.
fn refusals() -> Value {
    json!({
        "401": { "$ref": "#/components/responses/PasetoUnauthorized" },
        "403": { "$ref": "#/components/responses/PasetoForbidden" },
        "503": { "$ref": "#/components/responses/PasetoUnavailable" },
    })
}

fn with_refusals(responses: Value) -> Value {
    let mut all = refusals();
    all.as_object_mut()
        .unwrap()
        .extend(responses.as_object().unwrap().clone());
    all
}

#[test]
fn the_document_has_the_service_s_info_paths_and_schemas() {
    let doc = service().doc;
    assert_eq!(doc["info"]["title"], "Notes");
    assert_eq!(doc["info"]["version"], "2.1.0");
    assert_eq!(
        keys(&doc["paths"]),
        [
            "/api/admin",
            "/api/me",
            "/auth/login",
            "/auth/logout",
            "/auth/refresh"
        ]
    );
    for (path, method) in [
        ("/api/admin", "get"),
        ("/api/me", "get"),
        ("/auth/login", "post"),
        ("/auth/logout", "post"),
        ("/auth/refresh", "post"),
    ] {
        assert_eq!(keys(&doc["paths"][path]), [method], "{path}");
    }
    assert_eq!(
        keys(&doc["components"]["schemas"]),
        [
            "Credentials",
            "OAuthError",
            "PasetoError",
            "RefreshRequest",
            "TokenPair"
        ]
    );
    assert_eq!(keys(&doc["components"]["securitySchemes"]), ["paseto"]);
}

#[test]
fn the_pair_is_described_once_and_the_login_and_the_refresh_refer_to_it() {
    let doc = service().doc;
    for path in ["/auth/login", "/auth/refresh"] {
        assert_eq!(
            doc["paths"][path]["post"]["responses"]["200"]["content"],
            json_body("TokenPair"),
            "{path}"
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["TokenPair"],
        json!({
            "type": "object",
            "description": "An access token and its refresh token (RFC 6749, section 5.1). Sent with `Cache-Control: no-store` and `Pragma: no-cache`.",
            "required": ["access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"],
            "properties": {
                "access_token": string("The access token: what the guarded routes accept, in `Authorization: Bearer`."),
                "token_type": { "type": "string", "description": "Always `Bearer`.", "enum": ["Bearer"] },
                "expires_in": {
                    "type": "integer", "format": "int64", "minimum": 0,
                    "description": "Seconds the access token lives.",
                },
                "refresh_token": string("The refresh token: accepted once, by the refresh endpoint only."),
                "refresh_expires_in": {
                    "type": "integer", "format": "int64", "minimum": 0,
                    "description": "Seconds the refresh token lives.",
                },
            },
        })
    );
}

#[test]
fn the_login_is_documented_as_its_path_macro_says_with_no_security() {
    let doc = service().doc;
    assert_eq!(
        doc["paths"]["/auth/login"]["post"],
        json!({
            "summary": "Logs in.",
            "operationId": "login",
            // What a derived document's `paths(..)` gives an operation without tags.
            "tags": [],
            "requestBody": {
                "content": json_body("Credentials"),
                "required": true,
            },
            "responses": {
                "200": { "description": "A new token pair", "content": json_body("TokenPair") },
                "400": {
                    "description": "Wrong credentials (`invalid_grant`)",
                    "content": json_body("OAuthError"),
                },
            },
        })
    );
}

#[test]
fn the_refresh_operation_takes_a_refresh_request_and_needs_no_access_token() {
    let doc = service().doc;
    let no_store = json!({ "schema": { "type": "string" }, "description": "`no-store`" });
    assert_eq!(
        doc["paths"]["/auth/refresh"]["post"],
        json!({
            "summary": "Renews a token pair.",
            "description": "Exchanges a refresh token for a new pair. Each refresh token is accepted once: presented again after its pair moved on (outside the reuse grace), it ends the whole login, every token issued from it. No access token is needed: the refresh token is the credential.",
            "operationId": "token_refresh",
            "requestBody": {
                "description": "The refresh token, as JSON or as a form (`grant_type=refresh_token&refresh_token=…`).",
                "content": {
                    "application/json": { "schema": { "$ref": "#/components/schemas/RefreshRequest" } },
                    "application/x-www-form-urlencoded": { "schema": { "$ref": "#/components/schemas/RefreshRequest" } },
                },
                "required": true,
            },
            "responses": {
                "200": {
                    "description": "A new pair; its access token is not fresh (it was not issued from credentials).",
                    "headers": {
                        "Cache-Control": no_store,
                        "Pragma": { "schema": { "type": "string" }, "description": "`no-cache`" },
                    },
                    "content": json_body("TokenPair"),
                },
                "400": {
                    "description": "No pair: `invalid_grant` (a refresh token that is used, revoked, expired, forged or not a refresh token; a replay of a used one also ends its login), `invalid_request` (no refresh token, or a body that does not parse), `unsupported_grant_type`.",
                    "headers": { "Cache-Control": no_store },
                    "content": json_body("OAuthError"),
                },
                "500": {
                    "description": "No pair could be made (`internal_error`; the cause is logged).",
                    "headers": { "Cache-Control": no_store },
                    "content": json_body("OAuthError"),
                },
                "503": {
                    "description": "The token store is down (`temporarily_unavailable`): retry. The refresh may have been recorded; a retry within the reuse grace gets the same pair.",
                    "headers": {
                        "Cache-Control": no_store,
                        "Retry-After": {
                            "schema": { "type": "integer" },
                            "description": "Seconds to wait before trying again: `1`.",
                        },
                    },
                    "content": json_body("OAuthError"),
                },
            },
            "security": [],
        })
    );
    assert_eq!(
        doc["components"]["schemas"]["RefreshRequest"],
        json!({
            "type": "object",
            "description": "A refresh token to exchange for a new pair. Each refresh token is accepted once: a replay after its pair moved on ends the whole login (a retry within the reuse grace gets the same pair again).",
            "required": ["refresh_token"],
            "properties": {
                "refresh_token": string("The pair's refresh token."),
                "grant_type": {
                    "type": "string",
                    "description": "`refresh_token` when given; any other value is `unsupported_grant_type`.",
                    "enum": ["refresh_token"],
                },
            },
        })
    );
    assert_eq!(
        doc["components"]["schemas"]["OAuthError"]["properties"]["error"]["enum"],
        json!([
            "invalid_request",
            "invalid_grant",
            "unsupported_grant_type",
            "temporarily_unavailable",
            "internal_error",
        ])
    );
}

#[test]
fn the_logout_and_the_api_routes_carry_their_security() {
    let doc = service().doc;
    let logout = &doc["paths"]["/auth/logout"]["post"];
    assert_eq!(logout["security"], json!([{ "paseto": [] }]));
    assert_eq!(
        logout["responses"],
        with_refusals(json!({ "204": { "description": "Logged out" } }))
    );
    assert_eq!(
        logout["description"],
        "PASETO token required.\n- claims present: `fam`"
    );
    let me = &doc["paths"]["/api/me"]["get"];
    assert_eq!(me["security"], json!([{ "paseto": [] }]));
    assert_eq!(
        me["description"],
        "PASETO token required.\n- audience: `api`"
    );
}

#[test]
fn a_layer_and_a_handler_guard_are_one_requirement_and_both_described() {
    let doc = service().doc;
    assert_eq!(
        doc["paths"]["/api/admin"]["get"],
        json!({
            "summary": "For administrators: behind the layer, and guarded by its handler too.",
            "description": "PASETO token required.\n- audience: `api`\n\nPASETO token required.\n- claim `role`: `\"admin\"`",
            "operationId": "admin",
            "tags": [],
            "responses": with_refusals(json!({
                "200": {
                    "description": "Hello",
                    "content": { "text/plain": { "schema": { "type": "string" } } },
                },
            })),
            // One requirement: two would read as "either of them".
            "security": [{ "paseto": [] }],
        })
    );
}

#[tokio::test]
async fn a_layer_and_a_handler_guard_both_apply() {
    let Service { issuer, router, .. } = service();
    for (aud, role, status) in [
        (Some("api"), "admin", StatusCode::OK),
        (Some("api"), "user", StatusCode::FORBIDDEN),
        (None, "admin", StatusCode::FORBIDDEN),
    ] {
        let mut options = paseto_auth::TokenOptions::new();
        if let Some(aud) = aud {
            options = options.audience(aud);
        }
        let token = issuer
            .issue_with(&json!({ "role": role }), options)
            .unwrap();
        let request = Request::get("/api/admin")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), status, "aud {aud:?}, role {role}");
    }
}

/// `POST /auth/refresh` with `body` of `content_type`: the status and the JSON body.
async fn refresh(router: &Router, content_type: &str, body: String) -> (StatusCode, Value) {
    let request = Request::post("/auth/refresh")
        .header(CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// The schema's property names, and its required ones.
fn properties_of(schema: &Value) -> (Vec<&str>, Vec<&str>) {
    let required = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    (keys(&schema["properties"]), required)
}

#[tokio::test]
async fn the_schemas_describe_what_the_runtime_sends() {
    let Service {
        issuer,
        router,
        doc,
    } = service();
    assert_eq!(schema::TokenPair::name(), "TokenPair");
    assert_eq!(
        serde_json::to_value(schema::TokenPair::schema()).unwrap(),
        doc["components"]["schemas"]["TokenPair"]
    );

    // A pair as the issuer makes it: every field the schema lists, each required, nothing else.
    let pair = issuer
        .issue_pair(&json!({}), PairOptions::new().subject("ada"))
        .unwrap();
    let sent = serde_json::to_value(&pair).unwrap();
    let (mut properties, mut required) = properties_of(&doc["components"]["schemas"]["TokenPair"]);
    let mut fields = keys(&sent);
    fields.sort_unstable();
    properties.sort_unstable();
    required.sort_unstable();
    assert_eq!(fields, properties);
    assert_eq!(fields, required);
    assert_eq!(sent["token_type"], "Bearer");

    // A RefreshRequest, as JSON and as a form, gets a new pair of that shape.
    let (status, renewed) = refresh(
        &router,
        "application/json",
        json!({ "refresh_token": pair.refresh_token, "grant_type": "refresh_token" }).to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let mut renewed_fields = keys(&renewed);
    renewed_fields.sort_unstable();
    assert_eq!(renewed_fields, fields);
    let form = format!(
        "grant_type=refresh_token&refresh_token={}",
        renewed["refresh_token"].as_str().unwrap()
    );
    let (status, _) = refresh(&router, "application/x-www-form-urlencoded", form).await;
    assert_eq!(status, StatusCode::OK);

    // Its refusals: 400 with a code of the OAuthError schema.
    let codes = &doc["components"]["schemas"]["OAuthError"]["properties"]["error"]["enum"];
    for (content_type, body, code) in [
        (
            "application/json",
            json!({ "refresh_token": "v4.public.garbage" }).to_string(),
            "invalid_grant",
        ),
        ("application/json", "{}".to_owned(), "invalid_request"),
        (
            "application/x-www-form-urlencoded",
            "grant_type=password&refresh_token=x".to_owned(),
            "unsupported_grant_type",
        ),
    ] {
        let (status, body) = refresh(&router, content_type, body).await;
        assert_eq!(
            (status, &body),
            (StatusCode::BAD_REQUEST, &json!({ "error": code }))
        );
        assert!(codes.as_array().unwrap().contains(&json!(code)), "{code}");
    }
}
