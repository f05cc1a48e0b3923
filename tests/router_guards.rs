//! `PasetoLayer` guarding a whole router: the same answers as `#[paseto_required]` for every
//! route behind it, the handlers taking its outcome without verifying again, an optional layer,
//! a layer reading a cookie, and routes outside the layer left alone.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::sync::Arc;

use axum::routing::{get, post};
use paseto_auth::csrf::CsrfSettings;
use paseto_auth::extract::{PasetoAuth, PasetoLayer, TokenSource};
use paseto_auth::key::SecretKey;
use paseto_auth::store::{MemoryStore, Revocations, TokenStore};
use paseto_auth::{Issuer, Paseto, Requirements, TokenOptions, Verifier, Version, paseto_required};
use serde_json::{Value, json};

use support::answer::{Answer, forbidden, get_bearer, invalid, no_token, ok, send};
use support::v4_issuer_and_verifier;

async fn subject(token: Paseto<Value>) -> String {
    token.registered.sub.unwrap_or_default()
}

async fn maybe_subject(token: Option<Paseto<Value>>) -> String {
    token.map_or_else(
        || "nobody".to_owned(),
        |t| t.registered.sub.unwrap_or_default(),
    )
}

/// Behind the layer and guarded again, more strictly: both hold.
#[paseto_required(sub = "root")]
async fn root_only(token: Paseto<Value>) -> String {
    token.registered.sub.unwrap_or_default()
}

struct Fixture {
    issuer: Issuer,
    verifier: Verifier,
}

impl Fixture {
    fn new() -> Self {
        let (_, issuer, verifier) = v4_issuer_and_verifier();
        Fixture { issuer, verifier }
    }

    fn token(&self, subject: &str, audience: &str) -> String {
        let options = TokenOptions::new().subject(subject).audience(audience);
        self.issuer.issue_with(&json!({}), options).unwrap()
    }

    fn auth(&self) -> PasetoAuth {
        PasetoAuth::new(self.verifier.clone()).detailed_errors(true)
    }

    /// `/api/*` behind `layer`, `/public` outside it; the router's state is `state`.
    fn app(&self, layer: PasetoLayer, state: PasetoAuth) -> Router {
        let api = Router::new()
            .route("/orders", get(subject))
            .route("/maybe", get(maybe_subject))
            .route("/root", get(root_only))
            .route("/static", get(|| async { "no token argument" }))
            .route_layer(layer);
        Router::new()
            .nest("/api", api)
            .route("/public", get(|| async { "public" }))
            .with_state(state)
    }
}

#[tokio::test]
async fn the_layer_answers_as_paseto_required_does_for_every_route_behind_it() {
    let f = Fixture::new();
    let layer = PasetoLayer::required(f.auth(), Requirements::new().audience("api"));
    let app = f.app(layer, f.auth());
    let alice = f.token("alice", "api");
    let wrong_audience = f.token("alice", "web");

    for path in ["/api/orders", "/api/static"] {
        assert_eq!(get_bearer(&app, path, None).await, no_token(), "{path}");
        assert_eq!(
            get_bearer(&app, path, Some("v4.public.garbage")).await,
            invalid("malformed"),
            "{path}"
        );
        assert_eq!(
            get_bearer(&app, path, Some(&wrong_audience)).await,
            forbidden("audience_not_accepted"),
            "{path}"
        );
    }
    assert_eq!(
        get_bearer(&app, "/api/orders", Some(&alice)).await,
        ok("alice")
    );
    assert_eq!(
        get_bearer(&app, "/api/static", Some(&alice)).await,
        ok("no token argument")
    );

    // A route's own guard still applies behind the layer.
    assert_eq!(
        get_bearer(&app, "/api/root", Some(&alice)).await,
        forbidden("subject_not_accepted")
    );
    let root = f.token("root", "api");
    assert_eq!(get_bearer(&app, "/api/root", Some(&root)).await, ok("root"));

    // Outside the layer: not guarded; unknown paths are still 404.
    assert_eq!(get_bearer(&app, "/public", None).await, ok("public"));
    let missing = get_bearer(&app, "/api/nowhere", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn handlers_take_the_layers_token_without_verifying_again() {
    let f = Fixture::new();
    // The layer and the router share one PasetoAuth (clones of it): the handler takes the
    // layer's token. Seen in the verifier's cache, which counts every verification (a hit or a
    // miss): one per request.
    let verifications = || {
        let stats = f.verifier.cache_stats().unwrap();
        stats.hits + stats.misses
    };
    let auth = f.auth();
    let layer = PasetoLayer::required(auth.clone(), Requirements::new().audience("api"));
    let app = f.app(layer, auth.clone());
    let alice = f.token("alice", "api");
    assert_eq!(
        get_bearer(&app, "/api/orders", Some(&alice)).await,
        ok("alice")
    );
    assert_eq!(verifications(), 1);
    assert_eq!(
        get_bearer(&app, "/api/maybe", Some(&alice)).await,
        ok("alice")
    );
    assert_eq!(verifications(), 2);

    // Two PasetoAuths made alike from the same verifier (as `FromRef<Verifier>` makes one per
    // request) check tokens alike: no second verification either.
    let layer = PasetoLayer::required(f.auth(), Requirements::new().audience("api"));
    let app = f.app(layer, f.auth());
    assert_eq!(
        get_bearer(&app, "/api/orders", Some(&alice)).await,
        ok("alice")
    );
    assert_eq!(verifications(), 3);
}

const USERS: &str = "https://users.example";
const ADMINS: &str = "https://admin.example";

fn issuer_of(key: &SecretKey, iss: &str) -> Issuer {
    Issuer::builder()
        .issuer(iss)
        .key(key.clone())
        .build()
        .unwrap()
}

fn sub_token(issuer: &Issuer, subject: &str) -> String {
    issuer
        .issue_with(&json!({}), TokenOptions::new().subject(subject))
        .unwrap()
}

/// Issue #21, item 3: an admin router whose PasetoAuth trusts only the admin key, merged into an
/// app wrapped in a layer whose PasetoAuth also trusts the user issuer's key. The layer's outcome
/// is not the admin router's: its extractor verifies again, with its own PasetoAuth.
#[tokio::test]
async fn an_extractor_does_not_take_the_outcome_of_another_routers_verifier() {
    let (user_key, admin_key) = (
        SecretKey::generate(Version::V4).unwrap(),
        SecretKey::generate(Version::V4).unwrap(),
    );
    let (users, admins) = (issuer_of(&user_key, USERS), issuer_of(&admin_key, ADMINS));
    let admin_auth = PasetoAuth::new(
        Verifier::builder()
            .public_key(admin_key.public_key().clone(), ADMINS)
            .build()
            .unwrap(),
    )
    .detailed_errors(true);
    // The gateway's verifier trusts every issuer of the organisation.
    let user_auth = PasetoAuth::new(
        Verifier::builder()
            .public_key(user_key.public_key().clone(), USERS)
            .public_key(admin_key.public_key().clone(), ADMINS)
            .build()
            .unwrap(),
    )
    .detailed_errors(true);
    let admin_router = || {
        Router::new()
            .route("/admin/panel", get(subject))
            .route("/admin/maybe", get(maybe_subject))
            .with_state(admin_auth.clone())
    };
    let (alice, root) = (sub_token(&users, "alice"), sub_token(&admins, "root"));

    // Alone, the admin router refuses the user token.
    let alone = admin_router();
    assert_eq!(
        get_bearer(&alone, "/admin/panel", Some(&alice)).await,
        invalid("unknown_key_id")
    );
    assert_eq!(
        get_bearer(&alone, "/admin/panel", Some(&root)).await,
        ok("root")
    );

    // Merged behind the gateway's layer: still refused (it was 200 before the fix).
    let user_router = Router::new()
        .route("/me", get(subject))
        .with_state(user_auth.clone());
    let merged = Router::new()
        .merge(admin_router())
        .merge(user_router)
        .route_layer(PasetoLayer::required(
            user_auth.clone(),
            Requirements::new(),
        ));
    for path in ["/admin/panel", "/admin/maybe"] {
        assert_eq!(
            get_bearer(&merged, path, Some(&alice)).await,
            invalid("unknown_key_id"),
            "{path}"
        );
        assert_eq!(
            get_bearer(&merged, path, Some(&root)).await,
            ok("root"),
            "{path}"
        );
    }
    assert_eq!(get_bearer(&merged, "/me", Some(&alice)).await, ok("alice"));
    assert_eq!(get_bearer(&merged, "/admin/panel", None).await, no_token());
}

/// The same verifier is not enough: a PasetoAuth that checks revocations does not take the
/// outcome of one that does not (nor of one with another store).
#[tokio::test]
async fn an_extractor_does_not_take_the_outcome_of_a_paseto_auth_with_other_revocations() {
    let f = Fixture::new();
    let alice = f.token("alice", "api");
    let with_store = |store: Arc<MemoryStore>| {
        f.auth()
            .revocations(Revocations::shared(store as Arc<dyn TokenStore>))
    };
    let revoking = with_store(Arc::new(MemoryStore::new()));
    revoking
        .revoke(&f.verifier.verify::<Value>(&alice).unwrap())
        .await
        .unwrap();

    for layer_auth in [f.auth(), with_store(Arc::new(MemoryStore::new()))] {
        let layer = PasetoLayer::required(layer_auth, Requirements::new());
        let app = f.app(layer, revoking.clone());
        assert_eq!(
            get_bearer(&app, "/api/orders", Some(&alice)).await,
            invalid("revoked")
        );
        // The layer's own answer stands for routes without an extractor.
        assert_eq!(
            get_bearer(&app, "/api/static", Some(&alice)).await,
            ok("no token argument")
        );
    }
    // A clone of the revoking PasetoAuth in the layer refuses it there already.
    let layer = PasetoLayer::required(revoking.clone(), Requirements::new());
    let app = f.app(layer, revoking.clone());
    assert_eq!(
        get_bearer(&app, "/api/static", Some(&alice)).await,
        invalid("revoked")
    );
}

/// Nor does a PasetoAuth with other CSRF settings: the layer's did not check what its own does.
#[tokio::test]
async fn an_extractor_does_not_take_the_outcome_of_a_paseto_auth_with_other_csrf_settings() {
    let f = Fixture::new();
    let alice = f.token("alice", "api");
    let cookie_auth = |csrf: CsrfSettings| {
        f.auth()
            .token_source(TokenSource::cookie("api_token"))
            .csrf(csrf)
    };
    let layer = PasetoLayer::required(
        cookie_auth(CsrfSettings::new().disabled()),
        Requirements::new(),
    );
    let api = Router::new()
        .route("/orders", post(subject))
        .route_layer(layer)
        .with_state(cookie_auth(CsrfSettings::new()));
    let request = Request::post("/orders")
        .header(header::COOKIE, format!("api_token={alice}"))
        .body(Body::empty())
        .unwrap();
    let answer = send(&api, request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        answer.body.contains("csrf_token_invalid"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn an_optional_layer_lets_requests_without_a_token_through_but_not_bad_tokens() {
    let f = Fixture::new();
    let layer = PasetoLayer::optional(f.auth(), Requirements::new().audience("api"));
    let app = f.app(layer, f.auth());
    assert_eq!(get_bearer(&app, "/api/maybe", None).await, ok("nobody"));
    assert_eq!(
        get_bearer(&app, "/api/maybe", Some(&f.token("alice", "api"))).await,
        ok("alice")
    );
    assert_eq!(
        get_bearer(&app, "/api/maybe", Some(&f.token("alice", "web"))).await,
        forbidden("audience_not_accepted")
    );
    // `Paseto<C>` behind an optional layer: no token is the extractor's 401.
    assert_eq!(get_bearer(&app, "/api/orders", None).await, no_token());
}

#[tokio::test]
async fn a_layer_reading_a_cookie_ignores_the_authorization_header() {
    let f = Fixture::new();
    let layer = PasetoLayer::required(f.auth(), Requirements::new())
        .with_source(TokenSource::cookie("api_token"));
    let app = f.app(layer, f.auth());
    let alice = f.token("alice", "api");

    assert_eq!(
        get_bearer(&app, "/api/orders", Some(&alice)).await,
        no_token()
    );
    let request = Request::get("/api/orders")
        .header(header::COOKIE, format!("api_token={alice}"))
        .body(Body::empty())
        .unwrap();
    let answer: Answer = send(&app, request).await;
    assert_eq!(answer, ok("alice"));
}
