#![no_main]
//! `local_roundtrip`: see `paseto_auth_fuzz_targets::local_roundtrip`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::local_roundtrip::run);
});
