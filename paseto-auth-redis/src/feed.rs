//! The feed of an instance's [`Mirror`]: a task that loads every revocation in force from the
//! index, then reads the stream every revocation is appended to, from where it stopped, on a
//! connection of its own (its reads block on purpose).
//!
//! Each read waits at most a heartbeat ([`Mirror::heartbeat`]) for new entries, and each answer
//! — entries or none — tells the mirror the store answered ([`Mirror::heard`], with the time the
//! read was sent). The same round trip reads the epoch marker, so that a store that lost its
//! data is seen within a heartbeat. After a failure the task reconnects, checks that the stream
//! still holds the entry after its position (it is trimmed to about `FEED_LENGTH` entries),
//! and loads everything again when it does not.

use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::RedisResult;
use redis::streams::{StreamId, StreamRangeReply, StreamReadReply};
use time::OffsetDateTime;

use paseto_auth_core::store::mirror::{Entry, Mirror};
use paseto_auth_core::untrusted;

use crate::Inner;
use crate::keys::parse_entry_name;
use crate::link::{Link, Topology};

/// How many entries one read takes, and one page of the index.
const BATCH: usize = 1000;

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
    pub(crate) async fn start(inner: Arc<Inner>, topology: Topology) -> FeedTask {
        let (loaded, first_load) = tokio::sync::oneshot::channel();
        let feed = Feed {
            inner,
            topology,
            link: None,
            position: Position::Load,
            loaded: Some(loaded),
        };
        let task = FeedTask(tokio::spawn(feed.run()));
        if tokio::time::timeout(FIRST_LOAD, first_load).await.is_err() {
            tracing::warn!(
                "the revocation mirror has not loaded yet: checks ask Redis until it has"
            );
        }
        task
    }
}

/// Where the feed stands in the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    /// Nowhere: load the index.
    Load,
    /// After this entry; check that the stream still holds what follows (after a failure).
    Check(String),
    /// After this entry.
    After(String),
}

struct Feed {
    inner: Arc<Inner>,
    topology: Topology,
    /// The feed's own connection, made on first use and after a failure.
    link: Option<Link>,
    position: Position,
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
            match self.step().await {
                Ok(()) => {
                    self.mirror().heard(sent);
                    if failures > 0 {
                        tracing::info!("the revocation feed hears from Redis again");
                    }
                    failures = 0;
                    if let Some(loaded) = self.loaded.take() {
                        let _ = loaded.send(());
                    }
                }
                Err(err) => {
                    if failures == 0 {
                        tracing::warn!(
                            error = %untrusted(&err),
                            "the revocation feed lost Redis: checks ask Redis directly once the \
                             mirror is older than {:?}",
                            self.mirror().max_staleness()
                        );
                    }
                    failures = failures.saturating_add(1);
                    self.failed(&err).await;
                    let pause = Duration::from_millis(50).saturating_mul(failures);
                    tokio::time::sleep(pause.min(self.mirror().heartbeat())).await;
                }
            }
            if purged.elapsed() >= PURGE_EVERY {
                self.mirror()
                    .purge(OffsetDateTime::now_utc().unix_timestamp());
                purged = Instant::now();
            }
        }
    }

    /// After `err`: a new connection next time, and a check of the position.
    async fn failed(&mut self, err: &redis::RedisError) {
        if let Some(link) = self.link.take() {
            link.recover(err).await;
        }
        if let Position::After(id) = &self.position {
            self.position = Position::Check(id.clone());
        }
    }

    /// One round trip (or a load): whatever it read is in the mirror when it returns `Ok`.
    async fn step(&mut self) -> RedisResult<()> {
        let mut link = match &self.link {
            Some(link) => link.clone(),
            None => {
                let timeout = self.mirror().heartbeat() + Duration::from_secs(1);
                let link = Link::connect(&self.topology, Some(timeout)).await?;
                self.link = Some(link.clone());
                link
            }
        };
        match self.position.clone() {
            Position::Load => self.load(&mut link).await,
            Position::Check(id) => self.check(&mut link, id).await,
            Position::After(id) => self.read(&mut link, id).await,
        }
    }

    /// Loads every entry the index holds, from a position taken before (entries written
    /// meanwhile are read again from the stream: applying one twice changes nothing).
    async fn load(&mut self, link: &mut Link) -> RedisResult<()> {
        let keys = &self.inner.keys;
        let last: StreamRangeReply = end_of(&keys.feed(), End::Newest).query_async(link).await?;
        let position = last
            .ids
            .first()
            .map_or_else(|| "0-0".to_owned(), |entry| entry.id.clone());
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let mut offset = 0;
        loop {
            // From the latest expiry down: a write meanwhile removes expired entries from the
            // low end, which would shift an ascending page past live ones; an entry it moves
            // up is a write after `position`, read again from the stream.
            let page: Vec<(String, f64)> = redis::cmd("ZREVRANGEBYSCORE")
                .arg(keys.index())
                .arg("+inf")
                .arg(format!("({now}"))
                .arg("WITHSCORES")
                .arg("LIMIT")
                .arg(offset)
                .arg(BATCH)
                .query_async(link)
                .await?;
            if page.is_empty() {
                break;
            }
            let named: Vec<String> = page.iter().map(|(name, _)| keys.named(name)).collect();
            let values: Vec<Option<i64>> = redis::cmd("MGET").arg(&named).query_async(link).await?;
            for ((name, score), value) in page.iter().zip(values) {
                // Gone since the page was read: it expired.
                let Some(value) = value else { continue };
                // The entry's expiry is its score in the index; `+inf` is none.
                let expires = score.is_finite().then_some(*score as i64);
                self.apply(name, value, expires);
            }
            offset += page.len();
        }
        self.read_epoch(link).await?;
        tracing::debug!(
            entries = self.mirror().len(),
            "the revocation mirror is loaded"
        );
        self.position = Position::After(position);
        Ok(())
    }

    /// Continues from `id` when the stream still holds what followed it; loads otherwise. A
    /// stream whose last entry is older than `id` lost entries this instance read: Redis lost
    /// acknowledged writes (a restart from a snapshot, a failover to a replica that lagged) that
    /// its epoch marker does not show, so the feed declares a new epoch, as for a wipe.
    async fn check(&mut self, link: &mut Link, id: String) -> RedisResult<()> {
        let feed = self.inner.keys.feed();
        let (first, last): (StreamRangeReply, StreamRangeReply) = redis::pipe()
            .add_command(end_of(&feed, End::Oldest))
            .add_command(end_of(&feed, End::Newest))
            .query_async(link)
            .await?;
        let newest = last.ids.first().map(|entry| entry.id.clone());
        let behind = match &newest {
            Some(newest) => stream_id(newest) < stream_id(&id),
            None => stream_id(&id) > (0, 0),
        };
        if behind {
            tracing::error!(
                "Redis no longer holds revocations this instance read from it (a restart from a \
                 snapshot, or a failover to a replica that lagged): declaring a new epoch, as \
                 for a wipe"
            );
            if let Err(err) = self.inner.new_epoch().await {
                return Err(epoch_unwritten(&err));
            }
            self.position = Position::After(newest.unwrap_or_else(|| "0-0".to_owned()));
            return Ok(());
        }
        let trimmed = first
            .ids
            .first()
            .is_some_and(|oldest| stream_id(&oldest.id) > stream_id(&id));
        if trimmed {
            tracing::info!("the revocation feed was trimmed past this instance: loading again");
            return self.load(link).await;
        }
        self.position = Position::After(id);
        self.read_epoch(link).await
    }

    /// Reads what follows `id` (waiting a heartbeat at most), and the epoch marker.
    async fn read(&mut self, link: &mut Link, id: String) -> RedisResult<()> {
        let keys = &self.inner.keys;
        let block = u64::try_from(self.mirror().heartbeat().as_millis())
            .unwrap_or(1000)
            .max(1);
        let (epoch, read): (Option<i64>, Option<StreamReadReply>) = redis::pipe()
            .cmd("GET")
            .arg(keys.epoch())
            .cmd("XREAD")
            .arg("COUNT")
            .arg(BATCH)
            .arg("BLOCK")
            .arg(block)
            .arg("STREAMS")
            .arg(keys.feed())
            .arg(&id)
            .query_async(link)
            .await?;
        self.epoch_read(epoch).await?;
        let entries: Vec<StreamId> = read
            .into_iter()
            .flat_map(|reply| reply.keys)
            .flat_map(|key| key.ids)
            .collect();
        let mut position = id;
        for entry in &entries {
            let field = |name: &str| entry.get::<String>(name);
            match (
                field("n"),
                field("v").and_then(|v| v.parse().ok()),
                field("x").and_then(|x| x.parse::<i64>().ok()),
            ) {
                (Some(name), Some(value), Some(expires)) => {
                    self.apply(&name, value, (expires > 0).then_some(expires));
                }
                _ => {
                    tracing::warn!(id = %untrusted(&entry.id), "a revocation feed entry this crate did not write: skipped")
                }
            }
            position.clone_from(&entry.id);
        }
        self.position = if entries.len() == BATCH {
            Position::Check(position)
        } else {
            Position::After(position)
        };
        Ok(())
    }

    async fn read_epoch(&mut self, link: &mut Link) -> RedisResult<()> {
        let epoch: Option<i64> = redis::cmd("GET")
            .arg(self.inner.keys.epoch())
            .query_async(link)
            .await?;
        self.epoch_read(epoch).await
    }

    /// Notes the epoch marker read; a missing one (the store lost its data) is written again.
    async fn epoch_read(&self, epoch: Option<i64>) -> RedisResult<()> {
        match epoch {
            Some(epoch) => self.inner.epoch.note(epoch, false),
            None => {
                if let Err(err) = self.inner.read_epoch().await {
                    return Err(epoch_unwritten(&err));
                }
            }
        }
        Ok(())
    }

    fn apply(&self, name: &str, value: i64, expires: Option<i64>) {
        match parse_entry_name(name) {
            Some((_, id)) => self.mirror().apply(id, Entry { value, expires }),
            None => {
                tracing::warn!(name = %untrusted(name), "a revocation name this crate did not write: skipped")
            }
        }
    }
}

/// Either end of a stream.
enum End {
    Oldest,
    Newest,
}

/// The command reading the entry at `end` of the stream `feed` (none when it is empty).
fn end_of(feed: &str, end: End) -> redis::Cmd {
    let (command, from, to) = match end {
        End::Oldest => ("XRANGE", "-", "+"),
        End::Newest => ("XREVRANGE", "+", "-"),
    };
    let mut cmd = redis::cmd(command);
    cmd.arg(feed).arg(from).arg(to).arg("COUNT").arg(1);
    cmd
}

/// A failure to write the epoch marker, as the feed's error (it retries).
fn epoch_unwritten(err: &paseto_auth_core::store::StoreError) -> redis::RedisError {
    redis::RedisError::from((
        redis::ErrorKind::Io,
        "cannot write the epoch marker",
        untrusted(err).to_string(),
    ))
}

/// A stream entry id's two numbers (`<ms>-<seq>`), for ordering; a malformed one sorts first.
fn stream_id(id: &str) -> (u64, u64) {
    let (ms, seq) = id.split_once('-').unwrap_or((id, "0"));
    (ms.parse().unwrap_or(0), seq.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::stream_id;

    #[test]
    fn stream_ids_order_by_time_then_sequence() {
        assert!(stream_id("1700000000000-1") > stream_id("1700000000000-0"));
        assert!(stream_id("1700000000001-0") > stream_id("1700000000000-9"));
        assert!(stream_id("10-0") > stream_id("9-5"), "numbers, not text");
        assert_eq!(stream_id("0-0"), (0, 0));
    }
}
