//! `PasetoLayer` guarding a whole router: the same answers as `#[paseto_required]` for every
//! route behind it, the handlers taking its outcome without verifying again, an optional layer,
//! a layer reading a cookie, and routes outside the layer left alone.

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use paseto_auth::extract::{PasetoAuth, PasetoLayer, TokenSource};
use paseto_auth::{Issuer, Paseto, Requirements, TokenOptions, Verifier, paseto_required};
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
    let layer = PasetoLayer::required(f.auth(), Requirements::new().audience("api"));
    // The router's own PasetoAuth trusts none of the issuer's keys: were the extractor to verify
    // again, it would refuse the token.
    let (_, _, stranger) = v4_issuer_and_verifier();
    let app = f.app(layer, PasetoAuth::new(stranger));
    let alice = f.token("alice", "api");
    assert_eq!(
        get_bearer(&app, "/api/orders", Some(&alice)).await,
        ok("alice")
    );
    assert_eq!(
        get_bearer(&app, "/api/maybe", Some(&alice)).await,
        ok("alice")
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
