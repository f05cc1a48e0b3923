//! Publishing a key set: `GET /.well-known/paserk.json` with `Cache-Control` and an `ETag`.

use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use super::DEFAULT_MAX_AGE;
use super::KeySetDocument;
use crate::key::b64_encode;

/// The document as it is served: rendered once per change.
#[derive(Debug)]
struct Rendered {
    document: Arc<KeySetDocument>,
    body: String,
    etag: HeaderValue,
    cache_control: HeaderValue,
}

impl Rendered {
    fn new(document: KeySetDocument, max_age: Duration) -> Self {
        let body = document.to_json();
        let digest = Sha256::digest(body.as_bytes());
        // A strong validator: the document's hash, base64url (ETag-safe characters).
        let etag = HeaderValue::try_from(format!("\"{}\"", b64_encode(&digest[..16])))
            .unwrap_or(HeaderValue::from_static("\"\""));
        let cache_control = HeaderValue::try_from(format!("public, max-age={}", max_age.as_secs()))
            .unwrap_or(HeaderValue::from_static("no-cache"));
        Rendered {
            document: Arc::new(document),
            body,
            etag,
            cache_control,
        }
    }

    /// Whether `If-None-Match` names this version of the document (or `*`).
    fn matches(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == "*" || tag.as_bytes() == self.etag.as_bytes())
    }

    fn respond(&self, headers: &HeaderMap) -> Response {
        let mut response = if self.matches(headers) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = self.body.clone().into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        };
        let out = response.headers_mut();
        out.insert(ETAG, self.etag.clone());
        out.insert(CACHE_CONTROL, self.cache_control.clone());
        response
    }
}

/// Serves a key-set document, replaceable at run time (a rotation publishes the new document
/// with [`replace`](Self::replace); the `ETag` changes with it). Cheap to clone: clones serve
/// and replace the same document.
///
/// ```
/// use axum::Router;
/// use paseto_auth::keyset::{KeySetDocument, KeySetPublisher, KeyStatus, PublishedKey, DEFAULT_PATH};
/// use paseto_auth::{key::SecretKey, Version};
/// let key = SecretKey::generate(Version::V4)?;
/// let mut document = KeySetDocument::new();
/// document.add(PublishedKey::new(key.public_key().clone(), "https://issuer.example", KeyStatus::Active))?;
/// let publisher = KeySetPublisher::new(document);
/// let app: Router = Router::new().merge(publisher.router(DEFAULT_PATH));
/// # let _ = app;
/// # Ok::<(), paseto_auth::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct KeySetPublisher {
    current: Arc<ArcSwap<Rendered>>,
    max_age: Duration,
}

impl KeySetPublisher {
    /// Serves `document`, cacheable for [`DEFAULT_MAX_AGE`].
    pub fn new(document: KeySetDocument) -> Self {
        Self::with_max_age(document, DEFAULT_MAX_AGE)
    }

    /// Serves `document` with `Cache-Control: public, max-age=<max_age in seconds>`. Keep it
    /// shorter than the time between publishing a `next` key and activating it.
    pub fn with_max_age(document: KeySetDocument, max_age: Duration) -> Self {
        KeySetPublisher {
            current: Arc::new(ArcSwap::from_pointee(Rendered::new(document, max_age))),
            max_age,
        }
    }

    /// Publishes `document` in place of the current one, for every clone.
    pub fn replace(&self, document: KeySetDocument) {
        self.current
            .store(Arc::new(Rendered::new(document, self.max_age)));
    }

    /// The document served now.
    pub fn document(&self) -> Arc<KeySetDocument> {
        self.current.load().document.clone()
    }

    /// The `ETag` served now (quotes included).
    pub fn etag(&self) -> String {
        String::from_utf8_lossy(self.current.load().etag.as_bytes()).into_owned()
    }

    /// The answer to a `GET` with `headers`: 200 with the document, or 304 when
    /// `If-None-Match` names the current `ETag`; both with `ETag` and `Cache-Control`.
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        self.current.load().respond(headers)
    }

    /// A router serving the document at `path` (e.g. [`DEFAULT_PATH`](super::DEFAULT_PATH)), to merge into the
    /// application's.
    pub fn router<S: Clone + Send + Sync + 'static>(&self, path: &str) -> Router<S> {
        let publisher = self.clone();
        Router::new().route(
            path,
            get(move |headers: HeaderMap| {
                let publisher = publisher.clone();
                async move { publisher.respond(&headers) }
            }),
        )
    }
}
