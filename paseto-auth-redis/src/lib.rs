//! Revocations in Redis, shared by every instance of a service: the [`RedisStore`] of
//! paseto-auth (re-exported as `paseto_auth::store::RedisStore` with its `redis` feature). Its own
//! crate, so that a major version of redis-rs is a major version of this crate only.
//!
//! The client is redis-rs, Redis's own Rust client: its `ConnectionManager` multiplexes every
//! request of the process over one connection and reconnects on its own after a failure, and it
//! speaks to Sentinel and to clusters (fred would do as well; redis-rs has the smaller
//! dependency tree and is maintained with the server). A call that finds the connection dead
//! (the server restarted while the service was idle, a failover) is sent once more on the new
//! one, within the store's timeout, rather than answered 503. Where Redis runs is a
//! [`Topology`]: one server, a master watched by Sentinel, or a cluster.
//!
//! **A mirror per instance.** A guarded request does not ask Redis: each instance keeps a copy of
//! the revocations that can still matter ([`Mirror`]), loaded at start-up from an index and kept
//! current by a Redis stream every revocation is appended to (in the script that writes it).
//! A stream rather than pub/sub: a message sent while an instance is disconnected stays in the
//! stream, and the instance reads on from where it stopped when it reconnects (or loads again,
//! when the stream was trimmed past that point); pub/sub would lose it. The copy trusts itself
//! for the staleness bound after Redis last answered its feed, and past it every check asks Redis
//! again ([`paseto_auth_core::store::mirror`]).
//!
//! **Replicas.** With [`RedisStoreBuilder::wait_for_replicas`] (the default under Sentinel: one),
//! a revocation or a refresh rotation is acknowledged only after that many replicas have it
//! (`WAIT`), so that a failover loses no acknowledged revocation. It costs a replication round
//! trip per write (about 0.2 ms on loopback, `benches/fleet.rs`), on a connection of its own, so
//! that checks never queue behind a `WAIT`.
//!
//! A store that loses its data (a restart without persistence, `FLUSHALL`, a failover to an empty
//! replica) must not un-revoke: the store keeps an *epoch marker*, written once and never
//! expiring. When a check finds it missing, the data is gone: the marker is written again with
//! the time of that discovery, and every token issued before it is refused
//! ([`RevokedBy::StoreReset`]) until it expires, with one warning per instance and the metric
//! `paseto_auth_store_resets_total`. A store that lost only its recent writes (a restart from a
//! snapshot, a failover to a replica that lagged) keeps its marker; an instance whose feed had
//! read past what the store now holds declares a new epoch, as for a wipe.

mod feed;
mod keys;
mod link;
mod scripts;
mod server;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use paseto_auth_core::settings::{Namespace, Settings};
use paseto_auth_core::store::epoch::EpochWatch;
use paseto_auth_core::store::mirror::{Entry, EntryKind, Mirror, MirrorSettings, entry_id};
use paseto_auth_core::store::{
    DEFAULT_SUBJECT_RETENTION, RevokedBy, Rotated, Rotation, StoreError, StoreFuture, TokenRef,
    TokenStore, subject_covers,
};
use paseto_auth_core::{Cause, Error, Result, untrusted};

use keys::Keys;
use link::Link;
pub use link::Topology;
pub use server::Persistence;

/// The latest expiry written (the year 9999): Redis refuses larger ones.
const MAX_EXPIRY: i64 = 253_402_300_799;

/// How many revocations the feed keeps (about): an instance that falls further behind loads the
/// index again. About a megabyte of Redis memory.
const FEED_LENGTH: u32 = 10_000;

/// The prefix of every key a [`RedisStore`] writes, unless set otherwise.
pub const DEFAULT_REDIS_PREFIX: &str = "paseto-auth:";

pub use paseto_auth_core::store::epoch::DEFAULT_RESET_WINDOW;

/// How long a write waits for its replicas ([`RedisStoreBuilder::wait_for_replicas`]) by
/// default: 50 ms, half the default store timeout, so that a missing replica fails the write
/// (503; the client retries) before the caller gives up on its own.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_millis(50);

/// Revocations in Redis: every instance that uses the same Redis (and prefix) sees every
/// revocation. A token revocation's key expires with the token (`EXAT` its `exp`), a family's
/// with its last token, a subject's after the retention, a key's never; writes only ever widen a
/// revocation (one Lua script each). A check reads the instance's [`Mirror`]; without one (or
/// when it is stale) it is one `MGET` of at most five keys (the token's four and the epoch
/// marker).
///
/// Run the server as the "Production Redis" checklist of `paseto_auth::docs::revocation` says:
/// persistence on (AOF), and `maxmemory-policy noeviction` (an evicted entry is a forgotten
/// revocation). Connecting warns when either is off, when the server lets it be read
/// (`CONFIG GET`).
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
    /// The mirror's feed, stopped when the last clone of the store is dropped.
    _feed: Option<Arc<feed::FeedTask>>,
}

/// What the store's clones and its feed share.
struct Inner {
    /// Checks (and everything, when no write waits for replicas).
    link: Link,
    /// Writes, followed by `WAIT` when replicas are waited for.
    writes: Link,
    keys: Keys,
    subject_retention: Duration,
    replicas: Replicas,
    /// The epoch marker as this instance last read it.
    epoch: EpochWatch,
    mirror: Option<Mirror>,
}

/// How many replicas a write waits for, and how long.
#[derive(Debug, Clone, Copy)]
struct Replicas {
    count: u32,
    timeout: Duration,
}

/// Builds a [`RedisStore`]: everything that names its keys is set before it connects, since
/// connecting writes the epoch marker under the prefix.
#[derive(Debug, Clone)]
#[must_use]
pub struct RedisStoreBuilder {
    prefix: String,
    subject_retention: Duration,
    reset_window: Duration,
    require_persistence: bool,
    /// The setting that asked for persistence, to name in the refusal (from the environment).
    persistence_setting: Option<&'static str>,
    mirror: MirrorSettings,
    /// `None`: one under Sentinel, none elsewhere.
    replicas: Option<Replicas>,
}

impl Default for RedisStoreBuilder {
    fn default() -> Self {
        RedisStoreBuilder {
            prefix: DEFAULT_REDIS_PREFIX.to_owned(),
            subject_retention: DEFAULT_SUBJECT_RETENTION,
            reset_window: DEFAULT_RESET_WINDOW,
            require_persistence: false,
            persistence_setting: None,
            mirror: MirrorSettings::default(),
            replicas: None,
        }
    }
}

impl RedisStoreBuilder {
    /// Keys under `prefix` instead of [`DEFAULT_REDIS_PREFIX`] (one server, several services or
    /// environments).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a subject revocation is kept (default [`DEFAULT_SUBJECT_RETENTION`]).
    pub fn subject_retention(mut self, retention: Duration) -> Self {
        self.subject_retention = retention;
        self
    }

    /// How long after a store reset a token without `iat` is refused (default
    /// [`DEFAULT_RESET_WINDOW`], `PASETO_REDIS_RESET_WINDOW`). Such a token shows no issue time,
    /// so nothing tells whether it came before the reset: set this to the longest lifetime such
    /// tokens have. Tokens with `iat` (the issuer's default) are judged by it instead.
    pub fn reset_window(mut self, window: Duration) -> Self {
        self.reset_window = window;
        self
    }

    /// Refuses to connect to a server without an append-only file (AOF), rather than warn
    /// (`PASETO_REDIS_REQUIRE_PERSISTENCE`): without it a restart loses every revocation since
    /// the last snapshot, if any. A server that does not let `CONFIG` be read is not
    /// second-guessed: it is accepted with a warning.
    pub fn require_persistence(mut self, required: bool) -> Self {
        self.require_persistence = required;
        self
    }

    /// Whether to keep a local mirror of the revocations (default on; `PASETO_REVOCATION_MIRROR`)
    /// and how long it trusts itself without hearing from Redis
    /// (`PASETO_REVOCATION_MAX_STALENESS`): see [`Mirror`].
    pub fn mirror(mut self, settings: MirrorSettings) -> Self {
        self.mirror = settings;
        self
    }

    /// Acknowledges a revocation or a rotation only after `count` replicas have it, waiting at
    /// most `timeout` (`WAIT`; `PASETO_REDIS_WAIT_REPLICAS`): fewer is a store failure (the
    /// caller answers 503 and the client retries), never a lost revocation after a failover.
    /// Default: one replica and [`DEFAULT_WAIT_TIMEOUT`] under Sentinel, none elsewhere.
    pub fn wait_for_replicas(mut self, count: u32, timeout: Duration) -> Self {
        self.replicas = Some(Replicas { count, timeout });
        self
    }

    /// Connects to the server at `url` (`redis://host:port/db`, `rediss://` for TLS)
    /// ([`connect_to`](Self::connect_to) a [`Topology::Server`]).
    pub async fn connect(self, url: &str) -> Result<RedisStore> {
        self.connect_to(Topology::Server(url.to_owned())).await
    }

    /// Connects to the Redis of `topology`. Fails when a URL is not one, Redis cannot be reached
    /// within two seconds, is older than Redis 6.2, or keeps no data on disk while
    /// [`require_persistence`](Self::require_persistence) is on; after that, lost connections
    /// are re-established on their own. With a mirror, waits (two seconds at most) for it to
    /// load, so that the first requests do not all ask Redis.
    pub async fn connect_to(self, topology: Topology) -> Result<RedisStore> {
        if topology.is_cluster() && self.prefix.contains(['{', '}']) {
            return Err(Error::Setup(
                "a cluster store's prefix cannot hold `{` or `}` (it becomes a hash tag)".into(),
            ));
        }
        let mut link = Link::connect(&topology, Some(RESPONSE_TIMEOUT))
            .await
            .map_err(|err| Error::Setup(format!("cannot reach Redis: {}", untrusted(err))))?;
        server::check_version(&mut link).await?;
        let durable = server::check_server_config(&mut link).await;
        if self.require_persistence && durable == Some(false) {
            let problem = format!("{}; turn on AOF (appendonly yes)", server::NO_PERSISTENCE);
            return Err(match self.persistence_setting {
                Some(setting) => Error::config(setting, problem),
                None => Error::Setup(problem),
            });
        }
        let replicas = self.replicas.unwrap_or(Replicas {
            count: u32::from(matches!(topology, Topology::Sentinel { .. })),
            timeout: DEFAULT_WAIT_TIMEOUT,
        });
        let writes = if replicas.count > 0 {
            Link::connect(&topology, Some(RESPONSE_TIMEOUT))
                .await
                .map_err(|err| Error::Setup(format!("cannot reach Redis: {}", untrusted(err))))?
        } else {
            link.clone()
        };
        let mirror = self
            .mirror
            .enabled
            .then(|| Mirror::new(self.mirror.max_staleness));
        let inner = Arc::new(Inner {
            link,
            writes,
            keys: Keys::new(&self.prefix, topology.is_cluster()),
            subject_retention: self.subject_retention,
            replicas,
            epoch: EpochWatch::new("Redis", self.reset_window),
            mirror,
        });
        // Written now, before this service issues a token, so that none of its tokens predates
        // a marker a brand-new store gets.
        inner
            .read_epoch()
            .await
            .map_err(|err| Error::Setup(format!("cannot write to Redis: {err}")))?;
        let feed = match inner.mirror {
            Some(_) => Some(Arc::new(
                feed::FeedTask::start(inner.clone(), topology).await,
            )),
            None => None,
        };
        Ok(RedisStore { inner, _feed: feed })
    }
}

/// How long a command may take to be answered (a `WAIT` included).
const RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);

impl RedisStore {
    /// A builder, for a prefix or retention of its own.
    pub fn builder() -> RedisStoreBuilder {
        RedisStoreBuilder::default()
    }

    /// Connects to the server at `url` with keys under [`DEFAULT_REDIS_PREFIX`]
    /// ([`RedisStoreBuilder::connect`]).
    pub async fn connect(url: &str) -> Result<Self> {
        Self::builder().connect(url).await
    }

    /// The names the Redis store owns in a file of settings: `PASETO_REDIS_*` (see
    /// [`paseto_auth_core::settings`]); it reads `PASETO_REVOCATION_*` too
    /// ([`MirrorSettings::NAMESPACE`]).
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_REDIS_"],
        except: &[],
        names: &[
            "PASETO_REDIS_URL",
            "PASETO_REDIS_SENTINELS",
            "PASETO_REDIS_SENTINEL_MASTER",
            "PASETO_REDIS_CLUSTER",
            "PASETO_REDIS_WAIT_REPLICAS",
            "PASETO_REDIS_REQUIRE_PERSISTENCE",
            "PASETO_REDIS_RESET_WINDOW",
        ],
    };

    /// Connects as the environment says ([`from_settings`](Self::from_settings)).
    pub async fn from_env() -> Result<Option<Self>> {
        Self::from_settings(&Settings::env()).await
    }

    /// Connects as `settings` say: to one server (`PASETO_REDIS_URL`), to the master Sentinel
    /// names (`PASETO_REDIS_SENTINELS`, comma-separated `host:port`, with
    /// `PASETO_REDIS_SENTINEL_MASTER`), or to a cluster (`PASETO_REDIS_CLUSTER`, comma-separated
    /// node URLs) — `Ok(None)` when none is set, an error when more than one is; with
    /// `PASETO_REDIS_WAIT_REPLICAS`, `PASETO_REDIS_REQUIRE_PERSISTENCE` (`true`/`false`),
    /// `PASETO_REDIS_RESET_WINDOW` (seconds), `PASETO_REVOCATION_MIRROR` and
    /// `PASETO_REVOCATION_MAX_STALENESS` (seconds). A bad value, an unreachable Redis or one that
    /// fails the checks of [`RedisStoreBuilder::connect_to`] is an [`Error::Config`] naming the
    /// setting; an unknown `PASETO_REDIS_*` or `PASETO_REVOCATION_*` name is an error.
    pub async fn from_settings(settings: &Settings) -> Result<Option<Self>> {
        const PERSISTENCE: &str = "PASETO_REDIS_REQUIRE_PERSISTENCE";
        settings.check_names(&Self::NAMESPACE)?;
        let mirror = MirrorSettings::from_settings(settings)?;
        let Some((setting, topology)) = topology_from(settings)? else {
            return Ok(None);
        };
        let mut builder = Self::builder().mirror(mirror);
        if let Some(required) = settings.bool(PERSISTENCE)? {
            builder = builder.require_persistence(required);
        }
        if let Some(window) = settings.seconds("PASETO_REDIS_RESET_WINDOW")? {
            builder = builder.reset_window(window);
        }
        if let Some(count) = settings.whole("PASETO_REDIS_WAIT_REPLICAS", "a whole number")? {
            let count = u32::try_from(count)
                .map_err(|_| Error::config("PASETO_REDIS_WAIT_REPLICAS", "is too large"))?;
            builder = builder.wait_for_replicas(count, DEFAULT_WAIT_TIMEOUT);
        }
        builder.persistence_setting = Some(PERSISTENCE);
        match builder.connect_to(topology).await {
            Ok(store) => Ok(Some(store)),
            Err(err @ Error::Config { .. }) => Err(err),
            Err(err) => Err(Error::config(setting, err)),
        }
    }

    /// What the server keeps on disk, when it lets `CONFIG` be read.
    pub async fn persistence(&self) -> Option<Persistence> {
        server::persistence(&mut self.inner.link.clone()).await
    }

    /// The instance's mirror of the revocations, when it keeps one.
    pub fn mirror(&self) -> Option<&Mirror> {
        self.inner.mirror.as_ref()
    }
}

/// Where `settings` say Redis runs, and the setting that says so; `None` when none does.
fn topology_from(settings: &Settings) -> Result<Option<(&'static str, Topology)>> {
    const URL: &str = "PASETO_REDIS_URL";
    const SENTINELS: &str = "PASETO_REDIS_SENTINELS";
    const MASTER: &str = "PASETO_REDIS_SENTINEL_MASTER";
    const CLUSTER: &str = "PASETO_REDIS_CLUSTER";
    let url = settings.text(URL)?;
    let sentinels = settings.list(SENTINELS)?;
    let master = settings.text(MASTER)?;
    let cluster = settings.list(CLUSTER)?;
    let set: Vec<&str> = [
        url.is_some().then_some(URL),
        sentinels.is_some().then_some(SENTINELS),
        cluster.is_some().then_some(CLUSTER),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let [first, second, ..] = set[..] {
        return Err(Error::config(
            second,
            format!("set one of {URL}, {SENTINELS} and {CLUSTER}; {first} is set too"),
        ));
    }
    if let Some(url) = url {
        return Ok(Some((URL, Topology::Server(url))));
    }
    if let Some(nodes) = cluster {
        return Ok(Some((CLUSTER, Topology::Cluster(nodes))));
    }
    let Some(sentinels) = sentinels else {
        if master.is_some() {
            return Err(Error::config(MASTER, format!("is set without {SENTINELS}")));
        }
        return Ok(None);
    };
    let master = master.ok_or_else(|| {
        Error::config(
            MASTER,
            format!("must name the master when {SENTINELS} is set"),
        )
    })?;
    let sentinels = sentinels
        .iter()
        .map(|sentinel| match sentinel.contains("://") {
            true => sentinel.clone(),
            false => format!("redis://{sentinel}"),
        })
        .collect();
    Ok(Some((SENTINELS, Topology::Sentinel { sentinels, master })))
}

impl Inner {
    /// Sends `command` on `link`; once more when the connection was found dead (after
    /// [`Link::recover`]) and `resendable`: the first may have been applied before the
    /// connection died, which checks (reads), revocations (widening writes) and rotations kept
    /// for a retry (answered with what they did) can bear — a rotation without a grace cannot
    /// (the resend would look like a reuse).
    async fn send<T: redis::FromRedisValue>(
        link: &Link,
        resendable: bool,
        command: impl Fn(Link) -> redis::RedisFuture<'static, T>,
    ) -> std::result::Result<T, StoreError> {
        match command(link.clone()).await {
            Err(err) => {
                link.recover(&err).await;
                if resendable && link::needs_new_connection(&err) {
                    command(link.clone()).await.map_err(unavailable)
                } else {
                    Err(unavailable(err))
                }
            }
            Ok(value) => Ok(value),
        }
    }

    /// Waits until the write just made reaches the replicas asked for (none: at once).
    async fn replicated(&self) -> std::result::Result<(), StoreError> {
        let Replicas { count, timeout } = self.replicas;
        if count == 0 {
            return Ok(());
        }
        let millis = u64::try_from(timeout.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let acknowledged: i64 = Self::send(&self.writes, false, |mut link| {
            let wait = redis::cmd("WAIT").arg(count).arg(millis).clone();
            Box::pin(async move { wait.query_async(&mut link).await })
        })
        .await?;
        if acknowledged < i64::from(count) {
            return Err(StoreError::Unavailable(Cause::new(NotReplicated {
                acknowledged,
                asked: count,
            })));
        }
        Ok(())
    }

    /// Records `value` for the entry `kind`/`of` until `expires` (unix seconds; `None`: for
    /// ever), only ever widening what is there: the larger value, the later expiry (another
    /// instance may have written a wider revocation meanwhile, and a shorter one must not cut it
    /// back). One script, so no other client sees or writes between the read and the write; it
    /// also feeds every mirror, and this instance's at once (so that a logout is felt here
    /// without waiting for the feed).
    async fn widen(
        &self,
        kind: EntryKind,
        of: &str,
        value: i64,
        expires: Option<i64>,
    ) -> std::result::Result<(), StoreError> {
        let (key, name) = self.keys.revocation(kind, of);
        let keys = [key, self.keys.index(), self.keys.feed()];
        let expires = expires.map_or(0, |at| at.clamp(1, MAX_EXPIRY));
        let (value, expires): (i64, i64) = Self::send(&self.writes, true, |mut link| {
            let mut invocation = scripts::WIDEN.prepare_invoke();
            invocation
                .key(&keys[0])
                .key(&keys[1])
                .key(&keys[2])
                .arg(value)
                .arg(expires)
                .arg(&name)
                .arg(FEED_LENGTH);
            Box::pin(async move { invocation.invoke_async(&mut link).await })
        })
        .await?;
        self.replicated().await?;
        if let Some(mirror) = &self.mirror {
            let expires = (expires > 0).then_some(expires);
            mirror.apply(entry_id(kind, of), Entry { value, expires });
        }
        Ok(())
    }

    /// The epoch marker, written when missing (a new or wiped store); warns when this is a
    /// reset this instance has not seen yet.
    async fn read_epoch(&self) -> std::result::Result<i64, StoreError> {
        let key = self.keys.epoch();
        let (written, epoch): (i64, i64) = Self::send(&self.writes, true, |mut link| {
            let key = key.clone();
            Box::pin(async move { scripts::EPOCH.key(key).invoke_async(&mut link).await })
        })
        .await?;
        self.epoch.note(epoch, written == 1);
        Ok(epoch)
    }

    /// Declares the store's data before now lost (a rollback the feed saw): a new epoch marker,
    /// with the warning and the count of a reset.
    async fn new_epoch(&self) -> std::result::Result<i64, StoreError> {
        let key = self.keys.epoch();
        let epoch: i64 = Self::send(&self.writes, true, |mut link| {
            let key = key.clone();
            Box::pin(async move { scripts::NEW_EPOCH.key(key).invoke_async(&mut link).await })
        })
        .await?;
        self.epoch.note(epoch, true);
        Ok(epoch)
    }

    /// The check of `token` by one `MGET` (no mirror, or a stale one).
    async fn check_in_redis(
        &self,
        token: TokenRef<'_>,
    ) -> std::result::Result<Option<RevokedBy>, StoreError> {
        let asked = [
            (EntryKind::TokenId, token.token_id),
            (EntryKind::Family, token.family),
            (EntryKind::Subject, token.subject),
            (EntryKind::Key, token.key_id),
        ];
        let mut keys: Vec<String> = asked
            .iter()
            .filter_map(|(kind, value)| Some(self.keys.revocation(*kind, (*value)?).0))
            .collect();
        keys.push(self.keys.epoch());
        let values: Vec<Option<i64>> = Self::send(&self.link, true, |mut link| {
            let command = redis::cmd("MGET").arg(&keys).clone();
            Box::pin(async move { command.query_async(&mut link).await })
        })
        .await?;
        let mut values = values.into_iter();
        let found = asked.map(|(kind, value)| {
            let stored = value.and_then(|_| values.next().flatten());
            (kind, stored)
        });
        let epoch = match values.next().flatten() {
            Some(epoch) => {
                self.epoch.note(epoch, false);
                epoch
            }
            None => self.read_epoch().await?,
        };
        let covers = |(kind, stored): &(EntryKind, Option<i64>)| match (kind, *stored) {
            (_, None) => false,
            (EntryKind::Subject, Some(before)) => subject_covers(before, token.issued_at),
            (_, Some(_)) => true,
        };
        let by_reset = self
            .epoch
            .predates(epoch, &token, OffsetDateTime::now_utc());
        Ok(found
            .iter()
            .find(|entry| covers(entry))
            .map(|(kind, _)| RevokedBy::from(*kind))
            .or(by_reset.then_some(RevokedBy::StoreReset)))
    }
}

/// A write that fewer replicas than asked acknowledged in time.
#[derive(Debug)]
struct NotReplicated {
    acknowledged: i64,
    asked: u32,
}

impl fmt::Display for NotReplicated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of the {} replicas asked for acknowledged the write in time (WAIT)",
            self.acknowledged, self.asked
        )
    }
}

impl std::error::Error for NotReplicated {}

fn unavailable(err: redis::RedisError) -> StoreError {
    StoreError::Unavailable(Cause::new(err))
}

impl TokenStore for RedisStore {
    fn revoke_token<'a>(
        &'a self,
        token_id: &'a str,
        expires_at: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let expires = Some(expires_at.unix_timestamp());
        Box::pin(self.inner.widen(EntryKind::TokenId, token_id, 1, expires))
    }

    fn revoke_family<'a>(&'a self, family: &'a str, until: OffsetDateTime) -> StoreFuture<'a, ()> {
        let expires = Some(until.unix_timestamp());
        Box::pin(self.inner.widen(EntryKind::Family, family, 1, expires))
    }

    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        before: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let before = before.unix_timestamp();
        let retention = i64::try_from(self.inner.subject_retention.as_secs()).unwrap_or(i64::MAX);
        let expires = Some(before.saturating_add(retention));
        Box::pin(
            self.inner
                .widen(EntryKind::Subject, subject, before, expires),
        )
    }

    fn revoke_key<'a>(&'a self, key_id: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(self.inner.widen(EntryKind::Key, key_id, 1, None))
    }

    fn rotate<'a>(&'a self, rotation: Rotation<'a>) -> StoreFuture<'a, Rotated> {
        let inner = &self.inner;
        let keys = ["gen", "ans", "rty"].map(|kind| inner.keys.refresh(kind, rotation.family));
        let until = rotation.until.unix_timestamp().clamp(1, MAX_EXPIRY);
        let grace = u64::try_from(rotation.grace.as_millis()).unwrap_or(u64::MAX);
        let answer = rotation.answer.to_vec();
        Box::pin(async move {
            let outcome: redis::Value =
                Inner::send(&inner.writes, !rotation.grace.is_zero(), |mut link| {
                    let mut invocation = scripts::ROTATE.prepare_invoke();
                    invocation
                        .key(&keys[0])
                        .key(&keys[1])
                        .key(&keys[2])
                        .arg(rotation.generation)
                        .arg(until)
                        .arg(&answer)
                        .arg(grace);
                    Box::pin(async move { invocation.invoke_async(&mut link).await })
                })
                .await?;
            inner.replicated().await?;
            match outcome {
                redis::Value::Int(1) => Ok(Rotated::Rotated),
                redis::Value::BulkString(answer) => Ok(Rotated::Retried(answer)),
                _ => Ok(Rotated::Reused),
            }
        })
    }

    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        let inner = &self.inner;
        if let Some(mirror) = &inner.mirror {
            let now = OffsetDateTime::now_utc();
            if let Some(answer) = mirror.check(&token, Instant::now(), now) {
                let answer = answer.or_else(|| inner.epoch.refuses(&token, now));
                return Box::pin(std::future::ready(Ok(answer)));
            }
        }
        Box::pin(inner.check_in_redis(token))
    }

    fn check_at_source<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        Box::pin(self.inner.check_in_redis(token))
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("keys", &self.inner.keys)
            .field("subject_retention", &self.inner.subject_retention)
            .field("reset_window", &self.inner.epoch.reset_window())
            .field("replicas", &self.inner.replicas)
            .field("mirror", &self.inner.mirror.as_ref().map(Mirror::len))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting_of(err: Error) -> String {
        match err {
            Error::Config { setting, .. } => setting,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn settings_are_read_before_connecting_and_a_bad_one_is_named() {
        let unset = Settings::from_pairs([("PASETO_REDIS_RESET_WINDOW", "60")]);
        assert!(RedisStore::from_settings(&unset).await.unwrap().is_none());
        // Port 1: nothing listens, but each mistake is found before connecting.
        for (name, value) in [
            ("PASETO_REDIS_REQUIRE_PERSISTENCE", "maybe"),
            ("PASETO_REDIS_RESET_WINDOW", "an hour"),
            ("PASETO_REDIS_WAIT_REPLICAS", "one"),
            ("PASETO_REVOCATION_MIRROR", "perhaps"),
            ("PASETO_REVOCATION_MAX_STALENESS", "0"),
        ] {
            let settings =
                Settings::from_pairs([("PASETO_REDIS_URL", "redis://127.0.0.1:1"), (name, value)]);
            let err = RedisStore::from_settings(&settings).await.unwrap_err();
            assert_eq!(setting_of(err), name);
        }
        let typo = Settings::from_pairs([("PASETO_REDIS_UR", "redis://127.0.0.1:1")]);
        let err = RedisStore::from_settings(&typo).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid setting config: unknown setting \"PASETO_REDIS_UR\"; see \
             https://docs.rs/paseto-auth/latest/paseto_auth/reference/index.html#how-settings-are-read"
        );
    }

    #[tokio::test]
    async fn one_topology_is_set_and_sentinel_names_its_master() {
        let read = |pairs: &[(&str, &str)]| {
            topology_from(&Settings::from_pairs(pairs.iter().copied()))
                .map(|found| found.map(|(_, t)| t))
        };
        let both = read(&[
            ("PASETO_REDIS_URL", "redis://a"),
            ("PASETO_REDIS_CLUSTER", "redis://b"),
        ]);
        assert_eq!(setting_of(both.unwrap_err()), "PASETO_REDIS_CLUSTER");
        let no_master = read(&[("PASETO_REDIS_SENTINELS", "127.0.0.1:26379")]);
        assert_eq!(
            setting_of(no_master.unwrap_err()),
            "PASETO_REDIS_SENTINEL_MASTER"
        );
        let lone_master = read(&[("PASETO_REDIS_SENTINEL_MASTER", "main")]);
        assert_eq!(
            setting_of(lone_master.unwrap_err()),
            "PASETO_REDIS_SENTINEL_MASTER"
        );
        assert_eq!(
            read(&[
                (
                    "PASETO_REDIS_SENTINELS",
                    "127.0.0.1:26379, redis://127.0.0.1:26380"
                ),
                ("PASETO_REDIS_SENTINEL_MASTER", "main"),
            ])
            .unwrap(),
            Some(Topology::Sentinel {
                sentinels: vec![
                    "redis://127.0.0.1:26379".to_owned(),
                    "redis://127.0.0.1:26380".to_owned()
                ],
                master: "main".to_owned(),
            })
        );
        assert_eq!(
            read(&[(
                "PASETO_REDIS_CLUSTER",
                "redis://127.0.0.1:7000,redis://127.0.0.1:7001"
            )])
            .unwrap(),
            Some(Topology::Cluster(vec![
                "redis://127.0.0.1:7000".to_owned(),
                "redis://127.0.0.1:7001".to_owned()
            ]))
        );
    }
}
