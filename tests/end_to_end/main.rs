//! The facade end to end, one test binary: each module is what used to be a
//! file of its own in `tests/` (one binary each meant one link of the whole
//! dependency tree each, and their tests ran one binary after another).
//! `tests/common/` stays where a stand-alone test file finds it; two stay
//! stand-alone: `alloc_count.rs` (its global allocator counts the whole
//! process) and `secrets.rs` (its global logger records at trace level).

#[path = "../common/mod.rs"]
mod common;

mod async_driver;
mod credentials_assume_role;
mod credentials_cvm_role;
mod emulator_verifies_sdk_vectors;
mod end_to_end;
mod facade;
mod fail_closed;
mod safe_flow;
