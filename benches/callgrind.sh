#!/usr/bin/env bash
# Instructions per request, counted by callgrind (repeatable whatever else the machine is doing):
# each of our paths beside its hand-written pasetors reference, through the same router in
# benches/load_server.rs, in process. The count of a dry run (start-up, key generation, the
# tokens made for the unique mode, no request) is subtracted. Bearer tokens are the same on every
# request ("same": the verifier's cache) or different ("unique": a signature check each time).
#
#   benches/callgrind.sh [requests (500)]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
command -v valgrind >/dev/null || { echo "valgrind is required (apt-get install valgrind)"; exit 1; }
cargo build --release -p paseto-auth-workspace --example load_server -q
BIN=target/release/examples/load_server

count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" --in-process "$@" 2>&1 \
        | sed -n 's/.*Collected : //p'
}

# per_request PATH MODE
per_request() {
    local base full
    base=$(count "$1" "$N" "$2" --dry)
    full=$(count "$1" "$N" "$2")
    echo $(( (full - base) / N ))
}

# compare NAME PATH_A PATH_B LABEL_A LABEL_B MODE
compare() {
    local a b
    a=$(per_request "$2" "$6")
    b=$(per_request "$3" "$6")
    awk -v n="$1" -v a="$a" -v b="$b" -v la="$4" -v lb="$5" \
        'BEGIN {printf "%-8s %s %8d instructions/request   %s %8d   %s = %.1f %% of %s (throughput %.1f %%)\n", n, la, a, lb, b, la, 100 * a / b, lb, 100 * b / a}'
}

compare unique /verify/ours /verify/by_hand ours "by hand" unique
compare repeated /verify/ours /verify/by_hand ours "by hand" same
compare ceiling /verify/ours /unguarded guarded unguarded same
compare session /session/ours /session/by_hand ours "by hand" same
# What a revocation check in the memory store costs (Redis is a network round trip: see wrk.sh).
compare memory /verify/memory /verify/ours "memory store" "no store" same
compare memory-u /verify/memory /verify/ours "memory store" "no store" unique
