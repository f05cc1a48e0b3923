#![no_main]
//! `footer`: see `paseto_auth_fuzz_targets::footer`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::footer::run);
});
