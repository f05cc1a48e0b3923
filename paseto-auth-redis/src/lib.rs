//! Revocations in Redis, shared by every instance of a service: the [`RedisStore`] of
//! paseto-auth (re-exported as `paseto_auth::store::RedisStore` with its `redis` feature). Its own
//! crate, so that a major version of redis-rs is a major version of this crate only.
//!
//! The client is redis-rs, Redis's own Rust client: its `ConnectionManager` multiplexes every
//! request of the process over one connection and reconnects on its own after a failure, which
//! is what a store asked on every request needs (fred would do as well; redis-rs has the smaller
//! dependency tree and is maintained with the server). A call that finds the connection dead
//! (the server restarted while the service was idle) is sent once more on the new one, within
//! the store's timeout, rather than answered 503.
//!
//! A store that loses its data (a restart without persistence, `FLUSHALL`, a failover to an empty
//! replica) must not un-revoke: the store keeps an *epoch marker*, written once and never
//! expiring. When a check finds it missing, the data is gone: the marker is written again with
//! the time of that discovery, and every token issued before it is refused
//! ([`RevokedBy::StoreReset`]) until it expires, with one warning per instance and the metric
//! `paseto_auth_store_resets_total`.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use base64ct::{Base64UrlUnpadded, Encoding};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use paseto_auth_core::settings::{Namespace, Settings};
use paseto_auth_core::store::{
    DEFAULT_SUBJECT_RETENTION, RevokedBy, Rotated, Rotation, StoreError, StoreFuture, TokenRef,
    TokenStore, subject_covers,
};
use paseto_auth_core::{Cause, Error, Result, untrusted};

/// The widening write of [`RedisStore::widen`]: `ARGV[1]` the value, `ARGV[2]` the expiry in
/// unix seconds (`0`: none). An entry without expiry keeps none; `TTL` and `TIME` rather than
/// `EXPIRETIME` so that servers before 7.0 run it too.
static WIDEN: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local value = tonumber(ARGV[1])
        local expires = tonumber(ARGV[2])
        local old = redis.call('GET', KEYS[1])
        if old then
          value = math.max(value, tonumber(old) or 0)
          local ttl = redis.call('TTL', KEYS[1])
          if ttl == -1 then
            expires = 0
          elseif expires > 0 and ttl >= 0 then
            expires = math.max(expires, tonumber(redis.call('TIME')[1]) + ttl)
          end
        end
        if expires > 0 then
          redis.call('SET', KEYS[1], value, 'EXAT', expires)
        else
          redis.call('SET', KEYS[1], value)
        end
        return 0
        ",
    )
});

/// The rotation of [`RedisStore::rotate`]: `KEYS[1]` the family's generation, `KEYS[2]` its last
/// answer, `KEYS[3]` its last generation whose use was retried; `ARGV[1]` the generation
/// presented, `ARGV[2]` the generation's expiry in unix seconds, `ARGV[3]` the answer, `ARGV[4]`
/// how long to keep it, in milliseconds. Answers `1` when it rotated, the kept answer for a retry
/// of the last rotation (unless the use before was retried too: two copies in step), `0` for a
/// reuse. One script: no other client reads or writes between the compare and the set.
static ROTATE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local used = tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current == used then
          local expires = tonumber(ARGV[2])
          local ttl = redis.call('TTL', KEYS[1])
          if ttl >= 0 then
            expires = math.max(expires, tonumber(redis.call('TIME')[1]) + ttl)
          end
          redis.call('SET', KEYS[1], current + 1, 'EXAT', expires)
          local grace = tonumber(ARGV[4])
          if grace > 0 then
            redis.call('SET', KEYS[2], ARGV[1] .. ':' .. ARGV[3], 'PX', grace)
          else
            redis.call('DEL', KEYS[2])
          end
          return 1
        end
        if current == used + 1 then
          local kept = redis.call('GET', KEYS[2])
          if kept then
            local colon = string.find(kept, ':', 1, true)
            if colon and string.sub(kept, 1, colon - 1) == ARGV[1] then
              if tonumber(redis.call('GET', KEYS[3]) or '-2') == used - 1 then
                return 0
              end
              local ttl = redis.call('TTL', KEYS[1])
              if ttl > 0 then
                redis.call('SET', KEYS[3], used, 'EX', ttl)
              else
                redis.call('SET', KEYS[3], used)
              end
              return string.sub(kept, colon + 1)
            end
          end
        end
        return 0
        ",
    )
});

/// Reads the epoch marker, writing it with the server's time when it is missing. Answers
/// `{written, epoch}`: `written` is 1 when this call wrote it.
static EPOCH: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local now = tonumber(redis.call('TIME')[1])
        if redis.call('SET', KEYS[1], now, 'NX') then
          return {1, now}
        end
        return {0, tonumber(redis.call('GET', KEYS[1])) or now}
        ",
    )
});

/// The latest expiry written (the year 9999): Redis refuses larger ones.
const MAX_EXPIRY: i64 = 253_402_300_799;

/// The oldest Redis this store runs on: 6.2 brought `SET … EXAT`.
const MIN_REDIS_VERSION: (u32, u32) = (6, 2);

/// The prefix of every key a [`RedisStore`] writes, unless set otherwise.
pub const DEFAULT_REDIS_PREFIX: &str = "paseto-auth:";

/// How long after a store reset tokens without `iat` are refused, by default: one hour, the
/// default lifetime of an issued token (`PASETO_EXP`).
pub const DEFAULT_RESET_WINDOW: Duration = Duration::from_secs(3600);

/// The epoch is not known yet (no check has read it).
const EPOCH_UNKNOWN: i64 = i64::MIN;

/// Revocations in Redis: every instance that uses the same server (and prefix) sees every
/// revocation. A token revocation's key expires with the token (`EXAT` its `exp`), a family's
/// with its last token, a subject's after the retention, a key's never; writes only ever widen a
/// revocation (one Lua script each). A check is one `MGET` of at most five keys (the token's
/// four and the epoch marker).
///
/// Run the server as the "Production Redis" checklist of `paseto_auth::docs::revocation` says:
/// persistence on (AOF), and `maxmemory-policy noeviction` (an evicted entry is a forgotten
/// revocation). Connecting warns when either is off, when the server lets it be read
/// (`CONFIG GET`).
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    subject_retention: Duration,
    reset_window: Duration,
    /// The epoch marker as this instance last read it (shared by clones), to warn once per reset.
    epoch: Arc<AtomicI64>,
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
}

impl Default for RedisStoreBuilder {
    fn default() -> Self {
        RedisStoreBuilder {
            prefix: DEFAULT_REDIS_PREFIX.to_owned(),
            subject_retention: DEFAULT_SUBJECT_RETENTION,
            reset_window: DEFAULT_RESET_WINDOW,
            require_persistence: false,
            persistence_setting: None,
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

    /// Connects to the server at `url` (`redis://host:port/db`, `rediss://` for TLS). Fails
    /// when the URL is not one, the server cannot be reached within two seconds, is older than
    /// Redis 6.2, or keeps no data on disk while [`require_persistence`](Self::require_persistence)
    /// is on; after that, lost connections are re-established on their own.
    pub async fn connect(self, url: &str) -> Result<RedisStore> {
        let client = redis::Client::open(url)
            .map_err(|err| Error::Setup(format!("not a Redis URL: {}", untrusted(err))))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let mut connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|err| Error::Setup(format!("cannot reach Redis: {}", untrusted(err))))?;
        check_version(&mut connection).await?;
        let durable = check_server_config(&mut connection).await;
        if self.require_persistence && durable == Some(false) {
            let problem = format!("{NO_PERSISTENCE}; turn on AOF (appendonly yes)");
            return Err(match self.persistence_setting {
                Some(setting) => Error::config(setting, problem),
                None => Error::Setup(problem),
            });
        }
        let store = RedisStore {
            connection,
            prefix: self.prefix,
            subject_retention: self.subject_retention,
            reset_window: self.reset_window,
            epoch: Arc::new(AtomicI64::new(EPOCH_UNKNOWN)),
        };
        // Written now, before this service issues a token, so that none of its tokens predates
        // a marker a brand-new store gets.
        store
            .read_epoch()
            .await
            .map_err(|err| Error::Setup(format!("cannot write to Redis: {err}")))?;
        Ok(store)
    }
}

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
    /// [`paseto_auth_core::settings`]).
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_REDIS_"],
        except: &[],
        names: &[
            "PASETO_REDIS_URL",
            "PASETO_REDIS_REQUIRE_PERSISTENCE",
            "PASETO_REDIS_RESET_WINDOW",
        ],
    };

    /// Connects as the environment says: the server in `PASETO_REDIS_URL` (`Ok(None)` when it is
    /// unset), `PASETO_REDIS_REQUIRE_PERSISTENCE` (`true`/`false`, default false) and
    /// `PASETO_REDIS_RESET_WINDOW` (seconds). A bad value, an unreachable server or one that
    /// fails the checks of [`RedisStoreBuilder::connect`] is an [`Error::Config`] naming the
    /// setting.
    pub async fn from_env() -> Result<Option<Self>> {
        Self::from_settings(&Settings::env()).await
    }

    /// [`RedisStore::from_env`] with the settings from `settings` (an unknown name of the
    /// [`NAMESPACE`](Self::NAMESPACE) is an error).
    pub async fn from_settings(settings: &Settings) -> Result<Option<Self>> {
        const URL: &str = "PASETO_REDIS_URL";
        const PERSISTENCE: &str = "PASETO_REDIS_REQUIRE_PERSISTENCE";
        settings.check_names(&Self::NAMESPACE)?;
        let Some(url) = settings.text(URL)? else {
            return Ok(None);
        };
        let mut builder = Self::builder();
        if let Some(required) = settings.bool(PERSISTENCE)? {
            builder = builder.require_persistence(required);
        }
        if let Some(window) = settings.seconds("PASETO_REDIS_RESET_WINDOW")? {
            builder = builder.reset_window(window);
        }
        builder.persistence_setting = Some(PERSISTENCE);
        match builder.connect(&url).await {
            Ok(store) => Ok(Some(store)),
            Err(err @ Error::Config { .. }) => Err(err),
            Err(err) => Err(Error::config(URL, err)),
        }
    }

    fn key(&self, kind: &str, value: &str) -> String {
        let mut key = self.prefix.clone();
        key.push_str(&entry_name(kind, value));
        key
    }

    fn epoch_key(&self) -> String {
        format!("{}epoch", self.prefix)
    }

    /// Sends `command` on the connection; once more when the connection was found dead (the
    /// manager reconnects meanwhile) and `resendable`: the first may have been applied before
    /// the connection died, which checks (reads), revocations (widening writes) and rotations
    /// kept for a retry (answered with what they did) can bear — a rotation without a grace
    /// cannot (the resend would look like a reuse).
    async fn send<T: redis::FromRedisValue>(
        &self,
        resendable: bool,
        command: impl Fn(ConnectionManager) -> redis::RedisFuture<'static, T>,
    ) -> std::result::Result<T, StoreError> {
        match command(self.connection.clone()).await {
            Err(err)
                if resendable && (err.is_unrecoverable_error() || err.is_connection_dropped()) =>
            {
                command(self.connection.clone()).await.map_err(unavailable)
            }
            result => result.map_err(unavailable),
        }
    }

    /// Records `value` under `key` until `expires` (unix seconds; `None`: for ever), only ever
    /// widening what is there: the larger value, the later expiry (another instance may have
    /// written a wider revocation meanwhile, and a shorter one must not cut it back). One
    /// script, so no other client sees or writes between the read and the write.
    fn widen<'a>(&'a self, key: String, value: i64, expires: Option<i64>) -> StoreFuture<'a, ()> {
        let expires = expires.map_or(0, |at| at.clamp(1, MAX_EXPIRY));
        Box::pin(async move {
            self.send(true, |mut connection| {
                let key = key.clone();
                Box::pin(async move {
                    WIDEN
                        .key(key)
                        .arg(value)
                        .arg(expires)
                        .invoke_async::<i64>(&mut connection)
                        .await
                })
            })
            .await
            .map(|_| ())
        })
    }

    /// The epoch marker, written when missing (a new or wiped store); warns when this is a
    /// reset this instance has not seen yet.
    async fn read_epoch(&self) -> std::result::Result<i64, StoreError> {
        let key = self.epoch_key();
        let (written, epoch): (i64, i64) = self
            .send(true, |mut connection| {
                let key = key.clone();
                Box::pin(async move { EPOCH.key(key).invoke_async(&mut connection).await })
            })
            .await?;
        self.note_epoch(epoch, written == 1);
        Ok(epoch)
    }

    /// Remembers `epoch`; a marker this call wrote, or a later one than this instance saw, is a
    /// reset: one warning and one count per instance and reset. (Epochs only move forward: an
    /// answer read before a reset, arriving after a newer one, is not a second reset.)
    fn note_epoch(&self, epoch: i64, written: bool) {
        let seen = self.epoch.fetch_max(epoch, Ordering::AcqRel);
        if seen >= epoch {
            return;
        }
        if written || seen != EPOCH_UNKNOWN {
            paseto_auth_core::metrics::store_reset();
            let at = OffsetDateTime::from_unix_timestamp(epoch)
                .map(|at| at.to_string())
                .unwrap_or_default();
            tracing::warn!(
                epoch = %at,
                "the Redis store has no record of its revocations before {at} (it is new, or it \
                 lost its data: a restart without persistence, a flush, a failover to an empty \
                 replica): tokens issued before then are refused until they expire, and their \
                 users log in again"
            );
        }
    }

    /// Whether `token` may have been issued before the store's epoch `epoch` (unix seconds), as
    /// far as can be told at `now`: one issued in the epoch's own second may (times are whole
    /// seconds, and the loss came before its discovery), and one without an issue time may, for
    /// the reset window.
    fn predates(&self, epoch: i64, token: &TokenRef<'_>, now: OffsetDateTime) -> bool {
        match token.issued_at {
            Some(iat) => iat.unix_timestamp() <= epoch,
            None => {
                let window = i64::try_from(self.reset_window.as_secs()).unwrap_or(i64::MAX);
                now.unix_timestamp() < epoch.saturating_add(window)
            }
        }
    }

    /// What the server keeps on disk, when it lets `CONFIG` be read.
    pub async fn persistence(&self) -> Option<Persistence> {
        persistence(&mut self.connection.clone()).await
    }
}

/// What a Redis server writes to disk, as `CONFIG GET appendonly` and `save` say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persistence {
    /// The append-only file is on (`appendonly yes`): every write is logged.
    pub append_only: bool,
    /// Snapshots are taken (`save` is not empty): writes since the last one are lost in a crash.
    pub snapshots: bool,
}

impl Persistence {
    /// Whether a crash keeps every revocation written (up to `appendfsync`'s last second): the
    /// append-only file. Snapshots alone lose what came after the last one, and the epoch marker
    /// (which survives in the snapshot) cannot tell: a restore from a snapshot brings back the
    /// tokens revoked since.
    pub fn is_durable(&self) -> bool {
        self.append_only
    }
}

async fn persistence(connection: &mut ConnectionManager) -> Option<Persistence> {
    let appendonly = config_get(connection, "appendonly").await?;
    let save = config_get(connection, "save").await?;
    Some(Persistence {
        append_only: appendonly.eq_ignore_ascii_case("yes"),
        snapshots: !save.trim().is_empty(),
    })
}

/// `CONFIG GET name`'s value; `None` when the server refuses (managed servers often do).
async fn config_get(connection: &mut ConnectionManager, name: &str) -> Option<String> {
    let answer: redis::RedisResult<Vec<String>> = redis::cmd("CONFIG")
        .arg("GET")
        .arg(name)
        .query_async(connection)
        .await;
    answer.ok()?.into_iter().nth(1)
}

const NO_PERSISTENCE: &str = "Redis does not log its writes (appendonly no): a restart loses every \
                              revocation since the last snapshot, if any";

/// Warns when the server may evict keys (an evicted revocation is a token that works again) or
/// keeps nothing on disk, and says whether it keeps data on disk (`None`: it does not let
/// `CONFIG` be read, as managed servers often do; they are not second-guessed).
async fn check_server_config(connection: &mut ConnectionManager) -> Option<bool> {
    if let Some(policy) = config_get(connection, "maxmemory-policy").await
        && policy != "noeviction"
    {
        tracing::warn!(
            policy = %untrusted(&policy),
            "Redis may evict keys (maxmemory-policy is not noeviction): evicted revocations are forgotten"
        );
    }
    let Some(persistence) = persistence(connection).await else {
        tracing::info!("Redis does not let CONFIG be read: its persistence is not checked");
        return None;
    };
    if !persistence.is_durable() {
        // Without snapshots a restart is a wipe, which the epoch marker catches; with them it is a
        // rollback to the last one, which it cannot.
        let consequence = if persistence.snapshots {
            "a restart from a snapshot brings back the tokens revoked after it, unseen"
        } else {
            "a restart is a wipe: tokens issued before it are then refused, and their users log \
             in again"
        };
        tracing::warn!(
            "{NO_PERSISTENCE} ({consequence}); turn on AOF (appendonly yes), or set \
             PASETO_REDIS_REQUIRE_PERSISTENCE=true to refuse such a server"
        );
    }
    Some(persistence.is_durable())
}

/// Refuses a server older than [`MIN_REDIS_VERSION`]; one that hides its version is let be.
async fn check_version(connection: &mut ConnectionManager) -> Result<()> {
    let info: redis::RedisResult<String> = redis::cmd("INFO")
        .arg("server")
        .query_async(connection)
        .await;
    let Ok(info) = info else {
        return Ok(());
    };
    let Some(version) = info
        .lines()
        .find_map(|line| line.strip_prefix("redis_version:"))
    else {
        return Ok(());
    };
    let mut parts = version.trim().split('.').map(|part| part.parse::<u32>());
    let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) else {
        return Ok(());
    };
    if (major, minor) < MIN_REDIS_VERSION {
        return Err(Error::Setup(format!(
            "Redis {}.{} or later is needed (SET … EXAT); this server is {}",
            MIN_REDIS_VERSION.0,
            MIN_REDIS_VERSION.1,
            untrusted(version.trim())
        )));
    }
    Ok(())
}

/// What a store keeps about a value: its kind, and the base64url SHA-256 of the value.
fn entry_name(kind: &str, value: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"paseto-auth:")
        .chain_update(kind.as_bytes())
        .chain_update(b":")
        .chain_update(value.as_bytes())
        .finalize();
    let mut name = String::with_capacity(kind.len() + 44);
    name.push_str(kind);
    name.push(':');
    name.push_str(&Base64UrlUnpadded::encode_string(&digest));
    name
}

fn unavailable(err: redis::RedisError) -> StoreError {
    StoreError::Unavailable(Cause::new(err))
}

impl TokenStore for RedisStore {
    fn revoke_token<'a>(
        &'a self,
        token_id: &'a str,
        expires_at: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        self.widen(
            self.key("jti", token_id),
            1,
            Some(expires_at.unix_timestamp()),
        )
    }

    fn revoke_family<'a>(&'a self, family: &'a str, until: OffsetDateTime) -> StoreFuture<'a, ()> {
        self.widen(self.key("fam", family), 1, Some(until.unix_timestamp()))
    }

    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        before: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let before = before.unix_timestamp();
        let retention = i64::try_from(self.subject_retention.as_secs()).unwrap_or(i64::MAX);
        self.widen(
            self.key("sub", subject),
            before,
            Some(before.saturating_add(retention)),
        )
    }

    fn revoke_key<'a>(&'a self, key_id: &'a str) -> StoreFuture<'a, ()> {
        self.widen(self.key("kid", key_id), 1, None)
    }

    fn rotate<'a>(&'a self, rotation: Rotation<'a>) -> StoreFuture<'a, Rotated> {
        let generation_key = self.key("gen", rotation.family);
        let answer_key = self.key("ans", rotation.family);
        let retried_key = self.key("rty", rotation.family);
        let until = rotation.until.unix_timestamp().clamp(1, MAX_EXPIRY);
        let grace = u64::try_from(rotation.grace.as_millis()).unwrap_or(u64::MAX);
        let answer = rotation.answer.to_vec();
        Box::pin(async move {
            let outcome: redis::Value = self
                .send(!rotation.grace.is_zero(), |mut connection| {
                    let mut invocation = ROTATE.prepare_invoke();
                    invocation
                        .key(&generation_key)
                        .key(&answer_key)
                        .key(&retried_key)
                        .arg(rotation.generation)
                        .arg(until)
                        .arg(&answer)
                        .arg(grace);
                    Box::pin(async move { invocation.invoke_async(&mut connection).await })
                })
                .await?;
            match outcome {
                redis::Value::Int(1) => Ok(Rotated::Rotated),
                redis::Value::BulkString(answer) => Ok(Rotated::Retried(answer)),
                _ => Ok(Rotated::Reused),
            }
        })
    }

    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        let keys = [
            token.token_id.map(|jti| self.key("jti", jti)),
            token.family.map(|fam| self.key("fam", fam)),
            token.subject.map(|sub| self.key("sub", sub)),
            token.key_id.map(|kid| self.key("kid", kid)),
            Some(self.epoch_key()),
        ];
        Box::pin(async move {
            let present: Vec<&String> = keys.iter().flatten().collect();
            let values: Vec<Option<i64>> = self
                .send(true, |mut connection| {
                    let command = redis::cmd("MGET").arg(&present).clone();
                    Box::pin(async move { command.query_async(&mut connection).await })
                })
                .await?;
            let mut values = values.into_iter();
            let mut next = |asked: bool| if asked { values.next().flatten() } else { None };
            let by_id = next(keys[0].is_some()).is_some();
            let by_family = next(keys[1].is_some()).is_some();
            let subject = next(keys[2].is_some());
            let by_key = next(keys[3].is_some()).is_some();
            let epoch = match next(true) {
                Some(epoch) => {
                    self.note_epoch(epoch, false);
                    epoch
                }
                None => self.read_epoch().await?,
            };
            let by_subject = subject.is_some_and(|before| subject_covers(before, token.issued_at));
            let by_reset = self.predates(epoch, &token, OffsetDateTime::now_utc());
            Ok([
                (by_id, RevokedBy::TokenId),
                (by_family, RevokedBy::Family),
                (by_subject, RevokedBy::Subject),
                (by_key, RevokedBy::Key),
                (by_reset, RevokedBy::StoreReset),
            ]
            .into_iter()
            .find_map(|(revoked, by)| revoked.then_some(by)))
        })
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("subject_retention", &self.subject_retention)
            .field("reset_window", &self.reset_window)
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
}
