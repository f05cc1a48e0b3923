//! Fetching a key set: a verifier key source that reads an issuer's published document over
//! HTTPS, at start, on an interval and when a token names an unknown key (rate-limited).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, ETAG, IF_NONE_MATCH};
use reqwest::{StatusCode, Url};
use sha2::{Digest, Sha256};
use tokio::sync::{Notify, watch};
use tokio::task::AbortHandle;

use super::KeySetSettings;
use super::{DocumentLimits, KeySetDocument};
use crate::key::{KeyRing, VerificationKey};
use crate::keyset::KeySetError;
use crate::{Error, Result, untrusted};
use crate::{Verifier, VerifierBuilder};

/// A monotonic clock for the fetch gap and the staleness: the time since some fixed origin.
/// The default is the system's monotonic clock; tests give one they move by hand.
pub trait Clock: Send + Sync + 'static {
    /// The time elapsed since the clock's origin (never decreasing).
    fn elapsed(&self) -> Duration;
}

/// The system's monotonic clock.
#[derive(Debug)]
struct SystemClock(Instant);

impl Clock for SystemClock {
    fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// What fetching has done so far: counts since the start, for tests, metrics and health checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Fetches finished (each outcome below counts one).
    pub fetches: u64,
    /// Fetches that brought a new document, now in force.
    pub updated: u64,
    /// Fetches answered `304 Not Modified`, or with the same document.
    pub unchanged: u64,
    /// Fetches that failed (network, status, size, time, or a refused document).
    pub failed: u64,
    /// Fetches asked for by tokens naming an unknown key (each at least the minimum gap after
    /// the previous fetch).
    pub triggered: u64,
    /// Whether the keys of the key set were dropped for being older than the maximum staleness
    /// (until a fetch succeeds again).
    pub stale: bool,
}

/// Builds a [`KeySetSource`]: where the document is, which issuers it may speak for, and how it
/// is fetched. The defaults are those of [`KeySetSettings`].
#[must_use]
pub struct KeySetSourceBuilder {
    url: String,
    issuers: Vec<String>,
    settings: KeySetSettings,
    max_keys: usize,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for KeySetSourceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySetSourceBuilder")
            .field("url", &self.url)
            .field("issuers", &self.issuers)
            .field("settings", &self.settings)
            .field("max_keys", &self.max_keys)
            .finish_non_exhaustive()
    }
}

impl KeySetSourceBuilder {
    /// Also trusts `issuer`'s keys from this URL.
    pub fn trust_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuers.push(issuer.into());
        self
    }

    /// Time between fetches (`PASETO_KEYSET_REFRESH`).
    pub fn refresh(mut self, every: Duration) -> Self {
        self.settings.refresh = every;
        self
    }

    /// The least time between two fetches that tokens naming unknown keys cause
    /// (`PASETO_KEYSET_MIN_FETCH_GAP`): a flood of made-up key ids costs one fetch per gap.
    pub fn min_fetch_gap(mut self, gap: Duration) -> Self {
        self.settings.min_fetch_gap = gap;
        self
    }

    /// How long the last good key set is kept while fetches fail (`PASETO_KEYSET_MAX_STALENESS`);
    /// past it its keys are dropped and the tokens they verified are refused.
    pub fn max_staleness(mut self, staleness: Duration) -> Self {
        self.settings.max_staleness = staleness;
        self
    }

    /// How long one fetch may take in all: connection, headers and body (`PASETO_KEYSET_TIMEOUT`).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The largest document read (`PASETO_KEYSET_MAX_BYTES`); a longer one is cut off.
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_bytes = bytes;
        self
    }

    /// The most keys a document may list.
    pub fn max_keys(mut self, keys: usize) -> Self {
        self.max_keys = keys;
        self
    }

    /// Allows a plain `http://` URL (`PASETO_KEYSET_ALLOW_HTTP`): anyone on the path could then
    /// hand the verifier their keys. For tests and a sidecar on the same host only.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.settings.allow_http = allow;
        self
    }

    /// The clock of the fetch gap and the staleness (tests move one by hand).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Fetches the document once, then builds `verifier` with its own keys (if any: keys that
    /// do not come from the key set, kept across every refresh) and the key set's, and starts
    /// the refresh task on the current tokio runtime. Fails when the settings are wrong (an
    /// error naming the setting), when there is no tokio runtime, or when the first fetch fails
    /// or its document is refused.
    pub async fn start(self, verifier: VerifierBuilder) -> Result<KeySetSource> {
        self.settings.check()?;
        let url = self.checked_url()?;
        if self.issuers.is_empty() {
            return Err(Error::config(
                "PASETO_KEYSET_ISS",
                "name the issuers whose keys the key-set URL may publish",
            ));
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            Error::Setup("a fetched key set needs a tokio runtime for its refresh task".into())
        })?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!self.settings.allow_http)
            .no_proxy()
            .connect_timeout(self.settings.timeout)
            .timeout(self.settings.timeout)
            .build()
            .map_err(|e| Error::Setup(format!("the HTTP client: {}", untrusted(e))))?;
        let base = verifier.ring();
        let versions = verifier.allowed_versions();
        let fetcher = Fetcher {
            url,
            client,
            issuers: self.issuers,
            versions,
            limits: DocumentLimits {
                max_bytes: self.settings.max_bytes,
                max_keys: self.max_keys,
            },
            timeout: self.settings.timeout,
        };
        let first = fetcher.fetch(None).await.inspect_err(log_failure)?;
        let Fetched::Document { ring, etag, hash } = first else {
            return Err(Error::KeySet(KeySetError::Status(304)));
        };
        let mut all = base.clone();
        for entry in ring.iter() {
            all.push_entry(entry.clone());
        }
        let verifier = verifier.keys_replaced(all).build()?;
        crate::metrics::keyset_fetch("updated");
        tracing::info!(url = %fetcher.url, keys = ring.len(), "key set fetched");
        let now = self.clock.elapsed();
        let shared = Arc::new(Shared {
            verifier: verifier.clone(),
            base,
            fetcher,
            settings: self.settings,
            clock: self.clock,
            last_fetch_ms: AtomicU64::new(millis(now)),
            wake: Notify::new(),
            state: tokio::sync::Mutex::new(State {
                etag,
                hash: Some(hash),
                last_success: now,
                stale: false,
            }),
            report: watch::channel(FetchReport {
                fetches: 1,
                updated: 1,
                ..FetchReport::default()
            })
            .0,
            task: Mutex::new(None),
        });
        let weak: Weak<Shared> = Arc::downgrade(&shared);
        verifier.on_unknown_key(Arc::new(move |_kid: &str| {
            if let Some(shared) = weak.upgrade() {
                shared.unknown_key();
            }
        }));
        let task = runtime.spawn(refresh_task(shared.clone()));
        *shared.task.lock().unwrap_or_else(PoisonError::into_inner) = Some(task.abort_handle());
        Ok(KeySetSource { shared })
    }

    fn checked_url(&self) -> Result<Url> {
        const URL: &str = "PASETO_KEYSET_URL";
        let url = Url::parse(&self.url)
            .map_err(|e| Error::config(URL, format!("not a URL: {}", untrusted(e))))?;
        match url.scheme() {
            "https" => Ok(url),
            "http" if self.settings.allow_http => Ok(url),
            "http" => Err(Error::config(
                "PASETO_KEYSET_ALLOW_HTTP",
                "is off, and PASETO_KEYSET_URL is plain http: use https, or allow http \
                 explicitly (tests, a sidecar on the same host)",
            )),
            other => Err(Error::config(
                URL,
                format!("scheme {} is not https", untrusted(other)),
            )),
        }
    }
}

/// A verifier's key source that follows an issuer's published key set: fetched at start, again
/// every refresh interval and (rate-limited) when a token names a key id the verifier does not
/// hold, with conditional requests (`If-None-Match`), bounded in size and time. On failure the
/// last good key set stays in force, up to the maximum staleness.
///
/// Cheap to clone. The refresh task runs until [`stop`](Self::stop) or the runtime ends.
///
/// ```no_run
/// # async fn run() -> paseto_auth::Result<()> {
/// use paseto_auth::Verifier;
/// use paseto_auth::keyset::KeySetSource;
/// let source = KeySetSource::builder(
///     "https://issuer.example/.well-known/paserk.json",
///     "https://issuer.example",
/// )
/// .start(Verifier::builder())
/// .await?;
/// let verifier = source.verifier(); // put it (or a PasetoAuth of it) in the router state
/// # let _ = verifier; Ok(()) }
/// ```
#[derive(Clone)]
pub struct KeySetSource {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for KeySetSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySetSource")
            .field("url", &self.shared.fetcher.url.as_str())
            .field("report", &self.report())
            .finish_non_exhaustive()
    }
}

impl KeySetSource {
    /// A source for the document at `url`, whose keys may speak for `issuer` (add more with
    /// [`trust_issuer`](KeySetSourceBuilder::trust_issuer)).
    pub fn builder(url: impl Into<String>, issuer: impl Into<String>) -> KeySetSourceBuilder {
        KeySetSourceBuilder {
            url: url.into(),
            issuers: vec![issuer.into()],
            settings: KeySetSettings::default(),
            max_keys: super::DEFAULT_MAX_KEYS,
            clock: Arc::new(SystemClock(Instant::now())),
        }
    }

    /// A source from [`KeySetSettings`] (`PASETO_KEYSET_URL`, `PASETO_KEYSET_ISS`, …); fails
    /// naming `PASETO_KEYSET_URL` or `PASETO_KEYSET_ISS` when one is unset.
    pub fn from_settings(settings: &KeySetSettings) -> Result<KeySetSourceBuilder> {
        let url = settings
            .url
            .clone()
            .ok_or_else(|| Error::config("PASETO_KEYSET_URL", "is not set"))?;
        if settings.issuers.is_empty() {
            return Err(Error::config(
                "PASETO_KEYSET_ISS",
                "is not set: name the issuers whose keys the key-set URL may publish",
            ));
        }
        let mut builder = KeySetSource::builder(url, settings.issuers[0].clone());
        for issuer in &settings.issuers[1..] {
            builder = builder.trust_issuer(issuer.clone());
        }
        builder.settings = settings.clone();
        Ok(builder)
    }

    /// The verifier that follows this key set (clones share its keys).
    pub fn verifier(&self) -> Verifier {
        self.shared.verifier.clone()
    }

    /// Fetches now, whatever the gap (an operator's command, a test); the result is also
    /// counted in the report.
    pub async fn refresh_now(&self) -> Result<()> {
        self.shared.refresh().await
    }

    /// What fetching has done so far.
    pub fn report(&self) -> FetchReport {
        *self.shared.report.borrow()
    }

    /// Watches the report: `changed()` resolves after each fetch.
    pub fn subscribe(&self) -> watch::Receiver<FetchReport> {
        self.shared.report.subscribe()
    }

    /// Stops the refresh task (the keys in force stay).
    pub fn stop(&self) {
        if let Some(task) = self
            .shared
            .task
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}

/// What the source's task, its handles and the verifier's hook share.
struct Shared {
    verifier: Verifier,
    /// The verifier's own keys (not from the key set), kept across refreshes.
    base: KeyRing<VerificationKey>,
    fetcher: Fetcher,
    settings: KeySetSettings,
    clock: Arc<dyn Clock>,
    /// When the last fetch began (clock milliseconds): the fetch gap counts from it.
    last_fetch_ms: AtomicU64,
    /// Wakes the refresh task for a fetch a token asked for.
    wake: Notify,
    /// Held across a fetch, so fetches never overlap.
    state: tokio::sync::Mutex<State>,
    report: watch::Sender<FetchReport>,
    task: Mutex<Option<AbortHandle>>,
}

struct State {
    etag: Option<String>,
    /// The hash of the document in force (an unchanged one is not swapped in again).
    hash: Option<[u8; 32]>,
    /// When a fetch last succeeded.
    last_success: Duration,
    stale: bool,
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl Shared {
    /// A token named a key the verifier does not hold: asks the task for a fetch, unless one
    /// began less than the minimum gap ago. Runs on the request's thread; never waits.
    fn unknown_key(&self) {
        let now = millis(self.clock.elapsed());
        let gap = millis(self.settings.min_fetch_gap);
        let last = self.last_fetch_ms.load(Ordering::Acquire);
        let due = now.saturating_sub(last) >= gap;
        if due
            && self
                .last_fetch_ms
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            crate::metrics::keyset_unknown_key(true);
            self.report.send_modify(|report| report.triggered += 1);
            self.wake.notify_one();
        } else {
            crate::metrics::keyset_unknown_key(false);
        }
    }

    /// One fetch, its outcome applied and reported.
    async fn refresh(&self) -> Result<()> {
        let mut state = self.state.lock().await;
        let outcome = self.fetcher.fetch(state.etag.as_deref()).await;
        let now = self.clock.elapsed();
        let applied = match outcome {
            Ok(Fetched::NotModified) => Ok(false),
            Ok(Fetched::Document { hash, .. }) if state.hash == Some(hash) && !state.stale => {
                Ok(false)
            }
            Ok(Fetched::Document { ring, etag, hash }) => {
                let mut all = self.base.clone();
                for entry in ring.iter() {
                    all.push_entry(entry.clone());
                }
                self.verifier.swap_keys(all).map(|()| {
                    tracing::info!(url = %self.fetcher.url, keys = ring.len(), "key set updated");
                    state.etag = etag;
                    state.hash = Some(hash);
                    true
                })
            }
            Err(err) => Err(err),
        };
        match &applied {
            Ok(updated) => {
                state.last_success = now;
                state.stale = false;
                crate::metrics::keyset_fetch(if *updated { "updated" } else { "unchanged" });
                self.report.send_modify(|report| {
                    report.fetches += 1;
                    report.stale = false;
                    if *updated {
                        report.updated += 1;
                    } else {
                        report.unchanged += 1;
                    }
                });
            }
            Err(err) => {
                log_failure(err);
                crate::metrics::keyset_fetch("failed");
                let age = now.saturating_sub(state.last_success);
                if !state.stale && age > self.settings.max_staleness {
                    // Fail closed: the key set's keys go; the verifier's own stay.
                    if self.verifier.swap_keys(self.base.clone()).is_ok() {
                        state.stale = true;
                        state.etag = None;
                        state.hash = None;
                        tracing::error!(
                            url = %self.fetcher.url,
                            error = %KeySetError::Stale(self.settings.max_staleness),
                            "key set dropped"
                        );
                    }
                }
                let stale = state.stale;
                self.report.send_modify(|report| {
                    report.fetches += 1;
                    report.failed += 1;
                    report.stale = stale;
                });
            }
        }
        applied.map(|_| ())
    }
}

/// Fetches every refresh interval, and when a token asked for it.
async fn refresh_task(shared: Arc<Shared>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(shared.settings.refresh) => {
                shared
                    .last_fetch_ms
                    .store(millis(shared.clock.elapsed()), Ordering::Release);
            }
            () = shared.wake.notified() => {}
        }
        // The outcome is logged, counted and reported inside.
        let _ = shared.refresh().await;
    }
}

fn log_failure(err: &Error) {
    tracing::warn!(error = %err, "key set fetch failed; the last good key set stays in force");
}

/// Reads the document over HTTP(S).
struct Fetcher {
    url: Url,
    client: reqwest::Client,
    issuers: Vec<String>,
    versions: Vec<crate::Version>,
    limits: DocumentLimits,
    timeout: Duration,
}

/// What a fetch brought.
enum Fetched {
    NotModified,
    Document {
        ring: KeyRing<VerificationKey>,
        etag: Option<String>,
        hash: [u8; 32],
    },
}

fn failed(reason: KeySetError) -> Error {
    Error::KeySet(reason)
}

impl Fetcher {
    /// One GET, within the time limit, the document within the size limit, parsed and bound.
    async fn fetch(&self, etag: Option<&str>) -> Result<Fetched> {
        match tokio::time::timeout(self.timeout, self.get(etag)).await {
            Ok(fetched) => fetched,
            Err(_) => Err(failed(KeySetError::Timeout(self.timeout))),
        }
    }

    async fn get(&self, etag: Option<&str>) -> Result<Fetched> {
        let mut request = self
            .client
            .get(self.url.clone())
            .header(ACCEPT, "application/json");
        if let Some(etag) = etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        let mut response = request.send().await.map_err(|e| self.transport(&e))?;
        match response.status() {
            StatusCode::OK => {}
            StatusCode::NOT_MODIFIED if etag.is_some() => return Ok(Fetched::NotModified),
            status => return Err(failed(KeySetError::Status(status.as_u16()))),
        }
        let limit = self.limits.max_bytes;
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(failed(KeySetError::TooLarge { limit }));
        }
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|value| value.to_str().ok())
            .filter(|value| value.len() <= 256)
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(&e))? {
            if body.len() + chunk.len() > limit {
                return Err(failed(KeySetError::TooLarge { limit }));
            }
            body.extend_from_slice(&chunk);
        }
        let document = KeySetDocument::parse(&body, &self.limits)?;
        let ring = document.verification_ring(&self.issuers, &self.versions)?;
        Ok(Fetched::Document {
            ring,
            etag,
            hash: Sha256::digest(&body).into(),
        })
    }

    fn transport(&self, err: &reqwest::Error) -> Error {
        if err.is_timeout() {
            failed(KeySetError::Timeout(self.timeout))
        } else {
            // The client's message names the URL (ours) and the cause; escaped all the same.
            failed(KeySetError::Unreachable(untrusted(err)))
        }
    }
}
