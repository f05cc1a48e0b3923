//! The statements the store sends, each one round trip, written once per store with its schema
//! (a name [`crate::schema::check_name`] accepted) and prepared once per connection.
//!
//! Times are the server's, in whole unix seconds rounded down, as every instance sees them.

/// The server's time in whole unix seconds.
const NOW: &str = "floor(extract(epoch FROM now()))::bigint";

/// The statements of one store.
#[derive(Debug)]
pub(crate) struct Statements {
    /// `$1` id, `$2` kind, `$3` value, `$4` expiry (NULL: never), `$5` the channel: writes the
    /// entry, only ever widening it (an entry that has ended counts as none), with the next feed
    /// number, and notifies the channel. Answers the entry's value and expiry as written.
    pub(crate) widen: String,
    /// `$1` the ids asked: the epoch with each entry in force among them (kind and value); the
    /// epoch alone when none is; nothing when the epoch marker is missing.
    pub(crate) check: String,
    /// The epoch marker, written when missing: `(written, epoch)`.
    pub(crate) epoch: String,
    /// Moves the epoch marker to now (never back): the new epoch.
    pub(crate) new_epoch: String,
    /// `$1` family id, `$2` generation used, `$3` expiry, `$4` answer, `$5` grace in ms.
    pub(crate) rotate: String,
    /// `$1` a feed number: the last number given out, the epoch (NULL when missing), and up to
    /// [`FEED_BATCH`] entries written after `$1` (id, value, expiry, number), in order; one
    /// statement, so one snapshot.
    pub(crate) feed: String,
    /// Deletes up to [`PURGE_BATCH`] revocations that ended; answers how many.
    pub(crate) purge_revocations: String,
    /// Deletes up to [`PURGE_BATCH`] refresh families that ended; answers how many.
    pub(crate) purge_families: String,
}

/// How many entries one feed read takes.
pub(crate) const FEED_BATCH: i64 = 1000;

/// How many rows one purge statement deletes.
pub(crate) const PURGE_BATCH: i64 = 1000;

impl Statements {
    pub(crate) fn new(schema: &str) -> Statements {
        Statements {
            widen: format!(
                "WITH position AS (
                    UPDATE {schema}.feed_position SET seq = seq + 1 RETURNING seq
                ), written AS (
                    INSERT INTO {schema}.revocations AS r (id, kind, value, expires, seq)
                    SELECT $1, $2, $3, $4, position.seq FROM position
                    ON CONFLICT (id) DO UPDATE SET
                        value = CASE WHEN r.expires <= {NOW} THEN EXCLUDED.value
                            ELSE greatest(r.value, EXCLUDED.value) END,
                        expires = CASE WHEN r.expires <= {NOW} THEN EXCLUDED.expires
                            WHEN r.expires IS NULL OR EXCLUDED.expires IS NULL THEN NULL
                            ELSE greatest(r.expires, EXCLUDED.expires) END,
                        seq = EXCLUDED.seq
                    RETURNING r.value, r.expires
                )
                SELECT written.value, written.expires
                FROM written, LATERAL (SELECT pg_notify($5, '')) AS notified"
            ),
            check: format!(
                "SELECT e.epoch, r.kind, r.value FROM {schema}.epoch e
                 LEFT JOIN {schema}.revocations r
                    ON r.id = ANY($1) AND (r.expires IS NULL OR r.expires > {NOW})"
            ),
            epoch: format!(
                "WITH written AS (
                    INSERT INTO {schema}.epoch (epoch) VALUES ({NOW})
                    ON CONFLICT (one) DO NOTHING RETURNING epoch
                 )
                 SELECT true, epoch FROM written
                 UNION ALL
                 SELECT false, epoch FROM {schema}.epoch WHERE NOT EXISTS (SELECT 1 FROM written)"
            ),
            new_epoch: format!(
                "INSERT INTO {schema}.epoch AS e (epoch) VALUES ({NOW})
                 ON CONFLICT (one) DO UPDATE SET epoch = greatest(e.epoch, EXCLUDED.epoch)
                 RETURNING epoch"
            ),
            rotate: format!("SELECT outcome, kept FROM {schema}.rotate($1, $2, $3, $4, $5)"),
            feed: format!(
                "SELECT p.seq, e.epoch, r.id, r.value, r.expires, r.seq
                 FROM {schema}.feed_position p
                 LEFT JOIN {schema}.epoch e ON true
                 LEFT JOIN LATERAL (
                    SELECT id, value, expires, seq FROM {schema}.revocations
                    WHERE seq > $1 ORDER BY seq LIMIT {FEED_BATCH}
                 ) r ON true"
            ),
            purge_revocations: purge(schema, "revocations"),
            purge_families: purge(schema, "refresh_families"),
        }
    }
}

fn purge(schema: &str, table: &str) -> String {
    format!(
        "WITH gone AS (
            DELETE FROM {schema}.{table} WHERE id IN (
                SELECT id FROM {schema}.{table} WHERE expires <= {NOW} LIMIT {PURGE_BATCH}
            ) RETURNING 1
         )
         SELECT count(*) FROM gone"
    )
}
