#![no_main]
//! `verify_public`: see `paseto_auth_fuzz_targets::verify_public`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::verify_public::run);
});
