#![no_main]
//! The `producers` target of `tournee::fuzz`: a panic, a hang or a wrong answer is a crash.
libfuzzer_sys::fuzz_target!(|data: &[u8]| tournee::fuzz::libfuzzer("producers", data));
