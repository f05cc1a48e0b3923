//! Checks on claim values, at run time: `scope = ".."` (OAuth's space-separated `scope` claim),
//! `claim(name = value)`, and `check = path` with a predicate or an `async` check reading the
//! router state. A refusal is 403 `insufficient_scope` with its own kind.

mod support;

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::testing::TestAuth;
use paseto_auth::{Paseto, PasetoClaims, paseto_required};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use support::answer::{forbidden, get_bearer, invalid, no_token, ok};

#[derive(Debug, Serialize, Deserialize, PasetoClaims)]
struct Claims {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    age: u32,
    #[serde(default)]
    tenant: String,
}

/// Tenants the application knows, as a database would: what the `async` check reads.
#[derive(Clone)]
struct Tenants(Arc<HashSet<String>>);

#[derive(Clone, FromRef)]
struct AppState {
    auth: PasetoAuth,
    tenants: Tenants,
}

#[paseto_required(scope = "read:orders")]
async fn read_orders(token: Paseto<Claims>) -> String {
    token.claims.scope
}

#[paseto_required(scope = "read:orders write:orders")]
async fn write_orders(_token: Paseto<Claims>) -> &'static str {
    "written"
}

#[paseto_required(claim(role = "admin"))]
async fn admin(token: Paseto<Claims>) -> String {
    token.claims.role.unwrap_or_default()
}

/// `claim(..)` on untyped claims: an array claim holding the value meets it.
#[paseto_required(claim(roles = "ops", level = 2))]
async fn ops(_token: Paseto<Value>) -> &'static str {
    "ops"
}

fn is_adult(claims: &Claims) -> bool {
    claims.age >= 18
}

#[paseto_required(check = is_adult)]
async fn adults(token: Paseto<Claims>) -> String {
    token.claims.age.to_string()
}

async fn knows_tenant(claims: &Claims, tenants: &Tenants) -> Result<(), String> {
    if tenants.0.contains(&claims.tenant) {
        Ok(())
    } else {
        Err(format!("unknown tenant {:?}", claims.tenant))
    }
}

#[paseto_required(check = knows_tenant, state = AppState)]
async fn tenant_page(token: Paseto<Claims>) -> String {
    token.claims.tenant
}

#[paseto_required(optional, check = is_adult)]
async fn maybe_adult(token: Option<Paseto<Claims>>) -> String {
    token.map_or_else(|| "anonymous".to_owned(), |t| t.claims.age.to_string())
}

struct Fixture {
    app: Router,
    test: TestAuth,
}

fn fixture() -> Fixture {
    let test = TestAuth::new();
    let state = AppState {
        auth: test.auth(),
        tenants: Tenants(Arc::new(HashSet::from(["acme".to_owned()]))),
    };
    let app = Router::new()
        .route("/orders", get(read_orders))
        .route("/orders/write", get(write_orders))
        .route("/admin", get(admin))
        .route("/ops", get(ops))
        .route("/adults", get(adults))
        .route("/tenant", get(tenant_page))
        .route("/maybe-adult", get(maybe_adult))
        .with_state(state);
    Fixture { app, test }
}

impl Fixture {
    async fn get(&self, path: &str, claims: Value) -> support::answer::Answer {
        support::answer::send(&self.app, self.test.get(path, &claims)).await
    }
}

#[tokio::test]
async fn a_scope_must_be_granted_word_for_word() {
    let f = fixture();
    let granted = json!({"scope": "profile read:orders"});
    assert_eq!(
        f.get("/orders", granted.clone()).await,
        ok("profile read:orders")
    );
    let refused = forbidden("scope_not_granted");
    assert_eq!(f.get("/orders/write", granted).await, refused);
    assert_eq!(
        f.get(
            "/orders/write",
            json!({"scope": "write:orders read:orders"})
        )
        .await,
        ok("written")
    );
    for scope in [json!("read"), json!("read:orders2"), json!(["read:orders"])] {
        assert_eq!(f.get("/orders", json!({ "scope": scope })).await, refused);
    }
    assert_eq!(f.get("/orders", json!({})).await, refused);
    assert_eq!(get_bearer(&f.app, "/orders", None).await, no_token());
}

#[tokio::test]
async fn a_claim_must_have_the_required_value() {
    let f = fixture();
    assert_eq!(f.get("/admin", json!({"role": "admin"})).await, ok("admin"));
    let refused = forbidden("claim_not_accepted");
    for role in [json!("Admin"), json!("user"), json!(null)] {
        assert_eq!(f.get("/admin", json!({ "role": role })).await, refused);
    }
    assert_eq!(
        f.get("/ops", json!({"roles": ["dev", "ops"], "level": 2}))
            .await,
        ok("ops")
    );
    assert_eq!(
        f.get("/ops", json!({"roles": ["dev"], "level": 2})).await,
        refused
    );
    assert_eq!(
        f.get("/ops", json!({"roles": ["ops"], "level": "2"})).await,
        refused
    );
}

#[tokio::test]
async fn a_predicate_check_sees_the_typed_claims() {
    let f = fixture();
    assert_eq!(f.get("/adults", json!({"age": 18})).await, ok("18"));
    assert_eq!(
        f.get("/adults", json!({"age": 17})).await,
        forbidden("check_failed")
    );
    // Claims that do not fit the type are refused (as the extractor would) before any check.
    assert_eq!(
        f.get("/adults", json!({"age": "old"})).await,
        invalid("claims_type")
    );
}

#[tokio::test]
async fn an_async_check_reads_the_router_state() {
    let f = fixture();
    assert_eq!(
        f.get("/tenant", json!({"tenant": "acme"})).await,
        ok("acme")
    );
    assert_eq!(
        f.get("/tenant", json!({"tenant": "globex"})).await,
        forbidden("check_failed")
    );
}

#[tokio::test]
async fn an_optional_route_checks_only_the_tokens_it_gets() {
    let f = fixture();
    assert_eq!(
        get_bearer(&f.app, "/maybe-adult", None).await,
        ok("anonymous")
    );
    assert_eq!(f.get("/maybe-adult", json!({"age": 30})).await, ok("30"));
    assert_eq!(
        f.get("/maybe-adult", json!({"age": 3})).await,
        forbidden("check_failed")
    );
}
