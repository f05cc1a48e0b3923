#!/usr/bin/env bash
# What a cold build costs, for the README's "Build cost": each scenario built alone in a fresh
# target directory (so nothing is shared), counting the crates cargo compiles and the wall time.
#
#   benches/build_cost.sh            # the current tree
#   benches/build_cost.sh a1ff082    # a commit, checked out in a temporary worktree
#
# Scenarios: the README's first command (its example), a verify-only user of the core, the default
# `paseto-auth`. On a commit before the core crate existed, "the core" is `paseto-auth` without
# default features, and the first example is the root package's.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-}
work=$PWD
if [ -n "$rev" ]; then
    work=$(mktemp -d)
    git worktree add -q --detach "$work" "$rev"
    trap 'git worktree remove --force "$work"' EXIT
fi
cd "$work"
if [ -d paseto-auth-core ]; then
    scenarios=("first example|-p paseto-auth-examples --example issuer_and_verifier"
               "verify-only (core)|-p paseto-auth-core"
               "default paseto-auth|-p paseto-auth")
else
    scenarios=("first example|--example issuer_and_verifier"
               "verify-only (core)|-p paseto-auth --no-default-features"
               "default paseto-auth|-p paseto-auth")
fi
printf '%-22s %8s %8s\n' scenario crates seconds
for scenario in "${scenarios[@]}"; do
    name=${scenario%%|*}
    args=${scenario#*|}
    target=$(mktemp -d)
    start=$(date +%s)
    # shellcheck disable=SC2086
    crates=$(CARGO_TARGET_DIR=$target CARGO_INCREMENTAL=0 cargo build $args 2>&1 | grep -c '^ *Compiling ')
    end=$(date +%s)
    rm -rf "$target"
    printf '%-22s %8s %8s\n' "$name" "$crates" "$((end - start))"
done
