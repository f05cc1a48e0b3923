//! What every example server does last: listen on `PASETO_AUTH_ADDR` and serve.

use std::fmt::Display;

use axum::Router;

/// Serves `app` on `PASETO_AUTH_ADDR` (default `127.0.0.1:3000`), printing where and `hint`.
///
/// A configuration error (`app` is `Err`) or an address it cannot listen on ends the process
/// with status 2 and a message naming the problem, rather than a `Debug` dump.
pub(crate) async fn serve<E: Display>(app: Result<Router, E>, hint: &str) {
    let app = match app {
        Ok(app) => app,
        Err(err) => {
            eprintln!("configuration error: {err}");
            std::process::exit(2);
        }
    };
    let addr = std::env::var("PASETO_AUTH_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("PASETO_AUTH_ADDR={addr}: cannot listen: {err}");
            std::process::exit(2);
        }
    };
    println!("listening on http://{addr} ({hint})");
    if let Err(err) = axum::serve(listener, app).await {
        eprintln!("server error: {err}");
    }
}
