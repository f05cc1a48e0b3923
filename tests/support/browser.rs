//! A real headless Chromium for the browser tests, driven over WebDriver (fantoccini) through
//! chromedriver: the one `PASETO_TEST_WEBDRIVER` names (what `.ci/run` starts), or one this
//! process starts on a free port. Without either, the tests skip locally (saying how to run
//! them) and fail under CI (`CI=true`).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

/// Where Debian's chromium-driver puts chromedriver, and its browser.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver, and the profile directory the browser keeps its cookies in (so that a
/// restarted browser finds its persistent cookies, and drops its session cookies, as a real one
/// does).
pub(crate) struct Driver {
    url: String,
    process: Option<Child>,
    profile: PathBuf,
}

impl Driver {
    /// A driver, or `None` (after saying why) when the browser tests cannot run here.
    pub(crate) fn start(test: &str) -> Option<Driver> {
        let profile =
            std::env::temp_dir().join(format!("paseto-auth-browser-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        if let Ok(url) = std::env::var("PASETO_TEST_WEBDRIVER") {
            return Some(Driver {
                url,
                process: None,
                profile,
            });
        }
        let binary = std::env::var("PASETO_TEST_CHROMEDRIVER").unwrap_or(CHROMEDRIVER.to_owned());
        if !std::path::Path::new(&binary).exists() {
            let how = "install Debian's chromium and chromium-driver (apt-get install chromium \
                       chromium-driver), or set PASETO_TEST_WEBDRIVER to a running chromedriver";
            assert!(
                !super::redis::under_ci(),
                "the browser tests must run under CI: {how}"
            );
            eprintln!("skipping {test}: no chromedriver at {binary}; {how}");
            return None;
        }
        let port = free_port();
        let process = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start {binary}: {err}"));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let ready = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            TcpStream::connect(addr).is_ok()
        });
        assert!(ready, "chromedriver did not listen on {addr}");
        Some(Driver {
            url: format!("http://{addr}"),
            process: Some(process),
            profile,
        })
    }

    /// A new headless browser on this driver's profile: cookies the last one persisted are
    /// there, session cookies are not.
    pub(crate) async fn browser(&self) -> Client {
        let binary = std::env::var("PASETO_TEST_CHROMIUM").unwrap_or(CHROMIUM.to_owned());
        let options = json!({
            "binary": binary,
            // The flags Chromium needs on a machine without a display or outside network.
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", self.profile.display()),
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|err| panic!("no browser session on {}: {err}", self.url))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(process) = &mut self.process {
            let _ = process.kill();
            let _ = process.wait();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free local port")
}

/// Serves `app` on a free local port of `host` (`127.0.0.1`, or `localhost` for a second site);
/// the server runs until the test's runtime ends. Returns its origin, `http://host:port`.
pub(crate) async fn serve(app: axum::Router, host: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{host}:{port}")
}
