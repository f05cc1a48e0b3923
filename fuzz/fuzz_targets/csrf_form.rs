#![no_main]
//! `csrf_form`: see `paseto_auth_fuzz_targets::csrf_form`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::csrf_form::run);
});
