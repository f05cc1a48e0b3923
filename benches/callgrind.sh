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

for pair in verify session; do
    ours=$(per_request "/$pair/ours")
    reference=$(per_request "/$pair/by_hand")
    awk -v n="$pair" -v a="$ours" -v b="$reference" \
        'BEGIN {printf "%-8s ours %8d instructions/request   by hand %8d   ours = %.1f %% of by hand (throughput %.1f %%)\n", n, a, b, 100 * a / b, 100 * b / a}'
done
