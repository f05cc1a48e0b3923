//! The workspace's private package: it owns `examples/`, `tests/` and `benches/`, and has no API.
//!
//! Its one item compiles every Rust snippet of the README as a doctest, so the README's code
//! cannot drift from the crate.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
