#![no_main]
//! `keyset`: see `paseto_auth_fuzz_targets::keyset`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::keyset::run);
});
