#![no_main]
//! `cookie_header`: see `paseto_auth_fuzz_targets::cookie_header`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::cookie_header::run);
});
