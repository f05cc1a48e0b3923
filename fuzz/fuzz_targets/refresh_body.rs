#![no_main]
//! `refresh_body`: see `paseto_auth_fuzz_targets::refresh_body`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::refresh_body::run);
});
