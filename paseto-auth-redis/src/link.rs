//! The connection to Redis, whatever runs it: one server, a master watched by Sentinel, or a
//! cluster. Each reconnects on its own after a failure — redis-rs's `ConnectionManager` for one
//! server, its cluster connection (which follows `MOVED` and new topologies) for a cluster, and
//! [`SentinelLink`] here for Sentinel, which asks the sentinels for the master again when the
//! one it has stops answering or has been demoted (`READONLY`) — so that after a failover the
//! instances recover without a restart.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use redis::aio::{
    ConnectionLike, ConnectionManager, ConnectionManagerConfig, MultiplexedConnection,
};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::sentinel::{SentinelClient, SentinelServerType};
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisError, RedisFuture, RedisResult, Value};

/// Where the Redis of a store runs.
#[derive(Clone, PartialEq, Eq)]
pub enum Topology {
    /// One server, by URL (`redis://host:port/db`, `rediss://` for TLS).
    Server(String),
    /// A master found through Sentinel: the sentinels' URLs and the master's name.
    Sentinel {
        /// The sentinels (`redis://host:port`).
        sentinels: Vec<String>,
        /// The name the sentinels know the master by.
        master: String,
    },
    /// A cluster, by the URLs of some of its nodes.
    Cluster(Vec<String>),
}

impl Topology {
    /// Whether keys must share hash slots (a cluster).
    pub(crate) fn is_cluster(&self) -> bool {
        matches!(self, Topology::Cluster(_))
    }
}

impl fmt::Debug for Topology {
    // URLs may hold a password: only the shape and the hosts' count are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topology::Server(_) => f.write_str("Server"),
            Topology::Sentinel { sentinels, master } => f
                .debug_struct("Sentinel")
                .field("sentinels", &sentinels.len())
                .field("master", master)
                .finish(),
            Topology::Cluster(nodes) => f.debug_tuple("Cluster").field(&nodes.len()).finish(),
        }
    }
}

/// How long connecting may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(2);

/// A connection to a store's Redis (cheap to clone: clones share it).
#[derive(Clone)]
pub(crate) enum Link {
    Server(ConnectionManager),
    Sentinel(Arc<SentinelLink>),
    Cluster(ClusterConnection),
}

/// A connection to the master Sentinel names, replaced by one to the new master after a
/// failover.
pub(crate) struct SentinelLink {
    sentinel: tokio::sync::Mutex<SentinelClient>,
    /// The connection to the master, and how many times it was replaced.
    current: RwLock<(u64, MultiplexedConnection)>,
    config: AsyncConnectionConfig,
}

impl Link {
    /// Connects to `topology`; `response_timeout` bounds each answer (`None`: none, for a
    /// connection that blocks on purpose).
    pub(crate) async fn connect(
        topology: &Topology,
        response_timeout: Option<Duration>,
    ) -> RedisResult<Link> {
        match topology {
            Topology::Server(url) => {
                let client = redis::Client::open(url.as_str())?;
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECTION_TIMEOUT))
                    .set_response_timeout(response_timeout)
                    .set_number_of_retries(1);
                Ok(Link::Server(
                    ConnectionManager::new_with_config(client, config).await?,
                ))
            }
            Topology::Sentinel { sentinels, master } => {
                let mut sentinel = SentinelClient::build(
                    sentinels.clone(),
                    master.clone(),
                    None,
                    SentinelServerType::Master,
                )?;
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(CONNECTION_TIMEOUT))
                    .set_response_timeout(response_timeout);
                let current = master_connection(&mut sentinel, &config).await?;
                Ok(Link::Sentinel(Arc::new(SentinelLink {
                    sentinel: tokio::sync::Mutex::new(sentinel),
                    current: RwLock::new((0, current)),
                    config,
                })))
            }
            Topology::Cluster(nodes) => {
                let mut client = ClusterClient::builder(nodes.clone())
                    .connection_timeout(CONNECTION_TIMEOUT)
                    .retries(2);
                if let Some(timeout) = response_timeout {
                    client = client.response_timeout(timeout);
                }
                Ok(Link::Cluster(client.build()?.get_async_connection().await?))
            }
        }
    }

    /// After `err`, makes the next command go where it can succeed, when that is this side's
    /// job: under Sentinel, a connection that dropped, or a master that has been demoted
    /// (`READONLY`), is replaced by one to the master the sentinels name now. (One server's and
    /// a cluster's connections recover on their own.)
    pub(crate) async fn recover(&self, err: &RedisError) {
        let Link::Sentinel(link) = self else {
            return;
        };
        if !needs_new_connection(err) {
            return;
        }
        let failed = link.generation();
        let mut sentinel = link.sentinel.lock().await;
        // Another request may have replaced it while this one waited for the lock.
        if link.generation() != failed {
            return;
        }
        match sentinel
            .get_async_connection_with_config(&link.config)
            .await
        {
            Ok(connection) => {
                *link.current.write().unwrap_or_else(|e| e.into_inner()) = (failed + 1, connection);
                tracing::info!("reconnected to the master Sentinel names");
            }
            Err(err) => {
                tracing::warn!(error = %paseto_auth_core::untrusted(&err), "the sentinels name no master that answers yet");
            }
        }
    }
}

/// A connection to the master the sentinels name. During a failover they may name none for a
/// moment (the promoted replica is not yet taken for a master): asked again for up to
/// [`CONNECTION_TIMEOUT`], so that an instance starting then waits for the failover rather than
/// fail.
async fn master_connection(
    sentinel: &mut SentinelClient,
    config: &AsyncConnectionConfig,
) -> RedisResult<MultiplexedConnection> {
    let deadline = tokio::time::Instant::now() + CONNECTION_TIMEOUT;
    loop {
        match sentinel.get_async_connection_with_config(config).await {
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            result => return result,
        }
    }
}

/// Whether `err` means the command must go elsewhere: the connection is gone, or the server is
/// no longer the master (`READONLY`), rather than a command refused.
pub(crate) fn needs_new_connection(err: &RedisError) -> bool {
    err.is_unrecoverable_error()
        || err.is_connection_dropped()
        || err.is_io_error()
        || err.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::ReadOnly)
}

impl SentinelLink {
    fn connection(&self) -> MultiplexedConnection {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    fn generation(&self) -> u64 {
        self.current.read().unwrap_or_else(|e| e.into_inner()).0
    }
}

impl ConnectionLike for Link {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Link::Server(connection) => connection.req_packed_command(cmd),
            Link::Cluster(connection) => connection.req_packed_command(cmd),
            Link::Sentinel(link) => {
                let mut connection = link.connection();
                Box::pin(async move { connection.req_packed_command(cmd).await })
            }
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Link::Server(connection) => connection.req_packed_commands(pipeline, offset, count),
            Link::Cluster(connection) => connection.req_packed_commands(pipeline, offset, count),
            Link::Sentinel(link) => {
                let mut connection = link.connection();
                Box::pin(async move {
                    connection
                        .req_packed_commands(pipeline, offset, count)
                        .await
                })
            }
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Link::Server(connection) => connection.get_db(),
            Link::Cluster(connection) => connection.get_db(),
            Link::Sentinel(link) => link.connection().get_db(),
        }
    }
}
