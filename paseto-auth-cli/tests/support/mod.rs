//! Running the `paseto-auth` binary, shared by the CLI's test files.

// Each test binary compiles this module on its own and may not use all of it.
#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs `paseto-auth args…`.
pub(crate) fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paseto-auth"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs a command that must succeed and returns its stdout, trimmed.
pub(crate) fn ok(args: &[&str]) -> String {
    let out = cli(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Runs a command that must fail (exit status 1) and returns its stderr line.
pub(crate) fn fails(args: &[&str]) -> String {
    let out = cli(args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap().trim().to_owned()
}
