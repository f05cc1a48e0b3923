//! Real Redis servers for the tests: the shared one `.ci/run` starts (its URL in
//! `PASETO_TEST_REDIS_URL`), and servers of a test's own, started from the `redis-server` binary,
//! that the test may stop and start again.
//!
//! Under CI (`CI=true`) a missing server is a failure; elsewhere the Redis half of a test is
//! skipped with a message saying how to run it.

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use paseto_auth::store::RedisStore;

/// Whether the tests run under CI, where a test that needs a service fails without it rather
/// than skip: any `CI` but empty, `false` or `0` (CI systems set `true` or `1`). (This file is
/// also included on its own, by the CLI's tests.)
pub(crate) fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "false" | "0"))
}

/// Fails (under CI) or says what is skipped and how to run it (elsewhere), for want of Redis.
fn missing(what: &str) {
    assert!(
        !under_ci(),
        "CI=true, but {what}: .ci/run installs redis-server and sets PASETO_TEST_REDIS_URL"
    );
    // Written to stderr directly, not with `eprintln!`, so that `cargo test` shows it for a
    // passing test too.
    let _ = writeln!(
        std::io::stderr(),
        "skipping the Redis half of this test: {what}. To run it, install redis-server and \
         start one with nothing to lose (`redis-server --port 6390 --save ''`), then set \
         PASETO_TEST_REDIS_URL=redis://127.0.0.1:6390"
    );
}

/// Whether `redis-server` runs here; when not, fails (under CI) or says what is skipped.
pub(crate) fn has_redis_server() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        missing("there is no redis-server binary");
    }
    found
}

/// The shared test server's URL, or `None` (with the skip message) where there is none.
pub(crate) fn shared_url() -> Option<String> {
    match std::env::var("PASETO_TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            missing("PASETO_TEST_REDIS_URL is not set");
            None
        }
    }
}

/// A store on the shared test server, under a prefix of its own so that tests running at once
/// do not see each other's revocations, with a history ([`with_history`]).
pub(crate) async fn shared_store() -> Option<RedisStore> {
    let url = shared_url()?;
    Some(with_history(&url, &unique_prefix()).await)
}

/// [`shared_store`] asking Redis at every check (`PASETO_REVOCATION_MIRROR=false`).
pub(crate) async fn shared_store_without_mirror() -> Option<RedisStore> {
    let url = shared_url()?;
    Some(without_mirror(&url, &unique_prefix()).await)
}

/// [`with_history`] asking Redis at every check (`PASETO_REVOCATION_MIRROR=false`): what the
/// per-request failure policy is about.
pub(crate) async fn without_mirror(url: &str, prefix: &str) -> RedisStore {
    let settings = paseto_auth::store::mirror::MirrorSettings::off();
    set_epoch_zero(url, prefix).await;
    RedisStore::builder()
        .prefix(prefix)
        .mirror(settings)
        .connect(url)
        .await
        .unwrap()
}

/// A store at `url` under `prefix` that has kept everything since long before the test's
/// tokens: its epoch marker is set to 0 before it connects. A store new to the test would refuse
/// every token issued before it, or in its first second (tests/store_faults.rs shows why), and
/// some tests forge tokens issued in the past.
pub(crate) async fn with_history(url: &str, prefix: &str) -> RedisStore {
    set_epoch_zero(url, prefix).await;
    RedisStore::builder()
        .prefix(prefix)
        .connect(url)
        .await
        .unwrap_or_else(|err| panic!("the test Redis at {url} is not reachable: {err}"))
}

/// Empties the server at `url` (`FLUSHALL`): a wipe, as a restart without persistence is.
pub(crate) async fn flush_all(url: &str) {
    let client = redis::Client::open(url).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let () = redis::cmd("FLUSHALL")
        .query_async(&mut connection)
        .await
        .unwrap();
}

/// Sets the epoch marker under `prefix` at `url` to 0 (see [`with_history`]).
pub(crate) async fn set_epoch_zero(url: &str, prefix: &str) {
    let client = redis::Client::open(url).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let () = redis::cmd("SET")
        .arg(format!("{prefix}epoch"))
        .arg(0)
        .query_async(&mut connection)
        .await
        .unwrap();
}

/// `paseto-auth-test:<process>:<nanoseconds>:<count>:`, unique across tests and runs.
pub(crate) fn unique_prefix() -> String {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    format!("paseto-auth-test:{}:{nanos}:{count}:", std::process::id())
}

/// What the server at `url` holds under `prefix`: each key's name after the prefix, and its TTL
/// in seconds (`-1`: none), sorted by name — but for the mirrors' feed and index (`feed`,
/// `index`), which every revocation writes to and `tests/fleet_mirror.rs` covers.
pub(crate) async fn entries_under(url: &str, prefix: &str) -> Vec<(String, i64)> {
    let client = redis::Client::open(url).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut connection)
        .await
        .unwrap();
    let mut entries = Vec::new();
    for key in keys {
        if matches!(&key[prefix.len()..], "feed" | "index") {
            continue;
        }
        let ttl: i64 = redis::cmd("TTL")
            .arg(&key)
            .query_async(&mut connection)
            .await
            .unwrap();
        entries.push((key[prefix.len()..].to_owned(), ttl));
    }
    entries.sort();
    entries
}

/// Pauses the server's writes for `pause` (`CLIENT PAUSE … WRITE`: reads go on, writes and
/// scripts wait until it ends), from a connection of the test's own.
pub(crate) async fn pause_writes(url: &str, pause: Duration) -> redis::aio::MultiplexedConnection {
    let client = redis::Client::open(url).unwrap();
    // No response timeout: the write after the pause waits for the pause to end.
    let config = redis::AsyncConnectionConfig::new().set_response_timeout(None);
    let mut connection = client
        .get_multiplexed_async_connection_with_config(&config)
        .await
        .unwrap();
    let () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(pause.as_millis().to_string())
        .arg("WRITE")
        .query_async(&mut connection)
        .await
        .unwrap();
    connection
}

/// Waits until a write goes through again (a pause holds it back until it ends).
pub(crate) async fn writes_resumed(connection: &mut redis::aio::MultiplexedConnection) {
    let () = redis::cmd("SET")
        .arg("paseto-auth-test:after-pause")
        .arg(1)
        .query_async(connection)
        .await
        .unwrap();
}

/// A `redis-server` of the test's own, on a free local port, with persistence off (or, with
/// [`OwnRedis::start_persistent`], an append-only file synced on every write). Dropping it
/// stops it.
pub(crate) struct OwnRedis {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    /// `--appendonly` and `--save` as the server is started with.
    persistence: [&'static str; 2],
}

impl OwnRedis {
    /// Starts one, or `None` (with the skip message) where there is no `redis-server`.
    pub(crate) fn start() -> Option<OwnRedis> {
        Self::start_with(["no", ""])
    }

    /// Starts one that keeps its data across restarts (AOF, `appendfsync always`).
    pub(crate) fn start_persistent() -> Option<OwnRedis> {
        Self::start_with(["yes", ""])
    }

    /// Starts one that takes snapshots only (`save 3600 1`, no AOF).
    pub(crate) fn start_with_snapshots() -> Option<OwnRedis> {
        Self::start_with(["no", "3600 1"])
    }

    fn start_with(persistence: [&'static str; 2]) -> Option<OwnRedis> {
        if !has_redis_server() {
            return None;
        }
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("paseto-auth-redis-{port}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut redis = OwnRedis {
            child: None,
            port,
            dir,
            persistence,
        };
        redis.resume();
        Some(redis)
    }

    /// `redis://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Its port.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (as a crash would: its data, kept in memory only, is gone).
    pub(crate) fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the server (`SIGSTOP`): connections stay open, nothing is answered, as a server
    /// stuck in a long fork or swapping.
    pub(crate) fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen server go on (`SIGCONT`).
    pub(crate) fn thaw(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("the server runs");
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} failed");
    }

    /// Starts the server again on the same port (after [`stop`](Self::stop): empty, unless it
    /// keeps an append-only file), and waits until it answers.
    pub(crate) fn resume(&mut self) {
        self.stop();
        let [append_only, save] = self.persistence;
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", save])
            .args(["--appendonly", append_only, "--appendfsync", "always"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
