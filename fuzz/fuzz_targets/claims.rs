#![no_main]
//! `claims`: see `paseto_auth_fuzz_targets::claims`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::claims::run);
});
