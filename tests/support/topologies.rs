//! Redis beyond one server, started by the tests from Debian's `redis-server` (which runs as a
//! sentinel with `--sentinel`): a master with one replica watched by three sentinels, and a
//! cluster of three masters, all on free loopback ports, stopped when dropped.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use paseto_auth::store::{RedisStore, Topology};

use super::redis::{has_redis_server, unique_prefix};

/// A free loopback port.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One `redis-server` process of a topology.
pub(crate) struct Node {
    pub(crate) port: u16,
    child: Option<Child>,
}

impl Node {
    /// Starts `redis-server` with `args` (after the port), in `dir`.
    fn start(port: u16, dir: &PathBuf, args: &[&str]) -> Node {
        let child = Command::new("redis-server")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server on {port} did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Node {
            port,
            child: Some(child),
        }
    }

    /// `redis://127.0.0.1:<port>`.
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills it (`SIGKILL`: a crash).
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends `signal` (`-STOP`, `-CONT`).
    pub(crate) fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("the node runs");
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} failed");
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A command's answer from the node at `port`, through `redis-cli` (blocking: for set-up).
fn cli(port: u16, args: &[&str]) -> String {
    let output = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .output()
        .expect("redis-cli runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Waits until `ready` holds (10 s at most), polling.
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn temp_dir(kind: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paseto-auth-{kind}-{}", free_port()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The name the sentinels know the master by.
pub(crate) const MASTER: &str = "paseto-auth-test";

/// A master, one replica and three sentinels (quorum two), noticing a dead master after a
/// second.
pub(crate) struct OwnSentinel {
    pub(crate) master: Node,
    pub(crate) replica: Node,
    pub(crate) sentinels: Vec<Node>,
    dir: PathBuf,
}

impl OwnSentinel {
    /// Starts one, or `None` (with the skip message) without `redis-server`.
    pub(crate) fn start() -> Option<OwnSentinel> {
        if !has_redis_server() {
            return None;
        }
        let dir = temp_dir("sentinel");
        let plain = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
        let port = free_port();
        let master = Node::start(
            port,
            &dir,
            &[&["--port", &port.to_string()], &plain[..]].concat(),
        );
        let port = free_port();
        let replica_of = format!("127.0.0.1 {}", master.port);
        let replica = Node::start(
            port,
            &dir,
            &[
                &["--port", &port.to_string(), "--replicaof", &replica_of],
                &plain[..],
            ]
            .concat(),
        );
        wait_until("the replica is in sync", || {
            cli(replica.port, &["INFO", "replication"]).contains("master_link_status:up")
        });
        let sentinels = (0..3)
            .map(|i| {
                let port = free_port();
                let config = dir.join(format!("sentinel-{i}.conf"));
                std::fs::write(
                    &config,
                    format!(
                        "port {port}\nbind 127.0.0.1\nsentinel monitor {MASTER} 127.0.0.1 {} 2\n\
                         sentinel down-after-milliseconds {MASTER} 1000\n\
                         sentinel failover-timeout {MASTER} 5000\n",
                        master.port
                    ),
                )
                .unwrap();
                Node::start(port, &dir, &[config.to_str().unwrap(), "--sentinel"])
            })
            .collect::<Vec<_>>();
        for sentinel in &sentinels {
            wait_until("each sentinel knows the replica and the others", || {
                let replicas = cli(sentinel.port, &["SENTINEL", "replicas", MASTER]);
                let others = cli(sentinel.port, &["SENTINEL", "sentinels", MASTER]);
                replicas.contains(&replica.port.to_string()) && others.matches("name").count() >= 2
            });
        }
        Some(OwnSentinel {
            master,
            replica,
            sentinels,
            dir,
        })
    }

    /// The sentinels' URLs.
    pub(crate) fn sentinel_urls(&self) -> Vec<String> {
        self.sentinels.iter().map(Node::url).collect()
    }

    /// Where a store finds the master.
    pub(crate) fn topology(&self) -> Topology {
        Topology::Sentinel {
            sentinels: self.sentinel_urls(),
            master: MASTER.to_owned(),
        }
    }

    /// The port of the master the sentinels name now.
    pub(crate) fn named_master(&self) -> Option<u16> {
        let answer = cli(
            self.sentinels[0].port,
            &["SENTINEL", "get-master-addr-by-name", MASTER],
        );
        answer.lines().nth(1)?.trim().parse().ok()
    }
}

impl Drop for OwnSentinel {
    fn drop(&mut self) {
        self.sentinels.clear();
        self.replica.kill();
        self.master.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A cluster of three masters (no replicas), all slots assigned.
pub(crate) struct OwnCluster {
    pub(crate) nodes: Vec<Node>,
    dir: PathBuf,
}

impl OwnCluster {
    /// Starts one, or `None` (with the skip message) without `redis-server`.
    pub(crate) fn start() -> Option<OwnCluster> {
        if !has_redis_server() {
            return None;
        }
        let dir = temp_dir("cluster");
        let nodes: Vec<Node> = (0..3)
            .map(|_| {
                let port = free_port();
                let port_text = port.to_string();
                let config = format!("nodes-{port}.conf");
                Node::start(
                    port,
                    &dir,
                    &[
                        "--port",
                        &port_text,
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        &config,
                        "--cluster-node-timeout",
                        "2000",
                    ],
                )
            })
            .collect();
        let addresses: Vec<String> = nodes
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port))
            .collect();
        let status = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("redis-cli runs");
        assert!(status.success(), "redis-cli --cluster create failed");
        for node in &nodes {
            wait_until("the cluster is up", || {
                cli(node.port, &["CLUSTER", "INFO"]).contains("cluster_state:ok")
            });
        }
        Some(OwnCluster { nodes, dir })
    }

    /// Where a store finds the cluster.
    pub(crate) fn topology(&self) -> Topology {
        Topology::Cluster(self.nodes.iter().map(Node::url).collect())
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        self.nodes.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A store on `topology` under `prefix`, the mirror on or off.
pub(crate) async fn store_on(topology: Topology, prefix: &str, mirror: bool) -> RedisStore {
    let settings = match mirror {
        true => paseto_auth::store::mirror::MirrorSettings::default(),
        false => paseto_auth::store::mirror::MirrorSettings::off(),
    };
    RedisStore::builder()
        .prefix(prefix)
        .mirror(settings)
        .connect_to(topology.clone())
        .await
        .unwrap_or_else(|err| panic!("{topology:?} is not reachable: {err}"))
}

/// Sets `key` to 0 with `connection`: an epoch marker of a store that has kept everything since
/// long before the test's tokens (see [`super::redis::with_history`]).
async fn epoch_zero(connection: &mut impl redis::aio::ConnectionLike, key: String) {
    let () = redis::cmd("SET")
        .arg(key)
        .arg(0)
        .query_async(connection)
        .await
        .unwrap();
}

impl OwnSentinel {
    /// A store on it under a prefix of its own, with a history.
    pub(crate) async fn store(&self, mirror: bool) -> RedisStore {
        self.store_under(&unique_prefix(), mirror).await
    }

    /// A store on it under `prefix`, with a history.
    pub(crate) async fn store_under(&self, prefix: &str, mirror: bool) -> RedisStore {
        // The master the sentinels name now (after a failover, the former replica).
        let port = self.named_master().expect("the sentinels name a master");
        let client = redis::Client::open(format!("redis://127.0.0.1:{port}")).unwrap();
        let mut connection = client.get_multiplexed_async_connection().await.unwrap();
        epoch_zero(&mut connection, format!("{prefix}epoch")).await;
        store_on(self.topology(), prefix, mirror).await
    }
}

impl OwnCluster {
    /// A store on it under a prefix of its own, with a history.
    pub(crate) async fn store(&self, mirror: bool) -> RedisStore {
        self.store_under(&unique_prefix(), mirror).await
    }

    /// A store on it under `prefix`, with a history.
    pub(crate) async fn store_under(&self, prefix: &str, mirror: bool) -> RedisStore {
        let nodes: Vec<String> = self.nodes.iter().map(Node::url).collect();
        let client = redis::cluster::ClusterClient::new(nodes).unwrap();
        let mut connection = client.get_async_connection().await.unwrap();
        epoch_zero(&mut connection, format!("{{{prefix}}}epoch")).await;
        store_on(self.topology(), prefix, mirror).await
    }
}
