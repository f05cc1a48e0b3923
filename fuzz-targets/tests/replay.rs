//! Every committed corpus file (`fuzz/corpus/<target>/`) and every seed (the official vectors,
//! the fixtures, inputs made with the targets' keys) through its target, on stable and without
//! libFuzzer: an input that once found a bug fails this test if the bug comes back.

use std::path::{Path, PathBuf};
use std::time::Instant;

use paseto_auth_fuzz_targets::{TARGETS, seeds, target};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus")
}

/// Runs `data` through `run`, naming the input when it fails.
fn replay(name: &str, what: &str, run: fn(&[u8]), data: &[u8]) {
    let outcome = std::panic::catch_unwind(|| run(data));
    if let Err(panic) = outcome {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("a panic");
        panic!("{name}: {what} fails: {message}");
    }
}

#[test]
fn every_target_has_a_committed_corpus() {
    for (name, _) in TARGETS {
        let dir = corpus_dir().join(name);
        let files = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .count();
        assert!(files > 0, "{name}: an empty corpus");
    }
}

#[test]
fn the_committed_corpora_replay() {
    for (name, run) in TARGETS {
        let started = Instant::now();
        let dir = corpus_dir().join(name);
        let mut count = 0;
        for entry in
            std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        {
            let path = entry.expect("a directory entry").path();
            let data = std::fs::read(&path).expect("a corpus file");
            replay(name, &path.display().to_string(), *run, &data);
            count += 1;
        }
        eprintln!("{name}: {count} inputs in {:?}", started.elapsed());
    }
}

#[test]
fn the_seeds_replay() {
    for seed in seeds::all() {
        let run = target(seed.target).expect("a seed of a known target");
        replay(seed.target, &seed.name, run, &seed.data);
    }
}
