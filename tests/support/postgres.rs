//! Real PostgreSQL servers for the tests: the shared one `.ci/run` starts (its URL in
//! `PASETO_TEST_POSTGRES_URL`), and servers of a test's own — a throw-away cluster made by
//! `initdb` on a free loopback port, run by the `postgres` binary, that the test may stop, kill
//! and start again. Debian keeps the binaries in `/usr/lib/postgresql/<version>/bin`, off the
//! `PATH`: `PASETO_TEST_PG_BIN` names the directory, else the newest there is used. PostgreSQL
//! refuses to run as root: as root, the server runs as the `postgres` user.
//!
//! Under CI (`CI=true`) a missing server is a failure; elsewhere the PostgreSQL half of a test
//! is skipped with a message saying how to run it.

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use paseto_auth::store::PostgresStore;
use paseto_auth::store::mirror::MirrorSettings;

use super::redis::under_ci;

/// Fails (under CI) or says what is skipped and how to run it (elsewhere).
fn missing(what: &str) {
    assert!(
        !under_ci(),
        "CI=true, but {what}: .ci/run installs postgresql and sets PASETO_TEST_POSTGRES_URL"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipping the PostgreSQL half of this test: {what}. To run it, install PostgreSQL \
         (Debian: postgresql), start a throw-away cluster with nothing to lose, and set \
         PASETO_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:<port>/postgres (and \
         PASETO_TEST_PG_BIN to the directory of initdb and postgres when they are not in \
         /usr/lib/postgresql/<version>/bin)"
    );
}

/// The shared test server's URL, or `None` (with the skip message) where there is none.
pub(crate) fn shared_url() -> Option<String> {
    match std::env::var("PASETO_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            missing("PASETO_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

/// `t_<process>_<nanoseconds>_<count>`: a schema unique across tests and runs.
pub(crate) fn unique_schema() -> String {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    format!("t_{}_{nanos}_{count}", std::process::id())
}

/// A store on the shared server, in a schema of its own, with a history ([`with_history`]).
pub(crate) async fn shared_store(mirror: bool) -> Option<PostgresStore> {
    let url = shared_url()?;
    Some(with_history(&url, &unique_schema(), mirror).await)
}

/// A client of the server at `url`, its connection driven in the background.
pub(crate) async fn client(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|err| panic!("the test PostgreSQL at {url} is not reachable: {err}"));
    tokio::spawn(connection);
    client
}

/// A store at `url` in `schema` that has kept everything since long before the test's tokens:
/// its tables are created and its epoch set to 0 before it connects (a store new to the test
/// would refuse every token issued before it: tests/store_faults.rs shows why).
pub(crate) async fn with_history(url: &str, schema: &str, mirror: bool) -> PostgresStore {
    let client = client(url).await;
    client
        .batch_execute(&PostgresStore::schema_sql(schema).unwrap())
        .await
        .unwrap();
    client
        .execute(
            &format!("INSERT INTO {schema}.epoch (epoch) VALUES (0)"),
            &[],
        )
        .await
        .unwrap();
    builder(schema, mirror).connect(url).await.unwrap()
}

/// A builder for `schema`, with or without a mirror, and a short staleness bound (1 s) so that
/// fault tests see it pass.
pub(crate) fn builder(schema: &str, mirror: bool) -> paseto_auth::store::PostgresStoreBuilder {
    let settings = match mirror {
        true => MirrorSettings {
            enabled: true,
            max_staleness: Duration::from_secs(1),
        },
        false => MirrorSettings::off(),
    };
    PostgresStore::builder().schema(schema).mirror(settings)
}

/// The directory of `initdb` and `postgres`.
fn binaries() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PASETO_TEST_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// The user and group ids to run PostgreSQL as: `postgres`'s when this process is root (which
/// PostgreSQL refuses to run as), none otherwise.
fn run_as() -> Option<(u32, u32)> {
    let id = |args: &[&str]| -> Option<u32> {
        let output = Command::new("id").args(args).output().ok()?;
        String::from_utf8_lossy(&output.stdout).trim().parse().ok()
    };
    if id(&["-u"])? != 0 {
        return None;
    }
    Some((id(&["-u", "postgres"])?, id(&["-g", "postgres"])?))
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A PostgreSQL server of a test's own, stopped and its files removed when dropped.
pub(crate) struct OwnPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    user: Option<(u32, u32)>,
    child: Option<Child>,
}

impl OwnPostgres {
    /// A new cluster, started; `None` (with the skip message) where PostgreSQL is not installed.
    pub(crate) fn start() -> Option<OwnPostgres> {
        let Some(bin) = binaries() else {
            missing("there is no PostgreSQL installed (initdb)");
            return None;
        };
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("paseto-auth-pg-{port}-{}", unique_schema()));
        std::fs::create_dir_all(&dir).unwrap();
        let user = run_as();
        if let Some((uid, gid)) = user {
            let status = Command::new("chown")
                .arg(format!("{uid}:{gid}"))
                .arg(&dir)
                .status()
                .unwrap();
            assert!(status.success(), "chown of the data directory");
        }
        let mut initdb = Command::new(bin.join("initdb"));
        initdb
            .args(["-D", dir.to_str().unwrap(), "-U", "postgres", "-A", "trust"])
            .args(["--no-sync", "-E", "UTF8", "--locale", "C"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let status = as_user(&mut initdb, user).status().expect("initdb runs");
        assert!(status.success(), "initdb failed in {}", dir.display());
        let mut server = OwnPostgres {
            bin,
            dir,
            port,
            user,
            child: None,
        };
        server.start_again();
        Some(server)
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server again (after [`stop`](Self::stop) or [`kill`](Self::kill)), on the
    /// same port and data, and waits until it accepts connections.
    pub(crate) fn start_again(&mut self) {
        assert!(self.child.is_none(), "the server runs already");
        let deadline = Instant::now() + Duration::from_secs(20);
        // After a kill, the old backends hold the shared memory for a moment and a new
        // postmaster exits at once: start it again until one stays.
        let mut child = self.spawn();
        while !self.accepts() {
            assert!(
                Instant::now() < deadline,
                "postgres on {} did not start",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
            if child.try_wait().ok().flatten().is_some() {
                child = self.spawn();
            }
        }
        self.child = Some(child);
    }

    fn spawn(&self) -> Child {
        let mut postgres = Command::new(self.bin.join("postgres"));
        postgres
            .args([
                "-D",
                self.dir.to_str().unwrap(),
                "-p",
                &self.port.to_string(),
            ])
            .args(["-k", self.dir.to_str().unwrap()])
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .args(["-c", "max_connections=200"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        as_user(&mut postgres, self.user)
            .spawn()
            .expect("postgres starts")
    }

    /// Whether a query is answered (`pg_isready` would do; this needs no other binary).
    fn accepts(&self) -> bool {
        TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok()
            && Command::new(self.bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
    }

    /// Stops the server the way an operator does (`SIGINT`: a fast shutdown, which ends every
    /// connection), and waits for it.
    pub(crate) fn stop(&mut self) {
        self.signal("-INT");
        if let Some(mut child) = self.child.take() {
            let _ = child.wait();
        }
    }

    /// Kills it (`SIGKILL`: a crash; the server recovers from its log when started again).
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends `signal` (`-STOP`, `-CONT`, `-INT`) to the postmaster.
    pub(crate) fn signal(&self, signal: &str) {
        if let Some(child) = &self.child {
            let _ = Command::new("kill")
                .args([signal, &child.id().to_string()])
                .status();
        }
    }

    pub(crate) fn data_dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.signal("-QUIT");
            if let Some(mut child) = self.child.take() {
                let deadline = Instant::now() + Duration::from_secs(5);
                while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(20));
                }
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `command`, run as `user` when set.
fn as_user(command: &mut Command, user: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = user {
        command.uid(uid).gid(gid);
    }
    command
}
