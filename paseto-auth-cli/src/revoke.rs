//! `paseto-auth revoke`: records a revocation in Redis, for operators (a stolen token, a user
//! to log out everywhere, a compromised key). Every instance checking that Redis (and prefix)
//! refuses the tokens from then on.

use std::time::Duration;

use paseto_auth::store::mirror::MirrorSettings;
use paseto_auth::store::{DEFAULT_REDIS_PREFIX, RedisStore, Revocations};
use paseto_auth::{Error, Timestamp};
use serde_json::json;
use time::OffsetDateTime;

/// How long a token revocation is kept when `--until` is not given: 400 days, longer than any
/// token this crate issues lives (give the token's `exp` to keep the store small).
const DEFAULT_TOKEN_RETENTION: time::Duration = time::Duration::days(400);

/// What to revoke, and where.
#[derive(clap::Args)]
pub(crate) struct RevokeArgs {
    /// The Redis the services check, e.g. redis://127.0.0.1:6379/0 (default: $PASETO_REDIS_URL).
    #[arg(long, env = "PASETO_REDIS_URL", hide_env_values = true)]
    redis: String,
    /// The services' key prefix in Redis.
    #[arg(long, default_value = DEFAULT_REDIS_PREFIX, allow_hyphen_values = true)]
    prefix: String,
    #[command(flatten)]
    target: Target,
    /// With --jti or --fam: keep the revocation until this RFC 3339 time, the token's (or the
    /// family's last token's) exp (default: 400 days).
    #[arg(long, conflicts_with_all = ["sub", "kid"], value_parser = rfc3339)]
    until: Option<OffsetDateTime>,
    /// With --sub: revoke the tokens issued before this RFC 3339 time (default: now).
    #[arg(long, requires = "sub", value_parser = rfc3339)]
    before: Option<OffsetDateTime>,
}

/// Exactly one of the four.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct Target {
    /// Revoke the token with this jti.
    #[arg(long, allow_hyphen_values = true)]
    jti: Option<String>,
    /// Revoke every token of this family (a login's cookies, a chain of refresh tokens).
    #[arg(long, allow_hyphen_values = true)]
    fam: Option<String>,
    /// Revoke every token of this subject issued before --before ("log out everywhere").
    #[arg(long, allow_hyphen_values = true)]
    sub: Option<String>,
    /// Revoke every token verified by the key with this PASERK id (k4.pid.…).
    #[arg(long, allow_hyphen_values = true)]
    kid: Option<String>,
}

fn rfc3339(text: &str) -> Result<OffsetDateTime, String> {
    serde_json::from_value::<Timestamp>(json!(text))
        .map(|timestamp| timestamp.0)
        .map_err(|_| "expected an RFC 3339 time such as 2026-12-01T00:00:00Z".to_owned())
}

/// Records the revocation and describes it as JSON.
pub(crate) fn revoke(args: RevokeArgs) -> Result<String, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::Setup(format!("cannot start the async runtime: {err}")))?;
    runtime.block_on(async {
        // One write: no mirror to load (the services' mirrors get it from Redis's feed).
        let no_mirror = MirrorSettings::off();
        let store = RedisStore::builder()
            .prefix(&args.prefix)
            .mirror(no_mirror)
            .connect(&args.redis)
            .await?;
        // An operator's command may wait longer than a request.
        let revocations = Revocations::new(store).timeout(Duration::from_secs(5));
        let now = OffsetDateTime::now_utc();
        let unavailable = Error::StoreUnavailable;
        let Target { jti, fam, sub, kid } = args.target;
        let until = args.until.unwrap_or(now + DEFAULT_TOKEN_RETENTION);
        let described = match (jti, fam, sub, kid) {
            (Some(jti), ..) => {
                revocations
                    .revoke_token(&jti, until)
                    .await
                    .map_err(unavailable)?;
                json!({"revoked": "token_id", "jti": jti, "until": Timestamp(until)})
            }
            (_, Some(fam), ..) => {
                revocations
                    .revoke_family(&fam, until)
                    .await
                    .map_err(unavailable)?;
                json!({"revoked": "family", "fam": fam, "until": Timestamp(until)})
            }
            (_, _, Some(sub), _) => {
                let before = args.before.unwrap_or(now);
                revocations
                    .revoke_subject(&sub, before)
                    .await
                    .map_err(unavailable)?;
                json!({"revoked": "subject", "sub": sub, "before": Timestamp(before)})
            }
            (.., Some(kid)) => {
                revocations.revoke_key(&kid).await.map_err(unavailable)?;
                json!({"revoked": "key", "kid": kid})
            }
            // clap requires one of the four; say so all the same rather than panic.
            (None, None, None, None) => {
                return Err(Error::Setup(
                    "give one of --jti, --fam, --sub or --kid".into(),
                ));
            }
        };
        Ok(described.to_string())
    })
}
