//! A server for load generators: each measured path beside its hand-written pasetors reference,
//! in one process, so a run compares them under the same conditions.
//!
//! | route | what it does |
//! |---|---|
//! | `GET /verify/ours` | a `#[paseto_required]` handler (v4.public bearer token), its verifier as configured by default (with its token cache) |
//! | `GET /verify/by_hand` | the same check written with pasetors directly |
//! | `GET /unguarded` | the same answer without any check: the ceiling |
//! | `GET /session/ours` | a handler reading `Session<T>` through `SessionLayer` |
//! | `GET /session/by_hand` | the same cookie decrypted with pasetors directly |
//! | `GET /verify/memory` | `/verify/ours`, checking the token against the memory revocation store |
//! | `GET /verify/redis` | the same against Redis at `PASETO_REDIS_URL` (only when it is set), answered by the instance's mirror |
//! | `GET /verify/redis-direct` | the same asking Redis at each request (`PASETO_REVOCATION_MIRROR=false`) |
//! | `GET /verify/postgres` | the same against PostgreSQL at `PASETO_POSTGRES_URL` (only when it is set), answered by the instance's mirror |
//! | `GET /verify/postgres-direct` | the same asking PostgreSQL at each request |
//!
//! It prints `TOKEN=…` (the bearer token) and `COOKIE=…` (the session cookie), writes
//! `LOAD_SERVER_TOKENS` distinct valid tokens (default 100 000, ten times what the verifier's
//! cache holds, so that cycling through them never hits it) one per line to the file `LOAD_SERVER_TOKEN_FILE` when it is set (wrk's unique-token
//! mode cycles through them), and serves on `PASETO_AUTH_ADDR` (default `127.0.0.1:3000`).
//! `benches/wrk.sh` builds it in release mode and runs wrk against each pair in alternation.
//!
//! `load_server --in-process <route> <n> same|unique [--dry]` sends `n` requests to `<route>`
//! through the router without a socket and exits, for instruction counting
//! (`benches/callgrind.sh`): with the same token each time, or `n` distinct ones (made before the
//! first request); `--dry` makes everything and sends nothing (the baseline to subtract).

#[path = "common/mod.rs"]
mod common;
use paseto_auth_examples::serve;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::http::header::{AUTHORIZATION, COOKIE};
use tower::ServiceExt;

/// The routes, and the headers that authenticate a request to them.
struct App {
    router: Router,
    token: String,
    cookie: String,
    verify: common::verify::Fixture,
}

async fn app() -> App {
    let verify = common::verify::fixture();
    let session = common::session::fixture().await;
    let (verify_ours, verify_by_hand) = common::verify::routers(&verify);
    let (session_ours, session_by_hand) = common::session::routers(&session);
    let memory = common::verify::memory_revocations().await;
    let mut router = Router::new()
        .nest("/verify/ours", verify_ours)
        .nest("/verify/by_hand", verify_by_hand)
        .nest(
            "/verify/memory",
            common::verify::guarded_router(&verify, Some(memory)),
        )
        .nest("/session/ours", session_ours)
        .nest("/session/by_hand", session_by_hand)
        .nest("/unguarded", common::verify::unguarded_router());
    for (path, mirror) in [("/verify/redis", true), ("/verify/redis-direct", false)] {
        if let Some(redis) = common::verify::redis_revocations(mirror).await {
            router = router.nest(path, common::verify::guarded_router(&verify, Some(redis)));
        }
    }
    for (path, mirror) in [
        ("/verify/postgres", true),
        ("/verify/postgres-direct", false),
    ] {
        if let Some(postgres) = common::verify::postgres_revocations(mirror).await {
            router = router.nest(
                path,
                common::verify::guarded_router(&verify, Some(postgres)),
            );
        }
    }
    App {
        router,
        token: verify.token.clone(),
        cookie: session.cookie,
        verify,
    }
}

/// Sends `n` authenticated requests to `route` in process (none when `dry`), with the same token
/// or with `n` distinct ones; each must succeed.
async fn in_process(
    app: App,
    route: &str,
    n: usize,
    unique: bool,
    dry: bool,
) -> Result<(), String> {
    let tokens = if unique {
        app.verify.unique_tokens(n)
    } else {
        vec![app.token.clone(); n.min(1)]
    };
    let sent = if dry { 0 } else { n };
    for token in tokens.iter().cycle().take(sent) {
        let request = Request::get(route)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(COOKIE, &app.cookie)
            .body(Body::empty())
            .map_err(|err| err.to_string())?;
        let response = app.router.clone().oneshot(request).await;
        let status = response.map_err(|err| err.to_string())?.status();
        if !status.is_success() {
            return Err(format!("{route}: {status}"));
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    serve::init_logging();
    let app = app().await;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, route, n, mode, rest @ ..] = args.as_slice()
        && flag == "--in-process"
    {
        let dry = rest.iter().any(|arg| arg == "--dry");
        return Ok(in_process(app, route, n.parse()?, mode == "unique", dry).await?);
    }
    println!("TOKEN={}", app.token);
    println!("COOKIE={}", app.cookie);
    if let Ok(path) = std::env::var("LOAD_SERVER_TOKEN_FILE") {
        let count = std::env::var("LOAD_SERVER_TOKENS").map_or(Ok(100_000), |n| n.parse())?;
        std::fs::write(&path, app.verify.unique_tokens(count).join("\n") + "\n")?;
        println!("TOKEN_FILE={path} ({count} distinct tokens)");
    }
    serve::serve(
        Ok::<_, String>(app.router),
        "ours and by hand, side by side",
    )
    .await;
    Ok(())
}
