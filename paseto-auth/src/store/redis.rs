//! Revocations in Redis, shared by every instance of a service (feature `redis`).
//!
//! The client is redis-rs, Redis's own Rust client: its `ConnectionManager` multiplexes every
//! request of the process over one connection and reconnects on its own after a failure, which
//! is what a store asked on every request needs (fred would do as well; redis-rs has the smaller
//! dependency tree and is maintained with the server).

use std::fmt;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use time::OffsetDateTime;

use super::memory::DEFAULT_SUBJECT_RETENTION;
use super::{RevokedBy, StoreError, StoreFuture, TokenRef, TokenStore, entry_name, subject_covers};
use crate::error::{Cause, Error, Result};

/// The prefix of every key a [`RedisStore`] writes, unless set otherwise.
pub const DEFAULT_REDIS_PREFIX: &str = "paseto-auth:";

/// Revocations in Redis: every instance that uses the same server (and prefix) sees every
/// revocation. A token revocation's key expires with the token (`EXAT` its `exp`), a subject's
/// after the retention, a key's never. A check is one `MGET` of at most three keys.
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

    /// `SET key value [EXAT expires]`.
    fn set<'a>(&'a self, key: String, value: i64, expires: Option<i64>) -> StoreFuture<'a, ()> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            let mut command = redis::cmd("SET");
            command.arg(&key).arg(value);
            if let Some(expires) = expires {
                command.arg("EXAT").arg(expires.max(1));
            }
            command
                .query_async::<()>(&mut connection)
                .await
                .map_err(unavailable)
        })
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
        self.set(
            self.key("jti", token_id),
            1,
            Some(expires_at.unix_timestamp()),
        )
    }

    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        before: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        let before = before.unix_timestamp();
        let retention = i64::try_from(self.subject_retention.as_secs()).unwrap_or(i64::MAX);
        let key = self.key("sub", subject);
        let mut connection = self.connection.clone();
        Box::pin(async move {
            // Only ever widen: a later `before` replaces an earlier one, never the reverse
            // (another instance may have written a later one meanwhile).
            redis::Script::new(
                "local old = tonumber(redis.call('GET', KEYS[1]) or '0') \
                 if tonumber(ARGV[1]) > old then \
                   redis.call('SET', KEYS[1], ARGV[1], 'EXAT', ARGV[2]) \
                 end return 0",
            )
            .key(key)
            .arg(before)
            .arg(before.saturating_add(retention).max(1))
            .invoke_async::<i64>(&mut connection)
            .await
            .map(|_| ())
            .map_err(unavailable)
        })
    }

    fn revoke_key<'a>(&'a self, key_id: &'a str) -> StoreFuture<'a, ()> {
        self.set(self.key("kid", key_id), 1, None)
    }

    fn check<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        let keys = [
            token.token_id.map(|jti| self.key("jti", jti)),
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
            let subject = next(keys[1].is_some());
            let by_key = next(keys[2].is_some()).is_some();
            let by_subject = subject.is_some_and(|before| subject_covers(before, token.issued_at));
            Ok(match (by_id, by_subject, by_key) {
                (true, _, _) => Some(RevokedBy::TokenId),
                (_, true, _) => Some(RevokedBy::Subject),
                (_, _, true) => Some(RevokedBy::Key),
                _ => None,
            })
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
