#![no_main]
//! `verify_local`: see `paseto_auth_fuzz_targets::verify_local`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::verify_local::run);
});
