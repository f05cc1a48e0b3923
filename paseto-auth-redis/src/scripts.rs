//! The Lua scripts of the store: each reads and writes in one step, so that no other client
//! comes between (Redis runs a script alone). Every key a script touches shares a hash slot
//! (see [`crate::keys`]), so they run on a cluster too.

use std::sync::LazyLock;

/// The widening write of a revocation: `KEYS[1]` its entry, `KEYS[2]` the index, `KEYS[3]` the
/// feed; `ARGV[1]` the value, `ARGV[2]` the expiry in unix seconds (`0`: none), `ARGV[3]` the
/// entry's name, `ARGV[4]` the feed's length. An entry without expiry keeps none; `TTL` and `TIME`
/// rather than `EXPIRETIME` so that servers before 7.0 run it too. The entry as it now stands is
/// added to the index (scored by its expiry, whose past is trimmed) and appended to the feed, in
/// the same script: a mirror never misses a revocation the store holds. Answers `{value,
/// expiry}` as written.
pub(crate) static WIDEN: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local value = tonumber(ARGV[1])
        local expires = tonumber(ARGV[2])
        local now = tonumber(redis.call('TIME')[1])
        local old = redis.call('GET', KEYS[1])
        if old then
          value = math.max(value, tonumber(old) or 0)
          local ttl = redis.call('TTL', KEYS[1])
          if ttl == -1 then
            expires = 0
          elseif expires > 0 and ttl >= 0 then
            expires = math.max(expires, now + ttl)
          end
        end
        if expires > 0 then
          redis.call('SET', KEYS[1], value, 'EXAT', expires)
          redis.call('ZADD', KEYS[2], expires, ARGV[3])
        else
          redis.call('SET', KEYS[1], value)
          redis.call('ZADD', KEYS[2], '+inf', ARGV[3])
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. now)
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'n', ARGV[3], 'v', value, 'x', expires)
        return {value, expires}
        ",
    )
});

/// The rotation of [`RedisStore::rotate`]: `KEYS[1]` the family's generation, `KEYS[2]` its last
/// answer, `KEYS[3]` its last generation whose use was retried; `ARGV[1]` the generation
/// presented, `ARGV[2]` the generation's expiry in unix seconds, `ARGV[3]` the answer, `ARGV[4]`
/// how long to keep it, in milliseconds. Answers `1` when it rotated, the kept answer for a retry
/// of the last rotation (unless the use before was retried too: two copies in step), `0` for a
/// reuse. One script: no other client reads or writes between the compare and the set.
pub(crate) static ROTATE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local used = tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current == used then
          local expires = tonumber(ARGV[2])
          local ttl = redis.call('TTL', KEYS[1])
          if ttl >= 0 then
            expires = math.max(expires, tonumber(redis.call('TIME')[1]) + ttl)
          end
          redis.call('SET', KEYS[1], current + 1, 'EXAT', expires)
          local grace = tonumber(ARGV[4])
          if grace > 0 then
            redis.call('SET', KEYS[2], ARGV[1] .. ':' .. ARGV[3], 'PX', grace)
          else
            redis.call('DEL', KEYS[2])
          end
          return 1
        end
        if current == used + 1 then
          local kept = redis.call('GET', KEYS[2])
          if kept then
            local colon = string.find(kept, ':', 1, true)
            if colon and string.sub(kept, 1, colon - 1) == ARGV[1] then
              if tonumber(redis.call('GET', KEYS[3]) or '-2') == used - 1 then
                return 0
              end
              local ttl = redis.call('TTL', KEYS[1])
              if ttl > 0 then
                redis.call('SET', KEYS[3], used, 'EX', ttl)
              else
                redis.call('SET', KEYS[3], used)
              end
              return string.sub(kept, colon + 1)
            end
          end
        end
        return 0
        ",
    )
});

/// Reads the epoch marker, writing it with the server's time when it is missing. Answers
/// `{written, epoch}`: `written` is 1 when this call wrote it.
pub(crate) static EPOCH: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local now = tonumber(redis.call('TIME')[1])
        if redis.call('SET', KEYS[1], now, 'NX') then
          return {1, now}
        end
        return {0, tonumber(redis.call('GET', KEYS[1])) or now}
        ",
    )
});

/// Moves the epoch marker to the server's time (never back): the store is known to have lost
/// writes it had acknowledged. Answers the new epoch.
pub(crate) static NEW_EPOCH: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
        local now = tonumber(redis.call('TIME')[1])
        local epoch = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') or 0)
        redis.call('SET', KEYS[1], epoch)
        return epoch
        ",
    )
});
