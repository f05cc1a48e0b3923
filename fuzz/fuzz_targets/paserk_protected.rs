#![no_main]
//! `paserk_protected`: see `paseto_auth_fuzz_targets::paserk_protected`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::paserk_protected::run);
});
