//! The session path and its reference: a session cookie made by the layer, our handler reading
//! `Session<T>` through `SessionLayer`, and a hand-written handler that decrypts the same cookie
//! with pasetors. Shared by `benches/session.rs` and `benches/load_server.rs`.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use paseto_auth::Version;
use paseto_auth::cookie::CookieKeys;
use paseto_auth::key::LocalKey;
use paseto_auth::session::{Session, SessionData, SessionLayer, SessionSpec};
use pasetors::Local;
use pasetors::keys::SymmetricKey;
use pasetors::token::UntrustedToken;
use pasetors::version4::{self, V4};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

const IMPLICIT: &[u8] = b"paseto-auth:session:session";

#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Auth {
    pub(crate) user: String,
    pub(crate) roles: Vec<String>,
}

impl SessionData for Auth {
    const SPEC: SessionSpec = SessionSpec::new("session");
}

/// The cookie's payload as the crate writes it, read back by hand.
#[derive(Deserialize)]
struct Payload {
    pur: String,
    cky: String,
    exp: String,
    dat: Auth,
}

pub(crate) struct Fixture {
    /// `session=<token>`, as a browser sends it.
    pub(crate) cookie: String,
    pub(crate) keys: CookieKeys,
    pub(crate) pasetors_key: SymmetricKey<V4>,
}

/// A cookie made by the layer itself (a login), and the same key for pasetors.
pub(crate) async fn fixture() -> Fixture {
    let key = LocalKey::generate(Version::V4).expect("key");
    let keys = CookieKeys::new(key.clone());
    let login = Router::new()
        .route(
            "/",
            get(|mut session: Session<Auth>| async move {
                session.user = "foo@example.com".into();
                session.roles = vec!["admin".into()];
            }),
        )
        .layer(SessionLayer::new(keys.clone()));
    let request = Request::get("/").body(Body::empty()).expect("request");
    let response = login.oneshot(request).await.expect("infallible");
    let set_cookie = response.headers()["set-cookie"].to_str().expect("ascii");
    let cookie = set_cookie.split(';').next().expect("pair").to_owned();
    let pasetors_key = SymmetricKey::<V4>::try_from(key.to_paserk().as_str()).expect("key");
    Fixture {
        cookie,
        keys,
        pasetors_key,
    }
}

/// The hand-written reference: decrypt with pasetors (same implicit assertion), parse the
/// payload, check purpose, cookie name and expiry.
pub(crate) fn pasetors_open(key: &SymmetricKey<V4>, value: &str) -> Option<Auth> {
    let untrusted = UntrustedToken::<Local, V4>::try_from(value).ok()?;
    let trusted = version4::LocalToken::decrypt(key, &untrusted, None, Some(IMPLICIT)).ok()?;
    let payload: Payload = serde_json::from_str(trusted.payload()).ok()?;
    let exp =
        time::OffsetDateTime::parse(&payload.exp, &time::format_description::well_known::Rfc3339)
            .ok()?;
    let valid = payload.pur == "session"
        && payload.cky == "session"
        && exp > time::OffsetDateTime::now_utc();
    valid.then_some(payload.dat)
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

async fn read_session(session: Session<Auth>) -> String {
    session.user.clone()
}

async fn change_session(mut session: Session<Auth>) -> String {
    session.roles.push("editor".into());
    session.user.clone()
}

async fn by_hand(State(key): State<SymmetricKey<V4>>, headers: HeaderMap) -> Response {
    let auth = cookie_value(&headers, "session")
        .and_then(|value| pasetors_open(&key, value))
        .unwrap_or_default();
    auth.user.into_response()
}

/// Our session handlers (`/` reads, `/change` changes) behind `SessionLayer`, and the reference
/// at `/`.
pub(crate) fn routers(f: &Fixture) -> (Router, Router) {
    let ours = Router::new()
        .route("/", get(read_session))
        .route("/change", get(change_session))
        .layer(SessionLayer::new(f.keys.clone()));
    let reference = Router::new()
        .route("/", get(by_hand))
        .with_state(f.pasetors_key.clone());
    (ours, reference)
}
