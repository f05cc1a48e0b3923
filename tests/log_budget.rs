//! Refusals are logged within a budget: a flood of garbage tokens and cookies writes a few lines
//! and then a count of what it left out, while every refusal's detail stays at `debug`. Its own
//! test binary, with one test: the budget is process-wide.

mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::COOKIE;
use axum::routing::get;
use paseto_auth::cookie::CookieKeys;
use paseto_auth::logs::limit_refusal_logs;
use paseto_auth::session::{Session, SessionLayer};
use paseto_auth::{Paseto, Version, paseto_required, paseto_session};
use serde::{Deserialize, Serialize};

use support::http::{bearer, send};
use support::logs::capture;
use support::v4_issuer_and_verifier;

#[paseto_required]
async fn api(token: Paseto) -> String {
    token.registered.sub.unwrap_or_default()
}

#[paseto_session(cookie = "cart")]
#[derive(Default, Serialize, Deserialize)]
struct Cart {
    items: u32,
}

async fn cart(cart: Session<Cart>) -> String {
    cart.items.to_string()
}

#[tokio::test]
async fn a_flood_of_refusals_writes_a_few_lines_and_a_count() {
    limit_refusal_logs(5, Duration::from_millis(500));
    let (_, _, verifier) = v4_issuer_and_verifier();
    let app = Router::new()
        .route("/api", get(api))
        .with_state(paseto_auth::extract::PasetoAuth::new(verifier))
        .merge(
            Router::new()
                .route("/cart", get(cart))
                .layer(SessionLayer::new(
                    CookieKeys::generate(Version::V4).unwrap(),
                )),
        );
    let captured = capture();
    {
        for i in 0..1000 {
            let garbage = format!("v4.public.{}", "A".repeat(100 + i % 7));
            let response = send(&app, bearer("GET", "/api", &garbage)).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            let cookie = Request::get("/cart")
                .header(COOKIE, format!("cart=v4.local.{i}"))
                .body(Body::empty())
                .unwrap();
            assert_eq!(send(&app, cookie).await.status(), StatusCode::OK);
        }
        tokio::time::sleep(Duration::from_millis(600)).await;
        // The first refusal of the next interval reports what the last one left out.
        let response = send(&app, bearer("GET", "/api", "garbage")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let lines = captured.lines();
    let warn_lines = |message: &str| {
        lines
            .iter()
            .filter(|line| line.contains("WARN") && line.contains(message))
            .count()
    };
    assert_eq!(
        warn_lines("token refused"),
        6,
        "5 in the flood's interval, 1 after"
    );
    assert_eq!(warn_lines("invalid session cookie ignored"), 5);
    assert_eq!(warn_lines("suppressed 995 invalid tokens"), 1, "{lines:#?}");
    // The detail of the others is at `debug`.
    let debug_lines = lines
        .iter()
        .filter(|line| line.contains("DEBUG") && line.contains("token refused"))
        .count();
    assert_eq!(debug_lines, 995);
    // What a production subscriber (`info` and above) writes for 2001 refusals.
    let shown = lines
        .iter()
        .filter(|line| {
            ["ERROR", "WARN", "INFO"]
                .iter()
                .any(|level| line.contains(level))
        })
        .count();
    assert_eq!(shown, 6 + 5 + 1, "{lines:#?}");
    limit_refusal_logs(
        paseto_auth::logs::DEFAULT_PER_INTERVAL,
        paseto_auth::logs::DEFAULT_INTERVAL,
    );
}
