#![no_main]
//! `paserk`: see `paseto_auth_fuzz_targets::paserk`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::paserk::run);
});
