// Under `cargo fuzz` (which sets `--cfg fuzzing`), libFuzzer's `main` drives the
// target; elsewhere (`cargo test`, clippy) this is an empty program, so those builds
// neither need libFuzzer nor compile its C++ (fuzz/README.md).
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tencentcloud_cvm_fuzz::response_parser(data));

#[cfg(not(fuzzing))]
fn main() {}
