#![no_main]
//! `settings`: see `paseto_auth_fuzz_targets::settings`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::settings::run);
});
