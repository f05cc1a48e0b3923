//! The store's tables, created by embedded, versioned migrations applied at connect time: each
//! runs once, in a transaction, under an advisory lock (instances starting together apply it
//! once), and is recorded in `<schema>.schema_version`. Embedded rather than a file for the
//! operator to run, so that an upgrade of this crate brings its schema with it and a new
//! environment needs no step by hand; an operator who grants no `CREATE` runs
//! [`schema_sql`](crate::PostgresStore::schema_sql) once and connects with migrations off, and
//! the store then only checks the version.
//!
//! Every table lives in one schema of its own (`paseto_auth` unless set), named by the
//! operator: checked to be a plain identifier before it is ever put into SQL.

use paseto_auth_core::{Error, Result};

/// The migrations, in order; version `n` is `MIGRATIONS[n - 1]`. `{schema}` is the schema's
/// name. Never edit one that was released: add the next.
const MIGRATIONS: &[&str] = &[
    // 1: revocations, their feed position, the epoch marker, refresh families.
    r"
    CREATE TABLE {schema}.revocations (
        -- SHA-256 of the kind and the revoked value (paseto_auth_core::store::mirror::entry_id):
        -- no token id or subject is stored in clear.
        id bytea PRIMARY KEY CHECK (octet_length(id) = 32),
        kind text NOT NULL CHECK (kind IN ('jti', 'fam', 'sub', 'kid')),
        -- 1, or for a subject the unix second before which its tokens are revoked.
        value bigint NOT NULL,
        -- Unix seconds after which the entry no longer matters; NULL: never (a key).
        expires bigint,
        -- The write's place in the feed: each write takes the next, in commit order.
        seq bigint NOT NULL
    );
    CREATE INDEX revocations_by_expiry ON {schema}.revocations (expires) WHERE expires IS NOT NULL;
    CREATE INDEX revocations_by_seq ON {schema}.revocations (seq);

    -- The last seq given out. Each write updates this one row in its transaction, so that seqs
    -- commit in order and a reader that has seen seq n has seen every write before it.
    CREATE TABLE {schema}.feed_position (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        seq bigint NOT NULL
    );
    INSERT INTO {schema}.feed_position (seq) VALUES (0);

    -- The time since which the store holds every revocation it acknowledged (see
    -- paseto_auth_core::store::epoch); missing in a new (or emptied) store.
    CREATE TABLE {schema}.epoch (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        epoch bigint NOT NULL
    );

    CREATE TABLE {schema}.refresh_families (
        id bytea PRIMARY KEY CHECK (octet_length(id) = 32),
        generation bigint NOT NULL,
        expires bigint NOT NULL,
        -- The generation whose use `answer` answered, kept until `answer_until` for a retry.
        answer_of bigint,
        answer bytea,
        answer_until timestamptz,
        -- The last generation whose use was retried (two retries in a row are a reuse).
        retried bigint
    );
    CREATE INDEX refresh_families_by_expiry ON {schema}.refresh_families (expires);

    -- TokenStore::rotate, in one round trip: the family's row is locked, so that of concurrent
    -- uses of one generation, on any instance, exactly one rotates. Outcome 1: rotated; 2: a
    -- retry, with the kept answer; 0: a reuse.
    CREATE FUNCTION {schema}.rotate(
        p_id bytea, p_used bigint, p_until bigint, p_answer bytea, p_grace_ms bigint,
        OUT outcome integer, OUT kept bytea
    ) LANGUAGE plpgsql AS $$
    DECLARE
        family {schema}.refresh_families%ROWTYPE;
        now_s bigint := floor(extract(epoch FROM now()))::bigint;
    BEGIN
        outcome := 0;
        SELECT * INTO family FROM {schema}.refresh_families WHERE id = p_id FOR UPDATE;
        IF NOT FOUND THEN
            IF p_used <> 0 THEN
                RETURN;
            END IF;
            INSERT INTO {schema}.refresh_families (id, generation, expires)
                VALUES (p_id, 0, p_until) ON CONFLICT (id) DO NOTHING;
            SELECT * INTO family FROM {schema}.refresh_families WHERE id = p_id FOR UPDATE;
        END IF;
        IF family.expires <= now_s THEN
            -- An ended family is one never seen (Redis: its keys expired).
            family.generation := 0;
            family.expires := p_until;
            family.answer_of := NULL;
            family.retried := NULL;
        END IF;
        IF family.generation = p_used THEN
            UPDATE {schema}.refresh_families SET
                generation = p_used + 1,
                expires = greatest(family.expires, p_until),
                answer_of = CASE WHEN p_grace_ms > 0 THEN p_used END,
                answer = CASE WHEN p_grace_ms > 0 THEN p_answer END,
                answer_until = CASE WHEN p_grace_ms > 0
                    THEN now() + p_grace_ms * interval '1 millisecond' END,
                retried = family.retried
            WHERE id = p_id;
            outcome := 1;
            RETURN;
        END IF;
        IF family.generation = p_used + 1 AND family.answer_of = p_used
                AND family.answer_until > now() THEN
            IF family.retried = p_used - 1 THEN
                RETURN;
            END IF;
            UPDATE {schema}.refresh_families SET retried = p_used WHERE id = p_id;
            outcome := 2;
            kept := family.answer;
        END IF;
    END
    $$;
    ",
];

/// The schema version this crate writes and reads.
pub(crate) const VERSION: i32 = MIGRATIONS.len() as i32;

/// An advisory lock's key, held while migrating: instances that start together wait for the
/// first rather than apply a migration twice. (The bytes of `paseto-a`.)
const MIGRATION_LOCK: i64 = 0x7061_7365_746f_2d61;

/// Checks that `schema` is a plain SQL identifier (lower-case letters, digits and `_`, not
/// starting with a digit, at most 63 bytes), the only names put into SQL text.
pub(crate) fn check_name(schema: &str) -> std::result::Result<(), &'static str> {
    let mut chars = schema.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !first_ok || !rest_ok || schema.len() > 63 {
        return Err(
            "must be a plain identifier: lower-case letters, digits and `_`, not starting with a \
             digit, at most 63 bytes",
        );
    }
    Ok(())
}

/// The SQL of every migration for `schema` (checked by [`check_name`]), with the version
/// table: what an operator runs by hand when the store may not create tables.
pub(crate) fn all_sql(schema: &str) -> String {
    let mut sql = bookkeeping(schema);
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        sql.push_str(&migration.replace("{schema}", schema));
        sql.push_str(&format!(
            "INSERT INTO {schema}.schema_version (version) VALUES ({});\n",
            index + 1
        ));
    }
    sql
}

fn bookkeeping(schema: &str) -> String {
    format!(
        "CREATE SCHEMA IF NOT EXISTS {schema};\n\
         CREATE TABLE IF NOT EXISTS {schema}.schema_version (\n    \
             version integer PRIMARY KEY,\n    \
             applied_at timestamptz NOT NULL DEFAULT now()\n);\n"
    )
}

/// Brings `schema` to [`VERSION`] (when `migrate`), or checks it is there. A schema newer than
/// this crate knows is refused: an older instance must not write to tables it does not know.
pub(crate) async fn prepare(
    client: &mut tokio_postgres::Client,
    schema: &str,
    migrate: bool,
) -> Result<()> {
    if migrate {
        let transaction = client.transaction().await.map_err(setup)?;
        transaction
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(setup)?;
        transaction
            .batch_execute(&bookkeeping(schema))
            .await
            .map_err(setup)?;
        let found = version(&transaction, schema).await?;
        check_not_newer(found)?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let number = index as i32 + 1;
            transaction
                .batch_execute(&migration.replace("{schema}", schema))
                .await
                .map_err(setup)?;
            transaction
                .execute(
                    &format!("INSERT INTO {schema}.schema_version (version) VALUES ($1)"),
                    &[&number],
                )
                .await
                .map_err(setup)?;
            tracing::info!(schema, version = number, "paseto-auth migrated its tables");
        }
        return transaction.commit().await.map_err(setup);
    }
    let found = version(client, schema).await?;
    check_not_newer(found)?;
    if found < VERSION {
        return Err(Error::Setup(format!(
            "the schema `{schema}` is at version {found}, this crate needs {VERSION}: run \
             PostgresStore::schema_sql's statements, or let the store migrate"
        )));
    }
    Ok(())
}

/// The latest version applied in `schema` (0: none, or no version table).
async fn version(client: &impl tokio_postgres::GenericClient, schema: &str) -> Result<i32> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[&format!("{schema}.schema_version")],
        )
        .await
        .map_err(setup)?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client
        .query_one(
            &format!("SELECT coalesce(max(version), 0) FROM {schema}.schema_version"),
            &[],
        )
        .await
        .map_err(setup)?;
    Ok(row.get(0))
}

fn check_not_newer(found: i32) -> Result<()> {
    if found > VERSION {
        return Err(Error::Setup(format!(
            "the store's tables are at schema version {found}, newer than this crate's \
             {VERSION}: upgrade paseto-auth-postgres"
        )));
    }
    Ok(())
}

fn setup(err: tokio_postgres::Error) -> Error {
    Error::Setup(format!(
        "cannot prepare the PostgreSQL tables: {}",
        crate::describe(&err)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_are_schema_names() {
        for good in ["paseto_auth", "_x", "a1", &"a".repeat(63)] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "1a",
            "Paseto",
            "a-b",
            "a;DROP TABLE x",
            "a.b",
            "\"a\"",
            "é",
            &"a".repeat(64),
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_sql_names_only_the_schema_given() {
        let sql = all_sql("tenant_7");
        assert!(!sql.contains("{schema}"));
        assert!(sql.contains("CREATE TABLE tenant_7.revocations"));
        assert!(sql.ends_with("INSERT INTO tenant_7.schema_version (version) VALUES (1);\n"));
    }
}
