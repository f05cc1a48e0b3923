#![no_main]
//! `differential`: see `paseto_auth_fuzz_targets::differential`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::differential::run);
});
