//! Compile-time checks of the macros. Each mistake is a compile error at the offending tokens
//! (`tests/ui/<macro>/fail/<mistake>.rs`, its message in `<mistake>.stderr`); correct uses
//! compile and run (`tests/ui/<macro>/pass/*.rs`).
//!
//! The snapshots depend on the compiler's wording, so the toolchain is pinned
//! (`rust-toolchain.toml`). After a deliberate change, regenerate them with
//! `TRYBUILD=overwrite cargo test --test ui` and read every diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/paseto_required/pass/*.rs");
    cases.compile_fail("tests/ui/paseto_required/fail/*.rs");
    cases.pass("tests/ui/paseto_claims/pass/*.rs");
    cases.compile_fail("tests/ui/paseto_claims/fail/*.rs");
    cases.pass("tests/ui/paseto_session/pass/*.rs");
    cases.compile_fail("tests/ui/paseto_session/fail/*.rs");
    cases.pass("tests/ui/login_required/pass/*.rs");
    cases.compile_fail("tests/ui/login_required/fail/*.rs");
}
