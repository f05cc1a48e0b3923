//! What the memory store holds per revocation: the growth of the process's resident memory while
//! 100 000 entries of one kind go in, as a service revokes them (ids as this crate writes them,
//! 22 characters), each kind in a process of its own so that one kind's freed memory does not
//! hide the next one's.
//!
//! `cargo bench --bench store_memory` (Linux) prints one line per kind: bytes per entry, and the
//! total for the default capacity (100 000). The sizing figure of `MemoryStore`'s docs comes from it.

use std::process::Command;

use paseto_auth::store::{MemoryStore, Rotation, TokenStore};
use time::OffsetDateTime;

/// The process's resident memory, in bytes (Linux: `/proc/self/statm`, in pages of 4 KiB).
fn resident() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|pages| pages.parse().ok())
        .expect("statm's resident field");
    pages * 4096
}

const ENTRIES: usize = 100_000;

/// An id as the issuer writes `jti` and `fam`: 16 random bytes in base64url, 22 characters.
fn id(n: usize) -> String {
    format!("{n:0>22}")
}

fn measure(kind: &str, fill: impl Fn(&MemoryStore, usize)) {
    let store = MemoryStore::new().capacity(ENTRIES * 3);
    fill(&store, usize::MAX); // the store's first entry: its maps exist
    let before = resident();
    for n in 0..ENTRIES {
        fill(&store, n);
    }
    let bytes = resident().saturating_sub(before);
    let per_entry = bytes as f64 / ENTRIES as f64;
    println!(
        "{kind:<28} {per_entry:>6.0} bytes per entry, {:>5.1} MB for {ENTRIES}",
        bytes as f64 / 1e6
    );
    drop(store);
}

/// One refresh of `family`, keeping `answer` for the grace (none when it is empty).
fn rotate(runtime: &tokio::runtime::Runtime, store: &MemoryStore, family: &str, answer: &[u8]) {
    let rotation = Rotation {
        family,
        generation: 0,
        until: OffsetDateTime::now_utc() + time::Duration::days(14),
        answer,
        grace: std::time::Duration::from_secs(if answer.is_empty() { 0 } else { 10 }),
    };
    runtime.block_on(store.rotate(rotation)).expect("rotated");
}

const KINDS: [&str; 5] = ["jti", "fam", "sub", "gen", "ans"];

fn main() {
    // `cargo bench` passes `--bench`; a child gets the kind it measures.
    let Some(kind) = std::env::args().find(|arg| KINDS.contains(&arg.as_str())) else {
        for kind in KINDS {
            let status = Command::new(std::env::current_exe().expect("own path"))
                .arg(kind)
                .status()
                .expect("a child runs");
            assert!(status.success(), "{kind}: {status}");
        }
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let until = OffsetDateTime::now_utc() + time::Duration::days(14);
    let block = |future: paseto_auth::store::StoreFuture<'_, ()>| {
        runtime.block_on(future).expect("recorded");
    };
    match kind.as_str() {
        "jti" => measure("token revocations (jti)", |store, n| {
            block(store.revoke_token(&id(n), until));
        }),
        "fam" => measure("family revocations (fam)", |store, n| {
            block(store.revoke_family(&id(n), until));
        }),
        "sub" => measure("subject revocations (sub)", |store, n| {
            block(store.revoke_subject(&format!("user-{n}"), until));
        }),
        "gen" => measure("refresh generations (gen)", |store, n| {
            rotate(&runtime, store, &id(n), &[]);
        }),
        _ => {
            // A sealed pair as a v4 issuer's refresh seals it: about 1.1 KB.
            let answer = vec![b'A'; 1100];
            measure("refreshes in their grace", |store, n| {
                rotate(&runtime, store, &id(n), &answer);
            });
        }
    }
}
