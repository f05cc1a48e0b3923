//! The session layer's cost: a request through a router with `SessionLayer` whose handler reads a
//! `Session<T>`, beside a hand-written handler that finds the same cookie and decrypts it with
//! pasetors directly, in the same run; plus the bare decrypts, and a request that changes the
//! session (so it is sealed again).
//!
//! `cargo bench --bench session`

use std::hint::black_box;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use paseto_auth::Version;
use paseto_auth::key::LocalKey;
use paseto_auth::session::{Session, SessionData, SessionKeys, SessionLayer, SessionSpec};
use pasetors::Local;
use pasetors::keys::SymmetricKey;
use pasetors::token::UntrustedToken;
use pasetors::version4::{self, V4};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

const IMPLICIT: &[u8] = b"paseto-auth:session:session";

#[derive(Default, Serialize, Deserialize)]
struct Auth {
    user: String,
    roles: Vec<String>,
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

struct Fixture {
    cookie: String,
    keys: SessionKeys,
    pasetors_key: SymmetricKey<V4>,
}

/// A cookie made by the layer itself (a login), and the same key for pasetors.
fn fixture(runtime: &tokio::runtime::Runtime) -> Fixture {
    let key = LocalKey::generate(Version::V4).expect("key");
    let keys = SessionKeys::new(key.clone());
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
    let response = runtime
        .block_on(login.oneshot(request))
        .expect("infallible");
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
fn pasetors_open(key: &SymmetricKey<V4>, value: &str) -> Option<Auth> {
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

fn in_process(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let f = fixture(&runtime);
    let value = f.cookie.split_once('=').expect("pair").1.to_owned();
    let mut group = c.benchmark_group("session_open");
    group.bench_function("pasetors_by_hand", |b| {
        b.iter(|| pasetors_open(&f.pasetors_key, black_box(&value)).expect("valid"))
    });
    group.finish();
}

fn through_axum(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let f = fixture(&runtime);
    let ours = Router::new()
        .route("/", get(read_session))
        .route("/change", get(change_session))
        .layer(SessionLayer::new(f.keys.clone()));
    let reference = Router::new()
        .route("/", get(by_hand))
        .with_state(f.pasetors_key.clone());
    let request = |uri: &str| {
        Request::get(uri)
            .header(COOKIE, &f.cookie)
            .body(Body::empty())
            .expect("request")
    };
    let mut group = c.benchmark_group("session_read_end_to_end");
    for (name, router) in [("session_layer", &ours), ("pasetors_by_hand", &reference)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let response = runtime
                    .block_on(router.clone().oneshot(request("/")))
                    .expect("infallible");
                assert_eq!(response.status(), StatusCode::OK);
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("session_change_end_to_end");
    group.bench_function("session_layer_reseal", |b| {
        b.iter(|| {
            let response = runtime
                .block_on(ours.clone().oneshot(request("/change")))
                .expect("infallible");
            assert!(response.headers().contains_key("set-cookie"));
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = in_process, through_axum
}
criterion_main!(benches);
