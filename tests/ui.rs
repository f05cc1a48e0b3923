//! Compile-time checks of the macros: each mistake is a compile error at the offending tokens
//! (`tests/ui/<macro>/fail/<mistake>.rs` with its `.stderr`), and correct uses compile and run.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/*/pass/*.rs");
    cases.compile_fail("tests/ui/*/fail/*.rs");
}
