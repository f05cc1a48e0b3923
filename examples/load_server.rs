//! A server for load generators: each measured path beside its hand-written pasetors reference,
//! in one process, so a run compares them under the same conditions.
//!
//! | route | what it does |
//! |---|---|
//! | `GET /verify/ours` | a `#[paseto_required]` handler (v4.public bearer token) |
//! | `GET /verify/by_hand` | the same check written with pasetors directly |
//! | `GET /session/ours` | a handler reading `Session<T>` through `SessionLayer` |
//! | `GET /session/by_hand` | the same cookie decrypted with pasetors directly |
//!
//! It prints `TOKEN=…` (the bearer token) and `COOKIE=…` (the session cookie) and serves on
//! `PASETO_AUTH_ADDR` (default `127.0.0.1:3000`). `benches/wrk.sh` builds it in release mode and
//! runs wrk against each pair in alternation.

#[path = "../benches/common/mod.rs"]
mod common;

use axum::Router;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verify = common::verify::fixture();
    let session = common::session::fixture().await;
    let (verify_ours, verify_by_hand) = common::verify::routers(&verify);
    let (session_ours, session_by_hand) = common::session::routers(&session);
    let app = Router::new()
        .nest("/verify/ours", verify_ours)
        .nest("/verify/by_hand", verify_by_hand)
        .nest("/session/ours", session_ours)
        .nest("/session/by_hand", session_by_hand);
    println!("TOKEN={}", verify.token);
    println!("COOKIE={}", session.cookie);
    let addr = std::env::var("PASETO_AUTH_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{addr}");
    axum::serve(listener, app).await?;
    Ok(())
}
