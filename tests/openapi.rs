//! The OpenAPI document of a router of guarded handlers (feature `openapi`): utoipa's paths,
//! with `PasetoSecurity` adding the `paseto` scheme, each guarded operation's security
//! requirement, 401/403 (and 503) answers and the description of its requirements; routes
//! behind a `PasetoLayer`; an unguarded operation left alone. The router the document comes
//! from serves what it says.

mod support;

use axum::Router;
use axum::http::StatusCode;
use paseto_auth::extract::{PasetoAuth, PasetoLayer, TokenSource};
use paseto_auth::{Paseto, Requirements, TokenOptions, paseto_required};
use paseto_auth_openapi::PasetoSecurity;
use serde_json::{Value, json};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use support::answer::{get_bearer, no_token};
use support::v4_issuer_and_verifier;

/// Who the token is.
#[utoipa::path(get, path = "/me", responses((status = 200, description = "The token's subject", body = String)))]
#[paseto_required]
async fn me(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

/// The orders.
///
/// Guarded by `#[paseto_required]` written above `#[utoipa::path]`: either order documents it.
#[paseto_required(aud = "api", scope = "read:orders write:orders", claims(roles))]
#[utoipa::path(get, path = "/orders", responses((status = 200, description = "The orders", body = String)))]
async fn orders(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

/// The home page, for anyone.
#[utoipa::path(get, path = "/home", responses((status = 200, description = "A greeting", body = String)))]
#[paseto_required(optional, from = cookie("session-token"))]
async fn home(token: Option<Paseto>) -> &'static str {
    if token.is_some() { "hi" } else { "welcome" }
}

#[utoipa::path(post, path = "/account/password", responses((status = 204, description = "Changed")))]
#[paseto_required(
    iss = ["https://a.example", "https://b.example"],
    sub = "alice",
    claim(role = "admin", level = 3),
    version = "v4",
    purpose = "public",
    fresh
)]
async fn change_password() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// Health.
#[utoipa::path(get, path = "/health", responses((status = 200, description = "Up", body = String)))]
async fn health() -> &'static str {
    "up"
}

/// Behind the admin layer only.
#[utoipa::path(get, path = "/stats", responses((status = 200, description = "Counts", body = String)))]
async fn stats() -> &'static str {
    "{}"
}

/// Behind the admin layer and guarded again.
#[utoipa::path(delete, path = "/root", responses((status = 204, description = "Done")))]
#[paseto_required(sub = "root", scope = "admin:write")]
async fn root_only() -> StatusCode {
    StatusCode::NO_CONTENT
}

// utoipa takes a modifier as `&name`.
const PASETO: PasetoSecurity = PasetoSecurity::new();

#[derive(OpenApi)]
#[openapi(paths(me, orders, home, change_password, health), modifiers(&PASETO))]
struct ApiDoc;

/// The router and its document: `/admin/*` behind a layer that takes a cookie or a header.
fn app(auth: PasetoAuth) -> (Router, Value) {
    let layer =
        PasetoLayer::required(auth.clone(), Requirements::new().audience("admin")).with_source(
            TokenSource::any_of([TokenSource::cookie("admin"), TokenSource::Header]),
        );
    let admin = OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(root_only))
        .route_layer(layer.clone());
    let (router, mut doc) = OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(orders))
        .routes(routes!(home))
        .routes(routes!(change_password))
        .routes(routes!(health))
        .nest("/admin", admin)
        .with_state(auth)
        .split_for_parts();
    PasetoSecurity::new()
        .layer("/admin", &layer)
        .revocation_store()
        .modify(&mut doc);
    (router, serde_json::to_value(&doc).unwrap())
}

fn unauthorized_and_forbidden() -> Value {
    json!({
        "401": { "$ref": "#/components/responses/PasetoUnauthorized" },
        "403": { "$ref": "#/components/responses/PasetoForbidden" },
    })
}

/// `responses` with the guard's 401, 403 and 503 added.
fn with_refusals(mut responses: Value) -> Value {
    let all = responses.as_object_mut().unwrap();
    all.insert(
        "401".into(),
        json!({ "$ref": "#/components/responses/PasetoUnauthorized" }),
    );
    all.insert(
        "403".into(),
        json!({ "$ref": "#/components/responses/PasetoForbidden" }),
    );
    all.insert(
        "503".into(),
        json!({ "$ref": "#/components/responses/PasetoUnavailable" }),
    );
    responses
}

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "no {method} {path} in {doc:#}");
    operation
}

#[test]
fn the_schemes_are_the_bearer_scheme_and_the_cookie_and_header_sources_the_routes_read() {
    let (_, verifier) = v4_issuer_and_verifier_only();
    let (_, doc) = app(PasetoAuth::new(verifier));
    assert_eq!(
        doc["components"]["securitySchemes"],
        json!({
            "paseto": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "PASETO",
                "description": "A PASETO token (v4 or v3; local or public) in `Authorization: Bearer <token>`.",
            },
            "paseto_cookie_session-token": {
                "type": "apiKey",
                "in": "cookie",
                "name": "session-token",
                "description": "A PASETO token in the cookie `session-token`.",
            },
            "paseto_cookie_admin": {
                "type": "apiKey",
                "in": "cookie",
                "name": "admin",
                "description": "A PASETO token in the cookie `admin`.",
            },
        })
    );
}

#[test]
fn each_guarded_operation_has_its_security_requirement_refusals_and_requirements() {
    let (_, verifier) = v4_issuer_and_verifier_only();
    let (_, doc) = app(PasetoAuth::new(verifier));

    let me = operation(&doc, "/me", "get");
    assert_eq!(me["operationId"], "me");
    assert_eq!(me["security"], json!([{ "paseto": [] }]));
    assert_eq!(
        me["responses"],
        with_refusals(json!({
            "200": {
                "description": "The token's subject",
                "content": { "text/plain": { "schema": { "type": "string" } } },
            },
        }))
    );
    assert_eq!(me["description"], "PASETO token required.");

    let orders = operation(&doc, "/orders", "get");
    assert_eq!(
        orders["security"],
        json!([{ "paseto": ["read:orders", "write:orders"] }])
    );
    assert_eq!(
        orders["description"],
        "Guarded by `#[paseto_required]` written above `#[utoipa::path]`: either order documents it.\n\n\
         PASETO token required.\n\
         - audience: `api`\n\
         - scopes: `read:orders`, `write:orders`\n\
         - claims present: `roles`"
    );
    assert_eq!(orders["summary"], "The orders.");

    // Optional: the requirement or none (`{}`), from the route's own cookie.
    let home = operation(&doc, "/home", "get");
    assert_eq!(
        home["security"],
        json!([{ "paseto_cookie_session-token": [] }, {}])
    );
    assert_eq!(
        home["description"],
        "PASETO token optional: a request without one is served anonymously; a token that is sent must be valid and meet the requirements."
    );
    let refusals = home["responses"].as_object().unwrap();
    assert_eq!(
        refusals.keys().collect::<Vec<_>>(),
        ["200", "401", "403", "503"]
    );

    let password = operation(&doc, "/account/password", "post");
    assert_eq!(password["security"], json!([{ "paseto": [] }]));
    assert_eq!(
        password["description"],
        "PASETO token required.\n\
         - issuer: `https://a.example` or `https://b.example`\n\
         - subject: `alice`\n\
         - claim `role`: `\"admin\"`\n\
         - claim `level`: `3`\n\
         - version: `v4`\n\
         - purpose: `public`\n\
         - fresh: issued from credentials, not from a refresh (otherwise 401 `insufficient_user_authentication`)"
    );
    assert_eq!(
        password["responses"],
        with_refusals(json!({ "204": { "description": "Changed" } }))
    );
}

#[test]
fn routes_behind_a_layer_carry_its_requirements_and_a_guarded_handler_there_both() {
    let (_, verifier) = v4_issuer_and_verifier_only();
    let (_, doc) = app(PasetoAuth::new(verifier));

    // The layer takes the `admin` cookie or a bearer header: two alternatives.
    let stats = operation(&doc, "/admin/stats", "get");
    assert_eq!(
        stats["security"],
        json!([{ "paseto_cookie_admin": [] }, { "paseto": [] }])
    );
    assert_eq!(
        stats["description"],
        "PASETO token required.\n- audience: `admin`"
    );
    assert_eq!(stats["summary"], "Behind the admin layer only.");

    // Both guards hold: each alternative of the layer with the handler's bearer token.
    let root = operation(&doc, "/admin/root", "delete");
    assert_eq!(
        root["security"],
        json!([
            { "paseto_cookie_admin": [], "paseto": ["admin:write"] },
            { "paseto": ["admin:write"] },
        ])
    );
    assert_eq!(
        root["description"],
        "PASETO token required.\n- audience: `admin`\n\n\
         PASETO token required.\n- subject: `root`\n- scopes: `admin:write`"
    );
    assert_eq!(
        root["responses"],
        with_refusals(json!({ "204": { "description": "Done" } }))
    );
}

#[test]
fn the_unguarded_operation_has_no_security_and_no_refusals() {
    let (_, verifier) = v4_issuer_and_verifier_only();
    let (_, doc) = app(PasetoAuth::new(verifier));
    let health = operation(&doc, "/health", "get");
    assert_eq!(
        *health,
        json!({
            "summary": "Health.",
            "operationId": "health",
            "responses": {
                "200": {
                    "description": "Up",
                    "content": { "text/plain": { "schema": { "type": "string" } } },
                },
            },
        })
    );
    assert_eq!(doc.get("security"), None);
}

#[test]
fn the_refusals_are_described_once_in_the_components() {
    let (_, verifier) = v4_issuer_and_verifier_only();
    let (_, doc) = app(PasetoAuth::new(verifier));
    let body = json!({
        "application/json": { "schema": { "$ref": "#/components/schemas/PasetoError" } },
    });
    assert_eq!(
        doc["components"]["responses"],
        json!({
            "PasetoUnauthorized": {
                "description": "No token (`unauthorized`), a token that is not valid (`invalid_token`: malformed, expired, forged, revoked, of another key, version or purpose), or a token that is not fresh where a fresh one is required (`insufficient_user_authentication`).",
                "headers": {
                    "WWW-Authenticate": {
                        "schema": { "type": "string" },
                        "description": "`Bearer`, or `Bearer error=\"invalid_token\"` (RFC 6750), or `Bearer error=\"insufficient_user_authentication\"` (RFC 9470).",
                    },
                },
                "content": body,
            },
            "PasetoForbidden": {
                "description": "An authentic token that fails a requirement of the route or of the verifier: issuer, audience, subject, claims, scopes, claim values, or the route's check (`insufficient_scope`); or, for a token from a cookie, an unsafe request that fails the CSRF checks (`csrf_token_invalid`, `cross_site_request`).",
                "headers": {
                    "WWW-Authenticate": {
                        "schema": { "type": "string" },
                        "description": "`Bearer error=\"insufficient_scope\"` (RFC 6750); not sent on a CSRF refusal.",
                    },
                },
                "content": body,
            },
            "PasetoUnavailable": {
                "description": "The revocation store could not be asked, and fails closed (`temporarily_unavailable`).",
                "headers": {
                    "Retry-After": {
                        "schema": { "type": "integer" },
                        "description": "Seconds to wait before trying again: `1`.",
                    },
                },
                "content": body,
            },
        })
    );
    assert_eq!(
        doc["components"]["schemas"]["PasetoError"],
        json!({
            "type": "object",
            "description": "An authentication failure: `unauthorized` (no token), `invalid_token`, `insufficient_user_authentication` (a fresh token is needed: log in again), `insufficient_scope`, `csrf_token_invalid` or `cross_site_request` (a token from a cookie, on an unsafe request that fails the CSRF checks), `temporarily_unavailable` (the revocation store is down).",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "string",
                    "enum": [
                        "unauthorized",
                        "invalid_token",
                        "insufficient_user_authentication",
                        "insufficient_scope",
                        "csrf_token_invalid",
                        "cross_site_request",
                        "temporarily_unavailable",
                    ],
                },
                "kind": {
                    "type": "string",
                    "description": "With detailed errors only (development): the error kind, e.g. `expired`.",
                },
                "detail": {
                    "type": "string",
                    "description": "With detailed errors only (development): what failed, in words.",
                },
            },
        })
    );
}

#[test]
fn the_derived_document_takes_the_modifier_without_a_revocation_store() {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
    let orders = operation(&doc, "/orders", "get");
    assert_eq!(
        orders["security"],
        json!([{ "paseto": ["read:orders", "write:orders"] }])
    );
    let mut expected = json!({
        "200": {
            "description": "The orders",
            "content": { "text/plain": { "schema": { "type": "string" } } },
        },
    });
    expected
        .as_object_mut()
        .unwrap()
        .extend(unauthorized_and_forbidden().as_object().unwrap().clone());
    assert_eq!(orders["responses"], expected);
    assert_eq!(
        doc["components"]["responses"].get("PasetoUnavailable"),
        None
    );
    assert!(operation(&doc, "/health", "get").get("security").is_none());
    // Not in this document: the layer's paths and schemes.
    assert_eq!(doc["paths"].get("/admin/stats"), None);
    assert_eq!(
        doc["components"]["securitySchemes"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["paseto", "paseto_cookie_session-token"]
    );
}

#[test]
fn a_document_modified_twice_reads_the_same() {
    let (_, verifier) = v4_issuer_and_verifier_only();
    let auth = PasetoAuth::new(verifier);
    let layer = PasetoLayer::required(auth, Requirements::new().audience("admin"));
    // The derived document has been modified once already, by its `modifiers(&PASETO)`.
    let mut doc = ApiDoc::openapi();
    let once = serde_json::to_value(&doc).unwrap();
    PASETO.modify(&mut doc);
    assert_eq!(serde_json::to_value(&doc).unwrap(), once);
    let security = PasetoSecurity::new().layer("/orders", &layer);
    security.modify(&mut doc);
    let with_layer = serde_json::to_value(&doc).unwrap();
    security.modify(&mut doc);
    assert_eq!(serde_json::to_value(&doc).unwrap(), with_layer);
    assert_eq!(
        with_layer["paths"]["/orders"]["get"]["description"],
        "Guarded by `#[paseto_required]` written above `#[utoipa::path]`: either order documents it.\n\n\
         PASETO token required.\n\
         - audience: `api`\n\
         - scopes: `read:orders`, `write:orders`\n\
         - claims present: `roles`\n\n\
         PASETO token required.\n\
         - audience: `admin`"
    );
    assert_eq!(
        with_layer["paths"]["/orders"]["get"]["security"],
        json!([{ "paseto": ["read:orders", "write:orders"] }])
    );
}

#[tokio::test]
async fn the_documented_router_serves_what_the_document_says() {
    let (issuer, verifier) = v4_issuer_and_verifier_only();
    let (router, _) = app(PasetoAuth::new(verifier).detailed_errors(true));
    assert_eq!(get_bearer(&router, "/me", None).await, no_token());
    assert_eq!(get_bearer(&router, "/admin/stats", None).await, no_token());
    let health = get_bearer(&router, "/health", None).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "up")
    );
    let home = get_bearer(&router, "/home", None).await;
    assert_eq!(
        (home.status, home.body.as_str()),
        (StatusCode::OK, "welcome")
    );
    let token = issuer
        .issue_with(&json!({}), TokenOptions::new().subject("alice"))
        .unwrap();
    let me = get_bearer(&router, "/me", Some(&token)).await;
    assert_eq!((me.status, me.body.as_str()), (StatusCode::OK, "alice"));
}

/// Two handlers of one name, guarded differently: utoipa gives both the operation id `list`.
mod shops {
    use super::*;

    #[utoipa::path(get, path = "/shops", responses((status = 200, description = "Shops")))]
    #[paseto_required(aud = "shops")]
    pub(crate) async fn list() {}
}

mod users {
    use super::*;

    #[utoipa::path(get, path = "/users", responses((status = 200, description = "Users")))]
    #[paseto_required(aud = "users", optional)]
    pub(crate) async fn list() {}
}

#[derive(OpenApi)]
#[openapi(paths(shops::list, users::list), modifiers(&PASETO))]
struct SameNamesDoc;

#[tokio::test]
async fn handlers_of_one_name_are_each_documented_with_every_guard_of_that_name() {
    // They are guarded differently: one refuses a request without a token, the other serves it.
    let (_, verifier) = v4_issuer_and_verifier_only();
    let app = Router::new()
        .route("/shops", axum::routing::get(shops::list))
        .route("/users", axum::routing::get(users::list))
        .with_state(PasetoAuth::new(verifier));
    assert_eq!(
        get_bearer(&app, "/shops", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get_bearer(&app, "/users", None).await.status,
        StatusCode::OK
    );

    let doc = serde_json::to_value(SameNamesDoc::openapi()).unwrap();
    for path in ["/shops", "/users"] {
        let list = operation(&doc, path, "get");
        // Never documented as weaker than either: both guards, not optional.
        assert_eq!(list["security"], json!([{ "paseto": [] }]), "{path}");
        let description = list["description"].as_str().unwrap();
        // The order of registration is the linker's: compare the paragraphs as a set.
        let mut paragraphs: Vec<&str> = description.split("\n\n").collect();
        paragraphs.sort_unstable();
        assert_eq!(
            paragraphs,
            [
                "PASETO token optional: a request without one is served anonymously; a token that is sent must be valid and meet the requirements.\n- audience: `users`",
                "PASETO token required.\n- audience: `shops`",
                "Several `#[paseto_required]` handlers are named `list`: this operation is documented as guarded by each of them.",
            ],
            "{path}"
        );
    }
}

fn v4_issuer_and_verifier_only() -> (paseto_auth::Issuer, paseto_auth::Verifier) {
    let (_, issuer, verifier) = v4_issuer_and_verifier();
    (issuer, verifier)
}
