#!/usr/bin/env bash
# End-to-end load test: wrk against examples/load_server.rs, each of our paths beside its
# hand-written pasetors reference, in alternating rounds in the same run (so drift in machine load
# hits both alike). Prints requests/s per round, the means, and ours as a percentage of the reference.
#
#   benches/wrk.sh [seconds per round (5)] [rounds (3)] [connections (16)]
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
cargo build --release --example load_server -q
OUT=$(mktemp)
PASETO_AUTH_ADDR=$ADDR target/release/examples/load_server >"$OUT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$OUT"' EXIT
for _ in $(seq 50); do grep -q listening "$OUT" && break; sleep 0.1; done
TOKEN=$(sed -n 's/^TOKEN=//p' "$OUT")
COOKIE=$(sed -n 's/^COOKIE=//p' "$OUT")

# Requests/s of one wrk run; any non-2xx response fails the run.
rps() {
    local path=$1; shift
    local report
    report=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUND}s" "$@" "http://$ADDR$path")
    if grep -q "Non-2xx" <<<"$report"; then echo "non-2xx responses from $path" >&2; echo "$report" >&2; exit 1; fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$report"
}

compare() {
    local name=$1 ours=$2 reference=$3; shift 3
    # Warm up both.
    SECONDS_PER_ROUND=1 rps "$ours" "$@" >/dev/null
    SECONDS_PER_ROUND=1 rps "$reference" "$@" >/dev/null
    local sum_ours=0 sum_reference=0
    for round in $(seq "$ROUNDS"); do
        local a b
        a=$(rps "$ours" "$@")
        b=$(rps "$reference" "$@")
        printf '%-8s round %d: ours %10.0f req/s   by hand %10.0f req/s\n' "$name" "$round" "$a" "$b"
        sum_ours=$(awk -v s="$sum_ours" -v x="$a" 'BEGIN {print s + x}')
        sum_reference=$(awk -v s="$sum_reference" -v x="$b" 'BEGIN {print s + x}')
    done
    awk -v n="$name" -v a="$sum_ours" -v b="$sum_reference" -v r="$ROUNDS" \
        'BEGIN {printf "%-8s mean:    ours %10.0f req/s   by hand %10.0f req/s   ours = %.1f %% of by hand\n", n, a / r, b / r, 100 * a / b}'
}

compare verify /verify/ours /verify/by_hand -H "Authorization: Bearer $TOKEN"
compare session /session/ours /session/by_hand -H "Cookie: $COOKIE"
