//! What every example server does first, logging, and last: listen on `PASETO_AUTH_ADDR` and
//! serve.

use std::fmt::Display;

use axum::Router;
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Logs to standard output at the level `RUST_LOG` sets (default `info`), so that what the
/// library tells an operator — a store that timed out, a revocation not recorded, the counts of
/// refused tokens and cookies — is seen. Called first by every example's `main`.
pub fn init_logging() {
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer())
        .with(log_filter(std::env::var("RUST_LOG").ok().as_deref()))
        .init();
}

/// What `RUST_LOG` enables: `tracing`'s target directives, as `EnvFilter` reads them without its
/// span and field filters (which would need a regex engine): `debug`, or
/// `paseto_auth=debug,tower=warn,info`. Unset or empty: `info`; a bad value is reported and
/// `info` used.
pub fn log_filter(rust_log: Option<&str>) -> Targets {
    let default = || Targets::new().with_default(Level::INFO);
    match rust_log.map(str::trim) {
        Some(directives) if !directives.is_empty() => {
            directives.parse::<Targets>().unwrap_or_else(|err| {
                eprintln!("RUST_LOG={directives:?}: {err}; logging at info");
                default()
            })
        }
        _ => default(),
    }
}

/// Serves `app` on `PASETO_AUTH_ADDR` (default `127.0.0.1:3000`), printing where and `hint`.
///
/// A configuration error (`app` is `Err`) or an address it cannot listen on ends the process
/// with status 2 and a message naming the problem, rather than a `Debug` dump.
pub async fn serve<E: Display>(app: Result<Router, E>, hint: &str) {
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
