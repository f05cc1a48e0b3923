//! Revocations in PostgreSQL, shared by every instance of a service: the [`PostgresStore`] of
//! paseto-auth (re-exported as `paseto_auth::store::PostgresStore` with its `postgres` feature),
//! for services that run PostgreSQL and no Redis. Its own crate, so that a major version of its
//! client is a major version of this crate only.
//!
//! **The client** is tokio-postgres, with a deadpool-postgres pool. sqlx would do as well; this
//! pair builds 76 crates against sqlx's 148 (the store needs neither query macros nor a
//! migration runner: three tables and one function), exposes the server's `NOTIFY` messages on
//! the connection itself, and both are maintained alongside the protocol they speak. The pool
//! waits a bounded time for a free connection ([`PostgresStoreBuilder::pool_timeout`]), then
//! fails the call (503 when failing closed), and every statement has a server-side timeout, so
//! that a hung query gives its connection back.
//!
//! **Semantics are the Redis store's**, held to the same conformance suite: revocations only
//! widen (one `INSERT … ON CONFLICT DO UPDATE` taking the larger value and the later expiry), a
//! refresh family's rotation is one call of a PL/pgSQL function that locks the family's row (of
//! concurrent uses of one generation, on any instance, exactly one rotates), and expired rows are
//! deleted by a background task in bounded batches, by an index on the expiry, never on the
//! request path.
//!
//! **A mirror per instance.** As with Redis, a guarded request asks no one: each instance keeps a
//! copy of the revocations in force ([`Mirror`]). Every revocation write takes the next number
//! of a feed (one row, updated in the write's transaction, so numbers commit in order) and sends
//! a `NOTIFY`; each instance `LISTEN`s on a connection of its own and, when woken or once a
//! heartbeat, reads the rows past the last number it has. Notifications sent while an instance
//! is disconnected are lost, so the numbers, not the notifications, carry the data: after a
//! reconnect the same read catches up. The copy trusts itself for the staleness bound after
//! PostgreSQL last answered that read, and past it every check asks the database
//! ([`paseto_auth_core::store::mirror`]).
//!
//! **A database that loses data** (restored from a backup, a failover to a replica that lagged)
//! must not un-revoke. The store keeps an epoch marker ([`paseto_auth_core::store::epoch`]): a
//! missing one is written again with the time of its discovery, and an instance whose feed had
//! read past the number the database now holds declares a new epoch; tokens issued before it
//! are refused ([`RevokedBy::StoreReset`]) until they expire.
//!
//! The tables are created by embedded, versioned migrations at connect time (see
//! [`PostgresStore::schema_sql`] for an operator who creates them by hand).

mod feed;
mod purge;
mod schema;
mod statements;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use time::OffsetDateTime;
use tokio_postgres::NoTls;
use tokio_postgres::config::SslMode;
use tokio_postgres::types::ToSql;

use paseto_auth_core::settings::{Namespace, Settings};
use paseto_auth_core::store::epoch::{DEFAULT_RESET_WINDOW, EpochWatch};
use paseto_auth_core::store::mirror::{Entry, EntryKind, Mirror, MirrorSettings, digest, entry_id};
use paseto_auth_core::store::{
    DEFAULT_STORE_TIMEOUT, DEFAULT_SUBJECT_RETENTION, RevokedBy, Rotated, Rotation, StoreError,
    StoreFuture, TokenRef, TokenStore, subject_covers,
};
use paseto_auth_core::{Cause, Error, Result, untrusted};

use statements::Statements;

/// The schema the store's tables live in, unless set otherwise.
pub const DEFAULT_POSTGRES_SCHEMA: &str = "paseto_auth";

/// How many connections a store's pool holds at most, by default (the feed has one more).
pub const DEFAULT_POOL_SIZE: usize = 16;

/// How long a statement may run on the server before it is cancelled: a hung query (a lock held
/// by an operator's session) gives its connection back to the pool.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(2);

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Revocations in PostgreSQL: every instance that uses the same database (and schema) sees
/// every revocation. A check reads the instance's [`Mirror`]; without one (or when it is stale)
/// it is one indexed query. See the [crate] documentation, and the "Production PostgreSQL"
/// checklist of `paseto_auth::docs::revocation`.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
    /// The feed and the purge, stopped when the last clone of the store is dropped.
    _tasks: Arc<Tasks>,
}

/// What the store's clones and its tasks share.
struct Inner {
    pool: Pool,
    statements: Statements,
    schema: String,
    subject_retention: Duration,
    epoch: EpochWatch,
    mirror: Option<Mirror>,
}

/// The store's background tasks.
struct Tasks {
    _feed: Option<feed::FeedTask>,
    _purge: purge::PurgeTask,
}

/// Builds a [`PostgresStore`].
#[derive(Debug, Clone)]
#[must_use]
pub struct PostgresStoreBuilder {
    schema: String,
    subject_retention: Duration,
    reset_window: Duration,
    mirror: MirrorSettings,
    pool_size: usize,
    pool_timeout: Duration,
    migrate: bool,
}

impl Default for PostgresStoreBuilder {
    fn default() -> Self {
        PostgresStoreBuilder {
            schema: DEFAULT_POSTGRES_SCHEMA.to_owned(),
            subject_retention: DEFAULT_SUBJECT_RETENTION,
            reset_window: DEFAULT_RESET_WINDOW,
            mirror: MirrorSettings::default(),
            pool_size: DEFAULT_POOL_SIZE,
            pool_timeout: DEFAULT_STORE_TIMEOUT,
            migrate: true,
        }
    }
}

impl PostgresStoreBuilder {
    /// Tables in `schema` instead of [`DEFAULT_POSTGRES_SCHEMA`] (one database, several services
    /// or environments; `PASETO_POSTGRES_SCHEMA`). A plain identifier: lower-case letters,
    /// digits and `_`.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = schema.into();
        self
    }

    /// How long a subject revocation is kept (default [`DEFAULT_SUBJECT_RETENTION`]).
    pub fn subject_retention(mut self, retention: Duration) -> Self {
        self.subject_retention = retention;
        self
    }

    /// How long after a store reset a token without `iat` is refused (default
    /// [`DEFAULT_RESET_WINDOW`], `PASETO_POSTGRES_RESET_WINDOW`): the longest lifetime such
    /// tokens have.
    pub fn reset_window(mut self, window: Duration) -> Self {
        self.reset_window = window;
        self
    }

    /// Whether to keep a local mirror of the revocations (default on; `PASETO_REVOCATION_MIRROR`)
    /// and how long it trusts itself without hearing from the database
    /// (`PASETO_REVOCATION_MAX_STALENESS`): see [`Mirror`].
    pub fn mirror(mut self, settings: MirrorSettings) -> Self {
        self.mirror = settings;
        self
    }

    /// At most `size` pooled connections (default [`DEFAULT_POOL_SIZE`];
    /// `PASETO_POSTGRES_POOL_SIZE`).
    pub fn pool_size(mut self, size: usize) -> Self {
        self.pool_size = size;
        self
    }

    /// How long a call waits for a free connection before it fails (default: the store timeout
    /// of [`Revocations`](paseto_auth_core::store::Revocations), 100 ms).
    pub fn pool_timeout(mut self, timeout: Duration) -> Self {
        self.pool_timeout = timeout;
        self
    }

    /// Whether connecting creates or upgrades the tables (default true;
    /// `PASETO_POSTGRES_MIGRATE`). Off, it only checks that they are at this crate's version
    /// (an operator ran [`PostgresStore::schema_sql`]).
    pub fn migrate(mut self, migrate: bool) -> Self {
        self.migrate = migrate;
        self
    }

    /// Connects to the database at `url` (`postgres://user:password@host:port/database`, or
    /// key-value form). Fails when the URL is not one, asks for TLS (`sslmode=require`: not in
    /// this build), the schema name is not a plain identifier, the database cannot be reached
    /// within two seconds, or the tables cannot be created or are at another version; after
    /// that, lost connections are made again on their own. With a mirror, waits (two seconds at
    /// most) for it to load.
    pub async fn connect(self, url: &str) -> Result<PostgresStore> {
        schema::check_name(&self.schema)
            .map_err(|problem| Error::Setup(format!("the schema name {problem}")))?;
        if self.pool_size == 0 {
            return Err(Error::Setup("the pool size must be at least 1".into()));
        }
        let config = client_config(url)?;
        let (mut client, connection) = config
            .connect(NoTls)
            .await
            .map_err(|err| Error::Setup(format!("cannot reach PostgreSQL: {}", describe(&err))))?;
        let driver = tokio::spawn(connection);
        schema::prepare(&mut client, &self.schema, self.migrate).await?;
        drop(client);
        let _ = driver.await;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(self.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(self.pool_timeout))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|err| Error::Setup(format!("cannot build the pool: {}", untrusted(err))))?;
        let statements = Statements::new(&self.schema);
        warm(&pool, &statements, self.pool_size).await;
        let mirror = self
            .mirror
            .enabled
            .then(|| Mirror::new(self.mirror.max_staleness));
        let inner = Arc::new(Inner {
            pool,
            statements,
            schema: self.schema,
            subject_retention: self.subject_retention,
            epoch: EpochWatch::new("PostgreSQL", self.reset_window),
            mirror,
        });
        // Written now, before this service issues a token, so that none of its tokens predates
        // a marker a brand-new store gets.
        inner
            .read_epoch()
            .await
            .map_err(|err| Error::Setup(format!("cannot write to PostgreSQL: {err}")))?;
        let feed = match inner.mirror {
            Some(_) => Some(feed::FeedTask::start(inner.clone(), config).await),
            None => None,
        };
        let tasks = Tasks {
            _feed: feed,
            _purge: purge::PurgeTask::start(inner.clone()),
        };
        Ok(PostgresStore {
            inner,
            _tasks: Arc::new(tasks),
        })
    }
}

/// Opens every connection of the pool, each with the statements of a check and a rotation
/// prepared: the first requests after start-up (a burst of refreshes, say) then wait for no
/// connection to be made, which takes longer than a store call may under load. A database that
/// refuses some (its `max_connections`) is warned about; the pool makes them on demand.
async fn warm(pool: &Pool, statements: &Statements, size: usize) {
    let mut opening = tokio::task::JoinSet::new();
    for _ in 0..size {
        let pool = pool.clone();
        let prepared = [statements.check.clone(), statements.rotate.clone()];
        opening.spawn(async move {
            let client = pool.get().await.map_err(untrusted)?;
            for sql in &prepared {
                client
                    .prepare_cached(sql)
                    .await
                    .map_err(|err| describe(&err))?;
            }
            // Held until every one is open, so that each task opens a connection of its own.
            Ok::<_, String>(client)
        });
    }
    let mut open = Vec::with_capacity(size);
    let mut failure = None;
    while let Some(opened) = opening.join_next().await {
        match opened {
            Ok(Ok(client)) => open.push(client),
            Ok(Err(err)) => failure = Some(err),
            Err(err) => failure = Some(untrusted(err)),
        }
    }
    if let Some(err) = failure {
        tracing::warn!(
            open = open.len(),
            size,
            error = %err,
            "not every PostgreSQL connection of the pool could be opened at start-up"
        );
    }
}

/// The client configuration of `url`, with the store's timeouts.
fn client_config(url: &str) -> Result<tokio_postgres::Config> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|err: tokio_postgres::Error| Error::Setup(describe(&err)))?;
    if config.get_ssl_mode() == SslMode::Require {
        return Err(Error::Setup(
            "sslmode=require: this build of paseto-auth-postgres has no TLS; connect over a \
             private network or a local socket, or through a TLS-terminating proxy"
                .into(),
        ));
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    let options = format!(
        "{} -c statement_timeout={}",
        config.get_options().unwrap_or_default(),
        STATEMENT_TIMEOUT.as_millis()
    );
    config.options(options.trim_start());
    if config.get_application_name().is_none() {
        config.application_name("paseto-auth");
    }
    Ok(config)
}

impl PostgresStore {
    /// A builder, for a schema, pool or retention of its own.
    pub fn builder() -> PostgresStoreBuilder {
        PostgresStoreBuilder::default()
    }

    /// Connects to the database at `url` with tables in [`DEFAULT_POSTGRES_SCHEMA`]
    /// ([`PostgresStoreBuilder::connect`]).
    pub async fn connect(url: &str) -> Result<Self> {
        Self::builder().connect(url).await
    }

    /// The SQL that creates the tables in `schema` at this crate's version, for an operator
    /// who creates them by hand and connects with [`PostgresStoreBuilder::migrate`] off. An
    /// error when `schema` is not a plain identifier.
    pub fn schema_sql(schema: &str) -> Result<String> {
        schema::check_name(schema)
            .map_err(|problem| Error::Setup(format!("the schema name {problem}")))?;
        Ok(schema::all_sql(schema))
    }

    /// The names the PostgreSQL store owns in a file of settings: `PASETO_POSTGRES_*` (see
    /// [`paseto_auth_core::settings`]); it reads `PASETO_REVOCATION_*` too
    /// ([`MirrorSettings::NAMESPACE`]).
    pub const NAMESPACE: Namespace = Namespace {
        prefixes: &["PASETO_POSTGRES_"],
        except: &[],
        names: &[
            "PASETO_POSTGRES_URL",
            "PASETO_POSTGRES_SCHEMA",
            "PASETO_POSTGRES_POOL_SIZE",
            "PASETO_POSTGRES_MIGRATE",
            "PASETO_POSTGRES_RESET_WINDOW",
        ],
    };

    /// Connects as the environment says ([`from_settings`](Self::from_settings)).
    pub async fn from_env() -> Result<Option<Self>> {
        Self::from_settings(&Settings::env()).await
    }

    /// Connects as `settings` say: to `PASETO_POSTGRES_URL` (`Ok(None)` when it is not set),
    /// with `PASETO_POSTGRES_SCHEMA`, `PASETO_POSTGRES_POOL_SIZE`, `PASETO_POSTGRES_MIGRATE`
    /// (`true`/`false`), `PASETO_POSTGRES_RESET_WINDOW` (seconds), `PASETO_REVOCATION_MIRROR` and
    /// `PASETO_REVOCATION_MAX_STALENESS` (seconds). A bad value, an unreachable database or one
    /// that fails the checks of [`PostgresStoreBuilder::connect`] is an [`Error::Config`] naming
    /// the setting; an unknown `PASETO_POSTGRES_*` or `PASETO_REVOCATION_*` name is an error.
    pub async fn from_settings(settings: &Settings) -> Result<Option<Self>> {
        const URL: &str = "PASETO_POSTGRES_URL";
        const SCHEMA: &str = "PASETO_POSTGRES_SCHEMA";
        const POOL_SIZE: &str = "PASETO_POSTGRES_POOL_SIZE";
        settings.check_names(&Self::NAMESPACE)?;
        let mirror = MirrorSettings::from_settings(settings)?;
        let mut builder = Self::builder().mirror(mirror);
        if let Some(schema) = settings.text(SCHEMA)? {
            schema::check_name(&schema).map_err(|problem| Error::config(SCHEMA, problem))?;
            builder = builder.schema(schema);
        }
        if let Some(size) = settings.whole(POOL_SIZE, "a whole number")? {
            let size = usize::try_from(size)
                .ok()
                .filter(|size| *size > 0)
                .ok_or_else(|| Error::config(POOL_SIZE, "must be at least 1"))?;
            builder = builder.pool_size(size);
        }
        if let Some(migrate) = settings.bool("PASETO_POSTGRES_MIGRATE")? {
            builder = builder.migrate(migrate);
        }
        if let Some(window) = settings.seconds("PASETO_POSTGRES_RESET_WINDOW")? {
            builder = builder.reset_window(window);
        }
        let Some(url) = settings.text(URL)? else {
            return Ok(None);
        };
        match builder.connect(&url).await {
            Ok(store) => Ok(Some(store)),
            Err(err @ Error::Config { .. }) => Err(err),
            Err(err) => Err(Error::config(URL, err)),
        }
    }

    /// The instance's mirror of the revocations, when it keeps one.
    pub fn mirror(&self) -> Option<&Mirror> {
        self.inner.mirror.as_ref()
    }

    /// Deletes the revocations and refresh families that ended, now, in bounded batches (the
    /// store does it every minute in the background); how many rows went.
    pub async fn purge_ended(&self) -> std::result::Result<u64, StoreError> {
        purge::purge_ended(&self.inner).await
    }

    /// The schema the store's tables are in.
    pub fn schema(&self) -> &str {
        &self.inner.schema
    }
}

/// A client error with its source (tokio-postgres shows `db error` alone, the server's message
/// being its source), escaped: the server may quote what it was sent.
fn describe(err: &tokio_postgres::Error) -> String {
    match std::error::Error::source(err) {
        Some(source) => untrusted(format!("{err}: {source}")),
        None => untrusted(err),
    }
}

/// A store call that failed, as the caller sees it.
#[derive(Debug)]
struct Failed(String);

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failed {}

fn unavailable(message: String) -> StoreError {
    StoreError::Unavailable(Cause::new(Failed(message)))
}

/// Why one attempt of a call failed: the pool had no connection, the connection was found
/// closed (the server restarted: worth one more attempt on a new one), or another error.
enum Attempt {
    Pool(deadpool_postgres::PoolError),
    Closed(tokio_postgres::Error),
    Failed(tokio_postgres::Error),
}

impl From<Attempt> for StoreError {
    fn from(attempt: Attempt) -> Self {
        match attempt {
            Attempt::Pool(err) => unavailable(format!(
                "no PostgreSQL connection in time: {}",
                untrusted(err)
            )),
            Attempt::Closed(err) | Attempt::Failed(err) => unavailable(describe(&err)),
        }
    }
}

/// A statement's parameters.
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl Inner {
    /// Runs `sql` with `params` on a pooled connection; once more on another when the first was
    /// found closed and `resendable` (the first may have been applied before the connection
    /// died, which reads, widening writes and rotations kept for a retry can bear).
    async fn query(
        &self,
        sql: &str,
        params: Params<'_>,
        resendable: bool,
    ) -> std::result::Result<Vec<tokio_postgres::Row>, StoreError> {
        match self.query_once(sql, params).await {
            Err(Attempt::Closed(_)) if resendable => Ok(self.query_once(sql, params).await?),
            other => Ok(other?),
        }
    }

    async fn query_once(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> std::result::Result<Vec<tokio_postgres::Row>, Attempt> {
        let client = self.pool.get().await.map_err(Attempt::Pool)?;
        let attempt = |err: tokio_postgres::Error| match err.is_closed() {
            true => Attempt::Closed(err),
            false => Attempt::Failed(err),
        };
        let statement = client.prepare_cached(sql).await.map_err(attempt)?;
        client.query(&statement, params).await.map_err(attempt)
    }

    /// Records `value` for the entry `kind`/`of` until `expires` (unix seconds; `None`: for
    /// ever), only ever widening what is there, with the next feed number and a `NOTIFY`; this
    /// instance's mirror has it at once.
    async fn widen(
        &self,
        kind: EntryKind,
        of: &str,
        value: i64,
        expires: Option<i64>,
    ) -> std::result::Result<(), StoreError> {
        let id = entry_id(kind, of);
        let rows = self
            .query(
                &self.statements.widen,
                &[&&id[..], &kind.as_str(), &value, &expires, &self.schema],
                true,
            )
            .await?;
        let row = rows
            .first()
            .ok_or_else(|| unavailable("the revocation was not written".into()))?;
        let written = Entry {
            value: row.get(0),
            expires: row.get(1),
        };
        if let Some(mirror) = &self.mirror {
            mirror.apply(id, written);
        }
        Ok(())
    }

    /// The epoch marker, written when missing (a new or emptied store).
    async fn read_epoch(&self) -> std::result::Result<i64, StoreError> {
        // Two instances writing a missing marker at once: the one that did not write it may
        // read nothing (its statement's snapshot predates the other's row): read again.
        for _ in 0..2 {
            let rows = self.query(&self.statements.epoch, &[], true).await?;
            if let Some(row) = rows.first() {
                let (written, epoch): (bool, i64) = (row.get(0), row.get(1));
                self.epoch.note(epoch, written);
                return Ok(epoch);
            }
        }
        Err(unavailable("the epoch marker could not be read".into()))
    }

    /// Declares the store's data before now lost (a rollback the feed saw).
    async fn new_epoch(&self) -> std::result::Result<i64, StoreError> {
        let rows = self.query(&self.statements.new_epoch, &[], true).await?;
        let epoch: i64 = rows
            .first()
            .ok_or_else(|| unavailable("the epoch marker was not written".into()))?
            .get(0);
        self.epoch.note(epoch, true);
        Ok(epoch)
    }

    /// The check of `token` by one query (no mirror, or a stale one).
    async fn check_in_database(
        &self,
        token: TokenRef<'_>,
    ) -> std::result::Result<Option<RevokedBy>, StoreError> {
        let asked = [
            (EntryKind::TokenId, token.token_id),
            (EntryKind::Family, token.family),
            (EntryKind::Subject, token.subject),
            (EntryKind::Key, token.key_id),
        ];
        let ids: Vec<Vec<u8>> = asked
            .iter()
            .filter_map(|(kind, value)| Some(entry_id(*kind, (*value)?).to_vec()))
            .collect();
        let rows = self.query(&self.statements.check, &[&ids], true).await?;
        // One row per entry found, each with the epoch; one row of the epoch alone when none
        // is; none when the marker is missing.
        let epoch = match rows.first() {
            Some(row) => {
                let epoch: i64 = row.get(0);
                self.epoch.note(epoch, false);
                epoch
            }
            None => self.read_epoch().await?,
        };
        let found = rows.iter().filter_map(|row| {
            let kind = EntryKind::from_name(row.get::<_, Option<&str>>(1)?)?;
            Some((kind, row.get::<_, i64>(2)))
        });
        let covers = |(kind, value): &(EntryKind, i64)| match kind {
            EntryKind::Subject => subject_covers(*value, token.issued_at),
            _ => true,
        };
        // The order of the checks of every store: token, family, subject, key.
        let mut revoked: Vec<EntryKind> = found.filter(covers).map(|(kind, _)| kind).collect();
        revoked.sort_by_key(|kind| asked.iter().position(|(asked, _)| asked == kind));
        let by_reset = self
            .epoch
            .predates(epoch, &token, OffsetDateTime::now_utc());
        Ok(revoked
            .first()
            .map(|kind| RevokedBy::from(*kind))
            .or(by_reset.then_some(RevokedBy::StoreReset)))
    }
}

impl TokenStore for PostgresStore {
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
        Box::pin(async move {
            let family = digest("refresh", rotation.family);
            let used = i64::try_from(rotation.generation).unwrap_or(i64::MAX);
            let until = rotation.until.unix_timestamp();
            let grace = i64::try_from(rotation.grace.as_millis()).unwrap_or(i64::MAX);
            let rows = inner
                .query(
                    &inner.statements.rotate,
                    &[&&family[..], &used, &until, &rotation.answer, &grace],
                    !rotation.grace.is_zero(),
                )
                .await?;
            let row = rows
                .first()
                .ok_or_else(|| unavailable("the rotation answered nothing".into()))?;
            Ok(match row.get::<_, i32>(0) {
                1 => Rotated::Rotated,
                2 => Rotated::Retried(row.get::<_, Option<Vec<u8>>>(1).unwrap_or_default()),
                _ => Rotated::Reused,
            })
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
        Box::pin(inner.check_in_database(token))
    }

    fn check_at_source<'a>(&'a self, token: TokenRef<'a>) -> StoreFuture<'a, Option<RevokedBy>> {
        Box::pin(self.inner.check_in_database(token))
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.inner.pool.status();
        f.debug_struct("PostgresStore")
            .field("schema", &self.inner.schema)
            .field("pool_size", &status.max_size)
            .field("subject_retention", &self.inner.subject_retention)
            .field("reset_window", &self.inner.epoch.reset_window())
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
        let unset = Settings::from_pairs([("PASETO_POSTGRES_SCHEMA", "tenant")]);
        assert!(
            PostgresStore::from_settings(&unset)
                .await
                .unwrap()
                .is_none()
        );
        // Port 1: nothing listens, but each mistake is found before connecting.
        for (name, value) in [
            ("PASETO_POSTGRES_SCHEMA", "x; DROP TABLE users"),
            ("PASETO_POSTGRES_SCHEMA", "Upper"),
            ("PASETO_POSTGRES_POOL_SIZE", "0"),
            ("PASETO_POSTGRES_POOL_SIZE", "many"),
            ("PASETO_POSTGRES_MIGRATE", "perhaps"),
            ("PASETO_POSTGRES_RESET_WINDOW", "an hour"),
            ("PASETO_REVOCATION_MAX_STALENESS", "0"),
        ] {
            let settings = Settings::from_pairs([
                ("PASETO_POSTGRES_URL", "postgres://u@127.0.0.1:1/db"),
                (name, value),
            ]);
            let err = PostgresStore::from_settings(&settings).await.unwrap_err();
            assert_eq!(setting_of(err), name, "{name}={value}");
        }
        let typo = Settings::from_pairs([("PASETO_POSTGRES_ULR", "postgres://127.0.0.1:1")]);
        let err = PostgresStore::from_settings(&typo).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown setting \"PASETO_POSTGRES_ULR\""),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_bad_url_tls_or_an_unreachable_server_is_an_error_naming_the_url_setting() {
        for (url, says) in [
            ("not a url at all ===", "invalid"),
            (
                "postgres://u@127.0.0.1:1/db?sslmode=require",
                "sslmode=require",
            ),
            (
                "postgres://u:secret-pw@127.0.0.1:1/db",
                "cannot reach PostgreSQL",
            ),
        ] {
            let settings = Settings::from_pairs([("PASETO_POSTGRES_URL", url)]);
            let err = PostgresStore::from_settings(&settings).await.unwrap_err();
            let shown = err.to_string();
            assert!(shown.contains(says), "{url}: {shown}");
            assert!(!shown.contains("secret-pw"), "{shown}");
            assert_eq!(setting_of(err), "PASETO_POSTGRES_URL");
        }
    }
}
