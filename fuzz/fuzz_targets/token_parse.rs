#![no_main]
//! `token_parse`: see `paseto_auth_fuzz_targets::token_parse`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    paseto_auth_fuzz::measured(data, paseto_auth_fuzz_targets::token_parse::run);
});
