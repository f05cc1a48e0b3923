//! Published and fetched key sets (#15): an issuer and a verifier in one test, the issuer's key
//! set served by a real axum server on 127.0.0.1. Rotation without a restart, one fetch per gap
//! for unknown key ids, the last good set kept while the server is down, untrusted issuers,
//! oversized and slow documents, hostile documents. Times are a hand-moved clock; fetches are
//! counted by the server.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONNECTION, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use paseto_auth::extract::PasetoAuth;
use paseto_auth::key::{KeyRing, SecretKey, VerificationKey};
use paseto_auth::keyset::KeySetError;
use paseto_auth::keyset::{
    Clock, DEFAULT_PATH, DocumentLimits, KeySetDocument, KeySetPublisher, KeySetSource,
    KeySetSourceBuilder, KeyStatus, PublishedKey,
};
use paseto_auth::{Error, ErrorKind, Issuer, Verifier, Version};
use serde_json::json;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tower::ServiceExt;

const ISS: &str = "https://issuer.example";
const GAP: Duration = Duration::from_secs(10);
const GRACE: Duration = Duration::from_secs(3600);

/// A clock moved by hand.
#[derive(Default)]
struct TestClock(AtomicU64);

impl TestClock {
    fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn elapsed(&self) -> Duration {
        Duration::from_millis(self.0.load(Ordering::SeqCst))
    }
}

/// The issuer's key-set server: a real axum server serving the publisher's document, counting
/// the requests it answers (200s and 304s apart), closing each connection after its answer so
/// that stopping it stops every answer.
struct KeyServer {
    url: String,
    publisher: KeySetPublisher,
    full: Arc<AtomicUsize>,
    not_modified: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl KeyServer {
    async fn start(document: KeySetDocument) -> Self {
        let publisher = KeySetPublisher::new(document);
        let full = Arc::new(AtomicUsize::new(0));
        let not_modified = Arc::new(AtomicUsize::new(0));
        let (p, f, n) = (publisher.clone(), full.clone(), not_modified.clone());
        let app = Router::new().route(
            DEFAULT_PATH,
            get(move |headers: HeaderMap| async move {
                let mut response = p.respond(&headers);
                let counter = if response.status() == StatusCode::NOT_MODIFIED {
                    &n
                } else {
                    &f
                };
                counter.fetch_add(1, Ordering::SeqCst);
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
                response
            }),
        );
        let (url, task) = serve(app).await;
        KeyServer {
            url: format!("{url}{DEFAULT_PATH}"),
            publisher,
            full,
            not_modified,
            task,
        }
    }

    /// Full answers and 304s so far.
    fn counts(&self) -> (usize, usize) {
        (
            self.full.load(Ordering::SeqCst),
            self.not_modified.load(Ordering::SeqCst),
        )
    }

    fn stop(&self) {
        self.task.abort();
    }
}

/// Serves `app` on 127.0.0.1:0; its base URL and task.
async fn serve(app: Router) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}"), task)
}

fn key() -> SecretKey {
    SecretKey::generate(Version::V4).unwrap()
}

fn published(key: &SecretKey, iss: &str, status: KeyStatus) -> PublishedKey {
    PublishedKey::new(key.public_key().clone(), iss, status)
}

fn document(keys: &[PublishedKey]) -> KeySetDocument {
    let mut document = KeySetDocument::new();
    for key in keys {
        document.add(key.clone()).unwrap();
    }
    document
}

fn issuer_of(ring: KeyRing<paseto_auth::key::SigningKey>) -> Issuer {
    let mut builder = Issuer::builder().issuer(ISS);
    for entry in ring.iter() {
        builder = builder.key(entry.key.clone());
    }
    builder.build().unwrap()
}

fn source(url: &str, clock: &Arc<TestClock>) -> KeySetSourceBuilder {
    KeySetSource::builder(url, ISS)
        .allow_http(true)
        .refresh(Duration::from_secs(3600))
        .min_fetch_gap(GAP)
        .max_staleness(Duration::from_secs(24 * 3600))
        .timeout(Duration::from_secs(5))
        .clock(clock.clone())
}

fn token(issuer: &Issuer) -> String {
    issuer.issue(&json!({"user": "alice"})).unwrap()
}

fn kind(verifier: &Verifier, token: &str) -> Option<ErrorKind> {
    verifier
        .verify::<serde_json::Value>(token)
        .err()
        .map(|e| e.kind())
}

/// Waits until the source has finished `fetches` fetches.
async fn fetched(source: &KeySetSource, fetches: u64) {
    source
        .subscribe()
        .wait_for(|report| report.fetches >= fetches)
        .await
        .unwrap();
    assert_eq!(source.report().fetches, fetches);
}

#[tokio::test]
async fn an_issuer_rotates_next_active_retired_and_the_verifier_follows_without_a_restart() {
    let (old, new) = (key(), key());
    let secrets = [old.clone(), new.clone()];
    let mut doc = document(&[
        published(&old, ISS, KeyStatus::Active),
        published(&new, ISS, KeyStatus::Next),
    ]);
    let issuer = issuer_of(doc.signing_ring(&secrets).unwrap());
    let server = KeyServer::start(doc.clone()).await;
    let clock = Arc::new(TestClock::default());
    let source = source(&server.url, &clock)
        .start(Verifier::builder())
        .await
        .unwrap();
    let verifier = source.verifier();
    assert_eq!(server.counts(), (1, 0));

    // Signed with the active key; verified twice, so the second comes from the cache.
    let before = token(&issuer);
    assert_eq!(kind(&verifier, &before), None);
    assert_eq!(kind(&verifier, &before), None);
    assert_eq!(kind(&verifier, &before), None);
    assert_eq!(verifier.cache_stats().unwrap().hits, 1);

    // The switch: next → active, active → retired. The verifier already knows the next key, so
    // the first token signed with it passes before any fetch.
    let now = OffsetDateTime::now_utc();
    doc.activate(new.public_key().id(), now, GRACE).unwrap();
    issuer
        .replace_keys(doc.signing_ring(&secrets).unwrap())
        .unwrap();
    server.publisher.replace(doc.clone());
    let after = token(&issuer);
    assert!(after.contains(".public."));
    assert_eq!(kind(&verifier, &after), None);
    assert_eq!(server.counts(), (1, 0));

    // The refresh brings the new document; the retired key still verifies its tokens (grace).
    source.refresh_now().await.unwrap();
    assert_eq!(server.counts(), (2, 0));
    assert_eq!(source.report().updated, 2);
    assert_eq!(kind(&verifier, &before), None);
    assert_eq!(kind(&verifier, &after), None);
    // Nothing changed: a conditional request, answered 304.
    source.refresh_now().await.unwrap();
    assert_eq!(server.counts(), (2, 1));
    assert_eq!(source.report().unchanged, 1);

    // The retired key leaves the document: its tokens are refused at once, cached or not.
    assert_eq!(doc.prune(now + GRACE + Duration::from_secs(1)), 1);
    server.publisher.replace(doc.clone());
    source.refresh_now().await.unwrap();
    assert_eq!(server.counts(), (3, 1));
    assert_eq!(kind(&verifier, &before), Some(ErrorKind::UNKNOWN_KEY_ID));
    assert_eq!(kind(&verifier, &after), None);
    assert_eq!(verifier.keys().len(), 1);

    // A key added to the document without a refresh: the first token naming it is refused and
    // asks for a fetch (the gap has passed); once fetched, it passes.
    let third = key();
    doc.add(published(&third, ISS, KeyStatus::Active)).unwrap();
    server.publisher.replace(doc.clone());
    let third_issuer = Issuer::builder().issuer(ISS).key(third).build().unwrap();
    let surprise = token(&third_issuer);
    clock.advance(GAP);
    assert_eq!(kind(&verifier, &surprise), Some(ErrorKind::UNKNOWN_KEY_ID));
    assert_eq!(source.report().triggered, 1);
    fetched(&source, 5).await;
    assert_eq!(server.counts(), (4, 1));
    assert_eq!(kind(&verifier, &surprise), None);
    source.stop();
}

#[tokio::test]
async fn a_flood_of_unknown_key_ids_causes_one_fetch_per_gap() {
    let known = key();
    let server = KeyServer::start(document(&[published(&known, ISS, KeyStatus::Active)])).await;
    let clock = Arc::new(TestClock::default());
    let source = source(&server.url, &clock)
        .start(Verifier::builder())
        .await
        .unwrap();
    let verifier = source.verifier();
    let strangers: Vec<String> = (0..5)
        .map(|_| token(&Issuer::builder().issuer(ISS).key(key()).build().unwrap()))
        .collect();
    let flood = |verifier: &Verifier| {
        for _ in 0..40 {
            for token in &strangers {
                assert_eq!(kind(verifier, token), Some(ErrorKind::UNKNOWN_KEY_ID));
            }
        }
    };

    // Within the gap after the start: no fetch at all.
    flood(&verifier);
    assert_eq!(source.report().triggered, 0);
    clock.advance(GAP);
    flood(&verifier);
    assert_eq!(source.report().triggered, 1);
    fetched(&source, 2).await;
    assert_eq!(server.counts(), (1, 1));

    // Just short of the next gap: still one.
    clock.advance(GAP - Duration::from_millis(1));
    flood(&verifier);
    assert_eq!(source.report().triggered, 1);
    clock.advance(Duration::from_millis(1));
    flood(&verifier);
    assert_eq!(source.report().triggered, 2);
    fetched(&source, 3).await;
    assert_eq!(server.counts(), (1, 2));
    source.stop();
}

#[tokio::test]
async fn a_server_down_keeps_the_last_good_set_until_the_maximum_staleness() {
    let known = key();
    let issuer = Issuer::builder()
        .issuer(ISS)
        .key(known.clone())
        .build()
        .unwrap();
    let server = KeyServer::start(document(&[published(&known, ISS, KeyStatus::Active)])).await;
    let clock = Arc::new(TestClock::default());
    let source = source(&server.url, &clock)
        .max_staleness(Duration::from_secs(7200))
        .start(Verifier::builder())
        .await
        .unwrap();
    let verifier = source.verifier();
    let token = token(&issuer);
    assert_eq!(kind(&verifier, &token), None);

    server.stop();
    clock.advance(Duration::from_secs(3600));
    let err = source.refresh_now().await.unwrap_err();
    assert!(
        matches!(err, Error::KeySet(KeySetError::Unreachable(_))),
        "{err:?}"
    );
    assert_eq!(kind(&verifier, &token), None);
    let report = source.report();
    assert_eq!((report.failed, report.stale), (1, false));

    // Past the maximum staleness the key set's keys go: tokens are refused, not trusted for ever.
    clock.advance(Duration::from_secs(3601));
    source.refresh_now().await.unwrap_err();
    let report = source.report();
    assert_eq!((report.failed, report.stale), (2, true));
    assert_eq!(kind(&verifier, &token), Some(ErrorKind::NO_KEY));
    assert!(verifier.keys().is_empty());
    source.stop();
}

#[tokio::test]
async fn a_document_claiming_an_issuer_not_trusted_for_its_url_is_refused() {
    let (good, evil) = (key(), key());
    let server = KeyServer::start(document(&[published(
        &evil,
        "https://evil.example",
        KeyStatus::Active,
    )]))
    .await;
    let clock = Arc::new(TestClock::default());
    let err = source(&server.url, &clock)
        .start(Verifier::builder())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "key set: key 0 claims issuer \"https://evil.example\", which is not trusted for this URL"
    );

    // Mid-run: the whole document is refused, the last good one stays.
    server
        .publisher
        .replace(document(&[published(&good, ISS, KeyStatus::Active)]));
    let source = source(&server.url, &clock)
        .start(Verifier::builder())
        .await
        .unwrap();
    let verifier = source.verifier();
    server.publisher.replace(document(&[
        published(&good, ISS, KeyStatus::Active),
        published(&evil, "https://evil.example", KeyStatus::Active),
    ]));
    let err = source.refresh_now().await.unwrap_err();
    assert!(matches!(
        err,
        Error::KeySet(KeySetError::UntrustedIssuer { index: 1, .. })
    ));
    let evil_token = token(
        &Issuer::builder()
            .issuer("https://evil.example")
            .key(evil)
            .build()
            .unwrap(),
    );
    let good_token = token(&Issuer::builder().issuer(ISS).key(good).build().unwrap());
    assert_eq!(kind(&verifier, &good_token), None);
    assert_eq!(
        kind(&verifier, &evil_token),
        Some(ErrorKind::UNKNOWN_KEY_ID)
    );
    assert_eq!(verifier.keys().len(), 1);
    source.stop();
}

/// A raw HTTP/1.1 server that answers each connection with `head`, then `body` chunks for ever
/// (or, with no body, keeps the connection open without a word more).
async fn raw_server(head: &'static str, chunk: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                match chunk {
                    Some(chunk) => {
                        let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
                        while socket.write_all(framed.as_bytes()).await.is_ok() {}
                    }
                    None => std::future::pending::<()>().await,
                }
            });
        }
    });
    format!("http://{addr}{DEFAULT_PATH}")
}

#[tokio::test]
async fn oversized_and_slow_documents_are_cut_off() {
    let clock = Arc::new(TestClock::default());
    let limit = 64 * 1024;

    // Announced as too large (Content-Length).
    let big = "x".repeat(limit + 1);
    let app = Router::new().route(DEFAULT_PATH, get(move || async move { big.clone() }));
    let (url, _task) = serve(app).await;
    let err = source(&format!("{url}{DEFAULT_PATH}"), &clock)
        .max_bytes(limit)
        .start(Verifier::builder())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::KeySet(KeySetError::TooLarge { limit: l }) if l == limit));

    // Never-ending chunks: cut off at the limit.
    let url = raw_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        Some("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
    )
    .await;
    let err = source(&url, &clock)
        .max_bytes(limit)
        .start(Verifier::builder())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::KeySet(KeySetError::TooLarge { limit: l }) if l == limit));

    // Headers that never come (an axum handler that never answers), and a body that never
    // ends: both cut off by the time limit.
    let app = Router::new().route(
        DEFAULT_PATH,
        get(|| async {
            std::future::pending::<()>().await;
            "never"
        }),
    );
    let (url, _task) = serve(app).await;
    let timeout = Duration::from_millis(300);
    for url in [
        format!("{url}{DEFAULT_PATH}"),
        raw_server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{", None).await,
    ] {
        let err = source(&url, &clock)
            .timeout(timeout)
            .start(Verifier::builder())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::KeySet(KeySetError::Timeout(t)) if t == timeout),
            "{url}: {err:?}"
        );
    }
}

#[tokio::test]
async fn plain_http_and_missing_issuers_are_setup_errors_naming_the_setting() {
    let clock = Arc::new(TestClock::default());
    let err = source("http://127.0.0.1:1/.well-known/paserk.json", &clock)
        .allow_http(false)
        .start(Verifier::builder())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config { setting, .. } if setting == "PASETO_KEYSET_ALLOW_HTTP"));
    let err = source("ftp://issuer.example/keys", &clock)
        .start(Verifier::builder())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid setting PASETO_KEYSET_URL: scheme ftp is not https; see \
         https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#paseto_keyset_url"
    );
}

/// Found by the `keyset` fuzz target (fuzz/corpus/keyset holds the input): a document whose
/// times are at the edges of RFC 3339 was read, and then `to_json` (what the publisher serves and
/// `paseto-auth keyset … --write` writes back) panicked on `not_before` in year 10000 in UTC, or
/// wrote an empty `not_after` for year -1, which no reader accepts.
#[test]
fn a_document_at_the_edges_of_rfc3339_is_written_out_and_read_back() {
    let key = key();
    let text = json!({"version": 1, "keys": [{
        "paserk": key.public_key().to_paserk(),
        "pid": key.public_key().id().as_str(),
        "iss": ISS,
        "status": "retired",
        "not_before": "0000-01-01T00:00:00+01:00",
        "not_after": "9999-12-31T23:59:59-01:00",
    }]})
    .to_string();
    let document = KeySetDocument::parse(text.as_bytes(), &DocumentLimits::default()).unwrap();
    let written = document.to_json();
    assert!(
        written.contains(r#""not_after": "9999-12-31T23:59:59-01:00""#),
        "{written}"
    );
    let again = KeySetDocument::parse(written.as_bytes(), &DocumentLimits::default()).unwrap();
    assert_eq!(again, document);
}

#[test]
fn hostile_documents_get_typed_errors() {
    let limits = DocumentLimits::default();
    let parse = |text: &str| KeySetDocument::parse(text.as_bytes(), &limits).unwrap_err();
    let key = key();
    let paserk = key.public_key().to_paserk();
    let pid = key.public_key().id().to_string();
    let entry = |paserk: &str, pid: &str| json!({"paserk": paserk, "pid": pid, "iss": ISS, "status": "active"});

    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(
        parse(&deep),
        Error::KeySet(KeySetError::Malformed(_))
    ));
    let deep_keys = format!(
        r#"{{"version": 1, "keys": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(matches!(
        parse(&deep_keys),
        Error::KeySet(KeySetError::Malformed(_))
    ));
    // Deep nesting in a field nobody reads is skipped without recursion: harmless.
    let deep_field = format!(
        r#"{{"version": 1, "keys": [], "x": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(
        KeySetDocument::parse(deep_field.as_bytes(), &limits)
            .unwrap()
            .is_empty()
    );
    let huge = format!(
        r#"{{"version": 1, "keys": [], "pad": "{}"}}"#,
        "x".repeat(70_000)
    );
    assert!(matches!(
        parse(&huge),
        Error::KeySet(KeySetError::TooLarge { limit: 65536 })
    ));

    let err = parse(&json!({"version": 2, "keys": []}).to_string());
    assert_eq!(
        err.to_string(),
        "key set: unsupported key-set format version 2"
    );
    let err = parse(&json!({"version": "1\n", "keys": []}).to_string());
    assert_eq!(
        err.to_string(),
        "key set: unsupported key-set format version \\\"1\\\\n\\\""
    );

    let secret = key.to_paserk();
    let err = parse(&json!({"version": 1, "keys": [entry(&secret, &pid)]}).to_string());
    assert_eq!(
        err.to_string(),
        "key set: key 0: `paserk` is not a public key (kN.public.…): a key set publishes public keys only"
    );
    assert!(!err.to_string().contains(secret.as_str()));
    let err = parse(&json!({"version": 1, "keys": [entry("k4.public.AAAA", &pid)]}).to_string());
    assert!(matches!(
        err,
        Error::KeySet(KeySetError::InvalidKey { index: 0, .. })
    ));
    let other = SecretKey::generate(Version::V4).unwrap();
    let err = parse(
        &json!({"version": 1, "keys": [entry(&paserk, other.public_key().id().as_str())]})
            .to_string(),
    );
    assert_eq!(
        err.to_string(),
        "key set: key 0: `pid` is not the id of the key in `paserk`"
    );
    let v3 = SecretKey::generate(Version::V3).unwrap();
    let err = parse(
        &json!({"version": 1, "keys": [entry(&v3.public_key().to_paserk(), &pid)]}).to_string(),
    );
    assert_eq!(
        err.to_string(),
        "key set: key 0: `pid` is not the id of the key in `paserk`"
    );
    let err = parse(
        &json!({"version": 1, "keys": [entry(&paserk, &pid), entry(&paserk, &pid)]}).to_string(),
    );
    assert_eq!(
        err.to_string(),
        format!("key set: key id {pid} is listed twice")
    );
    let err = parse(
        &json!({"version": 1, "keys": [{"paserk": paserk, "pid": pid, "iss": ISS, "status": "revoked\u{1b}"}]})
            .to_string(),
    );
    assert!(matches!(err, Error::KeySet(KeySetError::Malformed(ref m)) if !m.contains('\u{1b}')));
    let err = parse(
        &json!({"version": 1, "keys": [{"paserk": paserk, "pid": pid, "iss": ISS, "status": "active",
            "not_before": "2030-01-01T00:00:00Z", "not_after": "2020-01-01T00:00:00Z"}]})
        .to_string(),
    );
    assert_eq!(
        err.to_string(),
        "key set: key 0: `not_after` is before `not_before`"
    );
    let many: Vec<_> = (0..65).map(|_| entry(&paserk, &pid)).collect();
    let err = parse(&json!({"version": 1, "keys": many}).to_string());
    assert!(matches!(
        err,
        Error::KeySet(KeySetError::TooManyKeys {
            count: 65,
            limit: 64
        })
    ));

    // What is accepted: unknown fields ignored, times read.
    let read = KeySetDocument::parse(
        json!({"version": 1, "later": true, "keys": [{"paserk": paserk, "pid": pid, "iss": ISS,
            "status": "retired", "not_after": "2030-01-01T00:00:00Z", "comment": "x"}]})
        .to_string()
        .as_bytes(),
        &limits,
    )
    .unwrap();
    assert_eq!(read.keys()[0].status, KeyStatus::Retired);
    assert_eq!(
        read.keys()[0].not_after.unwrap().unix_timestamp(),
        1_893_456_000
    );
}

#[tokio::test]
async fn the_published_document_carries_cache_control_and_an_etag_and_answers_304() {
    let key = key();
    let publisher = KeySetPublisher::new(document(&[published(&key, ISS, KeyStatus::Active)]));
    let app: Router = publisher.router(DEFAULT_PATH);
    let get = |etag: Option<&str>| {
        let mut request = Request::get(DEFAULT_PATH);
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        request.body(Body::empty()).unwrap()
    };
    let response = app.clone().oneshot(get(None)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=300");
    let etag = response.headers()[ETAG].to_str().unwrap().to_owned();
    assert_eq!(etag, publisher.etag());
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let read = KeySetDocument::parse(&body, &DocumentLimits::default()).unwrap();
    assert_eq!(read, *publisher.document());
    let text: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(text["version"], 1);
    assert_eq!(text["keys"][0]["pid"], key.public_key().id().as_str());
    assert_eq!(text["keys"][0]["status"], "active");

    let response = app.clone().oneshot(get(Some(&etag))).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(response.headers()[ETAG], etag.as_str());
    publisher.replace(document(&[published(&key, ISS, KeyStatus::Retired)]));
    let response = app.oneshot(get(Some(&etag))).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_ne!(response.headers()[ETAG], etag.as_str());
}

#[tokio::test]
async fn paseto_auth_reload_swaps_the_ring_for_every_clone() {
    let (old, new) = (key(), key());
    let verifier = Verifier::builder()
        .public_key(old.public_key().clone(), ISS)
        .build()
        .unwrap();
    let auth = PasetoAuth::new(verifier);
    let clone = auth.clone();
    let old_token = token(&Issuer::builder().issuer(ISS).key(old).build().unwrap());
    let new_token = token(
        &Issuer::builder()
            .issuer(ISS)
            .key(new.clone())
            .build()
            .unwrap(),
    );
    assert_eq!(kind(clone.verifier(), &old_token), None);
    assert_eq!(kind(clone.verifier(), &old_token), None);

    let ring: KeyRing<VerificationKey> =
        KeyRing::new().with_bound_key(new.public_key().clone(), ISS);
    auth.reload(ring).unwrap();
    assert_eq!(clone.verifier().key_generation(), 1);
    assert_eq!(
        kind(clone.verifier(), &old_token),
        Some(ErrorKind::UNKNOWN_KEY_ID)
    );
    assert_eq!(kind(clone.verifier(), &new_token), None);
    // An empty ring is refused and the current one kept.
    assert!(matches!(auth.reload(KeyRing::new()), Err(Error::Setup(_))));
    assert_eq!(kind(clone.verifier(), &new_token), None);
    let _ = StatusCode::OK.into_response();
}

#[tokio::test]
async fn refresh_tokens_follow_a_rotation_when_given_the_key_sets_ring() {
    use paseto_auth::PairOptions;
    use paseto_auth::refresh::RefreshTokens;
    use paseto_auth::store::{MemoryStore, Revocations};

    let (old, new) = (key(), key());
    let secrets = [old.clone(), new.clone()];
    let mut doc = document(&[
        published(&old, ISS, KeyStatus::Active),
        published(&new, ISS, KeyStatus::Next),
    ]);
    let issuer = issuer_of(doc.signing_ring(&secrets).unwrap());
    let refresh = RefreshTokens::new(issuer.clone(), Revocations::new(MemoryStore::new())).unwrap();
    // One built the same way that is not told of the rotation.
    let stale = RefreshTokens::new(issuer.clone(), Revocations::new(MemoryStore::new())).unwrap();
    let options = || PairOptions::new().subject("alice");
    let before = issuer.issue_pair(&json!({}), options()).unwrap();

    // The rotation: the new key signs, the old one verifies until its grace ends.
    doc.activate(new.public_key().id(), OffsetDateTime::now_utc(), GRACE)
        .unwrap();
    issuer
        .replace_keys(doc.signing_ring(&secrets).unwrap())
        .unwrap();
    let ring = doc
        .verification_ring(&[ISS.to_owned()], &[Version::V4])
        .unwrap();
    refresh.replace_keys(ring).unwrap();
    let after = issuer.issue_pair(&json!({}), options()).unwrap();
    let new_pid = format!("\"kid\":\"{}\"", new.public_key().id().as_str());
    let footer = |token: &str| {
        let token = paseto_auth::token::UntrustedToken::parse(token, 8192).unwrap();
        String::from_utf8(token.untrusted_footer().to_vec()).unwrap()
    };
    assert!(footer(&after.refresh_token).contains(&new_pid));

    // A refresh token of the retired key still refreshes, into a pair of the new key; one of
    // the new key refreshes too.
    let renewed = refresh.refresh(&before.refresh_token).await.unwrap();
    assert!(footer(&renewed.refresh_token).contains(&new_pid));
    refresh.refresh(&after.refresh_token).await.unwrap();
    // Not told of the rotation, the new key's refresh tokens are unknown to it.
    let err = stale.refresh(&renewed.refresh_token).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UNKNOWN_KEY_ID);
}
