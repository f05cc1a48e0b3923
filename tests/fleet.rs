//! A fleet: two instances of the `token_api` example, each a real HTTP server on loopback with
//! its own Redis connection, sharing one real `redis-server` — and what the server does to them:
//! a logout on one is refused by the other, one refresh token raced on both gives one pair, and
//! with the server frozen (`SIGSTOP`), killed, and restarted empty, no revoked token is accepted
//! and no answer is a 5xx other than 503. A probe asks both instances with revoked tokens all
//! along, to catch a single acceptance.

#[path = "../examples/token_api.rs"]
#[allow(dead_code)]
mod example;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use paseto_auth::store::Revocations;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use support::redis::OwnRedis;
use support::setup;

/// One instance: its origin, and the client that speaks to it.
#[derive(Clone)]
struct Instance {
    origin: String,
    client: Client<HttpConnector, Body>,
}

impl Instance {
    /// `method path` with a bearer token and a JSON body: the status and the body.
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.origin))
            .header(CONTENT_TYPE, "application/json");
        if !token.is_empty() {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = if body.is_null() {
            Body::empty()
        } else {
            Body::from(body.to_string())
        };
        let response = self
            .client
            .request(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn me(&self, token: &str) -> StatusCode {
        self.call(Method::GET, "/protected/me", token, Value::Null)
            .await
            .0
    }

    async fn logout(&self, token: &str) -> StatusCode {
        self.call(Method::POST, "/logout", token, Value::Null)
            .await
            .0
    }

    async fn refresh(&self, refresh_token: &str) -> (StatusCode, Value) {
        let body = json!({ "refresh_token": refresh_token });
        self.call(Method::POST, "/token/refresh", "", body).await
    }

    /// Logs in: (access token, refresh token).
    async fn login(&self) -> (String, String) {
        let body = json!({"email": "foo@example.com", "password": "mysecret"});
        let (status, pair) = self.call(Method::POST, "/login", "", body).await;
        assert_eq!(status, StatusCode::OK, "{pair}");
        let text = |name: &str| pair[name].as_str().unwrap().to_owned();
        (text("access_token"), text("refresh_token"))
    }
}

/// Starts an instance of the example on `redis`, with the same keys as every other.
async fn instance(keys: &support::Setup, redis: &OwnRedis) -> Instance {
    // A store in service since before the test: its marker is old.
    let store = support::redis::with_history(&redis.url(), "paseto-auth:").await;
    let revocations = Revocations::new(store).timeout(Duration::from_millis(200));
    let state = example::state(keys.issuer.clone(), keys.verifier.clone(), revocations).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, example::app(state)).await.unwrap() });
    let client = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    Instance { origin, client }
}

/// Every status any request got, to check that none was a 5xx but 503.
#[derive(Default)]
struct Seen(Mutex<Vec<StatusCode>>);

impl Seen {
    async fn note(&self, status: StatusCode) -> StatusCode {
        self.0.lock().await.push(status);
        status
    }

    async fn assert_no_5xx_but_503(&self) {
        let seen = self.0.lock().await;
        let bad: Vec<_> = seen
            .iter()
            .filter(|s| s.is_server_error() && **s != StatusCode::SERVICE_UNAVAILABLE)
            .collect();
        assert!(bad.is_empty(), "5xx other than 503: {bad:?}");
    }
}

/// Asks both instances with `revoked` tokens until told to stop; counts acceptances.
fn probe(
    fleet: [Instance; 2],
    revoked: Arc<Mutex<Vec<String>>>,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
) -> (tokio::task::JoinHandle<()>, Arc<AtomicUsize>) {
    let accepted = Arc::new(AtomicUsize::new(0));
    let counted = accepted.clone();
    let task = tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            let tokens = revoked.lock().await.clone();
            for token in &tokens {
                for instance in &fleet {
                    let status = seen.note(instance.me(token).await).await;
                    if status == StatusCode::OK {
                        counted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    (task, accepted)
}

/// Waits until `instance` answers `token` with `expected` (the store is back), for at most ten
/// seconds.
async fn until_answers(instance: &Instance, token: &str, expected: StatusCode, seen: &Seen) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if seen.note(instance.me(token).await).await == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no {expected} from {}",
            instance.origin
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_redis_through_a_freeze_a_kill_and_an_empty_restart() {
    let Some(mut redis) = OwnRedis::start() else {
        return;
    };
    let keys = setup(paseto_auth::Version::V4);
    let (a, b) = (instance(&keys, &redis).await, instance(&keys, &redis).await);
    let seen = Arc::new(Seen::default());

    // A logout on one instance is refused by the other.
    let (first, _) = a.login().await;
    assert_eq!(seen.note(b.me(&first).await).await, StatusCode::OK);
    assert_eq!(
        seen.note(a.logout(&first).await).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        seen.note(b.me(&first).await).await,
        StatusCode::UNAUTHORIZED
    );
    let revoked = Arc::new(Mutex::new(vec![first]));
    let stop = Arc::new(AtomicBool::new(false));
    let (prober, accepted) = probe(
        [a.clone(), b.clone()],
        revoked.clone(),
        seen.clone(),
        stop.clone(),
    );

    // One refresh token raced on both instances: one pair, the same in every answer, and the
    // login goes on.
    let (_, refresh_token) = b.login().await;
    let attempts: Vec<_> = (0..16)
        .map(|i| {
            let (instance, token) = (
                if i % 2 == 0 { a.clone() } else { b.clone() },
                refresh_token.clone(),
            );
            tokio::spawn(async move { instance.refresh(&token).await })
        })
        .collect();
    let mut pairs = Vec::new();
    for attempt in attempts {
        let (status, pair) = attempt.await.unwrap();
        assert_eq!(seen.note(status).await, StatusCode::OK, "{pair}");
        pairs.push(pair);
    }
    assert!(
        pairs.windows(2).all(|two| two[0] == two[1]),
        "more than one pair"
    );
    let renewed = pairs[0]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(seen.note(a.me(&renewed).await).await, StatusCode::OK);

    // Frozen (SIGSTOP): every answer that needs the store is a 503 within the timeout, never a
    // revoked token's 200; thawed, the instances recover without a restart.
    let (live, _) = a.login().await;
    let (logged_out, _) = b.login().await;
    assert_eq!(
        seen.note(b.logout(&logged_out).await).await,
        StatusCode::NO_CONTENT
    );
    revoked.lock().await.push(logged_out.clone());
    redis.freeze();
    for instance in [&a, &b] {
        for token in [&live, &logged_out] {
            let started = Instant::now();
            assert_eq!(
                seen.note(instance.me(token).await).await,
                StatusCode::SERVICE_UNAVAILABLE
            );
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{:?}",
                started.elapsed()
            );
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.thaw();
    for instance in [&a, &b] {
        until_answers(instance, &live, StatusCode::OK, &seen).await;
        assert_eq!(
            seen.note(instance.me(&logged_out).await).await,
            StatusCode::UNAUTHORIZED
        );
    }

    // Killed: 503s while it is down. Restarted empty (no persistence): every revoked token is
    // still refused, and so are the tokens issued before the restart (their users log in again);
    // new logins work across the fleet, and so do their logouts.
    redis.stop();
    for instance in [&a, &b] {
        assert_eq!(
            seen.note(instance.me(&live).await).await,
            StatusCode::SERVICE_UNAVAILABLE
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis.resume();
    for instance in [&a, &b] {
        until_answers(instance, &live, StatusCode::UNAUTHORIZED, &seen).await;
        for token in revoked.lock().await.iter() {
            assert_eq!(
                seen.note(instance.me(token).await).await,
                StatusCode::UNAUTHORIZED
            );
        }
    }
    tokio::time::sleep(Duration::from_millis(1100)).await; // a login in a later second than the reset
    let (after, _) = a.login().await;
    assert_eq!(seen.note(b.me(&after).await).await, StatusCode::OK);
    assert_eq!(
        seen.note(b.logout(&after).await).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        seen.note(a.me(&after).await).await,
        StatusCode::UNAUTHORIZED
    );

    stop.store(true, Ordering::Relaxed);
    prober.await.unwrap();
    assert_eq!(
        accepted.load(Ordering::Relaxed),
        0,
        "a revoked token was accepted"
    );
    seen.assert_no_5xx_but_503().await;
}
