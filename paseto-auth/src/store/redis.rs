//! Revocations in Redis, shared by every instance of a service (feature `redis`).
//!
//! The client is redis-rs, Redis's own Rust client: its `ConnectionManager` multiplexes every
//! request of the process over one connection and reconnects on its own after a failure, which
//! is what a store asked on every request needs (fred would do as well; redis-rs has the smaller
//! dependency tree and is maintained with the server).

use std::fmt;
use std::sync::LazyLock;
use std::time::Duration;

use base64ct::{Base64UrlUnpadded, Encoding};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::memory::DEFAULT_SUBJECT_RETENTION;
use super::{RevokedBy, StoreError, StoreFuture, TokenRef, TokenStore, subject_covers};
use crate::error::{Cause, Error, Result};

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

/// The rotation of [`RedisStore::rotate`]: `ARGV[1]` the generation presented, `ARGV[2]` the
/// expiry in unix seconds. One script: no other client reads or writes between the compare and
/// the set.
static ROTATE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current ~= tonumber(ARGV[1]) then
          return 0
        end
        local expires = tonumber(ARGV[2])
        local ttl = redis.call('TTL', KEYS[1])
        if ttl >= 0 then
          expires = math.max(expires, tonumber(redis.call('TIME')[1]) + ttl)
        end
        redis.call('SET', KEYS[1], current + 1, 'EXAT', expires)
        return 1
        ",
    )
});

/// The latest expiry written (the year 9999): Redis refuses larger ones.
const MAX_EXPIRY: i64 = 253_402_300_799;

/// The prefix of every key a [`RedisStore`] writes, unless set otherwise.
pub const DEFAULT_REDIS_PREFIX: &str = "paseto-auth:";

/// Revocations in Redis: every instance that uses the same server (and prefix) sees every
/// revocation. Run the server with `maxmemory-policy noeviction` (Redis's default): an evicted
/// entry is a forgotten revocation (a warning is logged at connection when the policy is another). A token revocation's key expires with the token (`EXAT` its `exp`), a family's
/// with its last token, a subject's after the retention, a key's never; writes only ever widen a
/// revocation (one Lua script each). A check is one `MGET` of at most four keys.
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    subject_retention: Duration,
}

impl RedisStore {
    /// Connects to the server at `url` (`redis://host:port/db`, `rediss://` for TLS), with keys
    /// under [`DEFAULT_REDIS_PREFIX`]. Fails when the URL is not one, or the server cannot be
    /// reached within two seconds; after that, lost connections are re-established on their own.
    pub async fn connect(url: &str) -> Result<Self> {
        let client = redis::Client::open(url)
            .map_err(|err| Error::Setup(format!("not a Redis URL: {err}")))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1);
        let connection = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|err| Error::Setup(format!("cannot reach Redis: {err}")))?;
        warn_on_eviction(&mut connection.clone()).await;
        Ok(RedisStore {
            connection,
            prefix: DEFAULT_REDIS_PREFIX.to_owned(),
            subject_retention: DEFAULT_SUBJECT_RETENTION,
        })
    }

    /// Connects to the server in the environment variable `PASETO_REDIS_URL`; `Ok(None)` when it
    /// is unset. A URL that does not parse, or a server that cannot be reached, is an
    /// [`Error::Config`] naming the variable.
    pub async fn from_env() -> Result<Option<Self>> {
        const SETTING: &str = "PASETO_REDIS_URL";
        let Some(url) = crate::config::env_var(SETTING)? else {
            return Ok(None);
        };
        Self::connect(&url)
            .await
            .map(Some)
            .map_err(|err| Error::config(SETTING, err))
    }

    /// Keys under `prefix` instead (one server, several services or environments).
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a subject revocation is kept (default [`DEFAULT_SUBJECT_RETENTION`]).
    #[must_use]
    pub fn subject_retention(mut self, retention: Duration) -> Self {
        self.subject_retention = retention;
        self
    }

    fn key(&self, kind: &str, value: &str) -> String {
        let mut key = self.prefix.clone();
        key.push_str(&entry_name(kind, value));
        key
    }

    /// Records `value` under `key` until `expires` (unix seconds; `None`: for ever), only ever
    /// widening what is there: the larger value, the later expiry (another instance may have
    /// written a wider revocation meanwhile, and a shorter one must not cut it back). One
    /// script, so no other client sees or writes between the read and the write.
    fn widen<'a>(&'a self, key: String, value: i64, expires: Option<i64>) -> StoreFuture<'a, ()> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            WIDEN
                .key(key)
                .arg(value)
                .arg(expires.map_or(0, |at| at.clamp(1, MAX_EXPIRY)))
                .invoke_async::<i64>(&mut connection)
                .await
                .map(|_| ())
                .map_err(unavailable)
        })
    }
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

/// Logs a warning when the server may evict keys: an evicted revocation is a token that works
/// again. Servers that refuse `CONFIG` (managed ones, often) are not second-guessed.
async fn warn_on_eviction(connection: &mut ConnectionManager) {
    let answer: redis::RedisResult<Vec<String>> = redis::cmd("CONFIG")
        .arg("GET")
        .arg("maxmemory-policy")
        .query_async(connection)
        .await;
    if let Ok(answer) = answer
        && let Some(policy) = answer.get(1)
        && policy != "noeviction"
    {
        tracing::warn!(
            policy = %crate::error::untrusted(policy),
            "Redis may evict keys (maxmemory-policy is not noeviction): evicted revocations are forgotten"
        );
    }
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

    fn rotate<'a>(
        &'a self,
        family: &'a str,
        generation: u64,
        until: OffsetDateTime,
    ) -> StoreFuture<'a, bool> {
        let key = self.key("gen", family);
        let until = until.unix_timestamp().clamp(1, MAX_EXPIRY);
        let mut connection = self.connection.clone();
        Box::pin(async move {
            ROTATE
                .key(key)
                .arg(generation)
                .arg(until)
                .invoke_async::<i64>(&mut connection)
                .await
                .map(|rotated| rotated == 1)
                .map_err(unavailable)
        })
    }

    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        let keys = [
            token.token_id.map(|jti| self.key("jti", jti)),
            token.family.map(|fam| self.key("fam", fam)),
            token.subject.map(|sub| self.key("sub", sub)),
            token.key_id.map(|kid| self.key("kid", kid)),
        ];
        let mut connection = self.connection.clone();
        Box::pin(async move {
            let present: Vec<&String> = keys.iter().flatten().collect();
            if present.is_empty() {
                return Ok(None);
            }
            let values: Vec<Option<i64>> = redis::cmd("MGET")
                .arg(&present)
                .query_async(&mut connection)
                .await
                .map_err(unavailable)?;
            let mut values = values.into_iter();
            let mut next = |asked: bool| if asked { values.next().flatten() } else { None };
            let by_id = next(keys[0].is_some()).is_some();
            let by_family = next(keys[1].is_some()).is_some();
            let subject = next(keys[2].is_some());
            let by_key = next(keys[3].is_some()).is_some();
            let by_subject = subject.is_some_and(|before| subject_covers(before, token.issued_at));
            Ok([
                (by_id, RevokedBy::TokenId),
                (by_family, RevokedBy::Family),
                (by_subject, RevokedBy::Subject),
                (by_key, RevokedBy::Key),
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
            .finish_non_exhaustive()
    }
}
