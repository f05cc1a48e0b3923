#!/usr/bin/env bash
# Instructions per request, counted by callgrind (repeatable whatever else the machine is doing):
# each of our paths beside its hand-written pasetors reference, through the same router in
# examples/load_server.rs, in process. The count of a run with 0 requests (start-up, key
# generation) is subtracted.
#
#   benches/callgrind.sh [requests (500)]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
command -v valgrind >/dev/null || { echo "valgrind is required (apt-get install valgrind)"; exit 1; }
cargo build --release --example load_server -q
BIN=target/release/examples/load_server

count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" --in-process "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : //p'
}

per_request() {
    local base full
    base=$(count "$1" 0)
    full=$(count "$1" "$N")
    echo $(( (full - base) / N ))
}

# compare NAME PATH_A PATH_B LABEL_A LABEL_B
compare() {
    local a b
    a=$(per_request "$2")
    b=$(per_request "$3")
    awk -v n="$1" -v a="$a" -v b="$b" -v la="$4" -v lb="$5" \
        'BEGIN {printf "%-8s %s %8d instructions/request   %s %8d   %s = %.1f %% of %s (throughput %.1f %%)\n", n, la, a, lb, b, la, 100 * a / b, lb, 100 * b / a}'
}

compare verify /verify/ours /verify/by_hand ours "by hand"
compare session /session/ours /session/by_hand ours "by hand"
# What a revocation check in the memory store costs (Redis is a network round trip: see wrk.sh).
compare memory /verify/memory /verify/ours "memory store" "no store"
