//! What the store asks of the server it connects to: a version that runs its scripts, and
//! persistence and eviction settings that keep revocations (warned about, or refused).

use paseto_auth_core::{Error, Result, untrusted};

use crate::link::Link;

/// The oldest Redis this store runs on: 6.2 brought `SET … EXAT` and `XADD … MAXLEN ~`.
pub(crate) const MIN_REDIS_VERSION: (u32, u32) = (6, 2);

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

pub(crate) async fn persistence(connection: &mut Link) -> Option<Persistence> {
    let appendonly = config_get(connection, "appendonly").await?;
    let save = config_get(connection, "save").await?;
    Some(Persistence {
        append_only: appendonly.eq_ignore_ascii_case("yes"),
        snapshots: !save.trim().is_empty(),
    })
}

/// `CONFIG GET name`'s value; `None` when the server refuses (managed servers often do).
async fn config_get(connection: &mut Link, name: &str) -> Option<String> {
    let answer: redis::RedisResult<Vec<String>> = redis::cmd("CONFIG")
        .arg("GET")
        .arg(name)
        .query_async(connection)
        .await;
    answer.ok()?.into_iter().nth(1)
}

pub(crate) const NO_PERSISTENCE: &str = "Redis does not log its writes (appendonly no): a restart loses every \
                              revocation since the last snapshot, if any";

/// Warns when the server may evict keys (an evicted revocation is a token that works again) or
/// keeps nothing on disk, and says whether it keeps data on disk (`None`: it does not let
/// `CONFIG` be read, as managed servers often do; they are not second-guessed).
pub(crate) async fn check_server_config(connection: &mut Link) -> Option<bool> {
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
pub(crate) async fn check_version(connection: &mut Link) -> Result<()> {
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
