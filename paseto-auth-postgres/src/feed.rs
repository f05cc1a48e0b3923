//! The feed of an instance's [`Mirror`]: a task with a connection of its own that `LISTEN`s for
//! revocations and reads the rows written past the last feed number it has, when a notification
//! wakes it and at least once a heartbeat ([`Mirror::heartbeat`]).
//!
//! The numbers carry the data, the notifications only wake the reader: a notification sent while
//! the connection was down is lost, but after a reconnect the same read (from the last number)
//! brings every row written meanwhile, since numbers commit in order (see the `feed_position`
//! table). Each answer tells the mirror the database answered ([`Mirror::heard`], with the time
//! the read was sent). The same read gives the epoch marker, and the last number given out: one
//! lower than the instance has read means the database lost writes it had acknowledged (a
//! restore, a failover to a replica that lagged), and the feed declares a new epoch.

use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use tokio::sync::Notify;
use tokio_postgres::{AsyncMessage, Client, NoTls, Statement};

use paseto_auth_core::store::mirror::{Entry, EntryId, Mirror};

use crate::statements::FEED_BATCH;
use crate::{Inner, describe};

/// How often entries that ended are dropped from the mirror.
const PURGE_EVERY: Duration = Duration::from_secs(10);

/// How long a start-up waits for the first load.
const FIRST_LOAD: Duration = Duration::from_secs(2);

/// The running feed; dropping it stops the task.
pub(crate) struct FeedTask(tokio::task::JoinHandle<()>);

impl Drop for FeedTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl FeedTask {
    /// Starts the feed of `inner`'s mirror, and waits (a little) for its first load.
    pub(crate) async fn start(inner: Arc<Inner>, config: tokio_postgres::Config) -> FeedTask {
        let (loaded, first_load) = tokio::sync::oneshot::channel();
        let feed = Feed {
            inner,
            config,
            listener: None,
            last: 0,
            loaded: Some(loaded),
        };
        let task = FeedTask(tokio::spawn(feed.run()));
        if tokio::time::timeout(FIRST_LOAD, first_load).await.is_err() {
            tracing::warn!(
                "the revocation mirror has not loaded yet: checks ask PostgreSQL until it has"
            );
        }
        task
    }
}

/// The feed's connection, listening.
struct Listener {
    client: Client,
    /// The feed's read, prepared on this connection.
    read: Statement,
    /// Woken by each notification, and when the connection ends.
    wake: Arc<Notify>,
    driver: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

struct Feed {
    inner: Arc<Inner>,
    config: tokio_postgres::Config,
    listener: Option<Listener>,
    /// The last feed number read.
    last: i64,
    /// Told when the first load is done.
    loaded: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Feed {
    fn mirror(&self) -> &Mirror {
        self.inner
            .mirror
            .as_ref()
            .expect("a feed runs for a mirror")
    }

    async fn run(mut self) {
        let mut failures: u32 = 0;
        let mut purged = Instant::now();
        loop {
            let sent = Instant::now();
            // A read that hangs (a frozen server, a cut link) is given up on, and the
            // connection with it.
            let deadline = self.mirror().heartbeat() + Duration::from_secs(1);
            let outcome = match tokio::time::timeout(deadline, self.catch_up()).await {
                Ok(outcome) => outcome,
                Err(_) => Err("no answer in time".to_owned()),
            };
            match outcome {
                Ok(()) => {
                    self.mirror().heard(sent);
                    if failures > 0 {
                        tracing::info!("the revocation feed hears from PostgreSQL again");
                    }
                    failures = 0;
                    if let Some(loaded) = self.loaded.take() {
                        let _ = loaded.send(());
                    }
                }
                Err(err) => {
                    if failures == 0 {
                        tracing::warn!(
                            error = %err,
                            "the revocation feed lost PostgreSQL: checks ask the database \
                             directly once the mirror is older than {:?}",
                            self.mirror().max_staleness()
                        );
                    }
                    failures = failures.saturating_add(1);
                    self.listener = None;
                    let pause = Duration::from_millis(50).saturating_mul(failures);
                    tokio::time::sleep(pause.min(self.mirror().heartbeat())).await;
                    continue;
                }
            }
            if purged.elapsed() >= PURGE_EVERY {
                self.mirror()
                    .purge(OffsetDateTime::now_utc().unix_timestamp());
                purged = Instant::now();
            }
            self.wait().await;
        }
    }

    /// Until a notification comes, the connection ends, or a heartbeat passes.
    async fn wait(&self) {
        let heartbeat = self.mirror().heartbeat();
        if let Some(listener) = &self.listener {
            let _ = tokio::time::timeout(heartbeat, listener.wake.notified()).await;
        }
    }

    /// Connects and listens when not listening, then reads every row past the last number
    /// read, as many batches as it takes.
    async fn catch_up(&mut self) -> Result<(), String> {
        let listener = match self.listener.take() {
            Some(listener) => listener,
            None => self.listen().await?,
        };
        // Out of `self` while reading, and back only when every read succeeded: after a
        // failure, the next round connects again.
        while self.read(&listener.client, &listener.read).await? {}
        self.listener = Some(listener);
        Ok(())
    }

    /// A new connection, listening on the store's channel (its schema's name).
    async fn listen(&self) -> Result<Listener, String> {
        let (client, mut connection) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|err| describe(&err))?;
        let wake = Arc::new(Notify::new());
        let woken = wake.clone();
        let driver = tokio::spawn(async move {
            // Drives the connection, and wakes the feed at each notification (its payload is
            // empty: the rows say what changed).
            while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                match message {
                    Ok(AsyncMessage::Notification(_)) => woken.notify_one(),
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            woken.notify_one();
        });
        // The schema's name is a plain identifier (checked), so it is a channel name as it is.
        client
            .batch_execute(&format!("LISTEN {}", self.inner.schema))
            .await
            .map_err(|err| describe(&err))?;
        let read = client
            .prepare(&self.inner.statements.feed)
            .await
            .map_err(|err| describe(&err))?;
        Ok(Listener {
            client,
            read,
            wake,
            driver,
        })
    }

    /// One read of the rows past `self.last`; whether more remain.
    async fn read(&mut self, client: &Client, statement: &Statement) -> Result<bool, String> {
        let rows = client
            .query(statement, &[&self.last])
            .await
            .map_err(|err| describe(&err))?;
        let Some(first) = rows.first() else {
            return Err("the feed position is missing: were the tables emptied by hand?".into());
        };
        let position: i64 = first.get(0);
        match first.get::<_, Option<i64>>(1) {
            Some(epoch) => self.inner.epoch.note(epoch, false),
            None => {
                self.inner
                    .read_epoch()
                    .await
                    .map_err(|err| err.to_string())?;
            }
        }
        if position < self.last {
            tracing::error!(
                "PostgreSQL no longer holds revocations this instance read from it (a restore \
                 from a backup, or a failover to a replica that lagged): declaring a new epoch, \
                 as for a wipe"
            );
            self.inner
                .new_epoch()
                .await
                .map_err(|err| err.to_string())?;
            self.last = position;
            return Ok(false);
        }
        let mut read = 0;
        for row in &rows {
            let Some(id) = row.get::<_, Option<&[u8]>>(2) else {
                continue;
            };
            let Ok(id) = EntryId::try_from(id) else {
                continue;
            };
            self.mirror().apply(
                id,
                Entry {
                    value: row.get(3),
                    expires: row.get(4),
                },
            );
            self.last = row.get(5);
            read += 1;
        }
        if read < FEED_BATCH {
            // Everything up to the last number given out is read (numbers past the last row
            // read belonged to rows written again later, or purged).
            self.last = position;
            return Ok(false);
        }
        Ok(true)
    }
}
