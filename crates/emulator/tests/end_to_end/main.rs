//! The emulator end to end, one test binary: each module is what used to be a
//! file of its own in `tests/` (one binary each meant one link of the whole
//! dependency tree each, and their tests ran one binary after another).
//! `tests/common/` stays where a stand-alone test file finds it.

#[path = "../common/mod.rs"]
mod common;

mod binary;
mod example_fleet;
mod python_interop;
mod server;
mod tccli_interop;
