#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tencentcloud_cvm_fuzz::journal(data));
