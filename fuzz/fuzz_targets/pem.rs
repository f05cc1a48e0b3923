#![no_main]
//! `pem`: see `paseto_auth_fuzz_targets::pem`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::pem::run);
});
