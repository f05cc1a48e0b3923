#!/usr/bin/env bash
# End-to-end load test: wrk against benches/load_server.rs, each of our paths beside its
# hand-written pasetors reference, in alternating rounds in the same run (so drift in machine load
# hits both alike). Prints requests/s per round, the means, and ours as a percentage of the reference.
# Bearer tokens come two ways: the same token on every request ("repeated", what a client with a
# token sends), or a different valid token on every request ("unique": benches/unique_tokens.lua
# cycles through 100 000 of them, ten times what the verifier's cache holds, so none is a hit).
#
#   benches/wrk.sh [seconds per round (5)] [rounds (3)] [connections (16)]
#   WRK_ONLY=unique,session benches/wrk.sh   # only those comparisons
#
# Needs wrk (Debian: apt-get install wrk). On a 2-core machine wrk and the server share the cores;
# the comparison is fair, the absolute numbers are not a server's capacity.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_ROUND=${1:-5}
ROUNDS=${2:-3}
CONNECTIONS=${3:-16}
ADDR=${PASETO_AUTH_ADDR:-127.0.0.1:3999}

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }
cargo build --release -p paseto-auth-workspace --example load_server -q
OUT=$(mktemp)
TOKEN_FILE=$(mktemp)
LOAD_SERVER_TOKEN_FILE=$TOKEN_FILE PASETO_AUTH_ADDR=$ADDR target/release/examples/load_server >"$OUT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$OUT" "$TOKEN_FILE"' EXIT
for _ in $(seq 100); do grep -q listening "$OUT" && break; sleep 0.1; done
TOKEN=$(sed -n 's/^TOKEN=//p' "$OUT")
COOKIE=$(sed -n 's/^COOKIE=//p' "$OUT")

# Requests/s of one wrk run of PATH with AUTH (repeated | unique | cookie | none); any non-2xx
# response fails the run.
rps() {
    local path=$1 auth=$2
    local report args=() after=()
    case $auth in
        repeated) args=(-H "Authorization: Bearer $TOKEN") ;;
        unique) args=(-s benches/unique_tokens.lua); after=(-- "$TOKEN_FILE") ;;
        cookie) args=(-H "Cookie: $COOKIE") ;;
        none) ;;
    esac
    report=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" "${args[@]}" "http://$ADDR$path" "${after[@]}")
    if grep -q "Non-2xx" <<<"$report"; then echo "non-2xx responses from $path" >&2; echo "$report" >&2; exit 1; fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$report"
}

# compare NAME PATH_A PATH_B LABEL_A LABEL_B AUTH: alternating rounds of A and B.
compare() {
    local name=$1 a_path=$2 b_path=$3 a_label=$4 b_label=$5 auth=$6
    # WRK_ONLY=name[,name...] runs only those comparisons.
    if [ -n "${WRK_ONLY:-}" ] && [[ ",$WRK_ONLY," != *",$name,"* ]]; then return; fi
    # Warm up both.
    SECONDS_PER_ROUND=1 rps "$a_path" "$auth" >/dev/null
    SECONDS_PER_ROUND=1 rps "$b_path" "$auth" >/dev/null
    local sum_a=0 sum_b=0
    for round in $(seq "$ROUNDS"); do
        local a b
        a=$(rps "$a_path" "$auth")
        b=$(rps "$b_path" "$auth")
        printf '%-10s round %d: %s %10.0f req/s   %s %10.0f req/s\n' "$name" "$round" "$a_label" "$a" "$b_label" "$b"
        sum_a=$(awk -v s="$sum_a" -v x="$a" 'BEGIN {print s + x}')
        sum_b=$(awk -v s="$sum_b" -v x="$b" 'BEGIN {print s + x}')
    done
    awk -v n="$name" -v a="$sum_a" -v b="$sum_b" -v r="$ROUNDS" -v la="$a_label" -v lb="$b_label" \
        'BEGIN {printf "%-10s mean:    %s %10.0f req/s   %s %10.0f req/s   %s = %.2fx %s\n", n, la, a / r, lb, b / r, la, a / b, lb}'
}

# A different token on every request: the signature is checked each time.
compare unique /verify/ours /verify/by_hand ours "by hand" unique
# The same token repeated: the verifier's cache, beside pasetors (which checks it each time) and
# beside an unguarded handler (the ceiling).
compare repeated /verify/ours /verify/by_hand ours "by hand" repeated
compare ceiling /verify/ours /unguarded guarded unguarded repeated
compare session /session/ours /session/by_hand ours "by hand" cookie
# What a revocation check costs: the guarded handler with a store, beside it without one.
compare memory /verify/memory /verify/ours "memory store" "no store" repeated
compare memory-u /verify/memory /verify/ours "memory store" "no store" unique
if [ -n "${PASETO_REDIS_URL:-}" ]; then
    # A fleet's store: Redis, answered by the instance's mirror, beside the memory store (the
    # fleet issue's goal: >= 0.9x), and asking Redis at every request.
    compare redis /verify/redis /verify/memory "redis+mirror" "memory store" repeated
    compare redis-u /verify/redis /verify/memory "redis+mirror" "memory store" unique
    compare redis-direct /verify/redis-direct /verify/memory "redis direct" "memory store" repeated
else
    echo "redis      (set PASETO_REDIS_URL to measure the Redis store)"
fi
if [ -n "${PASETO_POSTGRES_URL:-}" ]; then
    # The same for PostgreSQL (its issue's goal: >= 0.9x with the mirror).
    compare postgres /verify/postgres /verify/memory "postgres+mirror" "memory store" repeated
    compare postgres-u /verify/postgres /verify/memory "postgres+mirror" "memory store" unique
    compare pg-direct /verify/postgres-direct /verify/memory "postgres direct" "memory store" repeated
else
    echo "postgres   (set PASETO_POSTGRES_URL to measure the PostgreSQL store)"
fi
